-- 71_targets.sql: portfolio targets at account and household level, versioned in business
-- time, and their resolution with the assigned model into one effective target per account.
-- Invariants: per scope (an account, or a household) target versions are append-and-close
-- intervals [effective_from, effective_to) with at most one in force at any instant; writers
-- of a scope serialize on its row in pms.timeline_heads.  Resolution is per field: household
-- target, then account target, then the model assigned at that time (docs/targets.md), and is
-- one set-based query for any number of accounts.

CREATE TABLE pms.targets (
    household_id        uuid NOT NULL REFERENCES pms.households (household_id),
    target_id           uuid NOT NULL,
    scope               text NOT NULL CHECK (scope IN ('account', 'household')),
    account_id          uuid,
    scope_id            uuid NOT NULL GENERATED ALWAYS AS (coalesce(account_id, household_id)) STORED,
    duration_target     float8,
    bucket_weights      jsonb,
    constraints         jsonb NOT NULL DEFAULT '{}',
    duration_tolerance  float8,
    bucket_tolerance    float8,
    effective_from      timestamptz NOT NULL,
    effective_to        timestamptz,
    created_at          timestamptz NOT NULL,
    created_by          text NOT NULL,
    PRIMARY KEY (household_id, target_id),
    FOREIGN KEY (household_id, account_id) REFERENCES pms.accounts (household_id, account_id),
    CHECK ((scope = 'account') = (account_id IS NOT NULL)),
    CHECK (effective_to IS NULL OR effective_to >= effective_from)
);
COMMENT ON TABLE pms.targets IS
    'Portfolio targets of accounts and households, versioned: each version is in force over [effective_from, effective_to), at most one per scope at any instant; projection of TargetSet and TargetCleared. NULL fields (and absent constraint keys) inherit (docs/targets.md). An empty interval is a version superseded before it took effect.';
COMMENT ON COLUMN pms.targets.household_id IS 'Household of the scope (leads the key: distribution column).';
COMMENT ON COLUMN pms.targets.target_id IS 'Target version id.';
COMMENT ON COLUMN pms.targets.scope IS 'account (applies to one account) or household (applies to all its accounts and overrides account level).';
COMMENT ON COLUMN pms.targets.account_id IS 'The account, for scope account; NULL for scope household.';
COMMENT ON COLUMN pms.targets.scope_id IS 'The account id or the household id (generated).';
COMMENT ON COLUMN pms.targets.duration_target IS 'Target duration in years; NULL inherits.';
COMMENT ON COLUMN pms.targets.bucket_weights IS 'Target weight per maturity bucket (all five, summing to 1); NULL inherits.';
COMMENT ON COLUMN pms.targets.constraints IS 'Constraints set at this level; absent keys inherit, a null value removes an inherited limit.';
COMMENT ON COLUMN pms.targets.duration_tolerance IS 'Relative duration tolerance; NULL inherits.';
COMMENT ON COLUMN pms.targets.bucket_tolerance IS 'Absolute bucket tolerance; NULL inherits.';
COMMENT ON COLUMN pms.targets.effective_from IS 'Business time from which the version applies (inclusive); may be in the future.';
COMMENT ON COLUMN pms.targets.effective_to IS 'Business time at which it stops applying (exclusive), set when a later version or a clear closes it; NULL while open-ended.';
COMMENT ON COLUMN pms.targets.created_at IS 'Knowledge time: when the version was recorded.';
COMMENT ON COLUMN pms.targets.created_by IS 'Actor who set the target.';
CREATE UNIQUE INDEX targets_target_id_idx ON pms.targets (target_id);
CREATE INDEX targets_account_idx ON pms.targets (account_id, effective_from) WHERE scope = 'account';
CREATE INDEX targets_household_idx ON pms.targets (household_id, effective_from) WHERE scope = 'household';

SELECT pg_catalog.pg_extension_config_dump('pms.targets', '');

