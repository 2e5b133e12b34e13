-- 00_preamble.sql: schema-level settings shared by every later file.
-- The schema itself is created by CREATE EXTENSION (pms.control: schema = pms).

COMMENT ON SCHEMA pms IS 'pms: event-sourced portfolio management (households, accounts, holdings, analytics, rebalancing).';

-- Callers need USAGE to reach commands and reads; table privileges stay with the owner.
GRANT USAGE ON SCHEMA pms TO PUBLIC;

-- Append-only guard shared by the event log and every typed event table.
CREATE FUNCTION pms.refuse_mutation() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'pms_refuse_mutation';
COMMENT ON FUNCTION pms.refuse_mutation() IS
    'Trigger: refuses UPDATE, DELETE and TRUNCATE on an append-only table (optional argument: the hint).';

-- Knowledge-time stamp shared by the typed event tables: recorded_at is always the transaction time.
CREATE FUNCTION pms.stamp_recorded_at() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'pms_stamp_recorded_at';
COMMENT ON FUNCTION pms.stamp_recorded_at() IS
    'Trigger: sets recorded_at to the transaction time on insert, so nobody can backdate knowledge time.';
