-- models.sql: create, update, duplicate and delete models, assign and unassign accounts (bulk,
-- spliced into each account's timeline), their events, versions, views and every error path.
\i test/fixtures/setup.sql

SELECT pms.create_household('Adams Family', 'alice', '11111111-1111-4111-8111-111111111111');
SELECT pms.create_household('Baker Household', 'alice', '11111111-1111-4111-8111-111111111112');
SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'Adams Joint', 'joint', 'USD', 'alice', '22222222-2222-4222-8222-222222222221');
SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'Adams IRA', 'ira', 'USD', 'alice', '22222222-2222-4222-8222-222222222222');
SELECT pms.create_account('11111111-1111-4111-8111-111111111112', 'Baker Trust', 'trust', 'USD', 'alice', '22222222-2222-4222-8222-222222222223');
INSERT INTO pms.instruments (instrument_id, cusip, isin, description, asset_class, currency, coupon_rate, maturity_date,
                             issue_date, coupon_frequency, day_count, country)
VALUES ('30000000-0000-4000-8000-000000000001', '91282CKY6', 'US91282CKY65', 'UST 4.625% 30-Jun-2027', 'BOND', 'USD',
        0.04625, '2027-06-30', '2024-06-30', 2, 'ACT/ACT', 'US');
SELECT max(event_id) AS last_event FROM pms.events \gset

-- create: default tolerances; explicit tolerances, constraints (normalized) and a client-chosen id
SELECT pms.create_model('  Core Intermediate ', 6.0,
                        '{"0-2y": 0.1, "2-5y": 0.3, "5-10y": 0.4, "10-20y": 0.15, "20y+": 0.05}',
                        description => 'Intermediate-duration core bond portfolio', actor => 'alice',
                        model_id => '44444444-4444-4444-8444-444444444441');
SELECT pms.create_model('Short Duration', 2.5,
                        '{"0-2y": 0.4, "2-5y": 0.45, "5-10y": 0.15, "10-20y": 0, "20y+": 0}',
                        '{"max_position_weight": 0.25, "min_trade_notional": 5000, "max_trades": 12,
                          "restricted_instruments": ["30000000-0000-4000-8000-000000000001", "30000000000040008000000000000001"],
                          "max_turnover": null}',
                        NULL, 'bob', 0.15, 0.1, '44444444-4444-4444-8444-444444444442');
-- weights summing to 1 within 1e-9 are accepted
SELECT pms.create_model('Almost One', 5, '{"0-2y": 0.2, "2-5y": 0.2, "5-10y": 0.2, "10-20y": 0.2, "20y+": 0.1999999999}', actor => 'dave') IS NOT NULL AS created;
SELECT name, description, duration_target, bucket_weights, duration_tolerance, bucket_tolerance, constraints,
       version, created_by, updated_by, updated_at = created_at AS never_edited, deleted_at
FROM pms.models ORDER BY name;
SELECT m.name, v.version, v.valid_from, v.valid_to, v.duration_target, v.recorded_by
FROM pms.model_versions v JOIN pms.models m USING (model_id) ORDER BY m.name, v.version;
SELECT event_type, household_id, stream_type, stream_id, payload, actor
FROM pms.events WHERE event_id > :last_event AND stream_type = 'model' AND payload->>'name' <> 'Almost One' ORDER BY event_id;

-- update: the keys given replace those fields; a new version from the transaction time
SELECT pms.update_model('44444444-4444-4444-8444-444444444441',
                        '{"duration_target": 6.5, "name": "Core Intermediate II", "description": "  ",
                          "constraints": {"max_position_weight": 0.2}}', 'carol');
SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '{"bucket_tolerance": 0.04}', 'carol');
SELECT name, description, duration_target, bucket_tolerance, constraints, version, updated_by,
       updated_at > created_at AS edited
FROM pms.models WHERE model_id = '44444444-4444-4444-8444-444444444441';
SELECT v.version, v.name, v.duration_target, v.bucket_tolerance, v.valid_from = '-infinity' AS from_start,
       v.valid_to = lead(v.valid_from) OVER (ORDER BY v.version) AS closed_by_next, v.valid_to IS NULL AS current,
       v.recorded_by
FROM pms.model_versions v WHERE v.model_id = '44444444-4444-4444-8444-444444444441' ORDER BY v.version;
SELECT event_type, payload FROM pms.events WHERE event_type = 'ModelUpdated' ORDER BY event_id;

-- duplicate: the current definition under a new name, nothing assigned
SELECT pms.duplicate_model('44444444-4444-4444-8444-444444444441', 'Core Copy', 'bob', '44444444-4444-4444-8444-444444444443');
SELECT name, description, duration_target, bucket_weights, bucket_tolerance, constraints, version, created_by
FROM pms.models WHERE model_id = '44444444-4444-4444-8444-444444444443';
SELECT event_type, stream_id, payload->'duplicated_from' AS duplicated_from, payload->'duplicated_version' AS duplicated_version,
       payload->'name' AS name
FROM pms.events WHERE event_type = 'ModelDuplicated';

