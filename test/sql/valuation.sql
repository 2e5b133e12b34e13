-- valuation.sql: market data, valued positions, account and household analytics, the list
-- views, stale prices, curve pricing, FX and knowledge time; every error path.  Values are
-- checked by hand in the comments; bond measures against the single-measure functions.
\i test/fixtures/setup.sql
SELECT pms.create_household('Value Family', 'tester', 'a0000000-0000-4000-8000-000000000001') IS NOT NULL AS ok;
SELECT pms.create_household('Empty Family', 'tester', 'a0000000-0000-4000-8000-000000000002') IS NOT NULL AS ok;
SELECT pms.create_account('a0000000-0000-4000-8000-000000000001', 'Dollar', 'joint', 'USD', 'tester', 'b0000000-0000-4000-8000-000000000001') IS NOT NULL AS ok;
SELECT pms.create_account('a0000000-0000-4000-8000-000000000001', 'Euro', 'individual', 'EUR', 'tester', 'b0000000-0000-4000-8000-000000000002') IS NOT NULL AS ok;
INSERT INTO pms.instruments (instrument_id, cusip, description, asset_class, currency, coupon_rate, maturity_date, coupon_frequency, day_count) VALUES
    ('c0000000-0000-4000-8000-000000000001', '91282CLW9', 'Corp 5% 15-Jun-2030', 'BOND', 'USD', 0.05, '2030-06-15', 2, '30/360'),
    ('c0000000-0000-4000-8000-000000000002', '3135G0X24', 'Agency 4% 15-Jun-2035', 'BOND', 'USD', 0.04, '2035-06-15', 2, '30/360'),
    ('c0000000-0000-4000-8000-000000000003', '037833DT4', 'Note 3% 01-Apr-2026', 'BOND', 'USD', 0.03, '2026-04-01', 2, '30/360');
INSERT INTO pms.instruments (instrument_id, cusip, ticker, description, asset_class, currency) VALUES
    ('c0000000-0000-4000-8000-000000000004', '037833100', 'AAPL', 'Apple', 'EQUITY', 'USD'),
    ('c0000000-0000-4000-8000-000000000005', NULL, 'SAP', 'SAP SE', 'EQUITY', 'EUR');
\set dollar '''b0000000-0000-4000-8000-000000000001'''
\set euro '''b0000000-0000-4000-8000-000000000002'''
\set corp '''c0000000-0000-4000-8000-000000000001'''
\set agency '''c0000000-0000-4000-8000-000000000002'''
\set note '''c0000000-0000-4000-8000-000000000003'''
\set aapl '''c0000000-0000-4000-8000-000000000004'''
\set sap '''c0000000-0000-4000-8000-000000000005'''

-- the book: 300,000 USD in; 200,000 face of Corp at 100, 100,000 face of Agency at 98 and of
-- Note at 99.5, 1000 AAPL at 48; the Euro account holds 100 SAP and 10,000 EUR of cash
SELECT pms.record_cash(:dollar, 'USD', 600000, 'DEPOSIT', '2026-01-02') IS NOT NULL AS ok;
SELECT pms.record_execution(:dollar, :corp, 'BUY', 200000, 100, '2026-01-05') IS NOT NULL AS ok;
SELECT pms.record_execution(:dollar, :agency, 'BUY', 100000, 98, '2026-01-05') IS NOT NULL AS ok;
SELECT pms.record_execution(:dollar, :note, 'BUY', 100000, 99.5, '2026-01-05') IS NOT NULL AS ok;
SELECT pms.record_execution(:dollar, :aapl, 'BUY', 1000, 48, '2026-01-05') IS NOT NULL AS ok;
SELECT pms.record_cash(:euro, 'EUR', 10000, 'DEPOSIT', '2026-01-02') IS NOT NULL AS ok;
SELECT pms.record_execution(:euro, :sap, 'BUY', 100, 150, '2026-01-05') IS NOT NULL AS ok;
SELECT pms.record_cash(:euro, 'EUR', 15000, 'DEPOSIT', '2026-01-05') IS NOT NULL AS ok;

