/*
 * simulate.c
 *		The deterministic rebalance pipeline of RFC-0001 §6 (issue 6): validation,
 *		universe, targets with the single position cap, trades, hub-and-spoke FX,
 *		after-state and compliance.  Pure C, no PostgreSQL types.
 *
 * Invariants: instruments are visited in instrument_id order and currencies
 * in code order, so every list the pipeline builds is already in output
 * order; all amounts are Decs (exact to twelve decimals); no clock, no
 * randomness.  An overflow anywhere sets Run.overflow and the run fails with
 * SIM_ERR_RANGE instead of producing a wrong number.
 */
#include "simulate_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Run
{
	const SimRequest *req;
	SimAlloc   *mem;
	SimResult  *res;
	bool		overflow;
} Run;

/* Allocates zeroed memory from the caller's allocator. */
static void *
Zalloc(Run *run, size_t size)
{
	void	   *p = run->mem->alloc(run->mem->ctx, size ? size : 1);

	memset(p, 0, size ? size : 1);
	return p;
}

/* Formats a message into fresh memory. */
static char *
Message(Run *run, const char *fmt,...) __attribute__((format(printf, 2, 3)));
static char *
Message(Run *run, const char *fmt,...)
{
	va_list		ap;
	char		tmp[400];
	char	   *out;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n >= (int) sizeof(tmp))
		n = sizeof(tmp) - 1;
	out = run->mem->alloc(run->mem->ctx, (size_t) n + 1);
	memcpy(out, tmp, (size_t) n);
	out[n] = '\0';
	return out;
}

/* Result of a checked operation: r, or 0 with the run flagged on overflow. */
static Dec
Checked(Run *run, bool ok, Dec r)
{
	if (!ok)
		run->overflow = true;
	return ok ? r : 0;
}

/* Checked a + b (decimal.h semantics; an overflow fails the run). */
static Dec
Add(Run *run, Dec a, Dec b)
{
	Dec			r = 0;
	bool		ok = DecAdd(a, b, &r);

	return Checked(run, ok, r);
}

/* Checked a - b. */
static Dec
Sub(Run *run, Dec a, Dec b)
{
	Dec			r = 0;
	bool		ok = DecSub(a, b, &r);

	return Checked(run, ok, r);
}

/* Checked a x b, rounded half away from zero to 12 decimals. */
static Dec
Mul(Run *run, Dec a, Dec b)
{
	Dec			r = 0;
	bool		ok = DecMul(a, b, &r);

	return Checked(run, ok, r);
}

/* Checked a / b, rounded half away from zero to 12 decimals. */
static Dec
Div(Run *run, Dec a, Dec b)
{
	Dec			r = 0;
	bool		ok = DecDiv(a, b, &r);

	return Checked(run, ok, r);
}

/* Weight as a percentage with one decimal, e.g. "15.0%" (buf of 48 bytes). */
static const char *
Pct(Run *run, Dec w, char *buf)
{
	int			n = DecFormat(Mul(run, w, DecFromInt(100)), 1, buf);

	buf[n] = '%';
	buf[n + 1] = '\0';
	return buf;
}

/* Value / total, or 0 when the total is not positive. */
static Dec
Weight(Run *run, Dec value, Dec total)
{
	return total > 0 ? Div(run, value, total) : 0;
}

/* Appends an issue (blocking reason or warning). */
static void
AddIssue(Run *run, bool blocking, const char *code, const char *subject, char *message)
{
	SimResult  *res = run->res;
	Issue	   *list = blocking ? res->blocking : res->warnings;
	int		   *n = blocking ? &res->nblocking : &res->nwarnings;

	list[*n].code = code;
	list[*n].subject = subject;
	list[*n].message = message;
	(*n)++;
}

/* Code of an exclusion reason. */
const char *
SimExclusionCode(Exclusion e)
{
	static const char *const codes[] = {"", "SHELF_STATUS_BANNED", "SHELF_STATUS_SUSPENDED",
		"SHELF_STATUS_RESTRICTED", "SHELF_ENTRY_MISSING", "PRICE_MISSING", "PRICE_STALE"};

	return codes[e];
}

/* Code of an intent rationale. */
const char *
SimRationaleCode(Rationale r)
{
	static const char *const codes[] = {"REBALANCE_DRIFT", "CASH_INVESTMENT", "FUNDING",
	"CONSTRAINT_CAP", "LIQUIDATION"};

	return codes[r];
}

