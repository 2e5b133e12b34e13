/*
 * bond_math_fuzz.c
 *		Fuzzes the pure bond core (src/bond_math.c, src/bond_schedule.c)
 *		without PostgreSQL.
 *
 * Two million deterministic pseudo-random calls of BondYield (xorshift, fixed
 * seed) over dates from 1726 to 2273, terms up to 219 years, coupons 0-30%,
 * frequencies 1/2/4/12 and an invalid 3, all four day counts and clean prices
 * from 2e-9 to 5e8.  Checks that every call returns (the solver never loops),
 * that it never reports non-convergence, and that every yield it returns
 * reprices the bond to 1e-10 (relative).  Exits 1 on a failure.  Build and run:
 *
 *   gcc -O2 -Isrc -o /tmp/bond_math_fuzz test/fuzz/bond_math_fuzz.c src/bond_math.c \
 *       src/bond_schedule.c -lm
 *   /tmp/bond_math_fuzz
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "bond_math.h"

static uint64_t state = 88172645463325252ULL;

/* Next xorshift64 value. */
static uint64_t
Next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* Uniform double in [0, 1). */
static double
Uniform(void)
{
	return (Next() >> 11) * (1.0 / 9007199254740992.0);
}

/* Runs the fuzz loop and prints a status histogram. */
int
main(void)
{
	static const int frequencies[5] = {1, 2, 4, 12, 3};
	long		counts[BOND_ERR_NO_CONVERGENCE + 1] = {0};
	long		failures = 0;
	double		worst = 0.0;

	for (long i = 0; i < 2000000; i++)
	{
		BondTerms	t;
		BondMeasures m;
		BondStatus	st;
		double		price = exp((Uniform() - 0.5) * 40.0);
		double		yield;

		t.settle = (int) (Next() % 200000) - 100000;
		t.maturity = t.settle + (int) (Next() % 80000) - 100;
		t.coupon = (Next() % 8 == 0) ? 0.0 : Uniform() * 0.3;
		t.frequency = frequencies[Next() % 5];
		t.day_count = (BondDayCount) (Next() % 4);
		st = BondYield(&t, price, &yield);
		counts[st]++;
		if (st == BOND_ERR_NO_CONVERGENCE)
			failures++;
		if (st == BOND_OK && BondMeasure(&t, yield, &m) == BOND_OK)
		{
			double		rel = fabs(m.clean - price) / fmax(price, m.accrued);

			if (!(rel <= 1e-10))
			{
				if (failures++ < 10)
					printf("reprice: settle %d maturity %d coupon %.17g frequency %d day count %d price %.17g yield %.17g clean %.17g\n",
						   t.settle, t.maturity, t.coupon, t.frequency, (int) t.day_count, price, yield, m.clean);
			}
			worst = fmax(worst, rel);
		}
	}
	for (int k = 0; k <= BOND_ERR_NO_CONVERGENCE; k++)
		printf("status %2d: %ld\n", k, counts[k]);
	printf("failures %ld, worst relative reprice error %.2g\n", failures, worst);
	return failures == 0 ? 0 : 1;
}
