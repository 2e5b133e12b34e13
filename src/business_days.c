/*
 * business_days.c
 *		Weekend-skipping business-day arithmetic (pure C, no PostgreSQL types).
 *
 * Day numbers count from 2000-01-01, a Saturday, as PostgreSQL's DateADT does.
 * Only weekends are skipped: pms has no holiday calendar yet, so a settlement
 * date that falls on a market holiday must be given explicitly.
 */
#include "business_days.h"

/* Day of week of a day number: 0 = Monday ... 6 = Sunday. */
static int
Weekday(int32_t day)
{
	int			w = (int) ((day + 5) % 7);	/* 2000-01-01 was a Saturday (5) */

	return w < 0 ? w + 7 : w;
}

/* Adds n business days to day (n >= 0), skipping Saturdays and Sundays. */
int32_t
AddBusinessDays(int32_t day, int n)
{
	while (Weekday(day) >= 5)
		day++;
	while (n > 0)
	{
		day++;
		if (Weekday(day) < 5)
			n--;
	}
	return day;
}
