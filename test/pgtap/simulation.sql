-- test/pgtap/simulation.sql: rebalance simulator objects and properties of the pipeline on
-- random requests (fixed seed): determinism, intent order, sizing rules, status rules, and
-- trade sizes and totals equal to an independent numeric (SQL) reference.
BEGIN;
SELECT plan(18);

SELECT has_function('pms', 'simulate_rebalance', ARRAY['jsonb']);
SELECT volatility_is('pms', 'simulate_rebalance', ARRAY['jsonb'], 'stable');
SELECT has_function('pms', 'run_rebalance_simulation', ARRAY['jsonb', 'text', 'text']);
SELECT has_table('pms'::name, 'rebalance_runs'::name);
SELECT col_is_unique('pms'::name, 'rebalance_runs'::name, ARRAY['idempotency_key']::name[], 'idempotency_key is unique');
SELECT has_view('pms'::name, 'simulation_stats'::name, 'view simulation_stats exists');

-- A random but valid request (seq only makes each call distinct): 1-8 instruments, USD base with EUR/GBP, random shelf and cap.
CREATE FUNCTION pg_temp.random_request(seq int) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    n int := 1 + floor(random() * 8)::int;
    positions jsonb := '[]'; prices jsonb := '[]'; targets jsonb := '[]'; shelf jsonb := '[]';
    budget numeric := 1; w numeric; ccy text; id text; cls text; st text; i int;
BEGIN
    FOR i IN 1..n LOOP
        id := 'I' || lpad(i::text, 2, '0');
        ccy := (ARRAY['USD', 'USD', 'EUR', 'GBP'])[1 + floor(random() * 4)::int];
        cls := (ARRAY['EQUITY', 'EQUITY', 'ETF', 'BOND', 'FUND'])[1 + floor(random() * 5)::int];
        st := (ARRAY['APPROVED', 'APPROVED', 'APPROVED', 'RESTRICTED', 'BANNED', 'SUSPENDED'])[1 + floor(random() * 6)::int];
        IF random() < 0.6 THEN
            positions := positions || jsonb_build_object('instrument_id', id, 'quantity', floor(random() * 500));
        END IF;
        IF random() < 0.8 THEN
            w := round((random() * budget * 0.6)::numeric, 4);
            budget := budget - w;
            targets := targets || jsonb_build_object('instrument_id', id, 'weight', w);
        END IF;
        prices := prices || jsonb_build_object('instrument_id', id, 'price', round((1 + random() * 300)::numeric, 3), 'currency', ccy);
        IF random() < 0.95 THEN
            shelf := shelf || jsonb_build_object('instrument_id', id, 'status', st, 'asset_class', cls,
                                                 'min_notional', round((random() * 200)::numeric, 2));
        END IF;
    END LOOP;
    RETURN jsonb_build_object(
        'portfolio_snapshot', jsonb_build_object('portfolio_id', 'pf', 'base_currency', 'USD', 'as_of', '2026-02-13T10:00:00Z',
            'positions', positions,
            'cash_balances', jsonb_build_array(jsonb_build_object('currency', 'USD', 'amount', round((random() * 20000)::numeric, 2)),
                                               jsonb_build_object('currency', 'EUR', 'amount', round((random() * 2000 - 500)::numeric, 2)))),
        'market_data_snapshot', jsonb_build_object('snapshot_id', 'md', 'as_of', '2026-02-13T10:05:00Z', 'prices', prices,
            'fx_rates', jsonb_build_array(jsonb_build_object('currency', 'EUR', 'rate', 1.085), jsonb_build_object('currency', 'GBP', 'rate', 1.27))),
        'model_portfolio', jsonb_build_object('model_portfolio_id', 'm', 'targets', targets),
        'shelf_entries', shelf,
        'policy', jsonb_build_object('policy_version', 'v1', 'rules', jsonb_build_array(
            jsonb_build_object('rule_id', 'cash', 'type', 'NO_NEGATIVE_CASH', 'severity', 'SOFT'),
            jsonb_build_object('rule_id', 'pos', 'type', 'MAX_POSITION_WEIGHT', 'severity', 'HARD', 'limit', 0.5)))
          || CASE WHEN random() < 0.5 THEN jsonb_build_object('single_position_max_weight', 0.25) ELSE '{}' END);
END
$$;

SELECT setseed(0.17);
CREATE TEMP TABLE runs AS
    SELECT i, r AS req, pms.simulate_rebalance(r) AS res FROM generate_series(1, 300) i, LATERAL pg_temp.random_request(i) r;
