#!/usr/bin/env bash
# bench/simulate.sh: latency and throughput of pms.simulate_rebalance (issue 6).
# Builds deterministic requests of 50 and 500 positions (USD base, EUR and GBP holdings,
# a single position cap, four rules), then times each call inside one backend (one core)
# and prints p50/p99/max latency and requests per second.  Figures only, never pass/fail.
# Usage: bash bench/simulate.sh [iterations]   (port: PMS_BENCH_PORT, default 55434)
source "$(dirname "$0")/../scripts/lib.sh"

ITER=${1:-2000}
PORT=${PMS_BENCH_PORT:-55434}

ensure_packages
build_and_install
start_cluster bench "$PORT" postgres 0
trap stop_cluster EXIT

psql -X -q -d postgres -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pms CASCADE;
CREATE EXTENSION pms;
RESET client_min_messages;

-- A deterministic request with n positions (and n model targets over the same instruments).
CREATE OR REPLACE FUNCTION pg_temp.bench_request(n int) RETURNS jsonb LANGUAGE sql AS \$\$
    SELECT jsonb_build_object(
        'portfolio_snapshot', jsonb_build_object('portfolio_id', 'bench', 'base_currency', 'USD',
            'as_of', '2026-02-13T10:00:00Z',
            'positions', (SELECT jsonb_agg(jsonb_build_object('instrument_id', 'SEC' || lpad(i::text, 4, '0'),
                                                              'quantity', 10 + (i * 37) % 400)) FROM generate_series(1, n) i),
            'cash_balances', jsonb_build_array(jsonb_build_object('currency', 'USD', 'amount', 250000.00),
                                               jsonb_build_object('currency', 'EUR', 'amount', 1000.00))),
        'market_data_snapshot', jsonb_build_object('snapshot_id', 'md', 'as_of', '2026-02-13T10:05:00Z',
            'prices', (SELECT jsonb_agg(jsonb_build_object('instrument_id', 'SEC' || lpad(i::text, 4, '0'),
                                                           'price', round(5 + (i * 7919 % 30000) / 100.0, 2),
                                                           'currency', (ARRAY['USD', 'USD', 'EUR', 'GBP'])[1 + i % 4]))
                       FROM generate_series(1, n) i),
            'fx_rates', jsonb_build_array(jsonb_build_object('currency', 'EUR', 'rate', 1.085),
                                          jsonb_build_object('currency', 'GBP', 'rate', 1.27))),
        'model_portfolio', jsonb_build_object('model_portfolio_id', 'm',
            'targets', (SELECT jsonb_agg(jsonb_build_object('instrument_id', 'SEC' || lpad(i::text, 4, '0'),
                                                            'weight', round(0.95 / n * (0.5 + (i % 3) * 0.5), 6)))
                        FROM generate_series(1, n) i)),
        'shelf_entries', (SELECT jsonb_agg(jsonb_build_object('instrument_id', 'SEC' || lpad(i::text, 4, '0'),
                                                              'status', CASE WHEN i % 25 = 0 THEN 'BANNED' ELSE 'APPROVED' END,
                                                              'asset_class', (ARRAY['EQUITY', 'ETF', 'BOND', 'FUND'])[1 + i % 4],
                                                              'min_notional', 50))
                          FROM generate_series(1, n) i),
        'policy', jsonb_build_object('policy_version', 'v1', 'single_position_max_weight', 0.10,
            'rules', jsonb_build_array(
                jsonb_build_object('rule_id', 'r1', 'type', 'MAX_POSITION_WEIGHT', 'severity', 'HARD', 'limit', 0.12),
                jsonb_build_object('rule_id', 'r2', 'type', 'MIN_CASH_WEIGHT', 'severity', 'SOFT', 'limit', 0.01),
                jsonb_build_object('rule_id', 'r3', 'type', 'MAX_ASSET_CLASS_WEIGHT', 'severity', 'SOFT', 'limit', 0.5, 'asset_class', 'EQUITY'),
                jsonb_build_object('rule_id', 'r4', 'type', 'NO_NEGATIVE_CASH', 'severity', 'SOFT'))))
\$\$;

-- Times iter calls (after 50 warm-up calls) and returns p50, p99, max (ms) and calls/s.
CREATE OR REPLACE FUNCTION pg_temp.bench(req jsonb, iter int)
RETURNS TABLE (positions int, calls int, p50_ms numeric, p99_ms numeric, max_ms numeric, calls_per_s numeric, intents int, status text)
LANGUAGE plpgsql AS \$\$
DECLARE
    t timestamptz; total interval := '0'; samples float8[] := '{}'; d float8; res jsonb;
BEGIN
    FOR i IN 1..50 LOOP res := pms.simulate_rebalance(req); END LOOP;
    FOR i IN 1..iter LOOP
        t := clock_timestamp();
        res := pms.simulate_rebalance(req);
        d := extract(epoch FROM clock_timestamp() - t) * 1000;
        samples := samples || d;
    END LOOP;
    RETURN QUERY
    SELECT jsonb_array_length(req #> '{portfolio_snapshot,positions}'), iter,
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s)::numeric, 3),
           round(percentile_cont(0.99) WITHIN GROUP (ORDER BY s)::numeric, 3),
           round(max(s)::numeric, 3),
           round(iter / (sum(s) / 1000)::numeric, 0),
           jsonb_array_length(res -> 'intents'), res ->> 'status'
    FROM unnest(samples) s;
END
\$\$;

\echo 'pms.simulate_rebalance, one backend (one core); latency of single calls inside the server:'
SELECT * FROM pg_temp.bench(pg_temp.bench_request(50), $ITER)
UNION ALL
SELECT * FROM pg_temp.bench(pg_temp.bench_request(500), greatest($ITER / 10, 100));
\echo 'request and response sizes (bytes of jsonb text):'
SELECT n AS positions, length(pg_temp.bench_request(n)::text) AS request_bytes,
       length(pms.simulate_rebalance(pg_temp.bench_request(n))::text) AS response_bytes
FROM (VALUES (50), (500)) v(n);
SQL
