-- 20_events.sql: pms.events, the append-only event log, and the one function that writes it.
-- Invariants: rows are never updated, deleted or truncated (trigger enabled ALWAYS);
-- event_id is an identity column (no counter row to contend on); recorded_at is the
-- transaction time of the writing command, the knowledge clock of every later read.

CREATE TABLE pms.events (
    event_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id    uuid,
    stream_type     text NOT NULL CHECK (stream_type ~ '^[a-z_]+$'),
    stream_id       uuid NOT NULL,
    event_type      text NOT NULL CHECK (event_type ~ '^[A-Z][A-Za-z]+$'),
    payload         jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    actor           text NOT NULL CHECK (btrim(actor) <> ''),
    recorded_by     text NOT NULL DEFAULT session_user,
    correlation_id  text
);
COMMENT ON TABLE pms.events IS
    'Append-only event log: every command writes exactly one row here, in the same transaction as its effect.';
COMMENT ON COLUMN pms.events.event_id IS 'Position of the event in the log (identity; gaps are possible, order is commit-independent).';
COMMENT ON COLUMN pms.events.household_id IS 'Household the event belongs to; NULL for firm-wide events (reference data).';
COMMENT ON COLUMN pms.events.stream_type IS 'Kind of aggregate the event belongs to: household, account, instrument, ...';
COMMENT ON COLUMN pms.events.stream_id IS 'Id of the aggregate the event belongs to.';
COMMENT ON COLUMN pms.events.event_type IS 'What happened, in PascalCase: HouseholdCreated, AccountCreated, ...';
COMMENT ON COLUMN pms.events.payload IS 'The facts of the event, as a JSON object.';
COMMENT ON COLUMN pms.events.occurred_at IS 'Business time: when it happened in the world.';
COMMENT ON COLUMN pms.events.recorded_at IS 'Knowledge time: the transaction time at which pms learned it.';
COMMENT ON COLUMN pms.events.actor IS 'Who asked for it (the advisor or system on whose behalf the command ran).';
COMMENT ON COLUMN pms.events.recorded_by IS 'Database session user that wrote the event.';
COMMENT ON COLUMN pms.events.correlation_id IS 'Request id from the pms.correlation_id setting, if the caller set one.';

CREATE INDEX events_household_stream_idx ON pms.events (household_id, stream_type, stream_id, event_id);
CREATE INDEX events_stream_idx ON pms.events (stream_id, event_id);
CREATE INDEX events_recorded_at_idx ON pms.events USING brin (recorded_at);

CREATE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE ON pms.events
    FOR EACH ROW EXECUTE FUNCTION pms.refuse_mutation();
CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON pms.events
    FOR EACH STATEMENT EXECUTE FUNCTION pms.refuse_mutation();
ALTER TABLE pms.events ENABLE ALWAYS TRIGGER events_append_only;
ALTER TABLE pms.events ENABLE ALWAYS TRIGGER events_no_truncate;

SELECT pg_catalog.pg_extension_config_dump('pms.events', '');

-- Appends one event; the only writer of pms.events.  Internal: commands call it.
CREATE FUNCTION pms.append_event(
    household_id uuid,
    stream_type text,
    stream_id uuid,
    event_type text,
    payload jsonb,
    actor text,
    occurred_at timestamptz DEFAULT pg_catalog.transaction_timestamp()
) RETURNS bigint
LANGUAGE sql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO pms.events (household_id, stream_type, stream_id, event_type, payload,
                            occurred_at, actor, correlation_id)
    VALUES (append_event.household_id, append_event.stream_type, append_event.stream_id,
            append_event.event_type, append_event.payload, append_event.occurred_at,
            append_event.actor,
            nullif(pg_catalog.current_setting('pms.correlation_id', true), ''))
    RETURNING event_id
$$;
REVOKE ALL ON FUNCTION pms.append_event(uuid, text, uuid, text, jsonb, text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION pms.append_event(uuid, text, uuid, text, jsonb, text, timestamptz) IS
    'Internal: appends one event to pms.events (called by commands in the transaction of their effect).';
