/*
 * spi_stream.c
 *		Read-only SPI queries streamed to a callback.
 *
 * SPI_execute copies every result row into a tuple table before the caller
 * sees any; for the hundreds of thousands of rows a drift pass reads, those
 * copies cost more than the query.  Here the rows go to a DestReceiver that
 * hands each slot to the caller, so nothing is materialised, and (unlike a
 * cursor) the query may run with parallel workers.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/params.h"
#include "tcop/dest.h"
#include "utils/memutils.h"

#include "spi_stream.h"

/* A DestReceiver that passes each row to a callback. */
typedef struct StreamReceiver
{
	DestReceiver pub;
	SpiRowFn	row;
	void	   *arg;
	MemoryContext row_cxt;		/* reset after every row */
	uint64		rows;
} StreamReceiver;

/* Hands one row to the callback in the per-row context. */
static bool
StreamReceiveSlot(TupleTableSlot *slot, DestReceiver *self)
{
	StreamReceiver *r = (StreamReceiver *) self;
	MemoryContext old = MemoryContextSwitchTo(r->row_cxt);

	r->row(slot, r->arg);
	MemoryContextSwitchTo(old);
	MemoryContextReset(r->row_cxt);
	r->rows++;
	return true;
}

/* Nothing to set up, shut down or free: the receiver lives on the caller's stack. */
static void
StreamStartup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

/* See StreamStartup. */
static void
StreamNoop(DestReceiver *self)
{
}

/* Runs a read-only query, streaming its rows to row(); see spi_stream.h. */
uint64
SpiStreamQuery(const char *caller, const char *sql, int nargs, const Oid *types, const Datum *values,
			   const bool *nulls, SpiRowFn row, void *arg)
{
	StreamReceiver receiver;
	SPIExecuteOptions options;
	ParamListInfo params = nargs > 0 ? makeParamList(nargs) : NULL;
	int			rc;

	for (int i = 0; i < nargs; i++)
	{
		params->params[i].value = values[i];
		params->params[i].isnull = nulls[i];
		params->params[i].pflags = PARAM_FLAG_CONST;
		params->params[i].ptype = types[i];
	}
	memset(&receiver, 0, sizeof(receiver));
	receiver.pub.receiveSlot = StreamReceiveSlot;
	receiver.pub.rStartup = StreamStartup;
	receiver.pub.rShutdown = StreamNoop;
	receiver.pub.rDestroy = StreamNoop;
	receiver.pub.mydest = DestTuplestore;	/* anything but DestNone: SPI then reports a SELECT */
	receiver.row = row;
	receiver.arg = arg;
	receiver.row_cxt = AllocSetContextCreate(CurrentMemoryContext, "pms SPI stream row", ALLOCSET_SMALL_SIZES);

	memset(&options, 0, sizeof(options));
	options.params = params;
	options.read_only = true;
	options.dest = &receiver.pub;
	rc = SPI_execute_extended(sql, &options);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "%s: query failed: %s", caller, SPI_result_code_string(rc));
	MemoryContextDelete(receiver.row_cxt);
	return receiver.rows;
}

/* Column n of a streamed row; see spi_stream.h. */
Datum
SpiStreamColumn(TupleTableSlot *slot, int n, const char *caller)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, n, &isnull);

	if (isnull)
		elog(ERROR, "%s: column %d of an internal query is NULL", caller, n);
	return d;
}
