-- 84_drift.sql: how far each account's fixed-income sleeve is from its effective target, as
-- of a date, as known at a time.  pms.drift_of is one C pass: each bond valued once, the live
-- projection read once and rewound to the as-of date (the scan pms.account_exposures also
-- exposes), the effective targets read set-based, the rule (pms.drift_measures for one
-- sleeve) applied per account.  Because drift reads the live projection that the execution
-- triggers keep current, an account's drift moves as soon as its fills land.  docs/drift.md
-- has the rule, the statuses and a worked example.

CREATE TYPE pms.drift_measures AS (
    duration_drift      float8,
    bucket_drifts       jsonb,
    max_bucket_drift    float8,
    overall_drift       float8,
    status              text
);
COMMENT ON TYPE pms.drift_measures IS
    'Drift of a sleeve from its target: relative duration drift, absolute drift per bucket, the largest bucket drift, the weighted overall drift and the status (green, yellow or red).';

-- The drift of one sleeve from its target under the pms.drift_* settings (C).
CREATE FUNCTION pms.drift_measures(current_duration float8, current_weights float8[], target_duration float8,
                                   target_weights jsonb, duration_tolerance float8, bucket_tolerance float8)
RETURNS pms.drift_measures
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pms_drift_measures';
COMMENT ON FUNCTION pms.drift_measures(float8, float8[], float8, jsonb, float8, float8) IS
    'Drift of a sleeve (current duration, bucket weights in bucket order; NULL duration = no valued bond) from a target (duration, bucket weights jsonb, tolerances): duration drift |current - target| / target, bucket drifts |current - target| per bucket, overall drift = weighted mean of the duration drift and the largest bucket drift (pms.drift_duration_weight, pms.drift_bucket_weight), status red above a tolerance, yellow above pms.drift_warning_band x a tolerance, else green. NULL without a target.';

-- The bond sleeve of every account (or some) as of a date, as known at a time (C, one pass).
-- Parallel restricted, like pms.drift_of: a whole-book pass runs once, in the leader (its own
-- queries may use parallel workers), never once per worker on the inner side of a join.
CREATE FUNCTION pms.account_exposures(as_of date DEFAULT NULL, known_at timestamptz DEFAULT NULL,
                                      account_ids uuid[] DEFAULT NULL)
RETURNS TABLE (account_id uuid, duration float8, bucket_weights float8[], positions integer, stale_positions integer)
LANGUAGE c STABLE PARALLEL RESTRICTED ROWS 100000
AS 'MODULE_PATHNAME', 'pms_account_exposures';
COMMENT ON FUNCTION pms.account_exposures(date, timestamptz, uuid[]) IS
    'Internal: per account holding a bond as of a date (pms.as_of by default), as known at a time (pms.known_at), on the pms.position_basis dates: modified duration and bucket weights (0-2y, 2-5y, 5-10y, 10-20y, 20y+) of the valued bonds by dirty value, unrounded, in the FX pivot; bond positions and how many are stale. Ordered by account.';

-- Drift reads rewind the live projection by the fills after the as-of date: BRIN ranges
-- over the dates and knowledge time find them without a per-row index on the hot ingest path.
CREATE INDEX executions_dates_brin ON pms.executions USING brin (trade_date, settle_date, recorded_at);
-- Rebalance fills (those of a proposal) are few; last_rebalanced_at finds them here.
CREATE INDEX executions_rebalance_idx ON pms.executions (account_id, trade_date) WHERE proposal_id IS NOT NULL;

-- When each account (or some) last traded to rebalance, as of a date, as known at a time.
CREATE FUNCTION pms.last_rebalances(as_of date DEFAULT NULL, known_at timestamptz DEFAULT NULL,
                                    account_ids uuid[] DEFAULT NULL)
