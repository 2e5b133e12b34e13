-- positions.sql: executions, busts and cash; the live projection; reads as of a date and as
-- known at a time; checkpoints; and every error path of the trading commands.
\i test/fixtures/setup.sql
SELECT pms.create_household('Fold Family', 'tester', 'a0000000-0000-4000-8000-000000000001') \gset
SELECT pms.create_household('Other Family', 'tester', 'a0000000-0000-4000-8000-000000000002') \gset
SELECT pms.create_account('a0000000-0000-4000-8000-000000000001', 'Main', 'joint', 'USD', 'tester', 'b0000000-0000-4000-8000-000000000001') \gset
SELECT pms.create_account('a0000000-0000-4000-8000-000000000002', 'Elsewhere', 'individual', 'USD', 'tester', 'b0000000-0000-4000-8000-000000000002') \gset
INSERT INTO pms.instruments (instrument_id, cusip, description, asset_class, currency, coupon_rate, maturity_date) VALUES
    ('c0000000-0000-4000-8000-000000000001', '91282CLW9', 'UST 4.25% 2034', 'BOND', 'USD', 0.0425, '2034-11-15');
INSERT INTO pms.instruments (instrument_id, ticker, description, asset_class, currency) VALUES
    ('c0000000-0000-4000-8000-000000000002', 'AAPL', 'Apple', 'EQUITY', 'USD'),
    ('c0000000-0000-4000-8000-000000000003', 'BND', 'Bond fund', 'FUND', 'USD'),
    ('c0000000-0000-4000-8000-000000000004', 'SAP', 'SAP SE', 'EQUITY', 'EUR');
\set main '''b0000000-0000-4000-8000-000000000001'''
\set bond '''c0000000-0000-4000-8000-000000000001'''
\set aapl '''c0000000-0000-4000-8000-000000000002'''
\set fund '''c0000000-0000-4000-8000-000000000003'''
\set sap '''c0000000-0000-4000-8000-000000000004'''

-- generated ids: time-ordered UUIDs (version 7, RFC 9562), increasing within a session
SELECT count(*) AS ids, count(DISTINCT id) AS distinct_ids,
       bool_and(substr(id::text, 15, 1) = '7') AS version_7,
       bool_and(substr(id::text, 20, 1) IN ('8', '9', 'a', 'b')) AS rfc_variant,
       bool_and(prev IS NULL OR prev < id) AS increasing
FROM (SELECT id, lag(id) OVER (ORDER BY n) AS prev
      FROM (SELECT n, pms.uuid_v7() AS id FROM generate_series(1, 1000) n) g) x;

-- settle dates: trade date plus one business day, weekends skipped
SELECT d, to_char(d, 'Dy') AS day, pms.add_business_days(d, 1) AS t_plus_1, pms.add_business_days(d, 0) AS rolled
FROM unnest(ARRAY['2025-01-02', '2025-01-03', '2025-01-04', '2025-01-05']::date[]) AS d;

-- a book: cash in, bonds bought twice and partly sold, equities, fractional fund units, EUR shares
SELECT pms.record_cash(:main, 'USD', 1000000, 'DEPOSIT', '2025-01-02') IS NOT NULL AS deposited;
SELECT pms.record_cash(:main, 'EUR', 50000, 'transfer_in', '2025-01-02') IS NOT NULL AS transferred;
-- (the first fill is loaded with a chosen id, as a COPY from an order system would)
INSERT INTO pms.executions (household_id, execution_id, account_id, instrument_id, side, quantity, price, trade_date)
VALUES ('a0000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000001', :main, :bond, 'BUY', 100000, 98.50, '2025-01-06');
\set e_bond_1 'e0000000-0000-4000-8000-000000000001'
SELECT pms.record_execution(:main, :bond, 'buy', 50000, 99.25, '2025-02-03', order_id => 'ord-2') IS NOT NULL AS ok;
SELECT pms.record_execution(:main, :bond, 'SELL', 30000, 100.00, '2025-03-03') IS NOT NULL AS ok;
SELECT pms.record_execution(:main, :aapl, 'BUY', 100, 180, '2025-01-10', '2025-01-14') IS NOT NULL AS ok;
SELECT pms.record_execution(:main, :fund, 'BUY', 123.456789, 72.15, '2025-01-10') IS NOT NULL AS ok;
SELECT pms.record_execution(:main, :sap, 'BUY', 200, 190.5, '2025-01-10') IS NOT NULL AS ok;
SELECT pms.record_cash(:main, 'USD', -25.50, 'FEE', '2025-01-31') IS NOT NULL AS fee;
SELECT side, quantity, price, trade_date, settle_date, order_id FROM pms.executions ORDER BY seq;
SELECT count(*) AS generated, bool_and(substr(execution_id::text, 15, 1) = '7') AS version_7
FROM pms.executions WHERE execution_id <> :'e_bond_1';

