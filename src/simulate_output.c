/*
 * simulate_output.c
 *		Writes the simulator's response JSON (issue 6 shape) and offers the
 *		text-in/text-out entry point used by the SQL glue and unit tests.
 *
 * Number formats (documented in docs/simulation.md): money amounts (and FX
 * intent quantities, which are amounts) with exactly 2 decimals, weights and ratios with exactly 6, quantities exact with
 * trailing zeros removed; all rounding half away from zero.  Lists are
 * written in pipeline order, which is instrument_id / currency order.
 */
#include "simulate_int.h"

#include <string.h>

/* Writes the comma before every list element but the first. */
static void
Sep(JsonBuf *b, bool *first)
{
	if (!*first)
		JsonBufChar(b, ',');
	*first = false;
}

/* Writes a Dec with a fixed number of decimals. */
static void
Number(JsonBuf *b, Dec v, int places)
{
	char		num[48];

	JsonBufAppend(b, num, (size_t) DecFormat(v, places, num));
}

/* Writes a quantity exactly. */
static void
Quantity(JsonBuf *b, Dec v)
{
	char		num[48];

	JsonBufAppend(b, num, (size_t) DecFormatTrim(v, num));
}

/* Writes {"amount": a, "currency": c}. */
static void
Money(JsonBuf *b, Dec amount, const char *ccy)
{
	JsonBufPuts(b, "{\"amount\":");
	Number(b, amount, 2);
	JsonBufPuts(b, ",\"currency\":");
	JsonBufString(b, ccy);
	JsonBufChar(b, '}');
}

/* Writes a string or null. */
static void
StringOrNull(JsonBuf *b, const char *s)
{
	if (s)
		JsonBufString(b, s);
	else
		JsonBufPuts(b, "null");
}

/* Writes a weight (6 decimals) of value in total, or null when total is not positive. */
static void
WeightOf(JsonBuf *b, Dec value, Dec total)
{
	Dec			w;

	if (total <= 0 || !DecDiv(value, total, &w))
		JsonBufPuts(b, "null");
	else
		Number(b, w, 6);
}

/* Writes a list of issues. */
static void
Issues(JsonBuf *b, const Issue *list, int n)
{
	JsonBufChar(b, '[');
	for (int k = 0; k < n; k++)
	{
		if (k)
			JsonBufChar(b, ',');
		JsonBufPuts(b, "{\"code\":");
		JsonBufString(b, list[k].code);
		JsonBufPuts(b, ",\"subject\":");
		JsonBufString(b, list[k].subject);
		JsonBufPuts(b, ",\"message\":");
		JsonBufString(b, list[k].message);
		JsonBufChar(b, '}');
	}
	JsonBufChar(b, ']');
}

/* Writes the intents array. */
static void
Intents(JsonBuf *b, const SimResult *res)
{
	JsonBufChar(b, '[');
	for (int k = 0; k < res->nintents; k++)
	{
		const Intent *it = &res->intents[k];

		if (k)
			JsonBufChar(b, ',');
		JsonBufPuts(b, "{\"intent_id\":");
		JsonBufString(b, it->id);
		JsonBufPuts(b, it->fx ? ",\"type\":\"FX_SPOT\"" : ",\"type\":\"SECURITY_TRADE\"");
		JsonBufPuts(b, ",\"instrument_id\":");
		JsonBufString(b, it->instrument_id);
		JsonBufPuts(b, it->side > 0 ? ",\"side\":\"BUY\"" : ",\"side\":\"SELL\"");
		JsonBufPuts(b, ",\"quantity\":");
		if (it->fx)
			Number(b, it->quantity, 2);	/* the bought currency amount */
		else
			Quantity(b, it->quantity);
		JsonBufPuts(b, ",\"notional_estimated\":");
		Money(b, it->amount, it->currency);
		JsonBufPuts(b, ",\"rationale\":{\"code\":");
		JsonBufString(b, SimRationaleCode(it->rationale));
		JsonBufPuts(b, ",\"message\":");
		JsonBufString(b, it->message);
		JsonBufPuts(b, "},\"dependencies\":[");
		if (it->dependency >= 0)
			JsonBufString(b, res->intents[it->dependency].id);
		JsonBufPuts(b, "]}");
	}
	JsonBufChar(b, ']');
}

