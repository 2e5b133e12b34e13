-- test/pgtap/targets_properties.sql: properties of model assignments and targets on a random
-- stream of commands (fixed seed).  An independent day-grid model of the documented rules
-- (a change at day E replaces the version in force at E for the rest of its run, or fills the
-- gap up to the next version; resolution per field household -> account -> model) is kept
-- alongside, and the stored timelines and both resolution functions must agree with it on
-- every day.
BEGIN;
SELECT plan(12);
SELECT setseed(0.2026);

-- The book: three households of three accounts, three models.
DO $$
DECLARE
    h integer;
    a integer;
BEGIN
    FOR h IN 1..3 LOOP
        PERFORM pms.create_household('TAP Household ' || h, 'tap', ('72000000-0000-4000-8000-00000000000' || h)::uuid);
        FOR a IN 1..3 LOOP
            PERFORM pms.create_account(('72000000-0000-4000-8000-00000000000' || h)::uuid, 'TAP Account ' || a, 'joint', 'USD',
                                       'tap', ('72000000-0000-4000-8000-0000000000' || h || a)::uuid);
        END LOOP;
    END LOOP;
END
$$;
CREATE TEMP TABLE p_mdef (model_id uuid PRIMARY KEY, duration float8, buckets jsonb, constraints jsonb, dtol float8, btol float8);
INSERT INTO p_mdef VALUES
    ('72000000-0000-4000-8000-000000000101', 6, '{"0-2y": 0.1, "2-5y": 0.3, "5-10y": 0.4, "10-20y": 0.15, "20y+": 0.05}',
     '{"max_position_weight": 0.2, "max_trades": 20}', 0.10, 0.05),
    ('72000000-0000-4000-8000-000000000102', 2.5, '{"0-2y": 0.4, "2-5y": 0.45, "5-10y": 0.15, "10-20y": 0, "20y+": 0}',
     '{"min_trade_notional": 5000}', 0.15, 0.10),
    ('72000000-0000-4000-8000-000000000103', 12, '{"0-2y": 0.05, "2-5y": 0.1, "5-10y": 0.2, "10-20y": 0.3, "20y+": 0.35}',
     '{}', 0.08, 0.04);
DO $$
BEGIN
    PERFORM pms.create_model('TAP Model ' || right(model_id::text, 1), duration, buckets, constraints, NULL, 'tap', dtol, btol, model_id)
    FROM p_mdef ORDER BY model_id;
END
$$;

-- The independent model: one row per scope and day, holding the version in force that day.
CREATE TEMP TABLE p_scopes AS
SELECT 'target' AS kind, 'account' AS scope, account_id AS scope_id FROM pms.accounts WHERE account_id::text LIKE '72000000-%'
UNION ALL SELECT 'target', 'household', household_id FROM pms.households WHERE household_id::text LIKE '72000000-%'
UNION ALL SELECT 'assign', 'account', account_id FROM pms.accounts WHERE account_id::text LIKE '72000000-%';
CREATE TEMP TABLE p_grid AS
SELECT s.kind, s.scope, s.scope_id, d::date AS day, NULL::uuid AS version
FROM p_scopes s, generate_series(DATE '2025-01-01', DATE '2026-03-31', INTERVAL '1 day') d;
ALTER TABLE p_grid ADD PRIMARY KEY (kind, scope, scope_id, day);
CREATE TEMP TABLE p_tdef (target_id uuid PRIMARY KEY, duration float8, buckets jsonb, constraints jsonb, dtol float8, btol float8);
CREATE TEMP TABLE p_adef (version uuid PRIMARY KEY, model_id uuid);
CREATE TEMP TABLE p_log (n integer, op text, refused boolean, nothing_in_force boolean);

-- In the model: from day e, the run of the version in force at e (or of the gap) becomes new_version.
CREATE FUNCTION pg_temp.p_splice(k text, s text, sid uuid, e date, new_version uuid) RETURNS void
LANGUAGE sql AS $$
    UPDATE p_grid g SET version = new_version
    WHERE g.kind = k AND g.scope = s AND g.scope_id = sid AND g.day >= e
      AND g.day < coalesce((SELECT min(x.day) FROM p_grid x
                            WHERE x.kind = k AND x.scope = s AND x.scope_id = sid AND x.day > e
                              AND x.version IS DISTINCT FROM (SELECT y.version FROM p_grid y
                                                              WHERE y.kind = k AND y.scope = s AND y.scope_id = sid AND y.day = e)),
                           'infinity');
