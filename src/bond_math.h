/*
 * bond_math.h
 *		Pure fixed-rate bond analytics (price, accrued, yield, duration,
 *		convexity, DV01, maturity bucket); no PostgreSQL types.
 *
 * Dates are whole days since 2000-01-01 (the PostgreSQL date epoch, so the
 * glue passes DateADT values unchanged).  Prices are per 100 face, rates are
 * decimal fractions.  Conventions follow QuantLib's FixedRateBond; see
 * docs/bond-analytics.md.
 */
#ifndef PMS_BOND_MATH_H
#define PMS_BOND_MATH_H

#include <stdbool.h>

/* Day count conventions. */
typedef enum BondDayCount
{
	BOND_DC_30_360_US,			/* '30/360': 30/360 US (QuantLib Thirty360::USA) */
	BOND_DC_ACT_ACT_ICMA,		/* 'ACT/ACT': actual/actual ICMA over the schedule */
	BOND_DC_ACT_360,			/* 'ACT/360' */
	BOND_DC_ACT_365F			/* 'ACT/365F' */
} BondDayCount;

/* Outcome of a bond computation; BOND_OK or the first problem found. */
typedef enum BondStatus
{
	BOND_OK = 0,
	BOND_ERR_NOT_FINITE,		/* a rate or price is NaN or infinite */
	BOND_ERR_SETTLE_NOT_BEFORE_MATURITY,
	BOND_ERR_TERM_TOO_LONG,		/* maturity more than BOND_MAX_TERM_YEARS away */
	BOND_ERR_FREQUENCY,			/* frequency not 1, 2, 4 or 12 */
	BOND_ERR_COUPON_NEGATIVE,
	BOND_ERR_YIELD_DOMAIN,		/* yield <= -frequency */
	BOND_ERR_PRICE_NOT_POSITIVE,
	BOND_ERR_YIELD_UNDEFINED,	/* no cash flow time is positive: price ignores yield */
	BOND_ERR_PRICE_UNREACHABLE, /* no finite yield gives this price */
	BOND_ERR_YIELD_UNREPRESENTABLE, /* the yield is too close to -frequency */
	BOND_ERR_NO_CONVERGENCE,	/* solver iteration limit (should not happen) */
	BOND_ERR_CURVE_TENOR,		/* a tenor is NaN, infinite or negative */
	BOND_ERR_CURVE_ORDER,		/* tenors not strictly increasing */
	BOND_ERR_CURVE_RATE,		/* a zero rate is NaN or infinite */
	BOND_ERR_CURVE_TIME,		/* a curve time is NaN, infinite or negative */
	BOND_ERR_SPREAD_NOT_FINITE,
	BOND_ERR_CURVE_PRICE_OVERFLOW,	/* the discounted flows overflow */
	BOND_ERR_CURVE_CLEAN_NOT_POSITIVE	/* curve dirty price <= accrued */
} BondStatus;

/* Longest accepted term, so every call walks a bounded schedule. */
#define BOND_MAX_TERM_YEARS 200

/* The terms of one fixed-rate bullet bond as of a settlement date. */
typedef struct BondTerms
{
	int			settle;			/* settlement date, days since 2000-01-01 */
	int			maturity;		/* maturity date, days since 2000-01-01 */
	double		coupon;			/* annual coupon rate, decimal */
	int			frequency;		/* coupons per year: 1, 2, 4 or 12 */
	BondDayCount day_count;
} BondTerms;

/* Everything the yield-dependent functions report, at one yield. */
typedef struct BondMeasures
{
	double		dirty;			/* dirty price per 100 face */
	double		accrued;		/* accrued interest per 100 face */
	double		clean;			/* dirty - accrued */
	double		modified;		/* modified duration, years */
	double		macaulay;		/* Macaulay duration, years */
	double		convexity;		/* convexity, years squared */
	double		dv01;			/* dirty-price fall for +1 bp, per 100 face */
} BondMeasures;

/* Days since 2000-01-01 of a proleptic Gregorian date. */
extern int	BondDaysFromCivil(int year, int month, int day);

/* Proleptic Gregorian date of a day number since 2000-01-01. */
extern void BondCivilFromDays(int days, int *year, int *month, int *day);

/* Validates the terms (dates, frequency, coupon). */
extern BondStatus BondCheckTerms(const BondTerms *b);

/* Accrued interest per 100 face at the settlement date. */
extern BondStatus BondAccrued(const BondTerms *b, double *accrued);

/* Prices and risk measures at a yield compounded frequency times a year. */
extern BondStatus BondMeasure(const BondTerms *b, double yield, BondMeasures *m);

/* Yield compounded frequency times a year that reproduces a clean price. */
extern BondStatus BondYield(const BondTerms *b, double clean_price, double *yield);

/*
 * The yield that reproduces a clean price and every measure at it, from one
 * schedule (clean is the price given, dirty = clean + accrued).
 */
extern BondStatus BondMeasureFromPrice(const BondTerms *b, double clean_price, double *yield,
									   BondMeasures *m);

/*
 * A zero curve: rates[i] (continuously compounded, decimal) at tenors[i]
 * (years, ACT/365F), tenors strictly increasing and >= 0.  Interpolation is
 * linear in the zero rate between tenors and flat outside them.
 */
typedef struct BondCurve
{
	int			n;				/* number of points, >= 1 */
	const double *tenors;
	const double *rates;
} BondCurve;

/* Validates a curve; on failure *index is the offending point (0-based). */
extern BondStatus BondCheckCurve(const BondCurve *c, int *index);

/* Zero rate of a valid curve at time t (years, t >= 0). */
extern BondStatus BondZeroRate(const BondCurve *c, double t, double *rate);

/*
 * Prices the flows off a zero curve plus a spread (discount factor
 * exp(-(z(T) + spread) T), T = ACT/365F years from settle), then solves the
 * yield of that clean price and fills in every measure at it.
 */
extern BondStatus BondMeasureFromCurve(const BondTerms *b, const BondCurve *c, double spread,
									   double *yield, BondMeasures *m);

/* Maturity bucket index 0..4 ('0-2y' .. '20y+'), years = days / 365.25. */
extern BondStatus BondMaturityBucket(int settle, int maturity, int *bucket);

/* Label of a maturity bucket index. */
extern const char *BondBucketLabel(int bucket);

#endif							/* PMS_BOND_MATH_H */
