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
 * projection: the signed quantities of live bond fills dated after the as-of
 * date (or recorded after known_at) are taken off, and fills whose cancel was
 * recorded after known_at are put back, so the cost grows with the history
 * after the as-of date, not with the whole history.  Only quantities matter
 * here, and a quantity is a plain sum, so the rewind is exact.
 *
 * The corrections are grouped by account (contiguous, ordered by bond) and
 * each account carries a 64-bit mask of the bonds (index mod 64) it has
 * corrections for, so a projection row looks for its correction only when
 * the mask says it may have one.
 *
 * Sums are exact and order-free: each position's value (to 1e-9 of the pivot
 * currency) and value x duration are rounded to 128-bit integers before they
 * are added, so a physically reordered table gives the same bits.
 *
 * Projection rows come in no particular account order, so each row is a
 * random access into the account hash, the account's sums and perhaps its
 * corrections; rows are taken in batches whose hash slots, sums and
 * corrections are prefetched before they are used.
 *
 * Queries stream their rows (spi_stream.c): nothing is copied into SPI tuple
 * tables.
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
#include "spi_stream.h"
#include "uuid_hash.h"

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
	int32		index;			/* into ExposureScan.bond_list */
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
	int32		first_correction;	/* its corrections: ExposureScan.corrections[first ...] */
	int32		corrections;	/* how many */
	uint64		correction_mask;	/* bit (bond index mod 64) set for each correction */
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
	BondEntry  *bond;			/* NULL: not a bond */
	PmsDecimal	quantity;
} PendingRow;

/* Rows per prefetch batch. */
#define BATCH_ROWS 32

/*
 * The correction of one bond position: the signed quantity to add to the
 * projection's.  An account's corrections are contiguous and ordered by bond.
 */
typedef struct Correction
{
	int32		account;		/* index into ExposureScan.sums */
	int32		bond;			/* index into ExposureScan.bond_list */
	bool		applied;		/* met in the projection */
	PmsDecimal	delta;
} Correction;

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

/* Everything one scan works with. */
struct ExposureScan
{
	DateADT		as_of;
	TimestampTz known_at;
	bool		settle_basis;
	ArrayType  *account_ids;	/* NULL: every account */
	bondmap_hash *bonds;
	BondEntry **bond_list;		/* each bond by its index */
	accountmap_hash *accounts;
	AccountEntry *sums;			/* one per account met, in order of first sight */
	pg_uuid_t  *ids;			/* the id of each */
	int			nsums;
	int			maxsums;
	int32		expected_accounts;	/* estimate, from pg_class */
	Correction *corrections;	/* by account, then bond */
	int64		ncorrections;
	int64		maxcorrections;
};

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

/* Streams a read-only query with the as-of date and knowledge time as $1 and $2 (and account ids as $3) to row(). */
static void
StreamQuery(ExposureScan *s, const char *sql, int nargs, SpiRowFn row)
{
	Oid			types[3] = {DATEOID, TIMESTAMPTZOID, UUIDARRAYOID};
	Datum		values[3];
	bool		nulls[3] = {false, false, s->account_ids == NULL};

	values[0] = DateADTGetDatum(s->as_of);
	values[1] = TimestampTzGetDatum(s->known_at);
	values[2] = s->account_ids ? PointerGetDatum(s->account_ids) : (Datum) 0;
	SpiStreamQuery("pms.account_exposures", sql, nargs, types, values, nulls, row, s);
}

/*
 * Resolves the clocks (the arguments, else pms.as_of / pms.known_at, else
 * today / everything) and estimates how many accounts there are, to size the
 * account structures once.
 */