$$;

-- The random stream: 300 commands dated on random days of 2025.
DO $$
DECLARE
    n       integer;
    r       float8;
    e       date;
    ids     uuid[];
    sid     uuid;
    s       text;
    m       uuid;
    tid     uuid;
    cur     uuid;
    refused boolean;
    dur     float8;
    bw      jsonb;
    con     jsonb;
    dtol    float8;
    btol    float8;
    acct    uuid;
BEGIN
    FOR n IN 1..300 LOOP
        r := random();
        e := DATE '2025-01-01' + floor(random() * 365)::integer;
        IF r < 0.25 THEN
            ids := ARRAY(SELECT scope_id FROM p_scopes WHERE kind = 'assign' ORDER BY random() LIMIT 1 + floor(random() * 3)::integer);
            m := (SELECT model_id FROM p_mdef ORDER BY random() LIMIT 1);
            PERFORM pms.assign_model(ids, m, 'tap', e::timestamptz);
            FOREACH acct IN ARRAY ids LOOP
                tid := md5('assign/' || n || '/' || acct)::uuid;
                INSERT INTO p_adef VALUES (tid, m);
                PERFORM pg_temp.p_splice('assign', 'account', acct, e, tid);
            END LOOP;
            INSERT INTO p_log VALUES (n, 'assign', false, false);
        ELSIF r < 0.35 THEN
            sid := (SELECT scope_id FROM p_scopes WHERE kind = 'assign' ORDER BY random() LIMIT 1);
            cur := (SELECT version FROM p_grid WHERE kind = 'assign' AND scope_id = sid AND day = e);
            BEGIN
                PERFORM pms.unassign_model(ARRAY[sid], 'tap', e::timestamptz);
                refused := false;
            EXCEPTION WHEN object_not_in_prerequisite_state THEN
                refused := true;
            END;
            INSERT INTO p_log VALUES (n, 'unassign', refused, cur IS NULL);
            IF NOT refused THEN
                PERFORM pg_temp.p_splice('assign', 'account', sid, e, NULL);
            END IF;
        ELSIF r < 0.8 THEN
            SELECT scope, scope_id INTO s, sid FROM p_scopes WHERE kind = 'target' ORDER BY random() LIMIT 1;
            dur := CASE WHEN random() < 0.6 THEN round((1 + random() * 14)::numeric, 1)::float8 END;
            bw := CASE WHEN random() < 0.4 THEN (SELECT buckets FROM p_mdef ORDER BY random() LIMIT 1) END;
            con := '{}';
            IF random() < 0.3 THEN con := con || jsonb_build_object('max_trades', 1 + floor(random() * 30)::integer); END IF;
            IF random() < 0.2 THEN con := con || jsonb_build_object('max_position_weight', NULL::float8); END IF;
            IF random() < 0.2 THEN con := con || jsonb_build_object('max_turnover', round(random()::numeric * 0.5 + 0.1, 2)); END IF;
            dtol := CASE WHEN random() < 0.2 THEN round((0.05 + random() * 0.2)::numeric, 2)::float8 END;
            btol := CASE WHEN random() < 0.2 THEN round((0.01 + random() * 0.1)::numeric, 2)::float8 END;
            IF dur IS NULL AND bw IS NULL AND con = '{}' AND dtol IS NULL AND btol IS NULL THEN
                dur := 5;
            END IF;
            tid := md5('target/' || n)::uuid;
            PERFORM pms.set_target(s, sid, dur, bw, con, e::timestamptz, 'tap', dtol, btol, tid);
            INSERT INTO p_tdef VALUES (tid, dur, bw, con, dtol, btol);
            PERFORM pg_temp.p_splice('target', s, sid, e, tid);
            INSERT INTO p_log VALUES (n, 'set_target', false, false);
        ELSE
            SELECT scope, scope_id INTO s, sid FROM p_scopes WHERE kind = 'target' ORDER BY random() LIMIT 1;
            cur := (SELECT version FROM p_grid WHERE kind = 'target' AND scope = s AND scope_id = sid AND day = e);
            BEGIN
                PERFORM pms.clear_target(s, sid, e::timestamptz, 'tap');
                refused := false;
            EXCEPTION WHEN object_not_in_prerequisite_state THEN
                refused := true;
            END;
            INSERT INTO p_log VALUES (n, 'clear_target', refused, cur IS NULL);
            IF NOT refused THEN
                PERFORM pg_temp.p_splice('target', s, sid, e, NULL);
            END IF;
        END IF;
    END LOOP;
