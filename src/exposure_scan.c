/*
 * exposure_scan.c
 *		pms.account_exposures: the bond sleeve of every account (or some) as of a
 *		date, as known at a time, in one pass: duration and maturity-bucket weights.
 *
 * Each bond is valued once (pms.instrument_valuations, converted to the FX
 * pivot); then the live position projection is read once and each position
 * adds quantity x value to its account.  For all accounts the projection is
 * scanned directly (no executor per row); for some accounts it is read by
 * index through SPI.  A past date or an earlier knowledge time rewinds the
 * projection: the signed quantities of live fills dated after the as-of date
 * (or recorded after known_at) are taken off, and fills whose cancel was
 * recorded after known_at are put back, so the cost grows with the history
 * after the as-of date, not with the whole history.  Only quantities matter
 * here, and a quantity is a plain sum, so the rewind is exact.
 *
 * Sums are exact and order-free: each position's value (to 1e-9 of the pivot
 * currency) and value x duration are rounded to 128-bit integers before they
 * are added, so a physically reordered table gives the same bits.
 *
 * Projection rows come in no particular account order, so each row is a
 * random access into the account hash and the account's sums; rows are taken
 * in batches whose hash slots and sums are prefetched before they are used.
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "drift.h"
#include "exposure_scan.h"
#include "pms.h"
#include "position_fold_pg.h"

PG_FUNCTION_INFO_V1(pms_account_exposures);

/* Value units per pivot-currency unit in the exact sums. */
#define VALUE_SCALE 1e9

/* A bond's valuation per unit of quantity, in the FX pivot. */
typedef struct BondEntry
{
	pg_uuid_t	instrument_id;	/* hash key */
	uint32		hash;			/* stored, so probing never rehashes */
	char		status;			/* simplehash slot status */
	bool		stale;			/* no price, curve or FX rate: left out */
	int			bucket;			/* maturity bucket index */
	double		unit_value;		/* (clean price + accrued) x multiplier x FX rate */
	double		duration;		/* modified duration */
} BondEntry;

/* An account's slot in the hash: its id and where its sums are. */
typedef struct AccountSlot
{
	pg_uuid_t	account_id;		/* hash key */
	uint32		hash;			/* stored, so probing never rehashes */
	char		status;			/* simplehash slot status */
	int32		index;			/* into ExposureScan.sums */
} AccountSlot;

/* One account's running sums; its id is in ExposureScan.ids. */
typedef struct AccountEntry
{
	int32		positions;		/* non-zero bond positions */
	int32		stale;			/* of which stale */
	pms_int128	duration_value; /* sum of value x duration, VALUE_SCALE units */
	pms_int128	buckets[DRIFT_BUCKETS]; /* value per bucket, VALUE_SCALE units */
} AccountEntry;

/* A projection row read but not yet added (see ScanProjection). */
typedef struct PendingRow
{
	pg_uuid_t	account_id;
	pg_uuid_t	instrument_id;
	uint32		hash;			/* of account_id */
	int32		index;			/* into ExposureScan.sums */
	PmsDecimal	quantity;
} PendingRow;

/* Rows per prefetch batch. */
#define BATCH_ROWS 32

/* A correction of one position: the quantity to add to the projection's. */
typedef struct RewindKey
{
	pg_uuid_t	account_id;
	pg_uuid_t	instrument_id;
} RewindKey;

typedef struct RewindEntry
{
	RewindKey	key;			/* hash key */
	uint32		hash;			/* stored, so probing never rehashes */
	char		status;			/* simplehash slot status */
	bool		applied;		/* met in the projection */
	PmsDecimal	delta;			/* signed quantity to add */
} RewindEntry;

