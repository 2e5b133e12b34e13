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

/* One decimal check: op applied to a (and b), formatted, compared with want. */
typedef struct DecCase
{
	char		op;				/* r round, u round up, t trim, m mul, d div, f floor div, p parse status */
	const char *a;
	const char *b;				/* second operand, or places for r/u */
	const char *want;
} DecCase;

static const DecCase dec_cases[] = {
	{'r', "2.345", "2", "2.35"},	/* half away from zero */
	{'r', "-2.345", "2", "-2.35"},
	{'r', "2.344999999999", "2", "2.34"},
	{'u', "1.001", "2", "1.01"},
	{'t', "100.500000", NULL, "100.5"},
	{'t', "1e3", NULL, "1000"},
	{'t', "1.5E-2", NULL, "0.015"},
	{'m', "233.345", "1", "233.345"},
	{'m', "0.000000000001", "0.5", "0.000000000001"},	/* rounds half away at 12 places */
	{'m', "999999999999999999", "100", "99999999999999999900"},
	{'m', "999999999999999999", "999999999999999999", "overflow"},
	{'d', "1", "3", "0.333333333333"},
	{'d', "2", "3", "0.666666666667"},
	{'d', "50000", "0.9", "55555.555555555556"},
	{'f', "233.345", "33.335", "7"},	/* exact boundary */
	{'f', "233.344999999999", "33.335", "6"},
	{'p', "0.1234567890123", NULL, "too precise"},
	{'p', "0.1000000000000000", NULL, "ok"},
	{'p', "1000000000000000000", NULL, "too large"},
	{'p', "1.", NULL, "syntax"},
};

/* Unit checks of the fixed-point decimal (rounding, range, exactness). */
static int
SelfTest(void)
{
	static const char *const status[] = {"ok", "syntax", "too precise", "too large"};
	int			failures = 0;

	for (size_t k = 0; k < sizeof(dec_cases) / sizeof(dec_cases[0]); k++)
	{
		const DecCase *t = &dec_cases[k];
		Dec			a = 0,
					b = 0,
					r = 0;
		char		got[64];
		bool		ok = true;
		DecParseStatus st = DecParse(t->a, strlen(t->a), &a);

		if (t->b && t->op != 'r' && t->op != 'u')
			DecParse(t->b, strlen(t->b), &b);
		switch (t->op)
		{
			case 'r':
				DecFormat(a, atoi(t->b), got);
				break;
			case 'u':
				DecFormat(DecRoundUp(a, atoi(t->b)), atoi(t->b), got);
				break;
			case 'm':
				ok = DecMul(a, b, &r);
				break;
			case 'd':
				ok = DecDiv(a, b, &r);
				break;
			case 'f':
				ok = DecDivFloor(a, b, &r);
				break;
			case 't':
				r = a;
				break;
			default:
				snprintf(got, sizeof(got), "%s", status[st]);
		}
		if (strchr("mdft", t->op))
		{
			if (ok)
				DecFormatTrim(r, got);
			else
				snprintf(got, sizeof(got), "overflow");
		}
		if (strcmp(got, t->want) != 0)
		{
			printf("FAIL %c %s %s: got %s, want %s\n", t->op, t->a, t->b ? t->b : "", got, t->want);
			failures++;
		}
	}
	printf("%s (%d cases, %d failures)\n", failures ? "FAILED" : "decimal self-test passed",
		   (int) (sizeof(dec_cases) / sizeof(dec_cases[0])), failures);
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
