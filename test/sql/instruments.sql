-- instruments.sql: the security master: loading, normalization, identifiers, events, errors.
\i test/fixtures/setup.sql

-- identifier functions against known real identifiers
SELECT pms.cusip_check_digit('03783310') AS apple_cusip_check, pms.is_valid_cusip('037833100') AS apple,
       pms.is_valid_cusip('037833101') AS wrong_digit, pms.is_valid_cusip('03783310') AS too_short,
       pms.is_valid_cusip('91282CJL6') AS treasury, pms.is_valid_cusip('91282cjl6') AS lower_case;
SELECT pms.is_valid_isin('US0378331005') AS apple, pms.is_valid_isin('US0378331006') AS wrong_digit,
       pms.is_valid_isin('DE0001102622') AS bund, pms.is_valid_isin('1S0378331005') AS bad_country;
CALL expect_error($$SELECT pms.cusip_check_digit('0378-310')$$);

-- the sample book loads through the same path as any INSERT
\i test/fixtures/sample_book.sql
SELECT asset_class, currency, count(*) FROM pms.instruments GROUP BY 1, 2 ORDER BY 1, 2;
SELECT pms.maturity_years, count(*) FROM (
    SELECT CASE WHEN maturity_date - DATE '2026-11-21' < 2 * 365.25 THEN '0-2y'
                WHEN maturity_date - DATE '2026-11-21' < 5 * 365.25 THEN '2-5y'
                WHEN maturity_date - DATE '2026-11-21' < 10 * 365.25 THEN '5-10y'
                WHEN maturity_date - DATE '2026-11-21' < 20 * 365.25 THEN '10-20y'
                ELSE '20y+' END AS maturity_years
    FROM pms.instruments WHERE asset_class = 'BOND') pms GROUP BY 1 ORDER BY 1;
SELECT count(*) FILTER (WHERE cusip IS NOT NULL AND NOT pms.is_valid_cusip(cusip)) AS bad_cusips,
       count(*) FILTER (WHERE isin IS NOT NULL AND NOT pms.is_valid_isin(isin)) AS bad_isins
FROM pms.instruments;

-- defaults and normalization: bond terms default, identifiers upper-cased, multiplier by class
INSERT INTO pms.instruments (instrument_id, cusip, description, asset_class, currency, coupon_rate, maturity_date, country)
VALUES ('40000000-0000-4000-8000-000000000001', ' 91282cjl6 ', 'UST 4.25% 2028 (lower case)', 'bond', 'usd', 0.0425, '2028-02-15', 'us');
INSERT INTO pms.instruments (instrument_id, description, asset_class, currency, coupon_rate, maturity_date)
VALUES ('40000000-0000-4000-8000-000000000002', 'Zero 2030', 'bond', 'usd', 0, '2030-01-15');
INSERT INTO pms.instruments (instrument_id, ticker, description, asset_class, currency)
VALUES ('40000000-0000-4000-8000-000000000003', ' VTI ', 'Vanguard Total Stock Market ETF', 'Fund', 'USD');
SELECT instrument_id, cusip, ticker, asset_class, currency, country, coupon_frequency, day_count, price_multiplier
FROM pms.instruments WHERE instrument_id::text LIKE '40000000%' ORDER BY 1;

-- one InstrumentCreated event per row, firm-wide (no household)
SELECT event_type, count(*), count(household_id) AS with_household FROM pms.events GROUP BY 1 ORDER BY 1;
SELECT payload->>'description' AS description, payload->>'price_multiplier' AS multiplier
FROM pms.events WHERE stream_id = '40000000-0000-4000-8000-000000000002';

-- corrections are updates that leave an InstrumentUpdated event; the id cannot change
UPDATE pms.instruments SET rating = 'AA' WHERE instrument_id = '40000000-0000-4000-8000-000000000002';
SELECT event_type, payload->>'rating' AS rating FROM pms.events
WHERE stream_id = '40000000-0000-4000-8000-000000000002' ORDER BY event_id;
CALL expect_error($$UPDATE pms.instruments SET instrument_id = gen_random_uuid() WHERE instrument_id = '40000000-0000-4000-8000-000000000002'$$);

