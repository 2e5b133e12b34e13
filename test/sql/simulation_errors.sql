-- simulation_errors.sql: every malformed-request error of pms.simulate_rebalance, with its
-- SQLSTATE, message, and the JSON path of the offending field in DETAIL.
\i test/fixtures/setup.sql
\set req `cat test/golden/a_cash_inflow.request.json`
CREATE TEMP TABLE base AS SELECT :'req'::jsonb AS r;
-- statement text: the base request with one field replaced / removed
CREATE FUNCTION pg_temp.with_value(p text[], v jsonb) RETURNS text LANGUAGE sql AS
    $$ SELECT format('SELECT pms.simulate_rebalance(%L::jsonb)', jsonb_set(r, p, v)) FROM base $$;
CREATE FUNCTION pg_temp.without(p text[]) RETURNS text LANGUAGE sql AS
    $$ SELECT format('SELECT pms.simulate_rebalance(%L::jsonb)', r #- p) FROM base $$;
SELECT pms.simulate_rebalance(r) ->> 'status' AS base_request_is_valid FROM base;

CALL expect_error($$SELECT pms.simulate_rebalance(NULL)$$);
CALL expect_error($$SELECT pms.simulate_rebalance('[]')$$);
CALL expect_error(pg_temp.with_value('{extra}', '1'));
CALL expect_error(pg_temp.without('{portfolio_snapshot}'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot}', '"pf"'));
-- portfolio snapshot
CALL expect_error(pg_temp.without('{portfolio_snapshot,portfolio_id}'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,portfolio_id}', '42'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,portfolio_id}', '""'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,portfolio_id}', to_jsonb(repeat('p', 129))));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,base_currency}', '"usd"'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,base_currency}', '"XYZ"'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,as_of}', '"2026-02-30T10:00:00Z"'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,as_of}', '"2026-02-13 10:00"'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,positions}', '{}'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,positions,0}', '"AAPL"'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,positions,0,quantity}', '-1'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,positions,0,quantity}', '"100"'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,positions,0,quantity}', '0.1234567890123'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,positions,0,quantity}', '1e18'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,positions,0,lots}', '[]'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,positions,1,instrument_id}', '"AAPL"'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,cash_balances,1}', '{"currency": "USD", "amount": 1}'));
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,cash_balances,0,currency}', '"US"'));
-- market data
CALL expect_error(pg_temp.without('{market_data_snapshot,snapshot_id}'));
CALL expect_error(pg_temp.with_value('{market_data_snapshot,prices,0,price}', '0'));
CALL expect_error(pg_temp.with_value('{market_data_snapshot,prices,0,price}', '-100.00'));
CALL expect_error(pg_temp.with_value('{market_data_snapshot,prices,1,instrument_id}', '"AAPL"'));
CALL expect_error(pg_temp.with_value('{market_data_snapshot,prices,0,as_of}', 'true'));
CALL expect_error(pg_temp.with_value('{market_data_snapshot,fx_rates}', '[{"currency": "USD", "rate": 1.1}]'));
CALL expect_error(pg_temp.with_value('{market_data_snapshot,fx_rates}', '[{"currency": "EUR", "rate": -1.1}]'));
CALL expect_error(pg_temp.with_value('{market_data_snapshot,fx_rates}', '[{"currency": "EUR", "rate": 1.1}, {"currency": "EUR", "rate": 1.2}]'));
-- model
CALL expect_error(pg_temp.with_value('{model_portfolio,targets,0,weight}', '1.5'));
CALL expect_error(pg_temp.with_value('{model_portfolio,targets,1,weight}', '0.6'));
CALL expect_error(pg_temp.with_value('{model_portfolio,targets,1,instrument_id}', '"AAPL"'));
CALL expect_error(pg_temp.without('{model_portfolio,targets}'));
-- shelf
CALL expect_error(pg_temp.with_value('{shelf_entries,0,status}', '"DELISTED"'));
CALL expect_error(pg_temp.with_value('{shelf_entries,0,asset_class}', '"CRYPTO"'));
CALL expect_error(pg_temp.with_value('{shelf_entries,0,min_notional}', '-5'));
CALL expect_error(pg_temp.with_value('{shelf_entries,1,instrument_id}', '"AAPL"'));
-- policy
CALL expect_error(pg_temp.without('{policy,policy_version}'));
CALL expect_error(pg_temp.with_value('{policy,single_position_max_weight}', '0'));
CALL expect_error(pg_temp.with_value('{policy,single_position_max_weight}', '1.01'));
CALL expect_error(pg_temp.with_value('{policy,rules,0,type}', '"MAX_LEVERAGE"'));
CALL expect_error(pg_temp.with_value('{policy,rules,0,severity}', '"WARN"'));
CALL expect_error(pg_temp.without('{policy,rules,0,limit}'));
CALL expect_error(pg_temp.with_value('{policy,rules,0,limit}', '2'));
CALL expect_error(pg_temp.with_value('{policy,rules,0}', '{"rule_id": "r", "type": "NO_NEGATIVE_CASH", "severity": "HARD", "limit": 0}'));
CALL expect_error(pg_temp.with_value('{policy,rules,0}', '{"rule_id": "r", "type": "MAX_ASSET_CLASS_WEIGHT", "severity": "HARD", "limit": 0.5}'));
CALL expect_error(pg_temp.with_value('{policy,rules,0}', '{"rule_id": "r", "type": "MIN_CASH_WEIGHT", "severity": "HARD", "limit": 0.5, "asset_class": "BOND"}'));
CALL expect_error(pg_temp.with_value('{policy,rules,1}', '{"rule_id": "r_min_cash", "type": "NO_NEGATIVE_CASH", "severity": "SOFT"}'));
-- options
CALL expect_error(pg_temp.with_value('{options}', '{"suppress_dust": true}'));
CALL expect_error(pg_temp.with_value('{options}', '{"suppress_dust_trades": "yes"}'));
CALL expect_error(pg_temp.with_value('{options}', '{"fx_buffer_pct": 1.5}'));
CALL expect_error(pg_temp.with_value('{options}', '{"max_skew_minutes": -1}'));
CALL expect_error(pg_temp.with_value('{options}', '{"max_staleness_minutes": 60000000}'));
-- amounts beyond the fixed-point range in intermediate arithmetic
SELECT format('SELECT pms.simulate_rebalance(%L::jsonb)',
              jsonb_set(jsonb_set(r, '{portfolio_snapshot,positions,0,quantity}', '999999999999999999'),
                        '{market_data_snapshot,prices,0,price}', '999999999999999999')) AS stmt
FROM base \gset
CALL expect_error(:'stmt');
-- large but representable amounts simulate exactly
SELECT r2 #> '{after_state,total_value}' AS large_total
FROM base, pms.simulate_rebalance(jsonb_set(r, '{portfolio_snapshot,positions,0,quantity}', '999999999999999999')) r2;

-- JSON null counts as absent: optional fields take their defaults, required ones are missing
SELECT pms.simulate_rebalance(jsonb_set(r, '{options}', 'null')) ->> 'status' AS options_null FROM base;
CALL expect_error(pg_temp.with_value('{portfolio_snapshot,portfolio_id}', 'null'));
