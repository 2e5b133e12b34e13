/*
 * bond_sql.c
 *		SQL glue for the bond analytics in bond_math.c.
 *
 * Converts arguments (dates stay days since 2000-01-01, the shared epoch),
 * parses the day count and duration kind, and turns every BondStatus into an
 * error with an explicit SQLSTATE.  The functions are STRICT, so no argument
 * is NULL here.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "bond_math.h"
#include "pms.h"

PG_FUNCTION_INFO_V1(pms_bond_price);
PG_FUNCTION_INFO_V1(pms_bond_dirty_price);
PG_FUNCTION_INFO_V1(pms_bond_accrued);
PG_FUNCTION_INFO_V1(pms_bond_yield);
PG_FUNCTION_INFO_V1(pms_bond_duration);
PG_FUNCTION_INFO_V1(pms_bond_convexity);
PG_FUNCTION_INFO_V1(pms_bond_dv01);
PG_FUNCTION_INFO_V1(pms_maturity_bucket);

/* Rejects 'infinity' and '-infinity' dates. */
static inline void
CheckFiniteDate(DateADT d, const char *name)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s date must be finite", name),
				 errdetail("Bond analytics need actual calendar dates."),
				 errhint("Pass a real date instead of infinity.")));
}

/* Parses a day count name (case-insensitive). */
static BondDayCount
ParseDayCount(text *t)
{
	char	   *s = text_to_cstring(t);

	if (pg_strcasecmp(s, "30/360") == 0)
		return BOND_DC_30_360_US;
	if (pg_strcasecmp(s, "ACT/ACT") == 0)
		return BOND_DC_ACT_ACT_ICMA;
	if (pg_strcasecmp(s, "ACT/360") == 0)
		return BOND_DC_ACT_360;
	if (pg_strcasecmp(s, "ACT/365F") == 0)
		return BOND_DC_ACT_365F;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown day count \"%s\"", s),
			 errdetail("Bond analytics support the day counts 30/360, ACT/ACT, ACT/360 and ACT/365F."),
			 errhint("Use '30/360' for the US bond basis and 'ACT/ACT' for actual/actual ICMA.")));
	return BOND_DC_30_360_US;	/* keep compiler quiet */
}

/* Reads settle, maturity, coupon and the frequency/day count at the given positions. */
static BondTerms
GetTerms(FunctionCallInfo fcinfo, int frequency_arg, int day_count_arg)
{
	BondTerms	b;
	DateADT		settle = PG_GETARG_DATEADT(0);
	DateADT		maturity = PG_GETARG_DATEADT(1);

	CheckFiniteDate(settle, "settle");
	CheckFiniteDate(maturity, "maturity");
	b.settle = settle;
	b.maturity = maturity;
	b.coupon = PG_GETARG_FLOAT8(2);
	b.frequency = PG_GETARG_INT32(frequency_arg);
	b.day_count = ParseDayCount(PG_GETARG_TEXT_PP(day_count_arg));
	return b;
}

/* Reports a BondStatus other than BOND_OK as an error. */
static void
ReportBondStatus(BondStatus st, const BondTerms *b, double value)
{
	switch (st)
	{
		case BOND_OK:
			return;
		case BOND_ERR_NOT_FINITE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bond coupon, yield and price must be finite"),
					 errdetail("NaN and infinite values have no meaning in bond analytics."),
					 errhint("Pass ordinary numbers.")));
			break;
		case BOND_ERR_SETTLE_NOT_BEFORE_MATURITY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("settle date %s is not before maturity %s",
							IsoDate(b->settle),
							IsoDate(b->maturity)),
					 errdetail("A bond has no cash flows left on or after its maturity date."),
					 errhint("Leave matured bonds out, or pass a settle date before maturity.")));
			break;
		case BOND_ERR_TERM_TOO_LONG:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bond term is longer than %d years", BOND_MAX_TERM_YEARS),
					 errdetail("Maturity must be at most %d years after the settle date.",
							   BOND_MAX_TERM_YEARS),
					 errhint("Check the settle and maturity dates.")));
			break;
		case BOND_ERR_FREQUENCY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("coupon frequency %d is not supported", b->frequency),
					 errdetail("The frequency is the number of coupons a year: 1, 2, 4 or 12."),
					 errhint("A zero-coupon bond takes coupon 0 with any of these frequencies.")));
			break;
		case BOND_ERR_COUPON_NEGATIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("coupon rate %g is negative", b->coupon),
					 errdetail("Fixed-rate bullet bonds pay a coupon of zero or more."),
					 errhint("Pass the annual coupon as a decimal fraction, e.g. 0.05 for 5%%.")));
			break;
		case BOND_ERR_YIELD_DOMAIN:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("yield %g is at or below -%d", value, b->frequency),
					 errdetail("A yield compounded %d times a year must be greater than -%d.",
							   b->frequency, b->frequency),
					 errhint("Pass the yield as a decimal fraction, e.g. 0.05 for 5%%.")));
			break;
		case BOND_ERR_PRICE_NOT_POSITIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("clean price %g is not positive", value),
					 errdetail("A yield exists only for a clean price greater than zero."),
					 errhint("Prices are per 100 face.")));
			break;
		case BOND_ERR_YIELD_UNDEFINED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("yield is undefined: the price does not depend on the yield"),
					 errdetail("Every remaining cash flow is at time zero in the bond's day count."),
					 errhint("Use a different day count or an earlier settle date.")));
			break;
		case BOND_ERR_PRICE_UNREACHABLE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("no yield gives clean price %g", value),
					 errdetail("The price is beyond what any finite yield produces for these cash flows."),
					 errhint("Check that the price is per 100 face.")));
			break;
		case BOND_ERR_YIELD_UNREPRESENTABLE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("clean price %g needs a yield too close to -%d to represent", value, b->frequency),
					 errdetail("At such a yield a float8 cannot hold enough digits to reproduce the price."),
					 errhint("Check that the price is per 100 face.")));
			break;
		case BOND_ERR_NO_CONVERGENCE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("yield solver did not converge for clean price %g", value),
					 errdetail("The bracketed Newton solver reached its iteration limit."),
					 errhint("Report the inputs: this should not happen.")));
			break;
	}
}

