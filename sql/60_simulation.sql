-- 60_simulation.sql: the rebalance simulator of RFC-0001 (issue 6).
-- pms.simulate_rebalance is the pure, deterministic pipeline (C: src/simulate*.c);
-- pms.run_rebalance_simulation adds idempotent persistence in pms.rebalance_runs
-- (RFC §8) and LOG lines carrying correlation_id, portfolio_id and run_id (RFC §9).
-- rebalance_runs is keyed by the request's portfolio id, not by household: on a
-- Citus scale-out it is distributed by idempotency_key hash (its unique key) or kept
-- on the coordinator; see docs/simulation.md.

CREATE FUNCTION pms.simulate_rebalance(request jsonb)
RETURNS jsonb
LANGUAGE c STABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pms_simulate_rebalance';
COMMENT ON FUNCTION pms.simulate_rebalance(jsonb) IS
    'Rebalance simulation (RFC-0001): returns order intents, after-state and compliance verdict for a portfolio snapshot, market data, model, shelf and policy. Deterministic; executes nothing.';

CREATE TABLE pms.rebalance_runs (
    run_seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key  text NOT NULL UNIQUE CHECK (btrim(idempotency_key) <> '' AND length(idempotency_key) <= 200),
    request_hash     text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
    rebalance_run_id text NOT NULL,
    portfolio_id     text NOT NULL,
    status           text NOT NULL CHECK (status IN ('READY', 'PENDING_REVIEW', 'BLOCKED')),
    request          jsonb NOT NULL,
    result           jsonb NOT NULL,
    correlation_id   text NOT NULL,
    elapsed_ms       numeric(12, 3) NOT NULL CHECK (elapsed_ms >= 0),
    created_at       timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    created_by       text NOT NULL DEFAULT session_user
);
COMMENT ON TABLE pms.rebalance_runs IS
    'Persisted rebalance simulation runs (RFC-0001 §8): one row per idempotency key, append-only.';
COMMENT ON COLUMN pms.rebalance_runs.run_seq IS 'Row number (identity); the order runs were stored in.';
COMMENT ON COLUMN pms.rebalance_runs.idempotency_key IS 'Caller''s Idempotency-Key: a retry with the same key and request returns this row''s result.';
COMMENT ON COLUMN pms.rebalance_runs.request_hash IS 'Hex SHA-256 of the canonical request text (request::text, UTF-8).';
COMMENT ON COLUMN pms.rebalance_runs.rebalance_run_id IS 'rr_ and the first 16 hex digits of request_hash (the same request always has the same run id).';
COMMENT ON COLUMN pms.rebalance_runs.portfolio_id IS 'portfolio_snapshot.portfolio_id of the request.';
COMMENT ON COLUMN pms.rebalance_runs.status IS 'READY, PENDING_REVIEW or BLOCKED.';
COMMENT ON COLUMN pms.rebalance_runs.request IS 'The request as received.';
COMMENT ON COLUMN pms.rebalance_runs.result IS 'The response of pms.simulate_rebalance.';
COMMENT ON COLUMN pms.rebalance_runs.correlation_id IS 'Correlation id of the call (argument, else pms.correlation_id, else generated).';
COMMENT ON COLUMN pms.rebalance_runs.elapsed_ms IS 'Wall-clock time of the simulation in milliseconds (observability only; never part of the result).';
COMMENT ON COLUMN pms.rebalance_runs.created_at IS 'Transaction time at which the run was stored.';
COMMENT ON COLUMN pms.rebalance_runs.created_by IS 'Database session user that stored the run.';
CREATE INDEX rebalance_runs_portfolio_idx ON pms.rebalance_runs (portfolio_id, created_at);

CREATE TRIGGER rebalance_runs_append_only
    BEFORE UPDATE OR DELETE ON pms.rebalance_runs
    FOR EACH ROW EXECUTE FUNCTION pms.refuse_mutation();
ALTER TABLE pms.rebalance_runs ENABLE ALWAYS TRIGGER rebalance_runs_append_only;
SELECT pg_catalog.pg_extension_config_dump('pms.rebalance_runs', '');

