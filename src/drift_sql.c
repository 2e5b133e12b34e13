/*
 * drift_sql.c
 *		SQL glue for drift: pms.drift_of, the drift of every account (or some) in
 *		one pass, and pms.drift_measures, the drift of one sleeve from a target,
 *		both under the pms.drift_* settings (the pure rule is in drift.c).
 *
 * pms.drift_of takes each account's sleeve from the exposure scan and its
 * effective target from pms.effective_targets (one set-based query, its rows
 * streamed, not joined), applies the rule and writes the rows itself: no
 * per-account SQL.
 *
 * Bucket drifts come back as jsonb with the five bucket keys, each rounded to
 * twelve decimals (built from integers: no text round trip per number).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/jsonb.h"

#include "drift.h"
#include "exposure_scan.h"
#include "pms.h"
#include "spi_stream.h"
#include "uuid_hash.h"

PG_FUNCTION_INFO_V1(pms_drift_measures);
PG_FUNCTION_INFO_V1(pms_drift_of);

/* The overall-drift weights and warning band from the settings; refuses two zero weights. */
static DriftSettings
CurrentDriftSettings(void)
{
	DriftSettings s;

	s.duration_weight = pms_drift_duration_weight;
	s.bucket_weight = pms_drift_bucket_weight;
	s.warning_band = pms_drift_warning_band;
	if (s.duration_weight + s.bucket_weight <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pms.drift_duration_weight and pms.drift_bucket_weight are both 0"),
				 errdetail("Overall drift is the weighted mean of the duration drift and the largest bucket drift."),
				 errhint("Give at least one of the two settings a positive weight.")));
	return s;
}

/* Reads five bucket weights from a float8[] in bucket order; false when it is not one. */
static bool
ReadWeightArray(ArrayType *arr, double *out)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (ARR_ELEMTYPE(arr) != FLOAT8OID || ARR_NDIM(arr) != 1)
		return false;
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	if (n != DRIFT_BUCKETS)
		return false;
	for (int b = 0; b < DRIFT_BUCKETS; b++)
	{
		if (nulls[b])
			return false;
		out[b] = DatumGetFloat8(elems[b]);
	}
	return true;
}

/* Reads the five bucket weights of a target's jsonb object; false when one is missing. */
static bool
ReadWeightObject(Jsonb *j, double *out)
{
	if (!JB_ROOT_IS_OBJECT(j))
		return false;
	for (int b = 0; b < DRIFT_BUCKETS; b++)
	{
		JsonbValue *v = getKeyJsonValueFromContainer(&j->root, DriftBucketNames[b],
													 strlen(DriftBucketNames[b]), NULL);

		if (v == NULL || v->type != jbvNumeric)
			return false;
		out[b] = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
	}
	return true;
}

/* Decimals kept in a bucket drift. */
#define BUCKET_DRIFT_DECIMALS 12

/* A bucket drift (in [0, 1]) as a jsonb number rounded to BUCKET_DRIFT_DECIMALS, no trailing zeros. */
static JsonbValue
NumberValue(double x)
{
	JsonbValue	v;
	int64		units = (int64) rint(x * 1e12);
	int			decimals = BUCKET_DRIFT_DECIMALS;

	while (decimals > 0 && units % 10 == 0)
	{
		units /= 10;
		decimals--;
	}
	v.type = jbvNumeric;
	v.val.numeric = int64_div_fast_to_numeric(units, decimals);
	return v;
}

/* The bucket drifts as a jsonb object keyed by bucket name. */
static Jsonb *
BucketDriftsJsonb(const double *drifts)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (int b = 0; b < DRIFT_BUCKETS; b++)
	{
		JsonbValue	key;
		JsonbValue	value = NumberValue(drifts[b]);

		key.type = jbvString;
		key.val.string.val = (char *) DriftBucketNames[b];
		key.val.string.len = strlen(DriftBucketNames[b]);
		pushJsonbValue(&state, WJB_KEY, &key);
		pushJsonbValue(&state, WJB_VALUE, &value);
	}
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(result);
}

/*
 * SQL: pms.drift_measures(current_duration float8, current_weights float8[],
 * target_duration float8, target_weights jsonb, duration_tolerance float8,
 * bucket_tolerance float8) RETURNS pms.drift_measures; NULL without a target.
 * A NULL current duration is an empty sleeve (duration 0, every weight 0).
 */
