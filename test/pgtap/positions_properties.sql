-- test/pgtap/positions_properties.sql: properties of positions on a random event stream
-- (fixed seed).  The stream is loaded in several committed batches, some backdated, with
-- busts and checkpoints in between, so that knowledge time really advances:
--   projection = fold of all events = pms.positions(account, far future);
--   pms.positions(account, D, T) = an independent recursive-SQL fold of the events dated
--   by D, known at T; cash_balances likewise against a plain sum.
-- Runs outside one transaction on purpose (each batch must commit); the data it leaves
-- uses its own household.
SELECT plan(7);
SELECT setseed(0.20261121);

SELECT pms.create_household('Property Household', 'tap', 'f0000000-0000-4000-8000-000000000001');
SELECT pms.create_account('f0000000-0000-4000-8000-000000000001', 'Prop ' || a, 'other', 'USD', 'tap',
                          ('f1000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid)
FROM generate_series(1, 12) a;
UPDATE pms.accounts SET allow_short = true WHERE household_id = 'f0000000-0000-4000-8000-000000000001';
INSERT INTO pms.instruments (instrument_id, description, asset_class, currency, coupon_rate, maturity_date)
SELECT ('f2000000-0000-4000-8000-' || lpad(k::text, 12, '0'))::uuid, 'Prop bond ' || k, 'BOND', 'USD', 0.04, DATE '2040-01-15'
FROM generate_series(1, 3) k;
INSERT INTO pms.instruments (instrument_id, description, asset_class, currency)
SELECT ('f2000000-0000-4000-8000-' || lpad(k::text, 12, '0'))::uuid, 'Prop share ' || k, 'EQUITY', 'USD'
FROM generate_series(4, 5) k;

CREATE TEMP TABLE knowledge (t timestamptz);
-- One batch: n random fills dated within [from, from + span), committed on its own.
CREATE TEMP TABLE batch_spec (batch int, n int, from_date date, span int);
INSERT INTO batch_spec VALUES (1, 300, '2024-01-01', 365), (2, 200, '2024-07-01', 365),
    (3, 150, '2024-01-01', 200), (4, 250, '2025-01-01', 300), (5, 100, '2024-03-01', 500);

-- Draws the fills of one batch (deterministic under the seed).
CREATE FUNCTION pg_temp.load_batch(b int) RETURNS void LANGUAGE sql AS $$
    INSERT INTO pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date)
    SELECT 'f0000000-0000-4000-8000-000000000001',
           ('f1000000-0000-4000-8000-' || lpad((1 + floor(random() * 12))::int::text, 12, '0'))::uuid,
           ('f2000000-0000-4000-8000-' || lpad((1 + floor(random() * 5))::int::text, 12, '0'))::uuid,
           CASE WHEN random() < 0.55 THEN 'BUY' ELSE 'SELL' END,
           (1 + floor(random() * 50)) * 100,
           round((90 + random() * 20)::numeric, 4),
           s.from_date + floor(random() * s.span)::int
    FROM batch_spec s, generate_series(1, s.n) WHERE s.batch = b;
$$;

SELECT pg_temp.load_batch(1);
INSERT INTO knowledge SELECT clock_timestamp();
SELECT pg_temp.load_batch(2);
INSERT INTO knowledge SELECT clock_timestamp();
SELECT pms.checkpoint_positions('2024-06-30');
SELECT pms.checkpoint_positions('2024-06-30', basis => 'settle');
SELECT pg_temp.load_batch(3);
INSERT INTO knowledge SELECT clock_timestamp();
SELECT pms.cancel_execution(execution_id, 'property bust')
FROM (SELECT execution_id FROM pms.executions WHERE household_id = 'f0000000-0000-4000-8000-000000000001'
      ORDER BY md5(execution_id::text || seq) LIMIT 25) x;
INSERT INTO knowledge SELECT clock_timestamp();
SELECT pms.checkpoint_positions('2024-12-31');
SELECT pg_temp.load_batch(4);
INSERT INTO knowledge SELECT clock_timestamp();
SELECT pg_temp.load_batch(5);
INSERT INTO knowledge SELECT clock_timestamp();
SELECT pms.record_cash(account_id, 'USD', 1000 * a, 'DEPOSIT', DATE '2024-01-01' + a::int * 20)
FROM (SELECT account_id, row_number() OVER (ORDER BY account_id) AS a FROM pms.accounts
      WHERE household_id = 'f0000000-0000-4000-8000-000000000001') x;
INSERT INTO knowledge SELECT clock_timestamp();

-- The reference: a recursive fold in plain SQL, independent of pms.position_fold.
CREATE FUNCTION pg_temp.reference_positions(acct uuid, day date, known timestamptz, on_settle boolean DEFAULT false)
RETURNS TABLE (instrument_id uuid, quantity numeric, avg_cost numeric, cost_basis numeric, realized_pnl numeric)
LANGUAGE sql AS $$
    WITH RECURSIVE ev AS (
        SELECT e.instrument_id,
               row_number() OVER (PARTITION BY e.instrument_id
                                  ORDER BY CASE WHEN on_settle THEN e.settle_date ELSE e.trade_date END, e.seq) AS n,
               CASE e.side WHEN 'BUY' THEN e.quantity ELSE -e.quantity END AS d, e.price, i.price_multiplier AS m
        FROM pms.executions e JOIN pms.instruments i ON i.instrument_id = e.instrument_id
        WHERE e.account_id = acct AND CASE WHEN on_settle THEN e.settle_date ELSE e.trade_date END <= day
          AND e.recorded_at <= known
          AND NOT EXISTS (SELECT 1 FROM pms.execution_cancels c
                          WHERE c.execution_id = e.execution_id AND c.recorded_at <= known)
    ), f (instrument_id, n, qty, avg, realized, m) AS (
        SELECT DISTINCT ev.instrument_id, 0::bigint, 0::numeric, NULL::numeric, 0::numeric, NULL::numeric FROM ev
        UNION ALL
        SELECT f.instrument_id, f.n + 1, f.qty + ev.d,
               CASE WHEN f.qty = 0 OR sign(f.qty) = sign(ev.d)
                        THEN round((coalesce(f.avg, 0) * abs(f.qty) + ev.price * abs(ev.d)) / (abs(f.qty) + abs(ev.d)), 10)
                    WHEN f.qty + ev.d = 0 THEN NULL
                    WHEN sign(f.qty + ev.d) = sign(ev.d) THEN ev.price
                    ELSE f.avg END,
               f.realized + CASE WHEN f.qty <> 0 AND sign(f.qty) <> sign(ev.d)
                                 THEN sign(f.qty) * (ev.price - f.avg) * least(abs(ev.d), abs(f.qty)) * ev.m
                                 ELSE 0 END,
               ev.m
        FROM f JOIN ev ON ev.instrument_id = f.instrument_id AND ev.n = f.n + 1
    )
    SELECT DISTINCT ON (f.instrument_id) f.instrument_id, f.qty, f.avg, coalesce(f.avg * f.qty * f.m, 0), f.realized
    FROM f ORDER BY f.instrument_id, f.n DESC
$$;

-- Samples: every account at a spread of dates and knowledge times.
CREATE TEMP TABLE samples AS
SELECT a.account_id, d.day, k.t
FROM pms.accounts a
CROSS JOIN (VALUES (DATE '2024-03-31'), ('2024-06-30'), ('2024-09-15'), ('2024-12-31'), ('2025-06-30'), ('2026-12-31')) d(day)
CROSS JOIN (SELECT t FROM knowledge UNION ALL SELECT 'infinity') k
WHERE a.household_id = 'f0000000-0000-4000-8000-000000000001';

SELECT ok((SELECT count(*) FROM pms.executions WHERE household_id = 'f0000000-0000-4000-8000-000000000001') = 1000
          AND (SELECT count(*) FROM pms.position_checkpoints WHERE household_id = 'f0000000-0000-4000-8000-000000000001') > 0,
          'the stream holds 1000 fills and some checkpoints survived the backdated batches');

SELECT is_empty($$
    SELECT p.account_id, p.instrument_id, p.quantity, p.avg_cost, p.cost_basis, p.realized_pnl
    FROM pms.position_projection p WHERE p.household_id = 'f0000000-0000-4000-8000-000000000001'
    EXCEPT
    SELECT a.account_id, r.instrument_id, r.quantity, r.avg_cost, r.cost_basis, r.realized_pnl
    FROM pms.accounts a, pg_temp.reference_positions(a.account_id, 'infinity', 'infinity') r
$$, 'the live projection equals the reference fold of every event');

SELECT is_empty($$
    SELECT a.account_id, r.instrument_id, r.quantity, r.avg_cost, r.cost_basis, r.realized_pnl
    FROM pms.accounts a, pg_temp.reference_positions(a.account_id, 'infinity', 'infinity') r
    WHERE a.household_id = 'f0000000-0000-4000-8000-000000000001'
    EXCEPT
    SELECT p.account_id, p.instrument_id, p.quantity, p.avg_cost, p.cost_basis, p.realized_pnl
    FROM pms.position_projection p
$$, 'every reference position is in the projection');

SELECT is_empty($$
    SELECT a.account_id, p.* FROM pms.accounts a, pms.positions(a.account_id, '2100-01-01') p
    WHERE a.household_id = 'f0000000-0000-4000-8000-000000000001'
    EXCEPT
    SELECT account_id, instrument_id, quantity, avg_cost, cost_basis, realized_pnl, last_trade_date
    FROM pms.position_projection WHERE quantity <> 0
$$, 'positions as of the far future equal the projection');

SELECT is((SELECT count(*) FROM samples s,
                  LATERAL (SELECT count(*) AS n FROM (
                      (SELECT instrument_id, quantity, avg_cost, cost_basis, realized_pnl FROM pms.positions(s.account_id, s.day, s.t)
                       EXCEPT SELECT * FROM pg_temp.reference_positions(s.account_id, s.day, s.t) WHERE quantity <> 0)
                      UNION ALL
                      (SELECT * FROM pg_temp.reference_positions(s.account_id, s.day, s.t) WHERE quantity <> 0
                       EXCEPT SELECT instrument_id, quantity, avg_cost, cost_basis, realized_pnl FROM pms.positions(s.account_id, s.day, s.t))) x) d
           WHERE d.n > 0), 0::bigint,
   'positions(account, D, T) equals the reference for every sampled date and knowledge time (trade basis)');

SET pms.position_basis = 'settle';
SELECT is((SELECT count(*) FROM samples s,
                  LATERAL (SELECT count(*) AS n FROM (
                      (SELECT instrument_id, quantity, avg_cost, cost_basis, realized_pnl FROM pms.positions(s.account_id, s.day, s.t)
                       EXCEPT SELECT * FROM pg_temp.reference_positions(s.account_id, s.day, s.t, true) WHERE quantity <> 0)
                      UNION ALL
                      (SELECT * FROM pg_temp.reference_positions(s.account_id, s.day, s.t, true) WHERE quantity <> 0
                       EXCEPT SELECT instrument_id, quantity, avg_cost, cost_basis, realized_pnl FROM pms.positions(s.account_id, s.day, s.t))) x) d
           WHERE d.n > 0), 0::bigint,
   'positions(account, D, T) equals the reference on the settle basis too');
RESET pms.position_basis;

SELECT is((SELECT count(*) FROM samples s
           WHERE (SELECT coalesce(sum(balance), 0) FROM pms.cash_balances(s.account_id, s.day, s.t))
              <> (SELECT coalesce(sum(m.amount), 0) FROM pms.cash_movements m
                  WHERE m.account_id = s.account_id AND m.value_date <= s.day AND m.recorded_at <= s.t)
               + (SELECT coalesce(sum(round(CASE e.side WHEN 'BUY' THEN -1 ELSE 1 END * e.quantity * e.price * i.price_multiplier, 2)), 0)
                  FROM pms.executions e JOIN pms.instruments i ON i.instrument_id = e.instrument_id
                  WHERE e.account_id = s.account_id AND e.settle_date <= s.day AND e.recorded_at <= s.t
                    AND NOT EXISTS (SELECT 1 FROM pms.execution_cancels c
                                    WHERE c.execution_id = e.execution_id AND c.recorded_at <= s.t))), 0::bigint,
   'cash_balances(account, D, T) equals a plain sum of the flows known at T');

SELECT * FROM finish();
