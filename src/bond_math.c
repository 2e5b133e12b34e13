/*
 * bond_math.c
 *		Fixed-rate bullet bond analytics at a yield and the yield solver
 *		(pure C, no PostgreSQL types); schedules are in bond_schedule.c.
 *
 * The yield is compounded `frequency` times a year with time measured in the
 * bond's day count, cash flow by cash flow as QuantLib's CashFlows functions
 * do: the first step is yf(start, end) - yf(start, settle) and every later
 * step is the whole coupon period, so a cash flow at cumulative time t is
 * discounted by (1 + y/f)^(-f t), built as a running product of one factor
 * per step (one factor per distinct step length, computed once per sum).
 * Internally the solver works in u = log(1 + y/f), where the dirty price is a
 * positive sum of decreasing exponentials, so log P is convex and decreasing:
 * Newton on log P converges from any start on the low side, is bracketed,
 * falls back to bisection (or bracket expansion) whenever a step leaves the
 * bracket, and has a fixed iteration limit.  Flows are built once per
 * valuation and summed as often as needed: once at a yield, two or three
 * times by the solver.  The solver's sums (SolverSums) take the payments two
 * at a time for speed; every reported measure comes from the flow-by-flow
 * SumFlows, so all functions report the same bits for the same yield.
 * Invariants: every function validates its inputs first, walks at most
 * BOND_MAX_FLOWS cash flows and never loops unbounded.
 */
#include "bond_math_int.h"

#include <math.h>
#include <stddef.h>

/* Solver limits: iterations, and relative step size that counts as converged. */
#define BOND_SOLVER_MAX_ITER 300
#define BOND_SOLVER_TOL 1e-15

/* Sums over the cash flows at one yield (see SumFlows and SolverSums). */
typedef struct BondSums
{
	double		price;			/* sum a B */
	double		time_weighted;	/* sum a t B */
	double		convexity;		/* sum a B t (f t + 1) (SumFlows only) */
	double		last_time;		/* cumulative time of the last flow */
} BondSums;

/* Periods take a few distinct lengths: one discount factor each, cached by days. */
typedef struct StepCache
{
	int			days[8];
	double		step[8];
	double		factor[8];
} StepCache;

/* An empty step cache. */
static inline void
StepCacheInit(StepCache *c)
{
	for (int i = 0; i < 8; i++)
		c->days[i] = -1;
}

/* The slot of a period of d days, its step and exp(-f step u) computed on first use. */
static inline int
StepCacheSlot(StepCache *c, const BondFlows *fl, int d, double f, double u)
{
	int			slot = d & 7;

	if (c->days[slot] != d)
	{
		c->days[slot] = d;
		c->step[slot] = d / fl->denominator;
		c->factor[slot] = exp(-f * c->step[slot] * u);
	}
	return slot;
}

/* One discount step: the running sums take a flow of amount a at time t. */
#define BOND_ADD_FLOW(a, t, discount) \
	do { \
		double		ab_ = (a) * (discount); \
		price += ab_; \
		time_weighted += ab_ * (t); \
		convexity += ab_ * (t) * (f * (t) + 1.0); \
	} while (0)

/*
 * Sums over the cash flows at u = log(1 + y/f), flow by flow: the discount
 * factor of a flow at cumulative time t is exp(-f t u), a running product of
 * one factor per step.  The reported measures come from these sums.
 */
static void
SumFlows(const BondFlows *fl, double u, BondSums *s)
{
	const double f = fl->frequency;
	const int	n = fl->n;
	double		price = 0.0;
	double		time_weighted = 0.0;
	double		convexity = 0.0;
	double		t = fl->first_step;
	double		discount = exp(-f * t * u);
	double		a;

	/* the first payment */
	a = fl->coupon100 * fl->first_period;
	BOND_ADD_FLOW(n == 1 ? a + 100.0 : a, t, discount);

	if (n > 1 && fl->uniform)
	{
		const double step = fl->step;
		const double factor = exp(-f * step * u);

		a = fl->coupon100 * step;
		for (int i = 1; i < n - 1; i++)
		{
			discount *= factor;
			t += step;
			BOND_ADD_FLOW(a, t, discount);
		}
		discount *= factor;
		t += step;
		BOND_ADD_FLOW(a + 100.0, t, discount);
	}
	else if (n > 1)
	{
		StepCache	cache;

		StepCacheInit(&cache);
		for (int i = 1; i < n; i++)
		{
			int			slot = StepCacheSlot(&cache, fl, fl->days[i], f, u);

			discount *= cache.factor[slot];
			t += cache.step[slot];
			a = fl->coupon100 * cache.step[slot];
			BOND_ADD_FLOW(i == n - 1 ? a + 100.0 : a, t, discount);
		}
	}
	s->price = price;
	s->time_weighted = time_weighted;
	s->convexity = convexity;
	s->last_time = t;
}

