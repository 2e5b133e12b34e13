-- sample/book.sql: the deterministic sample book (4 households, 8 accounts, 26 instruments,
-- two years of fills and cash, 3 portfolio models with every account assigned, an
-- account-level and a household-level target).
-- Loaded by scripts/demo.sh and by tests.  Fixed ids make every run identical; the
-- households and accounts go through the commands, so their events are written too.
-- Instrument identifiers are realistic in shape and carry correct check digits.

INSERT INTO pms.instruments (instrument_id, cusip, isin, ticker, description, asset_class, currency,
                             coupon_rate, maturity_date, issue_date, coupon_frequency, day_count,
                             sector, country, rating, min_trade_size, lot_size) VALUES
    ('30000000-0000-4000-8000-000000000001', '91282CKY6', 'US91282CKY65', NULL, 'UST 4.625% 30-Jun-2027', 'BOND', 'USD', 0.04625, '2027-06-30', '2024-06-30', 2, 'ACT/ACT', 'Treasury', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000002', '91282CGM7', 'US91282CGM73', NULL, 'UST 4.25% 15-Feb-2028', 'BOND', 'USD', 0.0425, '2028-02-15', '2023-02-15', 2, 'ACT/ACT', 'Treasury', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000003', '91282CLY5', 'US91282CLY56', NULL, 'UST 3.875% 30-Nov-2029', 'BOND', 'USD', 0.03875, '2029-11-30', '2024-11-30', 2, 'ACT/ACT', 'Treasury', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000004', '91282CMD0', 'US91282CMD01', NULL, 'UST 4.00% 15-Feb-2031', 'BOND', 'USD', 0.04, '2031-02-15', '2024-02-15', 2, 'ACT/ACT', 'Treasury', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000005', '91282CLW9', 'US91282CLW90', NULL, 'UST 4.25% 15-Nov-2034', 'BOND', 'USD', 0.0425, '2034-11-15', '2024-11-15', 2, 'ACT/ACT', 'Treasury', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000006', '912834TP3', 'US912834TP32', NULL, 'UST STRIPS 0% 15-May-2035', 'BOND', 'USD', 0, '2035-05-15', NULL, 2, 'ACT/ACT', 'Treasury', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000007', '912810TW8', 'US912810TW80', NULL, 'UST 4.50% 15-Feb-2044', 'BOND', 'USD', 0.045, '2044-02-15', '2024-02-15', 2, 'ACT/ACT', 'Treasury', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000008', '912810TV0', 'US912810TV08', NULL, 'UST 4.75% 15-Nov-2053', 'BOND', 'USD', 0.0475, '2053-11-15', '2023-11-15', 2, 'ACT/ACT', 'Treasury', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000009', '3135G0X24', 'US3135G0X247', NULL, 'FNMA 1.875% 24-Sep-2027', 'BOND', 'USD', 0.01875, '2027-09-24', '2017-09-25', 2, '30/360', 'Agency', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000010', '3130AV7L0', 'US3130AV7L02', NULL, 'FHLB 4.50% 10-Mar-2028', 'BOND', 'USD', 0.045, '2028-03-10', '2023-03-10', 2, '30/360', 'Agency', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000011', '3133EPQ57', 'US3133EPQ577', NULL, 'FFCB 4.125% 14-Jun-2030', 'BOND', 'USD', 0.04125, '2030-06-14', '2023-06-14', 2, '30/360', 'Agency', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000012', '037833DT4', 'US037833DT41', NULL, 'Apple Inc 3.35% 08-Aug-2032', 'BOND', 'USD', 0.0335, '2032-08-08', '2022-08-08', 2, '30/360', 'Corporate', 'US', 'AA+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000013', '594918CC6', 'US594918CC64', NULL, 'Microsoft Corp 2.921% 17-Mar-2052', 'BOND', 'USD', 0.02921, '2052-03-17', '2021-03-17', 2, '30/360', 'Corporate', 'US', 'AAA', 1000, 1000),
    ('30000000-0000-4000-8000-000000000014', '46625HJH4', 'US46625HJH49', NULL, 'JPMorgan Chase 4.25% 01-Oct-2027', 'BOND', 'USD', 0.0425, '2027-10-01', '2017-10-01', 2, '30/360', 'Corporate', 'US', 'A-', 1000, 1000),
    ('30000000-0000-4000-8000-000000000015', '92343VGK4', 'US92343VGK44', NULL, 'Verizon 4.50% 10-Aug-2033', 'BOND', 'USD', 0.045, '2033-08-10', '2018-08-10', 2, '30/360', 'Corporate', 'US', 'BBB+', 1000, 1000),
    ('30000000-0000-4000-8000-000000000016', '478160CK8', 'US478160CK81', NULL, 'Johnson & Johnson 3.40% 15-Jan-2038', 'BOND', 'USD', 0.034, '2038-01-15', '2017-11-10', 2, '30/360', 'Corporate', 'US', 'AAA', 1000, 1000),
    ('30000000-0000-4000-8000-000000000017', '64966QPL8', 'US64966QPL85', NULL, 'New York City GO 5.00% 01-Aug-2035', 'BOND', 'USD', 0.05, '2035-08-01', '2023-08-01', 2, '30/360', 'Municipal', 'US', 'AA', 1000, 1000),
    ('30000000-0000-4000-8000-000000000018', '13063DRD2', 'US13063DRD20', NULL, 'State of California GO 4.00% 01-Oct-2042', 'BOND', 'USD', 0.04, '2042-10-01', '2022-10-01', 2, '30/360', 'Municipal', 'US', 'AA-', 1000, 1000),
    ('30000000-0000-4000-8000-000000000019', '882830AB8', 'US882830AB87', NULL, 'Texas Water Dev Board 5.00% 15-Oct-2048', 'BOND', 'USD', 0.05, '2048-10-15', '2023-10-15', 2, '30/360', 'Municipal', 'US', 'AAA', 1000, 1000),
    ('30000000-0000-4000-8000-000000000020', '06051GKM0', 'US06051GKM05', NULL, 'Bank of America 5.875% 15-Mar-2029 (quarterly)', 'BOND', 'USD', 0.05875, '2029-03-15', '2019-03-15', 4, 'ACT/360', 'Corporate', 'US', 'A-', 1000, 1000),
    ('30000000-0000-4000-8000-000000000021', NULL, 'DE0001102622', NULL, 'Bund 2.60% 15-Aug-2035', 'BOND', 'EUR', 0.026, '2035-08-15', '2025-06-18', 1, 'ACT/ACT', 'Sovereign', 'DE', 'AAA', 1000, 1000),
    ('30000000-0000-4000-8000-000000000022', '037833100', 'US0378331005', 'AAPL', 'Apple Inc', 'EQUITY', 'USD', NULL, NULL, NULL, NULL, NULL, 'Information Technology', 'US', NULL, 1, 1),
    ('30000000-0000-4000-8000-000000000023', '594918104', 'US5949181045', 'MSFT', 'Microsoft Corp', 'EQUITY', 'USD', NULL, NULL, NULL, NULL, NULL, 'Information Technology', 'US', NULL, 1, 1),
    ('30000000-0000-4000-8000-000000000024', '478160104', 'US4781601046', 'JNJ', 'Johnson & Johnson', 'EQUITY', 'USD', NULL, NULL, NULL, NULL, NULL, 'Health Care', 'US', NULL, 1, 1),
    ('30000000-0000-4000-8000-000000000025', '921937835', 'US9219378356', 'BND', 'Vanguard Total Bond Market ETF', 'FUND', 'USD', NULL, NULL, NULL, NULL, NULL, 'Fixed Income Fund', 'US', NULL, 1, 1),
    ('30000000-0000-4000-8000-000000000026', '464287200', 'US4642872000', 'IVV', 'iShares Core S&P 500 ETF', 'FUND', 'USD', NULL, NULL, NULL, NULL, NULL, 'Equity Fund', 'US', NULL, 1, 1);

SELECT pms.create_household('Whitman Family', 'sample-book', '10000000-0000-4000-8000-000000000001');
SELECT pms.create_household('Okafor Household', 'sample-book', '10000000-0000-4000-8000-000000000002');
SELECT pms.create_household('Lindqvist Trust', 'sample-book', '10000000-0000-4000-8000-000000000003');
SELECT pms.create_household('Reyes-Chen Family', 'sample-book', '10000000-0000-4000-8000-000000000004');

SELECT pms.create_account('10000000-0000-4000-8000-000000000001', 'Whitman Joint Brokerage', 'joint', 'USD', 'sample-book', '20000000-0000-4000-8000-000000000001');
SELECT pms.create_account('10000000-0000-4000-8000-000000000001', 'Whitman Rollover IRA', 'ira', 'USD', 'sample-book', '20000000-0000-4000-8000-000000000002');
SELECT pms.create_account('10000000-0000-4000-8000-000000000001', 'Whitman Education Trust', 'trust', 'USD', 'sample-book', '20000000-0000-4000-8000-000000000003');
SELECT pms.create_account('10000000-0000-4000-8000-000000000002', 'Okafor Individual', 'individual', 'USD', 'sample-book', '20000000-0000-4000-8000-000000000004');
SELECT pms.create_account('10000000-0000-4000-8000-000000000002', 'Okafor Holdings LLC', 'corporate', 'USD', 'sample-book', '20000000-0000-4000-8000-000000000005');
SELECT pms.create_account('10000000-0000-4000-8000-000000000003', 'Lindqvist Trust Main', 'trust', 'USD', 'sample-book', '20000000-0000-4000-8000-000000000006');
SELECT pms.create_account('10000000-0000-4000-8000-000000000004', 'Reyes-Chen Joint', 'joint', 'USD', 'sample-book', '20000000-0000-4000-8000-000000000007');
SELECT pms.create_account('10000000-0000-4000-8000-000000000004', 'Reyes-Chen Euro Account', 'individual', 'EUR', 'sample-book', '20000000-0000-4000-8000-000000000008');

-- Two years of activity (2024-11 to 2026-11), deterministic: each account funds itself,
-- builds positions in a handful of instruments over its first months, adds to them half a
-- year later, trims some a year after that, and pays quarterly fees.  A hash of the account
-- and instrument numbers stands in for randomness.
CREATE TEMP TABLE sample_plan AS
SELECT a.n AS account_no, a.account_id, a.household_id, a.base_currency,
       i.n AS instrument_no, i.instrument_id, i.asset_class,
       ('x' || substr(md5(a.n || '/' || i.n), 1, 8))::bit(32)::int AS h
FROM (SELECT row_number() OVER (ORDER BY account_id) AS n, account_id, household_id, base_currency
      FROM pms.accounts WHERE account_id::text LIKE '20000000-%') a
JOIN (SELECT row_number() OVER (ORDER BY instrument_id) AS n, instrument_id, asset_class, currency
      FROM pms.instruments WHERE instrument_id::text LIKE '30000000-%') i
  ON i.currency = a.base_currency
 AND (a.base_currency = 'EUR' OR (i.n + a.n) % 4 = 0 OR i.n IN (22 + a.n % 3, 25 + a.n % 2));

INSERT INTO pms.cash_movements (household_id, account_id, currency, amount, kind, value_date, actor)
SELECT household_id, account_id, base_currency, 1500000 + 250000 * n, 'DEPOSIT', DATE '2024-11-01', 'sample-book'
FROM (SELECT DISTINCT account_no AS n, account_id, household_id, base_currency FROM sample_plan) a
UNION ALL
SELECT household_id, account_id, base_currency, -round((1500000 + 250000 * n) * 0.0025, 2), 'FEE', q, 'sample-book'
FROM (SELECT DISTINCT account_no AS n, account_id, household_id, base_currency FROM sample_plan) a,
     generate_series(DATE '2025-01-31', DATE '2026-10-31', INTERVAL '3 months') q;

-- Buys in the first months, top-ups six months later, trims (40% of the first lot) a year on.
INSERT INTO pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date, actor)
SELECT p.household_id, p.account_id, p.instrument_id, t.side,
       CASE WHEN p.asset_class = 'BOND' THEN round(t.lot * (50 + (abs(p.h) % 10) * 10)) * 1000
            ELSE round(t.lot * (100 + (abs(p.h) % 20) * 25)) END,
       CASE WHEN p.asset_class = 'BOND' THEN round(94 + (abs(p.h) % 800) / 100.0 + t.drift, 3)
            ELSE round((60 + abs(p.h) % 500) * (1 + t.drift / 20), 2) END,
       pms.add_business_days(DATE '2024-11-04' + (abs(p.h) % 60) + t.offset_days, 0),
       'sample-book'
