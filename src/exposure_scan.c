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
 * after the as-of date, not with the whole history.
 *
 * Sums are exact and order-free: each position's value (to 1e-4 of the pivot
 * currency) and value x duration are rounded to integers before they are
 * added, so a physically reordered table gives the same bits.
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
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
#include "pms.h"
#include "position_fold_pg.h"

PG_FUNCTION_INFO_V1(pms_account_exposures);

/* Value units per pivot-currency unit in the exact sums. */
#define VALUE_SCALE 1e4

/* A bond's valuation per unit of quantity, in the FX pivot. */
typedef struct BondEntry
{
	pg_uuid_t	instrument_id;	/* hash key */
	char		status;			/* simplehash slot status */
	bool		stale;			/* no price, curve or FX rate: left out */
	int			bucket;			/* maturity bucket index */
	double		unit_value;		/* (clean price + accrued) x multiplier x FX rate */
	double		duration;		/* modified duration */
} BondEntry;

/* One account's running sums. */
typedef struct AccountEntry
{
	pg_uuid_t	account_id;		/* hash key */
	char		status;			/* simplehash slot status */
	bool		rewound;		/* some of its positions have a correction */
	int32		positions;		/* non-zero bond positions */
	int32		stale;			/* of which stale */
	pms_int128	value;			/* sum of valued positions, VALUE_SCALE units */
	pms_int128	duration_value; /* sum of value x duration, VALUE_SCALE units */
	pms_int128	buckets[DRIFT_BUCKETS]; /* value per bucket */
} AccountEntry;

/* A correction of one position: the quantity to add to the projection's. */
typedef struct RewindKey
{
	pg_uuid_t	account_id;
	pg_uuid_t	instrument_id;
} RewindKey;

typedef struct RewindEntry
{
	RewindKey	key;			/* hash key */
	char		status;			/* simplehash slot status */
	bool		applied;		/* met in the projection */
	PmsDecimal	delta;			/* signed quantity to add */
} RewindEntry;

/* Hash of a uuid (any part of a uuid may be constant, so hash all 16 bytes). */
static inline uint32
UuidHash(const pg_uuid_t *u)
{
	return hash_bytes(u->data, UUID_LEN);
}

#define SH_PREFIX bondmap
#define SH_ELEMENT_TYPE BondEntry
#define SH_KEY_TYPE pg_uuid_t
#define SH_KEY instrument_id
#define SH_HASH_KEY(tb, key) UuidHash(&(key))
#define SH_EQUAL(tb, a, b) (memcmp((a).data, (b).data, UUID_LEN) == 0)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

#define SH_PREFIX accountmap
#define SH_ELEMENT_TYPE AccountEntry
#define SH_KEY_TYPE pg_uuid_t
#define SH_KEY account_id
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
#define SH_HASH_KEY(tb, k) hash_bytes((const unsigned char *) &(k), sizeof(RewindKey))
#define SH_EQUAL(tb, a, b) (memcmp(&(a), &(b), sizeof(RewindKey)) == 0)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* Everything one call works with. */
typedef struct ExposureScan
{
	DateADT		as_of;
	TimestampTz known_at;
	bool		settle_basis;
	ArrayType  *account_ids;	/* NULL: every account */
	bondmap_hash *bonds;
	accountmap_hash *accounts;
	rewindmap_hash *rewinds;
	AccountEntry *last;			/* cache: consecutive rows share an account */
} ExposureScan;

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

/* A float as exact units of 1 / VALUE_SCALE (rounded half to even). */
static pms_int128
ToUnits(double x)
{
	double		scaled = rint(x * VALUE_SCALE);

	if (!isfinite(scaled) || fabs(scaled) > 1e36)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("position value %g is out of range for drift", x)));
	return (pms_int128) scaled;
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
	RunQuery(s, s->account_ids == NULL ?
			 "SELECT v.instrument_id, v.stale OR f.rate IS NULL, v.maturity_bucket, "
			 "       (v.price::float8 + coalesce(v.accrued, 0)) * i.price_multiplier::float8 * f.rate::float8, "
			 "       v.duration "
			 "FROM pms.instrument_valuations($1, $2) v "
			 "JOIN pms.instruments i ON i.instrument_id = v.instrument_id "
			 "LEFT JOIN pms.fx_rates_on($1, $2) f ON f.currency = i.currency "
			 "WHERE i.asset_class = 'BOND'" :
			 "SELECT v.instrument_id, v.stale OR f.rate IS NULL, v.maturity_bucket, "
			 "       (v.price::float8 + coalesce(v.accrued, 0)) * i.price_multiplier::float8 * f.rate::float8, "
			 "       v.duration "
			 "FROM pms.instrument_valuations($1, $2, ARRAY(SELECT DISTINCT p.instrument_id "
			 "                                           FROM pms.position_projection p "
			 "                                           WHERE p.account_id = ANY ($3))) v "
			 "JOIN pms.instruments i ON i.instrument_id = v.instrument_id "
			 "LEFT JOIN pms.fx_rates_on($1, $2) f ON f.currency = i.currency "
			 "WHERE i.asset_class = 'BOND'", s->account_ids ? 3 : 2);
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

