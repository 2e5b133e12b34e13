/*
 * settings.c
 *		The time-travel settings: pms.as_of, pms.known_at and pms.position_basis.
 *
 * pms.as_of and pms.known_at are strings so that '' can mean "today" / "now";
 * their check hooks parse them with the date and timestamptz input functions so
 * a bad value is refused at SET time, not at the first read.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"

#include "pms.h"

char	   *pms_as_of = NULL;
char	   *pms_known_at = NULL;
int			pms_position_basis = POSITION_BASIS_TRADE;

static const struct config_enum_entry position_basis_options[] = {
	{"trade", POSITION_BASIS_TRADE, false},
	{"settle", POSITION_BASIS_SETTLE, false},
	{NULL, 0, false}
};

/* True when value parses with the given type input function (errors are caught). */
static bool
ParsesAs(const char *value, Oid input_func, Oid typioparam)
{
	bool		ok = true;
	MemoryContext oldcontext = CurrentMemoryContext;

	PG_TRY();
	{
		(void) OidInputFunctionCall(input_func, (char *) value, typioparam, -1);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(oldcontext);
		FlushErrorState();
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/* Check hook of pms.as_of: empty, or a date. */
static bool
CheckAsOf(char **newval, void **extra, GucSource source)
{
	if (**newval == '\0' || ParsesAs(*newval, F_DATE_IN, InvalidOid))
		return true;
	GUC_check_errdetail("pms.as_of must be a date such as 2026-06-30, or empty for today.");
	return false;
}

/* Check hook of pms.known_at: empty, or a timestamp with time zone. */
static bool
CheckKnownAt(char **newval, void **extra, GucSource source)
{
	if (**newval == '\0' || ParsesAs(*newval, F_TIMESTAMPTZ_IN, InvalidOid))
		return true;
	GUC_check_errdetail("pms.known_at must be a timestamp such as 2026-06-30 18:00+00, or empty for now.");
	return false;
}

/* Registers pms.as_of, pms.known_at and pms.position_basis. */
void
SettingsInit(void)
{
	DefineCustomStringVariable("pms.as_of",
							   "Business date that reads are computed as of ('' = today).",
							   "Reads that are not given an as_of argument use this date.",
							   &pms_as_of, "", PGC_USERSET, 0,
							   CheckAsOf, NULL, NULL);
	DefineCustomStringVariable("pms.known_at",
							   "Knowledge time that reads are computed as known at ('' = now).",
							   "Reads that are not given a known_at argument see only what was recorded by then.",
							   &pms_known_at, "", PGC_USERSET, 0,
							   CheckKnownAt, NULL, NULL);
	DefineCustomEnumVariable("pms.position_basis",
							 "Date that dates positions: trade or settle.",
							 NULL,
							 &pms_position_basis, POSITION_BASIS_TRADE,
							 position_basis_options, PGC_USERSET, 0,
							 NULL, NULL, NULL);
}
