/*
 * valuation_sums.c
 *		pms.valuation_sums: the money sums of an account's (or a household's)
 *		valued lines in one pass, for pms.portfolio_analytics.
 *
 * Each input row is one position or cash line, not yet valued: quantity,
 * price, multiplier, accrued interest per unit, the instrument's analytics and
 * the two rates against the FX pivot.  The aggregate values the line exactly as
 * pms.valuation_lines does in SQL (market value = round(quantity x price x
 * multiplier [x fx], minor units), accrued the same way, DV01 and duration in
 * float8 in the same operation order and with float8_mul's overflow checks)
 * and adds it to the group's sums.
 *
 * Invariants: every result is the one the SQL formulation gives, digit for
 * digit and with the same display scale.  Money is exact: lines are computed
 * and summed in 128-bit fixed point, and a line whose value does not fit there
 * is computed in PostgreSQL numeric arithmetic instead (same operations, same
 * result) and summed apart.  Numeric to float8 conversions are correctly
 * rounded, as numeric_float8 is (that function is the fallback).  Duration and
 * DV01 are summed as integers, so row order never changes a digit.  There is
 * no combine function: the analytics query runs in one backend.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "access/htup_details.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#include "position_fold.h"
#include "position_fold_pg.h"

PG_FUNCTION_INFO_V1(pms_valuation_sums_transfn);
PG_FUNCTION_INFO_V1(pms_valuation_sums_finalfn);

/* Maturity buckets, in the order of the result's bucket columns. */
static const char *const bucket_names[] = {"0-2y", "2-5y", "5-10y", "10-20y", "20y+"};

#define NUM_BUCKETS		((int) lengthof(bucket_names))

/* Columns of pms.valuation_sums. */
#define NUM_RESULT_COLUMNS	(6 + NUM_BUCKETS + 2)

/* A numeric argument, with its fixed-point reading when it has one. */
typedef struct NumArg
{
	bool		isnull;
	Datum		datum;
	bool		fits;			/* d holds the value */
	PmsDecimal	d;
} NumArg;

/* One rounded money value of a line (market value, accrued or their sum). */
typedef struct Money
{
	bool		isnull;
	bool		fixed;			/* true: d holds the value; false: n does */
	PmsDecimal	d;
	Numeric		n;
	int			dscale;			/* display scale: the minor units it was rounded to */
} Money;

/* A sum of Money values: fixed point, plus a numeric part for the lines that did not fit. */
typedef struct MoneySum
{
	bool		any;			/* false: no value was added (the sum is NULL) */
	int			dscale;			/* largest display scale added */
	PmsDecimal	fixed;
	Numeric		extra;			/* NULL, or the sum of the rest (aggregate context) */
} MoneySum;

/* The conversion factor of a line: local rate / reporting rate, as SQL computes it. */
typedef struct Fx
{
	bool		isnull;
	bool		one;			/* the quotient equals 1: values are not multiplied */
	NumArg		rate;			/* the quotient, when not one */
	double		f;				/* the quotient as float8 */
} Fx;

/* Transition state, in the aggregate context. */
typedef struct ValuationSums
{
	MoneySum	market;			/* position lines */
	MoneySum	accrued;
	MoneySum	cash;			/* cash lines */
	MoneySum	bonds;			/* market value + accrued of the bond lines */
	MoneySum	buckets[NUM_BUCKETS];
	bool		duration_any;
	bool		dv01_any;
	pms_int128	duration_units; /* sum of round(dirty value x duration x 1e4) */
	pms_int128	dv01_units;		/* sum of round(DV01 x 1e6) */
	int64		positions;
	int64		stale;
	/* The last distinct pair of rates and its factor (most books have one or two). */
	bool		cached;
	PmsDecimal	cached_local;
	PmsDecimal	cached_report;
	Fx			cached_fx;
} ValuationSums;

/* 10^n as float8, exact for n <= 22. */
static const double pow10_double[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* Reads numeric argument i (possibly NULL) and its fixed-point value. */
static inline void
ReadArg(FunctionCallInfo fcinfo, int i, NumArg *out)
{
	out->isnull = PG_ARGISNULL(i);
	out->fits = false;
	if (out->isnull)
		return;
	out->datum = PG_GETARG_DATUM(i);
	out->fits = PositionFoldReadDecimal(out->datum, &out->d);
}

/*
 * a as float8 when that is exact to compute in one IEEE division (|m| <= 2^53,
 * scale <= 22): the correctly rounded value, as numeric_float8 gives.
 */
static inline bool
DecimalToDouble(PmsDecimal a, double *out)
{
	const pms_int128 limit = (pms_int128) 1 << 53;

	if (a.m > limit || a.m < -limit || a.scale >= (int) lengthof(pow10_double))
		return false;
	*out = (double) (int64) a.m / pow10_double[a.scale];
	return true;
}

/* A numeric argument as float8 (numeric_float8). */
static double
ArgToDouble(const NumArg *a)
{
	double		f;

	if (a->fits && DecimalToDouble(a->d, &f))
		return f;
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, a->datum));
}

