/*
 * position_fold_pg.h
 *		The position fold over PostgreSQL datums, for C callers other than the
 *		pms.position_fold aggregate (the batch projection of executions).
 *
 * Same rules, checks, errors and results as the aggregate: fixed point while
 * values fit, PostgreSQL numeric arithmetic for good once they do not.
 */
#ifndef PMS_POSITION_FOLD_PG_H
#define PMS_POSITION_FOLD_PG_H

#include "fmgr.h"
#include "access/htup.h"

#include "position_fold.h"

typedef struct PositionFoldState PositionFoldState;

/* Starts a fold in cxt for a multiplier (numeric datum), flat or from a pms.position_state. */
extern PositionFoldState *PositionFoldBegin(MemoryContext cxt, Datum mult, HeapTupleHeader start);

/* Folds one execution (numeric quantity and price datums) into st. */
extern void PositionFoldAdd(PositionFoldState *st, MemoryContext cxt, bool buy,
							Datum quantity, Datum price);

/* Folds one execution whose quantity (> 0) and price (>= 0) are already read into q and p. */
extern void PositionFoldAddChecked(PositionFoldState *st, MemoryContext cxt, bool buy,
								   Datum quantity, PmsDecimal q, Datum price, PmsDecimal p);

/* The five pms.position_state fields of a fold (quantity, avg_cost, cost_basis, realized_pnl, trade_count). */
extern void PositionFoldResult(PositionFoldState *st, Datum *values, bool *nulls);

/* Reads a numeric datum into fixed point; false when it is not finite or does not fit. */
extern bool PositionFoldReadDecimal(Datum d, PmsDecimal *out);

/* A fixed-point value as a numeric shown with places decimals (0..38), allocated in cxt. */
extern Datum PositionFoldDecimalToNumeric(PmsDecimal a, int places, MemoryContext cxt);

#endif							/* PMS_POSITION_FOLD_PG_H */
