/*
 * messages.c
 *		Formatting helpers for error messages, independent of session settings.
 *
 * Messages are pinned in tests and read by people in many locales, so values in
 * them are written the same way whatever the session's DateStyle.
 */
#include "postgres.h"

#include "utils/datetime.h"

#include "pms.h"

/* A date as YYYY-MM-DD (palloc'd), whatever the session's DateStyle. */
char *
IsoDate(DateADT day)
{
	int			year,
				month,
				mday;

	if (DATE_IS_NOBEGIN(day))
		return pstrdup("-infinity");
	if (DATE_IS_NOEND(day))
		return pstrdup("infinity");
	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	return psprintf("%04d-%02d-%02d", year, month, mday);
}