/* Mixes 64 bits (the MurmurHash3 finalizer). */
static inline uint64
Mix64(uint64 h)
{
	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

/* Hash of a uuid: both halves mixed (any part of a uuid may be constant). */
static inline uint32
UuidHash(const pg_uuid_t *u)
{
	uint64		a;
	uint64		b;

	memcpy(&a, u->data, 8);
	memcpy(&b, u->data + 8, 8);
	return (uint32) Mix64(a * UINT64CONST(0x9e3779b97f4a7c15) ^ b);
}

/* Hash of an (account, instrument) pair from the hashes of its two ids. */
static inline uint32
CombineHashes(uint32 account_hash, uint32 instrument_hash)
{
	return (uint32) Mix64(((uint64) account_hash << 32) | instrument_hash);
}

/* Hash of an (account, instrument) pair. */
static inline uint32
PairHash(const RewindKey *k)
{
	return CombineHashes(UuidHash(&k->account_id), UuidHash(&k->instrument_id));
}

#define SH_PREFIX bondmap
#define SH_ELEMENT_TYPE BondEntry
#define SH_KEY_TYPE pg_uuid_t
#define SH_KEY instrument_id
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_HASH_KEY(tb, key) UuidHash(&(key))
#define SH_EQUAL(tb, a, b) (memcmp((a).data, (b).data, UUID_LEN) == 0)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

#define SH_PREFIX accountmap
#define SH_ELEMENT_TYPE AccountSlot
#define SH_KEY_TYPE pg_uuid_t
#define SH_KEY account_id
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_HASH_KEY(tb, key) UuidHash(&(key))
#define SH_EQUAL(tb, a, b) (memcmp((a).data, (b).data, UUID_LEN) == 0)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

#define SH_PREFIX rewindmap
#define SH_ELEMENT_TYPE RewindEntry
#define SH_KEY_TYPE RewindKey
#define SH_KEY key
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_HASH_KEY(tb, k) PairHash(&(k))
#define SH_EQUAL(tb, a, b) (memcmp(&(a), &(b), sizeof(RewindKey)) == 0)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* Everything one scan works with. */
struct ExposureScan
{
	DateADT		as_of;
	TimestampTz known_at;
	bool		settle_basis;
	ArrayType  *account_ids;	/* NULL: every account */
	bondmap_hash *bonds;
	accountmap_hash *accounts;
	AccountEntry *sums;			/* one per account met, in order of first sight */
	pg_uuid_t  *ids;			/* the id of each */
	int			nsums;
	int			maxsums;
	rewindmap_hash *rewinds;
	uint64	   *rewind_bits;	/* filter: bit (pair hash mod REWIND_BITS) set for each correction */
};

/* Bits in the correction filter (512 kB: stays in cache while the projection streams by). */
#define REWIND_BITS (UINT64CONST(1) << 22)

/* A quantity datum as an exact decimal; numeric too large for one is refused. */
static PmsDecimal
ReadQuantity(Datum d)
{
	PmsDecimal	q;

	if (!PositionFoldReadDecimal(d, &q))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("position quantity %s is out of range for drift",
						DatumGetCString(DirectFunctionCall1(numeric_out, d))),
				 errdetail("Drift reads quantities with up to 38 significant digits.")));
	return q;
}

/* An exact decimal as a float8. */
static double
DecimalToDouble(PmsDecimal q)
{
	double		v = (double) q.m;

	for (int i = 0; i < q.scale; i++)
		v /= 10.0;
	return v;
}

/* Reports a value too large for the exact sums. */
static void
ValueOutOfRange(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("bond values of an account are out of range for drift"),
			 errdetail("Drift sums values to 1e-9 of the FX pivot currency in 128 bits (up to about 1e26)."),
			 errhint("Check the quantities and prices of the account's bond positions.")));
}

/* Adds x, as units of 1 / VALUE_SCALE (rounded half to even), to *sum. */
static inline void
AddUnits(pms_int128 *sum, double x)
{
	double		scaled = rint(x * VALUE_SCALE);
	__int128	result;			/* naturally aligned, unlike *sum */

	if (!(fabs(scaled) < 1.0e35) || __builtin_add_overflow((__int128) *sum, (__int128) scaled, &result))
		ValueOutOfRange();
	*sum = result;
}

/* Runs a read-only SPI query with the as-of date and knowledge time as $1 and $2 (and account ids as $3). */
static void
RunQuery(ExposureScan *s, const char *sql, int nargs)
{
	Oid			types[3] = {DATEOID, TIMESTAMPTZOID, UUIDARRAYOID};
	Datum		values[3];
	char		nulls[3] = {' ', ' ', ' '};
	int			rc;

	values[0] = DateADTGetDatum(s->as_of);
	values[1] = TimestampTzGetDatum(s->known_at);
	values[2] = s->account_ids ? PointerGetDatum(s->account_ids) : (Datum) 0;
	if (s->account_ids == NULL)
		nulls[2] = 'n';
	rc = SPI_execute_with_args(sql, nargs, types, values, nulls, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "pms.account_exposures: query failed: %s", SPI_result_code_string(rc));
}

