-- households.sql: create_household and create_account, their events and every error path.
\i test/fixtures/setup.sql
SET pms.correlation_id = 'req-42';

SELECT pms.create_household('  Adams Family  ', 'alice', '11111111-1111-4111-8111-111111111111');
SELECT household_id, name, created_by FROM pms.households;
SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'Adams Joint', 'Joint', 'usd', 'alice',
                          '22222222-2222-4222-8222-222222222222');
SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'Adams IRA', account_type => 'ira',
                          actor => 'bob', account_id => '33333333-3333-4333-8333-333333333333');
SELECT household_id, account_id, name, account_type, base_currency, created_by FROM pms.accounts ORDER BY name;
SELECT event_id, household_id, stream_type, stream_id, event_type, payload, actor, correlation_id,
       occurred_at = recorded_at AS same_clock
FROM pms.events ORDER BY event_id;

-- a generated id is a fresh uuid, and current_user is the default actor
SELECT pms.create_household('Baker Household') IS NOT NULL AS created;
SELECT actor = current_user AS default_actor FROM pms.events ORDER BY event_id DESC LIMIT 1;

-- errors: nothing is written
SELECT count(*) AS events_before FROM pms.events \gset
CALL expect_error($$SELECT pms.create_household(NULL)$$);
CALL expect_error($$SELECT pms.create_household('   ')$$);
CALL expect_error($$SELECT pms.create_household(repeat('x', 201))$$);
CALL expect_error($$SELECT pms.create_household('Adams again', 'alice', '11111111-1111-4111-8111-111111111111')$$);
CALL expect_error($$SELECT pms.create_household('No actor', '  ')$$);
CALL expect_error($$SELECT pms.create_household('No actor', NULL)$$);
CALL expect_error($$SELECT pms.create_account(NULL, 'x')$$);
CALL expect_error($$SELECT pms.create_account('11111111-1111-4111-8111-111111111111', NULL)$$);
CALL expect_error($$SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'x', NULL)$$);
CALL expect_error($$SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'x', 'ira', NULL)$$);
CALL expect_error($$SELECT pms.create_account('99999999-9999-4999-8999-999999999999', 'Orphan')$$);
CALL expect_error($$SELECT pms.create_account('11111111-1111-4111-8111-111111111111', '')$$);
CALL expect_error($$SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'Adams Roth', 'roth')$$);
CALL expect_error($$SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'Adams Roth', 'ira', 'XYZ')$$);
CALL expect_error($$SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'Adams Roth', 'ira', 'US')$$);
CALL expect_error($$SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'Adams Joint')$$);
CALL expect_error($$SELECT pms.create_account('11111111-1111-4111-8111-111111111111', 'Adams Other', 'ira', 'USD', 'bob',
                          '22222222-2222-4222-8222-222222222222')$$);
SELECT count(*) - :events_before AS events_written FROM pms.events;
SELECT count(*) AS households FROM pms.households;
SELECT count(*) AS accounts FROM pms.accounts;

-- the read views
SELECT name, account_count, created_by FROM pms.household_list ORDER BY name;
SELECT name, household_name, account_type, base_currency FROM pms.account_list ORDER BY name;