/*
 * The solver's sums, price and time-weighted price at u, with the payments
 * after the first taken two at a time so that each running product and sum
 * advances once per pair (half the dependent latency of SumFlows).  Rounded
 * differently from SumFlows but as accurate; only the solver's iterates
 * depend on them, never a reported measure.
 */
static void
SolverSums(const BondFlows *fl, double u, BondSums *s)
{
	const double f = fl->frequency;
	const int	n = fl->n;
	double		t = fl->first_step;
	double		d = exp(-f * t * u);
	double		first = (fl->coupon100 * fl->first_period + (n == 1 ? 100.0 : 0.0)) * d;
	double		sum_a = 0.0;	/* sum of step * discount, coupons after the first */
	double		sum_b = 0.0;
	double		sumt_a = 0.0;	/* the same, times t */
	double		sumt_b = 0.0;
	int			i = 1;

	if (n > 1 && fl->uniform)
	{
		const double h = fl->step;
		const double q = exp(-f * h * u);
		const double q2 = q * q;
		double		da = d * q;
		double		db = da * q;
		double		ta = t + h;
		double		tb = t + 2.0 * h;

		for (; i + 1 < n; i += 2)
		{
			sum_a += da;
			sumt_a += da * ta;
			sum_b += db;
			sumt_b += db * tb;
			d = db;
			t = tb;
			da *= q2;
			db *= q2;
			ta += 2.0 * h;
			tb += 2.0 * h;
		}
		if (i < n)
		{
			sum_a += da;
			sumt_a += da * ta;
			d = da;
			t = ta;
		}
		sum_a *= h;
		sum_b *= h;
		sumt_a *= h;
		sumt_b *= h;
	}
	else if (n > 1)
	{
		StepCache	cache;

		StepCacheInit(&cache);
		for (; i + 1 < n; i += 2)
		{
			int			sa = StepCacheSlot(&cache, fl, fl->days[i], f, u);
			double		step_a = cache.step[sa];
			double		factor_a = cache.factor[sa];
			int			sb = StepCacheSlot(&cache, fl, fl->days[i + 1], f, u);
			double		step_b = cache.step[sb];
			double		da = d * factor_a;
			double		db = d * (factor_a * cache.factor[sb]);
			double		ta = t + step_a;
			double		tb = t + (step_a + step_b);

			sum_a += step_a * da;
			sumt_a += step_a * da * ta;
			sum_b += step_b * db;
			sumt_b += step_b * db * tb;
			d = db;
			t = tb;
		}
		if (i < n)
		{
			int			sa = StepCacheSlot(&cache, fl, fl->days[i], f, u);

			d *= cache.factor[sa];
			t += cache.step[sa];
			sum_a += cache.step[sa] * d;
			sumt_a += cache.step[sa] * d * t;
		}
	}
	s->price = first + fl->coupon100 * (sum_a + sum_b);
	s->time_weighted = first * fl->first_step + fl->coupon100 * (sumt_a + sumt_b);
	if (n > 1)
	{
		/* the redemption, with the last coupon */
		s->price += 100.0 * d;
		s->time_weighted += 100.0 * d * t;
	}
	s->convexity = 0.0;
	s->last_time = t;
}

/* Validates a yield: finite and above -frequency. */
static BondStatus
CheckYield(int frequency, double yield)
{
	if (!isfinite(yield))
		return BOND_ERR_NOT_FINITE;
	if (yield <= -frequency)
		return BOND_ERR_YIELD_DOMAIN;
	return BOND_OK;
}

