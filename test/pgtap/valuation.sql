-- test/pgtap/valuation.sql: invariants of valuation over the sample book (two years of
-- fills, prices, FX and a curve) at several dates:
--   set-based reads = per-account reads (positions_of vs positions, portfolio_analytics vs
--   account_analytics); totals = sums of the valued lines; weights + cash share = 1; bucket
--   weights sum to 1; household = sum of its accounts (one currency); nothing stale carries
--   a value and nothing valued uses data older than pms.max_price_age.
BEGIN;
SELECT plan(10);
\set QUIET on
SET client_min_messages = warning;
\i sample/book.sql
RESET client_min_messages;
\set QUIET off

CREATE TEMP TABLE dates (d date);
INSERT INTO dates VALUES ('2025-03-31'), ('2025-06-30'), ('2025-12-31'), ('2026-10-20'), ('2026-11-20');
CREATE TEMP TABLE sample_accounts AS
SELECT account_id, household_id FROM pms.accounts WHERE account_id::text LIKE '20000000-%';

SELECT set_eq(
    $$ SELECT d, p.account_id, p.instrument_id, p.quantity, p.avg_cost, p.cost_basis, p.realized_pnl, p.last_trade_date
       FROM dates, pms.positions_of(NULL, d) p $$,
    $$ SELECT d, a.account_id, p.instrument_id, p.quantity, p.avg_cost, p.cost_basis, p.realized_pnl, p.last_trade_date
       FROM dates, pms.accounts a, pms.positions(a.account_id, d) p $$,
    'positions_of over all accounts = pms.positions account by account, at every date');

SELECT set_eq(
    $$ SELECT d, c.account_id, c.currency, c.balance FROM dates, pms.cash_balances_of(NULL, d) c $$,
    $$ SELECT d, a.account_id, c.currency, c.balance FROM dates, pms.accounts a, pms.cash_balances(a.account_id, d) c $$,
    'cash_balances_of over all accounts = pms.cash_balances account by account, at every date');

SELECT set_eq(
    $$ SELECT d, t.account_id, t.currency, t.market_value, t.accrued_interest, t.cash, t.total_value, t.duration,
              t.dv01, t.cash_pct, t.bucket_weights, t.positions, t.stale_positions
       FROM dates, pms.portfolio_analytics('account', NULL, d) t
       WHERE t.account_id IN (SELECT account_id FROM sample_accounts) $$,
    $$ SELECT d, a.account_id, x.currency, x.market_value, x.accrued_interest, x.cash, x.total_value, x.duration,
              x.dv01, x.cash_pct, x.bucket_weights, x.positions, x.stale_positions
       FROM dates, sample_accounts a, pms.account_analytics(a.account_id, d) x $$,
    'analytics of all accounts in one pass = pms.account_analytics account by account');

SELECT is_empty(
    $$ SELECT d, a.account_id
       FROM dates, sample_accounts a, pms.account_analytics(a.account_id, d) x,
            LATERAL (SELECT coalesce(sum(v.market_value), 0) AS mv, coalesce(sum(v.accrued_interest), 0) AS ai,
                            coalesce(sum(v.weight), 0) AS w
                     FROM pms.valued_positions(a.account_id, d) v) s
       WHERE x.market_value <> s.mv OR x.accrued_interest <> s.ai
          OR x.total_value <> x.market_value + x.accrued_interest + x.cash
          OR abs(s.w + coalesce(x.cash_pct, 0) - 1) > 1e-12 $$,
    'account totals are the sums of its valued lines, and the weights plus the cash share make 1');

SELECT is_empty(
    $$ SELECT d, a.account_id, x.bucket_weights
       FROM dates, sample_accounts a, pms.account_analytics(a.account_id, d) x
       WHERE x.duration IS NOT NULL
         AND abs((SELECT sum(value::float8) FROM jsonb_each_text(x.bucket_weights)) - 1) > 1e-12 $$,
    'bucket weights of an account holding valued bonds sum to 1');

SELECT is_empty(
    $$ SELECT d, a.account_id FROM dates, sample_accounts a, pms.account_analytics(a.account_id, d) x
       WHERE NOT (x.bucket_weights ?& ARRAY['0-2y', '2-5y', '5-10y', '10-20y', '20y+'])
          OR (SELECT count(*) FROM jsonb_object_keys(x.bucket_weights)) <> 5 $$,
    'bucket weights always carry exactly the five buckets');

SELECT is_empty(
    $$ SELECT d, h.household_id
       FROM dates, (SELECT DISTINCT household_id FROM sample_accounts) h, pms.household_analytics(h.household_id, d) x
       WHERE (SELECT count(DISTINCT base_currency) FROM pms.accounts a WHERE a.household_id = h.household_id) = 1
         AND (x.market_value, x.accrued_interest, x.cash)
             <> (SELECT sum(y.market_value), sum(y.accrued_interest), sum(y.cash)
                 FROM pms.accounts a, pms.account_analytics(a.account_id, d) y WHERE a.household_id = h.household_id) $$,
    'a single-currency household is the sum of its accounts');

SELECT is_empty(
    $$ SELECT d, l.account_id, l.instrument_id FROM dates, pms.valuation_lines(NULL, d) l
       WHERE l.stale AND (l.market_value IS NOT NULL OR l.accrued_interest IS NOT NULL OR l.dv01 IS NOT NULL) $$,
    'stale lines carry no value');

SELECT is_empty(
    $$ SELECT d, v.instrument_id FROM dates, pms.instrument_valuations(d) v
       WHERE NOT v.stale AND v.price_source <> 'redemption' AND (v.price_date > d OR v.price_date < d - pms.max_price_age()) $$,
    'every price or curve used is dated within pms.max_price_age days on or before the as-of date');

SELECT is_empty(
    $$ SELECT d, v.instrument_id FROM dates, pms.instrument_valuations(d) v
       JOIN pms.instruments i USING (instrument_id)
       WHERE v.price_source = 'evaluated' AND i.asset_class = 'BOND'
         AND abs(pms.bond_price(d, i.maturity_date, i.coupon_rate::float8, v.yield, i.coupon_frequency, i.day_count)
                 - v.price::float8) > 1e-9 $$,
    'the yield of an evaluated bond price reprices it (1e-9 per 100)');

SELECT * FROM finish();
ROLLBACK;