/* Comparator for bsearch over arrays whose first member is a const char * key. */
static int
CompareIdKey(const void *key, const void *elem)
{
	return strcmp((const char *) key, *(const char *const *) elem);
}

/* Comparator for bsearch over arrays whose first member is a char[4] currency. */
static int
CompareCcyKey(const void *key, const void *elem)
{
	return strcmp((const char *) key, (const char *) elem);
}

/* Rate of currency ccy in base units (1 for the base); false when unknown. */
static bool
FxRate(const SimRequest *req, const char *ccy, Dec *rate)
{
	const SimFxRate *fx;

	if (strcmp(ccy, req->base_currency) == 0)
	{
		*rate = DEC_ONE;
		return true;
	}
	fx = bsearch(ccy, req->fx_rates, req->nfx, sizeof(SimFxRate), CompareCcyKey);
	if (fx == NULL)
		return false;
	*rate = fx->rate;
	return true;
}

/* Builds the sorted, de-duplicated instrument list: holdings and model targets. */
static void
CollectInstruments(Run *run)
{
	const SimRequest *req = run->req;
	SimResult  *res = run->res;
	int			i = 0,
				j = 0;

	res->instr = Zalloc(run, sizeof(Instr) * (size_t) (req->npositions + req->ntargets));
	while (i < req->npositions || j < req->ntargets)
	{
		Instr	   *in = &res->instr[res->ninstr++];
		int			cmp;

		if (i >= req->npositions)
			cmp = 1;
		else if (j >= req->ntargets)
			cmp = -1;
		else
			cmp = strcmp(req->positions[i].instrument_id, req->targets[j].instrument_id);
		in->intent = -1;
		if (cmp <= 0)
		{
			in->id = req->positions[i].instrument_id;
			in->held = req->positions[i].quantity;
			i++;
		}
		if (cmp >= 0)
		{
			in->id = req->targets[j].instrument_id;
			in->in_model = true;
			in->model_weight = req->targets[j].weight;
			j++;
		}
		in->shelf = bsearch(in->id, req->shelf, req->nshelf, sizeof(SimShelfEntry), CompareIdKey);
		in->price = bsearch(in->id, req->prices, req->nprices, sizeof(SimPrice), CompareIdKey);
	}
}

/* Step 1a: the portfolio and market snapshots must be within max_skew_minutes. */
static void
CheckSkew(Run *run)
{
	const SimRequest *req = run->req;
	int64_t		skew = req->portfolio_as_of - req->market_as_of;
	char		lim[48];

	if (skew < 0)
		skew = -skew;
	if (DecFromInt(skew) > Mul(run, req->max_skew_minutes, DecFromInt(60)))
	{
		DecFormatTrim(req->max_skew_minutes, lim);
		AddIssue(run, true, "SNAPSHOT_SKEW", req->market_data_snapshot_id,
				 Message(run, "Portfolio and market data snapshots are %lld seconds apart; at most %s minutes are allowed.",
						 (long long) skew, lim));
	}
}

