/*
 * executions.c
 *		Row trigger of pms.executions and the business-day SQL function.
 *
 * The trigger runs for every row of an INSERT or COPY, so it is C: it fills the
 * settle date (trade date plus one business day) when none is given and refuses
 * rows that are wrong on their own (side, quantity, price, dates).  It also sets
 * recorded_at to the transaction time whatever the loader wrote: knowledge time
 * is when pms learned of the fill, and nobody may backdate it.  Checks that
 * need other tables (account, household, instrument, shorts) run once per
 * statement, set-based, in the statement trigger written in SQL.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "business_days.h"
#include "pms.h"

PG_FUNCTION_INFO_V1(pms_add_business_days);
PG_FUNCTION_INFO_V1(pms_executions_check_row);
PG_FUNCTION_INFO_V1(pms_trade_cash);

/* pms.add_business_days(date, int): weekends skipped. */
Datum
pms_add_business_days(PG_FUNCTION_ARGS)
{
	DateADT		day = PG_GETARG_DATEADT(0);
	int32		n = PG_GETARG_INT32(1);

	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot add business days to an infinite date"),
				 errhint("Pass a finite date.")));
	if (n < 0 || n > 3650)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("business day count %d is out of range", n),
				 errdetail("The count must be between 0 and 3650."),
				 errhint("Count forward from the earlier date.")));
	PG_RETURN_DATEADT(AddBusinessDays(day, n));
}

/*
 * What the row trigger looks up once per statement rather than once per row:
 * the positions of the columns it reads or writes, a numeric zero, and arrays
 * to deform a row into.  Kept in the trigger's fn_extra (statement lifetime).
 */
typedef struct RowCheckCache
{
	Oid			relid;
	int			natts;
	int			side;			/* 0-based attribute indexes */
	int			quantity;
	int			price;
	int			trade_date;
	int			settle_date;
	int			recorded_at;
	Datum		zero;			/* numeric 0 */
	Datum	   *values;
	bool	   *nulls;
} RowCheckCache;

/* 0-based index of a column of the trigger relation, or an internal error. */
static int
ColumnIndex(Relation rel, const char *name)
{
	int			attnum = SPI_fnumber(RelationGetDescr(rel), name);

	if (attnum <= 0)
		elog(ERROR, "pms.executions has no column \"%s\"", name);
	return attnum - 1;
}

/* The statement's cache of the row trigger, built on its first row. */
static RowCheckCache *
GetRowCheckCache(FunctionCallInfo fcinfo, Relation rel)
{
	RowCheckCache *cache = (RowCheckCache *) fcinfo->flinfo->fn_extra;
	TupleDesc	desc = RelationGetDescr(rel);
	MemoryContext old;

	if (cache != NULL && cache->relid == RelationGetRelid(rel) && cache->natts == desc->natts)
		return cache;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	cache = palloc(sizeof(RowCheckCache));
	cache->relid = RelationGetRelid(rel);
	cache->natts = desc->natts;
	cache->side = ColumnIndex(rel, "side");
	cache->quantity = ColumnIndex(rel, "quantity");
	cache->price = ColumnIndex(rel, "price");
	cache->trade_date = ColumnIndex(rel, "trade_date");
	cache->settle_date = ColumnIndex(rel, "settle_date");
	cache->recorded_at = ColumnIndex(rel, "recorded_at");
	cache->zero = NumericGetDatum(int64_to_numeric(0));
	cache->values = palloc(desc->natts * sizeof(Datum));
	cache->nulls = palloc(desc->natts * sizeof(bool));
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = cache;
	return cache;
}

/* Compares a numeric with the cached zero (NaN sorts above every number). */
static inline int
CompareWithZero(RowCheckCache *cache, Datum value)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, value, cache->zero));
}

/* Raises the error for one bad execution row. */
static void
pg_attribute_noreturn()
RejectRow(const char *message, const char *detail, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("execution rejected: %s", message),
			 errdetail("%s", detail),
			 hint ? errhint("%s", hint) : 0));
}

/*
 * BEFORE INSERT row trigger: checks the row on its own, stamps recorded_at with
 * the transaction time and defaults the settle date.  It runs for every row of
 * a COPY, so it deforms the row once and allocates nothing but the new row.
 */
