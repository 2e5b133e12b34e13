-- simulation_runs.sql: pms.run_rebalance_simulation (idempotent persistence, RFC §8),
-- pms.rebalance_runs and the pms.simulation_stats view.
\i test/fixtures/setup.sql
\set req_a `cat test/golden/a_cash_inflow.request.json`
\set req_c `cat test/golden/c_banned_liquidation.request.json`
\set req_e `cat test/golden/e_infeasible_concentration.request.json`
\set req_h `cat test/golden/h_soft_breach_pending_review.request.json`

-- a first call stores the run and returns exactly what simulate_rebalance returns
SELECT pms.run_rebalance_simulation(:'req_a', 'key-a', 'corr-1') = pms.simulate_rebalance(:'req_a') AS same_as_simulate;
SELECT idempotency_key, rebalance_run_id = 'rr_' || left(request_hash, 16) AS run_id_from_hash,
       request_hash = encode(sha256(convert_to(request::text, 'UTF8')), 'hex') AS hash_of_request,
       portfolio_id, status, correlation_id, elapsed_ms >= 0 AS timed
FROM pms.rebalance_runs ORDER BY run_seq;

-- a retry with the same key and the same request returns the stored result and stores nothing
SELECT pms.run_rebalance_simulation(:'req_a', 'key-a', 'corr-2') = result AS replayed
FROM pms.rebalance_runs WHERE idempotency_key = 'key-a';
-- key order and whitespace do not change the canonical request
SELECT pms.run_rebalance_simulation(jsonb_pretty(:'req_a'::jsonb)::jsonb, 'key-a') ->> 'status' AS replayed_status;
SELECT count(*) AS runs FROM pms.rebalance_runs;

-- the same key with a different request is a conflict (HTTP 409): 23505
CALL expect_error(format('SELECT pms.run_rebalance_simulation(%L, %L)', :'req_c', 'key-a'));
CALL expect_error($$SELECT pms.run_rebalance_simulation(NULL, 'k')$$);
CALL expect_error($$SELECT pms.run_rebalance_simulation('{}', NULL)$$);
CALL expect_error($$SELECT pms.run_rebalance_simulation('{}', '  ')$$);
-- a malformed request stores nothing
CALL expect_error($$SELECT pms.run_rebalance_simulation('{"portfolio_snapshot": {}}', 'key-bad')$$);
SELECT count(*) AS runs FROM pms.rebalance_runs;

-- more runs for the statistics; the correlation id falls back to pms.correlation_id
SET pms.correlation_id = 'req-from-setting';
SELECT pms.run_rebalance_simulation(:'req_c', 'key-c') ->> 'status' AS c;
RESET pms.correlation_id;
SELECT pms.run_rebalance_simulation(:'req_e', 'key-e', 'corr-e') ->> 'status' AS e;
SELECT pms.run_rebalance_simulation(:'req_h', 'key-h', 'corr-h') ->> 'status' AS h;
-- without any correlation id one is generated
SELECT pms.run_rebalance_simulation(:'req_a', 'key-a2') ->> 'status' AS a2;
SELECT idempotency_key, status, correlation_id ~ '^corr_[0-9a-f-]{36}$' AS generated,
       CASE WHEN correlation_id LIKE 'corr_%-%' THEN '(generated)' ELSE correlation_id END AS correlation_id
FROM pms.rebalance_runs ORDER BY run_seq;

SELECT metric, label, runs FROM pms.simulation_stats WHERE metric <> 'latency_bucket' ORDER BY metric, label;
SELECT sum(runs) AS timed_runs FROM pms.simulation_stats WHERE metric = 'latency_bucket';

-- runs are append-only
CALL expect_error($$UPDATE pms.rebalance_runs SET status = 'READY'$$);
CALL expect_error($$DELETE FROM pms.rebalance_runs$$);
