-- 70_models.sql: portfolio models (firm-wide reference data), their version history, and
-- the assignment of accounts to them.
-- Invariants: pms.models holds one row per model ever created (deleted ones keep their row,
-- with deleted_at); pms.model_versions holds every definition a model has had, as
-- append-and-close intervals [valid_from, valid_to) that tile time without overlap (the first
-- version starts at -infinity, each edit closes the version in force at its transaction time);
-- pms.model_assignments is an account's timeline of models [effective_from, effective_to),
-- at most one in force at any instant.  Every command appends exactly one event.
-- Concurrency: model edits serialize on the model row; timeline changes of an account or
-- household serialize on its row in pms.timeline_heads (locked in id order, then read with a
-- fresh snapshot); under REPEATABLE READ a concurrent writer makes the second fail with 40001.

-- Default relative duration tolerance of a model: 10% of the target duration.
CREATE FUNCTION pms.default_duration_tolerance() RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT 0.10::float8 $$;
COMMENT ON FUNCTION pms.default_duration_tolerance() IS
    'Default duration tolerance (relative: 0.10 = the duration may be 10% away from its target).';

-- Default absolute bucket tolerance of a model: 5 percentage points per bucket.
CREATE FUNCTION pms.default_bucket_tolerance() RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT 0.05::float8 $$;
COMMENT ON FUNCTION pms.default_bucket_tolerance() IS
    'Default bucket tolerance (absolute: 0.05 = each bucket weight may be 5 percentage points away from its target).';

