/*
 * settings.c
 *		The time-travel settings (pms.as_of, pms.known_at, pms.position_basis) and the
 *		market-data settings (pms.max_price_age, pms.fx_pivot) and the drift settings
 *		(pms.drift_duration_weight, pms.drift_bucket_weight, pms.drift_warning_band,
 *		pms.drift_rebalance_threshold).
 *
 * pms.as_of and pms.known_at are strings so that '' can mean "today" / "now";
 * their check hooks parse them with the date and timestamptz input functions so
 * a bad value is refused at SET time, not at the first read.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"

#include "pms.h"

PG_FUNCTION_INFO_V1(pms_max_price_age_days);
PG_FUNCTION_INFO_V1(pms_fx_pivot_currency);
PG_FUNCTION_INFO_V1(pms_drift_rebalance_threshold_value);

char	   *pms_as_of = NULL;
char	   *pms_known_at = NULL;
int			pms_position_basis = POSITION_BASIS_TRADE;
int			pms_max_price_age = 5;
char	   *pms_fx_pivot = NULL;
double		pms_drift_duration_weight = 0.5;
double		pms_drift_bucket_weight = 0.5;
double		pms_drift_warning_band = 0.8;
double		pms_drift_rebalance_threshold = 0.05;

static const struct config_enum_entry position_basis_options[] = {
	{"trade", POSITION_BASIS_TRADE, false},
	{"settle", POSITION_BASIS_SETTLE, false},
	{NULL, 0, false}
};

/* True when value parses with the given type input function (errors are caught). */
static bool
ParsesAs(const char *value, Oid input_func, Oid typioparam)
{
	bool		ok = true;
	MemoryContext oldcontext = CurrentMemoryContext;

	PG_TRY();
	{
		(void) OidInputFunctionCall(input_func, (char *) value, typioparam, -1);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(oldcontext);
		FlushErrorState();
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/* Check hook of pms.as_of: empty, or a date. */
static bool
CheckAsOf(char **newval, void **extra, GucSource source)
{
	if (**newval == '\0' || ParsesAs(*newval, F_DATE_IN, InvalidOid))
		return true;
	GUC_check_errdetail("pms.as_of must be a date such as 2026-06-30, or empty for today.");
	return false;
}

/* Check hook of pms.known_at: empty, or a timestamp with time zone. */
static bool
CheckKnownAt(char **newval, void **extra, GucSource source)
{
	if (**newval == '\0' || ParsesAs(*newval, F_TIMESTAMPTZ_IN, InvalidOid))
		return true;
	GUC_check_errdetail("pms.known_at must be a timestamp such as 2026-06-30 18:00+00, or empty for now.");
	return false;
}

/* Check hook of pms.fx_pivot: three capital letters, the shape of an ISO 4217 code. */
static bool
CheckFxPivot(char **newval, void **extra, GucSource source)
{
	const char *v = *newval;

	if (strlen(v) == 3 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z'
		&& v[2] >= 'A' && v[2] <= 'Z')
		return true;
	GUC_check_errdetail("pms.fx_pivot must be an ISO 4217 currency code such as USD.");
	return false;
}

/* Registers the time-travel and market-data settings. */
void
SettingsInit(void)
{
	DefineCustomStringVariable("pms.as_of",
							   "Business date that reads are computed as of ('' = today).",
							   "Reads that are not given an as_of argument use this date.",
							   &pms_as_of, "", PGC_USERSET, 0,
							   CheckAsOf, NULL, NULL);
	DefineCustomStringVariable("pms.known_at",
							   "Knowledge time that reads are computed as known at ('' = now).",
							   "Reads that are not given a known_at argument see only what was recorded by then.",
							   &pms_known_at, "", PGC_USERSET, 0,
							   CheckKnownAt, NULL, NULL);
	DefineCustomEnumVariable("pms.position_basis",
							 "Date that dates positions: trade or settle.",
							 NULL,
							 &pms_position_basis, POSITION_BASIS_TRADE,
							 position_basis_options, PGC_USERSET, 0,
							 NULL, NULL, NULL);
	DefineCustomIntVariable("pms.max_price_age",
							"Oldest evaluated price, FX rate or curve a valuation may use, in days.",
							"A valuation as of D uses the latest price dated on or before D and no more than this many days before it; older data leaves the position stale.",
							&pms_max_price_age, 5, 0, 3660, PGC_USERSET, 0,
							NULL, NULL, NULL);
	DefineCustomStringVariable("pms.fx_pivot",
							   "Currency that pms.fx_rates quotes every rate against.",
							   "A rate of 1.08 for EUR means one EUR is worth 1.08 units of this currency; the pivot itself has rate 1.",
							   &pms_fx_pivot, "USD", PGC_SUSET, 0,
							   CheckFxPivot, NULL, NULL);
	DefineCustomRealVariable("pms.drift_duration_weight",
							 "Weight of the duration drift in an account's overall drift.",
							 "Overall drift = (this x duration drift + pms.drift_bucket_weight x largest bucket drift) / (sum of the two weights).",
							 &pms_drift_duration_weight, 0.5, 0.0, 1000.0, PGC_USERSET, 0,
							 NULL, NULL, NULL);
	DefineCustomRealVariable("pms.drift_bucket_weight",
							 "Weight of the largest bucket drift in an account's overall drift.",
							 "Overall drift = (pms.drift_duration_weight x duration drift + this x largest bucket drift) / (sum of the two weights).",
							 &pms_drift_bucket_weight, 0.5, 0.0, 1000.0, PGC_USERSET, 0,
							 NULL, NULL, NULL);
	DefineCustomRealVariable("pms.drift_warning_band",
							 "Fraction of a tolerance from which an account's drift is a warning (yellow).",
							 "A drift above its tolerance is red; above this fraction of it, yellow; otherwise green.",
							 &pms_drift_warning_band, 0.8, 0.0, 1.0, PGC_USERSET, 0,
							 NULL, NULL, NULL);
	DefineCustomRealVariable("pms.drift_rebalance_threshold",
							 "Overall drift above which an account requires rebalancing.",
							 "pms.drift_dashboard.requires_rebalance and pms.drift_summary.requiring_rebalance use it.",
							 &pms_drift_rebalance_threshold, 0.05, 0.0, 1000.0, PGC_USERSET, 0,
							 NULL, NULL, NULL);
}

/* SQL: pms.max_price_age(), the setting in days (loading the library validates it). */
Datum
pms_max_price_age_days(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(pms_max_price_age);
}

/* SQL: pms.fx_pivot(), the currency every FX rate is quoted against. */
Datum
pms_fx_pivot_currency(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(pms_fx_pivot));
}

/* SQL: pms.drift_rebalance_threshold(), overall drift above which an account requires rebalancing. */
Datum
pms_drift_rebalance_threshold_value(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(pms_drift_rebalance_threshold);
}