CREATE TEMP TABLE intents AS
    SELECT i, req, res, e AS it, o
    FROM runs, jsonb_array_elements(res -> 'intents') WITH ORDINALITY x(e, o);

SELECT is((SELECT count(DISTINCT res ->> 'status') FROM runs), 3::bigint, 'the random requests reach all three statuses');
SELECT ok((SELECT count(*) FROM intents WHERE it ->> 'type' = 'FX_SPOT') > 10
          AND (SELECT count(*) FROM intents WHERE it #>> '{rationale,code}' = 'LIQUIDATION') > 10
          AND (SELECT count(*) FROM intents WHERE it #>> '{notional_estimated,currency}' = 'USD'
                                              AND it #>> '{rationale,code}' IN ('REBALANCE_DRIFT', 'CASH_INVESTMENT')) > 100,
          'the random requests produce FX funding, liquidations and many base-currency trades');

SELECT is_empty($$ SELECT i FROM runs WHERE pms.simulate_rebalance(req)::text <> res::text $$,
    'identical requests give byte-identical responses');

SELECT is_empty($$
    SELECT i FROM (
        SELECT i, o, (CASE WHEN it ->> 'type' = 'FX_SPOT' THEN 0 WHEN it ->> 'side' = 'SELL' THEN 1 ELSE 2 END) AS grp,
               it ->> 'instrument_id' AS id, it ->> 'intent_id' AS intent_id
        FROM intents) x
    WHERE intent_id <> 'oi_' || lpad(o::text, 2, '0')
       OR EXISTS (SELECT 1 FROM intents y
                  WHERE y.i = x.i AND y.o > x.o
                    AND ((CASE WHEN y.it ->> 'type' = 'FX_SPOT' THEN 0 WHEN y.it ->> 'side' = 'SELL' THEN 1 ELSE 2 END), y.it ->> 'instrument_id' COLLATE "C")
                        < (x.grp, x.id COLLATE "C"))
$$, 'intents are FX first, then sells, then buys, each by instrument_id, numbered in order');

SELECT is_empty($$
    SELECT i, it ->> 'instrument_id' FROM intents
    WHERE it ->> 'side' = 'SELL'
      AND (it ->> 'quantity')::numeric > (SELECT (p ->> 'quantity')::numeric FROM jsonb_array_elements(req #> '{portfolio_snapshot,positions}') p
                                          WHERE p ->> 'instrument_id' = it ->> 'instrument_id')
$$, 'no sell exceeds the held quantity');

SELECT is_empty($$
    SELECT i, it ->> 'instrument_id' FROM intents
    WHERE it ->> 'type' = 'SECURITY_TRADE'
      AND (SELECT s ->> 'asset_class' FROM jsonb_array_elements(req -> 'shelf_entries') s WHERE s ->> 'instrument_id' = it ->> 'instrument_id') <> 'FUND'
      AND (it ->> 'rationale')::jsonb ->> 'code' <> 'LIQUIDATION'
      AND (it ->> 'quantity')::numeric <> trunc((it ->> 'quantity')::numeric)
$$, 'unitized trades are whole units');

SELECT is_empty($$
    SELECT i FROM runs
    WHERE (res ->> 'status' = 'BLOCKED') <> (jsonb_array_length(res #> '{diagnostics,blocking_reasons}') > 0)
       OR (res ->> 'status' = 'PENDING_REVIEW') <> (jsonb_array_length(res #> '{diagnostics,blocking_reasons}') = 0
            AND EXISTS (SELECT 1 FROM jsonb_array_elements(res -> 'rule_results') rr
                        WHERE rr ->> 'severity' = 'SOFT' AND NOT (rr ->> 'passed')::boolean))
$$, 'BLOCKED iff a blocking reason, PENDING_REVIEW iff a failed SOFT rule and nothing blocks');

SELECT is_empty($$
    SELECT i FROM runs
    WHERE (SELECT array_agg(x ORDER BY x COLLATE "C") FROM (
              SELECT jsonb_array_elements_text(res #> '{universe,eligible}') x
              UNION ALL SELECT e ->> 'instrument_id' FROM jsonb_array_elements(res #> '{universe,excluded}') e) u)
       IS DISTINCT FROM
          (SELECT array_agg(x ORDER BY x COLLATE "C") FROM (
              SELECT p ->> 'instrument_id' x FROM jsonb_array_elements(req #> '{portfolio_snapshot,positions}') p
              UNION SELECT t ->> 'instrument_id' FROM jsonb_array_elements(req #> '{model_portfolio,targets}') t) m)
$$, 'eligible and excluded partition the holdings and model instruments');

SELECT is_empty($$
    SELECT i FROM intents b
    WHERE b.it ->> 'type' = 'SECURITY_TRADE' AND b.it ->> 'side' = 'BUY'
      AND EXISTS (SELECT 1 FROM intents f WHERE f.i = b.i AND f.it ->> 'type' = 'FX_SPOT'
                  AND f.it ->> 'instrument_id' = b.it #>> '{notional_estimated,currency}'
                  AND NOT (b.it -> 'dependencies') ? (f.it ->> 'intent_id'))
$$, 'every buy in a funded currency depends on its FX intent');

SELECT is_empty($$
    SELECT i FROM runs
    WHERE res -> 'after_state' <> 'null'
      AND abs((SELECT sum((p ->> 'weight')::numeric) FROM jsonb_array_elements(res #> '{after_state,positions}') p)
              + (SELECT coalesce(sum((c ->> 'weight')::numeric), 0) FROM jsonb_array_elements(res #> '{after_state,cash_balances}') c)
              - 1) > 0.00001
$$, 'after-state weights sum to 1 (to rounding)');

-- Independent reference in numeric: total value before, and the size of every unitized
-- base-currency trade that is not capped, liquidated or a full exit.
SELECT is_empty($$
    SELECT i FROM runs
    WHERE res #> '{explanation,total_value_before}' <> 'null'
      AND (res #>> '{explanation,total_value_before,amount}')::numeric <> round(
          (SELECT coalesce(sum((c ->> 'amount')::numeric * CASE c ->> 'currency' WHEN 'EUR' THEN 1.085 WHEN 'GBP' THEN 1.27 ELSE 1 END), 0)
           FROM jsonb_array_elements(req #> '{portfolio_snapshot,cash_balances}') c)
        + (SELECT coalesce(sum((p ->> 'quantity')::numeric * (pr ->> 'price')::numeric
                               * CASE pr ->> 'currency' WHEN 'EUR' THEN 1.085 WHEN 'GBP' THEN 1.27 ELSE 1 END), 0)
           FROM jsonb_array_elements(req #> '{portfolio_snapshot,positions}') p
           JOIN jsonb_array_elements(req #> '{market_data_snapshot,prices}') pr ON pr ->> 'instrument_id' = p ->> 'instrument_id'), 2)
$$, 'total value before equals the numeric reference');

SELECT is_empty($$
    SELECT i, it ->> 'instrument_id', it ->> 'quantity', ref FROM (
        SELECT i, it, floor(abs(tw * (res #>> '{explanation,total_value_before,amount}')::numeric - held * price) / price) AS ref
        FROM (SELECT i, res, it,
                     (SELECT (e ->> 'target_weight')::numeric FROM jsonb_array_elements(res #> '{explanation,instruments}') e
                      WHERE e ->> 'instrument_id' = it ->> 'instrument_id') AS tw,
                     coalesce((SELECT (p ->> 'quantity')::numeric FROM jsonb_array_elements(req #> '{portfolio_snapshot,positions}') p
                               WHERE p ->> 'instrument_id' = it ->> 'instrument_id'), 0) AS held,
                     (SELECT (pr ->> 'price')::numeric FROM jsonb_array_elements(req #> '{market_data_snapshot,prices}') pr
                      WHERE pr ->> 'instrument_id' = it ->> 'instrument_id') AS price,
                     (SELECT s ->> 'asset_class' FROM jsonb_array_elements(req -> 'shelf_entries') s
                      WHERE s ->> 'instrument_id' = it ->> 'instrument_id') AS cls
              FROM intents
              WHERE it ->> 'type' = 'SECURITY_TRADE' AND it #>> '{notional_estimated,currency}' = 'USD'
                AND it #>> '{rationale,code}' IN ('REBALANCE_DRIFT', 'CASH_INVESTMENT')) t
        WHERE cls <> 'FUND' AND tw > 0
          -- the total is compared at 2 decimals: skip trades within a cent of a unit boundary
          AND abs(tw * (res #>> '{explanation,total_value_before,amount}')::numeric - held * price) / price
              - floor(abs(tw * (res #>> '{explanation,total_value_before,amount}')::numeric - held * price) / price) > 0.001) z
    WHERE (it ->> 'quantity')::numeric <> ref
$$, 'unitized trade sizes equal floor(|target - current| / price) computed in numeric');

SELECT * FROM finish();
ROLLBACK;