FROM sample_plan p
CROSS JOIN (VALUES ('BUY', 1.0, 0.0, 0), ('BUY', 0.5, 0.75, 182), ('SELL', 0.6, 1.25, 400)) AS t(side, lot, drift, offset_days)
WHERE t.side = 'BUY' OR p.h % 3 = 0;
DROP TABLE sample_plan;

-- Three portfolio models, every account assigned from the start of its history, and
-- targets: a partial account-level one (shorter buckets and a restricted instrument for the
-- Whitman IRA; its duration still comes from its model) and a household-level one (a 4-year
-- duration and a wider bucket tolerance for both Okafor accounts, whatever their models).
SELECT pms.create_model('Conservative Short Duration', 2.5,
                        '{"0-2y": 0.40, "2-5y": 0.45, "5-10y": 0.15, "10-20y": 0, "20y+": 0}',
                        '{"max_position_weight": 0.25, "min_trade_notional": 5000}',
                        'Capital preservation: mostly under five years, no long bonds.', 'sample-book',
                        0.15, 0.05, '60000000-0000-4000-8000-000000000001');
SELECT pms.create_model('Core Intermediate', 6.0,
                        '{"0-2y": 0.10, "2-5y": 0.30, "5-10y": 0.40, "10-20y": 0.15, "20y+": 0.05}',
                        '{"max_position_weight": 0.20, "max_turnover": 0.25}',
                        'Core bond allocation around the intermediate part of the curve.', 'sample-book',
                        model_id => '60000000-0000-4000-8000-000000000002');
