/*
 * position_fold.c
 *		Exact fixed-point arithmetic and the weighted-average-cost fold step
 *		(pure C, no PostgreSQL types).
 *
 * Invariants: a PmsDecimal's scale is within [0, PMS_DEC_MAX_SCALE]; every
 * function either computes its exact result or returns false without writing
 * its output, so a failed PositionFixedApply leaves the state as it was and
 * the caller can continue the same fold in arbitrary precision.  The average
 * cost is the only rounded value: half away from zero to POSITION_AVG_SCALE
 * decimals, whenever a trade opens or increases a position.
 */
#include "position_fold.h"

#define INT128_MAX_VALUE ((pms_int128) (((unsigned __int128) 1 << 127) - 1))

static const int64_t pow10_64[19] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL
};

/* 10^n for 0 <= n <= 38. */
pms_int128
PmsPow10(int n)
{
	if (n <= 18)
		return pow10_64[n];
	if (n <= 36)
		return (pms_int128) pow10_64[n - 18] * pow10_64[18];
	return (pms_int128) pow10_64[n - 36] * pow10_64[18] * pow10_64[18];
}

/* Absolute value; the mantissa never holds INT128_MIN (every result is overflow-checked against it). */
static inline pms_int128
Abs128(pms_int128 v)
{
	return v < 0 ? -v : v;
}

/* True when v is a legal mantissa (INT128_MIN is excluded so negation is always safe). */
static inline bool
MantissaOk(pms_int128 v)
{
	return v >= -INT128_MAX_VALUE;
}

/* Removes trailing fractional zeros (same value, smallest scale). */
void
PmsDecTrim(PmsDecimal *a)
{
	if (a->m == 0)
	{
		a->scale = 0;
		return;
	}
	if (a->m >= INT64_MIN + 1 && a->m <= INT64_MAX)
	{
		int64_t		v = (int64_t) a->m;

		while (a->scale > 0 && v % 10 == 0)
		{
			v /= 10;
			a->scale--;
		}
		a->m = v;
		return;
	}
	while (a->scale > 0 && a->m % 10 == 0)
	{
		a->m /= 10;
		a->scale--;
	}
}

/* Rescales a to a larger scale exactly; false when the mantissa would overflow. */
static inline bool
Upscale(PmsDecimal *a, int scale)
{
	pms_int128	m;

	if (scale == a->scale)
		return true;
	if (scale > PMS_DEC_MAX_SCALE)
		return false;
	if (__builtin_mul_overflow(a->m, PmsPow10(scale - a->scale), &m) || !MantissaOk(m))
		return false;
	a->m = m;
	a->scale = scale;
	return true;
}

/* Brings a and b to a common scale; false when that does not fit. */
static bool
Align(PmsDecimal *a, PmsDecimal *b)
{
	int			scale = a->scale > b->scale ? a->scale : b->scale;
	PmsDecimal	ta = *a,
				tb = *b;

	if (Upscale(&ta, scale) && Upscale(&tb, scale))
	{
		*a = ta;
		*b = tb;
		return true;
	}
	/* Trailing zeros may be all that is in the way. */
	PmsDecTrim(&ta);
	PmsDecTrim(&tb);
	scale = ta.scale > tb.scale ? ta.scale : tb.scale;
	if (Upscale(&ta, scale) && Upscale(&tb, scale))
	{
		*a = ta;
		*b = tb;
		return true;
	}
	return false;
}

/* r = a + b, exactly; false when it does not fit. */
bool
PmsDecAdd(PmsDecimal a, PmsDecimal b, PmsDecimal *r)
{
	pms_int128	m;

	if (!Align(&a, &b) || __builtin_add_overflow(a.m, b.m, &m) || !MantissaOk(m))
		return false;
	r->m = m;
	r->scale = a.scale;
	return true;
}

/* r = a - b, exactly; false when it does not fit (negation is safe: no mantissa is INT128_MIN). */
bool
PmsDecSub(PmsDecimal a, PmsDecimal b, PmsDecimal *r)
{
	b.m = -b.m;
	return PmsDecAdd(a, b, r);
}

/* r = a * b, exactly; false when it does not fit. */
bool
PmsDecMul(PmsDecimal a, PmsDecimal b, PmsDecimal *r)
{
	PmsDecimal	t;

	if (a.scale + b.scale > PMS_DEC_MAX_SCALE)
	{
		PmsDecTrim(&a);
		PmsDecTrim(&b);
		if (a.scale + b.scale > PMS_DEC_MAX_SCALE)
			return false;
	}
	if (__builtin_mul_overflow(a.m, b.m, &t.m) || !MantissaOk(t.m))
		return false;
	t.scale = a.scale + b.scale;
	*r = t;
	return true;
}