/* Step 2: shelf and data-quality checks for every instrument. */
static void
BuildUniverse(Run *run)
{
	const SimRequest *req = run->req;
	SimResult  *res = run->res;
	Dec			max_age = Mul(run, req->max_staleness_minutes, DecFromInt(60));

	for (int k = 0; k < res->ninstr; k++)
	{
		Instr	   *in = &res->instr[k];
		bool		held = in->held > 0;
		bool		needs_price;
		Exclusion	dq = EXCL_NONE;

		if (in->shelf == NULL)
			in->exclusion = EXCL_ENTRY_MISSING;
		else if (in->shelf->status == SHELF_BANNED)
			in->exclusion = EXCL_BANNED;
		else if (in->shelf->status == SHELF_SUSPENDED)
			in->exclusion = EXCL_SUSPENDED;
		else if (in->shelf->status == SHELF_RESTRICTED && !req->allow_restricted)
			in->exclusion = EXCL_RESTRICTED;
		needs_price = held || in->exclusion == EXCL_NONE;
		if (needs_price)
		{
			if (in->price == NULL)
				dq = EXCL_PRICE_MISSING;
			else if (DecFromInt(req->market_as_of - in->price->as_of) > max_age)
				dq = EXCL_PRICE_STALE;
		}
		if (dq != EXCL_NONE)
		{
			const char *code = SimExclusionCode(dq);

			if (in->exclusion == EXCL_NONE)
				in->exclusion = dq;
			if (!req->exclude_stale_instead_of_block)
				AddIssue(run, true, code, in->id,
						 Message(run, dq == EXCL_PRICE_MISSING ?
								 "No price for %s in the market data snapshot." :
								 "The price of %s is older than max_staleness_minutes.", in->id));
			else
				AddIssue(run, false, code, in->id,
						 Message(run, held ? "%s is excluded; the held position is left untouched." :
								 "%s is excluded from the universe.", in->id));
		}
		in->eligible = in->exclusion == EXCL_NONE;
		if (!in->eligible)
			res->nexcluded++;
		/* A held BANNED instrument with a usable price is sold in full (LIQUIDATION). */
		in->liquidate = held && in->exclusion == EXCL_BANNED && dq == EXCL_NONE;
		if (in->in_model && !in->eligible && in->model_weight > 0)
		{
			char		pct[48];

			AddIssue(run, false, "MODEL_WEIGHT_NOT_INVESTED", in->id,
					 Message(run, "The model weight %s of excluded %s stays in cash.",
							 Pct(run, in->model_weight, pct), in->id));
		}
	}
}

/* Step 1b: every currency in play needs an FX rate; values the current holdings. */
static void
CheckFxAndValue(Run *run)
{
	const SimRequest *req = run->req;
	SimResult  *res = run->res;
	const char **missing = Zalloc(run, sizeof(char *) * (size_t) (req->ncash + res->ninstr + 1));
	int			nmissing = 0;
	Dec			total = 0,
				cash = 0;

	for (int k = 0; k < req->ncash; k++)
	{
		Dec			rate;

		if (!FxRate(req, req->cash[k].currency, &rate))
			missing[nmissing++] = req->cash[k].currency;
		else
			cash = Add(run, cash, Mul(run, req->cash[k].amount, rate));
	}
	for (int k = 0; k < res->ninstr; k++)
	{
		Instr	   *in = &res->instr[k];

		if (in->price == NULL || !(in->held > 0 || in->eligible))
			continue;
		in->has_rate = FxRate(req, in->price->currency, &in->rate);
		if (!in->has_rate)
			missing[nmissing++] = in->price->currency;
		else
		{
			in->valued = true;
			in->value = Mul(run, Mul(run, in->held, in->price->price), in->rate);
			total = Add(run, total, in->value);
		}
	}
	/* Report each missing currency once, in code order. */
	for (int a = 0; a < nmissing; a++)
		for (int b = a + 1; b < nmissing; b++)
			if (strcmp(missing[b], missing[a]) < 0)
			{
				const char *t = missing[a];

				missing[a] = missing[b];
				missing[b] = t;
			}
	for (int a = 0; a < nmissing; a++)
		if (a == 0 || strcmp(missing[a], missing[a - 1]) != 0)
			AddIssue(run, true, "FX_RATE_MISSING", missing[a],
					 Message(run, "No FX rate for %s into the base currency %s.", missing[a], req->base_currency));
	res->cash_before = cash;
	res->total_before = Add(run, total, cash);
	res->valued = nmissing == 0;
}

