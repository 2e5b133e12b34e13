/*
 * exposure_scan.h
 *		The bond sleeve of every account (or some) as of a date, as known at a
 *		time, in one pass over the live projection (exposure_scan.c).
 */
#ifndef PMS_EXPOSURE_SCAN_H
#define PMS_EXPOSURE_SCAN_H

#include "postgres.h"

#include "utils/array.h"
#include "utils/date.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "drift.h"

typedef struct ExposureScan ExposureScan;

/* One account's sleeve: duration and bucket weights of its valued bonds. */
typedef struct AccountSleeve
{
	bool		has_duration;	/* false: no valued bond */
	double		duration;
	double		weights[DRIFT_BUCKETS];
	int32		positions;		/* non-zero bond positions */
	int32		stale;			/* of which stale */
} AccountSleeve;

/*
 * Runs the scan (SPI must be connected); NULL clocks use pms.as_of /
 * pms.known_at; account_ids NULL means every account.  Allocates in cxt.
 */
extern ExposureScan *ExposureScanRun(Datum as_of, bool as_of_null, Datum known_at, bool known_null,
									 ArrayType *account_ids, MemoryContext cxt);

/* How many accounts the scan met (a size hint for maps keyed by account). */
extern int	ExposureScanAccounts(ExposureScan *s);

/* The as-of date and knowledge time the scan resolved. */
extern DateADT ExposureScanAsOf(ExposureScan *s);
extern TimestampTz ExposureScanKnownAt(ExposureScan *s);

/* The sleeve of an account; false (and an empty sleeve) when it holds no bond. */
extern bool ExposureScanSleeve(ExposureScan *s, const pg_uuid_t *account, AccountSleeve *out);

#endif							/* PMS_EXPOSURE_SCAN_H */