-- Normalizes a target scope to account or household (22004 for NULL, 22023 otherwise).
CREATE FUNCTION pms.check_scope(scope text, command text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pms.require_argument(scope, 'scope', command);
    IF lower(btrim(scope)) NOT IN ('account', 'household') THEN
        RAISE EXCEPTION 'scope "%" is not account or household', scope
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A target applies to one account, or to every account of a household.',
                  HINT = 'Pass scope => ''account'' or scope => ''household''.';
    END IF;
    RETURN lower(btrim(scope));
END
$$;
COMMENT ON FUNCTION pms.check_scope(text, text) IS
    'Internal: returns account or household; raises null_value_not_allowed (22004) or invalid_parameter_value (22023) otherwise.';

-- The household of a target scope, or 23503 when the account or household does not exist.
CREATE FUNCTION pms.scope_household(scope text, scope_id uuid, command text) RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pms.require_argument(scope_id, 'scope_id', command);
    IF scope = 'account' THEN
        RETURN pms.account_household(scope_id, command);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pms.households h WHERE h.household_id = scope_household.scope_id) THEN
        RAISE EXCEPTION 'household % does not exist', scope_id
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('%s needs an existing household.', command),
                  HINT = 'Create the household with pms.create_household, or correct scope_id.';
    END IF;
    RETURN scope_id;
END
$$;
COMMENT ON FUNCTION pms.scope_household(text, uuid, text) IS
    'Internal: the household of an account or household scope; raises foreign_key_violation (23503) when it does not exist.';