Datum
pms_executions_check_row(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	HeapTuple	tuple;
	RowCheckCache *cache;
	Datum	   *values;
	bool	   *nulls;
	Datum		value;
	DateADT		trade_date;
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	bool		changed = false;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "pms_executions_check_row: must be a BEFORE INSERT row trigger");

	rel = trigdata->tg_relation;
	desc = RelationGetDescr(rel);
	tuple = trigdata->tg_trigtuple;
	cache = GetRowCheckCache(fcinfo, rel);
	values = cache->values;
	nulls = cache->nulls;
	heap_deform_tuple(tuple, desc, values, nulls);

	if (nulls[cache->side])
		RejectRow("side \"NULL\" is not BUY or SELL",
				  "An execution is a BUY or a SELL.", "Write the side in capitals: BUY or SELL.");
	else
	{
		text	   *side = DatumGetTextPP(values[cache->side]);
		int			len = VARSIZE_ANY_EXHDR(side);

		if (!((len == 3 && memcmp(VARDATA_ANY(side), "BUY", 3) == 0) ||
			  (len == 4 && memcmp(VARDATA_ANY(side), "SELL", 4) == 0)))
			RejectRow(psprintf("side \"%s\" is not BUY or SELL", text_to_cstring(side)),
					  "An execution is a BUY or a SELL.", "Write the side in capitals: BUY or SELL.");
	}

	value = values[cache->quantity];
	if (nulls[cache->quantity] || CompareWithZero(cache, value) <= 0)
		RejectRow(psprintf("quantity %s is not positive",
						   nulls[cache->quantity] ? "NULL" :
						   DatumGetCString(DirectFunctionCall1(numeric_out, value))),
				  "Quantities are face amounts for bonds and units otherwise, always positive; the side gives the direction.",
				  "Record a SELL for a sale.");
	if (numeric_is_nan(DatumGetNumeric(value)) || numeric_is_inf(DatumGetNumeric(value)))
		RejectRow("quantity is not a finite number", "Quantities must be finite.", NULL);

	value = values[cache->price];
	if (nulls[cache->price] || numeric_is_nan(DatumGetNumeric(value)) ||
		numeric_is_inf(DatumGetNumeric(value)) || CompareWithZero(cache, value) < 0)
		RejectRow(psprintf("price %s is not a finite number at or above zero",
						   nulls[cache->price] ? "NULL" :
						   DatumGetCString(DirectFunctionCall1(numeric_out, value))),
				  "Prices are in the instrument's quote convention (per 100 face for bonds).", NULL);

	if (nulls[cache->trade_date] || DATE_NOT_FINITE(DatumGetDateADT(values[cache->trade_date])))
		RejectRow("trade date is missing or infinite", "Every execution has a finite trade date.", NULL);
	trade_date = DatumGetDateADT(values[cache->trade_date]);

	/* Knowledge time is when pms learned of the fill: the loader cannot choose it. */
	if (nulls[cache->recorded_at] || DatumGetTimestampTz(values[cache->recorded_at]) != now)
	{
		values[cache->recorded_at] = TimestampTzGetDatum(now);
		nulls[cache->recorded_at] = false;
		changed = true;
	}

	if (nulls[cache->settle_date])
	{
		values[cache->settle_date] = DateADTGetDatum(AddBusinessDays(trade_date, 1));
		nulls[cache->settle_date] = false;
		changed = true;
	}
	else if (DATE_NOT_FINITE(DatumGetDateADT(values[cache->settle_date])) ||
			 DatumGetDateADT(values[cache->settle_date]) < trade_date)
		RejectRow("settle date is before the trade date",
				  psprintf("Traded %s, settling %s.", IsoDate(trade_date),
						   IsoDate(DatumGetDateADT(values[cache->settle_date]))),
				  "Leave settle_date empty for trade date plus one business day.");

	if (!changed)
		return PointerGetDatum(tuple);
	return PointerGetDatum(heap_form_tuple(desc, values, nulls));
}

/*
 * pms.trade_cash(side, quantity, price, price_multiplier, minor_units): the cash
 * a fill moves, quantity x price x multiplier, negative for a BUY, rounded half
 * away from zero to the currency's minor units (2 when the currency has none).
 */
Datum
pms_trade_cash(PG_FUNCTION_ARGS)
{
	text	   *side;
	Datum		amount;
	int32		places = PG_ARGISNULL(4) ? 2 : PG_GETARG_INT16(4);

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	side = PG_GETARG_TEXT_PP(0);
	amount = DirectFunctionCall2(numeric_mul, PG_GETARG_DATUM(1), PG_GETARG_DATUM(2));
	amount = DirectFunctionCall2(numeric_mul, amount, PG_GETARG_DATUM(3));
	amount = DirectFunctionCall2(numeric_round, amount, Int32GetDatum(places));
	if (VARSIZE_ANY_EXHDR(side) == 3 && memcmp(VARDATA_ANY(side), "BUY", 3) == 0)
		amount = DirectFunctionCall1(numeric_uminus, amount);
	PG_RETURN_DATUM(amount);
}
