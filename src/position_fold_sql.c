/*
 * position_fold_sql.c
 *		SQL glue for pms.position_fold: the ordered weighted-average-cost fold of
 *		executions into a pms.position_state.
 *
 * The transition state is `internal`, allocated in the aggregate context on the
 * first row.  Values are folded in exact 128-bit fixed point (position_fold.c);
 * when a value or an intermediate result does not fit there, the group switches
 * for good to PostgreSQL numeric arithmetic, which follows the same rules and
 * gives the same results.  Inputs are read straight from the numeric on-disk
 * format (fixed by pg_upgrade compatibility), without detoasting copies.  There
 * is no combine function: the fold is ordered and not associative.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "access/htup_details.h"
#include "executor/executor.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#include "position_fold.h"
#include "position_fold_pg.h"

PG_FUNCTION_INFO_V1(pms_position_fold_transfn);
PG_FUNCTION_INFO_V1(pms_position_fold_start_transfn);
PG_FUNCTION_INFO_V1(pms_position_fold_finalfn);

/* Sign of a numeric input, as read from its header. */
typedef enum InputKind
{
	INPUT_NEGATIVE = -1,
	INPUT_ZERO = 0,
	INPUT_POSITIVE = 1,
	INPUT_SPECIAL = 2			/* NaN or an infinity */
} InputKind;

/* Transition state, in the aggregate memory context (or the caller's, outside one). */
struct PositionFoldState
{
	bool		fixed;			/* true: fx holds the state; false: the Numerics do */
	PositionFixed fx;
	PmsDecimal	mult_fx;		/* the multiplier in fixed point (when fixed) */
	Numeric		mult;			/* the group's multiplier (first row), 4-byte header */
	Numeric		quantity;		/* numeric mode: signed quantity */
	Numeric		avg_cost;		/* numeric mode: NULL when flat */
	Numeric		realized;		/* numeric mode: realized P&L */
	int64		trade_count;
};

/* Numeric on-disk header bits (src/backend/utils/adt/numeric.c, stable across releases). */
#define PF_NUMERIC_SIGN_MASK	0xC000
#define PF_NUMERIC_NEG			0x4000
#define PF_NUMERIC_SHORT		0x8000
#define PF_NUMERIC_SPECIAL		0xC000
#define PF_SHORT_SIGN_MASK		0x2000
#define PF_SHORT_WEIGHT_SIGN	0x0040
#define PF_SHORT_WEIGHT_MASK	0x003F
#define PF_NBASE				10000

/*
 * Reads a numeric datum (any varlena header) into fixed point.  Returns its
 * kind; *fits says whether *out holds its value.
 */
static InputKind
ReadNumeric(Datum d, PmsDecimal *out, bool *fits)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	const char *body;
	Size		len;
	uint16		header;
	int			weight;
	int			hdr;
	int			ndigits;
	bool		negative;
	pms_int128	m = 0;
	int			exponent;

	if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v))
		v = pg_detoast_datum_packed(v);
	body = VARDATA_ANY(v);
	len = VARSIZE_ANY_EXHDR(v);
	memcpy(&header, body, sizeof(uint16));
	*fits = false;
	if ((header & PF_NUMERIC_SIGN_MASK) == PF_NUMERIC_SPECIAL)
		return INPUT_SPECIAL;
	if ((header & PF_NUMERIC_SIGN_MASK) == PF_NUMERIC_SHORT)
	{
		negative = (header & PF_SHORT_SIGN_MASK) != 0;
		weight = (header & PF_SHORT_WEIGHT_SIGN ? ~PF_SHORT_WEIGHT_MASK : 0) |
			(header & PF_SHORT_WEIGHT_MASK);
		hdr = sizeof(uint16);
	}
	else
	{
		int16		w;

		negative = (header & PF_NUMERIC_SIGN_MASK) == PF_NUMERIC_NEG;
		memcpy(&w, body + sizeof(uint16), sizeof(int16));
		weight = w;
		hdr = sizeof(uint16) + sizeof(int16);
	}
	ndigits = (len - hdr) / sizeof(int16);
	if (ndigits == 0)
	{
		out->m = 0;
		out->scale = 0;
		*fits = true;
		return INPUT_ZERO;
	}
	if (ndigits <= 9)
	{
		/* 10000^9 < 2^127: the digits always fit; place the point afterwards. */
		for (int i = 0; i < ndigits; i++)
		{
			int16		digit;

			memcpy(&digit, body + hdr + i * sizeof(int16), sizeof(int16));
			m = m * PF_NBASE + digit;
		}
		exponent = 4 * (weight - ndigits + 1);	/* value = m * 10^exponent */
		if (exponent >= 0)
		{
			if (exponent > PMS_DEC_MAX_SCALE ||
				__builtin_mul_overflow(m, PmsPow10(exponent), &m))
				goto done;
			out->scale = 0;
		}
		else if (-exponent > PMS_DEC_MAX_SCALE)
			goto done;
		else
			out->scale = -exponent;
		out->m = negative ? -m : m;
		PmsDecTrim(out);
		*fits = true;
	}