Datum
pms_drift_measures(PG_FUNCTION_ARGS)
{
	DriftInput	in;
	DriftResult out;
	DriftSettings settings = CurrentDriftSettings();
	TupleDesc	desc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	for (int arg = 2; arg <= 5; arg++)
		if (PG_ARGISNULL(arg))
			PG_RETURN_NULL();
	memset(&in, 0, sizeof(in));
	in.has_duration = !PG_ARGISNULL(0);
	if (in.has_duration)
	{
		in.duration = PG_GETARG_FLOAT8(0);
		if (PG_ARGISNULL(1) || !ReadWeightArray(PG_GETARG_ARRAYTYPE_P(1), in.weights))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("current bucket weights must be an array of 5 numbers"),
					 errdetail("The weights are in bucket order: 0-2y, 2-5y, 5-10y, 10-20y, 20y+.")));
	}
	in.target_duration = PG_GETARG_FLOAT8(2);
	if (!ReadWeightObject(PG_GETARG_JSONB_P(3), in.target_weights))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("target bucket weights must be an object with a number for each of the 5 buckets"),
				 errdetail("The buckets are 0-2y, 2-5y, 5-10y, 10-20y and 20y+.")));
	in.duration_tolerance = PG_GETARG_FLOAT8(4);
	in.bucket_tolerance = PG_GETARG_FLOAT8(5);
	if (!(in.target_duration > 0) || !(in.duration_tolerance >= 0) || !(in.bucket_tolerance >= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("target duration must be above 0 and tolerances at least 0"),
				 errdetail("Target duration %g, duration tolerance %g, bucket tolerance %g.",
						   in.target_duration, in.duration_tolerance, in.bucket_tolerance)));

	DriftCompute(&in, &settings, &out);

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "pms.drift_measures must return a composite type");
	desc = BlessTupleDesc(desc);
	values[0] = Float8GetDatum(out.duration_drift);
	values[1] = JsonbPGetDatum(BucketDriftsJsonb(out.bucket_drifts));
	values[2] = Float8GetDatum(out.max_bucket_drift);
	values[3] = Float8GetDatum(out.overall_drift);
	values[4] = CStringGetTextDatum(DriftStatusName(out.status));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/* The last target bucket weights read, so that rows sharing a model parse them once. */
typedef struct WeightMemo
{
	Jsonb	   *jsonb;			/* a copy of the last jsonb read, or NULL */
	double		weights[DRIFT_BUCKETS];
} WeightMemo;

/* Reads a target's bucket weights, reusing the last ones when the jsonb is the same. */
static void
TargetWeights(WeightMemo *memo, Jsonb *j, double *out, MemoryContext cxt)
{
	if (memo->jsonb == NULL || VARSIZE(memo->jsonb) != VARSIZE(j) ||
		memcmp(memo->jsonb, j, VARSIZE(j)) != 0)
	{
		if (!ReadWeightObject(j, memo->weights))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("effective target bucket weights are not an object of the 5 buckets"),
					 errdetail("Targets are validated when they are set; this one is %s.",
							   JsonbToCString(NULL, &j->root, VARSIZE(j)))));
		if (memo->jsonb != NULL)
			pfree(memo->jsonb);
		memo->jsonb = MemoryContextAlloc(cxt, VARSIZE(j));
		memcpy(memo->jsonb, j, VARSIZE(j));
	}
	memcpy(out, memo->weights, sizeof(memo->weights));
}

/* What the drift pass knows of an account besides its sleeve. */
typedef struct AccountNote
{
	pg_uuid_t	account_id;		/* hash key */
	uint32		hash;			/* stored, so probing never rehashes */
	char		status;			/* simplehash slot status */
	bool		emitted;		/* its drift row is written */
	bool		rebalanced;		/* it has traded to rebalance: */
	TimestampTz rebalanced_at;	/* when, last */
} AccountNote;

#define SH_PREFIX notemap
#define SH_ELEMENT_TYPE AccountNote
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

/* Columns of the target query in pms_drift_of (the account query has the first two). */
enum
{
	TQ_ACCOUNT = 1, TQ_HOUSEHOLD, TQ_MODEL, TQ_SOURCE, TQ_DURATION, TQ_WEIGHTS, TQ_DURATION_TOL,
	TQ_BUCKET_TOL
};

