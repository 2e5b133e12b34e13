-- test/pgtap/position_fold.sql: properties of pms.position_fold on random execution streams
-- (fixed seed): the C fold equals an independent recursive-CTE reference (final and every
-- intermediate state, byte for byte), in 128-bit fixed point and in the numeric fallback; and
-- folding a prefix to a checkpoint then continuing from it with the start-state variant equals
-- folding the whole stream.
BEGIN;
SELECT plan(8);

SET LOCAL max_parallel_workers_per_gather = 0;
SELECT setseed(0.3);

-- 200 groups of 1..100 executions: equities (whole units, 4-decimal prices), bonds (face in
-- thousands, multiplier 0.01) and funds (fractional units, prices with up to 12 decimals so
-- that opening averages round); sides are a fair coin, so positions cross zero often.
CREATE TEMP TABLE streams (grp int, kind text, n int) ON COMMIT DROP;
INSERT INTO streams
SELECT g, (ARRAY['equity', 'bond', 'fund'])[1 + g % 3], 1 + floor(random() * 100)::int
FROM generate_series(1, 200) g;
CREATE TEMP TABLE ev (grp int, rn int, side text, quantity numeric, price numeric, mult numeric,
                      PRIMARY KEY (grp, rn)) ON COMMIT DROP;
INSERT INTO ev
SELECT s.grp, i,
       CASE WHEN random() < 0.5 THEN 'BUY' ELSE 'SELL' END,
       CASE s.kind WHEN 'equity' THEN 1 + floor(random() * 500)
                   WHEN 'bond' THEN 1000 * (1 + floor(random() * 1000))
                   ELSE round((random() * 50)::numeric, 3) + 0.001 END,
       CASE s.kind WHEN 'equity' THEN round((1 + random() * 200)::numeric, 4)
                   WHEN 'bond' THEN round((90 + random() * 20)::numeric, 5)
                   ELSE round((10 + random() * 5)::numeric, 12) END,
       CASE s.kind WHEN 'bond' THEN 0.01 ELSE 1 END
FROM streams s, generate_series(1, s.n) i;
-- a few executions at price 0 and exact repeats of the position's size (lands flat)
UPDATE ev SET price = 0 WHERE (grp * 7 + rn) % 97 = 0;
ANALYZE ev;

-- The reference: every state of every group, by a recursive CTE.  Written independently of the
-- C code from the rules in docs/positions-fold.md; a new average is rounded half away from zero
-- to 10 decimals, computed exactly as div(2 N 10^10 + D, 2 D) / 10^10 (N >= 0, D > 0).
CREATE TEMP TABLE ref ON COMMIT DROP AS
WITH RECURSIVE fold AS (
    SELECT e.grp, e.rn, e.mult, CASE e.side WHEN 'BUY' THEN e.quantity ELSE -e.quantity END AS q,
           round(e.price, 10) AS a, 0::numeric AS r
    FROM ev e WHERE e.rn = 1
  UNION ALL
    SELECT e.grp, e.rn, f.mult, f.q + CASE e.side WHEN 'BUY' THEN e.quantity ELSE -e.quantity END,
           CASE WHEN f.q = 0 THEN round(e.price, 10)
                WHEN (f.q > 0) = (e.side = 'BUY')
                    THEN div(2 * (f.a * abs(f.q) + e.price * e.quantity) * 10000000000 + abs(f.q) + e.quantity,
                             2 * (abs(f.q) + e.quantity)) / 10000000000
                WHEN e.quantity = abs(f.q) THEN NULL
                WHEN e.quantity > abs(f.q) THEN round(e.price, 10)
                ELSE f.a END,
           CASE WHEN f.q = 0 OR (f.q > 0) = (e.side = 'BUY') THEN f.r
                WHEN f.q > 0 THEN f.r + (e.price - f.a) * least(e.quantity, abs(f.q)) * e.mult
                ELSE f.r + (f.a - e.price) * least(e.quantity, abs(f.q)) * e.mult END
    FROM fold f JOIN ev e ON e.grp = f.grp AND e.rn = f.rn + 1
)
SELECT grp, rn,
       ROW(trim_scale(q), trim_scale(a), CASE WHEN q = 0 THEN 0 ELSE trim_scale(a * q * mult) END,
           trim_scale(r), rn)::pms.position_state AS state
