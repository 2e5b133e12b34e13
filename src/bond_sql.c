/*
 * bond_sql.c
 *		SQL glue for the bond analytics in bond_math.c.
 *
 * Converts arguments (dates stay days since 2000-01-01, the shared epoch),
 * parses the day count and duration kind, and turns every BondStatus into an
 * error with an explicit SQLSTATE.  The functions are STRICT, so no argument
 * is NULL here (array elements may be, and are refused).  Hot path: the day
 * count is matched on the text's bytes without copying, zero-curve arrays are
 * read in place, and the bond_measures result descriptor is looked up once
 * per call site (fn_extra); each call then allocates only its result tuple.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
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
PG_FUNCTION_INFO_V1(pms_bond_measures);
PG_FUNCTION_INFO_V1(pms_bond_measures_from_price);
PG_FUNCTION_INFO_V1(pms_bond_measures_from_curve);
PG_FUNCTION_INFO_V1(pms_zero_rate);

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

/* True when the len bytes at s spell name, ignoring case. */
static inline bool
BytesAre(const char *s, int len, const char *name)
{
	return len == (int) strlen(name) && pg_strncasecmp(s, name, len) == 0;
}

/* Parses a day count name (case-insensitive) in place, without copying. */
static BondDayCount
ParseDayCount(text *t)
{
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);

	if (BytesAre(s, len, "30/360"))
		return BOND_DC_30_360_US;
	if (BytesAre(s, len, "ACT/ACT"))
		return BOND_DC_ACT_ACT_ICMA;
	if (BytesAre(s, len, "ACT/360"))
		return BOND_DC_ACT_360;
	if (BytesAre(s, len, "ACT/365F"))
		return BOND_DC_ACT_365F;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown day count \"%s\"", text_to_cstring(t)),
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
		case BOND_ERR_CURVE_TIME:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("curve time %g is not a finite number of years at or after zero", value),
					 errdetail("Zero curves are read at times measured from the settle date."),
					 errhint("Pass a time in years, e.g. 2.5.")));
			break;
		case BOND_ERR_SPREAD_NOT_FINITE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("spread must be finite"),
					 errdetail("NaN and infinite values have no meaning in bond analytics."),
					 errhint("Pass the spread as a decimal fraction, e.g. 0.0050 for 50 bp, or 0.")));
			break;
		case BOND_ERR_CURVE_PRICE_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("price off the zero curve is out of range"),
					 errdetail("The discounted cash flows overflow a float8."),
					 errhint("Check the zero rates and spread: they are decimal fractions (0.05 = 5%%).")));
			break;
		case BOND_ERR_CURVE_CLEAN_NOT_POSITIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("clean price %g off the zero curve is not positive", value),
					 errdetail("The discounted cash flows are worth no more than the accrued interest, so no yield reproduces them."),
					 errhint("Check the zero rates and spread: they are decimal fractions (0.05 = 5%%).")));
			break;
		case BOND_ERR_CURVE_TENOR:
		case BOND_ERR_CURVE_ORDER:
		case BOND_ERR_CURVE_RATE:
			elog(ERROR, "zero curve was not validated before use");
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

/* The composite result descriptor of a bond_measures function, cached per call site. */
static TupleDesc
MeasuresTupleDesc(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
	{
		TupleDesc	tupdesc;
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE ||
			tupdesc->natts != 8)
			elog(ERROR, "bond_measures must return the composite type pms.bond_measures");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		tupdesc = CreateTupleDescCopy(tupdesc);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = BlessTupleDesc(tupdesc);
	}
	return (TupleDesc) fcinfo->flinfo->fn_extra;
}