/* Columns of pms.drift_of. */
enum
{
	DO_ACCOUNT, DO_HOUSEHOLD, DO_MODEL, DO_SOURCE, DO_CURRENT, DO_TARGET, DO_DURATION_DRIFT,
	DO_BUCKET_DRIFTS, DO_MAX_BUCKET, DO_OVERALL, DO_STATUS, DO_POSITIONS, DO_STALE, DO_REBALANCED,
	DO_COLUMNS
};

/* What each row of the queries in pms_drift_of needs. */
typedef struct DriftPass
{
	ExposureScan *scan;
	notemap_hash *notes;
	DriftSettings settings;
	WeightMemo	memo;
	ReturnSetInfo *rsinfo;
	MemoryContext keep;			/* outlives the rows: the weight memo */
} DriftPass;

/* Notes when an account last traded to rebalance (a row of pms.last_rebalances). */
static void
NoteRebalance(TupleTableSlot *slot, void *arg)
{
	DriftPass  *pass = arg;
	bool		found;
	AccountNote *note = notemap_insert(pass->notes, *DatumGetUUIDP(SpiStreamColumn(slot, 1, "pms.drift_of")),
									   &found);

	note->emitted = false;
	note->rebalanced = true;
	note->rebalanced_at = DatumGetTimestampTz(SpiStreamColumn(slot, 2, "pms.drift_of"));
}

/*
 * Writes the drift row of one account, a row of the target query (with_target)
 * or of the account query (without); an account already written is skipped.
 */
static void
EmitDriftRow(DriftPass *pass, TupleTableSlot *slot, bool with_target)
{
	Datum		values[DO_COLUMNS];
	bool		nulls[DO_COLUMNS];
	bool		isnull;
	bool		found;
	AccountNote *note;
	AccountSleeve sleeve;
	DriftInput	in;
	DriftResult out;
	const char *status;

	memset(nulls, true, sizeof(nulls));
	values[DO_ACCOUNT] = SpiStreamColumn(slot, TQ_ACCOUNT, "pms.drift_of");
	values[DO_HOUSEHOLD] = SpiStreamColumn(slot, TQ_HOUSEHOLD, "pms.drift_of");
	nulls[DO_ACCOUNT] = nulls[DO_HOUSEHOLD] = false;
	note = notemap_insert(pass->notes, *DatumGetUUIDP(values[DO_ACCOUNT]), &found);
	if (!found)
		note->rebalanced = false;
	else if (note->emitted)
		return;
	note->emitted = true;
	values[DO_REBALANCED] = TimestampTzGetDatum(note->rebalanced_at);
	nulls[DO_REBALANCED] = !note->rebalanced;
	if (with_target)
	{
		values[DO_MODEL] = slot_getattr(slot, TQ_MODEL, &nulls[DO_MODEL]);
		values[DO_SOURCE] = slot_getattr(slot, TQ_SOURCE, &nulls[DO_SOURCE]);
		values[DO_TARGET] = slot_getattr(slot, TQ_DURATION, &nulls[DO_TARGET]);
	}
	ExposureScanSleeve(pass->scan, DatumGetUUIDP(values[DO_ACCOUNT]), &sleeve);
	values[DO_CURRENT] = Float8GetDatum(sleeve.duration);
	nulls[DO_CURRENT] = !sleeve.has_duration;
	values[DO_POSITIONS] = Int32GetDatum(sleeve.positions);
	values[DO_STALE] = Int32GetDatum(sleeve.stale);
	nulls[DO_POSITIONS] = nulls[DO_STALE] = false;

	if (nulls[DO_TARGET])
		status = "no target";
	else if (sleeve.positions > 0 && sleeve.stale == sleeve.positions)
		status = "unpriced";	/* every bond stale: no measurable drift */
	else
	{
		in.has_duration = sleeve.has_duration;
		in.duration = sleeve.duration;
		memcpy(in.weights, sleeve.weights, sizeof(in.weights));
		in.target_duration = DatumGetFloat8(values[DO_TARGET]);
		TargetWeights(&pass->memo, DatumGetJsonbP(slot_getattr(slot, TQ_WEIGHTS, &isnull)), in.target_weights,
					  pass->keep);
		in.duration_tolerance = DatumGetFloat8(slot_getattr(slot, TQ_DURATION_TOL, &isnull));
		in.bucket_tolerance = DatumGetFloat8(slot_getattr(slot, TQ_BUCKET_TOL, &isnull));
		DriftCompute(&in, &pass->settings, &out);
		values[DO_DURATION_DRIFT] = Float8GetDatum(out.duration_drift);
		values[DO_BUCKET_DRIFTS] = JsonbPGetDatum(BucketDriftsJsonb(out.bucket_drifts));
		values[DO_MAX_BUCKET] = Float8GetDatum(out.max_bucket_drift);
		values[DO_OVERALL] = Float8GetDatum(out.overall_drift);
		nulls[DO_DURATION_DRIFT] = nulls[DO_BUCKET_DRIFTS] = nulls[DO_MAX_BUCKET] = nulls[DO_OVERALL] = false;
		status = DriftStatusName(out.status);
	}
	values[DO_STATUS] = CStringGetTextDatum(status);
	nulls[DO_STATUS] = false;
	tuplestore_putvalues(pass->rsinfo->setResult, pass->rsinfo->setDesc, values, nulls);
}