SELECT pms.create_model('Long Duration', 12.0,
                        '{"0-2y": 0.05, "2-5y": 0.10, "5-10y": 0.20, "10-20y": 0.30, "20y+": 0.35}',
                        '{"max_position_weight": 0.20, "max_trades": 20}',
                        'Liability matching for long horizons.', 'sample-book',
                        0.10, 0.05, '60000000-0000-4000-8000-000000000003');

SELECT pms.assign_model(ARRAY['20000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002',
                              '20000000-0000-4000-8000-000000000007', '20000000-0000-4000-8000-000000000008']::uuid[],
                        '60000000-0000-4000-8000-000000000002', 'sample-book', '2024-11-01');
SELECT pms.assign_model(ARRAY['20000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000004']::uuid[],
                        '60000000-0000-4000-8000-000000000001', 'sample-book', '2024-11-01');
SELECT pms.assign_model(ARRAY['20000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000006']::uuid[],
                        '60000000-0000-4000-8000-000000000003', 'sample-book', '2024-11-01');

SELECT pms.set_target('account', '20000000-0000-4000-8000-000000000002', NULL,
                      '{"0-2y": 0.20, "2-5y": 0.35, "5-10y": 0.35, "10-20y": 0.10, "20y+": 0}',
                      '{"restricted_instruments": ["30000000-0000-4000-8000-000000000022"]}',
                      '2025-07-01', 'sample-book', target_id => '61000000-0000-4000-8000-000000000001');