RETURNS TABLE (account_id uuid, last_rebalanced_at timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT e.account_id, max(e.recorded_at)
    FROM pms.executions e
    WHERE e.proposal_id IS NOT NULL
      AND e.trade_date <= pms.resolve_as_of(as_of)
      AND e.recorded_at <= pms.resolve_known_at(known_at)
      AND (account_ids IS NULL OR e.account_id = ANY (account_ids))
      AND NOT EXISTS (SELECT 1 FROM pms.execution_cancels x
                      WHERE x.household_id = e.household_id AND x.execution_id = e.execution_id
                        AND x.recorded_at <= pms.resolve_known_at(known_at))
    GROUP BY e.account_id
$$;
COMMENT ON FUNCTION pms.last_rebalances(date, timestamptz, uuid[]) IS
    'Internal: per account, when its latest live fill of a proposal (a rebalance trade) dated on or before the as-of date was recorded, as known at a time.';

-- Drift of every account (or some) as of a date, as known at a time, in one pass (C).
CREATE FUNCTION pms.drift_of(as_of date DEFAULT NULL, known_at timestamptz DEFAULT NULL, account_ids uuid[] DEFAULT NULL)
RETURNS TABLE (account_id uuid, household_id uuid, model_id uuid, target_source text, current_duration float8,
               target_duration float8, duration_drift float8, bucket_drifts jsonb, max_bucket_drift float8,
               overall_drift float8, status text, positions integer, stale_positions integer,
               last_rebalanced_at timestamptz)
LANGUAGE c STABLE PARALLEL RESTRICTED ROWS 100000
SET jit = off
SET work_mem = '64MB'
AS 'MODULE_PATHNAME', 'pms_drift_of';
COMMENT ON FUNCTION pms.drift_of(date, timestamptz, uuid[]) IS
    'Internal: drift of every account (or some) from its effective target as of a date, as known at a time, in one pass; unordered. Status: green, yellow, red, no target (nothing assigned or set), unpriced (every bond stale).';

-- Drift of one account from its effective target as of a date (as known at pms.known_at).
-- The account is the first, unnamed argument: an output column is called account_id.
CREATE FUNCTION pms.drift(uuid, as_of date DEFAULT NULL)
RETURNS TABLE (account_id uuid, household_id uuid, model_id uuid, current_duration float8, target_duration float8,
               duration_drift float8, bucket_drifts jsonb, overall_drift float8, status text,
               last_rebalanced_at timestamptz)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pms.account_household($1, 'pms.drift');
    RETURN QUERY
    SELECT d.account_id, d.household_id, d.model_id, d.current_duration, d.target_duration, d.duration_drift,
           d.bucket_drifts, d.overall_drift, d.status, d.last_rebalanced_at
    FROM pms.drift_of(drift.as_of, NULL, ARRAY[$1]) d;
END
$$;
COMMENT ON FUNCTION pms.drift(uuid, date) IS
    'Drift of an account (first argument) from its effective target as of a date (default pms.as_of), as known at pms.known_at: current and target duration, duration drift, drift per maturity bucket, overall drift, status (green, yellow, red, no target, unpriced) and when it last traded to rebalance.';

-- Accounts whose overall drift is above this require rebalancing (pms.drift_summary).
CREATE FUNCTION pms.drift_rebalance_threshold() RETURNS float8
    LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_drift_rebalance_threshold_value';
COMMENT ON FUNCTION pms.drift_rebalance_threshold() IS
    'The pms.drift_rebalance_threshold setting (default 0.05): overall drift above which an account requires rebalancing.';

CREATE VIEW pms.drift_dashboard AS
SELECT d.account_id,
       a.name AS account_name,
       d.household_id,
       h.name AS household_name,
       d.model_id,
       m.name AS model_name,
       d.target_source,
       pms.resolve_as_of() AS as_of,
       d.current_duration,
       d.target_duration,
       d.duration_drift,
       d.bucket_drifts,
       d.max_bucket_drift,
       d.overall_drift,
       d.status,
       d.overall_drift > pms.drift_rebalance_threshold() AS requires_rebalance,
       d.positions,
       d.stale_positions,
       d.last_rebalanced_at
FROM pms.drift_of() d
JOIN pms.accounts a ON a.account_id = d.account_id
JOIN pms.households h ON h.household_id = d.household_id
LEFT JOIN pms.models m ON m.model_id = d.model_id;
COMMENT ON VIEW pms.drift_dashboard IS
    'Drift screen: one row per account with its drift from its effective target as of pms.as_of (as known at pms.known_at). Sort by overall_drift; filter by model_id, household_id, status or a drift threshold.';
COMMENT ON COLUMN pms.drift_dashboard.account_id IS 'Account id.';
COMMENT ON COLUMN pms.drift_dashboard.account_name IS 'Account name.';
COMMENT ON COLUMN pms.drift_dashboard.household_id IS 'Household id.';
COMMENT ON COLUMN pms.drift_dashboard.household_name IS 'Household name.';
COMMENT ON COLUMN pms.drift_dashboard.model_id IS 'Model assigned on the as-of date, if any.';
COMMENT ON COLUMN pms.drift_dashboard.model_name IS 'Current name of that model.';
COMMENT ON COLUMN pms.drift_dashboard.target_source IS 'Where the target comes from: household, account or model (NULL without one).';
COMMENT ON COLUMN pms.drift_dashboard.as_of IS 'Business date the drift is for.';
COMMENT ON COLUMN pms.drift_dashboard.current_duration IS 'Modified duration of the valued bonds (dirty-value weighted); NULL without one.';
COMMENT ON COLUMN pms.drift_dashboard.target_duration IS 'Effective target duration.';
COMMENT ON COLUMN pms.drift_dashboard.duration_drift IS '|current - target| / target duration (an account without valued bonds counts as duration 0).';
COMMENT ON COLUMN pms.drift_dashboard.bucket_drifts IS '|current - target| weight per maturity bucket.';
COMMENT ON COLUMN pms.drift_dashboard.max_bucket_drift IS 'The largest bucket drift.';
COMMENT ON COLUMN pms.drift_dashboard.overall_drift IS 'Weighted mean of duration drift and largest bucket drift (pms.drift_duration_weight, pms.drift_bucket_weight).';
COMMENT ON COLUMN pms.drift_dashboard.status IS 'green (in tolerance), yellow (past pms.drift_warning_band of a tolerance), red (out of tolerance), no target, unpriced (every bond stale).';
COMMENT ON COLUMN pms.drift_dashboard.requires_rebalance IS 'Overall drift above pms.drift_rebalance_threshold.';
COMMENT ON COLUMN pms.drift_dashboard.positions IS 'Bond positions held.';
COMMENT ON COLUMN pms.drift_dashboard.stale_positions IS 'Bond positions left out of the drift for want of a fresh price, curve or FX rate.';
COMMENT ON COLUMN pms.drift_dashboard.last_rebalanced_at IS 'When the latest live fill of a proposal in the account was recorded.';

CREATE VIEW pms.drift_summary AS
SELECT pms.resolve_as_of() AS as_of,
       count(*) AS accounts,
       count(*) FILTER (WHERE d.status = 'green') AS in_tolerance,
       count(*) FILTER (WHERE d.status = 'yellow') AS warning,
       count(*) FILTER (WHERE d.status = 'red') AS out_of_tolerance,
       count(*) FILTER (WHERE d.status = 'unpriced') AS unpriced,
       count(*) FILTER (WHERE d.status = 'no target') AS without_target,
       avg(d.duration_drift) AS avg_duration_drift,
       avg(d.max_bucket_drift) AS avg_bucket_drift,
       avg(d.overall_drift) AS avg_overall_drift,
       count(*) FILTER (WHERE d.overall_drift > pms.drift_rebalance_threshold()) AS requiring_rebalance
FROM pms.drift_of() d;
COMMENT ON VIEW pms.drift_summary IS
    'Drift summary cards as of pms.as_of (as known at pms.known_at): accounts by status, average drifts, accounts requiring rebalancing.';
COMMENT ON COLUMN pms.drift_summary.as_of IS 'Business date the drift is for.';
COMMENT ON COLUMN pms.drift_summary.accounts IS 'All accounts.';
COMMENT ON COLUMN pms.drift_summary.in_tolerance IS 'Accounts with status green.';
COMMENT ON COLUMN pms.drift_summary.warning IS 'Accounts with status yellow.';
COMMENT ON COLUMN pms.drift_summary.out_of_tolerance IS 'Accounts with status red.';
COMMENT ON COLUMN pms.drift_summary.unpriced IS 'Accounts whose every bond is stale.';
COMMENT ON COLUMN pms.drift_summary.without_target IS 'Accounts with no model, account or household target.';
COMMENT ON COLUMN pms.drift_summary.avg_duration_drift IS 'Mean duration drift of the accounts with a target.';
COMMENT ON COLUMN pms.drift_summary.avg_bucket_drift IS 'Mean largest bucket drift of the accounts with a target.';
COMMENT ON COLUMN pms.drift_summary.avg_overall_drift IS 'Mean overall drift of the accounts with a target.';
COMMENT ON COLUMN pms.drift_summary.requiring_rebalance IS 'Accounts whose overall drift is above pms.drift_rebalance_threshold.';

CREATE TABLE pms.drift_history (
    household_id        uuid NOT NULL,
    account_id          uuid NOT NULL,
    as_of               date NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    model_id            uuid,
    target_source       text,
    current_duration    float8,
    target_duration     float8,
    duration_drift      float8,
    bucket_drifts       jsonb,
    max_bucket_drift    float8,
    overall_drift       float8,
    status              text NOT NULL,
    stale_positions     integer NOT NULL,
    PRIMARY KEY (household_id, account_id, as_of, recorded_at)
);
COMMENT ON TABLE pms.drift_history IS
    'Drift of every account recorded by pms.record_drift_history for trend charts; append-only. Recording a date again appends newer rows: read the latest recorded_at per account and date.';
COMMENT ON COLUMN pms.drift_history.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.drift_history.account_id IS 'Account.';
COMMENT ON COLUMN pms.drift_history.as_of IS 'Business date the drift is for.';
COMMENT ON COLUMN pms.drift_history.recorded_at IS 'When it was recorded (transaction time).';
COMMENT ON COLUMN pms.drift_history.model_id IS 'Model assigned on that date, if any.';
COMMENT ON COLUMN pms.drift_history.target_source IS 'household, account or model; NULL without a target.';
COMMENT ON COLUMN pms.drift_history.current_duration IS 'Modified duration of the valued bonds.';
COMMENT ON COLUMN pms.drift_history.target_duration IS 'Effective target duration.';
COMMENT ON COLUMN pms.drift_history.duration_drift IS '|current - target| / target duration.';
COMMENT ON COLUMN pms.drift_history.bucket_drifts IS '|current - target| weight per maturity bucket.';
COMMENT ON COLUMN pms.drift_history.max_bucket_drift IS 'The largest bucket drift.';
COMMENT ON COLUMN pms.drift_history.overall_drift IS 'Weighted overall drift under the settings of the recording session.';
COMMENT ON COLUMN pms.drift_history.status IS 'green, yellow, red, no target or unpriced.';
COMMENT ON COLUMN pms.drift_history.stale_positions IS 'Bond positions left out for want of a price.';
CREATE TRIGGER drift_history_append_only BEFORE UPDATE OR DELETE ON pms.drift_history
    FOR EACH ROW EXECUTE FUNCTION pms.refuse_mutation('Drift history is append-only: record the date again; the latest recorded row wins.');
CREATE TRIGGER drift_history_no_truncate BEFORE TRUNCATE ON pms.drift_history
    FOR EACH STATEMENT EXECUTE FUNCTION pms.refuse_mutation('Drift history is append-only: record the date again; the latest recorded row wins.');
SELECT pg_catalog.pg_extension_config_dump('pms.drift_history', '');

-- Appends the drift of every account as of a date (default pms.as_of) to pms.drift_history.
CREATE FUNCTION pms.record_drift_history(as_of date DEFAULT NULL) RETURNS bigint
LANGUAGE sql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH recorded AS (
        INSERT INTO pms.drift_history (household_id, account_id, as_of, model_id, target_source, current_duration,
                                       target_duration, duration_drift, bucket_drifts, max_bucket_drift,
                                       overall_drift, status, stale_positions)
        SELECT d.household_id, d.account_id, pms.resolve_as_of(record_drift_history.as_of), d.model_id, d.target_source,
               d.current_duration, d.target_duration, d.duration_drift, d.bucket_drifts, d.max_bucket_drift,
               d.overall_drift, d.status, d.stale_positions
        FROM pms.drift_of(record_drift_history.as_of) d
        RETURNING 1
    )
    SELECT count(*) FROM recorded
$$;
COMMENT ON FUNCTION pms.record_drift_history(date) IS
    'Appends one row per account with its drift as of a date (default pms.as_of), as known at pms.known_at, to pms.drift_history; returns the rows written. Schedule it daily.';
