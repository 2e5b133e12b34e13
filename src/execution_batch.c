/*
 * execution_batch.c
 *		Statement trigger of pms.executions: checks a batch of new executions
 *		against other tables and advances the position and cash projections.
 *
 * A COPY of a million fills reaches this trigger as one transition table, so
 * the per-row work is C and the decisions are SQL (57_projection.sql):
 *
 *	 pass 1   groups the new rows into (household, account, instrument) triples:
 *			  first sequence number, first and last trade and settle dates, and
 *			  whether the triple's rows already come in fold order (trade date,
 *			  seq);
 *	 begin    pms.executions_batch_begin checks the triples (a row is bad exactly
 *			  when its triple is, so the earliest bad triple names the earliest bad
 *			  row), locks the accounts in account order and drops the checkpoints
 *			  the batch changes;
 *	 pairs    then, under the locks and with a fresh snapshot,
 *			  pms.executions_batch_pairs reads each pair's multiplier, currency and
 *			  projected position;
 *	 pass 2   folds every pair whose new fills all come on or after its projected
 *			  history, from the projected state (rows out of fold order are kept
 *			  and sorted first), and sums each pair's cash, every fill rounded to
 *			  the currency's minor units;
 *	 finish   pms.executions_batch_finish stores both projections, refolds the
 *			  backdated pairs from their history and refuses shorts.
 *
 * Any error aborts the statement, so a batch is written whole or not at all.
 * Cash is exact: fixed point (position_fold.h) while it fits, numeric after.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"
#include "utils/uuid.h"

#include "position_fold.h"
#include "position_fold_pg.h"

PG_FUNCTION_INFO_V1(pms_executions_after_insert);

/* Columns of pms.executions the trigger reads (0-based indexes into a deformed row). */
typedef struct BatchColumns
{
	int			household;
	int			seq;
	int			account;
	int			instrument;
	int			side;
	int			quantity;
	int			price;
	int			trade_date;
	int			settle_date;
	int			last;			/* the highest of them, plus one */
} BatchColumns;

/* Hash key of a triple. */
typedef struct TripleKey
{
	pg_uuid_t	household;
	pg_uuid_t	account;
	pg_uuid_t	instrument;
} TripleKey;

/* A fill kept aside because its triple's rows came out of fold order. */
typedef struct KeptFill
{
	DateADT		trade_date;
	int64		seq;
	bool		buy;
	Datum		quantity;
	Datum		price;
} KeptFill;

/* One (household, account, instrument) triple of the batch. */
typedef struct Triple
{
	TripleKey	key;			/* hash key: first */
	int			index;			/* position in the arrays given to SQL */
	int64		first_seq;
	DateADT		first_trade;
	DateADT		last_trade;
	DateADT		first_settle;
	DateADT		last_settle;
	DateADT		prev_trade;		/* the last row read, for the order check */
	int64		prev_seq;
	bool		in_order;		/* rows read in (trade_date, seq) order */
	/* pass 2 */
	bool		fold;			/* continue the fold (false: refold from history) */
	PositionFoldState *state;
	KeptFill   *kept;
	int			nkept;
	int			maxkept;
	bool		moves_cash;
	int			places;			/* minor units of the currency */
	Datum		mult;			/* numeric multiplier */
	Datum		currency;		/* text */
	PmsDecimal	mult_fx;
	bool		mult_fits;
	bool		cash_fixed;		/* cash_fx holds the sum; else cash_num */
	PmsDecimal	cash_fx;		/* at scale places */
	Datum		cash_num;
} Triple;

/* SQL run by the trigger, prepared once per backend. */
static SPIPlanPtr begin_plan = NULL;
static SPIPlanPtr pairs_plan = NULL;
static SPIPlanPtr finish_plan = NULL;

/* 0-based index of a column of pms.executions, or an internal error. */
static int
BatchColumn(TupleDesc desc, const char *name)
{
	int			attnum = SPI_fnumber(desc, name);

	if (attnum <= 0)
		elog(ERROR, "pms.executions has no column \"%s\"", name);
	return attnum - 1;
}

