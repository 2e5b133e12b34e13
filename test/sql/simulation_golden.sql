-- simulation_golden.sql: golden scenarios of the rebalance simulator (RFC-0001 §10.2).
-- Each test/golden/NAME.request.json must give exactly test/golden/NAME.expected.json
-- (jsonb_pretty text, so numeric scales and every character are compared); 'ok' or the actual response.
\i test/fixtures/setup.sql
\set req `cat test/golden/a_cash_inflow.request.json`
\set exp `cat test/golden/a_cash_inflow.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS a_cash_inflow FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/b_cap_redistribution.request.json`
\set exp `cat test/golden/b_cap_redistribution.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS b_cap_redistribution FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/c_banned_liquidation.request.json`
\set exp `cat test/golden/c_banned_liquidation.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS c_banned_liquidation FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/d_fx_funding.request.json`
\set exp `cat test/golden/d_fx_funding.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS d_fx_funding FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/e_infeasible_concentration.request.json`
\set exp `cat test/golden/e_infeasible_concentration.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS e_infeasible_concentration FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/f_price_missing_blocked.request.json`
\set exp `cat test/golden/f_price_missing_blocked.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS f_price_missing_blocked FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/g_price_stale_excluded.request.json`
\set exp `cat test/golden/g_price_stale_excluded.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS g_price_stale_excluded FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/h_soft_breach_pending_review.request.json`
\set exp `cat test/golden/h_soft_breach_pending_review.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS h_soft_breach_pending_review FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/i_hard_breach_blocked.request.json`
\set exp `cat test/golden/i_hard_breach_blocked.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS i_hard_breach_blocked FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/j_shelf_exclusions.request.json`
\set exp `cat test/golden/j_shelf_exclusions.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS j_shelf_exclusions FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/k_fund_notional_rounding.request.json`
\set exp `cat test/golden/k_fund_notional_rounding.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS k_fund_notional_rounding FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/l_dust_and_sub_unit.request.json`
\set exp `cat test/golden/l_dust_and_sub_unit.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS l_dust_and_sub_unit FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/m_multi_currency.request.json`
\set exp `cat test/golden/m_multi_currency.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS m_multi_currency FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/n_skew_and_fx_missing.request.json`
\set exp `cat test/golden/n_skew_and_fx_missing.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS n_skew_and_fx_missing FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/o_rounding_edges.request.json`
\set exp `cat test/golden/o_rounding_edges.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS o_rounding_edges FROM pms.simulate_rebalance(:'req') r;
\set req `cat test/golden/p_issue_example.request.json`
\set exp `cat test/golden/p_issue_example.expected.json`
SELECT CASE WHEN jsonb_pretty(r) = :'exp' THEN 'ok' ELSE jsonb_pretty(r) END AS p_issue_example FROM pms.simulate_rebalance(:'req') r;

-- determinism: the same request twice gives the same text; list order in the request does not matter
-- (only the request hash and run id, which hash the request text, differ)
\set req `cat test/golden/m_multi_currency.request.json`
SELECT pms.simulate_rebalance(:'req')::text = pms.simulate_rebalance(:'req')::text AS same_text_twice;
WITH r AS (SELECT :'req'::jsonb AS j),
shuffled AS (
    SELECT jsonb_set(jsonb_set(jsonb_set(jsonb_set(j,
        '{portfolio_snapshot,positions}', (SELECT jsonb_agg(e ORDER BY o DESC) FROM jsonb_array_elements(j #> '{portfolio_snapshot,positions}') WITH ORDINALITY x(e, o))),
        '{market_data_snapshot,prices}', (SELECT jsonb_agg(e ORDER BY o DESC) FROM jsonb_array_elements(j #> '{market_data_snapshot,prices}') WITH ORDINALITY x(e, o))),
        '{model_portfolio,targets}', (SELECT jsonb_agg(e ORDER BY o DESC) FROM jsonb_array_elements(j #> '{model_portfolio,targets}') WITH ORDINALITY x(e, o))),
        '{shelf_entries}', (SELECT jsonb_agg(e ORDER BY o DESC) FROM jsonb_array_elements(j -> 'shelf_entries') WITH ORDINALITY x(e, o))) AS j
    FROM r)
SELECT (pms.simulate_rebalance(r.j) - 'rebalance_run_id' #- '{lineage,request_hash}')::text
     = (pms.simulate_rebalance(s.j) - 'rebalance_run_id' #- '{lineage,request_hash}')::text AS order_independent,
       pms.simulate_rebalance(r.j) ->> 'rebalance_run_id' <> pms.simulate_rebalance(s.j) ->> 'rebalance_run_id' AS run_id_follows_request
FROM r, shuffled s;

-- the request hash is the SHA-256 of the canonical request text, and the run id its first 16 digits
SELECT res #>> '{lineage,request_hash}' = encode(sha256(convert_to(:'req'::jsonb::text, 'UTF8')), 'hex') AS hash_is_sha256,
       res ->> 'rebalance_run_id' = 'rr_' || left(res #>> '{lineage,request_hash}', 16) AS run_id_from_hash
FROM pms.simulate_rebalance(:'req') res;