/* Resolves the clocks: the arguments, else pms.as_of / pms.known_at, else today / everything. */
static void
ResolveClocks(ExposureScan *s, Datum as_of, bool as_of_null, Datum known_at, bool known_null)
{
	Oid			types[2] = {DATEOID, TIMESTAMPTZOID};
	Datum		values[2] = {as_of, known_at};
	char		nulls[2] = {as_of_null ? 'n' : ' ', known_null ? 'n' : ' '};
	bool		isnull;

	if (SPI_execute_with_args("SELECT pms.resolve_as_of($1), pms.resolve_known_at($2)",
							  2, types, values, nulls, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "pms.account_exposures: cannot resolve the clocks");
	s->as_of = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	s->known_at = DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	s->settle_basis = pms_position_basis == POSITION_BASIS_SETTLE;
}

/*
 * Values every bond once as of the date, in the FX pivot (for some accounts:
 * every bond they have traded, which the projection lists even when flat).
 */
static void
LoadBonds(ExposureScan *s, MemoryContext cxt)
{
	RunQuery(s,
			 "SELECT v.instrument_id, v.stale OR f.rate IS NULL, v.maturity_bucket, "
			 "       (v.price::float8 + coalesce(v.accrued, 0)) * i.price_multiplier::float8 * f.rate::float8, "
			 "       v.duration "
			 "FROM pms.instrument_valuations($1, $2, "
			 "         CASE WHEN $3 IS NOT NULL THEN ARRAY(SELECT DISTINCT p.instrument_id FROM pms.position_projection p "
			 "                                             WHERE p.account_id = ANY ($3)) END) v "
			 "JOIN pms.instruments i ON i.instrument_id = v.instrument_id "
			 "LEFT JOIN pms.fx_rates_on($1, $2) f ON f.currency = i.currency "
			 "WHERE i.asset_class = 'BOND'", 3);
	s->bonds = bondmap_create(cxt, Max(SPI_processed, 16), NULL);
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		bool		found;
		pg_uuid_t  *id = DatumGetUUIDP(SPI_getbinval(tup, desc, 1, &isnull));
		BondEntry  *b = bondmap_insert(s->bonds, *id, &found);
		Datum		bucket;

		b->stale = DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull));
		b->bucket = 0;
		b->unit_value = 0;
		b->duration = 0;
		if (b->stale)
			continue;
		bucket = SPI_getbinval(tup, desc, 3, &isnull);
		b->bucket = DriftBucketIndex(VARDATA_ANY(DatumGetTextPP(bucket)),
									 VARSIZE_ANY_EXHDR(DatumGetTextPP(bucket)));
		b->unit_value = DatumGetFloat8(SPI_getbinval(tup, desc, 4, &isnull));
		b->duration = DatumGetFloat8(SPI_getbinval(tup, desc, 5, &isnull));
		if (b->bucket < 0)
			elog(ERROR, "pms.account_exposures: unknown maturity bucket");
	}
}

/* The index of an account's sums (hash given), created on first sight. */
static inline int32
AccountIndex(ExposureScan *s, const pg_uuid_t *id, uint32 hash)
{
	bool		found;
	AccountSlot *slot = accountmap_insert_hash(s->accounts, *id, hash, &found);

	if (!found)
	{
		if (s->nsums == s->maxsums)
		{
			s->maxsums *= 2;
			s->sums = repalloc_huge(s->sums, sizeof(AccountEntry) * s->maxsums);
			s->ids = repalloc_huge(s->ids, sizeof(pg_uuid_t) * s->maxsums);
		}
		slot->index = s->nsums++;
		memset(&s->sums[slot->index], 0, sizeof(AccountEntry));
		s->ids[slot->index] = *id;
	}
	return slot->index;
}

/* The running sums of an account, created on first sight (valid until the next account is added). */
static inline AccountEntry *
Account(ExposureScan *s, const pg_uuid_t *id)
{
	int32		index = AccountIndex(s, id, UuidHash(id));	/* may move s->sums */

	return &s->sums[index];
}

/* a + b into *out, refusing a sum too large for a fixed-point quantity. */
static inline void
AddQuantities(PmsDecimal a, PmsDecimal b, PmsDecimal *out)
{
	if (!PmsDecAdd(a, b, out))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("position correction is out of range for drift")));
}

