-- targets.sql: set_target and clear_target (versioned, spliced into each scope's timeline),
-- resolution by effective_target / effective_targets (per-field precedence household ->
-- account -> model, as of any instant, seeing models as they were), targets_overview, events
-- and every error path.
\i test/fixtures/setup.sql
\o /dev/null
SELECT pms.create_household('Adams Family', 'alice', '11111111-1111-4111-8111-111111111111');
SELECT pms.create_household('Baker Household', 'alice', '11111111-1111-4111-8111-111111111112');
SELECT pms.create_household('Clark Trust', 'alice', '11111111-1111-4111-8111-111111111113');
SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'Adams Joint', 'joint', 'USD', 'alice', '22222222-2222-4222-8222-222222222221');
SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'Adams IRA', 'ira', 'USD', 'alice', '22222222-2222-4222-8222-222222222222');
SELECT pms.create_account('11111111-1111-4111-8111-111111111112', 'Baker Trust', 'trust', 'USD', 'alice', '22222222-2222-4222-8222-222222222223');
SELECT pms.create_account('11111111-1111-4111-8111-111111111113', 'Clark Main', 'trust', 'USD', 'alice', '22222222-2222-4222-8222-222222222224');
SELECT pms.create_model('Core', 6.0, '{"0-2y": 0.1, "2-5y": 0.3, "5-10y": 0.4, "10-20y": 0.15, "20y+": 0.05}',
                        '{"max_position_weight": 0.2, "max_trades": 20}', actor => 'alice',
                        model_id => '44444444-4444-4444-8444-444444444441');
SELECT pms.create_model('Short', 2.5, '{"0-2y": 0.4, "2-5y": 0.45, "5-10y": 0.15, "10-20y": 0, "20y+": 0}',
                        '{"min_trade_notional": 5000}', NULL, 'alice', 0.15, 0.1, '44444444-4444-4444-8444-444444444442');
SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221', '22222222-2222-4222-8222-222222222222']::uuid[],
                        '44444444-4444-4444-8444-444444444441', 'alice', '2025-01-01');
SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222223']::uuid[], '44444444-4444-4444-8444-444444444442',
                        'alice', '2025-01-01');
\o
SELECT max(event_id) AS last_event FROM pms.events \gset

-- Only the model: every field from it
SELECT * FROM pms.effective_target('22222222-2222-4222-8222-222222222221', '2025-02-01');
-- before the assignment, and an account with neither model nor target: no row
SELECT count(*) AS rows FROM pms.effective_target('22222222-2222-4222-8222-222222222221', '2024-12-31');
SELECT count(*) AS rows FROM pms.effective_target('22222222-2222-4222-8222-222222222224', '2025-02-01');

-- A partial account target: duration and constraints set, the rest inherited; a null
-- constraint value removes the model's limit
SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 5.0, NULL,
                      '{"max_trades": 10, "max_position_weight": null}', '2025-03-01', 'alice',
                      target_id => '55555555-5555-4555-8555-555555555501');
SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222222', NULL,
                      '{"0-2y": 0.3, "2-5y": 0.3, "5-10y": 0.3, "10-20y": 0.1, "20y+": 0}', '{}', '2025-03-01', 'alice',
                      duration_tolerance => 0.2, target_id => '55555555-5555-4555-8555-555555555502');
SELECT * FROM pms.effective_target('22222222-2222-4222-8222-222222222221', '2025-03-01');
SELECT * FROM pms.effective_target('22222222-2222-4222-8222-222222222222', '2025-03-01');

-- A household target overrides the account level, field by field, for all its accounts;
-- fields it leaves NULL still come from the account target, then the model
SELECT pms.set_target('HOUSEHOLD', '11111111-1111-4111-8111-111111111111', 4.0, NULL, '{"max_turnover": 0.25}',
                      '2025-06-01', 'bob', bucket_tolerance => 0.03, target_id => '55555555-5555-4555-8555-555555555503');
SELECT * FROM pms.effective_target('22222222-2222-4222-8222-222222222221', '2025-06-01');
SELECT * FROM pms.effective_target('22222222-2222-4222-8222-222222222222', '2025-06-01');
-- a household target also covers an account with no model and no account target
SELECT pms.set_target('household', '11111111-1111-4111-8111-111111111113', 3.0,
                      '{"0-2y": 0.5, "2-5y": 0.5, "5-10y": 0, "10-20y": 0, "20y+": 0}', effective_from => '2025-01-01',
                      actor => 'bob', target_id => '55555555-5555-4555-8555-555555555504');
