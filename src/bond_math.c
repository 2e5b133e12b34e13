/*
 * bond_math.c
 *		Fixed-rate bullet bond analytics (pure C, no PostgreSQL types).
 *
 * The schedule runs backward from maturity: coupon date k is maturity minus
 * k * (12 / frequency) months, the day clamped to the month's end, never
 * business-day adjusted.  Only the coupons paid after the settlement date
 * count (a coupon paid on the settlement date belongs to the seller).  Each
 * coupon pays 100 * coupon * yf(start, end), and the redemption of 100 is paid
 * with the last coupon.
 *
 * The yield is compounded `frequency` times a year with time measured in the
 * bond's day count, cash flow by cash flow as QuantLib's CashFlows functions
 * do: the first step is yf(start, end) - yf(start, settle) and every later
 * step is the whole coupon period, so a cash flow at cumulative time t is
 * discounted by (1 + y/f)^(-f t).  Internally the solver works in
 * u = log(1 + y/f), where the dirty price is a positive sum of decreasing
 * exponentials, so log P is convex and decreasing: Newton on log P converges
 * from any start on the low side, is bracketed, falls back to bisection (or
 * bracket expansion) whenever a step leaves the bracket, and has a fixed
 * iteration limit.  Invariants: every function validates its inputs
 * first, walks at most BOND_MAX_FLOWS cash flows and never loops unbounded.
 */
#include "bond_math.h"

#include <math.h>

/* At most one coupon a month for BOND_MAX_TERM_YEARS, plus one spare. */
#define BOND_MAX_FLOWS (BOND_MAX_TERM_YEARS * 12 + 2)

/* Solver limits: iterations, and relative step size that counts as converged. */
#define BOND_SOLVER_MAX_ITER 300
#define BOND_SOLVER_TOL 1e-15

/* A date with its civil fields, as the 30/360 day count needs both. */
typedef struct BondDate
{
	int			days;
	int			year;
	int			month;
	int			day;
} BondDate;

/*
 * The cash flows still to be paid, merged per payment date: amount[i] is paid
 * after a discounting step step[i] (in years of the day count).
 */
typedef struct BondFlows
{
	int			n;
	double		accrued;
	double		amount[BOND_MAX_FLOWS];
	double		step[BOND_MAX_FLOWS];
} BondFlows;

/* Sums over the cash flows at one yield (see BondSumFlows). */
typedef struct BondSums
{
	double		price;			/* sum a B */
	double		time_weighted;	/* sum a t B */
	double		convexity;		/* sum a B t (f t + 1) */
	double		last_time;		/* cumulative time of the last flow */
} BondSums;