/* Adds a signed quantity to the correction of one position. */
static void
AddRewind(ExposureScan *s, const pg_uuid_t *account, const pg_uuid_t *instrument, PmsDecimal delta)
{
	bool		found;
	RewindKey	key;
	RewindEntry *e;

	memcpy(&key.account_id, account, UUID_LEN);
	memcpy(&key.instrument_id, instrument, UUID_LEN);
	e = rewindmap_insert(s->rewinds, key, &found);
	if (!found)
	{
		e->applied = false;
		e->delta = delta;
		s->rewind_bits[(e->hash % REWIND_BITS) / 64] |= UINT64CONST(1) << (e->hash % 64);
	}
	else
		AddQuantities(e->delta, delta, &e->delta);
}

/*
 * Loads the corrections that rewind the live projection to the as-of date and
 * knowledge time.  The fills are summed here per position (cheaper than a
 * grouped query, whose hash aggregate spills at these sizes).
 */
static void
LoadRewinds(ExposureScan *s, MemoryContext cxt)
{
	bool		everything_known = TIMESTAMP_IS_NOEND(s->known_at);
	const char *day = s->settle_basis ? "e.settle_date" : "e.trade_date";
	const char *only = s->account_ids ? " AND e.account_id = ANY ($3)" : "";
	StringInfoData sql;

	/*
	 * Every fill dated after the as-of date (or recorded after known_at) is
	 * taken off; then each cancelled fill among them is put back (the
	 * projection never had it), and so is each fill known by then whose
	 * cancel was recorded later (it counted then).  Cancels are few, so this
	 * beats an anti-join per fill.
	 */
	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT e.account_id, e.instrument_id, CASE e.side WHEN 'BUY' THEN -e.quantity ELSE e.quantity END "
					 "FROM pms.executions e "
					 "WHERE (%s > $1%s)%s "
					 "UNION ALL "
					 "SELECT e.account_id, e.instrument_id, CASE e.side WHEN 'BUY' THEN e.quantity ELSE -e.quantity END "
					 "FROM pms.execution_cancels x "
					 "JOIN pms.executions e ON e.household_id = x.household_id AND e.execution_id = x.execution_id "
					 "WHERE (%s > $1%s)%s",
					 day, everything_known ? "" : " OR e.recorded_at > $2", only,
					 day, everything_known ? "" : " OR e.recorded_at > $2 OR x.recorded_at > $2", only);
	RunQuery(s, sql.data, s->account_ids ? 3 : 2);
	s->rewinds = rewindmap_create(cxt, Max(SPI_processed, 16), NULL);
	s->rewind_bits = MemoryContextAllocZero(cxt, REWIND_BITS / 8);
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		AddRewind(s, DatumGetUUIDP(SPI_getbinval(tup, desc, 1, &isnull)),
				  DatumGetUUIDP(SPI_getbinval(tup, desc, 2, &isnull)),
				  ReadQuantity(SPI_getbinval(tup, desc, 3, &isnull)));
	}
	SPI_freetuptable(SPI_tuptable);
}

/* Adds one position (quantity q of an instrument) to its account. */
static void
AddPosition(ExposureScan *s, AccountEntry *a, const pg_uuid_t *instrument, PmsDecimal q)
{
	BondEntry  *b;
	double		value;

	if (q.m == 0)
		return;
	b = bondmap_lookup(s->bonds, *instrument);
	if (b == NULL)
		return;					/* not a bond: outside the sleeve */
	a->positions++;
	if (b->stale)
	{
		a->stale++;
		return;
	}
	value = DecimalToDouble(q) * b->unit_value;
	AddUnits(&a->duration_value, value * b->duration);
	AddUnits(&a->buckets[b->bucket], value);
}

/* Adds one projection row to its account, applying its correction when it has one. */
static inline void
AddProjectionRow(ExposureScan *s, AccountEntry *a, uint32 account_hash, const pg_uuid_t *account,
				 const pg_uuid_t *instrument, PmsDecimal q)
{
	if (s->rewinds->members > 0)
	{
		uint32		hash = CombineHashes(account_hash, UuidHash(instrument));

		if (s->rewind_bits[(hash % REWIND_BITS) / 64] & (UINT64CONST(1) << (hash % 64)))
		{
			RewindKey	key;
			RewindEntry *e;

			memcpy(&key.account_id, account, UUID_LEN);
			memcpy(&key.instrument_id, instrument, UUID_LEN);
			e = rewindmap_lookup_hash(s->rewinds, key, hash);
			if (e != NULL)
			{
				e->applied = true;
				AddQuantities(q, e->delta, &q);
			}
		}
	}
	AddPosition(s, a, instrument, q);
}