/* Returns a finite float8 result, or raises 22003. */
static Datum
ResultFloat8(double v)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("bond analytics result is out of range"),
				 errdetail("The yield is so close to its lower limit that the price overflows."),
				 errhint("Pass a yield further above -frequency.")));
	return Float8GetDatum(v);
}

/* Measures at the yield in argument 3 (frequency 4, day count 5). */
static BondMeasures
MeasureAtYield(FunctionCallInfo fcinfo)
{
	BondTerms	b = GetTerms(fcinfo, 4, 5);
	double		yield = PG_GETARG_FLOAT8(3);
	BondMeasures m;

	ReportBondStatus(BondMeasure(&b, yield, &m), &b, yield);
	return m;
}

/* pms.bond_price(settle, maturity, coupon, yield, frequency, day_count): clean price. */
Datum
pms_bond_price(PG_FUNCTION_ARGS)
{
	return ResultFloat8(MeasureAtYield(fcinfo).clean);
}

/* pms.bond_dirty_price(...): clean price plus accrued interest. */
Datum
pms_bond_dirty_price(PG_FUNCTION_ARGS)
{
	return ResultFloat8(MeasureAtYield(fcinfo).dirty);
}

/* pms.bond_accrued(settle, maturity, coupon, frequency, day_count). */
Datum
pms_bond_accrued(PG_FUNCTION_ARGS)
{
	BondTerms	b = GetTerms(fcinfo, 3, 4);
	double		accrued;

	ReportBondStatus(BondAccrued(&b, &accrued), &b, 0.0);
	return ResultFloat8(accrued);
}

/* pms.bond_yield(settle, maturity, coupon, clean_price, frequency, day_count). */
Datum
pms_bond_yield(PG_FUNCTION_ARGS)
{
	BondTerms	b = GetTerms(fcinfo, 4, 5);
	double		price = PG_GETARG_FLOAT8(3);
	double		yield;

	ReportBondStatus(BondYield(&b, price, &yield), &b, price);
	return ResultFloat8(yield);
}

/* pms.bond_duration(..., kind): modified or Macaulay duration in years. */
Datum
pms_bond_duration(PG_FUNCTION_ARGS)
{
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(6));
	bool		macaulay = false;
	BondMeasures m;

	if (pg_strcasecmp(kind, "macaulay") == 0)
		macaulay = true;
	else if (pg_strcasecmp(kind, "modified") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown duration kind \"%s\"", kind),
				 errdetail("The duration kind is 'modified' or 'macaulay'."),
				 errhint("Leave kind out for the modified duration.")));
	m = MeasureAtYield(fcinfo);
	return ResultFloat8(macaulay ? m.macaulay : m.modified);
}

/* pms.bond_convexity(...): convexity in years squared. */
Datum
pms_bond_convexity(PG_FUNCTION_ARGS)
{
	return ResultFloat8(MeasureAtYield(fcinfo).convexity);
}

/* pms.bond_dv01(...): dirty-price fall per 100 face for a 1 bp rise in yield. */
Datum
pms_bond_dv01(PG_FUNCTION_ARGS)
{
	return ResultFloat8(MeasureAtYield(fcinfo).dv01);
}

/* pms.maturity_bucket(settle, maturity): '0-2y', '2-5y', '5-10y', '10-20y' or '20y+'. */
Datum
pms_maturity_bucket(PG_FUNCTION_ARGS)
{
	BondTerms	b = {0};
	int			bucket;

	b.settle = PG_GETARG_DATEADT(0);
	b.maturity = PG_GETARG_DATEADT(1);
	CheckFiniteDate(b.settle, "settle");
	CheckFiniteDate(b.maturity, "maturity");
	ReportBondStatus(BondMaturityBucket(b.settle, b.maturity, &bucket), &b, 0.0);
	PG_RETURN_TEXT_P(cstring_to_text(BondBucketLabel(bucket)));
}