/* Builds a pms.bond_measures value; every field must be finite. */
static Datum
MeasuresDatum(FunctionCallInfo fcinfo, double yield, const BondMeasures *m)
{
	TupleDesc	tupdesc = MeasuresTupleDesc(fcinfo);
	double		v[8] = {yield, m->clean, m->dirty, m->accrued, m->modified, m->macaulay,
	m->convexity, m->dv01};
	Datum		values[8];
	bool		nulls[8] = {false, false, false, false, false, false, false, false};

	for (int i = 0; i < 8; i++)
		values[i] = ResultFloat8(v[i]);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* pms.bond_measures(settle, maturity, coupon, yield, frequency, day_count): all measures at a yield. */
Datum
pms_bond_measures(PG_FUNCTION_ARGS)
{
	BondMeasures m = MeasureAtYield(fcinfo);

	return MeasuresDatum(fcinfo, PG_GETARG_FLOAT8(3), &m);
}

/* pms.bond_measures_from_price(settle, maturity, coupon, clean_price, ...): solve, then measure. */
Datum
pms_bond_measures_from_price(PG_FUNCTION_ARGS)
{
	BondTerms	b = GetTerms(fcinfo, 4, 5);
	double		price = PG_GETARG_FLOAT8(3);
	double		yield;
	BondMeasures m;

	ReportBondStatus(BondMeasureFromPrice(&b, price, &yield, &m), &b, price);
	return MeasuresDatum(fcinfo, yield, &m);
}

/* Reads a float8[] curve argument in place: one dimension, not empty, no NULL elements. */
static const double *
CurveArray(FunctionCallInfo fcinfo, int arg, const char *name, int *n, int *lbound)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(arg);

	if (ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "%s must be a float8 array", name);
	if (ARR_NDIM(a) == 0 || ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a)) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zero curve %s array is empty", name),
				 errdetail("A zero curve needs at least one tenor and its zero rate."),
				 errhint("Pass tenors and zero_rates as arrays of the same non-zero length.")));
	if (ARR_NDIM(a) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zero curve %s array has %d dimensions", name, ARR_NDIM(a)),
				 errdetail("Tenors and zero rates are one-dimensional lists."),
				 errhint("Pass a one-dimensional array such as '{0.5, 1, 2, 5}'.")));
	if (array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("zero curve %s array contains a NULL", name),
				 errdetail("Every point of a zero curve needs a tenor and a rate."),
				 errhint("Leave the missing point out of both arrays.")));
	*n = ARR_DIMS(a)[0];
	*lbound = ARR_LBOUND(a)[0];
	return (const double *) ARR_DATA_PTR(a);
}

/* Reads and validates the zero curve in arguments tenors_arg and tenors_arg + 1. */
static BondCurve
GetCurve(FunctionCallInfo fcinfo, int tenors_arg)
{
	BondCurve	c;
	int			n_rates;
	int			lbound;
	int			lbound_rates;
	int			i;

	c.tenors = CurveArray(fcinfo, tenors_arg, "tenors", &c.n, &lbound);
	c.rates = CurveArray(fcinfo, tenors_arg + 1, "zero_rates", &n_rates, &lbound_rates);
	if (n_rates != c.n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zero curve has %d tenors and %d zero rates", c.n, n_rates),
				 errdetail("Each tenor needs exactly one zero rate."),
				 errhint("Pass tenors and zero_rates as arrays of the same length.")));
	switch (BondCheckCurve(&c, &i))
	{
		case BOND_OK:
			break;
		case BOND_ERR_CURVE_TENOR:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("zero curve tenor %g at position %d is not a finite number of years at or after zero",
							c.tenors[i], lbound + i),
					 errdetail("Tenors are times in years (ACT/365F) from the settle date."),
					 errhint("Pass tenors such as 0.25, 1, 10.")));
			break;
		case BOND_ERR_CURVE_ORDER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("zero curve tenors are not strictly increasing at position %d", lbound + i),
					 errdetail("Tenor %g follows tenor %g.", c.tenors[i], c.tenors[i - 1]),
					 errhint("Sort the curve points by tenor and drop duplicate tenors.")));
			break;
		case BOND_ERR_CURVE_RATE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("zero rate at position %d must be finite", lbound_rates + i),
					 errdetail("NaN and infinite values have no meaning in bond analytics."),
					 errhint("Pass zero rates as decimal fractions, e.g. 0.035 for 3.5%%.")));
			break;
		default:
			elog(ERROR, "unexpected curve status");
	}
	return c;
}

/* pms.bond_measures_from_curve(settle, maturity, coupon, tenors, zero_rates, spread, ...). */
Datum
pms_bond_measures_from_curve(PG_FUNCTION_ARGS)
{
	BondTerms	b = GetTerms(fcinfo, 6, 7);
	BondCurve	c = GetCurve(fcinfo, 3);
	double		spread = PG_GETARG_FLOAT8(5);
	double		yield;
	BondMeasures m;
	BondStatus	st = BondMeasureFromCurve(&b, &c, spread, &yield, &m);

	/* errors about the price name the curve's clean price (m.clean) */
	ReportBondStatus(st, &b, m.clean);
	return MeasuresDatum(fcinfo, yield, &m);
}

/* pms.zero_rate(tenors, zero_rates, t): the curve's zero rate at t years. */
Datum
pms_zero_rate(PG_FUNCTION_ARGS)
{
	BondCurve	c = GetCurve(fcinfo, 0);
	double		t = PG_GETARG_FLOAT8(2);
	double		rate;
	BondTerms	b = {0};

	ReportBondStatus(BondZeroRate(&c, t, &rate), &b, t);
	PG_RETURN_FLOAT8(rate);
}