/* A money value as float8 (numeric_float8). */
static double
MoneyToDouble(const Money *a)
{
	double		f;

	if (a->fixed && DecimalToDouble(a->d, &f))
		return f;
	if (a->fixed)
		return DatumGetFloat8(DirectFunctionCall1(numeric_float8,
												  PositionFoldDecimalToNumeric(a->d, a->dscale,
																			   CurrentMemoryContext)));
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(a->n)));
}

/* round(f)::bigint, with the same error as the cast. */
static inline int64
RoundToInt64(double f)
{
	f = rint(f);
	if (unlikely(isnan(f) || !FLOAT8_FITS_IN_INT64(f)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("bigint out of range")));
	return (int64) f;
}

/* a rounded half away from zero to places decimals, at exactly that scale; false when it does not fit. */
static inline bool
DecimalRound(PmsDecimal a, int places, PmsDecimal *out)
{
	static const PmsDecimal one = {1, 0};

	if (places > PMS_DEC_MAX_SCALE)
		return false;
	return PmsDecDivRound(a, one, places, out);
}

/* A numeric argument as a Numeric (the fixed-point reading is not used). */
static inline Numeric
ArgNumeric(const NumArg *a)
{
	return DatumGetNumeric(PG_DETOAST_DATUM(a->datum));
}

/* A copy of a numeric in cxt. */
static Numeric
CopyNumeric(Numeric n, MemoryContext cxt)
{
	Numeric		copy = MemoryContextAlloc(cxt, VARSIZE(n));

	memcpy(copy, n, VARSIZE(n));
	return copy;
}

/*
 * round(q x x x m [x fx], places): a line's value, as pms.valuation_lines
 * computes it in numeric (products are exact there too).
 */
static Money
LineValue(const NumArg *q, const NumArg *x, const NumArg *m, const Fx *fx, int places)
{
	Money		r;
	PmsDecimal	v;

	r.isnull = false;
	r.dscale = places;
	r.n = NULL;
	if (q->fits && x->fits && m->fits && (fx->one || fx->rate.fits) &&
		PmsDecMul(q->d, x->d, &v) && PmsDecMul(v, m->d, &v) &&
		(fx->one || PmsDecMul(v, fx->rate.d, &v)) &&
		DecimalRound(v, places, &r.d))
	{
		r.fixed = true;
		return r;
	}
	r.fixed = false;
	r.n = numeric_mul_opt_error(numeric_mul_opt_error(ArgNumeric(q), ArgNumeric(x), NULL),
								ArgNumeric(m), NULL);
	if (!fx->one)
		r.n = numeric_mul_opt_error(r.n, ArgNumeric(&fx->rate), NULL);
	r.n = DatumGetNumeric(DirectFunctionCall2(numeric_round, NumericGetDatum(r.n),
											  Int32GetDatum(places)));
	return r;
}

/* a as a Numeric with its display scale. */
static Numeric
MoneyNumeric(const Money *a)
{
	if (!a->fixed)
		return a->n;
	return DatumGetNumeric(PositionFoldDecimalToNumeric(a->d, a->dscale, CurrentMemoryContext));
}

/* a + b (both non-NULL): numeric addition keeps the larger display scale. */
static Money
MoneyAdd(const Money *a, const Money *b)
{
	Money		r;

	r.isnull = false;
	r.dscale = Max(a->dscale, b->dscale);
	r.n = NULL;
	r.fixed = a->fixed && b->fixed && PmsDecAdd(a->d, b->d, &r.d);
	if (!r.fixed)
		r.n = numeric_add_opt_error(MoneyNumeric(a), MoneyNumeric(b), NULL);
	return r;
}

/* Adds a non-NULL money value to a sum. */
static void
SumAdd(MoneySum *sum, const Money *a, MemoryContext aggcontext)
{
	Numeric		prev = sum->extra;

	sum->dscale = sum->any ? Max(sum->dscale, a->dscale) : a->dscale;
	sum->any = true;
	if (a->fixed && PmsDecAdd(sum->fixed, a->d, &sum->fixed))
		return;
	sum->extra = CopyNumeric(prev == NULL ? MoneyNumeric(a) :
							 numeric_add_opt_error(prev, MoneyNumeric(a), NULL), aggcontext);
	if (prev != NULL)
		pfree(prev);
}

