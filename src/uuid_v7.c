/*
 * uuid_v7.c
 *		Time-ordered event ids: UUID version 7 (RFC 9562, section 5.7).
 *
 * Layout, most significant bit first: 48 bits of Unix time in milliseconds,
 * the version (0111), 12 bits of sub-millisecond fraction (RFC 9562 section
 * 6.2, method 3: the microseconds within the millisecond scaled to 0..4095),
 * the variant (10) and 62 random bits.  Ids made one after another sort in the
 * order they were made, so a B-tree on them grows at its right edge instead of
 * touching a random leaf per row.  The random bits come from pg_strong_random,
 * drawn for 64 ids at a time: one call per id costs more than the rest of a
 * COPY row's defaults together.
 *
 * Invariant: within one backend, every id is strictly greater than the one
 * before (as uuid values compare), even when the clock stands still or steps
 * back: the 60-bit time-and-fraction field then continues from the previous id
 * plus one.  Across backends ids are unique by their random bits, not ordered.
 * An id reveals when it was made, to the millisecond; pms ids carry no secrets.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

PG_FUNCTION_INFO_V1(pms_uuid_v7);

/* Microseconds from the Unix epoch to PostgreSQL's (2000-01-01). */
#define UNIX_TO_POSTGRES_USECS \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY)

/* Random bytes drawn ahead for the next ids, and how many of them are used. */
#define RANDOM_POOL_SIZE 512
static uint8 random_pool[RANDOM_POOL_SIZE];
static int	random_pool_used = RANDOM_POOL_SIZE;

/* Time-and-fraction field (ms << 12 | fraction) of the last id this backend made. */
static uint64 last_time_field = 0;

/* The 60-bit time-and-fraction field for now, kept above the previous one. */
static uint64
NextTimeField(void)
{
	int64		unix_us = GetCurrentTimestamp() + UNIX_TO_POSTGRES_USECS;
	uint64		field;

	if (unix_us < 0)
		unix_us = 0;
	field = ((uint64) (unix_us / 1000) << 12) |
		(uint64) ((unix_us % 1000) * 4096 / 1000);
	if (field <= last_time_field)
		field = last_time_field + 1;
	last_time_field = field;
	return field;
}

/* Copies n fresh random bytes (n divides RANDOM_POOL_SIZE) from the pool, refilling it. */
static void
TakeRandom(uint8 *out, int n)
{
	if (random_pool_used + n > RANDOM_POOL_SIZE)
	{
		if (!pg_strong_random(random_pool, RANDOM_POOL_SIZE))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not generate random values for a uuid"),
					 errdetail("The operating system's random number source failed."),
					 errhint("Check the server's random number source, then retry.")));
		random_pool_used = 0;
	}
	memcpy(out, random_pool + random_pool_used, n);
	/* A byte handed out is never handed out again. */
	memset(random_pool + random_pool_used, 0, n);
	random_pool_used += n;
}

/* pms.uuid_v7(): a new time-ordered UUID (version 7, RFC 9562). */
Datum
pms_uuid_v7(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *uuid = palloc(sizeof(pg_uuid_t));
	uint64		field = NextTimeField();
	uint64		ms = field >> 12;
	uint32		fraction = (uint32) (field & 0xFFF);
	int			i;

	TakeRandom(uuid->data + 8, 8);
	for (i = 0; i < 6; i++)
		uuid->data[i] = (uint8) (ms >> (40 - 8 * i));
	uuid->data[6] = (uint8) (0x70 | (fraction >> 8));
	uuid->data[7] = (uint8) (fraction & 0xFF);
	uuid->data[8] = (uint8) (0x80 | (uuid->data[8] & 0x3F));
	PG_RETURN_UUID_P(uuid);
}
