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

/* Attribute number of a column of the trigger relation, or an internal error. */
static int
ColumnNumber(Relation rel, const char *name)
{
	int			attnum = SPI_fnumber(RelationGetDescr(rel), name);

	if (attnum <= 0)
		elog(ERROR, "pms.executions has no column \"%s\"", name);
	return attnum;
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
 * the transaction time and defaults the settle date.
 */
Datum
pms_executions_check_row(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	HeapTuple	tuple;
	bool		isnull;
	Datum		value;
	DateADT		trade_date;
	int			settle_col;
	char	   *side;
	int			columns[2];
	Datum		values[2];
	bool		nulls[2];
	int			ncolumns;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "pms_executions_check_row: must be a BEFORE INSERT row trigger");

	rel = trigdata->tg_relation;
	desc = RelationGetDescr(rel);
	tuple = trigdata->tg_trigtuple;

	value = heap_getattr(tuple, ColumnNumber(rel, "side"), desc, &isnull);
	side = isnull ? NULL : TextDatumGetCString(value);
	if (side == NULL || (strcmp(side, "BUY") != 0 && strcmp(side, "SELL") != 0))
		RejectRow(psprintf("side \"%s\" is not BUY or SELL", side ? side : "NULL"),
				  "An execution is a BUY or a SELL.", "Write the side in capitals: BUY or SELL.");

	value = heap_getattr(tuple, ColumnNumber(rel, "quantity"), desc, &isnull);
	if (isnull || DatumGetBool(DirectFunctionCall2(numeric_le, value,
												   DirectFunctionCall1(int4_numeric, Int32GetDatum(0)))))
		RejectRow(psprintf("quantity %s is not positive",
						   isnull ? "NULL" : DatumGetCString(DirectFunctionCall1(numeric_out, value))),
				  "Quantities are face amounts for bonds and units otherwise, always positive; the side gives the direction.",
				  "Record a SELL for a sale.");
	if (numeric_is_nan(DatumGetNumeric(value)) || numeric_is_inf(DatumGetNumeric(value)))
		RejectRow("quantity is not a finite number", "Quantities must be finite.", NULL);

	value = heap_getattr(tuple, ColumnNumber(rel, "price"), desc, &isnull);
	if (isnull || numeric_is_nan(DatumGetNumeric(value)) || numeric_is_inf(DatumGetNumeric(value)) ||
		DatumGetBool(DirectFunctionCall2(numeric_lt, value,
										 DirectFunctionCall1(int4_numeric, Int32GetDatum(0)))))
		RejectRow(psprintf("price %s is not a finite number at or above zero",
						   isnull ? "NULL" : DatumGetCString(DirectFunctionCall1(numeric_out, value))),
				  "Prices are in the instrument's quote convention (per 100 face for bonds).", NULL);

	value = heap_getattr(tuple, ColumnNumber(rel, "trade_date"), desc, &isnull);
	if (isnull || DATE_NOT_FINITE(DatumGetDateADT(value)))
		RejectRow("trade date is missing or infinite", "Every execution has a finite trade date.", NULL);
	trade_date = DatumGetDateADT(value);

	/* Knowledge time is when pms learned of the fill: the loader cannot choose it. */
	columns[0] = ColumnNumber(rel, "recorded_at");
	values[0] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	nulls[0] = false;
	ncolumns = 1;

	settle_col = ColumnNumber(rel, "settle_date");
	value = heap_getattr(tuple, settle_col, desc, &isnull);
	if (isnull)
	{
		columns[ncolumns] = settle_col;
		values[ncolumns] = DateADTGetDatum(AddBusinessDays(trade_date, 1));
		nulls[ncolumns] = false;
		ncolumns++;
	}
	else if (DATE_NOT_FINITE(DatumGetDateADT(value)) || DatumGetDateADT(value) < trade_date)
		RejectRow("settle date is before the trade date",
				  psprintf("Traded %s, settling %s.", IsoDate(trade_date),
						   IsoDate(DatumGetDateADT(value))),
				  "Leave settle_date empty for trade date plus one business day.");

	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, ncolumns, columns, values, nulls));
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