done:
	if ((Pointer) v != DatumGetPointer(d))
		pfree(v);
	return negative ? INPUT_NEGATIVE : INPUT_POSITIVE;
}

/* A fixed-point value as a canonical numeric (trailing fractional zeros removed). */
static Numeric
DecimalToNumeric(PmsDecimal a)
{
	char		buf[64];
	char	   *p = buf + sizeof(buf);
	unsigned __int128 u;
	int			digits = 0;

	PmsDecTrim(&a);
	if (a.m >= PG_INT64_MIN && a.m <= PG_INT64_MAX)
		return int64_div_fast_to_numeric((int64) a.m, a.scale);
	/* Wider than int64: spell it out. */
	u = a.m < 0 ? -(unsigned __int128) a.m : (unsigned __int128) a.m;
	*--p = '\0';
	while (u > 0 || digits <= a.scale)
	{
		if (digits == a.scale && a.scale > 0)
			*--p = '.';
		*--p = '0' + (int) (u % 10);
		u /= 10;
		digits++;
	}
	if (a.m < 0)
		*--p = '-';
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(p),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* Reads a numeric datum into fixed point; false when it is not finite or does not fit. */
bool
PositionFoldReadDecimal(Datum d, PmsDecimal *out)
{
	bool		fits;

	return ReadNumeric(d, out, &fits) != INPUT_SPECIAL && fits;
}

/* A fixed-point value as a numeric shown with places decimals (0..38), allocated in cxt. */
Datum
PositionFoldDecimalToNumeric(PmsDecimal a, int places, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Datum		result = DirectFunctionCall2(numeric_round,
											 NumericGetDatum(DecimalToNumeric(a)),
											 Int32GetDatum(places));

	MemoryContextSwitchTo(old);
	return result;
}

/* Numeric with trailing fractional zeros removed. */
static inline Numeric
NumTrim(Numeric n)
{
	return DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale, NumericGetDatum(n)));
}

/* Compares two numerics by value. */
static inline int
NumCmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
											 NumericGetDatum(b)));
}

/* Sign (-1, 0, 1) of a numeric. */
static inline int
NumSign(Numeric a)
{
	static const PmsDecimal zero = {0, 0};

	return NumCmp(a, DecimalToNumeric(zero));
}

/* n / d rounded half away from zero to POSITION_AVG_SCALE decimals, exactly, trimmed. */
static Numeric
NumDivRound(Numeric n, Numeric d)
{
	PmsDecimal	ten_pow = {PmsPow10(POSITION_AVG_SCALE), 0};
	PmsDecimal	tiny = {1, POSITION_AVG_SCALE};
	Numeric		n10 = numeric_mul_opt_error(n, DecimalToNumeric(ten_pow), NULL);
	Numeric		q = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc,
														NumericGetDatum(n10),
														NumericGetDatum(d)));
	Numeric		r = numeric_sub_opt_error(n10, numeric_mul_opt_error(q, d, NULL), NULL);

	if (NumSign(r) != 0)
	{
		Numeric		abs_r = DatumGetNumeric(DirectFunctionCall1(numeric_abs, NumericGetDatum(r)));
		Numeric		abs_d = DatumGetNumeric(DirectFunctionCall1(numeric_abs, NumericGetDatum(d)));

		if (NumCmp(numeric_add_opt_error(abs_r, abs_r, NULL), abs_d) >= 0)
		{
			PmsDecimal	unit = {(NumSign(n) * NumSign(d) < 0) ? -1 : 1, 0};

			q = numeric_add_opt_error(q, DecimalToNumeric(unit), NULL);
		}
	}
	return NumTrim(numeric_mul_opt_error(q, DecimalToNumeric(tiny), NULL));
}

