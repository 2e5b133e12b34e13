/*
 * simulate_int.h
 *		Internal result model shared by the simulator pipeline (simulate.c)
 *		and the response writer (simulate_output.c); pure C.
 */
#ifndef PMS_SIMULATE_INT_H
#define PMS_SIMULATE_INT_H

#include "simulate.h"

/* Why an instrument is outside the investable universe (RFC Appendix A). */
typedef enum Exclusion
{
	EXCL_NONE = 0,
	EXCL_BANNED,
	EXCL_SUSPENDED,
	EXCL_RESTRICTED,
	EXCL_ENTRY_MISSING,
	EXCL_PRICE_MISSING,
	EXCL_PRICE_STALE
} Exclusion;

typedef enum Rationale
{
	RAT_REBALANCE_DRIFT,
	RAT_CASH_INVESTMENT,
	RAT_FUNDING,
	RAT_CONSTRAINT_CAP,
	RAT_LIQUIDATION
} Rationale;

/* Pipeline stage at which a run was blocked. */
typedef enum BlockStage
{
	STAGE_NONE,
	STAGE_VALIDATION,
	STAGE_UNIVERSE,
	STAGE_TARGETS,
	STAGE_COMPLIANCE
} BlockStage;

/* Everything the pipeline knows about one instrument (model or holding). */
typedef struct Instr
{
	const char *id;
	const SimShelfEntry *shelf;
	const SimPrice *price;
	Dec			rate;			/* base per unit of the price currency */
	bool		has_rate;
	Dec			held;			/* held quantity (0 when not held) */
	bool		in_model;
	Dec			model_weight;
	Exclusion	exclusion;
	bool		eligible;
	bool		valued;			/* has a price and rate: contributes to values */
	bool		liquidate;		/* held BANNED: sell in full */
	Dec			value;			/* current value in base */
	Dec			target_weight;
	Dec			target_value;
	bool		capped;
	bool		recipient;
	int			trade_side;		/* +1 buy, -1 sell, 0 none */
	Dec			trade_qty;
	Dec			notional;		/* trade currency, 2 decimals */
	bool		dust;
	Rationale	rationale;
	int			intent;			/* index into intents, or -1 */
	const char *note;
	Dec			after_qty;
	Dec			after_value;
} Instr;

typedef struct Issue
{
	const char *code;
	const char *subject;
	char	   *message;
} Issue;

typedef struct Intent
{
	bool		fx;
	const char *instrument_id;
	int			side;			/* +1 buy, -1 sell */
	Dec			quantity;
	Dec			amount;			/* notional_estimated.amount, 2 decimals */
	const char *currency;		/* notional_estimated.currency */
	Rationale	rationale;
	char	   *message;
	int			dependency;		/* FX intent this buy waits for, or -1 */
	char		id[16];
} Intent;

typedef struct CashLine
{
	const char *currency;
	Dec			amount;
	Dec			rate;
	bool		has_rate;
} CashLine;

typedef struct CapRecord
{
	const Instr *capped;
	Dec			excess;
	int			nrecipients;
} CapRecord;

typedef struct RuleResult
{
	const SimRule *rule;
	bool		passed;
	Dec			measured;
	bool		amount;			/* measured is an amount (NO_NEGATIVE_CASH), else a weight */
} RuleResult;

struct SimResult
{
	const char *status;
	BlockStage	blocked_at;
	Instr	   *instr;
	int			ninstr;
	Issue	   *blocking;
	int			nblocking;
	Issue	   *warnings;
	int			nwarnings;
	Intent	   *intents;
	int			nintents;
	CapRecord  *caps;
	int			ncaps;
	CashLine   *cash;			/* after-state cash, by currency */
	int			ncash;
	RuleResult *rules;
	int			nrules;
	bool		valued;			/* total_before is known */
	Dec			total_before;
	Dec			cash_before;	/* base */
	Dec			target_cash_weight;
	bool		traded;			/* trades and after-state computed */
	Dec			total_after;
	int			nexcluded;
};

/* True when o receives redistributed excess from capped (same asset class, eligible, uncapped, weighted). */
static inline bool
SimIsRecipient(const Instr *o, const Instr *capped)
{
	return o->eligible && !o->capped && o->model_weight > 0 &&
		o->shelf->asset_class == capped->shelf->asset_class;
}

/* Code of an exclusion reason, e.g. SHELF_STATUS_BANNED. */
extern const char *SimExclusionCode(Exclusion e);

/* Code of an intent rationale, e.g. REBALANCE_DRIFT. */
extern const char *SimRationaleCode(Rationale r);

#endif							/* PMS_SIMULATE_INT_H */
