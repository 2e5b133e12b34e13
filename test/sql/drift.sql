-- drift.sql: the drift rule on hand-computed inputs (every status and threshold, the settings),
-- then drift of a small book: the C sleeve against an independent SQL computation, target
-- precedence, past dates, knowledge time, the settle basis, stale and unpriced accounts,
-- the dashboard, the summary, the history; every error path.
\i test/fixtures/setup.sql

-- 1. The rule.  Binary fractions throughout, so the sums below are exact.
-- current 4.5 vs target 4: duration drift 0.5 / 4 = 0.125; buckets equal; overall
-- (0.5 x 0.125 + 0.5 x 0) / 1 = 0.0625.  Tolerance 0.125: a drift equal to its tolerance is
-- in tolerance, and above 0.8 x 0.125 = 0.1 it is a warning: yellow.
SELECT * FROM pms.drift_measures(4.5, '{0.25,0.25,0.5,0,0}', 4,
                                 '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625);
-- 4.25 vs 4: 0.0625, under 0.1: green
SELECT status FROM pms.drift_measures(4.25, '{0.25,0.25,0.5,0,0}', 4,
                                      '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625);
-- 5 vs 4: 0.25, above 0.125: red
SELECT status FROM pms.drift_measures(5, '{0.25,0.25,0.5,0,0}', 4,
                                      '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625);
-- buckets alone: 0.5 / 0 against 0.25 / 0.25 is 0.25 off in two buckets, above 0.0625: red;
-- overall (0.5 x 0 + 0.5 x 0.25) = 0.125
SELECT * FROM pms.drift_measures(4, '{0.5,0,0.5,0,0}', 4,
                                 '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625);
-- a bucket 0.0625 off (its tolerance, in) but past 0.8 x 0.0625 = 0.05: yellow
SELECT status FROM pms.drift_measures(4, '{0.3125,0.1875,0.5,0,0}', 4,
                                      '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625);
-- no valued bond: an empty sleeve, duration drift 1 and every bucket drift its target weight
SELECT * FROM pms.drift_measures(NULL, NULL, 4,
                                 '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625);
-- no target: no drift
SELECT pms.drift_measures(4, '{0.25,0.25,0.5,0,0}', NULL, NULL, 0.1, 0.05) IS NULL AS no_target;
-- the settings: duration alone (overall = duration drift 0.125), a band of 0.5 (0.0625 is
-- past 0.5 x 0.125: yellow), weights 3:1 ((3 x 0.125 + 1 x 0) / 4 = 0.09375)
SET pms.drift_bucket_weight = 0;
SELECT overall_drift FROM pms.drift_measures(4.5, '{0.25,0.25,0.5,0,0}', 4,
                                             '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625);
SET pms.drift_duration_weight = 3;
SET pms.drift_bucket_weight = 1;
SELECT overall_drift FROM pms.drift_measures(4.5, '{0.25,0.25,0.5,0,0}', 4,
                                             '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625);
SET pms.drift_warning_band = 0.5;
SELECT status FROM pms.drift_measures(4.25, '{0.25,0.25,0.5,0,0}', 4,
                                      '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625);
RESET pms.drift_duration_weight;
RESET pms.drift_bucket_weight;
RESET pms.drift_warning_band;

-- errors of the rule and its settings
SET pms.drift_duration_weight = 0;
SET pms.drift_bucket_weight = 0;
CALL expect_error($$SELECT pms.drift_measures(4.5, '{0.25,0.25,0.5,0,0}', 4, '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625)$$);
RESET pms.drift_duration_weight;
RESET pms.drift_bucket_weight;
CALL expect_error($$SELECT pms.drift_measures(4.5, '{0.25,0.25,0.5}', 4, '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625)$$);
CALL expect_error($$SELECT pms.drift_measures(4.5, '{0.25,0.25,0.5,0,0}', 4, '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0}', 0.125, 0.0625)$$);
CALL expect_error($$SELECT pms.drift_measures(4.5, '{0.25,0.25,0.5,0,0}', 0, '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', 0.125, 0.0625)$$);
CALL expect_error($$SELECT pms.drift_measures(4.5, '{0.25,0.25,0.5,0,0}', 4, '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.5, "10-20y": 0, "20y+": 0}', -0.1, 0.0625)$$);
CALL expect_error($$SET pms.drift_warning_band = 1.5$$);
CALL expect_error($$SET pms.drift_duration_weight = -1$$);
CALL expect_error($$SET pms.drift_rebalance_threshold = -0.5$$);

-- 2. A book.  One household with three accounts; three bonds priced on Friday 2026-03-13 and
-- Friday 2026-04-10; a model of 4 years.
SELECT pms.create_household('Drift Family', 'tester', 'a0000000-0000-4000-8000-000000000001') IS NOT NULL AS ok;
SELECT pms.create_account('a0000000-0000-4000-8000-000000000001', 'Core', 'joint', 'USD', 'tester', 'b0000000-0000-4000-8000-000000000001') IS NOT NULL AS ok;
SELECT pms.create_account('a0000000-0000-4000-8000-000000000001', 'Cash Only', 'individual', 'USD', 'tester', 'b0000000-0000-4000-8000-000000000002') IS NOT NULL AS ok;
SELECT pms.create_account('a0000000-0000-4000-8000-000000000001', 'Unmodelled', 'trust', 'USD', 'tester', 'b0000000-0000-4000-8000-000000000003') IS NOT NULL AS ok;
INSERT INTO pms.instruments (instrument_id, cusip, description, asset_class, currency, coupon_rate, maturity_date, coupon_frequency, day_count) VALUES
    ('c0000000-0000-4000-8000-000000000001', '91282CLW9', 'Corp 5% 15-Jun-2030', 'BOND', 'USD', 0.05, '2030-06-15', 2, '30/360'),
    ('c0000000-0000-4000-8000-000000000002', '3135G0X24', 'Agency 4% 15-Jun-2035', 'BOND', 'USD', 0.04, '2035-06-15', 2, '30/360'),
    ('c0000000-0000-4000-8000-000000000003', '037833DT4', 'Note 3% 01-Apr-2027', 'BOND', 'USD', 0.03, '2027-04-01', 2, '30/360'),
    ('c0000000-0000-4000-8000-000000000004', '912810TM0', 'Bond 4.5% 15-Feb-2050', 'BOND', 'USD', 0.045, '2050-02-15', 2, 'ACT/ACT');
INSERT INTO pms.instruments (instrument_id, cusip, ticker, description, asset_class, currency) VALUES
    ('c0000000-0000-4000-8000-000000000005', '037833100', 'AAPL', 'Apple', 'EQUITY', 'USD');
\set core '''b0000000-0000-4000-8000-000000000001'''
\set cashonly '''b0000000-0000-4000-8000-000000000002'''
\set unmodelled '''b0000000-0000-4000-8000-000000000003'''
\set corp '''c0000000-0000-4000-8000-000000000001'''
\set agency '''c0000000-0000-4000-8000-000000000002'''
\set note '''c0000000-0000-4000-8000-000000000003'''
\set long '''c0000000-0000-4000-8000-000000000004'''
\set aapl '''c0000000-0000-4000-8000-000000000005'''
SELECT pms.record_cash(:core, 'USD', 1000000, 'DEPOSIT', '2026-01-02') IS NOT NULL AS ok;
SELECT pms.record_cash(:cashonly, 'USD', 50000, 'DEPOSIT', '2026-01-02') IS NOT NULL AS ok;
SELECT pms.record_execution(:core, :corp, 'BUY', 200000, 100, '2026-01-05') IS NOT NULL AS ok;
SELECT pms.record_execution(:core, :agency, 'BUY', 100000, 98, '2026-01-05') IS NOT NULL AS ok;
SELECT pms.record_execution(:core, :note, 'BUY', 100000, 99.5, '2026-01-05') IS NOT NULL AS ok;
SELECT pms.record_execution(:core, :aapl, 'BUY', 1000, 48, '2026-01-05') IS NOT NULL AS ok;
-- the long bond comes in April, through a proposal (a rebalance trade)
SELECT pms.record_execution(:core, :long, 'BUY', 100000, 97, '2026-04-06',
                            proposal_id => 'e0000000-0000-4000-8000-000000000001') IS NOT NULL AS ok;
SELECT pms.record_execution(:unmodelled, :corp, 'BUY', 10000, 100, '2026-01-05') IS NOT NULL AS ok;
INSERT INTO pms.prices (instrument_id, price_date, price, source) VALUES
    (:corp, '2026-03-13', 101.5, 'vendor'), (:agency, '2026-03-13', 97.25, 'vendor'),
    (:note, '2026-03-13', 99.9, 'vendor'), (:aapl, '2026-03-13', 50.25, 'close'),
    (:corp, '2026-04-10', 101, 'vendor'), (:agency, '2026-04-10', 97, 'vendor'),
    (:note, '2026-04-10', 100.1, 'vendor'), (:long, '2026-04-10', 96.5, 'vendor'), (:aapl, '2026-04-10', 52, 'close');
SELECT pms.create_model('Four Years', 4, '{"0-2y": 0.25, "2-5y": 0.5, "5-10y": 0.25, "10-20y": 0, "20y+": 0}',
                        actor => 'tester', model_id => 'd0000000-0000-4000-8000-000000000001') IS NOT NULL AS ok;
SELECT pms.assign_model(ARRAY[:core, :cashonly]::uuid[], 'd0000000-0000-4000-8000-000000000001', 'tester', '2026-01-01');

-- An independent reference: every bond position of an account as of a date (pms.positions),
-- valued at its dirty price per 100 face (pms.instrument_valuations), the dirty-value-weighted
-- duration and bucket weights.
CREATE FUNCTION pg_temp.sleeve(account uuid, day date)
RETURNS TABLE (duration float8, weights float8[]) LANGUAGE sql AS $$
    WITH v AS (
        SELECT p.quantity::float8 * (x.price::float8 + x.accrued) / 100 AS value, x.duration, x.maturity_bucket AS b
        FROM pms.positions(account, day) p
        JOIN pms.instrument_valuations(day) x ON x.instrument_id = p.instrument_id
        WHERE x.maturity_bucket IS NOT NULL AND NOT x.stale
    )
    SELECT sum(value * duration) / sum(value),
           ARRAY[coalesce(sum(value) FILTER (WHERE b = '0-2y'), 0) / sum(value),
                 coalesce(sum(value) FILTER (WHERE b = '2-5y'), 0) / sum(value),
                 coalesce(sum(value) FILTER (WHERE b = '5-10y'), 0) / sum(value),
                 coalesce(sum(value) FILTER (WHERE b = '10-20y'), 0) / sum(value),
                 coalesce(sum(value) FILTER (WHERE b = '20y+'), 0) / sum(value)]
    FROM v
$$;

-- On Sunday 2026-03-15 Core holds Corp (2-5y), Agency (5-10y) and Note (0-2y); AAPL is
-- outside the sleeve.  The C sleeve equals the reference; drift from the 4-year model.
SELECT e.account_id, e.positions, e.stale_positions,
       abs(e.duration - r.duration) < 1e-9 AS duration_ok,
       (SELECT bool_and(abs(a - b) < 1e-9) FROM unnest(e.bucket_weights, r.weights) AS w(a, b)) AS weights_ok
FROM pms.account_exposures('2026-03-15') e
CROSS JOIN LATERAL pg_temp.sleeve(e.account_id, '2026-03-15') r
ORDER BY e.account_id;
SELECT d.account_id, d.model_id, round(d.current_duration::numeric, 6) AS current_duration, d.target_duration,
       abs(d.duration_drift - abs(r.duration - 4) / 4) < 1e-12 AS duration_drift_ok,
       (SELECT bool_and(abs((d.bucket_drifts ->> k.b)::float8 - abs(r.weights[k.n] - k.w)) < 1e-12)
        FROM unnest(ARRAY['0-2y', '2-5y', '5-10y', '10-20y', '20y+'], ARRAY[0.25, 0.5, 0.25, 0, 0]::float8[])
             WITH ORDINALITY AS k(b, w, n)) AS bucket_drifts_ok,
       round(d.overall_drift::numeric, 6) AS overall_drift, d.status, d.last_rebalanced_at
FROM pms.drift(:core, '2026-03-15') d
CROSS JOIN pg_temp.sleeve(:core, '2026-03-15') r;
SELECT round(duration_drift::numeric, 6) AS duration_drift,
       (SELECT jsonb_object_agg(k, round(v::numeric, 6)) FROM jsonb_each_text(bucket_drifts) AS j(k, v)) AS bucket_drifts
FROM pms.drift(:core, '2026-03-15');
-- the cash-only account has an empty sleeve (duration drift 1, red); the unmodelled one has no target
SELECT account_id, current_duration, duration_drift, bucket_drifts, overall_drift, status FROM pms.drift(:cashonly, '2026-03-15');
SELECT account_id, model_id, current_duration, target_duration, status FROM pms.drift(:unmodelled, '2026-03-15');

-- A month later the long bond (20y+) is in and was a rebalance: drift as of 2026-04-12 uses
-- it, drift as of 2026-03-15 (read now) still does not (the projection is rewound).
SELECT abs(d.current_duration - r.duration) < 1e-9 AS duration_ok, d.last_rebalanced_at IS NOT NULL AS rebalanced,
       abs((d.bucket_drifts ->> '20y+')::float8 - r.weights[5]) < 1e-9 AS long_bucket_ok, d.status
FROM pms.drift(:core, '2026-04-12') d CROSS JOIN pg_temp.sleeve(:core, '2026-04-12') r;
SELECT (SELECT positions FROM pms.account_exposures('2026-03-15', NULL, ARRAY[:core]::uuid[])) AS positions_in_march,
       (SELECT positions FROM pms.account_exposures('2026-04-12', NULL, ARRAY[:core]::uuid[])) AS positions_in_april;
-- all accounts at once equal the accounts one at a time
SELECT count(*) AS differing FROM (
    (SELECT * FROM pms.account_exposures('2026-04-12') EXCEPT ALL
     SELECT x.* FROM pms.accounts a CROSS JOIN LATERAL pms.account_exposures('2026-04-12', NULL, ARRAY[a.account_id]) x)
    UNION ALL
    (SELECT x.* FROM pms.accounts a CROSS JOIN LATERAL pms.account_exposures('2026-04-12', NULL, ARRAY[a.account_id]) x
     EXCEPT ALL SELECT * FROM pms.account_exposures('2026-04-12'))) d;

-- Targets: an account target on 2026-04-01 sets the duration only (buckets still the
-- model's); a household target on 2026-04-05 overrides it for every account of the household.
SELECT pms.set_target('account', :core, 5.0, NULL, '{}', '2026-04-01', 'tester') IS NOT NULL AS ok;
SET pms.max_price_age = 30;
SELECT d.target_duration, abs(d.duration_drift - abs(r.duration - 5) / 5) < 1e-12 AS duration_drift_ok,
       abs((d.bucket_drifts ->> '2-5y')::float8 - abs(r.weights[2] - 0.5)) < 1e-9 AS model_buckets_ok
FROM pms.drift(:core, '2026-04-02') d CROSS JOIN pg_temp.sleeve(:core, '2026-04-02') r;
RESET pms.max_price_age;
SELECT pms.set_target('household', 'a0000000-0000-4000-8000-000000000001', 6.0,
                      '{"0-2y": 0.1, "2-5y": 0.3, "5-10y": 0.3, "10-20y": 0, "20y+": 0.3}', '{}', '2026-04-05', 'tester') IS NOT NULL AS ok;
SELECT account_id, target_source, target_duration, status
FROM pms.drift_of('2026-04-12') ORDER BY account_id;
SELECT target_duration FROM pms.drift(:core, '2026-03-15');

-- Knowledge time: a sale recorded now, dated 2026-04-08, is in drift as of 2026-04-12 but not
-- as known before it was recorded; once cancelled it is gone, but as known between the two it is back.
SELECT pms.record_execution(:core, :corp, 'SELL', 200000, 101, '2026-04-08') AS sale \gset
SELECT now() AS before_cancel \gset
SELECT positions FROM pms.account_exposures('2026-04-12', NULL, ARRAY[:core]::uuid[]);
SELECT positions FROM pms.account_exposures('2026-04-12', '2026-01-01', ARRAY[:core]::uuid[]);
SELECT pms.cancel_execution(:'sale', 'booked in error', 'tester');
SELECT positions FROM pms.account_exposures('2026-04-12', NULL, ARRAY[:core]::uuid[]);
SELECT positions FROM pms.account_exposures('2026-04-12', :'before_cancel', ARRAY[:core]::uuid[]);
SET pms.known_at = '2026-01-01';
SELECT count(*) AS accounts_with_bonds FROM pms.account_exposures('2026-04-12');
RESET pms.known_at;

-- The settle basis: a buy traded 2026-04-10 settles on Monday 2026-04-13; as of Saturday
-- 2026-04-11 it is in on the trade basis, not yet on the settle basis.
SELECT pms.record_execution(:unmodelled, :note, 'BUY', 10000, 100, '2026-04-10') IS NOT NULL AS ok;
SELECT positions FROM pms.account_exposures('2026-04-11', NULL, ARRAY[:unmodelled]::uuid[]);
SET pms.position_basis = 'settle';
SELECT positions FROM pms.account_exposures('2026-04-11', NULL, ARRAY[:unmodelled]::uuid[]);
RESET pms.position_basis;

-- Stale: as of 2026-03-20 the March prices are 7 days old (pms.max_price_age 5), so every
-- bond is stale and no drift can be measured: unpriced.
SELECT account_id, current_duration, duration_drift, status FROM pms.drift(:core, '2026-03-20');
SET pms.max_price_age = 10;
SELECT status <> 'unpriced' AS priced FROM pms.drift(:core, '2026-03-20');
RESET pms.max_price_age;

-- The dashboard and the summary follow pms.as_of.
SET pms.as_of = '2026-04-12';
SELECT account_name, household_name, model_name, target_source, round(current_duration::numeric, 4) AS current_duration,
       target_duration, round(overall_drift::numeric, 4) AS overall_drift, status, requires_rebalance, positions, stale_positions
FROM pms.drift_dashboard ORDER BY overall_drift DESC NULLS LAST, account_name;
SELECT as_of, accounts, in_tolerance, warning, out_of_tolerance, unpriced, without_target,
       round(avg_duration_drift::numeric, 6) AS avg_duration_drift, requiring_rebalance
FROM pms.drift_summary;
SET pms.drift_rebalance_threshold = 0.5;
SELECT requiring_rebalance FROM pms.drift_summary;
RESET pms.drift_rebalance_threshold;
RESET pms.as_of;

-- History: one row per account per recording; append-only.
SELECT pms.record_drift_history('2026-04-12') AS recorded;
SELECT pms.record_drift_history('2026-03-15') AS recorded;
SELECT as_of, account_id, target_source, status, stale_positions FROM pms.drift_history ORDER BY as_of, account_id;
CALL expect_error($$UPDATE pms.drift_history SET status = 'green'$$);
CALL expect_error($$DELETE FROM pms.drift_history$$);
CALL expect_error($$TRUNCATE pms.drift_history$$);

-- errors of the reads
CALL expect_error($$SELECT * FROM pms.drift('b0000000-0000-4000-8000-00000000ffff')$$);
CALL expect_error($$SELECT * FROM pms.drift(NULL)$$);
