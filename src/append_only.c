/*
 * append_only.c
 *		Trigger that makes a table append-only: UPDATE, DELETE and TRUNCATE fail.
 *
 * The event log and the typed event tables are the book of record; a mistake is
 * cancelled by a later event, never edited away.  The trigger is installed as
 * ENABLE ALWAYS so session_replication_role = replica does not bypass it, and
 * it refuses superusers too.  An optional trigger argument replaces the hint,
 * so each table can say what to do instead.
 *
 * The same tables get their knowledge time from pms_stamp_recorded_at: rows
 * are stamped with the transaction time, whatever the writer supplied.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(pms_refuse_mutation);
PG_FUNCTION_INFO_V1(pms_stamp_recorded_at);

/* Returns the SQL verb of the trigger event, for the error message. */
static const char *
TriggerVerb(TriggerEvent event)
{
	if (TRIGGER_FIRED_BY_UPDATE(event))
		return "UPDATE";
	if (TRIGGER_FIRED_BY_DELETE(event))
		return "DELETE";
	if (TRIGGER_FIRED_BY_TRUNCATE(event))
		return "TRUNCATE";
	return "INSERT";
}

/* BEFORE UPDATE/DELETE/TRUNCATE trigger: always raises, so nothing is changed. */
Datum
pms_refuse_mutation(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	const char *hint = "Record a compensating event instead (for example a cancellation).";

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "pms_refuse_mutation: not called by trigger manager");
	if (trigdata->tg_trigger->tgnargs > 0)
		hint = trigdata->tg_trigger->tgargs[0];

	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("%s on pms.%s is not allowed",
					TriggerVerb(trigdata->tg_event),
					RelationGetRelationName(trigdata->tg_relation)),
			 errdetail("pms keeps every row of this table: history is never changed or removed."),
			 errhint("%s", hint)));

	PG_RETURN_NULL();			/* not reached */
}

/* BEFORE INSERT row trigger: sets recorded_at to the transaction time. */
Datum
pms_stamp_recorded_at(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	int			column;
	Datum		value;
	bool		isnull = false;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "pms_stamp_recorded_at: must be a BEFORE INSERT row trigger");
	column = SPI_fnumber(RelationGetDescr(trigdata->tg_relation), "recorded_at");
	if (column <= 0)
		elog(ERROR, "pms_stamp_recorded_at: table has no recorded_at column");
	value = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	return PointerGetDatum(heap_modify_tuple_by_cols(trigdata->tg_trigtuple,
													 RelationGetDescr(trigdata->tg_relation),
													 1, &column, &value, &isnull));
}