/* The average a position opens at: the price rounded to POSITION_AVG_SCALE decimals, trimmed. */
static Numeric
NumOpeningAverage(Numeric p)
{
	return NumTrim(DatumGetNumeric(DirectFunctionCall2(numeric_round, NumericGetDatum(p),
													   Int32GetDatum(POSITION_AVG_SCALE))));
}

/* Copies a numeric into the aggregate context, freeing the value it replaces. */
static void
StoreNumeric(Numeric *slot, Numeric value, MemoryContext aggcontext)
{
	Numeric		copy = NULL;

	if (value != NULL)
	{
		copy = MemoryContextAlloc(aggcontext, VARSIZE(value));
		memcpy(copy, value, VARSIZE(value));
	}
	if (*slot != NULL)
		pfree(*slot);
	*slot = copy;
}

/* Moves a group from fixed point to numeric arithmetic (for good). */
static void
SwitchToNumeric(PositionFoldState *st, MemoryContext aggcontext)
{
	StoreNumeric(&st->quantity, DecimalToNumeric(st->fx.quantity), aggcontext);
	StoreNumeric(&st->avg_cost, st->fx.quantity.m == 0 ? NULL :
				 DecimalToNumeric(st->fx.avg_cost), aggcontext);
	StoreNumeric(&st->realized, DecimalToNumeric(st->fx.realized), aggcontext);
	st->fixed = false;
}

/* The same step as PositionFixedApply, in numeric arithmetic. */
static void
NumericApply(PositionFoldState *st, bool buy, Numeric q, Numeric p,
			 MemoryContext aggcontext)
{
	int			pos_sign = NumSign(st->quantity);
	Numeric		signed_q = buy ? q :
		DatumGetNumeric(DirectFunctionCall1(numeric_uminus, NumericGetDatum(q)));

	if (pos_sign == 0)
	{
		StoreNumeric(&st->quantity, signed_q, aggcontext);
		StoreNumeric(&st->avg_cost, NumOpeningAverage(p), aggcontext);
	}
	else if ((pos_sign > 0) == buy)
	{
		Numeric		abs_q = DatumGetNumeric(DirectFunctionCall1(numeric_abs,
																NumericGetDatum(st->quantity)));
		Numeric		num = numeric_add_opt_error(numeric_mul_opt_error(st->avg_cost, abs_q, NULL),
												numeric_mul_opt_error(p, q, NULL), NULL);
		Numeric		den = numeric_add_opt_error(abs_q, q, NULL);

		StoreNumeric(&st->avg_cost, NumDivRound(num, den), aggcontext);
		StoreNumeric(&st->quantity, numeric_add_opt_error(st->quantity, signed_q, NULL),
					 aggcontext);
	}
	else
	{
		Numeric		abs_q = DatumGetNumeric(DirectFunctionCall1(numeric_abs,
																NumericGetDatum(st->quantity)));
		int			cmp = NumCmp(q, abs_q);
		Numeric		closed = cmp < 0 ? q : abs_q;
		Numeric		diff = pos_sign > 0 ? numeric_sub_opt_error(p, st->avg_cost, NULL)
			: numeric_sub_opt_error(st->avg_cost, p, NULL);
		Numeric		pnl = numeric_mul_opt_error(numeric_mul_opt_error(diff, closed, NULL),
												st->mult, NULL);

		StoreNumeric(&st->realized, numeric_add_opt_error(st->realized, pnl, NULL), aggcontext);
		StoreNumeric(&st->quantity, numeric_add_opt_error(st->quantity, signed_q, NULL),
					 aggcontext);
		if (cmp == 0)
			StoreNumeric(&st->avg_cost, NULL, aggcontext);
		else if (cmp > 0)
			StoreNumeric(&st->avg_cost, NumOpeningAverage(p), aggcontext);
	}
}

/* Text of a numeric argument, for error details. */
static char *
NumericText(Datum d)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, d));
}

/* Raises 22004 for a NULL argument. */
static void
ReportNull(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("position_fold %s must not be null", what),
			 errdetail("Every folded execution needs a side, a quantity, a price and a price_multiplier."),
			 errhint("Filter out or complete the row before folding it.")));
}