/* The running sums of an account, created on first sight. */
static inline AccountEntry *
Account(ExposureScan *s, const pg_uuid_t *id)
{
	bool		found;
	AccountEntry *a;

	if (s->last && memcmp(s->last->account_id.data, id->data, UUID_LEN) == 0)
		return s->last;
	a = accountmap_insert(s->accounts, *id, &found);
	if (!found)
	{
		a->rewound = false;
		a->positions = 0;
		a->stale = 0;
		a->value = 0;
		a->duration_value = 0;
		for (int b = 0; b < DRIFT_BUCKETS; b++)
			a->buckets[b] = 0;
	}
	s->last = a;
	return a;
}

/* Loads the corrections that rewind the live projection to the as-of date and knowledge time. */
static void
LoadRewinds(ExposureScan *s, MemoryContext cxt)
{
	bool		everything_known = TIMESTAMP_IS_NOEND(s->known_at);
	const char *day = s->settle_basis ? "e.settle_date" : "e.trade_date";
	const char *only = s->account_ids ? " AND e.account_id = ANY ($3)" : "";
	StringInfoData sql;

	initStringInfo(&sql);
	/* live fills dated after the as-of date or recorded after known_at: take off */
	appendStringInfo(&sql,
					 "SELECT e.account_id, e.instrument_id, "
					 "       sum(CASE e.side WHEN 'BUY' THEN -e.quantity ELSE e.quantity END) "
					 "FROM pms.executions e "
					 "WHERE (%s > $1%s)%s "
					 "  AND NOT EXISTS (SELECT 1 FROM pms.execution_cancels x "
					 "                  WHERE x.household_id = e.household_id AND x.execution_id = e.execution_id) "
					 "GROUP BY e.account_id, e.instrument_id",
					 day, everything_known ? "" : " OR e.recorded_at > $2", only);
	if (!everything_known)
		/* fills known by then whose cancel was recorded later: put back */
		appendStringInfo(&sql,
						 " UNION ALL "
						 "SELECT e.account_id, e.instrument_id, "
						 "       sum(CASE e.side WHEN 'BUY' THEN e.quantity ELSE -e.quantity END) "
						 "FROM pms.execution_cancels x "
						 "JOIN pms.executions e ON e.household_id = x.household_id AND e.execution_id = x.execution_id "
						 "WHERE x.recorded_at > $2 AND e.recorded_at <= $2 AND %s <= $1%s "
						 "GROUP BY e.account_id, e.instrument_id",
						 day, only);
	RunQuery(s, sql.data, s->account_ids ? 3 : 2);
	s->rewinds = rewindmap_create(cxt, Max(SPI_processed, 16), NULL);
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		bool		found;
		RewindKey	key;
		RewindEntry *e;
		PmsDecimal	delta = ReadQuantity(SPI_getbinval(tup, desc, 3, &isnull));

		memcpy(&key.account_id, DatumGetUUIDP(SPI_getbinval(tup, desc, 1, &isnull)), UUID_LEN);
		memcpy(&key.instrument_id, DatumGetUUIDP(SPI_getbinval(tup, desc, 2, &isnull)), UUID_LEN);
		e = rewindmap_insert(s->rewinds, key, &found);
		if (!found)
		{
			e->applied = false;
			e->delta = delta;
		}
		else if (!PmsDecAdd(e->delta, delta, &e->delta))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("position correction is out of range for drift")));
		Account(s, &key.account_id)->rewound = true;
	}
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
	a->value += ToUnits(value);
	a->duration_value += ToUnits(value * b->duration);
	a->buckets[b->bucket] += ToUnits(value);
}

