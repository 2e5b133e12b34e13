/*
 * bond_curve.c
 *		Bond pricing off a zero curve (pure C, no PostgreSQL types).
 *
 * A curve is a list of (tenor, zero rate) points: tenors in years (ACT/365F)
 * strictly increasing and >= 0, rates continuously compounded.  The rate at
 * time t is linear in t between neighbouring tenors and flat before the first
 * and after the last.  A payment at T = (payment date - settle) / 365 years
 * is discounted by exp(-(z(T) + spread) T); the dirty price is the sum of the
 * discounted payments per 100 face (the bond's own coupons, see bond_math.c)
 * and the clean price is dirty - accrued.  The yield, durations, convexity
 * and DV01 are then those at the yield that reproduces this clean price
 * (BondSolveYield on the same flows).  Invariants: inputs are validated
 * before any work, and the curve is walked once per valuation (payments come
 * in time order).
 */
#include "bond_math_int.h"

#include <math.h>
#include <stddef.h>

/* Linear interpolation on segment [j, j + 1], flat outside the curve. */
static inline double
RateOnSegment(const BondCurve *c, int j, double t)
{
	if (t <= c->tenors[0])
		return c->rates[0];
	if (j >= c->n - 1)
		return c->rates[c->n - 1];
	return c->rates[j] + (t - c->tenors[j]) *
		((c->rates[j + 1] - c->rates[j]) / (c->tenors[j + 1] - c->tenors[j]));
}

/* Validates a curve; on failure *index is the offending point (0-based). */
BondStatus
BondCheckCurve(const BondCurve *c, int *index)
{
	for (int i = 0; i < c->n; i++)
	{
		*index = i;
		if (!isfinite(c->tenors[i]) || c->tenors[i] < 0.0)
			return BOND_ERR_CURVE_TENOR;
		if (i > 0 && !(c->tenors[i] > c->tenors[i - 1]))
			return BOND_ERR_CURVE_ORDER;
		if (!isfinite(c->rates[i]))
			return BOND_ERR_CURVE_RATE;
	}
	*index = -1;
	return BOND_OK;
}

/* Zero rate of a valid curve at time t (years, t >= 0). */
BondStatus
BondZeroRate(const BondCurve *c, double t, double *rate)
{
	int			lo = 0;
	int			hi = c->n - 1;

	if (!isfinite(t) || t < 0.0)
		return BOND_ERR_CURVE_TIME;
	/* the last tenor <= t (or 0): binary search, tenors[lo] <= t < tenors[hi] */
	if (t >= c->tenors[hi])
		lo = hi;
	else
		while (hi - lo > 1)
		{
			int			mid = lo + (hi - lo) / 2;

			if (c->tenors[mid] <= t)
				lo = mid;
			else
				hi = mid;
		}
	*rate = RateOnSegment(c, lo, t);
	return BOND_OK;
}

/*
 * Prices the flows off a zero curve plus a spread, then solves the yield of
 * that clean price and fills in every measure at it; clean and dirty are the
 * curve prices.  When the yield cannot be solved, m->clean still holds the
 * curve's clean price (zero when pricing did not get that far).
 */
BondStatus
BondMeasureFromCurve(const BondTerms *b, const BondCurve *c, double spread,
					 double *yield, BondMeasures *m)
{
	BondFlows	fl;
	int			pay_days[BOND_MAX_FLOWS];
	BondStatus	st;
	int			index;
	int			j = 0;
	double		dirty = 0.0;
	double		clean;

	m->clean = m->dirty = 0.0;
	if ((st = BondCheckTerms(b)) != BOND_OK || (st = BondCheckCurve(c, &index)) != BOND_OK)
		return st;
	if (!isfinite(spread))
		return BOND_ERR_SPREAD_NOT_FINITE;
	if ((st = BondPrepareFlows(b, &fl, pay_days)) != BOND_OK)
		return st;

	for (int i = 0; i < fl.n; i++)
	{
		double		t = (pay_days[i] - b->settle) / 365.0;

		while (j < c->n - 1 && c->tenors[j + 1] <= t)
			j++;
		dirty += BondFlowAmount(&fl, i) * exp(-(RateOnSegment(c, j, t) + spread) * t);
	}
	if (!isfinite(dirty))
		return BOND_ERR_CURVE_PRICE_OVERFLOW;
	clean = dirty - fl.accrued;
	m->clean = clean;
	if (!(clean > 0.0))
		return BOND_ERR_CURVE_CLEAN_NOT_POSITIVE;
	if ((st = BondSolveYield(b, &fl, clean, yield)) != BOND_OK ||
		(st = BondMeasureFlows(&fl, *yield, m)) != BOND_OK)
		return st;
	m->clean = clean;
	m->dirty = dirty;
	return BOND_OK;
}