/* Step 3: target weights with the single position cap and one-pass redistribution. */
static void
BuildTargets(Run *run)
{
	const SimRequest *req = run->req;
	SimResult  *res = run->res;
	Dec			invested = 0;
	char		p1[48],
				p2[48];

	res->caps = Zalloc(run, sizeof(CapRecord) * (size_t) res->ninstr);
	for (int k = 0; k < res->ninstr; k++)
	{
		Instr	   *in = &res->instr[k];

		if (in->eligible)
			in->target_weight = in->model_weight;
	}
	if (req->has_cap)
	{
		Dec			cap = req->single_position_max_weight;

		for (int k = 0; k < res->ninstr; k++)
			if (res->instr[k].eligible && res->instr[k].target_weight > cap)
				res->instr[k].capped = true;
		for (int k = 0; k < res->ninstr; k++)
		{
			Instr	   *in = &res->instr[k];
			CapRecord  *rec;
			Dec			pool = 0;

			if (!in->capped)
				continue;
			rec = &res->caps[res->ncaps++];
			rec->capped = in;
			rec->excess = Sub(run, in->model_weight, cap);
			/* Recipients: other eligible, uncapped instruments of the same asset class. */
			for (int m = 0; m < res->ninstr; m++)
			{
				Instr	   *o = &res->instr[m];

				if (SimIsRecipient(o, in))
				{
					pool = Add(run, pool, o->model_weight);
					rec->nrecipients++;
				}
			}
			if (rec->nrecipients == 0)
			{
				AddIssue(run, false, "EXCESS_NOT_REDISTRIBUTED", in->id,
						 Message(run, "No other eligible instrument of the same asset class: the excess %s of %s stays in cash.",
								 Pct(run, rec->excess, p1), in->id));
				continue;
			}
			for (int m = 0; m < res->ninstr; m++)
			{
				Instr	   *o = &res->instr[m];

				if (SimIsRecipient(o, in))
				{
					o->recipient = true;
					o->target_weight = Add(run, o->target_weight,
										   Div(run, Mul(run, rec->excess, o->model_weight), pool));
				}
			}
		}
		for (int k = 0; k < res->ninstr; k++)
			if (res->instr[k].capped)
				res->instr[k].target_weight = cap;
		/* One pass only: a recipient pushed over the cap blocks the run. */
		for (int k = 0; k < res->ninstr; k++)
		{
			Instr	   *o = &res->instr[k];

			if (o->recipient && o->target_weight > cap)
			{
				const char *from = "";

				for (int c = 0; c < res->ncaps; c++)
					if (res->caps[c].capped->shelf->asset_class == o->shelf->asset_class)
					{
						from = res->caps[c].capped->id;
						break;
					}
				AddIssue(run, true, "INFEASIBLE_CONCENTRATION", o->id,
						 Message(run, "Redistributing excess weight from %s caused %s to exceed the %s cap (%s).",
								 from, o->id, Pct(run, cap, p1), Pct(run, o->target_weight, p2)));
			}
		}
	}
	for (int k = 0; k < res->ninstr; k++)
	{
		Instr	   *in = &res->instr[k];

		if (in->eligible)
		{
			invested = Add(run, invested, in->target_weight);
			in->target_value = Mul(run, in->target_weight, res->total_before);
		}
	}
	res->target_cash_weight = Sub(run, DEC_ONE, invested);
}

/* Step 4: the security trade of one instrument (sizing, dust, rationale). */
static void
SizeTrade(Run *run, Instr *in)
{
	const SimRequest *req = run->req;
	SimResult  *res = run->res;
	Dec			price = in->price->price;
	Dec			delta,
				ccy;

	if (in->liquidate)
	{
		in->trade_side = -1;
		in->trade_qty = in->held;
		in->notional = DecRound(Mul(run, in->held, price), 2);
		in->rationale = RAT_LIQUIDATION;
		in->target_value = 0;
		return;
	}
	delta = Sub(run, in->target_value, in->value);
	if (delta == 0)
	{
		in->note = "on target";
		return;
	}
	ccy = in->rate == DEC_ONE ? DecAbs(delta) : Div(run, DecAbs(delta), in->rate);
	in->trade_side = delta > 0 ? 1 : -1;
	if (in->target_weight == 0)
	{
		/* A zero target exits the whole position, whatever the rounding. */
		in->trade_qty = in->held;
		in->notional = DecRound(Mul(run, in->held, price), 2);
	}
	else if (in->shelf->asset_class == ASSET_FUND)
	{
		in->notional = DecRound(ccy, 2);
		in->trade_qty = DecRound(Div(run, in->notional, price), 6);
		if (in->trade_side < 0 && in->trade_qty > in->held)
		{
			in->trade_qty = in->held;
			in->notional = DecRound(Mul(run, in->held, price), 2);
		}
	}
	else
	{
		if (!DecDivFloor(ccy, price, &in->trade_qty))
			run->overflow = true;
		if (in->trade_side < 0 && in->trade_qty > in->held)
			in->trade_qty = in->held;
		in->notional = DecRound(Mul(run, in->trade_qty, price), 2);
	}
	if (in->trade_qty == 0)
	{
		in->trade_side = 0;
		in->note = "difference is below one tradable unit";
		return;
	}
	if (req->suppress_dust_trades && in->notional < in->shelf->min_notional)
	{
		in->dust = true;
		in->note = "dropped as dust (notional below min_notional)";
		return;
	}
	if (in->capped)
		in->rationale = RAT_CONSTRAINT_CAP;
	else if (in->trade_side > 0 &&
			 res->cash_before > Mul(run, res->target_cash_weight, res->total_before))
		in->rationale = RAT_CASH_INVESTMENT;
	else
		in->rationale = RAT_REBALANCE_DRIFT;
}