/* The value of a sum: NULL when nothing was added (like sum()). */
static Datum
SumResult(const MoneySum *sum, bool *isnull)
{
	Numeric		total;

	*isnull = !sum->any;
	if (!sum->any)
		return (Datum) 0;
	total = DatumGetNumeric(PositionFoldDecimalToNumeric(sum->fixed, sum->dscale, CurrentMemoryContext));
	if (sum->extra != NULL)
		total = numeric_add_opt_error(total, sum->extra, NULL);
	return NumericGetDatum(total);
}

/* An integer sum as numeric (sum(bigint) returns numeric). */
static Datum
UnitsResult(bool any, pms_int128 units, bool *isnull)
{
	PmsDecimal	d = {units, 0};

	*isnull = !any;
	if (!any)
		return (Datum) 0;
	return PositionFoldDecimalToNumeric(d, 0, CurrentMemoryContext);
}

/* A count as integer, with the same error as count(*)::integer. */
static Datum
CountResult(int64 n)
{
	if (n > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("integer out of range")));
	return Int32GetDatum((int32) n);
}

/* Sets *fx to local / report, as the SQL quotient (numeric division), its test "= 1" and float8 value. */
static void
ComputeFx(const NumArg *local, const NumArg *report, Fx *fx)
{
	static const PmsDecimal one_dec = {1, 0};
	Numeric		q;

	fx->isnull = false;
	fx->one = false;
	if (local->fits && report->fits && local->d.m == report->d.m && local->d.scale == report->d.scale)
		q = NULL;				/* equal (both read trimmed): the quotient is exactly 1 */
	else
	{
		Numeric		one = DatumGetNumeric(PositionFoldDecimalToNumeric(one_dec, 0, CurrentMemoryContext));

		q = DatumGetNumeric(DirectFunctionCall2(numeric_div, local->datum, report->datum));
		if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(q), NumericGetDatum(one))) != 0)
		{
			fx->rate.isnull = false;
			fx->rate.datum = NumericGetDatum(q);
			fx->rate.fits = PositionFoldReadDecimal(fx->rate.datum, &fx->rate.d);
			fx->f = ArgToDouble(&fx->rate);
			return;
		}
	}
	fx->one = true;
	fx->f = 1.0;
}

/* The factor of a line, from the state's cache when its rates are the last pair seen. */
static void
LineFx(ValuationSums *st, const NumArg *local, const NumArg *report, MemoryContext aggcontext, Fx *fx)
{
	bool		cacheable = local->fits && report->fits;

	if (local->isnull || report->isnull)
	{
		fx->isnull = true;
		return;
	}
	if (cacheable && st->cached &&
		local->d.m == st->cached_local.m && local->d.scale == st->cached_local.scale &&
		report->d.m == st->cached_report.m && report->d.scale == st->cached_report.scale)
	{
		*fx = st->cached_fx;
		return;
	}
	if (!cacheable)
	{
		ComputeFx(local, report, fx);
		return;
	}
	if (st->cached && !st->cached_fx.one)
		pfree(DatumGetPointer(st->cached_fx.rate.datum));
	ComputeFx(local, report, &st->cached_fx);
	if (!st->cached_fx.one)
		st->cached_fx.rate.datum =
			NumericGetDatum(CopyNumeric(DatumGetNumeric(st->cached_fx.rate.datum), aggcontext));
	st->cached = true;
	st->cached_local = local->d;
	st->cached_report = report->d;
	*fx = st->cached_fx;
}

/* True when text argument i (not NULL) equals s. */
static inline bool
ArgIs(FunctionCallInfo fcinfo, int i, const char *s)
{
	text	   *t = PG_GETARG_TEXT_PP(i);
	size_t		len = strlen(s);

	return VARSIZE_ANY_EXHDR(t) == len && memcmp(VARDATA_ANY(t), s, len) == 0;
}

/* Index of maturity bucket argument i, or -1 (NULL or another text). */
static int
ArgBucket(FunctionCallInfo fcinfo, int i)
{
	if (PG_ARGISNULL(i))
		return -1;
	for (int b = 0; b < NUM_BUCKETS; b++)
		if (ArgIs(fcinfo, i, bucket_names[b]))
			return b;
	return -1;
}

/*
 * Transition: valuation_sums(is_position, asset_class, quantity, price,
 * price_multiplier, accrued, duration, dv01, maturity_bucket, stale,
 * local_rate, report_rate, minor_units): values one line and adds it.
 */
