/*
 * pms.c
 *		Module entry point: PG_MODULE_MAGIC and the pms.* configuration settings.
 *
 * Every setting lives under the reserved "pms." prefix so a mistyped name is an
 * error rather than a silently ignored placeholder.  Subsystems that need
 * settings register them from here, through their own *Init function.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "pms.h"

PG_MODULE_MAGIC;

/* Correlation id stamped on every event written in this session (empty: none). */
char	   *pms_correlation_id = NULL;

void		_PG_init(void);

/* Registers the pms.* settings and reserves the prefix. */
void
_PG_init(void)
{
	DefineCustomStringVariable("pms.correlation_id",
							   "Correlation id recorded on the events this session writes.",
							   "Application backends set it (usually with SET LOCAL) to tie "
							   "events to the request that caused them.",
							   &pms_correlation_id,
							   "",
							   PGC_USERSET,
							   0,
							   NULL, NULL, NULL);
	SettingsInit();

	MarkGUCPrefixReserved("pms");
}