/* Writes the universe object. */
static void
Universe(JsonBuf *b, const SimResult *res)
{
	bool		first = true;

	JsonBufPuts(b, "{\"eligible\":[");
	for (int k = 0; k < res->ninstr; k++)
		if (res->instr[k].eligible)
		{
			Sep(b, &first);
			JsonBufString(b, res->instr[k].id);
		}
	JsonBufPuts(b, "],\"excluded\":[");
	first = true;
	for (int k = 0; k < res->ninstr; k++)
		if (!res->instr[k].eligible)
		{
			Sep(b, &first);
			JsonBufPuts(b, "{\"instrument_id\":");
			JsonBufString(b, res->instr[k].id);
			JsonBufPuts(b, ",\"reason\":");
			JsonBufString(b, SimExclusionCode(res->instr[k].exclusion));
			JsonBufChar(b, '}');
		}
	JsonBufPuts(b, "]}");
}

/* Writes the after-state (null when the run stopped before trading). */
static void
AfterState(JsonBuf *b, const SimRequest *req, const SimResult *res)
{
	bool		first = true;

	if (!res->traded)
	{
		JsonBufPuts(b, "null");
		return;
	}
	JsonBufPuts(b, "{\"total_value\":");
	Money(b, res->total_after, req->base_currency);
	JsonBufPuts(b, ",\"positions\":[");
	for (int k = 0; k < res->ninstr; k++)
	{
		const Instr *in = &res->instr[k];

		if (in->after_qty <= 0)
			continue;
		Sep(b, &first);
		JsonBufPuts(b, "{\"instrument_id\":");
		JsonBufString(b, in->id);
		JsonBufPuts(b, ",\"quantity\":");
		Quantity(b, in->after_qty);
		JsonBufPuts(b, ",\"market_value\":");
		if (in->valued)
			Money(b, in->after_value, req->base_currency);
		else
			JsonBufPuts(b, "null");
		JsonBufPuts(b, ",\"weight\":");
		if (in->valued)
			WeightOf(b, in->after_value, res->total_after);
		else
			JsonBufPuts(b, "null");
		JsonBufChar(b, '}');
	}
	JsonBufPuts(b, "],\"cash_balances\":[");
	for (int k = 0; k < res->ncash; k++)
	{
		const CashLine *c = &res->cash[k];
		Dec			base = 0;

		if (k)
			JsonBufChar(b, ',');
		JsonBufPuts(b, "{\"currency\":");
		JsonBufString(b, c->currency);
		JsonBufPuts(b, ",\"amount\":");
		Number(b, c->amount, 2);
		JsonBufPuts(b, ",\"weight\":");
		if (c->has_rate && DecMul(c->amount, c->rate, &base))
			WeightOf(b, base, res->total_after);
		else
			JsonBufPuts(b, "null");
		JsonBufChar(b, '}');
	}
	JsonBufPuts(b, "]}");
}

/* Writes rule_results. */
static void
RuleResults(JsonBuf *b, const SimResult *res)
{
	JsonBufChar(b, '[');
	for (int k = 0; k < res->nrules; k++)
	{
		const RuleResult *r = &res->rules[k];

		if (k)
			JsonBufChar(b, ',');
		JsonBufPuts(b, "{\"rule_id\":");
		JsonBufString(b, r->rule->rule_id);
		JsonBufPuts(b, ",\"type\":");
		JsonBufString(b, SimRuleTypeNames[r->rule->type]);
		JsonBufPuts(b, r->rule->hard ? ",\"severity\":\"HARD\"" : ",\"severity\":\"SOFT\"");
		JsonBufPuts(b, r->passed ? ",\"passed\":true" : ",\"passed\":false");
		JsonBufPuts(b, ",\"measured\":");
		Number(b, r->measured, r->amount ? 2 : 6);
		JsonBufPuts(b, ",\"limit\":");
		Number(b, r->rule->limit, r->amount ? 2 : 6);
		JsonBufChar(b, '}');
	}
	JsonBufChar(b, ']');
}

