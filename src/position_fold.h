/*
 * position_fold.h
 *		Exact fixed-point position fold (weighted average cost); no PostgreSQL types.
 *
 * A PmsDecimal is m / 10^scale with a 128-bit mantissa and 0 <= scale <= 38.
 * Every operation is exact or reports that its result does not fit (returns
 * false, leaving its output untouched), so the caller can redo the work in
 * arbitrary precision.  The only rounding anywhere is PmsDecDivRound, used for
 * a new average cost: half away from zero to POSITION_AVG_SCALE decimals.
 */
#ifndef PMS_POSITION_FOLD_H
#define PMS_POSITION_FOLD_H

#include <stdbool.h>
#include <stdint.h>

/* Decimals kept in an average cost (the only rounded quantity of the fold). */
#define POSITION_AVG_SCALE	10

/* Largest scale a PmsDecimal carries (10^38 still fits in a signed 128-bit integer). */
#define PMS_DEC_MAX_SCALE	38

/*
 * 128-bit mantissa, aligned like PostgreSQL's int128 (8 bytes, what palloc
 * guarantees) so that states living in palloc'd memory are never misaligned.
 */
typedef __int128 pms_int128 __attribute__((aligned(8)));

/* An exact decimal: m / 10^scale. */
typedef struct PmsDecimal
{
	pms_int128	m;
	int			scale;
} PmsDecimal;

/* Fold state in fixed point: the average is meaningful only when quantity is not zero. */
typedef struct PositionFixed
{
	PmsDecimal	quantity;		/* signed: negative for a short */
	PmsDecimal	avg_cost;		/* >= 0, at most POSITION_AVG_SCALE decimals */
	PmsDecimal	realized;		/* realized P&L, exact */
} PositionFixed;

/* 10^n for 0 <= n <= 38. */
extern pms_int128 PmsPow10(int n);

/* Sign of a decimal: -1, 0 or 1. */
static inline int
PmsDecSign(PmsDecimal a)
{
	return (a.m > 0) - (a.m < 0);
}

/* Removes trailing fractional zeros (same value, smallest scale). */
extern void PmsDecTrim(PmsDecimal *a);

/* r = a + b, exactly; false when it does not fit. */
extern bool PmsDecAdd(PmsDecimal a, PmsDecimal b, PmsDecimal *r);

/* r = a - b, exactly; false when it does not fit. */
extern bool PmsDecSub(PmsDecimal a, PmsDecimal b, PmsDecimal *r);

/* r = a * b, exactly; false when it does not fit. */
extern bool PmsDecMul(PmsDecimal a, PmsDecimal b, PmsDecimal *r);

/* r = n / d rounded half away from zero to scale decimals (d != 0); false when it does not fit. */
extern bool PmsDecDivRound(PmsDecimal n, PmsDecimal d, int scale, PmsDecimal *r);

/* Compares a and b by value into *cmp (-1, 0, 1); false when they cannot be aligned. */
extern bool PmsDecCmp(PmsDecimal a, PmsDecimal b, int *cmp);

/* The flat position: quantity 0, realized 0. */
extern void PositionFixedInit(PositionFixed *s);

/*
 * Folds one execution (quantity q > 0, price p >= 0, multiplier mult > 0) into
 * *s.  Returns false, with *s unchanged, when an intermediate value does not fit.
 */
extern bool PositionFixedApply(PositionFixed *s, bool buy, PmsDecimal q,
							   PmsDecimal p, PmsDecimal mult);

/* cost_basis = avg_cost * quantity * mult (0 when flat); false when it does not fit. */
extern bool PositionFixedCostBasis(const PositionFixed *s, PmsDecimal mult,
								   PmsDecimal *r);

#endif							/* PMS_POSITION_FOLD_H */