/* Adds one projection row, applying its correction when it has one. */
static inline void
AddProjectionRow(ExposureScan *s, const pg_uuid_t *account, const pg_uuid_t *instrument, Datum quantity)
{
	AccountEntry *a = Account(s, account);
	PmsDecimal	q = ReadQuantity(quantity);

	if (a->rewound)
	{
		RewindKey	key;
		RewindEntry *e;

		memcpy(&key.account_id, account, UUID_LEN);
		memcpy(&key.instrument_id, instrument, UUID_LEN);
		e = rewindmap_lookup(s->rewinds, key);
		if (e != NULL)
		{
			e->applied = true;
			if (!PmsDecAdd(q, e->delta, &q))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("position correction is out of range for drift")));
		}
	}
	AddPosition(s, a, instrument, q);
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

	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, "position_projection");
	rel = table_open(relid, AccessShareLock);
	scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	slot = table_slot_create(rel, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		CHECK_FOR_INTERRUPTS();
		slot_getsomeattrs(slot, last_att);
		AddProjectionRow(s, DatumGetUUIDP(slot->tts_values[account_att - 1]),
						 DatumGetUUIDP(slot->tts_values[instrument_att - 1]),
						 slot->tts_values[quantity_att - 1]);
	}
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

		AddProjectionRow(s, DatumGetUUIDP(SPI_getbinval(tup, desc, 1, &isnull)),
						 DatumGetUUIDP(SPI_getbinval(tup, desc, 2, &isnull)),
						 SPI_getbinval(tup, desc, 3, &isnull));
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

/* Orders accounts by id (uuid order is byte order). */
static int
CompareAccounts(const void *a, const void *b)
{
	return memcmp((*(AccountEntry *const *) a)->account_id.data,
				  (*(AccountEntry *const *) b)->account_id.data, UUID_LEN);
}

/* Writes one row per account holding a bond: duration, bucket weights and counts. */
static void
EmitAccounts(ExposureScan *s, ReturnSetInfo *rsinfo)
{
	AccountEntry **rows = palloc(sizeof(AccountEntry *) * Max(s->accounts->members, 1));
	int			n = 0;
	accountmap_iterator it;
	AccountEntry *a;

	accountmap_start_iterate(s->accounts, &it);
	while ((a = accountmap_iterate(s->accounts, &it)) != NULL)
		if (a->positions > 0)
			rows[n++] = a;
	qsort(rows, n, sizeof(AccountEntry *), CompareAccounts);
	for (int i = 0; i < n; i++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		Datum		weights[DRIFT_BUCKETS];
		double		total;

		a = rows[i];
		total = (double) a->value;
		values[0] = UUIDPGetDatum(&a->account_id);
		for (int b = 0; b < DRIFT_BUCKETS; b++)
			weights[b] = Float8GetDatum(a->value > 0 ? (double) a->buckets[b] / total : 0.0);
		if (a->value > 0)
			values[1] = Float8GetDatum((double) a->duration_value / total);
		else
			nulls[1] = true;
		values[2] = PointerGetDatum(construct_array(weights, DRIFT_BUCKETS, FLOAT8OID, sizeof(float8),
													FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		values[3] = Int32GetDatum(a->positions);
		values[4] = Int32GetDatum(a->stale);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		pfree(DatumGetPointer(values[2]));
	}
}

/*
 * SQL: pms.account_exposures(as_of date, known_at timestamptz, account_ids uuid[])
 * RETURNS TABLE (account_id, duration, bucket_weights float8[], positions, stale_positions).
 */
Datum
pms_account_exposures(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext scratch;
	MemoryContext caller = CurrentMemoryContext;
	ExposureScan s;

	InitMaterializedSRF(fcinfo, 0);
	memset(&s, 0, sizeof(s));
	s.account_ids = PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2);
	scratch = AllocSetContextCreate(caller, "pms.account_exposures", ALLOCSET_DEFAULT_SIZES);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pms.account_exposures: SPI_connect failed");
	ResolveClocks(&s, PG_GETARG_DATUM(0), PG_ARGISNULL(0), PG_GETARG_DATUM(1), PG_ARGISNULL(1));
	s.accounts = accountmap_create(scratch, 1024, NULL);
	LoadBonds(&s, scratch);
	LoadRewinds(&s, scratch);
	s.last = NULL;
	if (s.account_ids == NULL)
		ScanProjection(&s);
	else
		ReadProjection(&s);
	AddUnappliedRewinds(&s);
	MemoryContextSwitchTo(caller);
	EmitAccounts(&s, rsinfo);
	SPI_finish();
	MemoryContextDelete(scratch);
	return (Datum) 0;
}