END
$$;

SELECT cmp_ok((SELECT count(*) FROM p_log WHERE op IN ('unassign', 'clear_target') AND refused), '>', 0::bigint,
              'the stream includes refused unassignments and clears');
SELECT is_empty($$ SELECT n, op FROM p_log WHERE refused IS DISTINCT FROM nothing_in_force $$,
                'unassign_model and clear_target refuse exactly when nothing is in force at their time');
SELECT is((SELECT count(*) FROM pms.events WHERE event_type IN ('ModelAssigned', 'ModelUnassigned', 'TargetSet', 'TargetCleared')),
          (SELECT count(*) FROM p_log WHERE NOT refused), 'each command that succeeded appended exactly one event');

-- The stored timelines are the model's, day by day.
SELECT is_empty($$
    SELECT g.scope, g.scope_id, g.day FROM p_grid g
    WHERE g.kind = 'target'
      AND g.version IS DISTINCT FROM (SELECT t.target_id FROM pms.targets t
                                      WHERE t.scope = g.scope AND t.scope_id = g.scope_id
                                        AND tstzrange(t.effective_from, t.effective_to) @> (g.day + time '12:00')::timestamptz)
$$, 'the target in force on every day of every account and household is the one the model says');
SELECT is_empty($$
    SELECT g.scope_id, g.day FROM p_grid g
    LEFT JOIN p_adef d ON d.version = g.version
    WHERE g.kind = 'assign'
      AND d.model_id IS DISTINCT FROM (SELECT x.model_id FROM pms.model_assignments x
                                       WHERE x.account_id = g.scope_id
                                         AND tstzrange(x.effective_from, x.effective_to) @> (g.day + time '12:00')::timestamptz)
$$, 'the model assigned on every day of every account is the one the model says');
SELECT is_empty($$
    SELECT a.target_id, b.target_id FROM pms.targets a JOIN pms.targets b
      ON a.scope = b.scope AND a.scope_id = b.scope_id AND a.target_id < b.target_id
    WHERE tstzrange(a.effective_from, a.effective_to) && tstzrange(b.effective_from, b.effective_to)
$$, 'no two target versions of one scope overlap');
SELECT is_empty($$
    SELECT a.assignment_id, b.assignment_id FROM pms.model_assignments a JOIN pms.model_assignments b
      ON a.account_id = b.account_id AND a.assignment_id < b.assignment_id
    WHERE tstzrange(a.effective_from, a.effective_to) && tstzrange(b.effective_from, b.effective_to)
$$, 'no two model assignments of one account overlap');