/*
 * Adds a batch of projection rows: first every account's hash slot is found
 * (prefetched when the row was read), then its sums are prefetched, then the
 * rows are added, so the memory latencies of a batch overlap.
 */
static void
AddBatch(ExposureScan *s, PendingRow *rows, int n)
{
	for (int i = 0; i < n; i++)
	{
		rows[i].index = AccountIndex(s, &rows[i].account_id, rows[i].hash);
		__builtin_prefetch(&s->sums[rows[i].index], 1);
	}
	for (int i = 0; i < n; i++)
		AddProjectionRow(s, &s->sums[rows[i].index], rows[i].hash, &rows[i].account_id, &rows[i].instrument_id,
						 rows[i].quantity);
}

/* Reads every row of the live projection straight from the table. */
static void
ScanProjection(ExposureScan *s)
{
	Oid			relid = get_relname_relid("position_projection", get_namespace_oid("pms", false));
	AttrNumber	account_att = get_attnum(relid, "account_id");
	AttrNumber	instrument_att = get_attnum(relid, "instrument_id");
	AttrNumber	quantity_att = get_attnum(relid, "quantity");
	AttrNumber	last_att = Max(account_att, Max(instrument_att, quantity_att));
	AclResult	acl = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT);
	Relation	rel;
	TableScanDesc scan;
	TupleTableSlot *slot;
	PendingRow	rows[BATCH_ROWS];
	int			n = 0;

	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, "position_projection");
	rel = table_open(relid, AccessShareLock);
	scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	slot = table_slot_create(rel, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		PendingRow *row = &rows[n++];

		slot_getsomeattrs(slot, last_att);
		row->account_id = *DatumGetUUIDP(slot->tts_values[account_att - 1]);
		row->instrument_id = *DatumGetUUIDP(slot->tts_values[instrument_att - 1]);
		row->quantity = ReadQuantity(slot->tts_values[quantity_att - 1]);
		row->hash = UuidHash(&row->account_id);
		__builtin_prefetch(&s->accounts->data[row->hash & s->accounts->sizemask]);
		if (n == BATCH_ROWS)
		{
			CHECK_FOR_INTERRUPTS();
			AddBatch(s, rows, n);
			n = 0;
		}
	}
	AddBatch(s, rows, n);
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	table_close(rel, AccessShareLock);
}

/* Reads the projection rows of the given accounts through their index. */
static void
ReadProjection(ExposureScan *s)
{
	RunQuery(s,
			 "SELECT p.account_id, p.instrument_id, p.quantity FROM pms.position_projection p "
			 "WHERE p.account_id = ANY ($3)", 3);
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		pg_uuid_t  *account = DatumGetUUIDP(SPI_getbinval(tup, desc, 1, &isnull));

		AddProjectionRow(s, Account(s, account), UuidHash(account), account,
						 DatumGetUUIDP(SPI_getbinval(tup, desc, 2, &isnull)),
						 ReadQuantity(SPI_getbinval(tup, desc, 3, &isnull)));
	}
}

/* Positions that the projection does not hold at all: their whole quantity is the correction. */
static void
AddUnappliedRewinds(ExposureScan *s)
{
	rewindmap_iterator it;
	RewindEntry *e;

	rewindmap_start_iterate(s->rewinds, &it);
	while ((e = rewindmap_iterate(s->rewinds, &it)) != NULL)
		if (!e->applied)
			AddPosition(s, Account(s, &e->key.account_id), &e->key.instrument_id, e->delta);
}

/* Orders account ids (uuid order is byte order). */
static int
CompareIds(const void *a, const void *b)
{
	return memcmp(((const pg_uuid_t *) a)->data, ((const pg_uuid_t *) b)->data, UUID_LEN);
}