-- assign (bulk) and reassign: each account's timeline of models
SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222222', '22222222-2222-4222-8222-222222222221',
                              '22222222-2222-4222-8222-222222222221']::uuid[],
                        '44444444-4444-4444-8444-444444444441', 'alice', '2025-01-01');
SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222223']::uuid[], '44444444-4444-4444-8444-444444444442',
                        'alice', '2025-01-01');
-- a reassignment ends the one in force
SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222222']::uuid[], '44444444-4444-4444-8444-444444444442',
                        'alice', '2025-06-01');
-- scheduled for the future
SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], '44444444-4444-4444-8444-444444444443',
                        'alice', '2100-01-01');
-- unassign (the account then follows no model), then a backdated reassignment in the middle:
-- it takes over the rest of the interval it splits, and the gap after it stays
SELECT pms.unassign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], 'alice', '2025-09-01');
SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], '44444444-4444-4444-8444-444444444442',
                        'alice', '2025-03-01');
-- assigned in a gap: runs until the next scheduled assignment
SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], '44444444-4444-4444-8444-444444444441',
                        'alice', '2025-10-01');
SELECT a.name AS account, m.name AS model, x.effective_from, x.effective_to, x.assigned_by
FROM pms.model_assignments x JOIN pms.accounts a USING (household_id, account_id) JOIN pms.models m USING (model_id)
ORDER BY a.name, x.effective_from;
SELECT e.event_type, e.household_id, e.stream_type, e.payload->'model_id' AS model_id,
       e.payload->'effective_from' AS effective_from,
       (SELECT jsonb_agg(x - 'assignment_id') FROM jsonb_array_elements(e.payload->'accounts') x) AS accounts
FROM pms.events e WHERE e.stream_type = 'model_assignment' ORDER BY e.event_id;

-- the views, now and as of a past date
SELECT name, duration_target, bucket_weights, assigned_accounts, version, created_by, updated_by
FROM pms.model_library ORDER BY name;
SELECT model_name, household_name, account_name, effective_from, effective_to FROM pms.model_accounts ORDER BY model_name, account_name;
SET pms.as_of = '2025-04-01';
SELECT name, assigned_accounts FROM pms.model_library ORDER BY name;
SELECT model_name, account_name, effective_from, effective_to FROM pms.model_accounts ORDER BY model_name, account_name;
RESET pms.as_of;

-- delete: refused while an account is assigned now or later
SELECT count(*) AS events_before FROM pms.events \gset
CALL expect_error($$SELECT pms.delete_model('44444444-4444-4444-8444-444444444441')$$);
CALL expect_error($$SELECT pms.delete_model('44444444-4444-4444-8444-444444444443')$$);
-- replacing the scheduled assignment (same start) supersedes it; the copy can then go
SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], '44444444-4444-4444-8444-444444444442',
                        'alice', '2100-01-01');
SELECT m.name AS model, x.effective_from, x.effective_to, x.effective_from = x.effective_to AS superseded
FROM pms.model_assignments x JOIN pms.models m USING (model_id)
WHERE x.account_id = '22222222-2222-4222-8222-222222222221' AND x.effective_from >= '2100-01-01' ORDER BY m.name;
SELECT pms.delete_model('44444444-4444-4444-8444-444444444443', 'bob');
SELECT name, deleted_by, deleted_at IS NOT NULL AS deleted FROM pms.models WHERE model_id = '44444444-4444-4444-8444-444444444443';
SELECT version, valid_to IS NOT NULL AS closed FROM pms.model_versions WHERE model_id = '44444444-4444-4444-8444-444444444443';
SELECT name FROM pms.model_library ORDER BY name;
SELECT event_type, payload FROM pms.events WHERE event_type = 'ModelDeleted';
-- a deleted model's name is free again
SELECT pms.create_model('core copy', 4, '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.25, "10-20y": 0.25, "20y+": 0}') IS NOT NULL AS created;
SELECT created_by = current_user AS default_actor FROM pms.models WHERE name = 'core copy';