/* Message of a security intent. */
static char *
TradeMessage(Run *run, const Instr *in)
{
	char		cur[48],
				tgt[48],
				cap[48],
				model[48];
	Dec			w = Weight(run, in->value, run->res->total_before);

	if (in->rationale == RAT_LIQUIDATION)
		return Message(run, "%s is BANNED on the shelf: selling the whole position", in->id);
	Pct(run, w, cur);
	Pct(run, in->target_weight, tgt);
	if (in->rationale == RAT_CONSTRAINT_CAP)
		return Message(run, "Allocation %s %s target %s (model %s capped at %s)", cur,
					   in->trade_side > 0 ? "<" : ">", tgt, Pct(run, in->model_weight, model),
					   Pct(run, run->req->single_position_max_weight, cap));
	return Message(run, "Allocation %s %s target %s", cur, in->trade_side > 0 ? "<" : ">", tgt);
}

/* Adds a security intent for in. */
static void
AddSecurityIntent(Run *run, Instr *in)
{
	SimResult  *res = run->res;
	Intent	   *it = &res->intents[res->nintents];

	in->intent = res->nintents++;
	it->instrument_id = in->id;
	it->side = in->trade_side;
	it->quantity = in->trade_qty;
	it->amount = in->notional;
	it->currency = in->price->currency;
	it->rationale = in->rationale;
	it->message = TradeMessage(run, in);
	it->dependency = -1;
}

/* Returns the index of cash line ccy in the after-state, adding it if absent. */
static CashLine *
CashFor(Run *run, const char *ccy)
{
	SimResult  *res = run->res;
	int			k;

	for (k = 0; k < res->ncash; k++)
		if (strcmp(res->cash[k].currency, ccy) == 0)
			return &res->cash[k];
	res->cash[k].currency = ccy;
	res->cash[k].has_rate = FxRate(run->req, ccy, &res->cash[k].rate);
	res->ncash++;
	return &res->cash[k];
}

/* Orders cash lines by currency code. */
static int
CompareCash(const void *a, const void *b)
{
	return strcmp(((const CashLine *) a)->currency, ((const CashLine *) b)->currency);
}

