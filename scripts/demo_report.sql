-- scripts/demo_report.sql: what an advisor looks at first, printed by scripts/demo.sh.
\pset footer off
\echo
-- The sample book's market data end on 2026-11-20, so the valued screens are read as of that
-- day (prices older than pms.max_price_age = 5 days would show as stale).
\echo '== Households, valued as of 2026-11-20 (SET pms.as_of = ''2026-11-20'')'
SET pms.as_of = '2026-11-20';
SELECT name AS household, account_count AS accounts, currency, market_value, total_value,
       stale_positions AS stale, last_activity
FROM pms.household_list ORDER BY name;

\echo '== Accounts'
SELECT name AS account, household_name AS household, base_currency AS ccy, market_value, total_value,
       round(duration::numeric, 2) AS duration, last_activity
FROM pms.account_list ORDER BY household_name, name;

\echo '== Account detail: Whitman Joint Brokerage'
\x on
SELECT a.name AS account, a.household_name AS household, a.account_type, a.base_currency, a.created_at::date AS opened,
       x.market_value, x.accrued_interest, x.cash, x.total_value, round(x.duration::numeric, 3) AS duration,
       round(x.dv01::numeric, 2) AS dv01, round(x.cash_pct::numeric, 4) AS cash_pct, x.bucket_weights::text AS bucket_weights
FROM pms.account_list a, pms.account_analytics(a.account_id) x
WHERE a.account_id = '20000000-0000-4000-8000-000000000001';
\x off
SELECT coalesce(cusip, '') AS cusip, description, quantity, round(avg_cost, 4) AS avg_cost, price, price_source AS source,
       market_value, accrued_interest AS accrued, round(weight::numeric, 4) AS weight,
       round(duration::numeric, 3) AS duration, round(dv01::numeric, 2) AS dv01, maturity_bucket AS bucket, stale
FROM pms.valued_positions('20000000-0000-4000-8000-000000000001')
ORDER BY description;
\echo '== Cash'
SELECT currency, balance FROM pms.cash_balances('20000000-0000-4000-8000-000000000001');

\echo '== The same account as of 2025-06-30 (SET pms.as_of = ''2025-06-30'')'
SET pms.as_of = '2025-06-30';
SELECT coalesce(cusip, '') AS cusip, description, quantity, round(avg_cost, 4) AS avg_cost, price, price_source AS source,
       market_value, round(duration::numeric, 3) AS duration, stale
FROM pms.valued_positions('20000000-0000-4000-8000-000000000001')
ORDER BY description;
SELECT market_value, cash, total_value, round(duration::numeric, 3) AS duration, round(dv01::numeric, 2) AS dv01
FROM pms.account_analytics('20000000-0000-4000-8000-000000000001');
RESET pms.as_of;

\echo '== Rebalance simulation for Whitman Joint Brokerage (demo prices: last fill; demo model: equal weights, 10% cash)'
WITH base AS (
    SELECT pms.snapshot_request('20000000-0000-4000-8000-000000000001', 'demo-equal-weight') AS r
), held AS (
    SELECT p->>'instrument_id' AS instrument_id FROM base, jsonb_array_elements(r->'portfolio_snapshot'->'positions') p
), last_fill AS (
    SELECT DISTINCT ON (e.instrument_id) e.instrument_id::text AS instrument_id, e.price * i.price_multiplier AS unit_price, i.currency
    FROM pms.executions e JOIN pms.instruments i USING (instrument_id)
    WHERE e.account_id = '20000000-0000-4000-8000-000000000001'
    ORDER BY e.instrument_id, e.trade_date DESC, e.seq DESC
), request AS (
    SELECT jsonb_set(jsonb_set(r, '{market_data_snapshot,prices}',
               (SELECT jsonb_agg(jsonb_build_object('instrument_id', f.instrument_id, 'price', f.unit_price, 'currency', f.currency))
                FROM last_fill f JOIN held h USING (instrument_id))),
               '{model_portfolio,targets}',
               (SELECT jsonb_agg(jsonb_build_object('instrument_id', h.instrument_id,
                                                    'weight', round(0.9 / (SELECT count(*) FROM held), 6)))
                FROM held h)) AS r
    FROM base
), result AS (
    SELECT pms.simulate_rebalance(r) AS s FROM request
)
SELECT s->>'status' AS status, i.type, i.side, coalesce(x.cusip, i.instrument_id) AS instrument, i.quantity,
       (i.notional_estimated->>'amount')::numeric AS notional, i.rationale->>'code' AS why
FROM result, jsonb_array_elements(s->'intents') WITH ORDINALITY AS o(intent, n),
     jsonb_to_record(o.intent) AS i(type text, side text, instrument_id text, quantity numeric,
                                    notional_estimated jsonb, rationale jsonb)
LEFT JOIN pms.instruments x ON x.instrument_id::text = i.instrument_id
ORDER BY o.n;

\echo '== Model library'
SELECT name AS model, duration_target AS duration, duration_tolerance AS dur_tol, bucket_tolerance AS bkt_tol,
       assigned_accounts AS accounts, description
FROM pms.model_library ORDER BY name;

\echo '== Effective targets today (household target, then account target, then model, field by field)'
SELECT a.name AS account, m.name AS model, e.source, e.duration_target AS duration,
       e.bucket_weights->>'0-2y' AS "0-2y", e.bucket_weights->>'2-5y' AS "2-5y", e.bucket_weights->>'5-10y' AS "5-10y",
       e.bucket_weights->>'10-20y' AS "10-20y", e.bucket_weights->>'20y+' AS "20y+"
FROM pms.accounts a
JOIN pms.effective_targets() e ON e.account_id = a.account_id
LEFT JOIN pms.models m ON m.model_id = e.model_id
ORDER BY a.name;

\echo '== Drift dashboard as of 2026-11-20 (most drifted first; green in tolerance, yellow warning, red out)'
SET pms.as_of = '2026-11-20';
SELECT account_name AS account, model_name AS model, target_source AS target,
       round(current_duration::numeric, 2) AS duration, target_duration AS target_dur,
       round((100 * duration_drift)::numeric, 1) AS "dur drift %", round((100 * max_bucket_drift)::numeric, 1) AS "max bucket %",
       round((100 * overall_drift)::numeric, 1) AS "overall %", status, requires_rebalance AS rebalance
FROM pms.drift_dashboard ORDER BY overall_drift DESC NULLS LAST, account_name;

\echo '== Drift summary'
SELECT accounts, in_tolerance AS green, warning AS yellow, out_of_tolerance AS red, without_target,
       round((100 * avg_duration_drift)::numeric, 1) AS "avg dur drift %", round((100 * avg_bucket_drift)::numeric, 1) AS "avg bucket %",
       requiring_rebalance
FROM pms.drift_summary;
RESET pms.as_of;
