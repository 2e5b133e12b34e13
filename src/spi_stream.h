/*
 * spi_stream.h
 *		Read-only SPI queries whose rows go straight to a callback, one slot at a
 *		time, instead of being copied into an SPI tuple table (spi_stream.c).
 */
#ifndef PMS_SPI_STREAM_H
#define PMS_SPI_STREAM_H

#include "postgres.h"

#include "executor/tuptable.h"

/* Called with each result row; runs in a memory context reset after every row. */
typedef void (*SpiRowFn) (TupleTableSlot *slot, void *arg);

/*
 * Runs a read-only query (SPI must be connected) with parameters $1..$nargs,
 * passing each row to row(); returns how many rows there were.  The query may
 * use a parallel plan.  caller names the function in an error.
 */
extern uint64 SpiStreamQuery(const char *caller, const char *sql, int nargs, const Oid *types,
							 const Datum *values, const bool *nulls, SpiRowFn row, void *arg);

/* Column n (1-based) of a streamed row; NULL is refused as corrupt data. */
extern Datum SpiStreamColumn(TupleTableSlot *slot, int n, const char *caller);

#endif							/* PMS_SPI_STREAM_H */