/* Writes diagnostics: blocking reasons, warnings, dropped dust. */
static void
Diagnostics(JsonBuf *b, const SimResult *res)
{
	bool		first = true;

	JsonBufPuts(b, "{\"blocking_reasons\":");
	Issues(b, res->blocking, res->nblocking);
	JsonBufPuts(b, ",\"warnings\":");
	Issues(b, res->warnings, res->nwarnings);
	JsonBufPuts(b, ",\"dropped_dust\":[");
	for (int k = 0; k < res->ninstr; k++)
	{
		const Instr *in = &res->instr[k];

		if (!in->dust)
			continue;
		Sep(b, &first);
		JsonBufPuts(b, "{\"instrument_id\":");
		JsonBufString(b, in->id);
		JsonBufPuts(b, in->trade_side > 0 ? ",\"side\":\"BUY\"" : ",\"side\":\"SELL\"");
		JsonBufPuts(b, ",\"quantity\":");
		Quantity(b, in->trade_qty);
		JsonBufPuts(b, ",\"notional\":");
		Money(b, in->notional, in->price->currency);
		JsonBufPuts(b, ",\"min_notional\":");
		Money(b, in->shelf->min_notional, in->price->currency);
		JsonBufChar(b, '}');
	}
	JsonBufPuts(b, "]}");
}

/* Why an instrument has (or has no) intent, in words. */
static const char *
InstrumentNote(const Instr *in)
{
	if (in->liquidate)
		return "BANNED on the shelf: the whole position is sold";
	if (!in->eligible)
		return in->held > 0 ? "excluded: the held position is left untouched" : "excluded: not bought";
	if (in->intent >= 0)
		return in->capped ? "trade towards the capped target" :
			in->recipient ? "trade towards a target raised by redistribution" : "trade towards the model target";
	return in->note ? in->note : "no trade";
}

/* Writes the explanation: totals before, per-instrument reasoning and bound constraints. */
static void
Explanation(JsonBuf *b, const SimRequest *req, const SimResult *res)
{
	static const char *const stages[] = {NULL, "VALIDATION", "UNIVERSE", "TARGETS", "COMPLIANCE"};
	bool		targets = res->blocked_at == STAGE_NONE || res->blocked_at >= STAGE_TARGETS;

	JsonBufPuts(b, "{\"blocked_at\":");
	StringOrNull(b, stages[res->blocked_at]);
	JsonBufPuts(b, ",\"total_value_before\":");
	if (res->valued)
		Money(b, res->total_before, req->base_currency);
	else
		JsonBufPuts(b, "null");
	JsonBufPuts(b, ",\"cash_weight_before\":");
	if (res->valued)
		WeightOf(b, res->cash_before, res->total_before);
	else
		JsonBufPuts(b, "null");
	JsonBufPuts(b, ",\"target_cash_weight\":");
	if (targets)
		Number(b, res->target_cash_weight, 6);
	else
		JsonBufPuts(b, "null");
	JsonBufPuts(b, ",\"instruments\":[");
	for (int k = 0; k < res->ninstr; k++)
	{
		const Instr *in = &res->instr[k];

		if (k)
			JsonBufChar(b, ',');
		JsonBufPuts(b, "{\"instrument_id\":");
		JsonBufString(b, in->id);
		JsonBufPuts(b, ",\"model_weight\":");
		Number(b, in->model_weight, 6);
		JsonBufPuts(b, ",\"current_weight\":");
		if (in->valued && res->valued)
			WeightOf(b, in->value, res->total_before);
		else
			JsonBufPuts(b, "null");
		JsonBufPuts(b, ",\"target_weight\":");
		if (targets && in->eligible)
			Number(b, in->target_weight, 6);
		else
			JsonBufPuts(b, "null");
		JsonBufPuts(b, ",\"binding\":");
		StringOrNull(b, in->capped ? "CONSTRAINT_CAP" : in->recipient ? "REDISTRIBUTION" : NULL);
		JsonBufPuts(b, ",\"intent_id\":");
		StringOrNull(b, in->intent >= 0 ? res->intents[in->intent].id : NULL);
		JsonBufPuts(b, ",\"note\":");
		JsonBufString(b, res->traded || !in->eligible ? InstrumentNote(in) : "no trade: run blocked");
		JsonBufChar(b, '}');
	}
	JsonBufPuts(b, "],\"constraints\":[");
	for (int k = 0; k < res->ncaps; k++)
	{
		const CapRecord *c = &res->caps[k];
		bool		first = true;

		if (k)
			JsonBufChar(b, ',');
		JsonBufPuts(b, "{\"constraint\":\"SINGLE_POSITION_MAX\",\"instrument_id\":");
		JsonBufString(b, c->capped->id);
		JsonBufPuts(b, ",\"model_weight\":");
		Number(b, c->capped->model_weight, 6);
		JsonBufPuts(b, ",\"cap\":");
		Number(b, req->single_position_max_weight, 6);
		JsonBufPuts(b, ",\"excess\":");
		Number(b, c->excess, 6);
		JsonBufPuts(b, ",\"redistributed_to\":[");
		for (int m = 0; m < res->ninstr; m++)
		{
			const Instr *o = &res->instr[m];

			if (SimIsRecipient(o, c->capped))
			{
				Sep(b, &first);
				JsonBufString(b, o->id);
			}
		}
		JsonBufPuts(b, "]}");
	}
	JsonBufPuts(b, "]}");
}