-- today: the live projection; its numbers by hand:
--   bond: avg (100000 x 98.50 + 50000 x 99.25) / 150000 = 98.75; the sale realizes
--         (100 - 98.75) x 30000 x 0.01 = 375; cost basis 98.75 x 120000 x 0.01 = 118500
SELECT * FROM pms.positions(:main);
SELECT * FROM pms.cash_balances(:main);
-- as of dates in the past, on trade and on settle dates
SELECT * FROM pms.positions(:main, '2025-01-31');
SELECT * FROM pms.positions(:main, '2025-01-06');
SET pms.position_basis = 'settle';
SELECT * FROM pms.positions(:main, '2025-01-06');
SELECT * FROM pms.positions(:main, '2025-01-13');
RESET pms.position_basis;
SELECT * FROM pms.cash_balances(:main, '2025-01-06');
SELECT * FROM pms.cash_balances(:main, '2025-01-13');

-- a bust: invisible to reads known before it, applied to reads known after it
SELECT now() AS before_bust \gset
SELECT pms.cancel_execution(:'e_bond_1', 'busted by broker');
SELECT * FROM pms.positions(:main, known_at => :'before_bust');
SELECT * FROM pms.positions(:main);
SELECT * FROM pms.cash_balances(:main, known_at => :'before_bust');
SELECT * FROM pms.cash_balances(:main);
-- the correction: a backdated fill refolds the history
SELECT now() AS before_correction \gset
SELECT pms.record_execution(:main, :bond, 'BUY', 100000, 98.40, '2025-01-06') IS NOT NULL AS corrected;
SELECT * FROM pms.positions(:main);
SELECT * FROM pms.positions(:main, '2025-01-31', :'before_correction');
SELECT * FROM pms.positions(:main, '2025-01-31');

-- the settings drive the views, which say which date they were computed for
SET pms.as_of = '2025-01-31';
SELECT account_name, as_of, cusip, description, quantity, avg_cost FROM pms.account_positions ORDER BY description;
SELECT household_name, as_of, description, account_count, total_quantity, avg_cost FROM pms.household_positions ORDER BY description;
SELECT account_name, as_of, currency, balance FROM pms.account_cash ORDER BY currency;
SET pms.known_at = :'before_bust';
SELECT description, quantity, avg_cost FROM pms.account_positions ORDER BY description;
RESET pms.known_at;
RESET pms.as_of;

-- checkpoints: reads through one equal reads without; a backdated fill drops the ones it changes
SELECT pms.checkpoint_positions('2025-01-31') AS trade_checkpoints;
SELECT pms.checkpoint_positions('2025-01-31', basis => 'settle') AS settle_checkpoints;
SELECT basis, through_date, (state).quantity, (state).avg_cost FROM pms.position_checkpoints c
JOIN pms.instruments i USING (instrument_id) ORDER BY basis, i.description;
SELECT * FROM pms.positions(:main, '2025-03-31');
SELECT pms.record_execution(:main, :aapl, 'SELL', 40, 185, '2025-01-20') IS NOT NULL AS backdated;
SELECT basis, count(*) FROM pms.position_checkpoints GROUP BY basis ORDER BY basis;
SELECT * FROM pms.positions(:main, '2025-03-31');
SELECT * FROM pms.positions(:main, '2025-03-31', :'before_bust');

