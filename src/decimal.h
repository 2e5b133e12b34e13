/*
 * decimal.h
 *		Exact fixed-point decimals for money, quantities, prices, rates and weights
 *		(pure C, no PostgreSQL types).
 *
 * A Dec is a signed 128-bit integer holding the value times 10^12: twelve
 * decimal places, magnitudes up to about 1.7e26.  Parsing is exact (a literal
 * with more than twelve significant decimal places, or of magnitude 1e18 or
 * more, is refused).  Addition and subtraction are exact; a product or
 * quotient is exact to 24 decimals internally and rounded half away from zero
 * to twelve.  DecDivFloor divides the raw integers, so floor(a / b) is exact.
 * Every operation reports overflow instead of wrapping.
 */
#ifndef PMS_DECIMAL_H
#define PMS_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>

typedef __int128 Dec;

#define DEC_DIGITS	12
#define DEC_ONE		((Dec) 1000000000000LL)

/* Result of parsing a JSON number literal into a Dec. */
typedef enum DecParseStatus
{
	DEC_OK = 0,
	DEC_SYNTAX,					/* not a JSON number */
	DEC_TOO_PRECISE,			/* non-zero digits beyond the twelfth decimal */
	DEC_TOO_LARGE				/* magnitude 1e18 or more */
} DecParseStatus;

/* Parses the JSON number literal s[0..len) exactly. */
extern DecParseStatus DecParse(const char *s, size_t len, Dec *out);

/* Integer n as a Dec. */
static inline Dec
DecFromInt(long long n)
{
	return (Dec) n * DEC_ONE;
}

/* a + b; false on overflow. */
extern bool DecAdd(Dec a, Dec b, Dec *out);

/* a - b; false on overflow. */
extern bool DecSub(Dec a, Dec b, Dec *out);

/* a * b rounded half away from zero to twelve decimals; false on overflow. */
extern bool DecMul(Dec a, Dec b, Dec *out);

/* a / b rounded half away from zero to twelve decimals; false on overflow or b = 0. */
extern bool DecDiv(Dec a, Dec b, Dec *out);

/* floor(|a| / |b|) as an integer-valued Dec; false on overflow or b = 0. */
extern bool DecDivFloor(Dec a, Dec b, Dec *out);

/* a rounded half away from zero to places (0..12) decimals. */
extern Dec	DecRound(Dec a, int places);

/* a rounded away from zero (ceiling of |a|) to places (0..12) decimals. */
extern Dec	DecRoundUp(Dec a, int places);

/* |a|. */
static inline Dec
DecAbs(Dec a)
{
	return a < 0 ? -a : a;
}

/*
 * Writes a rounded half away from zero to places decimals into buf (at least
 * 48 bytes), always with exactly places decimals; returns the length.
 */
extern int	DecFormat(Dec a, int places, char *buf);

/* Writes a exactly, without trailing fractional zeros (12 decimals at most). */
extern int	DecFormatTrim(Dec a, char *buf);

#endif							/* PMS_DECIMAL_H */
