/*
 * bond_math_int.h
 *		Cash-flow model shared by the schedule builder (bond_schedule.c), the
 *		yield kernel (bond_math.c) and curve pricing (bond_curve.c); pure C,
 *		not part of the public bond API.
 *
 * A bond's remaining flows are built once per valuation and then summed as
 * often as needed (once at a yield, a handful of times by the yield solver).
 * The first payment is special (its step starts at settle); every later one
 * covers a whole coupon period.  When all later periods have the same length
 * in the day count (always for ACT/ACT, and for 30/360 unless the maturity
 * day is 29-31), the flows are "uniform" and no per-flow arrays are written.
 */
#ifndef PMS_BOND_MATH_INT_H
#define PMS_BOND_MATH_INT_H

#include "bond_math.h"

/* At most one coupon a month for BOND_MAX_TERM_YEARS, plus one spare. */
#define BOND_MAX_FLOWS (BOND_MAX_TERM_YEARS * 12 + 2)

/* The cash flows still to be paid, one per payment date (see file header). */
typedef struct BondFlows
{
	int			n;				/* payment dates left, >= 1 */
	int			frequency;		/* coupons a year */
	double		coupon100;		/* 100 * coupon: a period of yf years pays coupon100 * yf */
	double		accrued;		/* accrued interest per 100 face at settle */
	double		first_step;		/* years (day count) from settle to the first payment */
	double		first_period;	/* length of the current coupon period, years */
	bool		uniform;		/* every later period lasts `step` years */
	double		step;			/* uniform: length of every later period */
	double		denominator;	/* non-uniform: days per year of the day count */
	int			days[BOND_MAX_FLOWS];	/* non-uniform: day-count days of period i >= 1 */
} BondFlows;

/*
 * Validates the terms and builds their flows; pay_days, when not NULL,
 * receives each payment date (days since 2000-01-01).
 */
extern BondStatus BondPrepareFlows(const BondTerms *b, BondFlows *fl, int *pay_days);

/* Every measure at a yield, from flows already built. */
extern BondStatus BondMeasureFlows(const BondFlows *fl, double yield, BondMeasures *m);

/* Yield reproducing a clean price, from flows already built. */
extern BondStatus BondSolveYield(const BondTerms *b, const BondFlows *fl, double clean_price,
								 double *yield);

/* The amount of payment i (coupon, plus the redemption on the last one). */
extern double BondFlowAmount(const BondFlows *fl, int i);

#endif							/* PMS_BOND_MATH_INT_H */