-- COPY goes through the same checks and projection as the command
COPY pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date) FROM stdin;
a0000000-0000-4000-8000-000000000001	b0000000-0000-4000-8000-000000000001	c0000000-0000-4000-8000-000000000002	BUY	10	190	2025-04-01
a0000000-0000-4000-8000-000000000001	b0000000-0000-4000-8000-000000000001	c0000000-0000-4000-8000-000000000002	SELL	70	200	2025-04-02
\.
SELECT * FROM pms.positions(:main);
SELECT quantity, avg_cost, realized_pnl, trade_count FROM pms.position_projection WHERE instrument_id = :aapl;

-- errors: a clear message, nothing written
SELECT (SELECT count(*) FROM pms.executions) AS executions_before,
       (SELECT count(*) FROM pms.cash_movements) AS cash_before \gset
CALL expect_error($$SELECT pms.record_execution(NULL, 'c0000000-0000-4000-8000-000000000002', 'BUY', 1, 1, '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_execution('b0000000-0000-4000-8000-0000000000ff', 'c0000000-0000-4000-8000-000000000002', 'BUY', 1, 1, '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_execution('b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-0000000000ff', 'BUY', 1, 1, '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_execution('b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'HOLD', 1, 1, '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_execution('b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'BUY', 0, 1, '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_execution('b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'BUY', -5, 1, '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_execution('b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'BUY', 'NaN', 1, '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_execution('b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'BUY', 1, -0.01, '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_execution('b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'BUY', 1, 1, NULL)$$);
CALL expect_error($$SELECT pms.record_execution('b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'BUY', 1, 1, '2025-01-10', '2025-01-09')$$);
CALL expect_error($$SELECT pms.record_execution('b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'SELL', 1000, 1, '2025-05-01')$$);
CALL expect_error($$SELECT pms.record_execution('b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'BUY', 1, 1, '2025-05-01', actor => '')$$);
CALL expect_error($$INSERT INTO pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date)
    VALUES ('a0000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'BUY', 1, 1, '2025-05-01')$$);
-- a COPY-sized batch with one bad row writes nothing
CALL expect_error($$INSERT INTO pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date)
    SELECT 'a0000000-0000-4000-8000-000000000001'::uuid, 'b0000000-0000-4000-8000-000000000001'::uuid, 'c0000000-0000-4000-8000-000000000002'::uuid,
           'BUY', 1, 100, DATE '2025-05-01' + g FROM generate_series(1, 999) g
    UNION ALL SELECT 'a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-0000000000ff',
           'BUY', 1, 100, DATE '2025-05-01'$$);
-- several bad rows: the error names the earliest (an unknown instrument, then an unknown account)
CALL expect_error($$INSERT INTO pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date) VALUES
    ('a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'BUY', 1, 1, '2025-05-01'),
    ('a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-0000000000ee', 'BUY', 1, 1, '2025-05-01'),
    ('a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-0000000000ee', 'c0000000-0000-4000-8000-000000000002', 'BUY', 1, 1, '2025-05-01'),
    ('a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-0000000000ee', 'BUY', 1, 1, '2025-05-02')$$);
CALL expect_error($$INSERT INTO pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date) VALUES
    ('a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-0000000000ee', 'c0000000-0000-4000-8000-000000000002', 'BUY', 1, 1, '2025-05-01'),
    ('a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-0000000000ee', 'BUY', 1, 1, '2025-05-01')$$);
CALL expect_error($$SELECT pms.cancel_execution('e0000000-0000-4000-8000-0000000000ff', 'typo')$$);
CALL expect_error($$SELECT pms.cancel_execution('e0000000-0000-4000-8000-000000000001', 'again')$$, show_detail => false);
CALL expect_error($$SELECT pms.cancel_execution('e0000000-0000-4000-8000-000000000001', ' ')$$);
CALL expect_error($$SELECT pms.record_cash('b0000000-0000-4000-8000-000000000001', 'USD', 10, 'GIFT', '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_cash('b0000000-0000-4000-8000-000000000001', 'USD', -10, 'DEPOSIT', '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_cash('b0000000-0000-4000-8000-000000000001', 'USD', 10, 'FEE', '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_cash('b0000000-0000-4000-8000-000000000001', 'USD', 0, 'DEPOSIT', '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_cash('b0000000-0000-4000-8000-000000000001', 'US$', 10, 'DEPOSIT', '2025-01-01')$$);
CALL expect_error($$SELECT pms.record_cash('b0000000-0000-4000-8000-000000000001', 'USD', 10, 'DEPOSIT', NULL)$$);
CALL expect_error($$SELECT pms.record_cash('b0000000-0000-4000-8000-0000000000ff', 'USD', 10, 'DEPOSIT', '2025-01-01')$$);
CALL expect_error($$INSERT INTO pms.cash_movements (household_id, account_id, currency, amount, kind, value_date)
    VALUES ('a0000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000001', 'USD', 5, 'DEPOSIT', '2025-01-01')$$);
CALL expect_error($$UPDATE pms.executions SET price = 0$$);
CALL expect_error($$DELETE FROM pms.cash_movements$$);
CALL expect_error($$TRUNCATE pms.execution_cancels$$);
CALL expect_error($$SET pms.as_of = 'yesterday-ish'$$);
CALL expect_error($$SET pms.known_at = 'soon'$$);
CALL expect_error($$SET pms.position_basis = 'value'$$);
CALL expect_error($$SELECT * FROM pms.positions(NULL)$$);
CALL expect_error($$SELECT pms.checkpoint_positions('2025-01-31', basis => 'value')$$);
CALL expect_error($$SELECT pms.add_business_days('2025-01-01', -1)$$);
SELECT (SELECT count(*) FROM pms.executions) - :executions_before AS executions_written,
       (SELECT count(*) FROM pms.cash_movements) - :cash_before AS cash_written;

-- shorts are allowed where the account says so
UPDATE pms.accounts SET allow_short = true WHERE account_id = :main;
SELECT pms.record_execution(:main, :aapl, 'SELL', 100, 210, '2025-05-02') IS NOT NULL AS short_sold;
SELECT quantity, avg_cost, cost_basis, realized_pnl FROM pms.positions(:main) WHERE instrument_id = :aapl;

-- a batch whose fills come out of date order, one of them too large for fixed point: the
-- projection equals the fold of the events and the cash the sum of the ledger
SELECT pms.create_account('a0000000-0000-4000-8000-000000000001', 'Large', 'joint', 'USD', 'tester', 'b0000000-0000-4000-8000-000000000003') IS NOT NULL AS created;
\set large '''b0000000-0000-4000-8000-000000000003'''
INSERT INTO pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date) VALUES
    ('a0000000-0000-4000-8000-000000000001', :large, :aapl, 'BUY', 10, 101.255, '2025-06-03'),
    ('a0000000-0000-4000-8000-000000000001', :large, :aapl, 'BUY', 5, 99.5, '2025-06-02'),
    ('a0000000-0000-4000-8000-000000000001', :large, :aapl, 'BUY', 1e30, 12345678.123456, '2025-06-04'),
    ('a0000000-0000-4000-8000-000000000001', :large, :sap, 'BUY', 3, 190.125, '2025-06-02'),
    ('a0000000-0000-4000-8000-000000000001', :large, :aapl, 'SELL', 7, 100, '2025-06-02');
SELECT i.description, p.quantity, p.avg_cost, p.realized_pnl, p.trade_count, p.last_trade_date,
       ROW(p.quantity, p.avg_cost, p.cost_basis, p.realized_pnl, p.trade_count)::pms.position_state = f.s AS equals_fold
FROM pms.position_projection p
JOIN pms.instruments i USING (instrument_id)
JOIN (SELECT e.instrument_id, pms.position_fold(e.side, e.quantity, e.price, i.price_multiplier ORDER BY e.trade_date, e.seq) AS s
      FROM pms.executions e JOIN pms.instruments i USING (instrument_id)
      WHERE e.account_id = :large GROUP BY e.instrument_id) f USING (instrument_id)
WHERE p.account_id = :large ORDER BY i.description;
SELECT c.currency, c.balance, c.balance = l.total AS equals_ledger, c.last_value_date
FROM pms.cash_projection c
JOIN (SELECT currency, sum(amount) AS total FROM pms.cash_ledger WHERE account_id = :large GROUP BY currency) l USING (currency)
WHERE c.account_id = :large ORDER BY c.currency;
