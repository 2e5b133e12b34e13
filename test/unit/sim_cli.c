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

/* Entry point: sim_cli [file]. */
int
main(int argc, char **argv)
{
	SimAlloc	mem = {MallocAlloc, NULL};
	SimError	err;
	FILE	   *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
	size_t		len,
				outlen;
	char	   *text,
			   *out;
	const char *status;

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