SELECT pms.set_target('household', '10000000-0000-4000-8000-000000000002', 4.0, NULL, '{}',
                      '2025-04-01', 'sample-book', bucket_tolerance => 0.08,
                      target_id => '61000000-0000-4000-8000-000000000002');
-- After the October reviews, two accounts get a target of their own that their holdings
-- nearly match, so the drift dashboard shows one account in tolerance (Whitman Joint, green),
-- one in the warning band (Reyes-Chen Joint: duration 9% off a 10% tolerance, yellow) and
-- the rest out of tolerance (red).
SELECT pms.set_target('account', '20000000-0000-4000-8000-000000000001', 7.25,
                      '{"0-2y": 0, "2-5y": 0.45, "5-10y": 0.15, "10-20y": 0.10, "20y+": 0.30}', '{}',
                      '2026-10-01', 'sample-book', target_id => '61000000-0000-4000-8000-000000000003');
SELECT pms.set_target('account', '20000000-0000-4000-8000-000000000007', 4.0,
                      '{"0-2y": 0.50, "2-5y": 0, "5-10y": 0.45, "10-20y": 0, "20y+": 0.05}', '{}',
                      '2026-10-01', 'sample-book', target_id => '61000000-0000-4000-8000-000000000004');

-- Market data, 2024-11-01 to 2026-11-20, business days.  A deterministic rate path (a slow
-- wave plus a small hash-driven wobble per day) drives a USD zero curve and every USD bond's
-- yield (curve rate at its maturity plus a spread by sector), so prices move together the
-- way a real book does; equities and funds follow their own waves around their average fill.
-- Deliberate gaps: the Texas Water 2048 bond has no evaluated prices (it is priced off the
-- curve), Apple 2032's prices stop on 2026-09-30 (the curve takes over), and JNJ stock's
-- prices stop on 2026-10-15 (no curve for equities: stale after five days).
CREATE TEMP TABLE sample_days AS
SELECT d::date AS day, (d::date - DATE '2024-11-01') AS t,
       0.006 * sin((d::date - DATE '2024-11-01') / 95.0)
         + ((('x' || substr(md5(d::date::text), 1, 6))::bit(24)::int % 200) - 100) / 200000.0 AS shift