/* Finds the columns the trigger reads. */
static void
FindColumns(TupleDesc desc, BatchColumns *c)
{
	c->household = BatchColumn(desc, "household_id");
	c->seq = BatchColumn(desc, "seq");
	c->account = BatchColumn(desc, "account_id");
	c->instrument = BatchColumn(desc, "instrument_id");
	c->side = BatchColumn(desc, "side");
	c->quantity = BatchColumn(desc, "quantity");
	c->price = BatchColumn(desc, "price");
	c->trade_date = BatchColumn(desc, "trade_date");
	c->settle_date = BatchColumn(desc, "settle_date");
	c->last = Max(Max(Max(c->household, c->seq), Max(c->account, c->instrument)),
				  Max(Max(c->side, c->quantity), Max(c->price, Max(c->trade_date, c->settle_date)))) + 1;
}

/* Positions a fresh read pointer of the transition table at its start. */
static void
StartReading(Tuplestorestate *rows)
{
	tuplestore_select_read_pointer(rows, tuplestore_alloc_read_pointer(rows, EXEC_FLAG_REWIND));
	tuplestore_rescan(rows);
}

/* Reads the next new row into slot (deformed up to the columns used); false at the end. */
static bool
NextRow(Tuplestorestate *rows, TupleTableSlot *slot, const BatchColumns *c)
{
	bool	   *isnull;

	if (!tuplestore_gettupleslot(rows, true, false, slot))
		return false;
	slot_getsomeattrs(slot, c->last);
	/* The columns are NOT NULL, and the row trigger filled in settle_date. */
	isnull = slot->tts_isnull;
	if (isnull[c->household] || isnull[c->seq] || isnull[c->account] || isnull[c->instrument] ||
		isnull[c->side] || isnull[c->quantity] || isnull[c->price] || isnull[c->trade_date] ||
		isnull[c->settle_date])
		elog(ERROR, "pms.executions transition table row with a null column");
	return true;
}

/* The triple key of the row in slot. */
static inline void
RowKey(TupleTableSlot *slot, const BatchColumns *c, TripleKey *key)
{
	memcpy(&key->household, DatumGetUUIDP(slot->tts_values[c->household]), sizeof(pg_uuid_t));
	memcpy(&key->account, DatumGetUUIDP(slot->tts_values[c->account]), sizeof(pg_uuid_t));
	memcpy(&key->instrument, DatumGetUUIDP(slot->tts_values[c->instrument]), sizeof(pg_uuid_t));
}

/* True for BUY (the row trigger let only BUY and SELL through). */
static inline bool
RowIsBuy(TupleTableSlot *slot, const BatchColumns *c)
{
	text	   *side = DatumGetTextPP(slot->tts_values[c->side]);

	return VARSIZE_ANY_EXHDR(side) == 3 && memcmp(VARDATA_ANY(side), "BUY", 3) == 0;
}

/* A one-dimensional array of n datums of a type (nulls may be NULL: none). */
static Datum
MakeArray(Datum *elems, bool *nulls, int n, Oid elemtype)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			dims[1] = {n};
	int			lbs[1] = {1};

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs, elemtype,
											  typlen, typbyval, typalign));
}