-- market data: prices on Friday 2026-03-13 (Agency has none: it is priced off the curve),
-- EUR at 1.10 USD, a two-point curve, spreads
INSERT INTO pms.prices (instrument_id, price_date, price, source) VALUES
    (:corp, '2026-03-13', 101.5, 'vendor'),
    (:note, '2026-03-13', 99.9, 'vendor'),
    (:aapl, '2026-03-13', 50.25, 'close'),
    (:sap, '2026-03-13', 160, 'close');
INSERT INTO pms.fx_rates (currency, rate_date, rate) VALUES ('EUR', '2026-03-13', 1.10);
INSERT INTO pms.yield_curves (curve_id, curve_date, tenor_years, zero_rate) VALUES
    ('USD-TSY', '2026-03-13', 1, 0.04), ('USD-TSY', '2026-03-13', 10, 0.045);
INSERT INTO pms.instrument_spreads (instrument_id, effective_date, curve_id, spread) VALUES
    (:agency, '2026-01-01', 'USD-TSY', 0.005);

-- each instrument valued once, as of Sunday 2026-03-15 (Friday's data are two days old)
SELECT instrument_id, price, price_date, price_source, source, maturity_bucket, stale,
       round(accrued::numeric, 6) AS accrued
FROM pms.instrument_valuations('2026-03-15');
-- the bond measures are those of the single-measure functions at the price's yield
SELECT v.instrument_id,
       abs(v.yield - pms.bond_yield('2026-03-15', '2030-06-15', 0.05, 101.5)) < 1e-12 AS yield_ok,
       abs(v.duration - pms.bond_duration('2026-03-15', '2030-06-15', 0.05, v.yield)) < 1e-9 AS duration_ok,
       abs(v.dv01 - pms.bond_dv01('2026-03-15', '2030-06-15', 0.05, v.yield)) < 1e-12 AS dv01_ok,
       abs(v.convexity - pms.bond_convexity('2026-03-15', '2030-06-15', 0.05, v.yield)) < 1e-8 AS convexity_ok
FROM pms.instrument_valuations('2026-03-15', NULL, ARRAY[:corp]::uuid[]) v;
-- the curve price is the clean price of the flows discounted at the curve plus the spread:
-- an independent SQL reference discounts the 19 semiannual flows of 2 (and 100 at maturity)
-- at exp(-(z(t) + 0.005) t), t = ACT/365F years, z linear from 4% at 1y to 4.5% at 10y
-- (flat below 1y), and takes off the accrued 1.00
SELECT round((sum(cf * exp(-(z + 0.005) * t)) - 1.0)::numeric, 6) AS reference_clean_price
FROM (SELECT CASE WHEN f::date = DATE '2035-06-15' THEN 102 ELSE 2 END AS cf, (f::date - DATE '2026-03-15') / 365.0 AS t
      FROM generate_series(DATE '2026-06-15', DATE '2035-06-15', INTERVAL '6 months') g(f)) flows,
     LATERAL (SELECT CASE WHEN t <= 1 THEN 0.04 ELSE 0.04 + (t - 1) / 9 * 0.005 END AS z) curve;
SELECT v.price = round((pms.bond_measures_from_curve('2026-03-15', '2035-06-15', 0.04, '{1,10}', '{0.04,0.045}', 0.005)).clean_price::numeric, 6) AS curve_price_ok,
       v.price_date, v.source
FROM pms.instrument_valuations('2026-03-15', NULL, ARRAY[:agency]::uuid[]) v;

-- valued positions of the dollar account, by hand:
--   Corp 200,000 x 101.5 / 100 = 203,000.00; accrued 30/360 from 2025-12-15: 90/180 x 2.5 = 1.25
--     per 100, so 2,500.00
--   Note (matures 2026-04-01): 100,000 x 99.9 / 100 = 99,900.00; accrued 30/360 from 2025-10-01:
--     164/180 x 1.5 = 1.3666.. per 100, so 1,366.67
--   Agency, priced off the curve (92.717789, above); accrued 90/180 x 2 = 1.00 per 100
--   AAPL 1000 x 50.25 = 50,250.00
--   cash 600,000 - 200,000 - 98,000 - 99,500 - 48,000 = 154,500.00
SELECT cusip, description, quantity, avg_cost, price, price_source, market_value, accrued_interest,
       round(weight::numeric, 10) AS weight, round(duration::numeric, 6) AS duration,
       round(dv01::numeric, 4) AS dv01, maturity_bucket, stale
FROM pms.valued_positions(:dollar, '2026-03-15');
-- the weights and the cash share add up to one
SELECT round(sum(weight)::numeric + (SELECT cash_pct FROM pms.account_analytics(:dollar, '2026-03-15'))::numeric, 12) AS one
FROM pms.valued_positions(:dollar, '2026-03-15');
SELECT valued_as_of, currency, market_value, accrued_interest, cash, total_value, round(duration::numeric, 6) AS duration,
       round(dv01::numeric, 4) AS dv01, round(cash_pct::numeric, 10) AS cash_pct, positions, stale_positions
FROM pms.account_analytics(:dollar, '2026-03-15');
-- duration is the dirty-value weighted duration of the bonds alone; buckets likewise
SELECT round(a.duration::numeric, 9) = round((sum((v.market_value + v.accrued_interest) * v.duration::numeric)
                                             / sum(v.market_value + v.accrued_interest))::numeric, 9) AS duration_ok,
       a.bucket_weights
FROM pms.account_analytics(:dollar, '2026-03-15') a, pms.valued_positions(:dollar, '2026-03-15') v
WHERE v.maturity_bucket IS NOT NULL
GROUP BY a.duration, a.bucket_weights;

-- the Euro account reports in EUR: SAP 100 x 160 = 16,000.00 EUR; cash 10,000 - 15,000 + 15,000
SELECT cusip, description, price, market_value, accrued_interest, round(weight::numeric, 10) AS weight, stale
FROM pms.valued_positions(:euro, '2026-03-15');
-- the household reports in the pivot (USD) because its accounts differ: EUR 26,000 x 1.10
SELECT currency, market_value, cash, total_value, positions, stale_positions FROM pms.household_analytics('a0000000-0000-4000-8000-000000000001', '2026-03-15');
SELECT cusip, account_count, quantity, avg_cost, market_value, accrued_interest, round(weight::numeric, 10) AS weight
FROM pms.household_valued_positions('a0000000-0000-4000-8000-000000000001', '2026-03-15');
-- a household with no accounts has zero values
SELECT currency, market_value, total_value, duration, bucket_weights FROM pms.household_analytics('a0000000-0000-4000-8000-000000000002', '2026-03-15');

-- the list views honour pms.as_of
SET pms.as_of = '2026-03-15';
SELECT name, household_name, as_of, market_value, total_value, round(duration::numeric, 6) AS duration, stale_positions, last_activity
FROM pms.account_list ORDER BY name;
SELECT name, account_count, as_of, currency, market_value, total_value, stale_positions, last_activity
FROM pms.household_list ORDER BY name;
SELECT account_name, cusip, currency, market_value, round(weight::numeric, 10) AS weight, stale
FROM pms.account_valuations ORDER BY account_name, cusip NULLS LAST, market_value;
SELECT account_name, currency, market_value, cash, total_value, positions FROM pms.account_analytics_overview ORDER BY account_name;
RESET pms.as_of;

-- stale: a week later the prices are too old; nothing is valued at an old price
SELECT cusip, price, price_source, market_value, weight, stale FROM pms.valued_positions(:dollar, '2026-03-23');
SELECT market_value, cash, total_value, duration, stale_positions FROM pms.account_analytics(:dollar, '2026-03-23');
-- ... unless the maximum age allows it
SET pms.max_price_age = 10;
SELECT cusip, price, price_source, market_value, stale FROM pms.valued_positions(:dollar, '2026-03-23');
RESET pms.max_price_age;
-- a matured bond is valued at its redemption value
SELECT cusip, price, price_source, market_value, accrued_interest, duration, dv01, maturity_bucket, stale
FROM pms.valued_positions(:dollar, '2026-04-01') WHERE cusip = '037833DT4';
-- no FX rate for EUR: the Euro account's lines are stale in a USD household view
INSERT INTO pms.prices (instrument_id, price_date, price) VALUES (:sap, '2026-04-10', 170);
SELECT currency, market_value, cash, stale_positions FROM pms.household_analytics('a0000000-0000-4000-8000-000000000001', '2026-04-10');

-- knowledge time: a corrected price recorded later wins, and earlier reads still see the first
SELECT now() AS before_correction \gset
INSERT INTO pms.prices (instrument_id, price_date, price, source) VALUES (:corp, '2026-03-13', 101.75, 'vendor-correction');
SELECT price, source FROM pms.instrument_valuations('2026-03-15', NULL, ARRAY[:corp]::uuid[]);
SELECT price, source FROM pms.instrument_valuations('2026-03-15', :'before_correction', ARRAY[:corp]::uuid[]);
SET pms.known_at = :'before_correction';
SELECT cusip, price, market_value FROM pms.valued_positions(:dollar, '2026-03-15') WHERE cusip = '91282CLW9';
RESET pms.known_at;
SELECT cusip, price, market_value FROM pms.valued_positions(:dollar, '2026-03-15') WHERE cusip = '91282CLW9';

-- a later curve version replaces the whole curve for later knowledge times
INSERT INTO pms.yield_curves (curve_id, curve_date, tenor_years, zero_rate) VALUES ('USD-TSY', '2026-03-13', 5, 0.05);
SELECT curve_id, curve_date, tenors, zero_rates FROM pms.curves_on('2026-03-15');
SELECT currency, rate, rate_date FROM pms.fx_rates_on('2026-03-15') ORDER BY currency;

-- errors: unknown or missing ids
CALL expect_error($$ SELECT * FROM pms.valued_positions('b0000000-0000-4000-8000-00000000dead') $$);
CALL expect_error($$ SELECT * FROM pms.valued_positions(NULL) $$);
CALL expect_error($$ SELECT * FROM pms.account_analytics('b0000000-0000-4000-8000-00000000dead') $$);
CALL expect_error($$ SELECT * FROM pms.household_analytics('a0000000-0000-4000-8000-00000000dead') $$);
CALL expect_error($$ SELECT * FROM pms.household_analytics(NULL) $$);
CALL expect_error($$ SELECT * FROM pms.household_valued_positions('a0000000-0000-4000-8000-00000000dead') $$);
-- errors: bad market data, nothing written
CALL expect_error($$ INSERT INTO pms.prices (instrument_id, price_date, price) VALUES ('c0000000-0000-4000-8000-000000000001', '2026-03-16', 0) $$, show_detail => false);
CALL expect_error($$ INSERT INTO pms.prices (instrument_id, price_date, price) VALUES ('c0000000-0000-4000-8000-00000000dead', '2026-03-16', 100) $$);
CALL expect_error($$ INSERT INTO pms.prices (instrument_id, price_date, price) VALUES ('c0000000-0000-4000-8000-000000000001', 'infinity', 100) $$, show_detail => false);
CALL expect_error($$ INSERT INTO pms.prices (instrument_id, price_date, price) VALUES
                         ('c0000000-0000-4000-8000-000000000001', '2026-03-16', 100),
                         ('c0000000-0000-4000-8000-000000000001', '2026-03-16', 100.5) $$, show_detail => false);
CALL expect_error($$ INSERT INTO pms.fx_rates (currency, rate_date, rate) VALUES ('EUR', '2026-03-16', -1) $$, show_detail => false);
CALL expect_error($$ INSERT INTO pms.fx_rates (currency, rate_date, rate) VALUES ('XXY', '2026-03-16', 1) $$);
CALL expect_error($$ INSERT INTO pms.yield_curves (curve_id, curve_date, tenor_years, zero_rate) VALUES ('USD-TSY', '2026-03-16', 0, 0.04) $$, show_detail => false);
CALL expect_error($$ INSERT INTO pms.yield_curves (curve_id, curve_date, tenor_years, zero_rate) VALUES ('', '2026-03-16', 1, 0.04) $$, show_detail => false);
CALL expect_error($$ INSERT INTO pms.instrument_spreads (instrument_id, effective_date, curve_id, spread) VALUES ('c0000000-0000-4000-8000-000000000002', '2026-03-16', 'USD-TSY', 'NaN') $$, show_detail => false);
SELECT count(*) AS prices_on_the_16th FROM pms.prices WHERE price_date = '2026-03-16';
-- errors: market data is append-only
CALL expect_error($$ UPDATE pms.prices SET price = 1 $$);
CALL expect_error($$ DELETE FROM pms.fx_rates $$);
CALL expect_error($$ TRUNCATE pms.yield_curves $$);
-- errors: settings
CALL expect_error($$ SET pms.max_price_age = -1 $$);
CALL expect_error($$ SET pms.fx_pivot = 'usd' $$);
