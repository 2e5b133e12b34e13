/*
 * identifiers.h
 *		Pure checks for security identifiers (CUSIP, ISIN); no PostgreSQL types.
 */
#ifndef PMS_IDENTIFIERS_H
#define PMS_IDENTIFIERS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Check digit of the first eight characters of a CUSIP, or -1 when one of
 * them is not a CUSIP character (0-9, A-Z, '*', '@', '#').
 */
extern int	CusipCheckDigit(const char *cusip, size_t len);

/* True when cusip is nine characters whose last is the right check digit. */
extern bool CusipIsValid(const char *cusip, size_t len);

/* Check digit (Luhn over the expanded letters) of the first eleven ISIN characters, or -1. */
extern int	IsinCheckDigit(const char *isin, size_t len);

/* True when isin is two letters, nine alphanumerics and the right check digit. */
extern bool IsinIsValid(const char *isin, size_t len);

#endif							/* PMS_IDENTIFIERS_H */