FROM generate_series(DATE '2024-11-01', DATE '2026-11-20', INTERVAL '1 day') d
WHERE extract(isodow FROM d) < 6;

INSERT INTO pms.yield_curves (curve_id, curve_date, tenor_years, zero_rate)
SELECT 'USD-TSY', s.day, k.tenor, round((k.rate + s.shift)::numeric, 6)::float8
FROM sample_days s
CROSS JOIN (VALUES (0.25, 0.0430), (0.5, 0.0425), (1, 0.0410), (2, 0.0395), (3, 0.0390), (5, 0.0395),
                   (7, 0.0405), (10, 0.0420), (20, 0.0450), (30, 0.0460)) AS k(tenor, rate);

INSERT INTO pms.instrument_spreads (instrument_id, effective_date, curve_id, spread)
SELECT i.instrument_id, DATE '2024-11-01', 'USD-TSY',
       CASE i.sector WHEN 'Treasury' THEN 0 WHEN 'Agency' THEN 0.0015 WHEN 'Municipal' THEN -0.0040 ELSE 0.0090 END
FROM pms.instruments i
WHERE i.instrument_id::text LIKE '30000000-%' AND i.asset_class = 'BOND' AND i.currency = 'USD';

INSERT INTO pms.prices (instrument_id, price_date, price, source)
SELECT i.instrument_id, s.day,
       round(pms.bond_price(s.day, i.maturity_date, i.coupon_rate::float8,
                            i.coupon_frequency * (exp((c.rate + sp.spread) / i.coupon_frequency) - 1),
                            i.coupon_frequency, i.day_count)::numeric, 4),
       'sample-evaluated'
FROM pms.instruments i
JOIN pms.instrument_spreads sp ON sp.instrument_id = i.instrument_id
CROSS JOIN sample_days s
CROSS JOIN LATERAL (
    SELECT pms.zero_rate(array_agg(y.tenor_years ORDER BY y.tenor_years), array_agg(y.zero_rate ORDER BY y.tenor_years),
                         (i.maturity_date - s.day) / 365.0) AS rate
    FROM pms.yield_curves y WHERE y.curve_id = 'USD-TSY' AND y.curve_date = s.day) c
WHERE i.description NOT LIKE 'Texas Water%'
  AND (i.description NOT LIKE 'Apple Inc 3.35%' OR s.day <= DATE '2026-09-30')
UNION ALL
SELECT i.instrument_id, s.day,
       round(pms.bond_price(s.day, i.maturity_date, i.coupon_rate::float8, 0.027 + s.shift / 2, i.coupon_frequency, i.day_count)::numeric, 4),
       'sample-evaluated'
FROM pms.instruments i
CROSS JOIN sample_days s
WHERE i.instrument_id::text LIKE '30000000-%' AND i.currency = 'EUR' AND i.asset_class = 'BOND'
UNION ALL
SELECT i.instrument_id, s.day,
       round((f.avg_price * (0.95 + s.t / 3000.0 + 0.08 * sin(s.t / 45.0 + length(i.ticker))) * (1 + 20 * s.shift))::numeric, 2),
       'sample-close'
FROM pms.instruments i
JOIN (SELECT e.instrument_id, avg(e.price)::float8 AS avg_price FROM pms.executions e GROUP BY e.instrument_id) f
  ON f.instrument_id = i.instrument_id
CROSS JOIN sample_days s
WHERE i.instrument_id::text LIKE '30000000-%' AND i.asset_class IN ('EQUITY', 'FUND')
  AND (i.ticker <> 'JNJ' OR s.day <= DATE '2026-10-15');

INSERT INTO pms.fx_rates (currency, rate_date, rate, source)
SELECT 'EUR', s.day, round((1.08 + 0.04 * sin(s.t / 90.0) + s.shift)::numeric, 5), 'sample-fx'
FROM sample_days s;
DROP TABLE sample_days;
