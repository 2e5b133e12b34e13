-- test/pgtap/event_log.sql: the event log is append-only, and each command emits exactly one event.
BEGIN;
SELECT plan(16);

-- Exactly one event per command, in the command's transaction, about the right aggregate.
CREATE TEMP TABLE mark AS SELECT coalesce(max(event_id), 0) AS last FROM pms.events;

SELECT pms.create_household('TAP Household', 'tap', '70000000-0000-4000-8000-000000000001');
SELECT results_eq($$
    SELECT household_id, stream_type, stream_id, event_type, actor
    FROM pms.events WHERE event_id > (SELECT last FROM mark)
$$, $$ VALUES ('70000000-0000-4000-8000-000000000001'::uuid, 'household'::text,
               '70000000-0000-4000-8000-000000000001'::uuid, 'HouseholdCreated'::text, 'tap'::text) $$,
   'create_household emits exactly one HouseholdCreated');
SELECT is((SELECT recorded_at FROM pms.events WHERE event_id > (SELECT last FROM mark)),
          transaction_timestamp(), 'the event is recorded at the transaction time');

UPDATE mark SET last = (SELECT max(event_id) FROM pms.events);
SELECT pms.create_account('70000000-0000-4000-8000-000000000001', 'TAP Account', 'trust', 'EUR', 'tap',
                          '70000000-0000-4000-8000-000000000002');
SELECT results_eq($$
    SELECT household_id, stream_type, stream_id, event_type, payload->>'base_currency'
    FROM pms.events WHERE event_id > (SELECT last FROM mark)
$$, $$ VALUES ('70000000-0000-4000-8000-000000000001'::uuid, 'account'::text,
               '70000000-0000-4000-8000-000000000002'::uuid, 'AccountCreated'::text, 'EUR'::text) $$,
   'create_account emits exactly one AccountCreated');

-- A failing command emits nothing.
UPDATE mark SET last = (SELECT max(event_id) FROM pms.events);
SELECT throws_ok($$SELECT pms.create_account('70000000-0000-4000-8000-000000000001', 'TAP Account')$$,
                 '23505', NULL, 'a duplicate account name is refused');
SELECT throws_ok($$SELECT pms.create_household('')$$, '22023', NULL, 'a blank household name is refused');
SELECT is((SELECT count(*) FROM pms.events WHERE event_id > (SELECT last FROM mark)), 0::bigint,
          'failed commands leave no event');

-- Every household and account row has its creation event (projection = log).
SELECT is_empty($$
    SELECT household_id FROM pms.households
    EXCEPT SELECT stream_id FROM pms.events WHERE event_type = 'HouseholdCreated'
$$, 'every household has its HouseholdCreated event');
SELECT is_empty($$
    SELECT household_id, account_id FROM pms.accounts
    EXCEPT SELECT household_id, stream_id FROM pms.events WHERE event_type = 'AccountCreated'
$$, 'every account has its AccountCreated event in its household');

-- Nobody changes the log: not the owner, not a superuser, not in replica mode.
SELECT throws_ok('UPDATE pms.events SET actor = actor', '55000', 'UPDATE on pms.events is not allowed', 'UPDATE is refused');
SELECT throws_ok('DELETE FROM pms.events', '55000', 'DELETE on pms.events is not allowed', 'DELETE is refused');
SELECT throws_ok('TRUNCATE pms.events', '55000', 'TRUNCATE on pms.events is not allowed', 'TRUNCATE is refused');
SET LOCAL session_replication_role = replica;
SELECT throws_ok('UPDATE pms.events SET actor = actor', '55000', NULL, 'UPDATE is refused in replica mode');
SELECT throws_ok('DELETE FROM pms.events', '55000', NULL, 'DELETE is refused in replica mode');
SELECT throws_ok('TRUNCATE pms.events', '55000', NULL, 'TRUNCATE is refused in replica mode');
SET LOCAL session_replication_role = origin;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), true, 'these refusals were made to a superuser');
SELECT ok((SELECT bool_and(tgenabled = 'A') FROM pg_trigger
           WHERE tgrelid = 'pms.events'::regclass AND NOT tgisinternal), 'the guard triggers are ENABLE ALWAYS');

SELECT * FROM finish();
ROLLBACK;