/* Prepares (once) and keeps one of the trigger's statements. */
static SPIPlanPtr
KeepPlan(SPIPlanPtr *plan, const char *sql, int nargs, const Oid *elemtypes)
{
	if (*plan == NULL)
	{
		Oid			types[16];
		SPIPlanPtr	p;

		Assert(nargs <= lengthof(types));
		for (int i = 0; i < nargs; i++)
			types[i] = get_array_type(elemtypes[i]);
		p = SPI_prepare(sql, nargs, types);
		if (p == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		if (SPI_keepplan(p) != 0)
			elog(ERROR, "SPI_keepplan failed");
		*plan = p;
	}
	return *plan;
}

/* Runs a kept statement; returns the SPI result code. */
static int
RunPlan(SPIPlanPtr plan, Datum *args)
{
	int			rc = SPI_execute_plan(plan, args, NULL, false, 0);

	if (rc < 0)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
	return rc;
}

/*
 * Adds one fill's cash (BUY pays, SELL receives, rounded to places) to its
 * triple; fits says whether q and p hold the quantity and price.
 */
static void
AddCash(Triple *t, bool buy, Datum quantity, Datum price, bool fits, PmsDecimal q, PmsDecimal p,
		MemoryContext batchcxt)
{
	if (t->cash_fixed)
	{
		PmsDecimal	qp,
					amount,
					rounded,
					sum;
		static const PmsDecimal one = {1, 0};

		if (fits && t->mult_fits && PmsDecMul(q, p, &qp) && PmsDecMul(qp, t->mult_fx, &amount) &&
			PmsDecDivRound(amount, one, t->places, &rounded))
		{
			if (buy)
				rounded.m = -rounded.m;
			if (PmsDecAdd(t->cash_fx, rounded, &sum))
			{
				t->cash_fx = sum;
				return;
			}
		}
		/* It no longer fits: continue in numeric from the sum so far. */
		t->cash_fixed = false;
		t->cash_num = PositionFoldDecimalToNumeric(t->cash_fx, t->places, batchcxt);
	}
	{
		Datum		amount = DirectFunctionCall2(numeric_mul, quantity, price);
		MemoryContext old;

		amount = DirectFunctionCall2(numeric_mul, amount, t->mult);
		amount = DirectFunctionCall2(numeric_round, amount, Int32GetDatum(t->places));
		if (buy)
			amount = DirectFunctionCall1(numeric_uminus, amount);
		amount = DirectFunctionCall2(numeric_add, t->cash_num, amount);
		old = MemoryContextSwitchTo(batchcxt);
		pfree(DatumGetPointer(t->cash_num));
		t->cash_num = datumCopy(amount, false, -1);
		MemoryContextSwitchTo(old);
	}
}

/* Orders kept fills by (trade_date, seq), the fold order. */
static int
CompareFills(const void *a, const void *b)
{
	const KeptFill *x = (const KeptFill *) a;
	const KeptFill *y = (const KeptFill *) b;

	if (x->trade_date != y->trade_date)
		return x->trade_date < y->trade_date ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

/* The batch being projected: the new rows, their triples, and where each row belongs. */
typedef struct Batch
{
	Tuplestorestate *rows;		/* the transition table */
	BatchColumns cols;
	TupleTableSlot *slot;
	MemoryContext cxt;			/* everything below lives here */
	MemoryContext rowcxt;		/* per-row scratch, reset after each row */
	HTAB	   *triples;
	Triple	  **list;			/* the triples in the order first seen */
	int			n;
	int			max;
	int32	   *row_triple;		/* the triple of each row, in transition table order */
	int64		nrows;
	int64		maxrows;
	Datum		households;		/* uuid[] of the triples, for SQL */
	Datum		accounts;
	Datum		instruments;
} Batch;

/* Pass 1: groups the new rows into triples, noting first rows, dates and order. */
static void
ReadTriples(Batch *b)
{
	StartReading(b->rows);
	while (NextRow(b->rows, b->slot, &b->cols))
	{
		TupleTableSlot *slot = b->slot;
		TripleKey	key;
		Triple	   *t;
		bool		found;
		int64		seq = DatumGetInt64(slot->tts_values[b->cols.seq]);
		DateADT		trade = DatumGetDateADT(slot->tts_values[b->cols.trade_date]);
		DateADT		settle = DatumGetDateADT(slot->tts_values[b->cols.settle_date]);

		RowKey(slot, &b->cols, &key);
		t = hash_search(b->triples, &key, HASH_ENTER, &found);
		if (!found)
		{
			memset((char *) t + sizeof(TripleKey), 0, sizeof(Triple) - sizeof(TripleKey));
			t->index = b->n;
			t->first_seq = seq;
			t->first_trade = t->last_trade = trade;
			t->first_settle = t->last_settle = settle;
			t->in_order = true;
			if (b->n == b->max)
			{
				b->max *= 2;
				b->list = repalloc_huge(b->list, b->max * sizeof(Triple *));
			}
			b->list[b->n++] = t;
		}
		else
		{
			t->first_seq = Min(t->first_seq, seq);
			t->first_trade = Min(t->first_trade, trade);
			t->last_trade = Max(t->last_trade, trade);
			t->first_settle = Min(t->first_settle, settle);
			t->last_settle = Max(t->last_settle, settle);
			if (trade < t->prev_trade || (trade == t->prev_trade && seq < t->prev_seq))
				t->in_order = false;
		}
		t->prev_trade = trade;
		t->prev_seq = seq;
		if (b->nrows == b->maxrows)
		{
			b->maxrows *= 2;
			b->row_triple = repalloc_huge(b->row_triple, b->maxrows * sizeof(int32));
		}
		b->row_triple[b->nrows++] = t->index;
	}
}

/* SQL step 1: checks the triples, locks their accounts, drops the checkpoints they change. */
static void
BeginBatch(Batch *b)
{
	int			n = b->n;
	Datum	   *households = palloc(n * sizeof(Datum));
	Datum	   *accounts = palloc(n * sizeof(Datum));
	Datum	   *instruments = palloc(n * sizeof(Datum));
	Datum	   *first_seqs = palloc(n * sizeof(Datum));
	Datum	   *first_trades = palloc(n * sizeof(Datum));
	Datum	   *first_settles = palloc(n * sizeof(Datum));
	Datum		args[6];
	static const Oid types[6] = {UUIDOID, UUIDOID, UUIDOID, INT8OID, DATEOID, DATEOID};

	for (int i = 0; i < n; i++)
	{
		Triple	   *t = b->list[i];

		households[i] = UUIDPGetDatum(&t->key.household);
		accounts[i] = UUIDPGetDatum(&t->key.account);
		instruments[i] = UUIDPGetDatum(&t->key.instrument);
		first_seqs[i] = Int64GetDatum(t->first_seq);
		first_trades[i] = DateADTGetDatum(t->first_trade);
		first_settles[i] = DateADTGetDatum(t->first_settle);
	}
	b->households = args[0] = MakeArray(households, NULL, n, UUIDOID);
	b->accounts = args[1] = MakeArray(accounts, NULL, n, UUIDOID);
	b->instruments = args[2] = MakeArray(instruments, NULL, n, UUIDOID);
	args[3] = MakeArray(first_seqs, NULL, n, INT8OID);
	args[4] = MakeArray(first_trades, NULL, n, DATEOID);
	args[5] = MakeArray(first_settles, NULL, n, DATEOID);
	RunPlan(KeepPlan(&begin_plan,
					 "SELECT pms.executions_batch_begin($1, $2, $3, $4, $5, $6)",
					 6, types), args);
}

/*
 * SQL step 2, under the locks: each pair's multiplier, currency and projected
 * state; starts the folds of the pairs whose new fills all come on or after
 * their projected history (the others will be refolded from their history).
 */
static void
LoadPairs(Batch *b)
{
	static const Oid types[2] = {UUIDOID, UUIDOID};
	Datum		args[2] = {b->accounts, b->instruments};
	TupleDesc	rdesc;

	RunPlan(KeepPlan(&pairs_plan,
					 "SELECT price_multiplier, minor_units, moves_cash, state, last_trade_date, currency "
					 "FROM pms.executions_batch_pairs($1, $2)",
					 2, types), args);
	if (SPI_processed != (uint64) b->n)
		elog(ERROR, "pms.executions_batch_pairs returned " UINT64_FORMAT " rows for %d pairs",
			 SPI_processed, b->n);
	rdesc = SPI_tuptable->tupdesc;
	MemoryContextSwitchTo(b->cxt);
	for (int i = 0; i < b->n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		Triple	   *t = b->list[i];
		bool		isnull;
		Datum		value;
		Datum		state;
		bool		state_null;
		Datum		projected;
		bool		projected_null;

		value = SPI_getbinval(tuple, rdesc, 1, &isnull);
		if (isnull)
			elog(ERROR, "instrument without a price_multiplier");
		t->mult = datumCopy(value, false, -1);
		t->mult_fits = PositionFoldReadDecimal(t->mult, &t->mult_fx);
		value = SPI_getbinval(tuple, rdesc, 2, &isnull);
		t->places = isnull ? 2 : DatumGetInt16(value);
		t->moves_cash = DatumGetBool(SPI_getbinval(tuple, rdesc, 3, &isnull));
		value = SPI_getbinval(tuple, rdesc, 6, &isnull);
		if (isnull)
			elog(ERROR, "instrument without a currency");
		t->currency = datumCopy(value, false, -1);
		t->cash_fixed = t->places >= 0 && t->places <= PMS_DEC_MAX_SCALE;
		t->cash_fx.m = 0;
		t->cash_fx.scale = t->cash_fixed ? t->places : 0;
		if (!t->cash_fixed)
			t->cash_num = DirectFunctionCall2(numeric_round, NumericGetDatum(int64_to_numeric(0)),
											  Int32GetDatum(t->places));
		state = SPI_getbinval(tuple, rdesc, 4, &state_null);
		projected = SPI_getbinval(tuple, rdesc, 5, &projected_null);
		/* A fill dated before the projected history's last date means a refold. */
		t->fold = projected_null || t->first_trade >= DatumGetDateADT(projected);
		if (t->fold)
		{
			t->state = PositionFoldBegin(b->cxt, t->mult,
										 state_null ? NULL : DatumGetHeapTupleHeader(state));
			if (!projected_null)
				t->last_trade = Max(t->last_trade, DatumGetDateADT(projected));
		}
	}
}

/* Keeps a fill of a triple whose rows came out of fold order, to sort it later. */
static void
KeepFill(Batch *b, Triple *t, bool buy, Datum quantity, Datum price)
{
	MemoryContext old = MemoryContextSwitchTo(b->cxt);
	KeptFill   *f;

	if (t->nkept == t->maxkept)
	{
		t->maxkept = t->maxkept == 0 ? 16 : t->maxkept * 2;
		t->kept = t->kept == NULL ? palloc(t->maxkept * sizeof(KeptFill)) :
			repalloc_huge(t->kept, t->maxkept * sizeof(KeptFill));
	}
	f = &t->kept[t->nkept++];
	f->trade_date = DatumGetDateADT(b->slot->tts_values[b->cols.trade_date]);
	f->seq = DatumGetInt64(b->slot->tts_values[b->cols.seq]);
	f->buy = buy;
	f->quantity = datumCopy(quantity, false, -1);
	f->price = datumCopy(price, false, -1);
	MemoryContextSwitchTo(old);
}

/* Pass 2: sums every pair's cash and folds the pairs in fold order, rows as in pass 1. */
static void
FoldAndSumCash(Batch *b)
{
	int64		row;

	StartReading(b->rows);
	for (row = 0; NextRow(b->rows, b->slot, &b->cols); row++)
	{
		TupleTableSlot *slot = b->slot;
		Triple	   *t;
		bool		buy = RowIsBuy(slot, &b->cols);
		Datum		quantity = slot->tts_values[b->cols.quantity];
		Datum		price = slot->tts_values[b->cols.price];
		PmsDecimal	q,
					p;
		bool		fits;

		if (row >= b->nrows)
			elog(ERROR, "pms.executions transition table grew between two reads");
		t = b->list[b->row_triple[row]];
		MemoryContextSwitchTo(b->rowcxt);
		fits = PositionFoldReadDecimal(quantity, &q) && PositionFoldReadDecimal(price, &p) &&
			PmsDecSign(q) > 0 && PmsDecSign(p) >= 0;
		if (t->moves_cash)
			AddCash(t, buy, quantity, price, fits, q, p, b->cxt);
		if (t->fold && !t->in_order)
			KeepFill(b, t, buy, quantity, price);
		else if (t->fold && fits)
			PositionFoldAddChecked(t->state, b->cxt, buy, quantity, q, price, p);
		else if (t->fold)
			PositionFoldAdd(t->state, b->cxt, buy, quantity, price);
		MemoryContextSwitchTo(b->cxt);
		MemoryContextReset(b->rowcxt);
	}
	if (row != b->nrows)
		elog(ERROR, "pms.executions transition table changed between two reads");
}

/*
 * Folds the kept fills in (trade_date, seq) order, then SQL step 3: stores the
 * folds and the cash, refolds the backdated pairs and checks shorts.
 */
static void
FinishBatch(Batch *b)
{
	int			n = b->n;
	Datum	   *refold = palloc(n * sizeof(Datum));
	Datum	   *fields[5];
	bool	   *field_nulls[5];
	Datum	   *last_trades = palloc(n * sizeof(Datum));
	Datum	   *currencies = palloc(n * sizeof(Datum));
	bool	   *currency_nulls = palloc(n * sizeof(bool));
	Datum	   *cash = palloc(n * sizeof(Datum));
	bool	   *cash_nulls = palloc(n * sizeof(bool));
	Datum	   *last_settles = palloc(n * sizeof(Datum));
	Datum		args[13];
	static const Oid types[13] = {UUIDOID, UUIDOID, UUIDOID, BOOLOID, NUMERICOID, NUMERICOID,
		NUMERICOID, NUMERICOID, INT8OID, DATEOID, TEXTOID, NUMERICOID, DATEOID};

	for (int f = 0; f < 5; f++)
	{
		fields[f] = palloc(n * sizeof(Datum));
		field_nulls[f] = palloc(n * sizeof(bool));
	}
	for (int i = 0; i < n; i++)
	{
		Triple	   *t = b->list[i];
		Datum		values[5];
		bool		nulls[5] = {true, true, true, true, true};

		if (t->fold && !t->in_order)
		{
			qsort(t->kept, t->nkept, sizeof(KeptFill), CompareFills);
			for (int k = 0; k < t->nkept; k++)
			{
				MemoryContextSwitchTo(b->rowcxt);
				PositionFoldAdd(t->state, b->cxt, t->kept[k].buy, t->kept[k].quantity,
								t->kept[k].price);
				MemoryContextSwitchTo(b->cxt);
				MemoryContextReset(b->rowcxt);
			}
		}
		if (t->fold)
			PositionFoldResult(t->state, values, nulls);
		refold[i] = BoolGetDatum(!t->fold);
		for (int f = 0; f < 5; f++)
		{
			fields[f][i] = nulls[f] ? (Datum) 0 : values[f];
			field_nulls[f][i] = nulls[f];
		}
		last_trades[i] = DateADTGetDatum(t->last_trade);
		currency_nulls[i] = cash_nulls[i] = !t->moves_cash;
		currencies[i] = t->moves_cash ? t->currency : (Datum) 0;
		cash[i] = !t->moves_cash ? (Datum) 0 : t->cash_fixed ?
			PositionFoldDecimalToNumeric(t->cash_fx, t->places, b->cxt) : t->cash_num;
		last_settles[i] = DateADTGetDatum(t->last_settle);
	}
	args[0] = b->households;
	args[1] = b->accounts;
	args[2] = b->instruments;
	args[3] = MakeArray(refold, NULL, n, BOOLOID);
	for (int f = 0; f < 4; f++)
		args[4 + f] = MakeArray(fields[f], field_nulls[f], n, NUMERICOID);
	args[8] = MakeArray(fields[4], field_nulls[4], n, INT8OID);
	args[9] = MakeArray(last_trades, NULL, n, DATEOID);
	args[10] = MakeArray(currencies, currency_nulls, n, TEXTOID);
	args[11] = MakeArray(cash, cash_nulls, n, NUMERICOID);
	args[12] = MakeArray(last_settles, NULL, n, DATEOID);
	RunPlan(KeepPlan(&finish_plan,
					 "SELECT pms.executions_batch_finish($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
					 13, types), args);
}

/* AFTER INSERT statement trigger of pms.executions (REFERENCING NEW TABLE). */
Datum
pms_executions_after_insert(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	Batch		b;
	HASHCTL		hctl;
	MemoryContext old;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event) ||
		!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) || trigdata->tg_newtable == NULL)
		elog(ERROR, "pms_executions_after_insert: must be an AFTER INSERT statement trigger with a NEW TABLE");
	desc = RelationGetDescr(trigdata->tg_relation);

	memset(&b, 0, sizeof(b));
	b.rows = trigdata->tg_newtable;
	FindColumns(desc, &b.cols);
	b.cxt = AllocSetContextCreate(CurrentMemoryContext, "pms executions batch",
								  ALLOCSET_DEFAULT_SIZES);
	b.rowcxt = AllocSetContextCreate(b.cxt, "pms executions batch row", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(b.cxt);
	b.slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	memset(&hctl, 0, sizeof(hctl));
	hctl.keysize = sizeof(TripleKey);
	hctl.entrysize = sizeof(Triple);
	hctl.hcxt = b.cxt;
	b.triples = hash_create("pms executions batch triples", 1024, &hctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	b.max = 1024;
	b.list = palloc(b.max * sizeof(Triple *));
	b.maxrows = 1024;
	b.row_triple = palloc(b.maxrows * sizeof(int32));

	ReadTriples(&b);
	if (b.n > 0)
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		BeginBatch(&b);
		LoadPairs(&b);
		FoldAndSumCash(&b);
		FinishBatch(&b);
		SPI_finish();
	}

	MemoryContextSwitchTo(old);
	ExecDropSingleTupleTableSlot(b.slot);
	MemoryContextDelete(b.cxt);
	return PointerGetDatum(NULL);
}
