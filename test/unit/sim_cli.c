/*
 * sim_cli.c
 *		Runs the pure simulator core outside PostgreSQL: reads a request from a
 *		file (or stdin) and prints the response, or the error with its path.
 *		Used by test/unit/run.sh (unit checks and a standalone mutation run).
 */
#include "simulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* malloc-backed allocator; the process exits soon after, so nothing is freed. */
static void *
MallocAlloc(void *ctx, size_t size)
{
	void	   *p = malloc(size);

	if (p == NULL)
	{
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return p;
}

/* Reads a whole stream. */
static char *
ReadAll(FILE *f, size_t *len)
{
	size_t		cap = 65536,
				n = 0,
				r;
	char	   *buf = malloc(cap);

	while ((r = fread(buf + n, 1, cap - n, f)) > 0)
	{
		n += r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	*len = n;
	return buf;
}

/* Checks one decimal expectation; counts failures. */
static int	failures = 0;
static void
Expect(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0)
	{
		printf("FAIL %s: got %s, want %s\n", what, got, want);
		failures++;
	}
}

/* Parses s, failing loudly on error. */
static Dec
P(const char *s)
{
	Dec			d = 0;

	if (DecParse(s, strlen(s), &d) != DEC_OK)
	{
		printf("FAIL parse %s\n", s);
		failures++;
	}
	return d;
}

/* Unit checks of the fixed-point decimal (rounding, range, exactness). */
static int
SelfTest(void)
{
	char		buf[64];
	Dec			r;

	DecFormat(P("2.345"), 2, buf);
	Expect("round half away 2.345", buf, "2.35");
	DecFormat(P("-2.345"), 2, buf);
	Expect("round half away -2.345", buf, "-2.35");
	DecFormat(P("2.344999999999"), 2, buf);
	Expect("round 2.344999999999", buf, "2.34");
	DecFormat(DecRoundUp(P("1.001"), 2), 2, buf);
	Expect("round up 1.001", buf, "1.01");
	DecFormatTrim(P("100.500000"), buf);
	Expect("trim", buf, "100.5");
	DecFormatTrim(P("1e3"), buf);
	Expect("exponent", buf, "1000");
	DecFormatTrim(P("1.5E-2"), buf);
	Expect("negative exponent", buf, "0.015");
	DecMul(P("233.345"), P("1"), &r);
	DecFormatTrim(r, buf);
	Expect("mul exact", buf, "233.345");
	DecMul(P("0.000000000001"), P("0.5"), &r);
	DecFormatTrim(r, buf);
	Expect("mul rounds half away at 12 places", buf, "0.000000000001");
	DecMul(P("999999999999999999"), P("100"), &r);
	DecFormatTrim(r, buf);
	Expect("mul large", buf, "99999999999999999900");
	Expect("mul overflow", DecMul(P("999999999999999999"), P("999999999999999999"), &r) ? "ok" : "overflow", "overflow");
	DecDiv(P("1"), P("3"), &r);
	DecFormatTrim(r, buf);
	Expect("div 1/3", buf, "0.333333333333");
	DecDiv(P("2"), P("3"), &r);
	DecFormatTrim(r, buf);
	Expect("div 2/3 rounds", buf, "0.666666666667");
	DecDiv(P("50000"), P("0.9"), &r);
	DecFormatTrim(r, buf);
	Expect("div by rate", buf, "55555.555555555556");
	DecDivFloor(P("233.345"), P("33.335"), &r);
	DecFormatTrim(r, buf);
	Expect("floor exact boundary", buf, "7");
	DecDivFloor(P("233.344999999999"), P("33.335"), &r);
	DecFormatTrim(r, buf);
	Expect("floor just below boundary", buf, "6");
	Expect("too precise", DecParse("0.1234567890123", 15, &r) == DEC_TOO_PRECISE ? "yes" : "no", "yes");
	Expect("trailing zeros beyond 12 places", DecParse("0.1000000000000000", 18, &r) == DEC_OK ? "yes" : "no", "yes");
	Expect("too large", DecParse("1000000000000000000", 19, &r) == DEC_TOO_LARGE ? "yes" : "no", "yes");
	Expect("syntax", DecParse("1.", 2, &r) == DEC_SYNTAX ? "yes" : "no", "yes");
	printf("%s (%d failures)\n", failures ? "FAILED" : "decimal self-test passed", failures);
	return failures ? 1 : 0;
}

/* Entry point: sim_cli [file] | sim_cli --selftest. */
int
main(int argc, char **argv)
{
	SimAlloc	mem = {MallocAlloc, NULL};
	SimError	err;
	FILE	   *f;
	size_t		len,
				outlen;
	char	   *text,
			   *out;
	const char *status;

	if (argc > 1 && strcmp(argv[1], "--selftest") == 0)
		return SelfTest();
	f = argc > 1 ? fopen(argv[1], "rb") : stdin;
	if (f == NULL)
	{
		perror(argv[1]);
		return 2;
	}
	text = ReadAll(f, &len);
	out = SimSimulateText(text, len, "0000000000000000000000000000000000000000000000000000000000000000",
						  &mem, NULL, NULL, &err, &outlen, &status);
	if (out == NULL)
	{
		printf("ERROR %d: %s\n%s\n", err.kind, err.message, err.detail);
		return 1;
	}
	fwrite(out, 1, outlen, stdout);
	putchar('\n');
	return 0;
}
