/*
 * identifiers_sql.c
 *		SQL glue for the CUSIP/ISIN checks in identifiers.c.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "identifiers.h"

PG_FUNCTION_INFO_V1(pms_cusip_check_digit);
PG_FUNCTION_INFO_V1(pms_is_valid_cusip);
PG_FUNCTION_INFO_V1(pms_is_valid_isin);

/* pms.cusip_check_digit(text): the check digit of the first eight characters. */
Datum
pms_cusip_check_digit(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int			check = CusipCheckDigit(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	if (check < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" does not start with eight CUSIP characters",
						text_to_cstring(t)),
				 errdetail("A CUSIP is built from the digits 0-9, the capital letters A-Z and '*', '@', '#'."),
				 errhint("Pass the first eight characters of the CUSIP in upper case.")));
	PG_RETURN_INT32(check);
}

/* pms.is_valid_cusip(text): nine characters with a correct check digit. */
Datum
pms_is_valid_cusip(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(CusipIsValid(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}

/* pms.is_valid_isin(text): twelve characters with a correct check digit. */
Datum
pms_is_valid_isin(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(IsinIsValid(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}