SELECT * FROM pms.effective_target('22222222-2222-4222-8222-222222222224', '2025-06-01');

-- Versions: a new target closes the one in force; one scheduled for later; a backdated one
-- splits the version in force at its start and takes over the rest of its interval
SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 5.5, NULL, '{}', '2025-09-01', 'alice',
                      target_id => '55555555-5555-4555-8555-555555555505');
SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 7.0, NULL, '{}', '2100-01-01', 'alice',
                      target_id => '55555555-5555-4555-8555-555555555506');
SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 4.5, NULL, '{}', '2025-07-01', 'alice',
                      target_id => '55555555-5555-4555-8555-555555555507');
-- the same start replaces a scheduled version (it is kept, superseded)
SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 7.5, NULL, '{}', '2100-01-01', 'carol',
                      target_id => '55555555-5555-4555-8555-555555555508');
-- clearing ends the version in force; the account inherits again until the scheduled one
SELECT pms.clear_target('account', '22222222-2222-4222-8222-222222222221', '2026-01-01', 'alice');
SELECT pms.clear_target('household', '11111111-1111-4111-8111-111111111111', '2025-12-01', 'bob');
SELECT target_id, scope, duration_target, effective_from, effective_to, created_by
FROM pms.targets WHERE scope_id IN ('22222222-2222-4222-8222-222222222221', '11111111-1111-4111-8111-111111111111')
ORDER BY scope, effective_from, target_id;

-- As-of resolution of one account through its history (inclusive starts, exclusive ends)
SELECT d AS as_of, e.source, e.source_id, e.duration_target, e.constraints, e.bucket_tolerance
FROM unnest(ARRAY['2024-12-31', '2025-02-01', '2025-03-01', '2025-05-31 23:59:59.999999', '2025-06-01',
                  '2025-07-01', '2025-09-01', '2025-12-01', '2026-01-01', '2099-12-31', '2100-01-01']::timestamptz[]) d
LEFT JOIN LATERAL pms.effective_target('22222222-2222-4222-8222-222222222221', d) e ON true
ORDER BY d;

-- All accounts at once: the same answers as one account at a time
SELECT * FROM pms.effective_targets('2025-06-15') ORDER BY account_id;
SELECT account_id, source, duration_target FROM pms.effective_targets('2025-06-15',
       ARRAY['22222222-2222-4222-8222-222222222223', '22222222-2222-4222-8222-222222222222']::uuid[]) ORDER BY account_id;
SELECT count(*) AS disagreements
FROM unnest(ARRAY['2025-01-01', '2025-03-01', '2025-06-15', '2025-07-01', '2025-12-15', '2026-06-01', '2100-06-01']::timestamptz[]) d
CROSS JOIN LATERAL (
    (SELECT x.account_id, x.source, x.source_id, x.duration_target, x.bucket_weights, x.constraints, x.duration_tolerance,
            x.bucket_tolerance, x.model_id, x.model_version, x.account_target_id, x.household_target_id
     FROM pms.effective_targets(d) x
     EXCEPT ALL
     SELECT a.account_id, o.* FROM pms.accounts a CROSS JOIN LATERAL pms.effective_target(a.account_id, d) o)
    UNION ALL
    (SELECT a.account_id, o.* FROM pms.accounts a CROSS JOIN LATERAL pms.effective_target(a.account_id, d) o
     EXCEPT ALL
     SELECT x.account_id, x.source, x.source_id, x.duration_target, x.bucket_weights, x.constraints, x.duration_tolerance,
            x.bucket_tolerance, x.model_id, x.model_version, x.account_target_id, x.household_target_id
     FROM pms.effective_targets(d) x)
) difference;

-- The pms.as_of setting: the end of that date, in the session time zone
SET pms.as_of = '2025-05-31';
SELECT pms.end_of_day('2025-05-31'), pms.resolve_as_of_time();
SELECT source, duration_target FROM pms.effective_target('22222222-2222-4222-8222-222222222221');
SET pms.as_of = '2025-06-01';
SELECT source, duration_target FROM pms.effective_target('22222222-2222-4222-8222-222222222221');
SELECT target_id, scope, household_name, account_name, duration_target, effective_from, effective_to, status
FROM pms.targets_overview ORDER BY household_name, scope, account_name, effective_from, target_id;
RESET pms.as_of;
SELECT target_id, status FROM pms.targets_overview ORDER BY target_id;