-- Formats an instant for messages: ISO, in UTC, whatever the session's DateStyle and TimeZone.
CREATE FUNCTION pms.iso_instant(instant timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT to_char(instant AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
           || CASE WHEN extract(microseconds FROM instant AT TIME ZONE 'UTC')::bigint % 1000000 <> 0
                   THEN to_char(instant AT TIME ZONE 'UTC', '.US') ELSE '' END || ' UTC'
$$;
COMMENT ON FUNCTION pms.iso_instant(timestamptz) IS
    'Internal: an instant as ISO text in UTC (microseconds only when there are some), for error messages.';

-- Checks a duration target: a finite number of years above 0 (22023).
CREATE FUNCTION pms.check_duration_target(duration_target float8) RETURNS float8
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF duration_target IS NOT NULL
       AND (duration_target <= 0 OR duration_target IN ('NaN', 'Infinity')) THEN
        RAISE EXCEPTION 'duration target % is out of range', duration_target
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A duration target is a finite number of years above 0.',
                  HINT = 'Give the target modified duration in years, e.g. 6.5.';
    END IF;
    RETURN duration_target;
END
$$;
COMMENT ON FUNCTION pms.check_duration_target(float8) IS
    'Internal: returns the duration target; raises invalid_parameter_value (22023) unless it is finite and above 0 (NULL passes).';

-- Checks a tolerance: a number above 0 and at most 1 (22023).
CREATE FUNCTION pms.check_tolerance(tolerance float8, argument text) RETURNS float8
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF tolerance IS NOT NULL AND (tolerance <= 0 OR tolerance > 1 OR tolerance = 'NaN') THEN
        RAISE EXCEPTION '% % is out of range', argument, tolerance
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('%s is a fraction above 0 and at most 1 (%s).', argument,
                                  CASE argument WHEN 'duration_tolerance' THEN 'relative to the duration target'
                                                ELSE 'absolute, per bucket weight' END),
                  HINT = format('For example %s.', CASE argument WHEN 'duration_tolerance' THEN '0.10 for 10%'
                                                        ELSE '0.05 for 5 percentage points' END);
    END IF;
    RETURN tolerance;
END
$$;
COMMENT ON FUNCTION pms.check_tolerance(float8, text) IS
    'Internal: returns the tolerance; raises invalid_parameter_value (22023) unless it is above 0 and at most 1 (NULL passes).';

-- Checks bucket weights: exactly the five maturity buckets, each in [0, 1], summing to 1 within 1e-9 (22023).
CREATE FUNCTION pms.check_bucket_weights(bucket_weights jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    buckets constant text[] := ARRAY['0-2y', '2-5y', '5-10y', '10-20y', '20y+'];
    bucket  text;
    weight  jsonb;
    total   numeric := 0;
BEGIN
    IF bucket_weights IS NULL THEN
        RETURN NULL;
    END IF;
    IF jsonb_typeof(bucket_weights) <> 'object' THEN
        RAISE EXCEPTION 'bucket_weights must be a JSON object'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('It is a JSON %s.', jsonb_typeof(bucket_weights)),
                  HINT = 'Give one weight per bucket, e.g. {"0-2y": 0.2, "2-5y": 0.3, "5-10y": 0.3, "10-20y": 0.1, "20y+": 0.1}.';
    END IF;
    FOR bucket, weight IN SELECT e.key, e.value FROM jsonb_each(bucket_weights) e ORDER BY e.key LOOP
        IF bucket <> ALL (buckets) THEN
            RAISE EXCEPTION 'unknown maturity bucket "%"', bucket
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'The buckets are 0-2y, 2-5y, 5-10y, 10-20y and 20y+.',
                      HINT = 'Spell the bucket keys exactly as listed.';
        END IF;
        IF jsonb_typeof(weight) <> 'number' THEN
            RAISE EXCEPTION 'weight of bucket "%" is not a number', bucket
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = format('It is a JSON %s.', jsonb_typeof(weight)),
                      HINT = 'Give weights as JSON numbers, e.g. 0.25 for 25%.';
        END IF;
        IF weight::numeric < 0 OR weight::numeric > 1 THEN
            RAISE EXCEPTION 'weight of bucket "%" is out of range', bucket
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = format('It is %s; a weight is a fraction of the portfolio between 0 and 1.', weight),
                      HINT = 'Give weights as fractions, e.g. 0.25 for 25%.';
        END IF;
        total := total + weight::numeric;
    END LOOP;
    FOREACH bucket IN ARRAY buckets LOOP
        IF NOT bucket_weights ? bucket THEN
            RAISE EXCEPTION 'bucket "%" is missing from bucket_weights', bucket
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'bucket_weights gives a weight for each of the five buckets 0-2y, 2-5y, 5-10y, 10-20y and 20y+.',
                      HINT = 'Give 0 for a bucket the portfolio should not hold.';
        END IF;
    END LOOP;
    IF abs(total - 1) > 1e-9 THEN
        RAISE EXCEPTION 'bucket weights sum to %, not 1', total
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The five bucket weights must add up to 1 (within 1e-9).',
                  HINT = 'Give weights as fractions of the portfolio: 0.25 for 25%.';
    END IF;
    RETURN bucket_weights;
END
$$;
COMMENT ON FUNCTION pms.check_bucket_weights(jsonb) IS
    'Internal: returns the bucket weights; raises invalid_parameter_value (22023) unless they are a JSON object over exactly 0-2y, 2-5y, 5-10y, 10-20y and 20y+, each a number in [0, 1], summing to 1 within 1e-9 (NULL passes).';

-- Raises 22023 for a constraint value of the wrong type or out of range.
CREATE FUNCTION pms.constraint_error(key text, value jsonb, expected text) RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'constraint "%" must be %', key, expected
        USING ERRCODE = 'invalid_parameter_value',
              DETAIL = format('It is %s (a JSON %s).', value, jsonb_typeof(value)),
              HINT = 'See the constraints keys in docs/targets.md; null removes an inherited limit.';
END
$$;
COMMENT ON FUNCTION pms.constraint_error(text, jsonb, text) IS
    'Internal: raises invalid_parameter_value (22023) for a constraint value of the wrong type or out of range.';

-- Checks and normalizes a constraints object (22023; 23503 for an unknown restricted instrument).
CREATE FUNCTION pms.check_constraints(constraints jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    key         text;
    value       jsonb;
    ids         uuid[];
    missing     uuid;
    result      jsonb := '{}';
BEGIN
    IF jsonb_typeof(constraints) <> 'object' THEN
        RAISE EXCEPTION 'constraints must be a JSON object'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('It is a JSON %s.', jsonb_typeof(constraints)),
                  HINT = 'Give {} for no constraints, e.g. {"max_position_weight": 0.1}.';
    END IF;
    FOR key, value IN SELECT e.key, e.value FROM jsonb_each(constraints) e ORDER BY e.key LOOP
        IF key NOT IN ('min_position_weight', 'max_position_weight', 'min_trade_notional',
                       'max_turnover', 'max_trades', 'restricted_instruments') THEN
            RAISE EXCEPTION 'unknown constraint "%"', key
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'The constraints are min_position_weight, max_position_weight, min_trade_notional, max_turnover, max_trades and restricted_instruments.',
                      HINT = 'Spell the keys exactly as listed (see docs/targets.md).';
        END IF;
        IF jsonb_typeof(value) = 'null' THEN
            result := result || jsonb_build_object(key, value);
            CONTINUE;
        END IF;
        CASE key
        WHEN 'min_position_weight' THEN
            IF jsonb_typeof(value) <> 'number' OR value::numeric < 0 OR value::numeric > 1 THEN
                PERFORM pms.constraint_error(key, value, 'a number between 0 and 1');
            END IF;
        WHEN 'max_position_weight' THEN
            IF jsonb_typeof(value) <> 'number' OR value::numeric <= 0 OR value::numeric > 1 THEN
                PERFORM pms.constraint_error(key, value, 'a number above 0 and at most 1');
            END IF;
        WHEN 'min_trade_notional' THEN
            IF jsonb_typeof(value) <> 'number' OR value::numeric < 0 THEN
                PERFORM pms.constraint_error(key, value, 'a number at or above 0');
            END IF;
        WHEN 'max_turnover' THEN
            IF jsonb_typeof(value) <> 'number' OR value::numeric <= 0 OR value::numeric > 1 THEN
                PERFORM pms.constraint_error(key, value, 'a number above 0 and at most 1');
            END IF;
        WHEN 'max_trades' THEN
            IF jsonb_typeof(value) <> 'number' OR value::numeric <> trunc(value::numeric)
               OR value::numeric < 1 OR value::numeric > 2147483647 THEN
                PERFORM pms.constraint_error(key, value, 'a whole number at or above 1');
            END IF;
        WHEN 'restricted_instruments' THEN
            IF jsonb_typeof(value) <> 'array'
               OR EXISTS (SELECT 1 FROM jsonb_array_elements(value) v
                          WHERE jsonb_typeof(v) <> 'string'
                             OR v #>> '{}' !~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$') THEN
                PERFORM pms.constraint_error(key, value, 'an array of instrument ids (uuid strings)');
            END IF;
            ids := ARRAY(SELECT DISTINCT (v #>> '{}')::uuid FROM jsonb_array_elements(value) v ORDER BY 1);
            SELECT i INTO missing FROM unnest(ids) i
            WHERE NOT EXISTS (SELECT 1 FROM pms.instruments x WHERE x.instrument_id = i)
            ORDER BY i LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'restricted instrument % does not exist', missing
                    USING ERRCODE = 'foreign_key_violation',
                          DETAIL = 'restricted_instruments lists instrument ids from pms.instruments.',
                          HINT = 'Load the instrument first, or correct the id.';
            END IF;
            value := to_jsonb(ids);
        END CASE;
        result := result || jsonb_build_object(key, value);
    END LOOP;
    IF jsonb_typeof(result->'min_position_weight') = 'number' AND jsonb_typeof(result->'max_position_weight') = 'number'
       AND (result->>'min_position_weight')::numeric > (result->>'max_position_weight')::numeric THEN
        RAISE EXCEPTION 'min_position_weight % is above max_position_weight %',
                        result->'min_position_weight', result->'max_position_weight'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A position cannot have to be larger than it may be.',
                  HINT = 'Lower min_position_weight or raise max_position_weight.';
    END IF;
    RETURN result;
END
$$;
COMMENT ON FUNCTION pms.check_constraints(jsonb) IS
    'Internal: validates a constraints object (keys min_position_weight, max_position_weight, min_trade_notional, max_turnover, max_trades, restricted_instruments; null values allowed) and returns it with restricted_instruments sorted and deduplicated; 22023 for a bad key or value, 23503 for an unknown instrument.';

-- Rejects an infinite effective time (22023): timelines start and end at real instants.
CREATE FUNCTION pms.check_effective_time(instant timestamptz, argument text) RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT isfinite(instant) THEN
        RAISE EXCEPTION '% must be a finite time', argument
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('It is %s.', instant),
                  HINT = 'Give a date or timestamp, e.g. ''2026-01-01''.';
    END IF;
    RETURN instant;
END
$$;
COMMENT ON FUNCTION pms.check_effective_time(timestamptz, text) IS
    'Internal: returns the time; raises invalid_parameter_value (22023) when it is +/-infinity.';

CREATE TABLE pms.models (
    model_id            uuid PRIMARY KEY,
    name                text NOT NULL CHECK (name = btrim(name) AND name <> ''),
    description         text,
    duration_target     float8 NOT NULL,
    bucket_weights      jsonb NOT NULL,
    duration_tolerance  float8 NOT NULL,
    bucket_tolerance    float8 NOT NULL,
    constraints         jsonb NOT NULL DEFAULT '{}',
    version             integer NOT NULL CHECK (version >= 1),
    created_at          timestamptz NOT NULL,
    created_by          text NOT NULL,
    updated_at          timestamptz NOT NULL,
    updated_by          text NOT NULL,
    deleted_at          timestamptz,
    deleted_by          text
);
COMMENT ON TABLE pms.models IS
    'Portfolio models (firm-wide reference data): the current definition of every model ever created; projection of ModelCreated, ModelDuplicated, ModelUpdated and ModelDeleted. Past definitions are in pms.model_versions.';
COMMENT ON COLUMN pms.models.model_id IS 'Model id.';
COMMENT ON COLUMN pms.models.name IS 'Model name, unique (ignoring case) among models not deleted.';
COMMENT ON COLUMN pms.models.description IS 'Free-text description, if any.';
COMMENT ON COLUMN pms.models.duration_target IS 'Target modified duration in years (above 0).';
COMMENT ON COLUMN pms.models.bucket_weights IS 'Target weight per maturity bucket: {"0-2y", "2-5y", "5-10y", "10-20y", "20y+"}, each in [0, 1], summing to 1.';
COMMENT ON COLUMN pms.models.duration_tolerance IS 'Duration tolerance, relative to the target (default 0.10 = 10%).';
COMMENT ON COLUMN pms.models.bucket_tolerance IS 'Bucket weight tolerance, absolute per bucket (default 0.05 = 5 percentage points).';
COMMENT ON COLUMN pms.models.constraints IS 'Portfolio constraints (keys in docs/targets.md): min/max position weight, min trade notional, max turnover, max trades, restricted instruments.';
COMMENT ON COLUMN pms.models.version IS 'Number of the current definition in pms.model_versions (1 at creation, +1 per edit).';
COMMENT ON COLUMN pms.models.created_at IS 'When the model was created.';
COMMENT ON COLUMN pms.models.created_by IS 'Actor who created it.';
COMMENT ON COLUMN pms.models.updated_at IS 'When the definition last changed (the creation time if never edited).';
COMMENT ON COLUMN pms.models.updated_by IS 'Actor of the last change.';
COMMENT ON COLUMN pms.models.deleted_at IS 'When the model was deleted; NULL while it is live.';
COMMENT ON COLUMN pms.models.deleted_by IS 'Actor who deleted it.';
CREATE UNIQUE INDEX models_live_name_idx ON pms.models (lower(name)) WHERE deleted_at IS NULL;

CREATE TABLE pms.model_versions (
    model_id            uuid NOT NULL REFERENCES pms.models (model_id),
    version             integer NOT NULL CHECK (version >= 1),
    valid_from          timestamptz NOT NULL,
    valid_to            timestamptz,
    name                text NOT NULL,
    description         text,
    duration_target     float8 NOT NULL,
    bucket_weights      jsonb NOT NULL,
    duration_tolerance  float8 NOT NULL,
    bucket_tolerance    float8 NOT NULL,
    constraints         jsonb NOT NULL,
    recorded_at         timestamptz NOT NULL,
    recorded_by         text NOT NULL,
    PRIMARY KEY (model_id, version),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
COMMENT ON TABLE pms.model_versions IS
    'Every definition a model has had, in force over [valid_from, valid_to): the first from -infinity, each edit from its transaction time; a deleted model''s last version ends at the deletion.';
COMMENT ON COLUMN pms.model_versions.model_id IS 'Model.';
COMMENT ON COLUMN pms.model_versions.version IS 'Version number, 1 at creation.';
COMMENT ON COLUMN pms.model_versions.valid_from IS 'Start of the interval in which this definition is the model (inclusive; -infinity for version 1).';
COMMENT ON COLUMN pms.model_versions.valid_to IS 'End of the interval (exclusive); NULL while the version is current.';
COMMENT ON COLUMN pms.model_versions.name IS 'Model name in this version.';
COMMENT ON COLUMN pms.model_versions.description IS 'Description in this version.';
COMMENT ON COLUMN pms.model_versions.duration_target IS 'Target duration in years in this version.';
COMMENT ON COLUMN pms.model_versions.bucket_weights IS 'Target bucket weights in this version.';
COMMENT ON COLUMN pms.model_versions.duration_tolerance IS 'Relative duration tolerance in this version.';
COMMENT ON COLUMN pms.model_versions.bucket_tolerance IS 'Absolute bucket tolerance in this version.';
COMMENT ON COLUMN pms.model_versions.constraints IS 'Constraints in this version.';
COMMENT ON COLUMN pms.model_versions.recorded_at IS 'Knowledge time: when this version was recorded.';
COMMENT ON COLUMN pms.model_versions.recorded_by IS 'Actor who created or edited the model.';
CREATE INDEX model_versions_in_force_idx ON pms.model_versions (model_id, valid_from);

CREATE TABLE pms.model_assignments (
    household_id        uuid NOT NULL,
    assignment_id       uuid NOT NULL,
    account_id          uuid NOT NULL,
    model_id            uuid NOT NULL REFERENCES pms.models (model_id),
    effective_from      timestamptz NOT NULL,
    effective_to        timestamptz,
    assigned_at         timestamptz NOT NULL,
    assigned_by         text NOT NULL,
    PRIMARY KEY (household_id, assignment_id),
    FOREIGN KEY (household_id, account_id) REFERENCES pms.accounts (household_id, account_id),
    CHECK (effective_to IS NULL OR effective_to >= effective_from)
);
COMMENT ON TABLE pms.model_assignments IS
    'Which model each account follows, over time: intervals [effective_from, effective_to), at most one in force per account at any instant; projection of ModelAssigned and ModelUnassigned. An empty interval is an assignment superseded before it took effect.';
COMMENT ON COLUMN pms.model_assignments.household_id IS 'Household of the account (leads the key: distribution column).';
COMMENT ON COLUMN pms.model_assignments.assignment_id IS 'Assignment id.';
COMMENT ON COLUMN pms.model_assignments.account_id IS 'Account assigned.';
COMMENT ON COLUMN pms.model_assignments.model_id IS 'Model the account follows in the interval.';
COMMENT ON COLUMN pms.model_assignments.effective_from IS 'Business time from which the assignment applies (inclusive).';
COMMENT ON COLUMN pms.model_assignments.effective_to IS 'Business time at which it stops applying (exclusive); NULL while open-ended.';
COMMENT ON COLUMN pms.model_assignments.assigned_at IS 'Knowledge time: when the assignment was recorded.';
COMMENT ON COLUMN pms.model_assignments.assigned_by IS 'Actor who assigned the account.';
CREATE INDEX model_assignments_account_idx ON pms.model_assignments (account_id, effective_from);
CREATE INDEX model_assignments_model_idx ON pms.model_assignments (model_id, effective_to);

CREATE TABLE pms.timeline_heads (
    household_id    uuid NOT NULL,
    scope           text NOT NULL CHECK (scope IN ('account', 'household')),
    scope_id        uuid NOT NULL,
    version         bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (household_id, scope, scope_id)
);
COMMENT ON TABLE pms.timeline_heads IS
    'Internal: one row per account or household that writers of its target and model-assignment timelines lock, so those timelines change one writer at a time.';
COMMENT ON COLUMN pms.timeline_heads.household_id IS 'Household of the scope.';
COMMENT ON COLUMN pms.timeline_heads.scope IS 'account or household.';
COMMENT ON COLUMN pms.timeline_heads.scope_id IS 'The account id or the household id.';
COMMENT ON COLUMN pms.timeline_heads.version IS 'Number of timeline changes applied to the scope.';

SELECT pg_catalog.pg_extension_config_dump('pms.models', '');
SELECT pg_catalog.pg_extension_config_dump('pms.model_versions', '');
SELECT pg_catalog.pg_extension_config_dump('pms.model_assignments', '');
GRANT SELECT ON pms.models, pms.model_versions TO PUBLIC;

-- Locks the timeline heads of some accounts or households, in id order (the caller then reads afresh).
CREATE FUNCTION pms.lock_timelines(scope text, household_ids uuid[], scope_ids uuid[]) RETURNS void
LANGUAGE sql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO pms.timeline_heads (household_id, scope, scope_id)
    SELECT k.household_id, lock_timelines.scope, k.scope_id FROM unnest(household_ids, scope_ids) AS k(household_id, scope_id)
    ON CONFLICT DO NOTHING;
    SELECT 1 FROM pms.timeline_heads h
    JOIN unnest(household_ids, scope_ids) AS k(household_id, scope_id)
      ON h.household_id = k.household_id AND h.scope = lock_timelines.scope AND h.scope_id = k.scope_id
    ORDER BY h.scope_id FOR NO KEY UPDATE OF h;
    UPDATE pms.timeline_heads h SET version = h.version + 1
    FROM unnest(household_ids, scope_ids) AS k(household_id, scope_id)
    WHERE h.household_id = k.household_id AND h.scope = lock_timelines.scope AND h.scope_id = k.scope_id;
$$;
COMMENT ON FUNCTION pms.lock_timelines(text, uuid[], uuid[]) IS
    'Internal: locks the timeline heads of accounts or households (in id order) so their targets and assignments change one writer at a time.';

-- Checks an account-id array: not NULL, not empty, no NULL element; returns it sorted and deduplicated.
CREATE FUNCTION pms.check_account_ids(account_ids uuid[], command text) RETURNS uuid[]
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing uuid;
    unknown integer;
BEGIN
    PERFORM pms.require_argument(account_ids, 'account_ids', command);
    IF cardinality(account_ids) = 0 THEN
        RAISE EXCEPTION 'account_ids must not be empty'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('%s acts on the accounts listed and none was given.', command),
                  HINT = 'Pass at least one account id, e.g. ARRAY[''...'']::uuid[].';
    END IF;
    IF array_position(account_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'account_ids must not contain null'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = format('Element %s of account_ids is null.', array_position(account_ids, NULL)),
                  HINT = 'Remove the null entries.';
    END IF;
    SELECT min(i::text)::uuid, count(*) INTO missing, unknown FROM unnest(account_ids) i
    WHERE NOT EXISTS (SELECT 1 FROM pms.accounts a WHERE a.account_id = i);
    IF unknown > 0 THEN
        RAISE EXCEPTION 'account % does not exist', missing
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('%s needs existing accounts; %s of the ids given do not exist.', command, unknown),
                  HINT = 'Create the accounts with pms.create_account, or correct account_ids.';
    END IF;
    RETURN ARRAY(SELECT DISTINCT i FROM unnest(account_ids) i ORDER BY i);
END
$$;
COMMENT ON FUNCTION pms.check_account_ids(uuid[], text) IS
    'Internal: returns account ids sorted and deduplicated; 22004 for NULL, 22023 for an empty array, 23503 when an account does not exist.';

-- Cleans a model description: trimmed, blank means none, at most 2000 characters (22023).
CREATE FUNCTION pms.clean_description(description text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF length(btrim(description)) > 2000 THEN
        RAISE EXCEPTION 'description is too long'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('The description has %s characters; the limit is 2000.', length(btrim(description))),
                  HINT = 'Shorten the description.';
    END IF;
    RETURN nullif(btrim(description), '');
END
$$;
COMMENT ON FUNCTION pms.clean_description(text) IS
    'Internal: trims a description (blank becomes NULL); raises invalid_parameter_value (22023) above 2000 characters.';

-- Raises 23505 when a live model already has the name (ignoring case).
CREATE FUNCTION pms.check_model_name_free(name text, except_model uuid DEFAULT NULL) RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pms.models m
               WHERE lower(m.name) = lower(check_model_name_free.name) AND m.deleted_at IS NULL
                 AND m.model_id IS DISTINCT FROM except_model) THEN
        RAISE EXCEPTION 'a model named "%" already exists', check_model_name_free.name
            USING ERRCODE = 'unique_violation',
                  DETAIL = 'Model names are unique, ignoring case, among models that are not deleted.',
                  HINT = 'Choose another name, or edit the existing model with pms.update_model.';
    END IF;
END
$$;
COMMENT ON FUNCTION pms.check_model_name_free(text, uuid) IS
    'Internal: raises unique_violation (23505) when a live model other than except_model has the name (ignoring case).';

-- Returns the live model row, locked in the given mode, or raises 23503 (unknown or deleted model).
CREATE FUNCTION pms.live_model(model_id uuid, command text, lock_mode text) RETURNS pms.models
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    m pms.models;
BEGIN
    PERFORM pms.require_argument(live_model.model_id, 'model_id', command);
    IF lock_mode = 'update' THEN
        SELECT * INTO m FROM pms.models x WHERE x.model_id = live_model.model_id FOR UPDATE;
    ELSE
        SELECT * INTO m FROM pms.models x WHERE x.model_id = live_model.model_id FOR KEY SHARE;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'model % does not exist', live_model.model_id
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('%s needs an existing model.', command),
                  HINT = 'Create the model with pms.create_model, or correct model_id (see pms.model_library).';
    END IF;
    IF m.deleted_at IS NOT NULL THEN
        RAISE EXCEPTION 'model % was deleted', live_model.model_id
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Model "%s" was deleted; %s needs a live model.', m.name, command),
                  HINT = 'Create a new model (pms.create_model) or pick a live one from pms.model_library.';
    END IF;
    RETURN m;
END
$$;
COMMENT ON FUNCTION pms.live_model(uuid, text, text) IS
    'Internal: the model row, locked FOR UPDATE (lock_mode ''update'') or FOR KEY SHARE; raises foreign_key_violation (23503) when the model does not exist or was deleted.';

-- The JSON definition of a model row, as carried by model events.
CREATE FUNCTION pms.model_definition(m pms.models) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT jsonb_build_object('model_id', m.model_id, 'name', m.name, 'description', m.description,
                              'duration_target', m.duration_target, 'bucket_weights', m.bucket_weights,
                              'duration_tolerance', m.duration_tolerance, 'bucket_tolerance', m.bucket_tolerance,
                              'constraints', m.constraints)
$$;
COMMENT ON FUNCTION pms.model_definition(pms.models) IS
    'Internal: the definition of a model as a JSON object (the payload of ModelCreated and ModelDuplicated).';

-- Inserts a new model and its first version (from -infinity); raises 23505 for a taken id or name.
CREATE FUNCTION pms.insert_model(m pms.models) RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pms.models x WHERE x.model_id = m.model_id) THEN
        RAISE EXCEPTION 'model % already exists', m.model_id
            USING ERRCODE = 'unique_violation',
                  DETAIL = 'A model id can be used only once (a deleted model keeps its id).',
                  HINT = 'Omit model_id to have one generated.';
    END IF;
    PERFORM pms.check_model_name_free(m.name);
    BEGIN
        INSERT INTO pms.models VALUES (m.*);
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION 'a model named "%" already exists', m.name
            USING ERRCODE = 'unique_violation',
                  DETAIL = 'Another session created a model with this name (or this id) at the same time.',
                  HINT = 'Choose another name, or edit the existing model with pms.update_model.';
    END;
    INSERT INTO pms.model_versions (model_id, version, valid_from, valid_to, name, description, duration_target,
                                    bucket_weights, duration_tolerance, bucket_tolerance, constraints,
                                    recorded_at, recorded_by)
    VALUES (m.model_id, 1, '-infinity', NULL, m.name, m.description, m.duration_target, m.bucket_weights,
            m.duration_tolerance, m.bucket_tolerance, m.constraints, m.created_at, m.created_by);
END
$$;
COMMENT ON FUNCTION pms.insert_model(pms.models) IS
    'Internal: inserts a model and its version 1 (valid from -infinity); raises unique_violation (23505) for a taken id or live name.';

-- Command: creates a model and appends ModelCreated; returns its id.
CREATE FUNCTION pms.create_model(
    name text,
    duration_target float8,
    bucket_weights jsonb,
    constraints jsonb DEFAULT '{}',
    description text DEFAULT NULL,
    actor text DEFAULT current_user,
    duration_tolerance float8 DEFAULT pms.default_duration_tolerance(),
    bucket_tolerance float8 DEFAULT pms.default_bucket_tolerance(),
    model_id uuid DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who     text := pms.check_actor(create_model.actor);
    m       pms.models;
BEGIN
    PERFORM pms.require_argument(create_model.name, 'name', 'pms.create_model');
    PERFORM pms.require_argument(create_model.duration_target, 'duration_target', 'pms.create_model');
    PERFORM pms.require_argument(create_model.bucket_weights, 'bucket_weights', 'pms.create_model');
    PERFORM pms.require_argument(create_model.constraints, 'constraints', 'pms.create_model');
    PERFORM pms.require_argument(create_model.duration_tolerance, 'duration_tolerance', 'pms.create_model');
    PERFORM pms.require_argument(create_model.bucket_tolerance, 'bucket_tolerance', 'pms.create_model');
    m.model_id := coalesce(create_model.model_id, gen_random_uuid());
    m.name := pms.clean_name(create_model.name, 'model name');
    m.description := pms.clean_description(create_model.description);
    m.duration_target := pms.check_duration_target(create_model.duration_target);
    m.bucket_weights := pms.check_bucket_weights(create_model.bucket_weights);
    m.duration_tolerance := pms.check_tolerance(create_model.duration_tolerance, 'duration_tolerance');
    m.bucket_tolerance := pms.check_tolerance(create_model.bucket_tolerance, 'bucket_tolerance');
    m.constraints := jsonb_strip_nulls(pms.check_constraints(create_model.constraints));
    m.version := 1;
    m.created_at := transaction_timestamp();
    m.created_by := who;
    m.updated_at := m.created_at;
    m.updated_by := who;
    PERFORM pms.insert_model(m);
    PERFORM pms.append_event(NULL, 'model', m.model_id, 'ModelCreated', pms.model_definition(m), who);
    RETURN m.model_id;
END
$$;
COMMENT ON FUNCTION pms.create_model(text, float8, jsonb, jsonb, text, text, float8, float8, uuid) IS
    'Creates a portfolio model and appends ModelCreated; returns its id. Tolerances default to 0.10 (relative duration) and 0.05 (absolute per bucket); model_id: optional client-chosen id.';

-- Command: edits a model (the keys of changes replace those fields) and appends ModelUpdated; returns the new version number.
CREATE FUNCTION pms.update_model(
    model_id uuid,
    changes jsonb,
    actor text DEFAULT current_user
) RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who     text := pms.check_actor(update_model.actor);
    m       pms.models;
    key     text;
    value   jsonb;
    applied jsonb := '{}';
BEGIN
    PERFORM pms.require_argument(update_model.changes, 'changes', 'pms.update_model');
    IF jsonb_typeof(update_model.changes) <> 'object' OR update_model.changes = '{}' THEN
        RAISE EXCEPTION 'changes must be a non-empty JSON object'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('It is %s.', update_model.changes),
                  HINT = 'Give the fields to change, e.g. {"duration_target": 6.5}.';
    END IF;
    m := pms.live_model(update_model.model_id, 'pms.update_model', 'update');
    FOR key, value IN SELECT e.key, e.value FROM jsonb_each(update_model.changes) e ORDER BY e.key LOOP
        IF key NOT IN ('name', 'description', 'duration_target', 'bucket_weights', 'duration_tolerance',
                       'bucket_tolerance', 'constraints') THEN
            RAISE EXCEPTION 'unknown model field "%"', key
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'A model''s fields are name, description, duration_target, bucket_weights, duration_tolerance, bucket_tolerance and constraints.',
                      HINT = 'Spell the keys of changes exactly as listed.';
        END IF;
        IF jsonb_typeof(value) = 'null' AND key <> 'description' THEN
            RAISE EXCEPTION 'model field "%" must not be null', key
                USING ERRCODE = 'null_value_not_allowed',
                      DETAIL = 'Only the description of a model can be removed.',
                      HINT = format('Give a value for %s, or leave the key out to keep it.', key);
        END IF;
        IF key IN ('name', 'description') AND jsonb_typeof(value) NOT IN ('string', 'null') THEN
            RAISE EXCEPTION 'model field "%" must be a string', key
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = format('It is a JSON %s.', jsonb_typeof(value)),
                      HINT = 'Give text as a JSON string.';
        END IF;
        IF key IN ('duration_target', 'duration_tolerance', 'bucket_tolerance') AND jsonb_typeof(value) <> 'number' THEN
            RAISE EXCEPTION 'model field "%" must be a number', key
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = format('It is a JSON %s.', jsonb_typeof(value)),
                      HINT = 'Give numbers as JSON numbers, e.g. 6.5.';
        END IF;
        CASE key
        WHEN 'name' THEN
            m.name := pms.clean_name(value #>> '{}', 'model name');
            PERFORM pms.check_model_name_free(m.name, m.model_id);
            value := to_jsonb(m.name);
        WHEN 'description' THEN
            m.description := pms.clean_description(value #>> '{}');
            value := to_jsonb(m.description);
        WHEN 'duration_target' THEN
            m.duration_target := pms.check_duration_target(value::float8);
        WHEN 'bucket_weights' THEN
            m.bucket_weights := pms.check_bucket_weights(value);
        WHEN 'duration_tolerance' THEN
            m.duration_tolerance := pms.check_tolerance(value::float8, 'duration_tolerance');
        WHEN 'bucket_tolerance' THEN
            m.bucket_tolerance := pms.check_tolerance(value::float8, 'bucket_tolerance');
        WHEN 'constraints' THEN
            m.constraints := jsonb_strip_nulls(pms.check_constraints(value));
            value := m.constraints;
        END CASE;
        applied := applied || jsonb_build_object(key, value);
    END LOOP;
    m.version := m.version + 1;
    m.updated_at := transaction_timestamp();
    m.updated_by := who;
    BEGIN
        UPDATE pms.models x
        SET name = m.name, description = m.description, duration_target = m.duration_target,
            bucket_weights = m.bucket_weights, duration_tolerance = m.duration_tolerance,
            bucket_tolerance = m.bucket_tolerance, constraints = m.constraints, version = m.version,
            updated_at = m.updated_at, updated_by = m.updated_by
        WHERE x.model_id = m.model_id;
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION 'a model named "%" already exists', m.name
            USING ERRCODE = 'unique_violation',
                  DETAIL = 'Another session gave a model this name at the same time.',
                  HINT = 'Choose another name.';
    END;
    UPDATE pms.model_versions v SET valid_to = m.updated_at
    WHERE v.model_id = m.model_id AND v.valid_to IS NULL;
    INSERT INTO pms.model_versions (model_id, version, valid_from, valid_to, name, description, duration_target,
                                    bucket_weights, duration_tolerance, bucket_tolerance, constraints,
                                    recorded_at, recorded_by)
    VALUES (m.model_id, m.version, m.updated_at, NULL, m.name, m.description, m.duration_target, m.bucket_weights,
            m.duration_tolerance, m.bucket_tolerance, m.constraints, m.updated_at, who);
    PERFORM pms.append_event(NULL, 'model', m.model_id, 'ModelUpdated',
                             jsonb_build_object('model_id', m.model_id, 'version', m.version, 'changes', applied), who);
    RETURN m.version;
END
$$;
COMMENT ON FUNCTION pms.update_model(uuid, jsonb, text) IS
    'Edits a model: each key of changes (name, description, duration_target, bucket_weights, duration_tolerance, bucket_tolerance, constraints) replaces that field from now on, for every account assigned to it; appends ModelUpdated and returns the new version number.';

-- Command: copies a model's current definition under a new name and appends ModelDuplicated; returns the new id.
CREATE FUNCTION pms.duplicate_model(
    model_id uuid,
    new_name text,
    actor text DEFAULT current_user,
    new_model_id uuid DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who     text := pms.check_actor(duplicate_model.actor);
    source  pms.models;
    m       pms.models;
BEGIN
    PERFORM pms.require_argument(duplicate_model.new_name, 'new_name', 'pms.duplicate_model');
    source := pms.live_model(duplicate_model.model_id, 'pms.duplicate_model', 'share');
    m := source;
    m.model_id := coalesce(duplicate_model.new_model_id, gen_random_uuid());
    m.name := pms.clean_name(duplicate_model.new_name, 'model name');
    m.version := 1;
    m.created_at := transaction_timestamp();
    m.created_by := who;
    m.updated_at := m.created_at;
    m.updated_by := who;
    PERFORM pms.insert_model(m);
    PERFORM pms.append_event(NULL, 'model', m.model_id, 'ModelDuplicated',
                             pms.model_definition(m) || jsonb_build_object('duplicated_from', source.model_id,
                                                                           'duplicated_version', source.version),
                             who);
    RETURN m.model_id;
END
$$;
COMMENT ON FUNCTION pms.duplicate_model(uuid, text, text, uuid) IS
    'Creates a new model with the current definition of another under a new name (no accounts are assigned to it) and appends ModelDuplicated; returns its id (new_model_id: optional client-chosen id).';

-- Command: deletes a model no account is assigned to, now or later, and appends ModelDeleted.
CREATE FUNCTION pms.delete_model(
    model_id uuid,
    actor text DEFAULT current_user
) RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who         text := pms.check_actor(delete_model.actor);
    m           pms.models;
    assigned    bigint;
BEGIN
    m := pms.live_model(delete_model.model_id, 'pms.delete_model', 'update');
    -- Assignments in force now or starting later (empty, superseded intervals do not count).
    SELECT count(DISTINCT a.account_id) INTO assigned FROM pms.model_assignments a
    WHERE a.model_id = m.model_id
      AND coalesce(a.effective_to, 'infinity') > greatest(a.effective_from, transaction_timestamp());
    IF assigned > 0 THEN
        RAISE EXCEPTION 'model "%" is assigned to % account(s)', m.name, assigned
            USING ERRCODE = 'object_in_use',
                  DETAIL = 'A model can be deleted only when no account is assigned to it, now or from a later date.',
                  HINT = 'Unassign its accounts first with pms.unassign_model (pms.model_accounts lists them).';
    END IF;
    UPDATE pms.models x SET deleted_at = transaction_timestamp(), deleted_by = who WHERE x.model_id = m.model_id;
    UPDATE pms.model_versions v SET valid_to = transaction_timestamp()
    WHERE v.model_id = m.model_id AND v.valid_to IS NULL;
    PERFORM pms.append_event(NULL, 'model', m.model_id, 'ModelDeleted',
                             jsonb_build_object('model_id', m.model_id, 'name', m.name), who);
END
$$;
COMMENT ON FUNCTION pms.delete_model(uuid, text) IS
    'Deletes a model and appends ModelDeleted; refused with object_in_use (55006) while any account is assigned to it now or from a later date. Its history stays readable as of earlier times; its name becomes free.';

-- Command: assigns accounts to a model from effective_from on and appends one ModelAssigned; returns the number of accounts.
CREATE FUNCTION pms.assign_model(
    account_ids uuid[],
    model_id uuid,
    actor text DEFAULT current_user,
    effective_from timestamptz DEFAULT now()
) RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who         text := pms.check_actor(assign_model.actor);
    ids         uuid[] := pms.check_account_ids(assign_model.account_ids, 'pms.assign_model');
    m           pms.models;
    start_at    timestamptz;
    households  uuid[];
    detail      jsonb;
BEGIN
    PERFORM pms.require_argument(assign_model.effective_from, 'effective_from', 'pms.assign_model');
    start_at := pms.check_effective_time(assign_model.effective_from, 'effective_from');
    m := pms.live_model(assign_model.model_id, 'pms.assign_model', 'share');
    households := ARRAY(SELECT a.household_id FROM unnest(ids) WITH ORDINALITY AS k(account_id, n)
                        JOIN pms.accounts a ON a.account_id = k.account_id ORDER BY k.n);
    PERFORM pms.lock_timelines('account', households, ids);
    -- Splice: the assignment in force at start_at ends there and the new one takes over the rest of
    -- its interval; with none in force, the new one runs until the next assignment starts.
    WITH acc AS (
        SELECT a.household_id, a.account_id FROM pms.accounts a WHERE a.account_id = ANY (ids)
    ), cur AS (
        SELECT x.household_id, x.assignment_id, x.account_id, x.model_id, x.effective_to
        FROM pms.model_assignments x JOIN acc ON acc.household_id = x.household_id AND acc.account_id = x.account_id
        WHERE x.effective_from <= start_at AND (x.effective_to IS NULL OR x.effective_to > start_at)
    ), nxt AS (
        SELECT x.account_id, min(x.effective_from) AS next_from
        FROM pms.model_assignments x JOIN acc ON acc.household_id = x.household_id AND acc.account_id = x.account_id
        WHERE x.effective_from > start_at AND (x.effective_to IS NULL OR x.effective_to > x.effective_from)
        GROUP BY x.account_id
    ), closed AS (
        UPDATE pms.model_assignments x SET effective_to = start_at
        FROM cur WHERE x.household_id = cur.household_id AND x.assignment_id = cur.assignment_id
        RETURNING x.account_id
    ), added AS (
        INSERT INTO pms.model_assignments AS x (household_id, assignment_id, account_id, model_id, effective_from,
                                                effective_to, assigned_at, assigned_by)
        SELECT acc.household_id, gen_random_uuid(), acc.account_id, m.model_id, start_at,
               CASE WHEN cur.account_id IS NOT NULL THEN cur.effective_to ELSE nxt.next_from END,
               transaction_timestamp(), who
        FROM acc LEFT JOIN cur ON cur.account_id = acc.account_id LEFT JOIN nxt ON nxt.account_id = acc.account_id
        RETURNING x.household_id, x.assignment_id, x.account_id, x.effective_to
    )
    SELECT jsonb_agg(jsonb_build_object('account_id', d.account_id, 'household_id', d.household_id,
                                        'assignment_id', d.assignment_id, 'effective_to', d.effective_to,
                                        'replaced_model_id', cur.model_id) ORDER BY d.account_id)
    INTO detail
    FROM added d LEFT JOIN cur ON cur.account_id = d.account_id;
    PERFORM pms.append_event(CASE WHEN cardinality(ARRAY(SELECT DISTINCT unnest(households))) = 1 THEN households[1] END,
                             'model_assignment', gen_random_uuid(), 'ModelAssigned',
                             jsonb_build_object('model_id', m.model_id, 'effective_from', start_at, 'accounts', detail), who);
    RETURN cardinality(ids);
END
$$;
COMMENT ON FUNCTION pms.assign_model(uuid[], uuid, text, timestamptz) IS
    'Assigns accounts (bulk) to a model from effective_from (default now; may be past or future) and appends one ModelAssigned; the assignment in force then ends there. Returns the number of accounts.';

-- Command: ends the model assignment in force at effective_from for each account and appends one ModelUnassigned.
CREATE FUNCTION pms.unassign_model(
    account_ids uuid[],
    actor text DEFAULT current_user,
    effective_from timestamptz DEFAULT now()
) RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who         text := pms.check_actor(unassign_model.actor);
    ids         uuid[] := pms.check_account_ids(unassign_model.account_ids, 'pms.unassign_model');
    start_at    timestamptz;
    households  uuid[];
    missing     uuid;
    unassigned  integer;
    detail      jsonb;
BEGIN
    PERFORM pms.require_argument(unassign_model.effective_from, 'effective_from', 'pms.unassign_model');
    start_at := pms.check_effective_time(unassign_model.effective_from, 'effective_from');
    households := ARRAY(SELECT a.household_id FROM unnest(ids) WITH ORDINALITY AS k(account_id, n)
                        JOIN pms.accounts a ON a.account_id = k.account_id ORDER BY k.n);
    PERFORM pms.lock_timelines('account', households, ids);
    SELECT min(i::text)::uuid, count(*) INTO missing, unassigned FROM unnest(ids) i
    WHERE NOT EXISTS (SELECT 1 FROM pms.model_assignments x
                      WHERE x.account_id = i AND x.effective_from <= start_at AND (x.effective_to IS NULL OR x.effective_to > start_at));
    IF unassigned > 0 THEN
        RAISE EXCEPTION 'account % has no model assigned at %', missing, pms.iso_instant(start_at)
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = format('%s of the %s accounts given follow no model at that time; nothing was unassigned.', unassigned, cardinality(ids)),
                  HINT = 'Pass only accounts that follow a model then (pms.model_accounts lists them).';
    END IF;
    WITH closed AS (
        UPDATE pms.model_assignments x SET effective_to = start_at
        WHERE x.account_id = ANY (ids) AND x.effective_from <= start_at AND (x.effective_to IS NULL OR x.effective_to > start_at)
        RETURNING x.household_id, x.account_id, x.assignment_id, x.model_id
    )
    SELECT jsonb_agg(jsonb_build_object('account_id', c.account_id, 'household_id', c.household_id,
                                        'assignment_id', c.assignment_id, 'model_id', c.model_id) ORDER BY c.account_id)
    INTO detail FROM closed c;
    PERFORM pms.append_event(CASE WHEN cardinality(ARRAY(SELECT DISTINCT unnest(households))) = 1 THEN households[1] END,
                             'model_assignment', gen_random_uuid(), 'ModelUnassigned',
                             jsonb_build_object('effective_from', start_at, 'accounts', detail), who);
    RETURN cardinality(ids);
END
$$;
COMMENT ON FUNCTION pms.unassign_model(uuid[], text, timestamptz) IS
    'Ends, at effective_from (default now), the model assignment in force then for each account (bulk) and appends one ModelUnassigned; refused with 55000 if an account has none. Later scheduled assignments stay. Returns the number of accounts.';

-- The instant a read of targets is for: the argument, else the end of the pms.as_of date, else the transaction time.
CREATE FUNCTION pms.resolve_as_of_time(as_of timestamptz DEFAULT NULL) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(as_of,
                    CASE WHEN nullif(current_setting('pms.as_of', true), '') IS NOT NULL
                         THEN (pms.resolve_as_of() + 1)::timestamptz - interval '1 microsecond' END,
                    transaction_timestamp())
$$;
COMMENT ON FUNCTION pms.resolve_as_of_time(timestamptz) IS
    'The instant a read of models, assignments and targets is for: the argument, else the last microsecond of the pms.as_of date (session time zone), else the transaction time.';

-- The last instant of a date in the session time zone (NULL for NULL): what "as of this date" means for targets.
CREATE FUNCTION pms.end_of_day(day date) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT (day + 1)::timestamptz - interval '1 microsecond' $$;
COMMENT ON FUNCTION pms.end_of_day(date) IS
    'The last microsecond of a date in the session time zone (NULL for NULL): pass it to pms.effective_targets for a read as of a business date.';

CREATE VIEW pms.model_library AS
SELECT m.model_id,
       m.name,
       m.description,
       m.duration_target,
       m.bucket_weights,
       m.duration_tolerance,
       m.bucket_tolerance,
       m.constraints,
       (SELECT count(DISTINCT x.account_id) FROM pms.model_assignments x
        WHERE x.model_id = m.model_id
          AND x.effective_from <= pms.resolve_as_of_time()
          AND (x.effective_to IS NULL OR x.effective_to > pms.resolve_as_of_time()))::integer AS assigned_accounts,
       m.version,
       m.created_at,
       m.created_by,
       m.updated_at AS last_updated,
       m.updated_by
FROM pms.models m
WHERE m.deleted_at IS NULL;
COMMENT ON VIEW pms.model_library IS
    'Model library screen: one row per live model with its current definition and the number of accounts assigned to it as of pms.as_of (default now).';
COMMENT ON COLUMN pms.model_library.model_id IS 'Model id.';
COMMENT ON COLUMN pms.model_library.name IS 'Model name.';
COMMENT ON COLUMN pms.model_library.description IS 'Description, if any.';
COMMENT ON COLUMN pms.model_library.duration_target IS 'Target duration in years.';
COMMENT ON COLUMN pms.model_library.bucket_weights IS 'Target weight per maturity bucket.';
COMMENT ON COLUMN pms.model_library.duration_tolerance IS 'Relative duration tolerance.';
COMMENT ON COLUMN pms.model_library.bucket_tolerance IS 'Absolute bucket tolerance.';
COMMENT ON COLUMN pms.model_library.constraints IS 'Portfolio constraints.';
COMMENT ON COLUMN pms.model_library.assigned_accounts IS 'Accounts assigned to the model as of pms.as_of (default now).';
COMMENT ON COLUMN pms.model_library.version IS 'Current version number (1 + number of edits).';
COMMENT ON COLUMN pms.model_library.created_at IS 'When the model was created.';
COMMENT ON COLUMN pms.model_library.created_by IS 'Actor who created it.';
COMMENT ON COLUMN pms.model_library.last_updated IS 'When the definition last changed.';
COMMENT ON COLUMN pms.model_library.updated_by IS 'Actor of the last change.';

CREATE VIEW pms.model_accounts AS
SELECT x.model_id,
       m.name AS model_name,
       x.household_id,
       h.name AS household_name,
       x.account_id,
       a.name AS account_name,
       x.effective_from,
       x.effective_to,
       x.assigned_at,
       x.assigned_by
FROM pms.model_assignments x
JOIN pms.models m ON m.model_id = x.model_id
JOIN pms.accounts a ON a.household_id = x.household_id AND a.account_id = x.account_id
JOIN pms.households h ON h.household_id = x.household_id
WHERE x.effective_from <= pms.resolve_as_of_time()
  AND (x.effective_to IS NULL OR x.effective_to > pms.resolve_as_of_time());
COMMENT ON VIEW pms.model_accounts IS
    'Model detail screen: the accounts assigned to each model as of pms.as_of (default now), with the interval of their assignment.';
COMMENT ON COLUMN pms.model_accounts.model_id IS 'Model id.';
COMMENT ON COLUMN pms.model_accounts.model_name IS 'Model name (current).';
COMMENT ON COLUMN pms.model_accounts.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.model_accounts.household_name IS 'Household name.';
COMMENT ON COLUMN pms.model_accounts.account_id IS 'Account id.';
COMMENT ON COLUMN pms.model_accounts.account_name IS 'Account name.';
COMMENT ON COLUMN pms.model_accounts.effective_from IS 'Start of the assignment (inclusive).';
COMMENT ON COLUMN pms.model_accounts.effective_to IS 'End of the assignment (exclusive); NULL while open-ended.';
COMMENT ON COLUMN pms.model_accounts.assigned_at IS 'When the assignment was recorded.';
COMMENT ON COLUMN pms.model_accounts.assigned_by IS 'Actor who assigned the account.';