/* Accrued interest per 100 face at the settlement date. */
BondStatus
BondAccrued(const BondTerms *b, double *accrued)
{
	BondFlows	fl;
	BondStatus	st = BondPrepareFlows(b, &fl, NULL);

	if (st == BOND_OK)
		*accrued = fl.accrued;
	return st;
}

/* Every measure at a yield, from flows already built. */
BondStatus
BondMeasureFlows(const BondFlows *fl, double yield, BondMeasures *m)
{
	BondSums	s;
	BondStatus	st;
	double		base;
	int			f = fl->frequency;

	if ((st = CheckYield(f, yield)) != BOND_OK)
		return st;
	base = 1.0 + yield / f;
	SumFlows(fl, log1p(yield / f), &s);

	m->dirty = s.price;
	m->accrued = fl->accrued;
	m->clean = s.price - fl->accrued;
	if (s.price == 0.0)
	{
		/* every flow underflowed: QuantLib reports zero measures */
		m->modified = m->macaulay = m->convexity = m->dv01 = 0.0;
		return BOND_OK;
	}
	m->modified = s.time_weighted / base / s.price;
	m->macaulay = base * m->modified;
	m->convexity = s.convexity / (f * base * base) / s.price;

	/*
	 * QuantLib's basisPointValue, sign reversed: delta for 1 bp plus its
	 * second-order term, which QuantLib scales by convexity / 100.
	 */
	m->dv01 = m->modified * s.price * 1e-4 - 0.5 * (m->convexity / 100.0) * s.price * 1e-8;
	return BOND_OK;
}

/* Prices and risk measures at a yield compounded frequency times a year. */
BondStatus
BondMeasure(const BondTerms *b, double yield, BondMeasures *m)
{
	BondFlows	fl;
	BondStatus	st;

	if ((st = BondPrepareFlows(b, &fl, NULL)) != BOND_OK)
		return st;
	return BondMeasureFlows(&fl, yield, m);
}

/*
 * The yield f (e^u - 1) of a solver result u.  Near y = -f the yield itself
 * cannot carry u's precision (1 + y/f loses digits), so there the price is
 * recomputed from y and must still match.
 */
static BondStatus
YieldFromLog(const BondFlows *fl, double u, double log_target, double *yield)
{
	int			f = fl->frequency;

	*yield = f * expm1(u);
	if (!isfinite(*yield))
		return BOND_ERR_PRICE_UNREACHABLE;
	if (1.0 + *yield / f < 1e-3)
	{
		BondSums	s;

		if (*yield <= -f)
			return BOND_ERR_YIELD_UNREPRESENTABLE;
		SolverSums(fl, log1p(*yield / f), &s);
		if (!(fabs(log(s.price) - log_target) <= 1e-10))
			return BOND_ERR_YIELD_UNREPRESENTABLE;
	}
	return BOND_OK;
}

/*
 * Where the yield solver starts, as u = log(1 + y/f): the textbook yield
 * approximation (annual coupon + (100 - price) / years) / ((100 + price) / 2),
 * usually within a few basis points, or the coupon rate (5% for a zero) when
 * that is not usable.  The solver converges from any start; a close one saves
 * a Newton step or two.
 */
static double
StartingPoint(const BondTerms *b, const BondFlows *fl, double clean_price)
{
	int			f = fl->frequency;
	double		years = fl->first_step + (fl->n - 1) / (double) f;
	double		y = (fl->coupon100 + (100.0 - clean_price) / years) / ((100.0 + clean_price) / 2.0);

	if (!(years > 0.0 && isfinite(y) && y > -0.9 * f && y < 10.0 * f))
		y = b->coupon > 0.0 ? b->coupon : 0.05;
	return log1p(y / f);
}

/*
 * Yield that reproduces a clean price, from flows already built: solves
 * log P(u) = log(clean + accrued) for u = log(1 + y/f) by bracketed Newton
 * with bisection fallback.  log P is convex, decreasing and asymptotically
 * linear in u, so Newton steps never crawl (as they do on P itself far from
 * the root) and never overshoot from the low side.
 */
