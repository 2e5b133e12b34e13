/*
 * drift.c
 *		Drift of a fixed-income sleeve from its target (pure C; see drift.h).
 *
 * Deterministic: the same input gives the same bits, with a fixed order of
 * operations and no library calls beyond fabs.
 */
#include <math.h>
#include <string.h>

#include "drift.h"

const char *const DriftBucketNames[DRIFT_BUCKETS] = {"0-2y", "2-5y", "5-10y", "10-20y", "20y+"};

/* Index of a bucket name, or -1 when it is not one of the five. */
int
DriftBucketIndex(const char *name, int len)
{
	for (int b = 0; b < DRIFT_BUCKETS; b++)
		if ((int) strlen(DriftBucketNames[b]) == len && memcmp(DriftBucketNames[b], name, len) == 0)
			return b;
	return -1;
}

/* Computes the drift of in under settings (which must have a positive weight sum). */
void
DriftCompute(const DriftInput *in, const DriftSettings *settings, DriftResult *out)
{
	double		current = in->has_duration ? in->duration : 0.0;
	double		largest = 0.0;
	bool		red;
	bool		yellow;

	out->duration_drift = fabs(current - in->target_duration) / in->target_duration;
	for (int b = 0; b < DRIFT_BUCKETS; b++)
	{
		double		weight = in->has_duration ? in->weights[b] : 0.0;
		double		d = fabs(weight - in->target_weights[b]);

		out->bucket_drifts[b] = d;
		if (d > largest)
			largest = d;
	}
	out->max_bucket_drift = largest;
	out->overall_drift = (settings->duration_weight * out->duration_drift +
						  settings->bucket_weight * largest) /
		(settings->duration_weight + settings->bucket_weight);

	red = out->duration_drift > in->duration_tolerance || largest > in->bucket_tolerance;
	yellow = out->duration_drift > settings->warning_band * in->duration_tolerance ||
		largest > settings->warning_band * in->bucket_tolerance;
	out->status = red ? DRIFT_RED : yellow ? DRIFT_YELLOW : DRIFT_GREEN;
}

/* The status as text: green, yellow or red. */
const char *
DriftStatusName(DriftStatus status)
{
	switch (status)
	{
		case DRIFT_GREEN:
			return "green";
		case DRIFT_YELLOW:
			return "yellow";
		case DRIFT_RED:
			return "red";
	}
	return "red";
}