static void
ResolveClocks(ExposureScan *s, Datum as_of, bool as_of_null, Datum known_at, bool known_null)
{
	Oid			types[2] = {DATEOID, TIMESTAMPTZOID};
	Datum		values[2] = {as_of, known_at};
	char		nulls[2] = {as_of_null ? 'n' : ' ', known_null ? 'n' : ' '};
	bool		isnull;

	if (SPI_execute_with_args("SELECT pms.resolve_as_of($1), pms.resolve_known_at($2), "
							  "       (SELECT least(greatest(c.reltuples, 0), 1e7)::int4 FROM pg_catalog.pg_class c "
							  "        WHERE c.oid = 'pms.accounts'::pg_catalog.regclass)",
							  2, types, values, nulls, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "pms.account_exposures: cannot resolve the clocks");
	s->as_of = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	s->known_at = DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	s->expected_accounts = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	s->settle_basis = pms_position_basis == POSITION_BASIS_SETTLE;
	SPI_freetuptable(SPI_tuptable);
}

/* Adds one row of the bond query in LoadBonds to the bond map. */
static void
AddBondRow(TupleTableSlot *slot, void *arg)
{
	ExposureScan *s = arg;
	bool		found;
	BondEntry  *b = bondmap_insert(s->bonds, *DatumGetUUIDP(SpiStreamColumn(slot, 1, "pms.account_exposures")),
								   &found);
	text	   *bucket;

	if (found)
		elog(ERROR, "pms.account_exposures: a bond is valued twice");
	b->index = s->bonds->members - 1;
	b->stale = DatumGetBool(SpiStreamColumn(slot, 2, "pms.account_exposures"));
	b->bucket = 0;
	b->unit_value = 0;
	b->duration = 0;
	if (b->stale)
		return;
	bucket = DatumGetTextPP(SpiStreamColumn(slot, 3, "pms.account_exposures"));
	b->bucket = DriftBucketIndex(VARDATA_ANY(bucket), VARSIZE_ANY_EXHDR(bucket));
	b->unit_value = DatumGetFloat8(SpiStreamColumn(slot, 4, "pms.account_exposures"));
	b->duration = DatumGetFloat8(SpiStreamColumn(slot, 5, "pms.account_exposures"));
	if (b->bucket < 0)
		elog(ERROR, "pms.account_exposures: unknown maturity bucket");
}

/*
 * Values every bond once as of the date, in the FX pivot (for some accounts:
 * every bond they have traded, which the projection lists even when flat).
 */
static void
LoadBonds(ExposureScan *s, MemoryContext cxt)
{
	s->bonds = bondmap_create(cxt, 1024, NULL);
	StreamQuery(s,
				"SELECT v.instrument_id, v.stale OR f.rate IS NULL, v.maturity_bucket, "
				"       (v.price::float8 + coalesce(v.accrued, 0)) * i.price_multiplier::float8 * f.rate::float8, "
				"       v.duration "
				"FROM pms.instrument_valuations($1, $2, "
				"         CASE WHEN $3 IS NOT NULL THEN ARRAY(SELECT DISTINCT p.instrument_id FROM pms.position_projection p "
				"                                             WHERE p.account_id = ANY ($3)) END) v "
				"JOIN pms.instruments i ON i.instrument_id = v.instrument_id "
				"LEFT JOIN pms.fx_rates_on($1, $2) f ON f.currency = i.currency "
				"WHERE i.asset_class = 'BOND'", 3, AddBondRow);
	s->bond_list = MemoryContextAlloc(cxt, sizeof(BondEntry *) * Max(s->bonds->members, 1));
	{
		bondmap_iterator it;
		BondEntry  *b;

		bondmap_start_iterate(s->bonds, &it);
		while ((b = bondmap_iterate(s->bonds, &it)) != NULL)
			s->bond_list[b->index] = b;
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

/* Keeps one row (account, instrument, signed quantity) of the correction query in LoadCorrections. */
static void
AddCorrectionRow(TupleTableSlot *slot, void *arg)
{
	ExposureScan *s = arg;
	pg_uuid_t  *account = DatumGetUUIDP(SpiStreamColumn(slot, 1, "pms.account_exposures"));
	BondEntry  *b = bondmap_lookup(s->bonds, *DatumGetUUIDP(SpiStreamColumn(slot, 2, "pms.account_exposures")));
	Correction *c;

	if (b == NULL)
		return;					/* not a bond: outside the sleeve */
	if (s->ncorrections == s->maxcorrections)
	{
		if (s->maxcorrections > PG_INT32_MAX / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many fills to rewind for drift"),
					 errhint("Read drift as of a more recent date.")));
		s->maxcorrections *= 2;
		s->corrections = repalloc_huge(s->corrections, sizeof(Correction) * s->maxcorrections);
	}
	c = &s->corrections[s->ncorrections++];
	c->account = AccountIndex(s, account, UuidHash(account));
	c->bond = b->index;
	c->applied = false;
	c->delta = ReadQuantity(SpiStreamColumn(slot, 3, "pms.account_exposures"));
	s->sums[c->account].corrections++;
	s->sums[c->account].correction_mask |= UINT64CONST(1) << (c->bond % 64);
}

/* Orders an account's corrections by bond. */
static int
CompareCorrections(const void *a, const void *b)
{
	int32		x = ((const Correction *) a)->bond;
	int32		y = ((const Correction *) b)->bond;

	return (x > y) - (x < y);
}

/*
 * Groups the corrections by account (a counting sort: each account's count is
 * known), orders each account's by bond and sums those of the same position.
 */
static void
GroupCorrections(ExposureScan *s, MemoryContext cxt)
{
	Correction *grouped = MemoryContextAllocHuge(cxt, sizeof(Correction) * Max(s->ncorrections, 1));
	int64		next = 0;

	for (int i = 0; i < s->nsums; i++)
	{
		s->sums[i].first_correction = next;
		next += s->sums[i].corrections;
		s->sums[i].corrections = 0;
	}
	for (int64 r = 0; r < s->ncorrections; r++)
	{
		AccountEntry *a = &s->sums[s->corrections[r].account];

		grouped[a->first_correction + a->corrections++] = s->corrections[r];
	}
	pfree(s->corrections);
	s->corrections = grouped;
	for (int i = 0; i < s->nsums; i++)
	{
		AccountEntry *a = &s->sums[i];
		Correction *c = &s->corrections[a->first_correction];
		int			kept = 0;

		if (a->corrections > 1)
			qsort(c, a->corrections, sizeof(Correction), CompareCorrections);
		for (int k = 0; k < a->corrections; k++)
		{
			if (kept > 0 && c[kept - 1].bond == c[k].bond)
				AddQuantities(c[kept - 1].delta, c[k].delta, &c[kept - 1].delta);
			else
				c[kept++] = c[k];
		}
		a->corrections = kept;
	}
}

/*
 * Loads the corrections that rewind the live projection to the as-of date and
 * knowledge time, for bonds only.  The fills are summed here per position
 * (cheaper than a grouped query, whose hash aggregate spills at these sizes).
 */
static void
LoadCorrections(ExposureScan *s, MemoryContext cxt)
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
	s->maxcorrections = 1024;
	s->corrections = MemoryContextAllocHuge(cxt, sizeof(Correction) * s->maxcorrections);
	StreamQuery(s, sql.data, s->account_ids ? 3 : 2, AddCorrectionRow);
	GroupCorrections(s, cxt);
}

/* Adds one bond position (quantity q) to its account. */
static inline void
AddBondPosition(AccountEntry *a, const BondEntry *b, PmsDecimal q)
{
	double		value;

	if (q.m == 0)
		return;
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

/* The correction of an account's position in a bond, or NULL (binary search: they are ordered by bond). */
static inline Correction *
FindCorrection(ExposureScan *s, const AccountEntry *a, int32 bond)
{
	Correction *c = &s->corrections[a->first_correction];
	int			lo = 0;
	int			hi = a->corrections - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;

		if (c[mid].bond == bond)
			return &c[mid];
		if (c[mid].bond < bond)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* Adds one projection row (its bond, or NULL) to its account, applying its correction when it has one. */
static inline void
AddProjectionRow(ExposureScan *s, AccountEntry *a, const BondEntry *b, PmsDecimal q)
{
	if (b == NULL)
		return;					/* not a bond: outside the sleeve */
	if (a->correction_mask & (UINT64CONST(1) << (b->index % 64)))
	{
		Correction *c = FindCorrection(s, a, b->index);

		if (c != NULL)
		{
			c->applied = true;
			AddQuantities(q, c->delta, &q);
		}
	}
	AddBondPosition(a, b, q);
}

/*
 * Adds a batch of projection rows in three passes, so that the memory
 * latencies of a batch overlap: find each account's slot (prefetched when the
 * row was read) and prefetch its sums; find each row's bond and, when the
 * account may have a correction for it, prefetch the account's corrections;
 * then add the rows.
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
	{
		AccountEntry *a = &s->sums[rows[i].index];

		rows[i].bond = bondmap_lookup(s->bonds, rows[i].instrument_id);
		if (rows[i].bond != NULL && (a->correction_mask & (UINT64CONST(1) << (rows[i].bond->index % 64))))
			__builtin_prefetch(&s->corrections[a->first_correction], 1);
	}
	for (int i = 0; i < n; i++)
		AddProjectionRow(s, &s->sums[rows[i].index], rows[i].bond, rows[i].quantity);
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

/* Adds one row (account, instrument, quantity) of the projection query in ReadProjection. */
static void
AddProjectionQueryRow(TupleTableSlot *slot, void *arg)
{
	ExposureScan *s = arg;

	AddProjectionRow(s, Account(s, DatumGetUUIDP(SpiStreamColumn(slot, 1, "pms.account_exposures"))),
					 bondmap_lookup(s->bonds, *DatumGetUUIDP(SpiStreamColumn(slot, 2, "pms.account_exposures"))),
					 ReadQuantity(SpiStreamColumn(slot, 3, "pms.account_exposures")));
}

/* Reads the projection rows of the given accounts through their index. */
static void
ReadProjection(ExposureScan *s)
{
	StreamQuery(s,
				"SELECT p.account_id, p.instrument_id, p.quantity FROM pms.position_projection p "
				"WHERE p.account_id = ANY ($3)", 3, AddProjectionQueryRow);
}

/* Positions that the projection does not hold at all: their whole quantity is the correction. */
static void
AddUnappliedCorrections(ExposureScan *s)
{
	for (int i = 0; i < s->nsums; i++)
	{
		AccountEntry *a = &s->sums[i];

		for (int k = 0; k < a->corrections; k++)
		{
			Correction *c = &s->corrections[a->first_correction + k];

			if (!c->applied)
				AddBondPosition(a, s->bond_list[c->bond], c->delta);
		}
	}
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

/* How many accounts the scan met. */
int
ExposureScanAccounts(ExposureScan *s)
{
	return s->nsums;
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
	s->maxsums = account_ids ? Max(ArrayGetNItems(ARR_NDIM(account_ids), ARR_DIMS(account_ids)), 16)
		: Max(s->expected_accounts, 1024);
	s->accounts = accountmap_create(cxt, s->maxsums, NULL);
	s->sums = MemoryContextAllocHuge(cxt, sizeof(AccountEntry) * s->maxsums);
	s->ids = MemoryContextAllocHuge(cxt, sizeof(pg_uuid_t) * s->maxsums);
	LoadBonds(s, cxt);
	LoadCorrections(s, cxt);
	if (account_ids == NULL)
		ScanProjection(s);
	else
		ReadProjection(s);
	AddUnappliedCorrections(s);
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
