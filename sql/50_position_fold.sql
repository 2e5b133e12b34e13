-- 50_position_fold.sql: pms.position_fold, the ordered C fold of executions into a position
-- (weighted average cost, shorts, exact numeric), and its result type pms.position_state.
-- See docs/positions-fold.md for the rules and the rounding of the average cost.

CREATE TYPE pms.position_state AS (
    quantity        numeric,
    avg_cost        numeric,
    cost_basis      numeric,
    realized_pnl    numeric,
    trade_count     bigint
);
COMMENT ON TYPE pms.position_state IS
    'A position folded from executions: signed quantity, average cost (NULL when flat), cost basis (avg_cost x quantity x price_multiplier, negative for shorts), realized P&L and the number of executions folded.';
COMMENT ON COLUMN pms.position_state.quantity IS 'Signed quantity: positive long, negative short, 0 flat (face for bonds, units otherwise).';
COMMENT ON COLUMN pms.position_state.avg_cost IS 'Weighted average cost in the quote convention, rounded half away from zero to 10 decimals when a trade opens or increases the position; NULL when flat.';
COMMENT ON COLUMN pms.position_state.cost_basis IS 'avg_cost x quantity x price_multiplier, exact (negative for shorts, 0 when flat).';
COMMENT ON COLUMN pms.position_state.realized_pnl IS 'Realized P&L of the folded executions, exact, in the instrument currency.';
COMMENT ON COLUMN pms.position_state.trade_count IS 'Number of executions folded (including those folded into a start state).';

CREATE FUNCTION pms.position_fold_transfn(state internal, side text, quantity numeric, price numeric,
                                          price_multiplier numeric)
RETURNS internal
LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_position_fold_transfn';
COMMENT ON FUNCTION pms.position_fold_transfn(internal, text, numeric, numeric, numeric) IS
    'Internal: transition function of pms.position_fold(side, quantity, price, price_multiplier).';

CREATE FUNCTION pms.position_fold_start_transfn(state internal, start pms.position_state, side text,
                                                quantity numeric, price numeric, price_multiplier numeric)
RETURNS internal
LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_position_fold_start_transfn';
COMMENT ON FUNCTION pms.position_fold_start_transfn(internal, pms.position_state, text, numeric, numeric, numeric) IS
    'Internal: transition function of pms.position_fold(start, side, quantity, price, price_multiplier).';

CREATE FUNCTION pms.position_fold_finalfn(state internal, side text, quantity numeric, price numeric,
                                          price_multiplier numeric)
RETURNS pms.position_state
LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_position_fold_finalfn';
COMMENT ON FUNCTION pms.position_fold_finalfn(internal, text, numeric, numeric, numeric) IS
    'Internal: final function of pms.position_fold(side, quantity, price, price_multiplier).';

CREATE FUNCTION pms.position_fold_start_finalfn(state internal, start pms.position_state, side text,
                                                quantity numeric, price numeric, price_multiplier numeric)
RETURNS pms.position_state
LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_position_fold_finalfn';
COMMENT ON FUNCTION pms.position_fold_start_finalfn(internal, pms.position_state, text, numeric, numeric, numeric) IS
    'Internal: final function of pms.position_fold(start, side, quantity, price, price_multiplier).';

CREATE AGGREGATE pms.position_fold(side text, quantity numeric, price numeric, price_multiplier numeric) (
    SFUNC = pms.position_fold_transfn,
    STYPE = internal,
    FINALFUNC = pms.position_fold_finalfn,
    FINALFUNC_EXTRA,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pms.position_fold(text, numeric, numeric, numeric) IS
    'Ordered fold of executions into a pms.position_state (weighted average cost, shorts, exact numeric): call it with ORDER BY on the event order, grouped by one position (instrument). No combine function: the fold is ordered, not associative. NULL over no rows. Errors: 22004 for a NULL argument, 22023 for a side other than BUY/SELL, quantity <= 0, price < 0, price_multiplier <= 0 or changing within the group.';

CREATE AGGREGATE pms.position_fold(start pms.position_state, side text, quantity numeric, price numeric,
                                   price_multiplier numeric) (
    SFUNC = pms.position_fold_start_transfn,
    STYPE = internal,
    FINALFUNC = pms.position_fold_start_finalfn,
    FINALFUNC_EXTRA,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pms.position_fold(pms.position_state, text, numeric, numeric, numeric) IS
    'pms.position_fold continued from a checkpoint: start (the same value on every row; NULL = flat) is the state the fold begins from, so folding the events after a checkpoint from its state equals folding everything. Call it with ORDER BY on the event order. No combine function: the fold is ordered, not associative. NULL over no rows (use coalesce(fold, start)).';
