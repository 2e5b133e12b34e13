/*
 * identifiers.c
 *		Check digits of CUSIP and ISIN identifiers (pure C, no PostgreSQL types).
 *
 * CUSIP: each of the first eight characters has a value (digits 0-9, letters
 * A-Z as 10-35, '*' 36, '@' 37, '#' 38); every second value is doubled, the
 * decimal digits of all values are summed, and the check digit brings the sum
 * to a multiple of ten.  ISIN: letters are expanded to two digits (A = 10) and
 * the Luhn algorithm runs over the resulting digit string.
 */
#include "identifiers.h"

/* Value of one CUSIP character, or -1 if it cannot appear in a CUSIP. */
static int
CusipCharValue(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	if (c == '*')
		return 36;
	if (c == '@')
		return 37;
	if (c == '#')
		return 38;
	return -1;
}

/* Check digit of a CUSIP's first eight characters, or -1. */
int
CusipCheckDigit(const char *cusip, size_t len)
{
	int			sum = 0;

	if (len < 8)
		return -1;
	for (int i = 0; i < 8; i++)
	{
		int			v = CusipCharValue(cusip[i]);

		if (v < 0)
			return -1;
		if (i % 2 == 1)
			v *= 2;
		sum += v / 10 + v % 10;
	}
	return (10 - sum % 10) % 10;
}

/* True for a nine-character CUSIP with a correct check digit. */
bool
CusipIsValid(const char *cusip, size_t len)
{
	int			check;

	if (len != 9 || cusip[8] < '0' || cusip[8] > '9')
		return false;
	check = CusipCheckDigit(cusip, len);
	return check >= 0 && check == cusip[8] - '0';
}

/* Check digit of an ISIN's first eleven characters, or -1. */
int
IsinCheckDigit(const char *isin, size_t len)
{
	int			digits[22];
	int			n = 0;
	int			sum = 0;

	if (len < 11)
		return -1;
	for (int i = 0; i < 11; i++)
	{
		char		c = isin[i];

		if (c >= '0' && c <= '9')
			digits[n++] = c - '0';
		else if (c >= 'A' && c <= 'Z')
		{
			digits[n++] = (c - 'A' + 10) / 10;
			digits[n++] = (c - 'A' + 10) % 10;
		}
		else
			return -1;
	}
	/* Luhn: double every second digit counting from the rightmost one. */
	for (int i = n - 1, pos = 0; i >= 0; i--, pos++)
	{
		int			d = digits[i];

		if (pos % 2 == 0)
		{
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (10 - sum % 10) % 10;
}

/* True for a twelve-character ISIN with country letters and a correct check digit. */
bool
IsinIsValid(const char *isin, size_t len)
{
	int			check;

	if (len != 12)
		return false;
	if (isin[0] < 'A' || isin[0] > 'Z' || isin[1] < 'A' || isin[1] > 'Z')
		return false;
	if (isin[11] < '0' || isin[11] > '9')
		return false;
	check = IsinCheckDigit(isin, len);
	return check >= 0 && check == isin[11] - '0';
}