/* r = n / d rounded half away from zero to scale decimals (d != 0); false when it does not fit. */
bool
PmsDecDivRound(PmsDecimal n, PmsDecimal d, int scale, PmsDecimal *r)
{
	/* n/d = (n.m / d.m) * 10^(d.scale - n.scale); we want q = n/d * 10^scale. */
	int			shift = scale + d.scale - n.scale;
	pms_int128	num = n.m,
				den = d.m,
				q,
				rem;

	if (den == 0)
		return false;
	while (shift < 0)
	{
		/* Scale the divisor up, or failing that, trim it. */
		int			step = -shift > 18 ? 18 : -shift;

		if (__builtin_mul_overflow(den, (pms_int128) pow10_64[step], &den) || !MantissaOk(den))
			return false;
		shift += step;
	}
	if (shift > 0)
	{
		if (shift > PMS_DEC_MAX_SCALE)
			return false;
		if (__builtin_mul_overflow(num, PmsPow10(shift), &num) || !MantissaOk(num))
			return false;
	}
	q = num / den;
	rem = num % den;
	/* |rem| >= |den| / 2 rounds away from zero; written so that nothing overflows. */
	if (rem != 0 && Abs128(rem) >= Abs128(den) - Abs128(rem))
		q += ((num < 0) != (den < 0)) ? -1 : 1;
	r->m = q;
	r->scale = scale;
	return true;
}

/* Compares a and b by value into *cmp (-1, 0, 1); false when they cannot be aligned. */
bool
PmsDecCmp(PmsDecimal a, PmsDecimal b, int *cmp)
{
	if (PmsDecSign(a) != PmsDecSign(b))
	{
		*cmp = PmsDecSign(a) < PmsDecSign(b) ? -1 : 1;
		return true;
	}
	if (!Align(&a, &b))
		return false;
	*cmp = (a.m > b.m) - (a.m < b.m);
	return true;
}

/* The flat position: quantity 0, realized 0. */
void
PositionFixedInit(PositionFixed *s)
{
	s->quantity.m = 0;
	s->quantity.scale = 0;
	s->avg_cost.m = 0;
	s->avg_cost.scale = 0;
	s->realized.m = 0;
	s->realized.scale = 0;
}

/* A price rounded to the average's scale: the average a fresh position opens at. */
static bool
OpeningAverage(PmsDecimal p, PmsDecimal *avg)
{
	PmsDecimal	one = {1, 0};

	if (p.scale <= POSITION_AVG_SCALE)
	{
		*avg = p;
		return true;
	}
	if (!PmsDecDivRound(p, one, POSITION_AVG_SCALE, avg))
		return false;
	PmsDecTrim(avg);
	return true;
}

/*
 * Folds one execution into *s (see position_fold.h).  Weighted average cost:
 * a trade in the direction of the position moves the average; a trade against
 * it realizes (price - avg) * closed * mult for a long, (avg - price) * closed
 * * mult for a short, leaves the average alone, and when it crosses zero opens
 * the remainder at the trade's price.
 */
bool
PositionFixedApply(PositionFixed *s, bool buy, PmsDecimal q, PmsDecimal p,
				   PmsDecimal mult)
{
	PositionFixed t = *s;
	PmsDecimal	signed_q = q;
	int			pos_sign = PmsDecSign(s->quantity);

	if (!buy)
		signed_q.m = -q.m;

	if (pos_sign == 0)
	{
		/* Flat: open at the trade's price. */
		t.quantity = signed_q;
		if (!OpeningAverage(p, &t.avg_cost))
			return false;
	}
	else if ((pos_sign > 0) == buy)
	{
		/* Increase: new avg = (avg * |Q| + p * q) / (|Q| + q), rounded. */
		PmsDecimal	abs_q = s->quantity,
					held,
					added,
					num,
					den;

		abs_q.m = Abs128(abs_q.m);
		if (!PmsDecMul(s->avg_cost, abs_q, &held) ||
			!PmsDecMul(p, q, &added) ||
			!PmsDecAdd(held, added, &num) ||
			!PmsDecAdd(abs_q, q, &den) ||
			!PmsDecDivRound(num, den, POSITION_AVG_SCALE, &t.avg_cost) ||
			!PmsDecAdd(s->quantity, signed_q, &t.quantity))
			return false;
		PmsDecTrim(&t.avg_cost);
	}
	else
	{
		/* Reduce, close, or cross zero. */
		PmsDecimal	abs_q = s->quantity,
					closed,
					diff,
					pnl;
		int			cmp;

		abs_q.m = Abs128(abs_q.m);
		if (!PmsDecCmp(q, abs_q, &cmp))
			return false;
		closed = cmp < 0 ? q : abs_q;
		if (!(pos_sign > 0 ? PmsDecSub(p, s->avg_cost, &diff)
			  : PmsDecSub(s->avg_cost, p, &diff)) ||
			!PmsDecMul(diff, closed, &pnl) ||
			!PmsDecMul(pnl, mult, &pnl) ||
			!PmsDecAdd(s->realized, pnl, &t.realized) ||
			!PmsDecAdd(s->quantity, signed_q, &t.quantity))
			return false;
		if (cmp == 0)
		{
			t.quantity.m = 0;
			t.quantity.scale = 0;
			t.avg_cost.m = 0;
			t.avg_cost.scale = 0;
		}
		else if (cmp > 0 && !OpeningAverage(p, &t.avg_cost))
			return false;
	}
	*s = t;
	return true;
}

/* cost_basis = avg_cost * quantity * mult (0 when flat); false when it does not fit. */
bool
PositionFixedCostBasis(const PositionFixed *s, PmsDecimal mult, PmsDecimal *r)
{
	PmsDecimal	t;

	if (s->quantity.m == 0)
	{
		r->m = 0;
		r->scale = 0;
		return true;
	}
	if (!PmsDecMul(s->avg_cost, s->quantity, &t) || !PmsDecMul(t, mult, &t))
		return false;
	*r = t;
	return true;
}