-- errors: nothing is written
SELECT count(*) AS events_before FROM pms.events \gset
CALL expect_error($$SELECT pms.create_model(NULL, 5, '{}')$$);
CALL expect_error($$SELECT pms.create_model('X', NULL, '{}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, NULL)$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', NULL)$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', duration_tolerance => NULL)$$);
CALL expect_error($$SELECT pms.create_model('  ', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', actor => ' ')$$);
CALL expect_error($$SELECT pms.create_model('CORE intermediate ii', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}')$$);
CALL expect_error($$SELECT pms.create_model('Other', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', model_id => '44444444-4444-4444-8444-444444444443')$$);
CALL expect_error($$SELECT pms.create_model('X', 0, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}')$$);
CALL expect_error($$SELECT pms.create_model('X', -2, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}')$$);
CALL expect_error($$SELECT pms.create_model('X', 'NaN', '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}')$$);
CALL expect_error($$SELECT pms.create_model('X', 'Infinity', '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '[0.2, 0.2, 0.2, 0.2, 0.2]')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 0.2, "2-5y": 0.2, "5-10y": 0.2, "10-20y": 0.2, "30y+": 0.2}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 0.25, "2-5y": 0.25, "5-10y": 0.25, "10-20y": 0.25}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": "0.2", "2-5y": 0.2, "5-10y": 0.2, "10-20y": 0.2, "20y+": 0.2}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": -0.1, "2-5y": 0.3, "5-10y": 0.4, "10-20y": 0.2, "20y+": 0.2}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1.5, "2-5y": -0.5, "5-10y": 0, "10-20y": 0, "20y+": 0}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 0.2, "2-5y": 0.2, "5-10y": 0.2, "10-20y": 0.2, "20y+": 0.1}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 0.2, "2-5y": 0.2, "5-10y": 0.2, "10-20y": 0.2, "20y+": 0.20000001}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', duration_tolerance => 0)$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', bucket_tolerance => 1.5)$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '[]')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"max_weight": 0.1}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"max_position_weight": "10%"}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"max_position_weight": 0}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"min_position_weight": 1.2}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"min_trade_notional": -1}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"max_turnover": true}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"max_trades": 2.5}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"max_trades": 0}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"restricted_instruments": "91282CKY6"}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"restricted_instruments": ["91282CKY6"]}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"restricted_instruments": ["99999999-9999-4999-8999-999999999999"]}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', '{"min_position_weight": 0.3, "max_position_weight": 0.2}')$$);
CALL expect_error($$SELECT pms.create_model('X', 5, '{"0-2y": 1, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}', description => repeat('x', 2001))$$);
CALL expect_error($$SELECT pms.update_model('99999999-9999-4999-8999-999999999999', '{"duration_target": 5}')$$);
CALL expect_error($$SELECT pms.update_model(NULL, '{"duration_target": 5}')$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444441', NULL)$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '{}')$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '[{"duration_target": 5}]')$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '{"duration": 5}')$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '{"name": null}')$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '{"name": 5}')$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '{"duration_target": "6"}')$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '{"duration_target": -6}')$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '{"bucket_weights": {"0-2y": 1}}')$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '{"constraints": {"max_trades": "ten"}}')$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444441', '{"name": "short duration"}')$$);
CALL expect_error($$SELECT pms.update_model('44444444-4444-4444-8444-444444444443', '{"duration_target": 5}')$$);
CALL expect_error($$SELECT pms.duplicate_model('99999999-9999-4999-8999-999999999999', 'New')$$);
CALL expect_error($$SELECT pms.duplicate_model('44444444-4444-4444-8444-444444444441', NULL)$$);
CALL expect_error($$SELECT pms.duplicate_model('44444444-4444-4444-8444-444444444441', 'Short Duration')$$);
CALL expect_error($$SELECT pms.duplicate_model('44444444-4444-4444-8444-444444444441', 'New', 'bob', '44444444-4444-4444-8444-444444444442')$$);
CALL expect_error($$SELECT pms.delete_model('99999999-9999-4999-8999-999999999999')$$);
CALL expect_error($$SELECT pms.delete_model('44444444-4444-4444-8444-444444444443')$$);
CALL expect_error($$SELECT pms.assign_model(NULL, '44444444-4444-4444-8444-444444444441')$$);
CALL expect_error($$SELECT pms.assign_model('{}', '44444444-4444-4444-8444-444444444441')$$);
CALL expect_error($$SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221', NULL]::uuid[], '44444444-4444-4444-8444-444444444441')$$);
CALL expect_error($$SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221', '99999999-9999-4999-8999-999999999999', '99999999-9999-4999-8999-999999999998']::uuid[], '44444444-4444-4444-8444-444444444441')$$);
CALL expect_error($$SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], '99999999-9999-4999-8999-999999999999')$$);
CALL expect_error($$SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], NULL)$$);
CALL expect_error($$SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], '44444444-4444-4444-8444-444444444443')$$);
CALL expect_error($$SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], '44444444-4444-4444-8444-444444444441', 'alice', NULL)$$);
CALL expect_error($$SELECT pms.assign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], '44444444-4444-4444-8444-444444444441', 'alice', '-infinity')$$);
CALL expect_error($$SELECT pms.unassign_model(ARRAY['22222222-2222-4222-8222-222222222221', '22222222-2222-4222-8222-222222222223']::uuid[], 'alice', '2025-09-15')$$);
CALL expect_error($$SELECT pms.unassign_model(ARRAY['99999999-9999-4999-8999-999999999999']::uuid[])$$);
CALL expect_error($$SELECT pms.unassign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], effective_from => NULL)$$);
CALL expect_error($$SELECT pms.unassign_model(ARRAY['22222222-2222-4222-8222-222222222221']::uuid[], effective_from => 'infinity')$$);
SELECT count(*) - :events_before AS events_written FROM pms.events;
SELECT count(*) AS models, count(*) FILTER (WHERE deleted_at IS NULL) AS live FROM pms.models;
SELECT count(*) AS assignments FROM pms.model_assignments;
\set ECHO none