-- Idempotent, persisted simulation (RFC §8.2).
CREATE FUNCTION pms.run_rebalance_simulation(request jsonb, idempotency_key text, correlation_id text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    req_hash    text;
    corr        text;
    stored      pms.rebalance_runs%ROWTYPE;
    res         jsonb;
    started     timestamptz;
    elapsed     numeric;
    inserted    bigint;
BEGIN
    PERFORM pms.require_argument(run_rebalance_simulation.request, 'request', 'pms.run_rebalance_simulation');
    PERFORM pms.require_argument(run_rebalance_simulation.idempotency_key, 'idempotency_key', 'pms.run_rebalance_simulation');
    IF btrim(run_rebalance_simulation.idempotency_key) = '' OR length(run_rebalance_simulation.idempotency_key) > 200 THEN
        RAISE EXCEPTION 'idempotency_key must be 1 to 200 characters'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('The key has %s characters.', length(run_rebalance_simulation.idempotency_key)),
                  HINT = 'Send a UUID as the Idempotency-Key.';
    END IF;
    req_hash := encode(sha256(convert_to(run_rebalance_simulation.request::text, 'UTF8')), 'hex');
    corr := coalesce(nullif(run_rebalance_simulation.correlation_id, ''),
                     nullif(current_setting('pms.correlation_id', true), ''),
                     'corr_' || gen_random_uuid()::text);

    -- A retry: return the stored result, or refuse a different request under the same key.
    SELECT * INTO stored FROM pms.rebalance_runs r WHERE r.idempotency_key = run_rebalance_simulation.idempotency_key;
    IF NOT FOUND THEN
        RAISE LOG 'pms rebalance run started: correlation_id=% portfolio_id=% run_id=%',
            corr, run_rebalance_simulation.request #>> '{portfolio_snapshot,portfolio_id}', 'rr_' || left(req_hash, 16);
        started := clock_timestamp();
        res := pms.simulate_rebalance(run_rebalance_simulation.request);
        elapsed := round(extract(epoch FROM clock_timestamp() - started) * 1000, 3);
        INSERT INTO pms.rebalance_runs (idempotency_key, request_hash, rebalance_run_id, portfolio_id, status,
                                        request, result, correlation_id, elapsed_ms)
        VALUES (run_rebalance_simulation.idempotency_key, req_hash, res ->> 'rebalance_run_id',
                run_rebalance_simulation.request #>> '{portfolio_snapshot,portfolio_id}', res ->> 'status',
                run_rebalance_simulation.request, res, corr, elapsed)
        ON CONFLICT ON CONSTRAINT rebalance_runs_idempotency_key_key DO NOTHING
        RETURNING run_seq INTO inserted;
        IF inserted IS NOT NULL THEN
            RAISE LOG 'pms rebalance run completed: correlation_id=% portfolio_id=% run_id=% status=% intents=% excluded=% elapsed_ms=%',
                corr, res #>> '{lineage,portfolio_id}', res ->> 'rebalance_run_id', res ->> 'status',
                jsonb_array_length(res -> 'intents'), jsonb_array_length(res #> '{universe,excluded}'), elapsed;
            RETURN res;
        END IF;
        -- A concurrent call with the same key committed first: fall through to its row.
        SELECT * INTO STRICT stored FROM pms.rebalance_runs r WHERE r.idempotency_key = run_rebalance_simulation.idempotency_key;
    END IF;
    IF stored.request_hash <> req_hash THEN
        RAISE EXCEPTION 'idempotency key "%" was already used for a different request', run_rebalance_simulation.idempotency_key
            USING ERRCODE = 'unique_violation',
                  DETAIL = format('Run %s was stored under this key with request hash %s; this request hashes to %s.',
                                  stored.rebalance_run_id, stored.request_hash, req_hash),
                  HINT = 'Use a new idempotency key for a new request (HTTP 409 Conflict).';
    END IF;
    RAISE LOG 'pms rebalance run replayed: correlation_id=% portfolio_id=% run_id=% stored_correlation_id=%',
        corr, stored.portfolio_id, stored.rebalance_run_id, stored.correlation_id;
    RETURN stored.result;
END
$$;
COMMENT ON FUNCTION pms.run_rebalance_simulation(jsonb, text, text) IS
    'Runs pms.simulate_rebalance once per idempotency key and stores it in pms.rebalance_runs; a retry with the same key and request returns the stored result, a different request raises unique_violation (23505).';

CREATE VIEW pms.simulation_stats AS
    SELECT 'runs_by_status'::text AS metric, r.status AS label, count(*) AS runs
    FROM pms.rebalance_runs r GROUP BY r.status
    UNION ALL
    SELECT 'exclusions_by_reason', e ->> 'reason', count(*)
    FROM pms.rebalance_runs r, jsonb_array_elements(r.result #> '{universe,excluded}') e
    GROUP BY e ->> 'reason'
    UNION ALL
    SELECT 'latency_bucket',
           CASE WHEN r.elapsed_ms < 1 THEN 'lt_1ms' WHEN r.elapsed_ms < 5 THEN '1ms_to_5ms'
                WHEN r.elapsed_ms < 50 THEN '5ms_to_50ms' ELSE 'ge_50ms' END,
           count(*)
    FROM pms.rebalance_runs r GROUP BY 2;
COMMENT ON VIEW pms.simulation_stats IS
    'Simulation metrics (RFC §9.2): runs by status, universe exclusions by reason and latency buckets, over pms.rebalance_runs.';
COMMENT ON COLUMN pms.simulation_stats.metric IS 'runs_by_status, exclusions_by_reason or latency_bucket.';
COMMENT ON COLUMN pms.simulation_stats.label IS 'The status, the exclusion reason code, or the latency bucket (lt_1ms, 1ms_to_5ms, 5ms_to_50ms, ge_50ms).';
COMMENT ON COLUMN pms.simulation_stats.runs IS 'Number of stored runs (for exclusions: number of excluded instruments across runs).';
