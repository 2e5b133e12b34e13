/*
 * decimal.c
 *		Fixed-point decimal arithmetic on 128-bit integers scaled by 10^12.
 *
 * Invariants: a Dec never wraps (every operation checks overflow and reports
 * it), rounding is half away from zero (like numeric's round()), and results
 * depend only on the operands, so the simulator is deterministic.  A product
 * is formed from the integer and fractional parts of both operands so that no
 * intermediate exceeds 128 bits for operands below 1e26.
 */
#include "decimal.h"

#include <string.h>

/* 10^n for n in 0..12. */
static const long long pow10_tab[] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL, 1000000000000LL
};

/* Parses the JSON number literal s[0..len) exactly. */
DecParseStatus
DecParse(const char *s, size_t len, Dec *out)
{
	size_t		i = 0;
	bool		neg = false;
	Dec			intpart = 0;
	Dec			frac = 0;
	int			fracdigits = 0;
	int			intdigits = 0;
	bool		toolarge = false;
	bool		tooprecise = false;
	long		exp = 0;

	if (i < len && s[i] == '-')
	{
		neg = true;
		i++;
	}
	if (i >= len || s[i] < '0' || s[i] > '9')
		return DEC_SYNTAX;
	/* Digits before the point: the integer part (leading zeros are harmless). */
	while (i < len && s[i] >= '0' && s[i] <= '9')
	{
		if (intpart != 0 || s[i] != '0')
			intdigits++;
		if (intdigits > 18)
			toolarge = true;
		else
			intpart = intpart * 10 + (s[i] - '0');
		i++;
	}
	if (i < len && s[i] == '.')
	{
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return DEC_SYNTAX;
		while (i < len && s[i] >= '0' && s[i] <= '9')
		{
			if (fracdigits < DEC_DIGITS)
				frac = frac * 10 + (s[i] - '0');
			else if (s[i] != '0')
				tooprecise = true;
			fracdigits++;
			i++;
		}
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		bool		eneg = false;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		if (i >= len || s[i] < '0' || s[i] > '9')
			return DEC_SYNTAX;
		while (i < len && s[i] >= '0' && s[i] <= '9')
		{
			if (exp < 100000)
				exp = exp * 10 + (s[i] - '0');
			i++;
		}
		if (eneg)
			exp = -exp;
	}
	if (i != len)
		return DEC_SYNTAX;
	if (fracdigits < DEC_DIGITS)
		frac *= pow10_tab[DEC_DIGITS - fracdigits];
	if (toolarge && exp <= 0)
		return DEC_TOO_LARGE;
	if (tooprecise && exp >= 0)
		return DEC_TOO_PRECISE;
	if (exp != 0)
	{
		/* Rare in practice (numeric output never uses exponents): shift digit by digit. */
		Dec			v = intpart * DEC_ONE + frac;

		if (toolarge || tooprecise)
			return toolarge ? DEC_TOO_LARGE : DEC_TOO_PRECISE;
		for (; exp > 0; exp--)
		{
			if (v > (Dec) 1000000000000000000LL * DEC_ONE / 10)
				return v == 0 ? DEC_OK : DEC_TOO_LARGE;
			v *= 10;
		}
		for (; exp < 0; exp++)
		{
			if (v % 10 != 0)
				return DEC_TOO_PRECISE;
			v /= 10;
		}
		if (v >= (Dec) 1000000000000000000LL * DEC_ONE)
			return DEC_TOO_LARGE;
		*out = neg ? -v : v;
		return DEC_OK;
	}
	*out = intpart * DEC_ONE + frac;
	if (neg)
		*out = -*out;
	return DEC_OK;
}

/* a + b; false on overflow. */
bool
DecAdd(Dec a, Dec b, Dec *out)
{
	return !__builtin_add_overflow(a, b, out);
}

/* a - b; false on overflow. */
bool
DecSub(Dec a, Dec b, Dec *out)
{
	return !__builtin_sub_overflow(a, b, out);
}

/* Product of non-negative a and b, rounded half up; false on overflow. */
static bool
MulAbs(Dec a, Dec b, Dec *out)
{
	Dec			qa = a / DEC_ONE,
				ra = a % DEC_ONE;
	Dec			qb = b / DEC_ONE,
				rb = b % DEC_ONE;
	Dec			t,
				sum;
	Dec			low = ra * rb;	/* < 1e24: fits */

	/* a*b/S = qa*qb*S + qa*rb + ra*qb + ra*rb/S */
	if (__builtin_mul_overflow(qa, qb, &t) || __builtin_mul_overflow(t, DEC_ONE, &sum))
		return false;
	if (__builtin_mul_overflow(qa, rb, &t) || __builtin_add_overflow(sum, t, &sum))
		return false;
	if (__builtin_mul_overflow(ra, qb, &t) || __builtin_add_overflow(sum, t, &sum))
		return false;
	t = low / DEC_ONE + ((low % DEC_ONE) * 2 >= DEC_ONE ? 1 : 0);
	if (__builtin_add_overflow(sum, t, &sum))
		return false;
	*out = sum;
	return true;
}