/* Writes the whole response. */
void
SimWriteResponse(const SimRequest *req, const SimResult *res, const char *request_hash, JsonBuf *b)
{
	JsonBufPuts(b, "{\"rebalance_run_id\":\"rr_");
	JsonBufAppend(b, request_hash, strlen(request_hash) < 16 ? strlen(request_hash) : 16);
	JsonBufPuts(b, "\",\"status\":");
	JsonBufString(b, res->status);
	JsonBufPuts(b, ",\"intents\":");
	Intents(b, res);
	JsonBufPuts(b, ",\"universe\":");
	Universe(b, res);
	JsonBufPuts(b, ",\"after_state\":");
	AfterState(b, req, res);
	JsonBufPuts(b, ",\"rule_results\":");
	RuleResults(b, res);
	JsonBufPuts(b, ",\"diagnostics\":");
	Diagnostics(b, res);
	JsonBufPuts(b, ",\"explanation\":");
	Explanation(b, req, res);
	JsonBufPuts(b, ",\"lineage\":{\"portfolio_id\":");
	JsonBufString(b, req->portfolio_id);
	JsonBufPuts(b, ",\"portfolio_snapshot_id\":");
	StringOrNull(b, req->portfolio_snapshot_id);
	JsonBufPuts(b, ",\"market_data_snapshot_id\":");
	JsonBufString(b, req->market_data_snapshot_id);
	JsonBufPuts(b, ",\"model_portfolio_id\":");
	JsonBufString(b, req->model_portfolio_id);
	JsonBufPuts(b, ",\"policy_version\":");
	JsonBufString(b, req->policy_version);
	JsonBufPuts(b, ",\"request_hash\":");
	JsonBufString(b, request_hash);
	JsonBufPuts(b, "}}");
}

/* Text in, response text out; NULL with err filled when the request is malformed. */
char *
SimSimulateText(const char *text, size_t len, const char *request_hash, SimAlloc *mem,
				SimCurrencyCheck currency_known, void *check_ctx, SimError *err,
				size_t *outlen, const char **status)
{
	const char *jerr = NULL;
	JsonNode   *root = JsonParse(text, len, mem, &jerr);
	SimRequest	req;
	SimResult  *res;
	JsonBuf		out;

	if (root == NULL)
	{
		memset(err, 0, sizeof(SimError));
		err->kind = SIM_ERR_JSON;
		strcpy(err->path, "$");
		strcpy(err->message, "simulation request is not valid JSON");
		strncpy(err->detail, jerr ? jerr : "unknown error", sizeof(err->detail) - 1);
		return NULL;
	}
	if (!SimReadRequest(root, mem, currency_known, check_ctx, &req, err))
		return NULL;
	if ((res = SimRun(&req, mem, err)) == NULL)
		return NULL;
	JsonBufInit(&out, mem, 4096 + (size_t) res->ninstr * 600);
	SimWriteResponse(&req, res, request_hash, &out);
	*outlen = out.len;
	if (status)
		*status = res->status;
	return out.data;
}
