/*
 * simulate.h
 *		The rebalance simulator of RFC-0001 (issue 6): request model, result
 *		model and the three stages (read request, run pipeline, write response).
 *		Pure C, no PostgreSQL types: the SQL glue is simulate_sql.c.
 *
 * Money, quantities, prices, rates and weights are Decs (decimal.h, exact
 * fixed point with twelve decimals).  Every list in the request is sorted by
 * its key after reading, and every list in the response is written in a
 * documented order, so identical requests give byte-identical responses.
 */
#ifndef PMS_SIMULATE_H
#define PMS_SIMULATE_H

#include "decimal.h"
#include "simjson.h"

#include <stdint.h>

/* ---- request ---- */

typedef enum ShelfStatus
{
	SHELF_APPROVED,
	SHELF_RESTRICTED,
	SHELF_BANNED,
	SHELF_SUSPENDED
} ShelfStatus;

typedef enum AssetClass
{
	ASSET_EQUITY,
	ASSET_ETF,
	ASSET_BOND,
	ASSET_FUND					/* notional: traded by amount */
} AssetClass;

typedef enum RuleType
{
	RULE_MAX_POSITION_WEIGHT,
	RULE_MIN_CASH_WEIGHT,
	RULE_MAX_CASH_WEIGHT,
	RULE_MAX_ASSET_CLASS_WEIGHT,
	RULE_NO_NEGATIVE_CASH
} RuleType;

/* Names of the rule types, indexed by RuleType, NULL-terminated. */
extern const char *const SimRuleTypeNames[];

typedef struct SimPosition
{
	const char *instrument_id;
	Dec			quantity;
} SimPosition;

typedef struct SimCash
{
	char		currency[4];
	Dec			amount;
} SimCash;

typedef struct SimPrice
{
	const char *instrument_id;
	Dec			price;
	char		currency[4];
	int64_t		as_of;			/* seconds since 1970-01-01 UTC */
} SimPrice;

typedef struct SimFxRate
{
	char		currency[4];
	Dec			rate;			/* base units per one unit of currency */
} SimFxRate;

typedef struct SimTarget
{
	const char *instrument_id;
	Dec			weight;
} SimTarget;

typedef struct SimShelfEntry
{
	const char *instrument_id;
	ShelfStatus status;
	AssetClass	asset_class;
	Dec			min_notional;	/* in the instrument's price currency */
} SimShelfEntry;

typedef struct SimRule
{
	const char *rule_id;
	RuleType	type;
	bool		hard;
	bool		has_limit;
	Dec			limit;
	AssetClass	asset_class;	/* RULE_MAX_ASSET_CLASS_WEIGHT */
} SimRule;

typedef struct SimRequest
{
	const char *portfolio_id;
	const char *portfolio_snapshot_id;	/* optional: NULL */
	char		base_currency[4];
	int64_t		portfolio_as_of;
	SimPosition *positions;
	int			npositions;
	SimCash    *cash;
	int			ncash;

	const char *market_data_snapshot_id;
	int64_t		market_as_of;
	SimPrice   *prices;
	int			nprices;
	SimFxRate  *fx_rates;
	int			nfx;

	const char *model_portfolio_id;
	SimTarget  *targets;
	int			ntargets;

	SimShelfEntry *shelf;
	int			nshelf;

	const char *policy_version;
	bool		has_cap;
	Dec			single_position_max_weight;
	SimRule    *rules;
	int			nrules;

	bool		suppress_dust_trades;
	Dec			fx_buffer_pct;
	bool		allow_restricted;
	Dec			max_skew_minutes;
	Dec			max_staleness_minutes;
	bool		exclude_stale_instead_of_block;
} SimRequest;

/* ---- errors ---- */

/* Why a request is malformed; the glue maps each to a SQLSTATE. */
typedef enum SimErrorKind
{
	SIM_OK = 0,
	SIM_ERR_JSON,				/* not parseable JSON (cannot come from jsonb) */
	SIM_ERR_MISSING,			/* a required field is absent */
	SIM_ERR_TYPE,				/* a field has the wrong JSON type */
	SIM_ERR_VALUE,				/* a value is out of its domain */
	SIM_ERR_UNKNOWN_FIELD,		/* a field the contract does not define */
	SIM_ERR_DUPLICATE,			/* a key appears twice in a list */
	SIM_ERR_CURRENCY,			/* not an ISO 4217 code known to pms */
	SIM_ERR_RANGE				/* a number too large, too precise, or an overflow */
} SimErrorKind;

typedef struct SimError
{
	SimErrorKind kind;
	char		path[200];		/* JSON path of the offending field, e.g. $.policy.rules[0].type */
	char		message[200];	/* errmsg: lowercase, no period */
	char		detail[300];	/* errdetail: a full sentence */
} SimError;

/* Asks the caller whether an ISO 4217 code is known (pms.currencies in the backend). */
typedef bool (*SimCurrencyCheck) (void *ctx, const char *code);

/* ---- stages ---- */

/*
 * Reads a request from its JSON tree.  Returns false and fills err when the
 * request is malformed.  currency_known may be NULL (format check only).
 */
extern bool SimReadRequest(const JsonNode *root, SimAlloc *mem,
						   SimCurrencyCheck currency_known, void *check_ctx,
						   SimRequest *req, SimError *err);

/* Opaque outcome of the pipeline. */
typedef struct SimResult SimResult;

/*
 * Runs the pipeline of RFC-0001 §6 on a valid request.  Returns NULL and
 * fills err (SIM_ERR_RANGE) only when an amount overflows the fixed-point range.
 */
extern SimResult *SimRun(const SimRequest *req, SimAlloc *mem, SimError *err);

/* Status of a result: "READY", "PENDING_REVIEW" or "BLOCKED". */
extern const char *SimResultStatus(const SimResult *res);

/* Number of instruments excluded from the universe. */
extern int	SimResultExcludedCount(const SimResult *res);

/*
 * Writes the response JSON.  request_hash is the hex SHA-256 of the canonical
 * request text; the run id is "rr_" and its first 16 digits.
 */
extern void SimWriteResponse(const SimRequest *req, const SimResult *res,
							 const char *request_hash, JsonBuf *out);

/* Convenience for unit tests and the glue: text in, response text out (NULL on error). */
extern char *SimSimulateText(const char *text, size_t len, const char *request_hash,
							 SimAlloc *mem, SimCurrencyCheck currency_known,
							 void *check_ctx, SimError *err, size_t *outlen,
							 const char **status);

#endif							/* PMS_SIMULATE_H */