-- The reference resolution, written from the model's tables: each field from the first level that sets it.
CREATE TEMP TABLE p_expected AS
SELECT a.household_id, a.account_id, d.day,
       CASE WHEN ht.target_id IS NOT NULL THEN 'household' WHEN at.target_id IS NOT NULL THEN 'account' ELSE 'model' END AS source,
       CASE WHEN ht.target_id IS NOT NULL THEN ht.target_id WHEN at.target_id IS NOT NULL THEN at.target_id ELSE md.model_id END AS source_id,
       CASE WHEN ht.duration IS NOT NULL THEN ht.duration WHEN at.duration IS NOT NULL THEN at.duration ELSE md.duration END AS duration_target,
       CASE WHEN ht.buckets IS NOT NULL THEN ht.buckets WHEN at.buckets IS NOT NULL THEN at.buckets ELSE md.buckets END AS bucket_weights,
       (SELECT coalesce(jsonb_object_agg(k.key, k.value), '{}')
        FROM (SELECT DISTINCT ON (c.key) c.key, c.value
              FROM (SELECT e.key, e.value, 1 AS rank FROM jsonb_each(ht.constraints) e
                    UNION ALL SELECT e.key, e.value, 2 FROM jsonb_each(at.constraints) e
                    UNION ALL SELECT e.key, e.value, 3 FROM jsonb_each(md.constraints) e) c
              ORDER BY c.key, c.rank) k
        WHERE jsonb_typeof(k.value) <> 'null') AS constraints,
       CASE WHEN ht.dtol IS NOT NULL THEN ht.dtol WHEN at.dtol IS NOT NULL THEN at.dtol WHEN md.dtol IS NOT NULL THEN md.dtol ELSE 0.10 END AS duration_tolerance,
       CASE WHEN ht.btol IS NOT NULL THEN ht.btol WHEN at.btol IS NOT NULL THEN at.btol WHEN md.btol IS NOT NULL THEN md.btol ELSE 0.05 END AS bucket_tolerance,
       md.model_id, at.target_id AS account_target_id, ht.target_id AS household_target_id
FROM pms.accounts a
CROSS JOIN (SELECT DISTINCT day FROM p_grid) d
LEFT JOIN p_grid hg ON hg.kind = 'target' AND hg.scope = 'household' AND hg.scope_id = a.household_id AND hg.day = d.day
LEFT JOIN p_tdef ht ON ht.target_id = hg.version
LEFT JOIN p_grid ag ON ag.kind = 'target' AND ag.scope = 'account' AND ag.scope_id = a.account_id AND ag.day = d.day
LEFT JOIN p_tdef at ON at.target_id = ag.version
LEFT JOIN p_grid mg ON mg.kind = 'assign' AND mg.scope_id = a.account_id AND mg.day = d.day
LEFT JOIN p_adef ad ON ad.version = mg.version
LEFT JOIN p_mdef md ON md.model_id = ad.model_id
WHERE a.account_id::text LIKE '72000000-%'
  AND (ht.target_id IS NOT NULL OR at.target_id IS NOT NULL OR md.model_id IS NOT NULL);

CREATE TEMP TABLE p_set AS
SELECT x.household_id, x.account_id, d.day, x.source, x.source_id, x.duration_target, x.bucket_weights, x.constraints,
       x.duration_tolerance, x.bucket_tolerance, x.model_id, x.account_target_id, x.household_target_id
FROM (SELECT DISTINCT day FROM p_grid) d
CROSS JOIN LATERAL pms.effective_targets((d.day + time '12:00')::timestamptz) x;
CREATE TEMP TABLE p_one AS
SELECT a.household_id, a.account_id, d.day, o.source, o.source_id, o.duration_target, o.bucket_weights, o.constraints,
       o.duration_tolerance, o.bucket_tolerance, o.model_id, o.account_target_id, o.household_target_id
FROM (SELECT DISTINCT day FROM p_grid) d
CROSS JOIN pms.accounts a
CROSS JOIN LATERAL pms.effective_target(a.account_id, (d.day + time '12:00')::timestamptz) o;

SELECT cmp_ok((SELECT count(DISTINCT source) FROM p_expected), '=', 3::bigint,
              'the stream reaches all three sources (household, account, model)');
SELECT set_eq('SELECT * FROM p_set', 'SELECT * FROM p_expected',
              'effective_targets(T) equals the reference on every day, for every account');
SELECT set_eq('SELECT * FROM p_one', 'SELECT * FROM p_set',
              'effective_target(a, T) equals effective_targets(T) for every account and day');
SELECT is_empty($$
    SELECT t.target_id FROM pms.targets t
    WHERE NOT EXISTS (SELECT 1 FROM pms.events e WHERE e.event_type = 'TargetSet' AND e.household_id = t.household_id
                                                  AND e.payload->>'target_id' = t.target_id::text)
$$, 'every target version has its TargetSet event');
SELECT is_empty($$
    SELECT model_id FROM pms.models
    EXCEPT SELECT stream_id FROM pms.events WHERE event_type IN ('ModelCreated', 'ModelDuplicated')
$$, 'every model has its ModelCreated or ModelDuplicated event');

SELECT * FROM finish();
ROLLBACK;