-- A model edit reaches every assigned account from the edit on; earlier instants see the model as it was
SELECT transaction_timestamp() AS before_edit \gset
SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '{"duration_target": 6.5, "constraints": {"max_trades": 30}}', 'carol');
SELECT 'before the edit' AS at, source, duration_target, constraints, model_version
FROM pms.effective_target('22222222-2222-4222-8222-222222222222', :'before_edit')
UNION ALL
SELECT '2025-12-15', source, duration_target, constraints, model_version
FROM pms.effective_target('22222222-2222-4222-8222-222222222222', '2025-12-15')
UNION ALL
SELECT 'now', source, duration_target, constraints, model_version
FROM pms.effective_target('22222222-2222-4222-8222-222222222222');

-- Events: one per command, on the scope's stream
SELECT event_type, household_id, stream_type, stream_id, payload, actor
FROM pms.events WHERE event_id > :last_event AND event_type LIKE 'Target%' ORDER BY event_id;

-- errors: nothing is written
SELECT count(*) AS events_before FROM pms.events \gset
CALL expect_error($$SELECT pms.set_target(NULL, '22222222-2222-4222-8222-222222222221', 5, NULL)$$);
CALL expect_error($$SELECT pms.set_target('portfolio', '22222222-2222-4222-8222-222222222221', 5, NULL)$$);
CALL expect_error($$SELECT pms.set_target('account', NULL, 5, NULL)$$);
CALL expect_error($$SELECT pms.set_target('account', '99999999-9999-4999-8999-999999999999', 5, NULL)$$);
CALL expect_error($$SELECT pms.set_target('household', '99999999-9999-4999-8999-999999999999', 5, NULL)$$);
CALL expect_error($$SELECT pms.set_target('household', '22222222-2222-4222-8222-222222222221', 5, NULL)$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 0, NULL)$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', NULL, '{"0-2y": 0.5, "2-5y": 0.6, "5-10y": 0, "10-20y": 0, "20y+": 0}')$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', NULL, '{"0-2y": 0.5, "2-5y": 0.5, "5-10y": 0, "10-20y": 0, "20y+": 0, "cash": 0}')$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', NULL, '{"0-2y": 1.5, "2-5y": -0.5, "5-10y": 0, "10-20y": 0, "20y+": 0}')$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 5, NULL, '{"turnover": 0.1}')$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 5, NULL, '{"max_turnover": "low"}')$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 5, NULL, duration_tolerance => -0.1)$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', NULL, NULL)$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', NULL, NULL, NULL)$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 5, NULL, effective_from => NULL)$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 5, NULL, effective_from => 'infinity')$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 5, NULL, actor => '')$$);
CALL expect_error($$SELECT pms.set_target('account', '22222222-2222-4222-8222-222222222221', 5, NULL, target_id => '55555555-5555-4555-8555-555555555501')$$);
CALL expect_error($$SELECT pms.clear_target('account', '22222222-2222-4222-8222-222222222221', '2026-06-01')$$);
CALL expect_error($$SELECT pms.clear_target('account', '22222222-2222-4222-8222-222222222224', '2026-06-01')$$);
CALL expect_error($$SELECT pms.clear_target('household', '99999999-9999-4999-8999-999999999999')$$);
CALL expect_error($$SELECT pms.clear_target('everything', '11111111-1111-4111-8111-111111111111')$$);
CALL expect_error($$SELECT pms.clear_target('household', '11111111-1111-4111-8111-111111111111', NULL)$$);
CALL expect_error($$SELECT * FROM pms.effective_target('99999999-9999-4999-8999-999999999999')$$);
CALL expect_error($$SELECT * FROM pms.effective_target(NULL)$$);
SELECT count(*) - :events_before AS events_written FROM pms.events;
SELECT count(*) AS targets FROM pms.targets;

-- The sample book: three models, an account-level and a household-level target
\i test/fixtures/setup.sql
\i test/fixtures/sample_book.sql
SELECT name, duration_target, duration_tolerance, bucket_tolerance, assigned_accounts FROM pms.model_library ORDER BY name;
SELECT scope, household_name, account_name, duration_target, bucket_weights, constraints, effective_from, status
FROM pms.targets_overview ORDER BY scope, household_name;
SELECT a.name AS account, e.source, e.duration_target, e.bucket_weights, e.duration_tolerance, e.bucket_tolerance
FROM pms.accounts a CROSS JOIN LATERAL pms.effective_target(a.account_id, '2026-06-30') e ORDER BY a.name;
\set ECHO none
