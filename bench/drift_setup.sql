-- bench/drift_setup.sql: the book of bench/drift.sh (psql variable :accounts).
\set QUIET on
SET client_min_messages = warning;
SELECT pms.create_household('Bench ' || h, 'bench', ('b0000000-0000-4000-8000-' || lpad(h::text, 12, '0'))::uuid)
FROM generate_series(1, :accounts / 5) h \g /dev/null
SELECT pms.create_account(('b0000000-0000-4000-8000-' || lpad((1 + (a - 1) / 5)::text, 12, '0'))::uuid, 'Account ' || a,
                          'individual', 'USD', 'bench', ('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid)
FROM generate_series(1, :accounts) a \g /dev/null
INSERT INTO pms.instruments (instrument_id, description, asset_class, currency, coupon_rate, maturity_date,
                             coupon_frequency, day_count)
SELECT ('c0000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Bond ' || i, 'BOND', 'USD',
       (i * 31 % 33) * 0.0025, DATE '2026-08-01' + (i * 104729 % (30 * 365))::int,
       (ARRAY[2, 2, 2, 1, 4, 12])[1 + i % 6], (ARRAY['30/360', 'ACT/ACT', 'ACT/360', 'ACT/365F'])[1 + (i / 6) % 4]
FROM generate_series(1, 500) i;
-- 25 distinct bonds per account, bought between January and May; 10% bought again in June
INSERT INTO pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date)
SELECT a.household_id, a.account_id, ('c0000000-0000-4000-8000-' || lpad((1 + (a.n * 37 + k * 19) % 500)::text, 12, '0'))::uuid,
       'BUY', 1000 * (10 + (a.n + k) % 90), 95 + (a.n * k % 1000) / 100.0, DATE '2026-01-05' + ((a.n * 7 + k * 5) % 140)::int
FROM (SELECT household_id, account_id, row_number() OVER (ORDER BY account_id) AS n FROM pms.accounts) a
CROSS JOIN generate_series(1, 25) k
ORDER BY 7;
INSERT INTO pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date)
SELECT a.household_id, a.account_id, ('c0000000-0000-4000-8000-' || lpad((1 + (a.n * 37 + k * 19) % 500)::text, 12, '0'))::uuid,
       'BUY', 1000 * (5 + (a.n + k) % 30), 99, DATE '2026-06-01' + ((a.n + k) % 28)::int
FROM (SELECT household_id, account_id, row_number() OVER (ORDER BY account_id) AS n FROM pms.accounts) a
CROSS JOIN generate_series(1, 25) k
WHERE (a.n + k) % 10 = 0
ORDER BY 7;
INSERT INTO pms.prices (instrument_id, price_date, price, source)
SELECT i.instrument_id, d, round(pms.bond_price(d, i.maturity_date, i.coupon_rate::float8,
                                               0.03 + (n % 40) * 0.0005 + (d - DATE '2026-01-01') * 0.00001,
                                               i.coupon_frequency, i.day_count)::numeric, 4), 'bench'
FROM (SELECT *, row_number() OVER (ORDER BY instrument_id) AS n FROM pms.instruments) i,
     (VALUES (DATE '2026-06-30'), (DATE '2026-05-29')) AS v(d);
-- 10 models (assigned round-robin) with tolerances from tight to loose, so every status
-- occurs; account targets on 10%, household targets on 5%
SELECT pms.create_model('Model ' || m, 2 + m * 0.6,
                        jsonb_build_object('0-2y', 0.1 + m * 0.01, '2-5y', 0.3 - m * 0.01, '5-10y', 0.3, '10-20y', 0.2, '20y+', 0.1),
                        actor => 'bench', duration_tolerance => 0.1 * m, bucket_tolerance => 0.04 * m, model_id => ('d0000000-0000-4000-8000-' || lpad(m::text, 12, '0'))::uuid)
FROM generate_series(1, 10) m \g /dev/null
SELECT pms.assign_model(array_agg(('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid),
                        ('d0000000-0000-4000-8000-' || lpad((1 + a % 10)::text, 12, '0'))::uuid, 'bench', '2025-12-01')
FROM generate_series(1, :accounts) a GROUP BY a % 10 \g /dev/null
SELECT pms.set_target('account', ('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid, 6.5 + a % 3, NULL,
                      effective_from => '2026-02-01', actor => 'bench')
FROM generate_series(1, :accounts) a WHERE a % 10 = 1 \g /dev/null
SELECT pms.set_target('household', ('b0000000-0000-4000-8000-' || lpad(h::text, 12, '0'))::uuid, 7.0,
                      '{"0-2y": 0.1, "2-5y": 0.2, "5-10y": 0.4, "10-20y": 0.2, "20y+": 0.1}', '{}', '2026-03-01', 'bench')
FROM generate_series(1, :accounts / 5) h WHERE h % 20 = 3 \g /dev/null
VACUUM ANALYZE;
SELECT format('book: %s accounts, %s positions, %s executions, 500 bonds',
              (SELECT count(*) FROM pms.accounts), (SELECT count(*) FROM pms.position_projection),
              (SELECT count(*) FROM pms.executions)) AS book \gset
\echo :book
