-- event_log.sql: pms.events is append-only for everyone, including superusers and replicas.
\i test/fixtures/setup.sql
SELECT pms.create_household('Log Test', 'tester', '55555555-5555-4555-8555-555555555555');
SELECT count(*) AS events FROM pms.events;

CALL expect_error($$UPDATE pms.events SET actor = 'mallory'$$);
CALL expect_error($$DELETE FROM pms.events$$);
CALL expect_error($$TRUNCATE pms.events$$);
-- replication mode does not bypass the guard (triggers are ENABLE ALWAYS)
SET session_replication_role = replica;
CALL expect_error($$UPDATE pms.events SET actor = 'mallory'$$);
CALL expect_error($$DELETE FROM pms.events$$);
RESET session_replication_role;
-- the identity column cannot be chosen by the writer
CALL expect_error($$INSERT INTO pms.events (event_id, stream_type, stream_id, event_type, payload, occurred_at, actor)
    VALUES (1, 'household', gen_random_uuid(), 'Forged', '{}', now(), 'mallory')$$);
-- malformed rows are rejected by the table's checks
CALL expect_error($$INSERT INTO pms.events (stream_type, stream_id, event_type, payload, occurred_at, actor)
    VALUES ('household', gen_random_uuid(), 'HouseholdCreated', '[1]', now(), 'x')$$, show_detail => false);
CALL expect_error($$INSERT INTO pms.events (stream_type, stream_id, event_type, payload, occurred_at, actor)
    VALUES ('Household!', gen_random_uuid(), 'HouseholdCreated', '{}', now(), 'x')$$, show_detail => false);
SELECT count(*) AS events, min(actor) AS actor FROM pms.events;

-- an unprivileged role can call the commands but cannot write or read the log directly
SET client_min_messages = warning;
DROP ROLE IF EXISTS pms_test_advisor;
CREATE ROLE pms_test_advisor;
RESET client_min_messages;
SET ROLE pms_test_advisor;
SELECT pms.create_household('Advisor Household', household_id => '66666666-6666-4666-8666-666666666666');
CALL expect_error($$INSERT INTO pms.events (stream_type, stream_id, event_type, payload, occurred_at, actor)
    VALUES ('household', gen_random_uuid(), 'HouseholdCreated', '{}', now(), 'x')$$);
CALL expect_error($$SELECT pms.append_event(NULL, 'household', gen_random_uuid(), 'Forged', '{}', 'x')$$);
CALL expect_error($$SELECT count(*) FROM pms.events$$);
SELECT count(*) AS instruments_readable FROM pms.instruments;
RESET ROLE;
SELECT stream_id, event_type, actor, recorded_by = session_user AS recorded_by_session
FROM pms.events WHERE stream_id = '66666666-6666-4666-8666-666666666666';
DROP OWNED BY pms_test_advisor;
DROP ROLE pms_test_advisor;