/* a * b rounded half away from zero to twelve decimals; false on overflow. */
bool
DecMul(Dec a, Dec b, Dec *out)
{
	bool		neg = (a < 0) != (b < 0);
	Dec			r;

	if (!MulAbs(DecAbs(a), DecAbs(b), &r))
		return false;
	*out = neg ? -r : r;
	return true;
}

/* a / b rounded half away from zero to twelve decimals; false on overflow or b = 0. */
bool
DecDiv(Dec a, Dec b, Dec *out)
{
	Dec			n = DecAbs(a),
				d = DecAbs(b);
	Dec			q,
				r,
				frac = 0;
	bool		neg = (a < 0) != (b < 0);

	if (d == 0)
		return false;
	q = n / d;
	r = n % d;
	if (d < (Dec) 1 << 80)
	{
		/* r * 10^12 < 2^80 * 2^40: fits. */
		Dec			x = r * DEC_ONE;

		frac = x / d;
		r = x % d;
	}
	else
	{
		for (int i = 0; i < DEC_DIGITS; i++)
		{
			r *= 10;
			frac = frac * 10 + r / d;
			r %= d;
		}
	}
	if (r >= d - r)
		frac++;
	if (__builtin_mul_overflow(q, DEC_ONE, &q) || __builtin_add_overflow(q, frac, &q))
		return false;
	*out = neg ? -q : q;
	return true;
}

/* floor(|a| / |b|) as an integer-valued Dec; false on overflow or b = 0. */
bool
DecDivFloor(Dec a, Dec b, Dec *out)
{
	if (b == 0)
		return false;
	return !__builtin_mul_overflow(DecAbs(a) / DecAbs(b), DEC_ONE, out);
}

/* a rounded half away from zero to places (0..12) decimals. */
Dec
DecRound(Dec a, int places)
{
	Dec			unit = pow10_tab[DEC_DIGITS - places];
	Dec			m = DecAbs(a);
	Dec			rem = m % unit;

	m -= rem;
	if (rem * 2 >= unit)
		m += unit;
	return a < 0 ? -m : m;
}

/* a rounded away from zero (ceiling of |a|) to places (0..12) decimals. */
Dec
DecRoundUp(Dec a, int places)
{
	Dec			unit = pow10_tab[DEC_DIGITS - places];
	Dec			m = DecAbs(a);
	Dec			rem = m % unit;

	if (rem != 0)
		m += unit - rem;
	return a < 0 ? -m : m;
}

/* Writes the decimal digits of non-negative v (at least one) into buf; returns the length. */
static int
WriteDigits(Dec v, char *buf)
{
	char		tmp[48];
	int			n = 0,
				len = 0;

	do
	{
		tmp[n++] = (char) ('0' + (int) (v % 10));
		v /= 10;
	} while (v > 0);
	while (n > 0)
		buf[len++] = tmp[--n];
	return len;
}

/* Writes a rounded to places decimals with exactly places decimals; returns the length. */
int
DecFormat(Dec a, int places, char *buf)
{
	Dec			r = DecRound(a, places);
	Dec			m = DecAbs(r);
	int			len = 0;

	if (r < 0)
		buf[len++] = '-';
	len += WriteDigits(m / DEC_ONE, buf + len);
	if (places > 0)
	{
		Dec			frac = (m % DEC_ONE) / pow10_tab[DEC_DIGITS - places];

		buf[len++] = '.';
		for (int i = places - 1; i >= 0; i--)
		{
			buf[len + i] = (char) ('0' + (int) (frac % 10));
			frac /= 10;
		}
		len += places;
	}
	buf[len] = '\0';
	return len;
}

/* Writes a exactly, without trailing fractional zeros; returns the length. */
int
DecFormatTrim(Dec a, char *buf)
{
	int			len = DecFormat(a, DEC_DIGITS, buf);

	while (buf[len - 1] == '0')
		len--;
	if (buf[len - 1] == '.')
		len--;
	buf[len] = '\0';
	return len;
}
