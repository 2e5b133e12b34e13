/*
 * drift_sql.c
 *		SQL glue for drift: pms.drift_measures, the drift of one sleeve from its
 *		target under the pms.drift_* settings (the pure rule is in drift.c).
 *
 * Bucket drifts come back as jsonb with the five bucket keys; each number is
 * the float8's shortest exact text, as jsonb_build_object would store it.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/jsonb.h"

#include "drift.h"
#include "pms.h"

PG_FUNCTION_INFO_V1(pms_drift_measures);

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

/* A float8 as a jsonb numeric value (its shortest exact text). */
static JsonbValue
NumberValue(double x)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(float8out_internal(x)),
														ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
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