/* Raises 22023 for an out-of-range numeric argument (or start state field). */
static void
ReportBadValue(const char *what, const char *rule, Datum value)
{
	bool		start = strncmp(what, "start ", 6) == 0;

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("position_fold %s must be %s", what, rule),
			 errdetail("The value given for %s is %s.", what, NumericText(value)),
			 start ? errhint("Pass a state made by pms.position_fold.") :
			 errhint("Quantities are positive (a sell is side SELL), prices are not negative and multipliers are positive.")));
}

/* Reads the side argument: true for BUY, false for SELL. */
static inline bool
CheckSide(Datum d)
{
	text	   *t = (text *) PG_DETOAST_DATUM_PACKED(d);
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);

	if (len == 3 && memcmp(s, "BUY", 3) == 0)
		return true;
	if (len == 4 && memcmp(s, "SELL", 4) == 0)
		return false;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("position_fold side \"%s\" is not BUY or SELL", text_to_cstring(t)),
			 errdetail("An execution's side is BUY or SELL, in upper case."),
			 errhint("Normalize the side before folding, as pms.executions does.")));
	return false;				/* keep the compiler quiet */
}

/* Reads a numeric argument, checking its sign against the rule (min_kind: lowest allowed). */
static inline void
CheckNumeric(Datum d, const char *what, InputKind min_kind, PmsDecimal *out, bool *fits)
{
	InputKind	kind = ReadNumeric(d, out, fits);

	if (kind == INPUT_SPECIAL)
		ReportBadValue(what, "a finite number", d);
	if (kind < min_kind)
		ReportBadValue(what, min_kind == INPUT_ZERO ? "zero or positive" : "positive", d);
}

/* Builds a new state (flat, or from a start pms.position_state). */
static PositionFoldState *
NewState(MemoryContext aggcontext, Datum mult, bool mult_fits, PmsDecimal mult_fx,
		 HeapTupleHeader start)
{
	PositionFoldState *st = MemoryContextAllocZero(aggcontext, sizeof(PositionFoldState));
	Numeric		m = DatumGetNumeric(mult);

	StoreNumeric(&st->mult, m, aggcontext);
	st->mult_fx = mult_fx;
	st->fixed = mult_fits;
	PositionFixedInit(&st->fx);
	if (start != NULL)
	{
		bool		isnull[5];
		Datum		field[5];
		PmsDecimal	val[3];
		bool		fits[3] = {true, true, true};
		InputKind	kind;
		static const char *const names[] = {"quantity", "avg_cost", "cost_basis", "realized_pnl", "trade_count"};

		for (int i = 0; i < 5; i++)
			field[i] = GetAttributeByNum(start, i + 1, &isnull[i]);
		for (int i = 0; i < 5; i++)
			if (isnull[i] && i != 1 && i != 2)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("position_fold start state has a null %s", names[i]),
						 errdetail("A start state is a pms.position_state made by pms.position_fold; only avg_cost (when flat) and cost_basis may be null."),
						 errhint("Pass NULL as the whole start state to fold from a flat position.")));
		kind = ReadNumeric(field[0], &val[0], &fits[0]);
		if (kind == INPUT_SPECIAL)
			ReportBadValue("start quantity", "a finite number", field[0]);
		if ((kind == INPUT_ZERO) != isnull[1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("position_fold start state is inconsistent"),
					 errdetail("Its quantity is %s but its avg_cost is %s.", NumericText(field[0]),
							   isnull[1] ? "null" : NumericText(field[1])),
					 errhint("A flat start state has a null avg_cost; any other has one.")));
		if (!isnull[1])
		{
			CheckNumeric(field[1], "start avg_cost", INPUT_ZERO, &val[1], &fits[1]);
		}
		else
			val[1] = (PmsDecimal) {0, 0};
		if (ReadNumeric(field[3], &val[2], &fits[2]) == INPUT_SPECIAL)
			ReportBadValue("start realized_pnl", "a finite number", field[3]);
		st->trade_count = DatumGetInt64(field[4]);
		if (st->trade_count < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("position_fold start trade_count must not be negative"),
					 errdetail("The start state has trade_count " INT64_FORMAT ".", st->trade_count),
					 errhint("Pass a state made by pms.position_fold.")));
		if (st->fixed && fits[0] && fits[1] && fits[2])
		{
			st->fx.quantity = val[0];
			st->fx.avg_cost = val[1];
			st->fx.realized = val[2];
		}
		else
		{
			st->fixed = false;
			StoreNumeric(&st->quantity, NumTrim(DatumGetNumeric(field[0])), aggcontext);
			StoreNumeric(&st->avg_cost, isnull[1] ? NULL : NumTrim(DatumGetNumeric(field[1])),
						 aggcontext);
			StoreNumeric(&st->realized, NumTrim(DatumGetNumeric(field[3])), aggcontext);
		}
	}
	else if (!st->fixed)
		SwitchToNumeric(st, aggcontext);
	return st;
}

