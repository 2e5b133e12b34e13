-- test/pgtap/schema.sql: schema invariants that every pms table, view and function keeps.
-- Written generically so that objects added later are held to the same rules.
BEGIN;
SELECT plan(11);

SELECT has_schema('pms');
SELECT tables_are('pms', ARRAY['currencies', 'countries', 'events', 'households', 'accounts', 'instruments',
                               'executions', 'execution_cancels', 'cash_movements', 'position_heads',
                               'position_projection', 'cash_projection', 'position_checkpoints',
                               'rebalance_runs', 'models', 'model_versions', 'model_assignments', 'timeline_heads',
                               'targets', 'prices', 'fx_rates', 'yield_curves', 'instrument_spreads',
                               'drift_history']);

-- Client tables (household_id NOT NULL) lead every primary key and unique constraint with it.
SELECT is_empty($$
    SELECT c.conrelid::regclass::text || ' ' || c.conname
    FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = 'household_id' AND a.attnotnull
    WHERE t.relnamespace = 'pms'::regnamespace AND c.contype IN ('p', 'u')
      AND c.conkey[1] <> a.attnum
$$, 'primary keys and unique constraints of client tables lead with household_id');

-- Unique indexes of client tables other than constraints are allowed only on globally unique ids.
SELECT is_empty($$
    SELECT i.indexrelid::regclass::text
    FROM pg_index i
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = 'household_id' AND a.attnotnull
    WHERE t.relnamespace = 'pms'::regnamespace AND i.indisunique
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      AND i.indkey[0] <> a.attnum
      AND (SELECT attname FROM pg_attribute WHERE attrelid = t.oid AND attnum = i.indkey[0]) NOT LIKE '%\_id'
$$, 'extra unique indexes of client tables are on generated ids only');

-- Foreign keys between two client tables include household_id on both sides.
SELECT is_empty($$
    SELECT c.conrelid::regclass::text || ' ' || c.conname
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attname = 'household_id' AND a.attnotnull
    JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attname = 'household_id'
    WHERE c.contype = 'f' AND c.connamespace = 'pms'::regnamespace
      AND NOT (a.attnum = ANY (c.conkey) AND r.attnum = ANY (c.confkey))
$$, 'foreign keys between client tables include household_id');

-- Every table, view and column has a comment (BI tools show them).
SELECT is_empty($$
    SELECT t.relname FROM pg_class t
    WHERE t.relnamespace = 'pms'::regnamespace AND t.relkind IN ('r', 'v', 'm')
      AND obj_description(t.oid, 'pg_class') IS NULL
$$, 'every table and view has a comment');
SELECT is_empty($$
    SELECT t.relname || '.' || a.attname FROM pg_class t
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE t.relnamespace = 'pms'::regnamespace AND t.relkind IN ('r', 'v', 'm')
      AND col_description(t.oid, a.attnum) IS NULL
$$, 'every column of every table and view has a comment');

-- Every function has a comment, and none depends on the caller's search_path.
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_proc p
    WHERE p.pronamespace = 'pms'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL
$$, 'every function has a comment');
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_proc p
    WHERE p.pronamespace = 'pms'::regnamespace AND p.prolang IN (SELECT oid FROM pg_language WHERE lanname IN ('sql', 'plpgsql'))
      AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) s WHERE s LIKE 'search\_path=%')
$$, 'every SQL and PL/pgSQL function pins its search_path');
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_proc p
    WHERE p.pronamespace = 'pms'::regnamespace AND p.prosecdef
      AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) s WHERE s LIKE 'search\_path=pg\_catalog, pg\_temp')
$$, 'security definer functions use search_path = pg_catalog, pg_temp');

-- User data is kept by pg_dump: every table holding loaded or client data is an extension config table.
SELECT set_eq($$
    SELECT unnest(extconfig)::regclass::text FROM pg_extension WHERE extname = 'pms'
$$, ARRAY['pms.events', 'pms.households', 'pms.accounts', 'pms.instruments',
          'pms.executions', 'pms.execution_cancels', 'pms.cash_movements', 'pms.rebalance_runs',
          'pms.models', 'pms.model_versions', 'pms.model_assignments', 'pms.targets',
          'pms.prices', 'pms.fx_rates', 'pms.yield_curves', 'pms.instrument_spreads', 'pms.drift_history'],
   'client and loaded tables are dumped by pg_dump (projections are rebuilt, not dumped)');

SELECT * FROM finish();
ROLLBACK;