/* Writes the drift row of an account with an effective target (a row of the target query). */
static void
EmitTargetedRow(TupleTableSlot *slot, void *arg)
{
	EmitDriftRow(arg, slot, true);
}

/* Writes the row of an account the target query did not have: it has no target. */
static void
EmitUntargetedRow(TupleTableSlot *slot, void *arg)
{
	EmitDriftRow(arg, slot, false);
}

/*
 * SQL: pms.drift_of(as_of date, known_at timestamptz, account_ids uuid[]): the drift
 * of every account (or some) from its effective target, one row per account.
 * Three streamed queries after the exposure scan: when each account last
 * rebalanced (few rows, kept in a map), the effective targets (a row each,
 * written at once), then the accounts, for those without a target.
 */
Datum
pms_drift_of(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext scratch = AllocSetContextCreate(caller, "pms.drift_of", ALLOCSET_DEFAULT_SIZES);
	ArrayType  *account_ids = PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2);
	DriftPass	pass = {NULL};
	Oid			types[3] = {DATEOID, TIMESTAMPTZOID, UUIDARRAYOID};
	Datum		values[3];
	bool		nulls[3] = {false, false, account_ids == NULL};

	pass.settings = CurrentDriftSettings();
	pass.rsinfo = rsinfo;
	pass.keep = scratch;
	InitMaterializedSRF(fcinfo, 0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pms.drift_of: SPI_connect failed");
	pass.scan = ExposureScanRun(PG_GETARG_DATUM(0), PG_ARGISNULL(0), PG_GETARG_DATUM(1), PG_ARGISNULL(1),
								account_ids, scratch);
	pass.notes = notemap_create(scratch, Max(ExposureScanAccounts(pass.scan), 1024), NULL);
	values[0] = DateADTGetDatum(ExposureScanAsOf(pass.scan));
	values[1] = TimestampTzGetDatum(ExposureScanKnownAt(pass.scan));
	values[2] = account_ids ? PointerGetDatum(account_ids) : (Datum) 0;
	SpiStreamQuery("pms.drift_of",
				   "SELECT r.account_id, r.last_rebalanced_at FROM pms.last_rebalances($1, $2, $3) r",
				   3, types, values, nulls, NoteRebalance, &pass);
	SpiStreamQuery("pms.drift_of",
				   "SELECT t.account_id, t.household_id, t.model_id, t.source, t.duration_target, "
				   "       t.bucket_weights, t.duration_tolerance, t.bucket_tolerance "
				   "FROM pms.effective_targets(pms.end_of_day($1), $3) t",
				   3, types, values, nulls, EmitTargetedRow, &pass);
	SpiStreamQuery("pms.drift_of",
				   "SELECT a.account_id, a.household_id FROM pms.accounts a "
				   "WHERE $3 IS NULL OR a.account_id = ANY ($3)",
				   3, types, values, nulls, EmitUntargetedRow, &pass);
	SPI_finish();
	MemoryContextSwitchTo(caller);
	MemoryContextDelete(scratch);
	return (Datum) 0;
}