/*
 * Starts a fold in cxt for an instrument's multiplier (a numeric datum), flat or
 * from a start pms.position_state (NULL: flat).
 */
PositionFoldState *
PositionFoldBegin(MemoryContext cxt, Datum mult, HeapTupleHeader start)
{
	PmsDecimal	m = {0, 0};
	bool		m_fits = true;

	mult = PointerGetDatum(PG_DETOAST_DATUM(mult));
	CheckNumeric(mult, "price_multiplier", INPUT_POSITIVE, &m, &m_fits);
	return NewState(cxt, mult, m_fits, m, start);
}

/* Applies one checked execution (read into q and p when they fit) to st. */
static inline void
ApplyChecked(PositionFoldState *st, MemoryContext cxt, bool buy, Datum quantity, PmsDecimal q,
			 bool q_fits, Datum price, PmsDecimal p, bool p_fits)
{
	if (st->fixed && (!q_fits || !p_fits ||
					  !PositionFixedApply(&st->fx, buy, q, p, st->mult_fx)))
		SwitchToNumeric(st, cxt);
	if (!st->fixed)
		NumericApply(st, buy, DatumGetNumeric(PG_DETOAST_DATUM(quantity)),
					 DatumGetNumeric(PG_DETOAST_DATUM(price)), cxt);
	st->trade_count++;
}

/* Folds one execution (quantity and price are numeric datums, checked here) into st. */
void
PositionFoldAdd(PositionFoldState *st, MemoryContext cxt, bool buy, Datum quantity, Datum price)
{
	PmsDecimal	q,
				p;
	bool		q_fits,
				p_fits;

	CheckNumeric(quantity, "quantity", INPUT_POSITIVE, &q, &q_fits);
	CheckNumeric(price, "price", INPUT_ZERO, &p, &p_fits);
	ApplyChecked(st, cxt, buy, quantity, q, q_fits, price, p, p_fits);
}

/* Folds one execution whose quantity (> 0) and price (>= 0) are already read into q and p. */
void
PositionFoldAddChecked(PositionFoldState *st, MemoryContext cxt, bool buy, Datum quantity,
					   PmsDecimal q, Datum price, PmsDecimal p)
{
	Assert(PmsDecSign(q) > 0 && PmsDecSign(p) >= 0);
	ApplyChecked(st, cxt, buy, quantity, q, true, price, p, true);
}