BondStatus
BondSolveYield(const BondTerms *b, const BondFlows *fl, double clean_price, double *yield)
{
	BondSums	s;
	int			f = fl->frequency;
	double		log_target;
	double		lo = -HUGE_VAL;
	double		hi = HUGE_VAL;
	double		u;

	if (!isfinite(clean_price))
		return BOND_ERR_NOT_FINITE;
	if (clean_price <= 0.0)
		return BOND_ERR_PRICE_NOT_POSITIVE;
	log_target = log(clean_price + fl->accrued);

	u = StartingPoint(b, fl, clean_price);
	for (int iter = 0; iter < BOND_SOLVER_MAX_ITER; iter++)
	{
		double		h;
		double		next;
		bool		newton = true;

		SolverSums(fl, u, &s);
		if (s.last_time <= 0.0)
			return BOND_ERR_YIELD_UNDEFINED;
		h = log(s.price) - log_target;	/* +inf / -inf when P overflows / underflows */
		if (h == 0.0)
			return YieldFromLog(fl, u, log_target, yield);
		if (h > 0.0 || isnan(h))
			lo = u;				/* price too high: the yield is larger */
		else
			hi = u;
		/* Newton on log P: (log P)'(u) = -f sum a t B / P */
		next = u + h * s.price / (f * s.time_weighted);
		if (!isfinite(next) || next <= lo || next >= hi)
		{
			newton = false;
			if (isfinite(lo) && isfinite(hi))
				next = 0.5 * (lo + hi);
			else if (isfinite(lo))
				next = lo + fmax(1.0, fabs(lo));
			else
				next = hi - fmax(1.0, fabs(hi));
		}
		if (fabs(next) > 1e6)
			return BOND_ERR_PRICE_UNREACHABLE;	/* yield beyond any meaning */
		if (fabs(next - u) <= BOND_SOLVER_TOL * fmax(1.0, fabs(u)))
			return YieldFromLog(fl, next, log_target, yield);

		/*
		 * A Newton step delta leaves an error of at most (f T / 2) delta^2
		 * (T the last flow's time: |(log P)''| <= f T |(log P)'|), so once
		 * f T delta^2 is below the tolerance the next iterate is converged.
		 */
		if (newton && f * s.last_time * (next - u) * (next - u) <=
			BOND_SOLVER_TOL * fmax(1.0, fabs(u)))
			return YieldFromLog(fl, next, log_target, yield);
		u = next;
	}
	return BOND_ERR_NO_CONVERGENCE;
}

/* Yield compounded frequency times a year that reproduces a clean price. */
BondStatus
BondYield(const BondTerms *b, double clean_price, double *yield)
{
	BondFlows	fl;
	BondStatus	st;

	if ((st = BondPrepareFlows(b, &fl, NULL)) != BOND_OK)
		return st;
	return BondSolveYield(b, &fl, clean_price, yield);
}

/*
 * The yield that reproduces a clean price and every measure at it, from one
 * schedule.  The risk measures are those of BondMeasure at that yield; the
 * clean price is the one given and the dirty price is clean + accrued.
 */
BondStatus
BondMeasureFromPrice(const BondTerms *b, double clean_price, double *yield, BondMeasures *m)
{
	BondFlows	fl;
	BondStatus	st;

	if ((st = BondPrepareFlows(b, &fl, NULL)) != BOND_OK ||
		(st = BondSolveYield(b, &fl, clean_price, yield)) != BOND_OK ||
		(st = BondMeasureFlows(&fl, *yield, m)) != BOND_OK)
		return st;
	m->clean = clean_price;
	m->dirty = clean_price + fl.accrued;
	return BOND_OK;
}

/* Maturity bucket index 0..4 ('0-2y' .. '20y+'), years = days / 365.25. */
BondStatus
BondMaturityBucket(int settle, int maturity, int *bucket)
{
	static const double lower[] = {2.0, 5.0, 10.0, 20.0};
	double		years;

	if (settle >= maturity)
		return BOND_ERR_SETTLE_NOT_BEFORE_MATURITY;
	years = (maturity - settle) / 365.25;
	*bucket = 0;
	while (*bucket < 4 && years >= lower[*bucket])
		(*bucket)++;
	return BOND_OK;
}

/* Label of a maturity bucket index. */
const char *
BondBucketLabel(int bucket)
{
	static const char *const labels[] = {"0-2y", "2-5y", "5-10y", "10-20y", "20y+"};

	return (bucket >= 0 && bucket <= 4) ? labels[bucket] : "?";
}