/* Floor division for possibly negative numerators. */
static inline int
FloorDiv(int a, int b)
{
	int			q = a / b;

	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Days since 2000-01-01 of a proleptic Gregorian date (civil-from-days inverse). */
int
BondDaysFromCivil(int year, int month, int day)
{
	int			y = year - (month <= 2);
	int			era = FloorDiv(y, 400);
	int			yoe = y - era * 400;
	int			mp = (month + 9) % 12;
	int			doy = (153 * mp + 2) / 5 + day - 1;
	int			doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	/* 730425 days separate 0000-03-01 from 2000-01-01 */
	return era * 146097 + doe - 730425;
}

/* Proleptic Gregorian date of a day number since 2000-01-01. */
void
BondCivilFromDays(int days, int *year, int *month, int *day)
{
	int			z = days + 730425;
	int			era = FloorDiv(z, 146097);
	int			doe = z - era * 146097;
	int			yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int			doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int			mp = (5 * doy + 2) / 153;

	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = yoe + era * 400 + (*month <= 2);
}

/* True in a Gregorian leap year. */
static inline bool
IsLeapYear(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Number of days in a month. */
static inline int
DaysInMonth(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return (month == 2 && IsLeapYear(year)) ? 29 : days[month - 1];
}

/* A date from its day number. */
static BondDate
MakeDate(int days)
{
	BondDate	d;

	d.days = days;
	BondCivilFromDays(days, &d.year, &d.month, &d.day);
	return d;
}

/* base shifted by a number of months, the day clamped to the month's end. */
static BondDate
AddMonths(const BondDate *base, int months)
{
	int			total = base->year * 12 + (base->month - 1) + months;
	BondDate	d;

	d.year = FloorDiv(total, 12);
	d.month = total - d.year * 12 + 1;
	d.day = base->day;
	if (d.day > DaysInMonth(d.year, d.month))
		d.day = DaysInMonth(d.year, d.month);
	d.days = BondDaysFromCivil(d.year, d.month, d.day);
	return d;
}

/* True when the date is the last day of February. */
static inline bool
IsLastOfFebruary(const BondDate *d)
{
	return d->month == 2 && d->day == DaysInMonth(d->year, 2);
}

/* 30/360 US day count (the QuantLib Thirty360::USA rules, in their order). */
static int
Days30360US(const BondDate *d1, const BondDate *d2)
{
	int			dd1 = d1->day;
	int			dd2 = d2->day;

	if (dd1 == 31)
		dd1 = 30;
	if (dd2 == 31 && dd1 >= 30)
		dd2 = 30;
	if (IsLastOfFebruary(d2) && IsLastOfFebruary(d1))
		dd2 = 30;
	if (IsLastOfFebruary(d1))
		dd1 = 30;
	return 360 * (d2->year - d1->year) + 30 * (d2->month - d1->month) + (dd2 - dd1);
}

/*
 * Year fraction from d1 to d2 (d1 <= d2) inside the coupon period
 * [ref_start, ref_end].
 */
static double
YearFraction(BondDayCount dc, int frequency, const BondDate *d1, const BondDate *d2,
			 const BondDate *ref_start, const BondDate *ref_end)
{
	switch (dc)
	{
		case BOND_DC_30_360_US:
			return Days30360US(d1, d2) / 360.0;
		case BOND_DC_ACT_ACT_ICMA:
			return (double) (d2->days - d1->days) /
				((double) (ref_end->days - ref_start->days) * frequency);
		case BOND_DC_ACT_360:
			return (d2->days - d1->days) / 360.0;
		case BOND_DC_ACT_365F:
			return (d2->days - d1->days) / 365.0;
	}
	return 0.0;					/* not reached: the enum is closed */
}

/* Validates the terms (dates, frequency, coupon). */
BondStatus
BondCheckTerms(const BondTerms *b)
{
	if (!isfinite(b->coupon))
		return BOND_ERR_NOT_FINITE;
	if (b->settle >= b->maturity)
		return BOND_ERR_SETTLE_NOT_BEFORE_MATURITY;
	if ((double) b->maturity - b->settle > BOND_MAX_TERM_YEARS * 365.25)
		return BOND_ERR_TERM_TOO_LONG;
	if (b->frequency != 1 && b->frequency != 2 && b->frequency != 4 && b->frequency != 12)
		return BOND_ERR_FREQUENCY;
	if (b->coupon < 0.0)
		return BOND_ERR_COUPON_NEGATIVE;
	return BOND_OK;
}

/* Builds the remaining cash flows and the accrued interest of valid terms. */
static void
BuildFlows(const BondTerms *b, BondFlows *fl)
{
	int			months = 12 / b->frequency;
	BondDate	maturity = MakeDate(b->maturity);
	BondDate	settle = MakeDate(b->settle);
	BondDate	start;
	BondDate	end;
	int			k;

	/* k: the coupon period that holds settle, date k <= settle < date k - 1 */
	k = ((maturity.year - settle.year) * 12 + (maturity.month - settle.month)) / months;
	if (k < 1)
		k = 1;
	start = AddMonths(&maturity, -k * months);
	while (start.days > settle.days)
		start = AddMonths(&maturity, -(++k) * months);
	while (k > 1)
	{
		BondDate	later = AddMonths(&maturity, -(k - 1) * months);

		if (later.days > settle.days)
			break;
		start = later;
		k--;
	}

	fl->n = 0;
	fl->accrued = 0.0;
	for (; k >= 1; k--)
	{
		double		period;

		end = (k == 1) ? maturity : AddMonths(&maturity, -(k - 1) * months);
		period = YearFraction(b->day_count, b->frequency, &start, &end, &start, &end);
		fl->amount[fl->n] = 100.0 * b->coupon * period;
		fl->step[fl->n] = period;
		if (fl->n == 0 && settle.days != start.days)
		{
			double		accrued = YearFraction(b->day_count, b->frequency,
											   &start, &settle, &start, &end);

			fl->accrued = 100.0 * b->coupon * accrued;
			fl->step[0] = period - accrued;
		}
		fl->n++;
		start = end;
	}
	fl->amount[fl->n - 1] += 100.0;	/* redemption, paid with the last coupon */
}

/*
 * Sums over the cash flows at u = log(1 + y/f); the discount factor of a flow
 * at cumulative time t is exp(-f t u), built step by step.
 */
static void
SumFlows(const BondFlows *fl, int frequency, double u, BondSums *s)
{
	double		t = 0.0;
	double		discount = 1.0;
	double		last_step = 0.0;
	double		last_factor = 1.0;

	s->price = s->time_weighted = s->convexity = 0.0;
	for (int i = 0; i < fl->n; i++)
	{
		double		a = fl->amount[i];
		double		ab;

		if (fl->step[i] != last_step)
		{
			last_step = fl->step[i];
			last_factor = exp(-frequency * last_step * u);
		}
		discount *= last_factor;
		t += fl->step[i];
		ab = a * discount;
		s->price += ab;
		s->time_weighted += ab * t;
		s->convexity += ab * t * (frequency * t + 1.0);
	}
	s->last_time = t;
}

/* Validates the terms and builds their cash flows. */
static BondStatus
PrepareFlows(const BondTerms *b, BondFlows *fl)
{
	BondStatus	st = BondCheckTerms(b);

	if (st == BOND_OK)
		BuildFlows(b, fl);
	return st;
}

/* Validates a yield: finite and above -frequency. */
static BondStatus
CheckYield(const BondTerms *b, double yield)
{
	if (!isfinite(yield))
		return BOND_ERR_NOT_FINITE;
	if (yield <= -b->frequency)
		return BOND_ERR_YIELD_DOMAIN;
	return BOND_OK;
}

/* Accrued interest per 100 face at the settlement date. */
BondStatus
BondAccrued(const BondTerms *b, double *accrued)
{
	BondFlows	fl;
	BondStatus	st = PrepareFlows(b, &fl);

	if (st == BOND_OK)
		*accrued = fl.accrued;
	return st;
}

/* Prices and risk measures at a yield compounded frequency times a year. */
BondStatus
BondMeasure(const BondTerms *b, double yield, BondMeasures *m)
{
	BondFlows	fl;
	BondSums	s;
	BondStatus	st;
	double		base;
	int			f = b->frequency;

	if ((st = PrepareFlows(b, &fl)) != BOND_OK || (st = CheckYield(b, yield)) != BOND_OK)
		return st;
	base = 1.0 + yield / f;
	SumFlows(&fl, f, log1p(yield / f), &s);

	m->dirty = s.price;
	m->accrued = fl.accrued;
	m->clean = s.price - fl.accrued;
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

/*
 * The yield f (e^u - 1) of a solver result u.  Near y = -f the yield itself
 * cannot carry u's precision (1 + y/f loses digits), so there the price is
 * recomputed from y and must still match.
 */
static BondStatus
YieldFromLog(const BondFlows *fl, int f, double u, double log_target, double *yield)
{
	*yield = f * expm1(u);
	if (!isfinite(*yield))
		return BOND_ERR_PRICE_UNREACHABLE;
	if (1.0 + *yield / f < 1e-3)
	{
		BondSums	s;

		if (*yield <= -f)
			return BOND_ERR_YIELD_UNREPRESENTABLE;
		SumFlows(fl, f, log1p(*yield / f), &s);
		if (!(fabs(log(s.price) - log_target) <= 1e-10))
			return BOND_ERR_YIELD_UNREPRESENTABLE;
	}
	return BOND_OK;
}

/*
 * Yield that reproduces a clean price: solves log P(u) = log(clean + accrued)
 * for u = log(1 + y/f) by bracketed Newton with bisection fallback.  log P is
 * convex, decreasing and asymptotically linear in u, so Newton steps never
 * crawl (as they do on P itself far from the root) and never overshoot from
 * the low side.
 */
BondStatus
BondYield(const BondTerms *b, double clean_price, double *yield)
{
	BondFlows	fl;
	BondSums	s;
	BondStatus	st;
	int			f = b->frequency;
	double		log_target;
	double		lo = -HUGE_VAL;
	double		hi = HUGE_VAL;
	double		u;

	if ((st = PrepareFlows(b, &fl)) != BOND_OK)
		return st;
	if (!isfinite(clean_price))
		return BOND_ERR_NOT_FINITE;
	if (clean_price <= 0.0)
		return BOND_ERR_PRICE_NOT_POSITIVE;
	log_target = log(clean_price + fl.accrued);

	/* start at the coupon rate: exact for a bond priced at par on a coupon date */
	u = log1p((b->coupon > 0.0 ? b->coupon : 0.05) / f);
	for (int iter = 0; iter < BOND_SOLVER_MAX_ITER; iter++)
	{
		double		h;
		double		next;

		SumFlows(&fl, f, u, &s);
		if (s.last_time <= 0.0)
			return BOND_ERR_YIELD_UNDEFINED;
		h = log(s.price) - log_target;	/* +inf / -inf when P overflows / underflows */
		if (h == 0.0)
			return YieldFromLog(&fl, f, u, log_target, yield);
		if (h > 0.0 || isnan(h))
			lo = u;				/* price too high: the yield is larger */
		else
			hi = u;
		/* Newton on log P: (log P)'(u) = -f sum a t B / P */
		next = u + h * s.price / (f * s.time_weighted);
		if (!isfinite(next) || next <= lo || next >= hi)
		{
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
			return YieldFromLog(&fl, f, next, log_target, yield);
		u = next;
	}
	return BOND_ERR_NO_CONVERGENCE;
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