/* The sleeve of an account from its sums. */
static void
SleeveOf(const AccountEntry *a, AccountSleeve *out)
{
	__int128	value = 0;

	for (int b = 0; b < DRIFT_BUCKETS; b++)
		if (__builtin_add_overflow(value, (__int128) a->buckets[b], &value))
			ValueOutOfRange();
	out->has_duration = value > 0;
	out->duration = value > 0 ? (double) a->duration_value / (double) value : 0.0;
	for (int b = 0; b < DRIFT_BUCKETS; b++)
		out->weights[b] = value > 0 ? (double) a->buckets[b] / (double) value : 0.0;
	out->positions = a->positions;
	out->stale = a->stale;
}

/* The sleeve of an account; false (and an empty sleeve) when it holds no bond. */
bool
ExposureScanSleeve(ExposureScan *s, const pg_uuid_t *account, AccountSleeve *out)
{
	AccountSlot *slot = accountmap_lookup(s->accounts, *account);

	if (slot == NULL || s->sums[slot->index].positions == 0)
	{
		memset(out, 0, sizeof(AccountSleeve));
		return false;
	}
	SleeveOf(&s->sums[slot->index], out);
	return true;
}

/* The as-of date the scan resolved. */
DateADT
ExposureScanAsOf(ExposureScan *s)
{
	return s->as_of;
}

/* The knowledge time the scan resolved. */
TimestampTz
ExposureScanKnownAt(ExposureScan *s)
{
	return s->known_at;
}

/* Runs the scan (SPI must be connected); see exposure_scan.h. */
ExposureScan *
ExposureScanRun(Datum as_of, bool as_of_null, Datum known_at, bool known_null, ArrayType *account_ids,
				MemoryContext cxt)
{
	ExposureScan *s = MemoryContextAllocZero(cxt, sizeof(ExposureScan));

	s->account_ids = account_ids;
	ResolveClocks(s, as_of, as_of_null, known_at, known_null);
	s->accounts = accountmap_create(cxt, 1024, NULL);
	s->maxsums = 1024;
	s->sums = MemoryContextAllocHuge(cxt, sizeof(AccountEntry) * s->maxsums);
	s->ids = MemoryContextAllocHuge(cxt, sizeof(pg_uuid_t) * s->maxsums);
	LoadBonds(s, cxt);
	LoadRewinds(s, cxt);
	if (account_ids == NULL)
		ScanProjection(s);
	else
		ReadProjection(s);
	AddUnappliedRewinds(s);
	return s;
}

/*
 * SQL: pms.account_exposures(as_of date, known_at timestamptz, account_ids uuid[])
 * RETURNS TABLE (account_id, duration, bucket_weights float8[], positions, stale_positions):
 * one row per account holding a bond, by account.
 */
Datum
pms_account_exposures(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext scratch = AllocSetContextCreate(caller, "pms.account_exposures", ALLOCSET_DEFAULT_SIZES);
	ExposureScan *s;
	pg_uuid_t  *ids;
	int			n = 0;

	InitMaterializedSRF(fcinfo, 0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pms.account_exposures: SPI_connect failed");
	s = ExposureScanRun(PG_GETARG_DATUM(0), PG_ARGISNULL(0), PG_GETARG_DATUM(1), PG_ARGISNULL(1),
						PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2), scratch);
	MemoryContextSwitchTo(caller);
	ids = palloc(sizeof(pg_uuid_t) * Max(s->nsums, 1));
	for (int i = 0; i < s->nsums; i++)
		if (s->sums[i].positions > 0)
			ids[n++] = s->ids[i];
	qsort(ids, n, sizeof(pg_uuid_t), CompareIds);
	for (int i = 0; i < n; i++)
	{
		AccountSleeve sleeve;
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		Datum		weights[DRIFT_BUCKETS];

		ExposureScanSleeve(s, &ids[i], &sleeve);
		values[0] = UUIDPGetDatum(&ids[i]);
		values[1] = Float8GetDatum(sleeve.duration);
		nulls[1] = !sleeve.has_duration;
		for (int b = 0; b < DRIFT_BUCKETS; b++)
			weights[b] = Float8GetDatum(sleeve.weights[b]);
		values[2] = PointerGetDatum(construct_array(weights, DRIFT_BUCKETS, FLOAT8OID, sizeof(float8),
													FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		values[3] = Int32GetDatum(sleeve.positions);
		values[4] = Int32GetDatum(sleeve.stale);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		pfree(DatumGetPointer(values[2]));
	}
	SPI_finish();
	MemoryContextDelete(scratch);
	return (Datum) 0;
}
