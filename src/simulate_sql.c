/*
 * simulate_sql.c
 *		SQL glue for the rebalance simulator: pms.simulate_rebalance(jsonb).
 *
 * Converts the jsonb request to its canonical text (jsonb's own output, the
 * same text pms.run_rebalance_simulation hashes with sha256()), hashes it,
 * checks currency codes against pms.currencies through SPI, runs the pure
 * core in a scratch memory context deleted afterwards, and maps the core's
 * error kinds to SQLSTATEs (the JSON path of the offending field is always in
 * errdetail).
 */
#include "postgres.h"

#include "common/cryptohash.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "simulate.h"

PG_FUNCTION_INFO_V1(pms_simulate_rebalance);

/* Saved plan of the currency lookup (kept for the life of the backend). */
static SPIPlanPtr currency_plan = NULL;

/* Per-call memo of currency codes already checked. */
typedef struct CurrencyMemo
{
	int			n;
	char		codes[32][4];
	bool		known[32];
	bool		spi_connected;
} CurrencyMemo;

/*
 * Allocator for the pure core: the scratch memory context.  The core keeps
 * __int128 fields, which need 16-byte alignment (palloc guarantees only
 * MAXALIGN, 8 bytes), so each block is over-allocated and aligned up.
 */
static void *
ScratchAlloc(void *ctx, size_t size)
{
	char	   *p = MemoryContextAllocHuge((MemoryContext) ctx, size + 15);

	return (void *) TYPEALIGN(16, p);
}

/* True when code is a row of pms.currencies (memoised per call). */
static bool
CurrencyKnown(void *ctx, const char *code)
{
	CurrencyMemo *memo = ctx;
	Datum		arg;
	bool		known;

	for (int i = 0; i < memo->n; i++)
		if (strcmp(memo->codes[i], code) == 0)
			return memo->known[i];
	if (!memo->spi_connected)
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		memo->spi_connected = true;
	}
	if (currency_plan == NULL)
	{
		Oid			argtypes[1] = {TEXTOID};
		SPIPlanPtr	plan = SPI_prepare("SELECT 1 FROM pms.currencies WHERE currency_code = $1",
									   1, argtypes);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "could not prepare the currency lookup");
		currency_plan = plan;
	}
	arg = CStringGetTextDatum(code);
	if (SPI_execute_plan(currency_plan, &arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "currency lookup failed");
	known = SPI_processed > 0;
	if (memo->n < 32)
	{
		memcpy(memo->codes[memo->n], code, 4);
		memo->known[memo->n++] = known;
	}
	return known;
}

/* SQLSTATE of a core error kind. */
static int
ErrorCode(SimErrorKind kind)
{
	switch (kind)
	{
		case SIM_ERR_MISSING:
			return ERRCODE_SQL_JSON_MEMBER_NOT_FOUND;
		case SIM_ERR_DUPLICATE:
			return ERRCODE_DUPLICATE_JSON_OBJECT_KEY_VALUE;
		case SIM_ERR_RANGE:
			return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
		case SIM_ERR_JSON:
			return ERRCODE_INVALID_TEXT_REPRESENTATION;
		default:
			return ERRCODE_INVALID_PARAMETER_VALUE;
	}
}

/* Hint of a core error kind. */
static const char *
ErrorHint(SimErrorKind kind)
{
	switch (kind)
	{
		case SIM_ERR_MISSING:
			return "Add the field; docs/simulation.md lists the request contract.";
		case SIM_ERR_UNKNOWN_FIELD:
			return "Check the spelling against the request contract in docs/simulation.md.";
		case SIM_ERR_DUPLICATE:
			return "List each instrument, currency and rule once.";
		case SIM_ERR_CURRENCY:
			return "Use an ISO 4217 code from pms.currencies.";
		case SIM_ERR_RANGE:
			return "Amounts are held exactly with 12 decimals and must stay below 1e18.";
		default:
			return "Correct the field; docs/simulation.md lists the request contract.";
	}
}

/* Hex SHA-256 of data into hex (65 bytes). */
static void
Sha256Hex(const char *data, size_t len, char *hex)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	uint8		digest[32];

	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) data, len) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
	pg_cryptohash_free(ctx);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

/* pms.simulate_rebalance(jsonb): runs the simulator and returns the response. */
Datum
pms_simulate_rebalance(PG_FUNCTION_ARGS)
{
	Jsonb	   *request;
	MemoryContext scratch,
				caller = CurrentMemoryContext;
	SimAlloc	mem;
	SimError	err;
	CurrencyMemo memo;
	char	   *text;
	char	   *out;
	char		hash[65];
	size_t		outlen;
	Datum		result;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("request must not be null"),
				 errdetail("pms.simulate_rebalance requires a request document."),
				 errhint("Pass the request as a jsonb object.")));
	request = PG_GETARG_JSONB_P(0);
	scratch = AllocSetContextCreate(CurrentMemoryContext, "pms simulate_rebalance",
									ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(scratch);
	text = JsonbToCString(NULL, &request->root, VARSIZE(request));
	Sha256Hex(text, strlen(text), hash);
	mem.alloc = ScratchAlloc;
	mem.ctx = scratch;
	memo.n = 0;
	memo.spi_connected = false;
	out = SimSimulateText(text, strlen(text), hash, &mem, CurrencyKnown, &memo, &err, &outlen, NULL);
	if (memo.spi_connected)
		SPI_finish();
	MemoryContextSwitchTo(caller);
	if (out == NULL)
		ereport(ERROR,
				(errcode(ErrorCode(err.kind)),
				 errmsg("%s", err.message),
				 errdetail("%s", err.detail),
				 errhint("%s", ErrorHint(err.kind))));
	result = DirectFunctionCall1(jsonb_in, CStringGetDatum(out));
	MemoryContextDelete(scratch);
	PG_RETURN_DATUM(result);
}