-- Command: sets the target of an account or household from effective_from on and appends TargetSet; returns the version id.
CREATE FUNCTION pms.set_target(
    scope text,
    scope_id uuid,
    duration_target float8,
    bucket_weights jsonb,
    constraints jsonb DEFAULT '{}',
    effective_from timestamptz DEFAULT now(),
    actor text DEFAULT current_user,
    duration_tolerance float8 DEFAULT NULL,
    bucket_tolerance float8 DEFAULT NULL,
    target_id uuid DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who         text := pms.check_actor(set_target.actor);
    kind        text := pms.check_scope(set_target.scope, 'pms.set_target');
    household   uuid := pms.scope_household(kind, set_target.scope_id, 'pms.set_target');
    t           pms.targets;
    closed      pms.targets;
BEGIN
    PERFORM pms.require_argument(set_target.effective_from, 'effective_from', 'pms.set_target');
    t.household_id := household;
    t.target_id := coalesce(set_target.target_id, gen_random_uuid());
    t.scope := kind;
    t.account_id := CASE kind WHEN 'account' THEN set_target.scope_id END;
    t.effective_from := pms.check_effective_time(set_target.effective_from, 'effective_from');
    t.duration_target := pms.check_duration_target(set_target.duration_target);
    t.bucket_weights := pms.check_bucket_weights(set_target.bucket_weights);
    t.constraints := pms.check_constraints(coalesce(set_target.constraints, '{}'));
    t.duration_tolerance := pms.check_tolerance(set_target.duration_tolerance, 'duration_tolerance');
    t.bucket_tolerance := pms.check_tolerance(set_target.bucket_tolerance, 'bucket_tolerance');
    t.created_at := transaction_timestamp();
    t.created_by := who;
    IF t.duration_target IS NULL AND t.bucket_weights IS NULL AND t.constraints = '{}'
       AND t.duration_tolerance IS NULL AND t.bucket_tolerance IS NULL THEN
        RAISE EXCEPTION 'the target sets nothing'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'duration_target, bucket_weights, constraints and both tolerances are all empty, so every field would be inherited.',
                  HINT = 'Set at least one field; to stop a target applying, use pms.clear_target.';
    END IF;
    IF EXISTS (SELECT 1 FROM pms.targets x WHERE x.target_id = t.target_id) THEN
        RAISE EXCEPTION 'target % already exists', t.target_id
            USING ERRCODE = 'unique_violation',
                  DETAIL = 'A target id can be used only once.',
                  HINT = 'Omit target_id to have one generated.';
    END IF;
    PERFORM pms.lock_timelines(kind, ARRAY[household], ARRAY[set_target.scope_id]);
    -- Splice: the version in force at effective_from ends there and the new one takes over the
    -- rest of its interval; with none in force, the new one runs until the next version starts.
    SELECT * INTO closed FROM pms.targets x
    WHERE x.household_id = household AND x.scope = kind AND x.scope_id = set_target.scope_id
      AND x.effective_from <= t.effective_from AND (x.effective_to IS NULL OR x.effective_to > t.effective_from);
    IF FOUND THEN
        UPDATE pms.targets x SET effective_to = t.effective_from
        WHERE x.household_id = household AND x.target_id = closed.target_id;
        t.effective_to := closed.effective_to;
    ELSE
        SELECT min(x.effective_from) INTO t.effective_to FROM pms.targets x
        WHERE x.household_id = household AND x.scope = kind AND x.scope_id = set_target.scope_id
          AND x.effective_from > t.effective_from AND (x.effective_to IS NULL OR x.effective_to > x.effective_from);
    END IF;
    BEGIN
        INSERT INTO pms.targets (household_id, target_id, scope, account_id, duration_target, bucket_weights,
                                 constraints, duration_tolerance, bucket_tolerance, effective_from, effective_to,
                                 created_at, created_by)
        VALUES (t.household_id, t.target_id, t.scope, t.account_id, t.duration_target, t.bucket_weights,
                t.constraints, t.duration_tolerance, t.bucket_tolerance, t.effective_from, t.effective_to,
                t.created_at, t.created_by);
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION 'target % already exists', t.target_id
            USING ERRCODE = 'unique_violation',
                  DETAIL = 'Another session used this target id at the same time.',
                  HINT = 'Omit target_id to have one generated.';
    END;
    PERFORM pms.append_event(household, kind, set_target.scope_id, 'TargetSet',
                             jsonb_build_object('target_id', t.target_id, 'scope', kind, 'scope_id', set_target.scope_id,
                                                'duration_target', t.duration_target, 'bucket_weights', t.bucket_weights,
                                                'constraints', t.constraints, 'duration_tolerance', t.duration_tolerance,
                                                'bucket_tolerance', t.bucket_tolerance,
                                                'effective_from', t.effective_from, 'effective_to', t.effective_to,
                                                'closed_target_id', closed.target_id),
                             who);
    RETURN t.target_id;
END
$$;
COMMENT ON FUNCTION pms.set_target(text, uuid, float8, jsonb, jsonb, timestamptz, text, float8, float8, uuid) IS
    'Sets the target of an account or a household (scope) from effective_from (default now; may be past or future): the version in force then ends there, history is kept. NULL fields inherit. Appends TargetSet and returns the version id (target_id: optional client-chosen id).';

-- Command: ends the target version in force at effective_from for a scope and appends TargetCleared; returns the version ended.
CREATE FUNCTION pms.clear_target(
    scope text,
    scope_id uuid,
    effective_from timestamptz DEFAULT now(),
    actor text DEFAULT current_user
) RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who         text := pms.check_actor(clear_target.actor);
    kind        text := pms.check_scope(clear_target.scope, 'pms.clear_target');
    household   uuid := pms.scope_household(kind, clear_target.scope_id, 'pms.clear_target');
    start_at    timestamptz;
    ended       uuid;
BEGIN
    PERFORM pms.require_argument(clear_target.effective_from, 'effective_from', 'pms.clear_target');
    start_at := pms.check_effective_time(clear_target.effective_from, 'effective_from');
    PERFORM pms.lock_timelines(kind, ARRAY[household], ARRAY[clear_target.scope_id]);
    UPDATE pms.targets x SET effective_to = start_at
    WHERE x.household_id = household AND x.scope = kind AND x.scope_id = clear_target.scope_id
      AND x.effective_from <= start_at AND (x.effective_to IS NULL OR x.effective_to > start_at)
    RETURNING x.target_id INTO ended;
    IF ended IS NULL THEN
        RAISE EXCEPTION 'no % target is in force for % at %', kind, clear_target.scope_id, pms.iso_instant(start_at)
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Only a target in force can be cleared; a target scheduled for later is replaced by setting another from the same time.',
                  HINT = 'Check pms.targets_overview for the scope''s versions.';
    END IF;
    PERFORM pms.append_event(household, kind, clear_target.scope_id, 'TargetCleared',
                             jsonb_build_object('target_id', ended, 'scope', kind, 'scope_id', clear_target.scope_id,
                                                'effective_from', start_at),
                             who);
    RETURN ended;
END
$$;
COMMENT ON FUNCTION pms.clear_target(text, uuid, timestamptz, text) IS
    'Ends, at effective_from (default now), the target version in force then for an account or household, so the scope inherits again; later scheduled versions stay. Appends TargetCleared and returns the version ended; 55000 when none is in force.';

-- Effective targets of all accounts (or of account_ids) as of an instant: one set-based query.
CREATE FUNCTION pms.effective_targets(as_of timestamptz DEFAULT NULL, account_ids uuid[] DEFAULT NULL)
RETURNS TABLE (household_id uuid, account_id uuid, source text, source_id uuid, duration_target float8,
               bucket_weights jsonb, constraints jsonb, duration_tolerance float8, bucket_tolerance float8,
               model_id uuid, model_version integer, account_target_id uuid, household_target_id uuid)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    t timestamptz := pms.resolve_as_of_time(effective_targets.as_of);
BEGIN
    RETURN QUERY
    SELECT a.household_id, a.account_id,
           CASE WHEN hh.target_id IS NOT NULL THEN 'household'
                WHEN acct.target_id IS NOT NULL THEN 'account'
                ELSE 'model' END,
           coalesce(hh.target_id, acct.target_id, mv.model_id),
           coalesce(hh.duration_target, acct.duration_target, mv.duration_target),
           coalesce(hh.bucket_weights, acct.bucket_weights, mv.bucket_weights),
           CASE WHEN acct.constraints IS NULL AND hh.constraints IS NULL THEN coalesce(mv.constraints, '{}')
                ELSE jsonb_strip_nulls(coalesce(mv.constraints, '{}') || coalesce(acct.constraints, '{}')
                                       || coalesce(hh.constraints, '{}')) END,
           coalesce(hh.duration_tolerance, acct.duration_tolerance, mv.duration_tolerance, pms.default_duration_tolerance()),
           coalesce(hh.bucket_tolerance, acct.bucket_tolerance, mv.bucket_tolerance, pms.default_bucket_tolerance()),
           ma.model_id, mv.version, acct.target_id, hh.target_id
    FROM pms.accounts a
    LEFT JOIN pms.model_assignments ma
           ON ma.household_id = a.household_id AND ma.account_id = a.account_id
          AND ma.effective_from <= t AND (ma.effective_to IS NULL OR ma.effective_to > t)
    LEFT JOIN pms.model_versions mv
           ON mv.model_id = ma.model_id
          AND mv.valid_from <= t AND (mv.valid_to IS NULL OR mv.valid_to > t)
    LEFT JOIN pms.targets acct
           ON acct.household_id = a.household_id AND acct.account_id = a.account_id AND acct.scope = 'account'
          AND acct.effective_from <= t AND (acct.effective_to IS NULL OR acct.effective_to > t)
    LEFT JOIN pms.targets hh
           ON hh.household_id = a.household_id AND hh.scope = 'household'
          AND hh.effective_from <= t AND (hh.effective_to IS NULL OR hh.effective_to > t)
    WHERE (effective_targets.account_ids IS NULL OR a.account_id = ANY (effective_targets.account_ids))
      AND (ma.model_id IS NOT NULL OR acct.target_id IS NOT NULL OR hh.target_id IS NOT NULL);
END
$$;
COMMENT ON FUNCTION pms.effective_targets(timestamptz, uuid[]) IS
    'The effective target of every account (or of account_ids) as of an instant (default: end of the pms.as_of date, else now), per field: household target, then account target, then the assigned model, then default tolerances. Accounts with no model and no target are left out; rows come in no particular order. One set-based query: join it for all accounts at once.';

-- The effective target of one account as of an instant (see pms.effective_targets for the rule).
CREATE FUNCTION pms.effective_target(account_id uuid, as_of timestamptz DEFAULT NULL)
RETURNS TABLE (source text, source_id uuid, duration_target float8, bucket_weights jsonb, constraints jsonb,
               duration_tolerance float8, bucket_tolerance float8, model_id uuid, model_version integer,
               account_target_id uuid, household_target_id uuid)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pms.account_household(effective_target.account_id, 'pms.effective_target');
    RETURN QUERY
    SELECT e.source, e.source_id, e.duration_target, e.bucket_weights, e.constraints, e.duration_tolerance,
           e.bucket_tolerance, e.model_id, e.model_version, e.account_target_id, e.household_target_id
    FROM pms.effective_targets(effective_target.as_of, ARRAY[effective_target.account_id]) e;
END
$$;
COMMENT ON FUNCTION pms.effective_target(uuid, timestamptz) IS
    'The effective target of one account as of an instant (default: end of the pms.as_of date, else now); source says which level won (household, account or model) and source_id its id. No row when the account has neither a model nor a target; 23503 for an unknown account.';

CREATE VIEW pms.targets_overview AS
SELECT t.target_id,
       t.scope,
       t.scope_id,
       t.household_id,
       h.name AS household_name,
       t.account_id,
       a.name AS account_name,
       t.duration_target,
       t.bucket_weights,
       t.constraints,
       t.duration_tolerance,
       t.bucket_tolerance,
       t.effective_from,
       t.effective_to,
       CASE WHEN t.effective_to = t.effective_from THEN 'superseded'
            WHEN t.effective_from > pms.resolve_as_of_time() THEN 'scheduled'
            WHEN t.effective_to <= pms.resolve_as_of_time() THEN 'ended'
            ELSE 'in force' END AS status,
       t.created_at,
       t.created_by
FROM pms.targets t
JOIN pms.households h ON h.household_id = t.household_id
LEFT JOIN pms.accounts a ON a.household_id = t.household_id AND a.account_id = t.account_id;
COMMENT ON VIEW pms.targets_overview IS
    'Targets screen: every target version of every account and household with its effective interval and its status as of pms.as_of (default now).';
COMMENT ON COLUMN pms.targets_overview.target_id IS 'Target version id.';
COMMENT ON COLUMN pms.targets_overview.scope IS 'account or household.';
COMMENT ON COLUMN pms.targets_overview.scope_id IS 'The account id or the household id.';
COMMENT ON COLUMN pms.targets_overview.household_id IS 'Household (of the account, for scope account).';
COMMENT ON COLUMN pms.targets_overview.household_name IS 'Household name.';
COMMENT ON COLUMN pms.targets_overview.account_id IS 'Account id, for scope account.';
COMMENT ON COLUMN pms.targets_overview.account_name IS 'Account name, for scope account.';
COMMENT ON COLUMN pms.targets_overview.duration_target IS 'Target duration in years; NULL inherits.';
COMMENT ON COLUMN pms.targets_overview.bucket_weights IS 'Target bucket weights; NULL inherits.';
COMMENT ON COLUMN pms.targets_overview.constraints IS 'Constraints set at this level.';
COMMENT ON COLUMN pms.targets_overview.duration_tolerance IS 'Relative duration tolerance; NULL inherits.';
COMMENT ON COLUMN pms.targets_overview.bucket_tolerance IS 'Absolute bucket tolerance; NULL inherits.';
COMMENT ON COLUMN pms.targets_overview.effective_from IS 'Start of the version (inclusive).';
COMMENT ON COLUMN pms.targets_overview.effective_to IS 'End of the version (exclusive); NULL while open-ended.';
COMMENT ON COLUMN pms.targets_overview.status IS 'As of pms.as_of (default now): scheduled, in force, ended, or superseded (replaced before it took effect).';
COMMENT ON COLUMN pms.targets_overview.created_at IS 'When the version was recorded.';
COMMENT ON COLUMN pms.targets_overview.created_by IS 'Actor who set it.';