/* Shared transition step; arg is the position of the side argument. */
static Datum
PositionFoldStep(FunctionCallInfo fcinfo, int arg, bool with_start)
{
	MemoryContext aggcontext;
	PositionFoldState *st = PG_ARGISNULL(0) ? NULL : (PositionFoldState *) PG_GETARG_POINTER(0);
	static const char *const names[] = {"side", "quantity", "price", "price_multiplier"};
	PmsDecimal	q,
				p,
				m = {0, 0};
	bool		q_fits,
				p_fits,
				m_fits = true;
	bool		buy;
	Datum		mult;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("position_fold transition function called outside an aggregate"),
				 errdetail("It keeps its state in the aggregate's memory."),
				 errhint("Call pms.position_fold(...) as an aggregate.")));
	for (int i = 0; i < 4; i++)
		if (PG_ARGISNULL(arg + i))
			ReportNull(names[i]);
	buy = CheckSide(PG_GETARG_DATUM(arg));
	CheckNumeric(PG_GETARG_DATUM(arg + 1), "quantity", INPUT_POSITIVE, &q, &q_fits);
	CheckNumeric(PG_GETARG_DATUM(arg + 2), "price", INPUT_ZERO, &p, &p_fits);
	mult = PG_GETARG_DATUM(arg + 3);

	if (st == NULL)
	{
		st = PositionFoldBegin(aggcontext, mult,
							   with_start && !PG_ARGISNULL(1) ? PG_GETARG_HEAPTUPLEHEADER(1) : NULL);
	}
	else
	{
		struct varlena *v = (struct varlena *) DatumGetPointer(mult);

		if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v))
			v = pg_detoast_datum_packed(v);
		/* The same bytes as the first row's multiplier is the common case. */
		if (VARSIZE_ANY_EXHDR(v) != VARSIZE(st->mult) - VARHDRSZ ||
			memcmp(VARDATA_ANY(v), VARDATA(st->mult), VARSIZE(st->mult) - VARHDRSZ) != 0)
		{
			Numeric		given = DatumGetNumeric(PG_DETOAST_DATUM(mult));

			CheckNumeric(NumericGetDatum(given), "price_multiplier", INPUT_POSITIVE, &m, &m_fits);
			if (NumCmp(given, st->mult) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("position_fold price_multiplier changed within one position"),
						 errdetail("The fold started with price_multiplier %s and now has %s.",
								   NumericText(NumericGetDatum(st->mult)),
								   NumericText(NumericGetDatum(given))),
						 errhint("The multiplier belongs to the instrument: group the fold by instrument.")));
		}
	}

	ApplyChecked(st, aggcontext, buy, PG_GETARG_DATUM(arg + 1), q, q_fits,
				 PG_GETARG_DATUM(arg + 2), p, p_fits);
	PG_RETURN_POINTER(st);
}

/* Transition: position_fold(side, quantity, price, price_multiplier). */
Datum
pms_position_fold_transfn(PG_FUNCTION_ARGS)
{
	return PositionFoldStep(fcinfo, 1, false);
}

/* Transition: position_fold(start, side, quantity, price, price_multiplier). */
Datum
pms_position_fold_start_transfn(PG_FUNCTION_ARGS)
{
	return PositionFoldStep(fcinfo, 2, true);
}

/* The pms.position_state fields of a fold: values[5] and nulls[5]. */
void
PositionFoldResult(PositionFoldState *st, Datum *values, bool *nulls)
{
	PmsDecimal	cost;

	for (int i = 0; i < 5; i++)
		nulls[i] = false;
	if (st->fixed && PositionFixedCostBasis(&st->fx, st->mult_fx, &cost))
	{
		values[0] = NumericGetDatum(DecimalToNumeric(st->fx.quantity));
		nulls[1] = st->fx.quantity.m == 0;
		if (!nulls[1])
			values[1] = NumericGetDatum(DecimalToNumeric(st->fx.avg_cost));
		values[2] = NumericGetDatum(DecimalToNumeric(cost));
		values[3] = NumericGetDatum(DecimalToNumeric(st->fx.realized));
	}
	else
	{
		Numeric		quantity = st->fixed ? DecimalToNumeric(st->fx.quantity) : st->quantity;
		Numeric		avg = st->fixed ? (st->fx.quantity.m == 0 ? NULL : DecimalToNumeric(st->fx.avg_cost))
			: st->avg_cost;
		Numeric		realized = st->fixed ? DecimalToNumeric(st->fx.realized) : st->realized;
		PmsDecimal	zero = {0, 0};

		values[0] = NumericGetDatum(NumTrim(quantity));
		nulls[1] = avg == NULL;
		if (avg != NULL)
			values[1] = NumericGetDatum(NumTrim(avg));
		values[2] = NumericGetDatum(avg == NULL ? DecimalToNumeric(zero) :
									NumTrim(numeric_mul_opt_error(numeric_mul_opt_error(avg, quantity, NULL),
																  st->mult, NULL)));
		values[3] = NumericGetDatum(NumTrim(realized));
	}
	values[4] = Int64GetDatum(st->trade_count);
}

/* Final: the pms.position_state of the folded rows (NULL over no rows). */
Datum
pms_position_fold_finalfn(PG_FUNCTION_ARGS)
{
	PositionFoldState *st;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (PositionFoldState *) PG_GETARG_POINTER(0);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "pms.position_fold must return a composite type");
	tupdesc = BlessTupleDesc(tupdesc);
	PositionFoldResult(st, values, nulls);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
