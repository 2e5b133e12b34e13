-- bench/position_fold_reference.sql: reference formulations of pms.position_fold for the benchmark
-- and for cross-checking; NOT part of the extension.  Loaded into a throwaway database by
-- bench/position_fold.sh (schema pms_bench, which needs the pms extension for pms.position_state).
--
-- Same rules as the C fold (docs/positions-fold.md): weighted average cost, shorts, exact numeric,
-- the only rounding being a new average, half away from zero to 10 decimals, computed exactly as
-- div(2 * N * 10^10 + D, 2 * D) / 10^10 for N = avg * |Q| + price * q >= 0 and D = |Q| + q > 0
-- (numeric division would round twice).  Outputs are trim_scale()d like the C fold's.

CREATE SCHEMA IF NOT EXISTS pms_bench;

-- 1. PL/pgSQL aggregate ------------------------------------------------------------------------

CREATE TYPE pms_bench.fold_acc AS (quantity numeric, avg_cost numeric, realized numeric,
                                   trade_count bigint, multiplier numeric);

-- One execution folded into the accumulator.
CREATE FUNCTION pms_bench.fold_step(acc pms_bench.fold_acc, side text, quantity numeric,
                                    price numeric, price_multiplier numeric)
RETURNS pms_bench.fold_acc
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q numeric := acc.quantity;
    a numeric := acc.avg_cost;
    held numeric;
    closed numeric;
BEGIN
    IF side IS NULL OR quantity IS NULL OR price IS NULL OR price_multiplier IS NULL THEN
        RAISE EXCEPTION 'position_fold arguments must not be null' USING ERRCODE = '22004';
    END IF;
    IF side NOT IN ('BUY', 'SELL') OR quantity <= 0 OR price < 0 OR price_multiplier <= 0
       OR price_multiplier <> coalesce(acc.multiplier, price_multiplier) THEN
        RAISE EXCEPTION 'position_fold: bad execution' USING ERRCODE = '22023';
    END IF;
    acc.multiplier := price_multiplier;
    acc.trade_count := acc.trade_count + 1;
    IF q = 0 THEN
        acc.quantity := CASE side WHEN 'BUY' THEN quantity ELSE -quantity END;
        acc.avg_cost := round(price, 10);
    ELSIF (q > 0) = (side = 'BUY') THEN
        held := abs(q);
        acc.avg_cost := div(2 * (a * held + price * quantity) * 10000000000 + (held + quantity),
                            2 * (held + quantity)) * 0.0000000001;
        acc.quantity := q + CASE side WHEN 'BUY' THEN quantity ELSE -quantity END;
    ELSE
        held := abs(q);
        closed := least(quantity, held);
        acc.realized := acc.realized + (CASE WHEN q > 0 THEN price - a ELSE a - price END) * closed * price_multiplier;
        acc.quantity := q + CASE side WHEN 'BUY' THEN quantity ELSE -quantity END;
        IF acc.quantity = 0 THEN
            acc.avg_cost := NULL;
        ELSIF quantity > held THEN
            acc.avg_cost := round(price, 10);
        END IF;
    END IF;
    RETURN acc;
END
$$;

-- The accumulator as a pms.position_state (NULL over no rows, like the C fold).
CREATE FUNCTION pms_bench.fold_final(acc pms_bench.fold_acc)
RETURNS pms.position_state
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN acc.trade_count > 0 THEN
        ROW(trim_scale(acc.quantity), trim_scale(acc.avg_cost),
            CASE WHEN acc.quantity = 0 THEN 0 ELSE trim_scale(acc.avg_cost * acc.quantity * acc.multiplier) END,
            trim_scale(acc.realized), acc.trade_count)::pms.position_state END
$$;

CREATE AGGREGATE pms_bench.position_fold_plpgsql(side text, quantity numeric, price numeric,
                                                 price_multiplier numeric) (
    SFUNC = pms_bench.fold_step,
    STYPE = pms_bench.fold_acc,
    FINALFUNC = pms_bench.fold_final,
    INITCOND = '(0,,0,0,)'
);

-- 2. Plain SQL: a recursive CTE -----------------------------------------------------------------
-- The rounded weighted average is path dependent (each sell realizes against the average of the
-- moment, each crossing resets it), so no window-function formulation computes it; the best plain
-- SQL is a recursive CTE that advances every group by one execution per iteration.  It needs the
-- executions numbered 1..n per group: pms_bench.position_fold_sql(rel) expects a table
-- rel(grp bigint, rn int, side text, quantity numeric, price numeric, price_multiplier numeric)
-- with an index on (grp, rn), and returns one pms.position_state per group.
CREATE FUNCTION pms_bench.position_fold_sql(rel regclass)
RETURNS TABLE (grp bigint, state pms.position_state)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
    WITH RECURSIVE fold AS (
        SELECT e.grp, e.rn, e.price_multiplier AS mult, 1::bigint AS cnt,
               CASE e.side WHEN 'BUY' THEN e.quantity ELSE -e.quantity END AS q,
               round(e.price, 10) AS a, 0::numeric AS r
        FROM %1$s e WHERE e.rn = 1
      UNION ALL
        SELECT e.grp, e.rn, f.mult, f.cnt + 1, s.nq,
               CASE WHEN f.q = 0 THEN round(e.price, 10)
                    WHEN s.increase THEN div(2 * (f.a * abs(f.q) + e.price * e.quantity) * 10000000000
                                             + (abs(f.q) + e.quantity), 2 * (abs(f.q) + e.quantity)) * 0.0000000001
                    WHEN s.nq = 0 THEN NULL
                    WHEN e.quantity > abs(f.q) THEN round(e.price, 10)
                    ELSE f.a END,
               CASE WHEN f.q = 0 OR s.increase THEN f.r
                    ELSE f.r + (CASE WHEN f.q > 0 THEN e.price - f.a ELSE f.a - e.price END)
                               * least(e.quantity, abs(f.q)) * e.price_multiplier END
        FROM fold f
        JOIN %1$s e ON e.grp = f.grp AND e.rn = f.rn + 1
        CROSS JOIN LATERAL (SELECT f.q + CASE e.side WHEN 'BUY' THEN e.quantity ELSE -e.quantity END AS nq,
                                   (f.q > 0) = (e.side = 'BUY') AS increase) s
    )
    SELECT DISTINCT ON (f.grp) f.grp,
           ROW(trim_scale(f.q), trim_scale(f.a), CASE WHEN f.q = 0 THEN 0 ELSE trim_scale(f.a * f.q * f.mult) END,
               trim_scale(f.r), f.cnt)::pms.position_state
    FROM fold f ORDER BY f.grp, f.rn DESC
    $q$, rel);
END
$$;