FROM fold;

SELECT is((SELECT count(*) FROM ref), (SELECT count(*) FROM ev), 'the reference folds every execution');

SELECT is_empty($$
    SELECT grp FROM (
        SELECT grp, pms.position_fold(side, quantity, price, mult ORDER BY rn)::text AS c
        FROM ev GROUP BY grp) c
    JOIN (SELECT DISTINCT ON (grp) grp, state::text AS r FROM ref ORDER BY grp, rn DESC) r USING (grp)
    WHERE c IS DISTINCT FROM r
$$, 'the ordered C fold equals the reference, byte for byte, for all 200 groups');

SELECT is_empty($$
    SELECT grp, rn FROM (
        SELECT grp, rn, (pms.position_fold(side, quantity, price, mult) OVER (PARTITION BY grp ORDER BY rn))::text AS c
        FROM ev) c
    JOIN ref r USING (grp, rn)
    WHERE c IS DISTINCT FROM r.state::text
$$, 'every intermediate state of the C fold (as a window) equals the reference');

SELECT ok((SELECT count(*) FILTER (WHERE (state).quantity < 0) > 0 AND count(*) FILTER (WHERE (state).quantity = 0) > 0
                  AND count(*) FILTER (WHERE (state).realized_pnl < 0) > 0 FROM ref),
          'the streams go short, go flat and realize losses');

-- Numeric fallback: quantities scaled by 10^30 no longer fit 128-bit fixed point.
SELECT is_empty($$
    SELECT grp FROM (
        SELECT grp, pms.position_fold(side, quantity * 1e30, price, mult ORDER BY rn) AS c,
               pms.position_fold(side, quantity, price, mult ORDER BY rn) AS b
        FROM ev GROUP BY grp) t
    WHERE (c).quantity <> (b).quantity * 1e30 OR (c).avg_cost IS DISTINCT FROM (b).avg_cost
       OR (c).cost_basis <> (b).cost_basis * 1e30 OR (c).realized_pnl <> (b).realized_pnl * 1e30
       OR (c).trade_count <> (b).trade_count
       OR (c).quantity::text <> trim_scale((b).quantity * 1e30)::text
$$, 'in the numeric fallback the fold scales exactly with the quantities (average unchanged)');

-- Checkpoints: fold a prefix, continue from it; every cut point of every group.
SELECT is_empty($$
    WITH cuts AS (SELECT grp, k FROM streams, generate_series(0, n) k),
    prefix AS (
        SELECT c.grp, c.k, (SELECT pms.position_fold(side, quantity, price, mult ORDER BY rn)
                            FROM ev WHERE ev.grp = c.grp AND ev.rn <= c.k) AS state
        FROM cuts c
    ),
    continued AS (
        SELECT p.grp, p.k, coalesce((SELECT pms.position_fold(p.state, side, quantity, price, mult ORDER BY rn)
                                     FROM ev WHERE ev.grp = p.grp AND ev.rn > p.k), p.state)::text AS state
        FROM prefix p
    )
    SELECT c.grp, c.k FROM continued c
    JOIN (SELECT DISTINCT ON (grp) grp, state::text AS whole FROM ref ORDER BY grp, rn DESC) r USING (grp)
    WHERE c.state IS DISTINCT FROM r.whole
$$, 'folding to any checkpoint and continuing from it equals folding the whole stream');

SELECT is_empty($$
    SELECT grp FROM (
        SELECT grp, pms.position_fold(NULL::pms.position_state, side, quantity, price, mult ORDER BY rn)::text AS a,
               pms.position_fold(side, quantity, price, mult ORDER BY rn)::text AS b
        FROM ev GROUP BY grp) t
    WHERE a IS DISTINCT FROM b
$$, 'a NULL start state folds from flat');

SELECT is_empty($$
    SELECT grp FROM (SELECT grp, pms.position_fold(side, quantity, price, mult ORDER BY rn)::text AS a FROM ev GROUP BY grp) x
    FULL JOIN (SELECT grp, pms.position_fold(side, quantity, price, mult ORDER BY rn)::text AS b FROM ev GROUP BY grp) y
    USING (grp) WHERE a IS DISTINCT FROM b
$$, 'the fold is deterministic run to run');

SELECT * FROM finish();
ROLLBACK;
