/*
 * drift.h
 *		Drift of a fixed-income sleeve from its target (pure C, no PostgreSQL types).
 *
 * Duration drift is relative: |current - target| / target.  Bucket drift is
 * absolute, per maturity bucket: |current weight - target weight|.  Overall
 * drift is the weighted mean of the duration drift and the largest bucket
 * drift.  Status compares the two drifts with the target's tolerances: above a
 * tolerance is red, above warning_band x a tolerance is yellow, else green.  A
 * sleeve with no valued bond has duration 0 and every bucket weight 0, so its
 * drift is measured against an empty sleeve.  docs/drift.md has the rule.
 */
#ifndef PMS_DRIFT_H
#define PMS_DRIFT_H

#include <stdbool.h>

/* The five maturity buckets, in the order of pms.maturity_bucket's ranges. */
#define DRIFT_BUCKETS 5

/* Bucket names as they appear in bucket_weights and bucket_drifts. */
extern const char *const DriftBucketNames[DRIFT_BUCKETS];

/* Status of an account's drift against its tolerances. */
typedef enum DriftStatus
{
	DRIFT_GREEN,				/* within warning_band x every tolerance */
	DRIFT_YELLOW,				/* within tolerance but past the warning band */
	DRIFT_RED					/* out of tolerance */
} DriftStatus;

/* How the overall drift and the warning band are set (GUCs pms.drift_*). */
typedef struct DriftSettings
{
	double		duration_weight;	/* weight of the duration drift, >= 0 */
	double		bucket_weight;	/* weight of the largest bucket drift, >= 0 */
	double		warning_band;	/* yellow from this fraction of a tolerance, in (0, 1] */
} DriftSettings;

/* A sleeve's current measures and its effective target. */
typedef struct DriftInput
{
	bool		has_duration;	/* false: no valued bond (empty sleeve) */
	double		duration;		/* current modified duration */
	double		weights[DRIFT_BUCKETS]; /* current bucket weights */
	double		target_duration;	/* > 0 */
	double		target_weights[DRIFT_BUCKETS];
	double		duration_tolerance; /* relative, >= 0 */
	double		bucket_tolerance;	/* absolute, >= 0 */
} DriftInput;

/* The drift of one sleeve. */
typedef struct DriftResult
{
	double		duration_drift;
	double		bucket_drifts[DRIFT_BUCKETS];
	double		max_bucket_drift;
	double		overall_drift;
	DriftStatus status;
} DriftResult;

/* Index of a bucket name, or -1 when it is not one of the five. */
extern int	DriftBucketIndex(const char *name, int len);

/* Computes the drift of in under settings (which must have a positive weight sum). */
extern void DriftCompute(const DriftInput *in, const DriftSettings *settings, DriftResult *out);

/* The status as text: green, yellow or red. */
extern const char *DriftStatusName(DriftStatus status);

#endif							/* PMS_DRIFT_H */