/* Steps 4-5: size trades, add FX funding, order intents and assign ids. */
static void
BuildIntents(Run *run)
{
	const SimRequest *req = run->req;
	SimResult  *res = run->res;
	int			ncur = 0;
	Intent	   *fx;
	int			nfx = 0;

	for (int k = 0; k < res->ninstr; k++)
	{
		Instr	   *in = &res->instr[k];

		if (in->eligible || in->liquidate)
			SizeTrade(run, in);
	}
	/* After-state cash starts from the snapshot; every currency traded gets a line. */
	res->cash = Zalloc(run, sizeof(CashLine) * (size_t) (req->ncash + res->ninstr + 1));
	CashFor(run, req->base_currency);
	for (int k = 0; k < req->ncash; k++)
		CashFor(run, req->cash[k].currency)->amount = req->cash[k].amount;
	for (int k = 0; k < res->ninstr; k++)
	{
		Instr	   *in = &res->instr[k];
		CashLine   *line;

		if (in->trade_side == 0 || in->dust)
			continue;
		line = CashFor(run, in->price->currency);
		line->amount = in->trade_side > 0 ? Sub(run, line->amount, in->notional) :
			Add(run, line->amount, in->notional);
	}
	qsort(res->cash, res->ncash, sizeof(CashLine), CompareCash);
	ncur = res->ncash;

	/* Step 5: an FX BUY for every foreign currency left in deficit, funded from base. */
	res->intents = Zalloc(run, sizeof(Intent) * (size_t) (res->ninstr + ncur + 1));
	fx = Zalloc(run, sizeof(Intent) * (size_t) (ncur + 1));
	for (int k = 0; k < ncur; k++)
	{
		CashLine   *line = &res->cash[k];
		Dec			deficit,
					buy,
					cost;
		char		d[48],
					b[48],
					pct[48];

		if (strcmp(line->currency, req->base_currency) == 0 || line->amount >= 0)
			continue;
		deficit = -line->amount;
		buy = DecRoundUp(Mul(run, deficit, Add(run, DEC_ONE, req->fx_buffer_pct)), 2);
		cost = DecRound(Mul(run, buy, line->rate), 2);
		DecFormat(deficit, 2, d);
		DecFormat(buy, 2, b);
		fx[nfx].fx = true;
		fx[nfx].instrument_id = line->currency;
		fx[nfx].side = 1;
		fx[nfx].quantity = buy;
		fx[nfx].amount = cost;
		fx[nfx].currency = req->base_currency;
		fx[nfx].rationale = RAT_FUNDING;
		fx[nfx].dependency = -1;
		fx[nfx].message = Message(run, "Buy %s %s against %s to fund a %s deficit of %s plus a %s buffer",
								  b, line->currency, req->base_currency, line->currency, d,
								  Pct(run, req->fx_buffer_pct, pct));
		nfx++;
		line->amount = Add(run, line->amount, buy);
		CashFor(run, req->base_currency)->amount =
			Sub(run, CashFor(run, req->base_currency)->amount, cost);
	}

	/* Order: FX (by currency), then sells, then buys (each by instrument_id). */
	for (int k = 0; k < nfx; k++)
		res->intents[res->nintents++] = fx[k];
	for (int side = -1; side <= 1; side += 2)
		for (int k = 0; k < res->ninstr; k++)
		{
			Instr	   *in = &res->instr[k];

			if (in->trade_side == side && !in->dust)
				AddSecurityIntent(run, in);
		}
	for (int k = 0; k < res->nintents; k++)
	{
		Intent	   *it = &res->intents[k];

		snprintf(it->id, sizeof(it->id), "oi_%02d", k + 1);
		if (!it->fx && it->side > 0)
			for (int f = 0; f < nfx; f++)
				if (strcmp(res->intents[f].instrument_id, it->currency) == 0)
					it->dependency = f;
	}
}

/* Step 6a: quantities and values after the intents. */
static void
BuildAfterState(Run *run)
{
	SimResult  *res = run->res;
	Dec			total = 0;

	for (int k = 0; k < res->ninstr; k++)
	{
		Instr	   *in = &res->instr[k];

		in->after_qty = in->held;
		if (in->intent >= 0)
			in->after_qty = in->trade_side > 0 ? Add(run, in->held, in->trade_qty) :
				Sub(run, in->held, in->trade_qty);
		if (in->valued)
		{
			in->after_value = Mul(run, Mul(run, in->after_qty, in->price->price), in->rate);
			total = Add(run, total, in->after_value);
		}
	}
	for (int k = 0; k < res->ncash; k++)
		if (res->cash[k].has_rate)
			total = Add(run, total, Mul(run, res->cash[k].amount, res->cash[k].rate));
	res->total_after = total;
}

/* Step 6b: evaluates one rule on the after-state; comparisons are exact (no division). */
static void
EvaluateRule(Run *run, const SimRule *rule, RuleResult *rr)
{
	SimResult  *res = run->res;
	Dec			total = res->total_after;
	Dec			v = 0;
	Dec			bound = Mul(run, rule->limit, total);
	char		m[48],
				l[48];

	rr->rule = rule;
	switch (rule->type)
	{
		case RULE_MAX_POSITION_WEIGHT:
			for (int k = 0; k < res->ninstr; k++)
				if (res->instr[k].valued && res->instr[k].after_value > v)
					v = res->instr[k].after_value;
			rr->passed = v <= bound;
			break;
		case RULE_MAX_ASSET_CLASS_WEIGHT:
			for (int k = 0; k < res->ninstr; k++)
			{
				const Instr *in = &res->instr[k];

				if (in->valued && in->shelf && in->shelf->asset_class == rule->asset_class)
					v = Add(run, v, in->after_value);
			}
			rr->passed = v <= bound;
			break;
		case RULE_MIN_CASH_WEIGHT:
		case RULE_MAX_CASH_WEIGHT:
			for (int k = 0; k < res->ncash; k++)
				if (res->cash[k].has_rate)
					v = Add(run, v, Mul(run, res->cash[k].amount, res->cash[k].rate));
			rr->passed = rule->type == RULE_MIN_CASH_WEIGHT ? v >= bound : v <= bound;
			break;
		case RULE_NO_NEGATIVE_CASH:
			for (int k = 0; k < res->ncash; k++)
			{
				Dec			b = res->cash[k].has_rate ? Mul(run, res->cash[k].amount, res->cash[k].rate) : 0;

				if (k == 0 || b < v)
					v = b;
			}
			rr->amount = true;
			rr->passed = v >= 0;
			rr->measured = v;
			break;
	}
	if (!rr->amount)
		rr->measured = Weight(run, v, total);
	if (rr->passed)
		return;
	if (rr->amount)
		DecFormat(v, 2, m);
	else
		Pct(run, rr->measured, m);
	if (rr->amount)
		snprintf(l, sizeof(l), "0.00");
	else
		Pct(run, rule->limit, l);
	AddIssue(run, rule->hard, rule->hard ? "HARD_RULE_BREACH" : "SOFT_RULE_BREACH", rule->rule_id,
			 Message(run, "%s %s fails after the trades: measured %s, limit %s.",
					 SimRuleTypeNames[rule->type],
					 rule->rule_id, m, l));
}