-- never deleted
CALL expect_error($$DELETE FROM pms.instruments WHERE instrument_id = '40000000-0000-4000-8000-000000000002'$$);
CALL expect_error($$TRUNCATE pms.instruments CASCADE$$);

-- bad rows: a clear error naming the row, nothing written
SELECT count(*) AS instruments_before FROM pms.instruments \gset
CALL expect_error($$INSERT INTO pms.instruments (cusip, description, asset_class, currency) VALUES ('037833101', 'Apple typo', 'EQUITY', 'USD')$$);
CALL expect_error($$INSERT INTO pms.instruments (cusip, description, asset_class, currency) VALUES ('0378-3310', 'Apple junk', 'EQUITY', 'USD')$$);
CALL expect_error($$INSERT INTO pms.instruments (isin, description, asset_class, currency) VALUES ('US0378331006', 'Apple ISIN typo', 'EQUITY', 'USD')$$);
CALL expect_error($$INSERT INTO pms.instruments (cusip, description, asset_class, currency) VALUES ('037833100', 'Apple again', 'EQUITY', 'USD')$$);
CALL expect_error($$INSERT INTO pms.instruments (cusip, description, asset_class, currency) VALUES ('91282cjl6', 'Same CUSIP, other case', 'BOND', 'USD')$$);
CALL expect_error($$INSERT INTO pms.instruments (isin, description, asset_class, currency) VALUES ('US0378331005', 'Apple ISIN again', 'EQUITY', 'USD')$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency) VALUES ('  ', 'EQUITY', 'USD')$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency) VALUES ('Gold bar', 'COMMODITY', 'USD')$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency) VALUES ('No currency', 'EQUITY', NULL)$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency) VALUES ('Bad currency', 'EQUITY', 'USX')$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency, country) VALUES ('Bad country', 'EQUITY', 'USD', 'XX')$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency, coupon_rate) VALUES ('No maturity', 'BOND', 'USD', 0.05)$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency, coupon_rate, maturity_date) VALUES ('5 not 0.05', 'BOND', 'USD', 5, '2030-01-01')$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency, coupon_rate, maturity_date) VALUES ('Negative', 'BOND', 'USD', -0.01, '2030-01-01')$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency, maturity_date) VALUES ('No coupon', 'BOND', 'USD', '2030-01-01')$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency, coupon_rate, maturity_date, coupon_frequency) VALUES ('Freq 3', 'BOND', 'USD', 0.05, '2030-01-01', 3)$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency, coupon_rate, maturity_date, day_count) VALUES ('Bad basis', 'BOND', 'USD', 0.05, '2030-01-01', 'ACT/364')$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency, coupon_rate, maturity_date, issue_date) VALUES ('Issued late', 'BOND', 'USD', 0.05, '2030-01-01', '2031-01-01')$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency, coupon_rate) VALUES ('Equity coupon', 'EQUITY', 'USD', 0.05)$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency, price_multiplier) VALUES ('Zero mult', 'EQUITY', 'USD', 0)$$);
CALL expect_error($$INSERT INTO pms.instruments (description, asset_class, currency, lot_size) VALUES ('Zero lot', 'EQUITY', 'USD', 0)$$);
-- a multi-row load with one bad row writes nothing
CALL expect_error($$INSERT INTO pms.instruments (ticker, description, asset_class, currency) VALUES
    ('AAA', 'Good one', 'EQUITY', 'USD'), ('BBB', 'Bad one', 'EQUITY', 'ZZZ')$$);
SELECT count(*) - :instruments_before AS instruments_written FROM pms.instruments;
SELECT count(*) AS events_for_unknown_rows FROM pms.events e
WHERE e.stream_type = 'instrument' AND NOT EXISTS (SELECT 1 FROM pms.instruments i WHERE i.instrument_id = e.stream_id);
