-- snapshot_request.sql: a simulation request built from the book, completed by the caller and simulated.
\i test/fixtures/setup.sql
SELECT pms.create_household('Snap Family', 'tester', 'd0000000-0000-4000-8000-000000000001') \gset
SELECT pms.create_account('d0000000-0000-4000-8000-000000000001', 'Snap', 'joint', 'USD', 'tester', 'd1000000-0000-4000-8000-000000000001') \gset
INSERT INTO pms.instruments (instrument_id, cusip, description, asset_class, currency, coupon_rate, maturity_date) VALUES
    ('d2000000-0000-4000-8000-000000000001', '91282CLW9', 'UST 4.25% 2034', 'BOND', 'USD', 0.0425, '2034-11-15');
INSERT INTO pms.instruments (instrument_id, ticker, description, asset_class, currency) VALUES
    ('d2000000-0000-4000-8000-000000000002', 'IVV', 'S&P 500 ETF', 'FUND', 'USD'),
    ('d2000000-0000-4000-8000-000000000003', NULL, 'Mutual fund', 'FUND', 'USD');
SELECT pms.record_cash('d1000000-0000-4000-8000-000000000001', 'USD', 200000, 'DEPOSIT', '2025-01-02') IS NOT NULL AS deposited;
SELECT pms.record_execution('d1000000-0000-4000-8000-000000000001', 'd2000000-0000-4000-8000-000000000001', 'BUY', 100000, 98.5, '2025-01-06') IS NOT NULL AS ok;
SELECT pms.record_execution('d1000000-0000-4000-8000-000000000001', 'd2000000-0000-4000-8000-000000000002', 'BUY', 50, 500, '2025-01-06') IS NOT NULL AS ok;
SELECT pms.record_execution('d1000000-0000-4000-8000-000000000001', 'd2000000-0000-4000-8000-000000000003', 'BUY', 100.5, 20, '2025-01-06') IS NOT NULL AS ok;

-- the skeleton, as of a fixed time after everything was recorded (the stamp is in the ids)
SELECT jsonb_pretty(pms.snapshot_request('d1000000-0000-4000-8000-000000000001', ' balanced ', now()) #- '{portfolio_snapshot,snapshot_id}'
                    #- '{portfolio_snapshot,as_of}' #- '{market_data_snapshot,snapshot_id}' #- '{market_data_snapshot,as_of}');
-- as of a time before anything was recorded: nothing was known then (knowledge time is respected)
SELECT r->'portfolio_snapshot'->'positions' AS positions, r->'portfolio_snapshot'->'cash_balances' AS cash
FROM (SELECT pms.snapshot_request('d1000000-0000-4000-8000-000000000001', 'balanced', '2025-01-03 12:00+00') AS r) x;

-- completed with prices per unit (bond price x 0.01 per unit of face) and targets, it simulates
WITH r AS (SELECT pms.snapshot_request('d1000000-0000-4000-8000-000000000001', 'balanced', now()) AS r)
SELECT s->>'status' AS status, i->>'side' AS side, i->>'instrument_id' AS instrument, i->>'quantity' AS quantity,
       i->'notional_estimated'->>'amount' AS notional, i->'rationale'->>'code' AS why
FROM r, pms.simulate_rebalance(jsonb_set(jsonb_set(r.r,
        '{market_data_snapshot,prices}',
        '[{"instrument_id": "d2000000-0000-4000-8000-000000000001", "price": 0.99, "currency": "USD"},
          {"instrument_id": "d2000000-0000-4000-8000-000000000002", "price": 520, "currency": "USD"},
          {"instrument_id": "d2000000-0000-4000-8000-000000000003", "price": 21, "currency": "USD"}]'),
        '{model_portfolio,targets}',
        '[{"instrument_id": "d2000000-0000-4000-8000-000000000001", "weight": 0.5},
          {"instrument_id": "d2000000-0000-4000-8000-000000000002", "weight": 0.3},
          {"instrument_id": "d2000000-0000-4000-8000-000000000003", "weight": 0.1}]')) AS s,
     jsonb_array_elements(s->'intents') WITH ORDINALITY AS o(i, n)
ORDER BY o.n;

-- errors
CALL expect_error($$SELECT pms.snapshot_request(NULL, 'm')$$);
CALL expect_error($$SELECT pms.snapshot_request('d1000000-0000-4000-8000-0000000000ff', 'm')$$);
CALL expect_error($$SELECT pms.snapshot_request('d1000000-0000-4000-8000-000000000001', '  ')$$);
UPDATE pms.accounts SET allow_short = true WHERE account_id = 'd1000000-0000-4000-8000-000000000001';
SELECT pms.record_execution('d1000000-0000-4000-8000-000000000001', 'd2000000-0000-4000-8000-000000000002', 'SELL', 80, 510, '2025-02-03') IS NOT NULL AS went_short;
CALL expect_error($$SELECT pms.snapshot_request('d1000000-0000-4000-8000-000000000001', 'm')$$);
