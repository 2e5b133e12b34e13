/*
 * bond_kernel.c
 *		Times the pure bond core (no PostgreSQL) on the mixed book of
 *		bench/bond_analytics.sql: the same 100,000 bonds built from the same
 *		integer formulas (frequencies 1/2/4/12, the four day counts, coupons
 *		0-10%, maturities up to 40 years), so the SQL figures can be split into
 *		kernel time and PostgreSQL overhead.  Prints microseconds per bond and
 *		valuations per second for one valuation at a yield (BondMeasure), the
 *		three separate calls it replaces, a valuation from a clean price
 *		(BondMeasureFromPrice, and BondYield + BondMeasure as before), and one
 *		off an 11-point zero curve.  Best of five passes; figures, not a test.
 *		bench/bond_analytics.sh builds and runs it:
 *
 *   gcc -O2 -Isrc -o /tmp/bond_kernel bench/bond_kernel.c src/bond_math.c \
 *       src/bond_schedule.c src/bond_curve.c -lm
 *   /tmp/bond_kernel
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bond_math.h"

#define BONDS 100000
#define PASSES 5

/* The mixed book of bench/bond_analytics.sql, one bond per index i >= 1. */
static void
MakeBond(long i, BondTerms *b, double *yield, double *clean, double *spread)
{
	static const int frequencies[4] = {1, 2, 4, 12};
	int			start = BondDaysFromCivil(2026, 1, 1);

	b->settle = start + (int) (i * 7919 % 365);
	b->maturity = b->settle + 30 + (int) (i * 104729 % (40 * 365 - 30));
	b->coupon = (i * 31 % 41) * 0.0025;
	b->frequency = frequencies[i % 4];
	b->day_count = (BondDayCount) ((i / 4) % 4);
	*yield = 0.001 + (i * 17 % 97) * 0.001;
	*clean = 95.0 + *yield * 100.0;
	*spread = (i % 200) / 10000.0;
}

/* Seconds on a monotonic clock. */
static double
Now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Runs one kind of valuation over the book; returns the best pass in seconds. */
static double
TimeKind(int kind, const BondTerms *b, const double *y, const double *p, const double *s,
		 const BondCurve *curve, double *checksum)
{
	double		best = 1e30;

	for (int pass = 0; pass < PASSES; pass++)
	{
		double		started = Now();
		double		sum = 0.0;
		double		elapsed;

		for (int i = 0; i < BONDS; i++)
		{
			BondMeasures m;
			double		solved;

			switch (kind)
			{
				case 0:			/* one pass at a yield */
					if (BondMeasure(&b[i], y[i], &m) == BOND_OK)
						sum += m.clean + m.modified + m.dv01;
					break;
				case 1:			/* price, duration and DV01 as three calls */
					if (BondMeasure(&b[i], y[i], &m) == BOND_OK)
						sum += m.clean;
					if (BondMeasure(&b[i], y[i], &m) == BOND_OK)
						sum += m.modified;
					if (BondMeasure(&b[i], y[i], &m) == BOND_OK)
						sum += m.dv01;
					break;
				case 2:			/* one pass from a clean price */
					if (BondMeasureFromPrice(&b[i], p[i], &solved, &m) == BOND_OK)
						sum += solved + m.modified + m.dv01;
					break;
				case 3:			/* the yield, then the measures at it */
					if (BondYield(&b[i], p[i], &solved) == BOND_OK &&
						BondMeasure(&b[i], solved, &m) == BOND_OK)
						sum += solved + m.modified + m.dv01;
					break;
				case 4:			/* off a zero curve plus a spread */
					if (BondMeasureFromCurve(&b[i], curve, s[i], &solved, &m) == BOND_OK)
						sum += m.clean + m.modified + m.dv01;
					break;
			}
		}
		elapsed = Now() - started;
		if (elapsed < best)
			best = elapsed;
		*checksum = sum;
	}
	return best;
}

/* Builds the book, times each kind and prints the table. */
int
main(void)
{
	static const char *const names[5] = {
		"BondMeasure (one pass at a yield)",
		"three calls (price, duration, DV01)",
		"BondMeasureFromPrice (one pass)",
		"BondYield + BondMeasure",
		"BondMeasureFromCurve (11 points)"};
	static const double tenors[11] = {30 / 365.0, 91 / 365.0, 182 / 365.0, 1, 2, 3, 5, 7, 10, 20, 30};
	static const double rates[11] = {0.030, 0.031, 0.032, 0.034, 0.036, 0.037, 0.039, 0.040,
	0.041, 0.043, 0.044};
	BondCurve	curve = {11, tenors, rates};
	BondTerms  *b = malloc(sizeof(BondTerms) * BONDS);
	double	   *y = malloc(sizeof(double) * BONDS);
	double	   *p = malloc(sizeof(double) * BONDS);
	double	   *s = malloc(sizeof(double) * BONDS);

	if (b == NULL || y == NULL || p == NULL || s == NULL)
		return 1;
	for (long i = 1; i <= BONDS; i++)
		MakeBond(i, &b[i - 1], &y[i - 1], &p[i - 1], &s[i - 1]);
	printf("%-38s %10s %14s\n", "pure C kernel, 100K mixed bonds", "us/bond", "bonds/s");
	for (int kind = 0; kind < 5; kind++)
	{
		double		checksum;
		double		seconds = TimeKind(kind, b, y, p, s, &curve, &checksum);

		printf("%-38s %10.3f %14.0f   (checksum %.6g)\n", names[kind],
			   seconds * 1e6 / BONDS, BONDS / seconds, checksum);
	}
	free(b);
	free(y);
	free(p);
	free(s);
	return 0;
}
