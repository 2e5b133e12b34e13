-- simulation_fuzz.sql: bounded random mutation of valid requests (fixed seed).  Every mutant
-- must either simulate or raise an ordinary error; a backend crash fails the whole suite.
-- The counts are pinned, so a change in the parser's verdicts shows up as a diff.
\i test/fixtures/setup.sql
CREATE TEMP TABLE seeds (name text, r jsonb);
\set req `cat test/golden/m_multi_currency.request.json`
INSERT INTO seeds VALUES ('m', :'req');
\set req `cat test/golden/b_cap_redistribution.request.json`
INSERT INTO seeds VALUES ('b', :'req');
\set req `cat test/golden/j_shelf_exclusions.request.json`
INSERT INTO seeds VALUES ('j', :'req');

-- All paths (object keys and array indexes) of a document, leaves and containers.
CREATE FUNCTION pg_temp.paths(doc jsonb) RETURNS SETOF text[] LANGUAGE sql AS $$
    WITH RECURSIVE walk(path, v) AS (
        SELECT ARRAY[]::text[], doc
        UNION ALL
        SELECT w.path || c.k, c.v
        FROM walk w,
             LATERAL (SELECT key AS k, value AS v FROM jsonb_each(CASE WHEN jsonb_typeof(w.v) = 'object' THEN w.v END)
                      UNION ALL
                      SELECT (o - 1)::text, e FROM jsonb_array_elements(CASE WHEN jsonb_typeof(w.v) = 'array' THEN w.v END)
                           WITH ORDINALITY x(e, o)) c)
    SELECT path FROM walk WHERE cardinality(path) > 0
$$;

-- Replacement values: wrong types, edge numbers, odd strings, containers.
CREATE TEMP TABLE junk (v jsonb);
INSERT INTO junk VALUES ('null'), ('true'), ('0'), ('-1'), ('1'), ('0.000000000001'), ('0.0000000000001'),
    ('999999999999999999'), ('1e17'), ('-0.5'), ('""'), ('"x"'), ('"USD"'), ('"EUR"'), ('"ZZZ"'),
    ('"2026-02-13T10:00:00Z"'), ('"2026-13-01T00:00:00Z"'), ('"APPROVED"'), ('"BANNED"'), ('"FUND"'),
    ('"HARD"'), ('"NO_NEGATIVE_CASH"'), ('[]'), ('{}'), ('[1, 2]'), ('{"a": 1}'), ('"\u00e9\u0001"'),
    (to_jsonb(repeat('x', 300)));

SELECT setseed(0.42);
CREATE TEMP TABLE outcome (kind text);
DO $$
DECLARE
    s record; doc jsonb; p text[]; ps text[][]; v jsonb; res jsonb; i int; k int;
BEGIN
    FOR i IN 1..600 LOOP
        SELECT * INTO s FROM seeds ORDER BY name OFFSET floor(random() * 3)::int LIMIT 1;
        doc := s.r;
        -- one to three mutations: replace a value, delete a member, or duplicate an array element
        FOR k IN 1..(1 + floor(random() * 3)::int) LOOP
            SELECT path INTO p FROM pg_temp.paths(doc) path ORDER BY random() LIMIT 1;
            EXIT WHEN p IS NULL;
            CASE floor(random() * 3)::int
                WHEN 0 THEN
                    SELECT j.v INTO v FROM junk j ORDER BY random() LIMIT 1;
                    doc := jsonb_set(doc, p, v);
                WHEN 1 THEN
                    doc := doc #- p;
                ELSE
                    IF jsonb_typeof(doc #> p[1:cardinality(p) - 1]) = 'array' THEN
                        doc := jsonb_insert(doc, p, doc #> p);
                    ELSE
                        doc := jsonb_set(doc, p, jsonb_build_array(doc #> p));
                    END IF;
            END CASE;
        END LOOP;
        BEGIN
            res := pms.simulate_rebalance(doc);
            INSERT INTO outcome VALUES ('simulated ' || (res ->> 'status'));
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO outcome VALUES ('error ' || SQLSTATE);
        END;
    END LOOP;
END
$$;
SELECT count(*) AS mutants FROM outcome;
SELECT kind, count(*) FROM outcome GROUP BY kind ORDER BY kind;
-- the backend is still alive
SELECT 1 AS alive;