/* Status and stage from the issues collected so far; true when blocked. */
static bool
Blocked(SimResult *res, BlockStage stage)
{
	if (res->nblocking > 0 && res->blocked_at == STAGE_NONE)
		res->blocked_at = stage;
	return res->nblocking > 0;
}

/* Runs the pipeline of RFC-0001 §6 on a valid request. */
SimResult *
SimRun(const SimRequest *req, SimAlloc *mem, SimError *err)
{
	Run			run = {req, mem, NULL, false};
	SimResult  *res = Zalloc(&run, sizeof(SimResult));
	int			maxissues = req->npositions + req->ntargets + req->ncash + req->nrules + 8;

	/* Issues: at most two per instrument and currency, one per rule, one skew. */

	run.res = res;
	res->blocking = Zalloc(&run, sizeof(Issue) * (size_t) (maxissues * 2));
	res->warnings = Zalloc(&run, sizeof(Issue) * (size_t) (maxissues * 2));
	CollectInstruments(&run);

	CheckSkew(&run);
	Blocked(res, STAGE_VALIDATION);
	BuildUniverse(&run);
	Blocked(res, STAGE_UNIVERSE);
	CheckFxAndValue(&run);
	if (!Blocked(res, STAGE_VALIDATION) && res->total_before <= 0)
		AddIssue(&run, true, "NO_PORTFOLIO_VALUE", req->portfolio_id,
				 Message(&run, "The portfolio's total value in %s is not positive; there is nothing to allocate.",
						 req->base_currency));
	if (!Blocked(res, STAGE_UNIVERSE))
	{
		BuildTargets(&run);
		if (!Blocked(res, STAGE_TARGETS))
		{
			BuildIntents(&run);
			BuildAfterState(&run);
			res->traded = true;
			res->rules = Zalloc(&run, sizeof(RuleResult) * (size_t) (req->nrules + 1));
			for (int k = 0; k < req->nrules; k++)
				EvaluateRule(&run, &req->rules[k], &res->rules[res->nrules++]);
			Blocked(res, STAGE_COMPLIANCE);
		}
	}
	if (run.overflow)
	{
		memset(err, 0, sizeof(SimError));
		err->kind = SIM_ERR_RANGE;
		snprintf(err->path, sizeof(err->path), "$");
		snprintf(err->message, sizeof(err->message), "amount out of range in rebalance simulation");
		snprintf(err->detail, sizeof(err->detail),
				 "At $: an intermediate amount exceeded the simulator's fixed-point range (about 1.7e26).");
		return NULL;
	}
	/* Any blocking reason (HARD breach included): BLOCKED; else any SOFT breach: PENDING_REVIEW. */
	res->status = "READY";
	for (int k = 0; k < res->nrules; k++)
		if (!res->rules[k].passed && !res->rules[k].rule->hard)
			res->status = "PENDING_REVIEW";
	if (res->nblocking > 0)
		res->status = "BLOCKED";
	return res;
}

/* Status of a result. */
const char *
SimResultStatus(const SimResult *res)
{
	return res->status;
}

/* Number of instruments excluded from the universe. */
int
SimResultExcludedCount(const SimResult *res)
{
	return res->nexcluded;
}