Datum
pms_valuation_sums_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	ValuationSums *st;
	bool		is_position = !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
	bool		is_bond = !PG_ARGISNULL(2) && ArgIs(fcinfo, 2, "BOND");
	bool		stale = !PG_ARGISNULL(10) && PG_GETARG_BOOL(10);
	bool		not_stale = !PG_ARGISNULL(10) && !PG_GETARG_BOOL(10);
	NumArg		q,
				price,
				mult,
				accrued,
				local,
				report;
	Fx			fx;
	Money		mv = {.isnull = true},
				acc = {.isnull = true},
				bv = {.isnull = true};
	int			bucket;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "pms_valuation_sums_transfn called in non-aggregate context");
	if (PG_ARGISNULL(0))
	{
		st = MemoryContextAllocZero(aggcontext, sizeof(ValuationSums));
	}
	else
		st = (ValuationSums *) PG_GETARG_POINTER(0);

	ReadArg(fcinfo, 3, &q);
	ReadArg(fcinfo, 4, &price);
	ReadArg(fcinfo, 5, &mult);
	ReadArg(fcinfo, 6, &accrued);
	ReadArg(fcinfo, 11, &local);
	ReadArg(fcinfo, 12, &report);
	LineFx(st, &local, &report, aggcontext, &fx);

	if (is_position)
		st->positions++;
	if (stale || fx.isnull)
		st->stale++;

	/* Money: CASE WHEN stale THEN NULL ELSE round(local value [x fx], minor units) END */
	if (!stale && !fx.isnull && !PG_ARGISNULL(13) && !q.isnull && !mult.isnull)
	{
		int			places = PG_GETARG_INT32(13);

		if (!price.isnull)
			mv = LineValue(&q, &price, &mult, &fx, places);
		if (is_bond && !accrued.isnull)
			acc = LineValue(&q, &accrued, &mult, &fx, places);
	}
	if (!mv.isnull)
		SumAdd(is_position ? &st->market : &st->cash, &mv, aggcontext);
	if (!acc.isnull)
		SumAdd(&st->accrued, &acc, aggcontext);
	if (!mv.isnull && !acc.isnull)
		bv = MoneyAdd(&mv, &acc);

	/* Analytics in float8, in the SQL's operation order. */
	if (is_bond && !bv.isnull)
	{
		SumAdd(&st->bonds, &bv, aggcontext);
		if (not_stale && !PG_ARGISNULL(7))
		{
			st->duration_units +=
				RoundToInt64(float8_mul(float8_mul(MoneyToDouble(&bv), PG_GETARG_FLOAT8(7)), 1e4));
			st->duration_any = true;
		}
	}
	if (is_bond && not_stale && !fx.isnull && !PG_ARGISNULL(8) && !q.isnull && !mult.isnull)
	{
		double		dv01 = float8_mul(float8_mul(float8_mul(PG_GETARG_FLOAT8(8), ArgToDouble(&q)),
												 ArgToDouble(&mult)), fx.f);

		st->dv01_units += RoundToInt64(float8_mul(dv01, 1e6));
		st->dv01_any = true;
	}
	bucket = ArgBucket(fcinfo, 9);
	if (bucket >= 0 && !bv.isnull)
		SumAdd(&st->buckets[bucket], &bv, aggcontext);

	PG_RETURN_POINTER(st);
}

/* Final: the group's pms.valuation_sums (NULL over no rows). */
Datum
pms_valuation_sums_finalfn(PG_FUNCTION_ARGS)
{
	ValuationSums *st;
	TupleDesc	tupdesc;
	Datum		values[NUM_RESULT_COLUMNS];
	bool		nulls[NUM_RESULT_COLUMNS];
	int			c = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (ValuationSums *) PG_GETARG_POINTER(0);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "pms.valuation_sums must return a composite type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (tupdesc->natts != NUM_RESULT_COLUMNS)
		elog(ERROR, "pms.valuation_sums has %d columns, expected %d", tupdesc->natts, NUM_RESULT_COLUMNS);

	values[c] = SumResult(&st->market, &nulls[c]);
	c++;
	values[c] = SumResult(&st->accrued, &nulls[c]);
	c++;
	values[c] = SumResult(&st->cash, &nulls[c]);
	c++;
	values[c] = SumResult(&st->bonds, &nulls[c]);
	c++;
	values[c] = UnitsResult(st->duration_any, st->duration_units, &nulls[c]);
	c++;
	values[c] = UnitsResult(st->dv01_any, st->dv01_units, &nulls[c]);
	c++;
	for (int b = 0; b < NUM_BUCKETS; b++, c++)
		values[c] = SumResult(&st->buckets[b], &nulls[c]);
	nulls[c] = false;
	values[c++] = CountResult(st->positions);
	nulls[c] = false;
	values[c++] = CountResult(st->stale);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
