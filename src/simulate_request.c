/*
 * simulate_request.c
 *		Reads and validates a rebalance simulation request (issue 6 contract)
 *		from its JSON tree into a SimRequest.
 *
 * Every failure names the JSON path of the offending field ($.a.b[2].c) in
 * SimError.detail.  Unknown fields are refused (a misspelt option must not be
 * silently ignored).  After reading, each list is sorted by its key with
 * duplicates refused, so the pipeline never depends on request order.
 */
#include "simulate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ID_LEN 128

typedef struct ReadCtx
{
	SimAlloc   *mem;
	SimError   *err;
	SimCurrencyCheck currency_known;
	void	   *check_ctx;
} ReadCtx;

static bool Fail(ReadCtx *c, SimErrorKind kind, const char *path, const char *message, const char *fmt,...)
			__attribute__((format(printf, 5, 6)));

/* Records an error (the first one wins) and returns false. */
static bool
Fail(ReadCtx *c, SimErrorKind kind, const char *path, const char *message, const char *fmt,...)
{
	va_list		ap;
	char		sentence[240];

	if (c->err->kind != SIM_OK)
		return false;
	va_start(ap, fmt);
	vsnprintf(sentence, sizeof(sentence), fmt, ap);
	va_end(ap);
	c->err->kind = kind;
	snprintf(c->err->path, sizeof(c->err->path), "%s", path);
	snprintf(c->err->message, sizeof(c->err->message), "%s", message);
	snprintf(c->err->detail, sizeof(c->err->detail), "At %s: %s", path, sentence);
	return false;
}

/* Name of a JSON kind for messages. */
static const char *
KindName(JsonKind k)
{
	static const char *const names[] = {"null", "a boolean", "a number", "a string", "an array", "an object"};

	return names[k];
}

/* Appends s to buf (size bytes, NUL-terminated), truncating. */
static void
PathAppend(char *buf, size_t size, const char *s)
{
	size_t		len = strlen(buf);

	while (*s && len + 1 < size)
		buf[len++] = *s++;
	buf[len] = '\0';
}

/* Builds parent.key into buf (parent must not alias buf). */
static const char *
Child(char *buf, size_t size, const char *parent, const char *key)
{
	buf[0] = '\0';
	PathAppend(buf, size, parent);
	PathAppend(buf, size, ".");
	PathAppend(buf, size, key);
	return buf;
}

/* Builds parent[i] into buf. */
static const char *
Elem(char *buf, size_t size, const char *parent, int i)
{
	char		idx[16];

	snprintf(idx, sizeof(idx), "[%d]", i);
	buf[0] = '\0';
	PathAppend(buf, size, parent);
	PathAppend(buf, size, idx);
	return buf;
}

/* Refuses members of obj not in the NULL-terminated list allowed. */
static bool
CheckKeys(ReadCtx *c, const JsonNode *obj, const char *path, const char *const *allowed)
{
	for (int i = 0; i < obj->count; i++)
	{
		bool		known = false;

		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, obj->keys[i]) == 0)
				known = true;
		if (!known)
		{
			char		p[200];

			return Fail(c, SIM_ERR_UNKNOWN_FIELD, Child(p, sizeof(p), path, obj->keys[i]),
						"unknown field in simulation request",
						"the field \"%.60s\" is not part of the request contract.", obj->keys[i]);
		}
	}
	return true;
}

/*
 * Looks up obj.key expecting kind; *out is NULL when absent (or JSON null)
 * and not required.
 */
static bool
Member(ReadCtx *c, const JsonNode *obj, const char *path, const char *key,
	   JsonKind kind, bool required, const JsonNode **out)
{
	const JsonNode *n = JsonGet(obj, key);
	char		p[200];

	*out = NULL;
	Child(p, sizeof(p), path, key);
	if (n == NULL || n->kind == JSON_NULL)
	{
		if (required)
			return Fail(c, SIM_ERR_MISSING, p, "simulation request is missing a required field",
						"this field is required.");
		return true;
	}
	if (n->kind != kind)
		return Fail(c, SIM_ERR_TYPE, p, "simulation request field has the wrong type",
					"expected %s, found %s.", KindName(kind), KindName(n->kind));
	*out = n;
	return true;
}

/* Reads a required object member. */
static bool
ReadObject(ReadCtx *c, const JsonNode *obj, const char *path, const char *key,
		   bool required, const JsonNode **out)
{
	return Member(c, obj, path, key, JSON_OBJECT, required, out);
}

/* Reads an array member; an absent optional array reads as empty (*out NULL). */
static bool
ReadArray(ReadCtx *c, const JsonNode *obj, const char *path, const char *key,
		  bool required, const JsonNode **out)
{
	return Member(c, obj, path, key, JSON_ARRAY, required, out);
}

/* Reads an identifier string: 1..128 bytes, no control characters. */
static bool
ReadId(ReadCtx *c, const JsonNode *obj, const char *path, const char *key,
	   bool required, const char **out)
{
	const JsonNode *n;
	char		p[200];

	*out = NULL;
	if (!Member(c, obj, path, key, JSON_STRING, required, &n))
		return false;
	if (n == NULL)
		return true;
	Child(p, sizeof(p), path, key);
	if (n->len == 0 || n->len > MAX_ID_LEN)
		return Fail(c, SIM_ERR_VALUE, p, "identifier has an invalid length",
					"identifiers are 1 to %d bytes long; this one has %zu.", MAX_ID_LEN, n->len);
	for (size_t i = 0; i < n->len; i++)
		if ((unsigned char) n->text[i] < 0x20)
			return Fail(c, SIM_ERR_VALUE, p, "identifier contains a control character",
						"identifiers must be printable text.");
	*out = n->text;
	return true;
}

/* Reads a decimal number exactly; absent optional numbers leave *out at its default. */
static bool
ReadDec(ReadCtx *c, const JsonNode *obj, const char *path, const char *key,
		bool required, Dec *out, bool *present)
{
	const JsonNode *n;
	char		p[200];
	DecParseStatus st;

	if (present)
		*present = false;
	if (!Member(c, obj, path, key, JSON_NUMBER, required, &n))
		return false;
	if (n == NULL)
		return true;
	Child(p, sizeof(p), path, key);
	st = DecParse(n->text, n->len, out);
	if (st == DEC_SYNTAX)
		return Fail(c, SIM_ERR_TYPE, p, "simulation request field has the wrong type",
					"\"%.40s\" is not a JSON number.", n->text);
	if (st == DEC_TOO_PRECISE)
		return Fail(c, SIM_ERR_RANGE, p, "number has more than 12 decimal places",
					"%.60s cannot be held exactly in the simulator's fixed point.", n->text);
	if (st == DEC_TOO_LARGE)
		return Fail(c, SIM_ERR_RANGE, p, "number is out of range",
					"%.60s is not below 1e18 in magnitude.", n->text);
	if (present)
		*present = true;
	return true;
}

/* Checks lo <= v <= hi (bounds given as Decs; a NULL bound is open). */
static bool
CheckRange(ReadCtx *c, const char *path, const char *key, Dec v, const Dec *lo, bool lo_strict,
		   const Dec *hi, const char *message, const char *sentence)
{
	char		p[200],
				num[48];

	if ((lo && (lo_strict ? v <= *lo : v < *lo)) || (hi && v > *hi))
	{
		DecFormatTrim(v, num);
		return Fail(c, SIM_ERR_VALUE, Child(p, sizeof(p), path, key), message,
					"%s; found %s.", sentence, num);
	}
	return true;
}

static const Dec dec_zero = 0;
static const Dec dec_one = DEC_ONE;

/* Reads an optional boolean (absent: *out unchanged). */
static bool
ReadBool(ReadCtx *c, const JsonNode *obj, const char *path, const char *key, bool *out)
{
	const JsonNode *n;

	if (!Member(c, obj, path, key, JSON_BOOL, false, &n))
		return false;
	if (n)
		*out = n->boolean;
	return true;
}

/* Reads an ISO 4217 code: three capital letters known to the caller. */
static bool
ReadCurrency(ReadCtx *c, const JsonNode *obj, const char *path, const char *key, char out[4])
{
	const JsonNode *n;
	char		p[200];

	if (!Member(c, obj, path, key, JSON_STRING, true, &n))
		return false;
	Child(p, sizeof(p), path, key);
	if (n->len != 3 || n->text[0] < 'A' || n->text[0] > 'Z' || n->text[1] < 'A' ||
		n->text[1] > 'Z' || n->text[2] < 'A' || n->text[2] > 'Z')
		return Fail(c, SIM_ERR_CURRENCY, p, "invalid currency code",
					"\"%.20s\" is not three capital letters (ISO 4217).", n->text);
	if (c->currency_known && !c->currency_known(c->check_ctx, n->text))
		return Fail(c, SIM_ERR_CURRENCY, p, "unknown currency code",
					"\"%s\" is not an ISO 4217 code listed in pms.currencies.", n->text);
	memcpy(out, n->text, 4);
	return true;
}

/* Reads exactly n decimal digits at s. */
static bool
Digits(const char *s, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return false;
		*out = *out * 10 + (s[i] - '0');
	}
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t
DaysFromCivil(int y, int m, int d)
{
	int			era;
	unsigned	yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned) (y - era * 400);
	doy = (unsigned) ((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t) era * 146097 + (int64_t) doe - 719468;
}

/*
 * Parses an RFC 3339 timestamp (YYYY-MM-DDTHH:MM:SS[.fff][Z|+HH:MM|-HH:MM])
 * to whole seconds since the epoch; fractions of a second are ignored.
 */
static bool
ParseTimestamp(const char *s, size_t len, int64_t *out)
{
	int			y,
				mo,
				d,
				h,
				mi,
				se,
				oh = 0,
				om = 0,
				sign = 0;
	size_t		i = 19;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (len < 20 || !Digits(s, 4, &y) || s[4] != '-' || !Digits(s + 5, 2, &mo) || s[7] != '-' ||
		!Digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
		!Digits(s + 11, 2, &h) || s[13] != ':' || !Digits(s + 14, 2, &mi) || s[16] != ':' ||
		!Digits(s + 17, 2, &se))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 59)
		return false;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	if (s[i] == '.')
	{
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return false;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z'))
		i++;
	else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && Digits(s + i + 1, 2, &oh) &&
			 s[i + 3] == ':' && Digits(s + i + 4, 2, &om) && oh <= 23 && om <= 59)
	{
		sign = s[i] == '+' ? 1 : -1;
		i += 6;
	}
	else
		return false;
	if (i != len)
		return false;
	*out = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - sign * (oh * 3600 + om * 60);
	return true;
}

/* Reads a timestamp member; absent optional ones leave *out unchanged. */
static bool
ReadTimestamp(ReadCtx *c, const JsonNode *obj, const char *path, const char *key,
			  bool required, int64_t *out)
{
	const JsonNode *n;
	char		p[200];

	if (!Member(c, obj, path, key, JSON_STRING, required, &n))
		return false;
	if (n == NULL)
		return true;
	if (!ParseTimestamp(n->text, n->len, out))
		return Fail(c, SIM_ERR_VALUE, Child(p, sizeof(p), path, key), "invalid timestamp",
					"\"%.40s\" is not an RFC 3339 timestamp such as 2026-02-13T10:00:00Z.", n->text);
	return true;
}

/* Matches a string member against a NULL-terminated list of names; returns the index. */
static bool
ReadEnum(ReadCtx *c, const JsonNode *obj, const char *path, const char *key,
		 const char *const *names, const char *listing, int *out)
{
	const JsonNode *n;
	char		p[200];

	if (!Member(c, obj, path, key, JSON_STRING, true, &n))
		return false;
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], n->text) == 0)
		{
			*out = i;
			return true;
		}
	return Fail(c, SIM_ERR_VALUE, Child(p, sizeof(p), path, key), "invalid value in simulation request",
				"\"%.40s\" is not one of %s.", n->text, listing);
}

/* Allocates n zeroed elements. */
static void *
AllocArray(ReadCtx *c, int n, size_t size)
{
	void	   *p = c->mem->alloc(c->mem->ctx, (size_t) (n > 0 ? n : 1) * size);

	memset(p, 0, (size_t) (n > 0 ? n : 1) * size);
	return p;
}

/* A key and where it came from, for duplicate detection. */
typedef struct KeyAt
{
	const char *key;
	int			index;
} KeyAt;

/* Orders KeyAt by key, then by original index. */
static int
CompareKeyAt(const void *a, const void *b)
{
	const KeyAt *x = a,
			   *y = b;
	int			r = strcmp(x->key, y->key);

	return r != 0 ? r : (x->index > y->index) - (x->index < y->index);
}

/*
 * Refuses a key that appears twice in a list (path of the later one); keys
 * are read with stride bytes between them starting at first.
 */
static bool
CheckUnique(ReadCtx *c, const void *first, size_t stride, int n, bool inline_key,
			const char *arraypath, const char *field)
{
	KeyAt	   *keys;

	if (n < 2)
		return true;
	keys = AllocArray(c, n, sizeof(KeyAt));
	for (int i = 0; i < n; i++)
	{
		const char *base = (const char *) first + stride * i;

		keys[i].key = inline_key ? base : *(const char *const *) base;
		keys[i].index = i;
	}
	qsort(keys, n, sizeof(KeyAt), CompareKeyAt);
	for (int i = 1; i < n; i++)
		if (strcmp(keys[i].key, keys[i - 1].key) == 0)
		{
			char		p[200];

			snprintf(p, sizeof(p), "%s[%d].%s", arraypath, keys[i].index, field);
			return Fail(c, SIM_ERR_DUPLICATE, p, "duplicate entry in simulation request",
						"\"%.60s\" also appears at %s[%d].", keys[i].key, arraypath, keys[i - 1].index);
		}
	return true;
}

/* Reads an array member and allocates n zeroed elements for it (0 when absent). */
static bool
ReadList(ReadCtx *c, const JsonNode *obj, const char *path, const char *key, bool required,
		 size_t size, const JsonNode **arr, int *n, void **items)
{
	if (!ReadArray(c, obj, path, key, required, arr))
		return false;
	*n = *arr ? (*arr)->count : 0;
	*items = AllocArray(c, *n, size);
	return true;
}

static int	CompareIdFirst(const void *a, const void *b);
static int	CompareCodeFirst(const void *a, const void *b);

/* Refuses duplicate keys, then sorts the list by its key (the first member). */
static bool
SortUnique(ReadCtx *c, void *items, size_t size, int n, bool inline_key,
		   const char *arraypath, const char *field)
{
	if (!CheckUnique(c, items, size, n, inline_key, arraypath, field))
		return false;
	qsort(items, n, size, inline_key ? CompareCodeFirst : CompareIdFirst);
	return true;
}

/*
 * qsort comparators: every list is ordered by its key, which is the first
 * member of each struct (a const char * id, or an inline char[4] code).
 */
static int
CompareIdFirst(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}
static int
CompareCodeFirst(const void *a, const void *b)
{
	return strcmp((const char *) a, (const char *) b);
}

/* Checks that element i of array is an object with only the allowed keys. */
static bool
ElementObject(ReadCtx *c, const JsonNode *arr, int i, const char *arraypath,
			  const char *const *allowed, char *p, size_t psize)
{
	const JsonNode *e = arr->items[i];

	Elem(p, psize, arraypath, i);
	if (e->kind != JSON_OBJECT)
		return Fail(c, SIM_ERR_TYPE, p, "simulation request field has the wrong type",
					"expected an object, found %s.", KindName(e->kind));
	return CheckKeys(c, e, p, allowed);
}

static const char *const shelf_names[] = {"APPROVED", "RESTRICTED", "BANNED", "SUSPENDED", NULL};
static const char *const class_names[] = {"EQUITY", "ETF", "BOND", "FUND", NULL};
/* Rule type names, indexed by RuleType (NULL-terminated for ReadEnum). */
const char *const SimRuleTypeNames[] = {"MAX_POSITION_WEIGHT", "MIN_CASH_WEIGHT", "MAX_CASH_WEIGHT",
"MAX_ASSET_CLASS_WEIGHT", "NO_NEGATIVE_CASH", NULL};
static const char *const severity_names[] = {"HARD", "SOFT", NULL};

/* Reads $.portfolio_snapshot. */
static bool
ReadPortfolio(ReadCtx *c, const JsonNode *root, SimRequest *req)
{
	static const char *const keys[] = {"portfolio_id", "snapshot_id", "base_currency", "as_of",
	"positions", "cash_balances", NULL};
	static const char *const pkeys[] = {"instrument_id", "quantity", NULL};
	static const char *const ckeys[] = {"currency", "amount", NULL};
	const char *path = "$.portfolio_snapshot";
	const JsonNode *ps,
			   *arr;
	char		p[200];

	if (!ReadObject(c, root, "$", "portfolio_snapshot", true, &ps) || !CheckKeys(c, ps, path, keys) ||
		!ReadId(c, ps, path, "portfolio_id", true, &req->portfolio_id) ||
		!ReadId(c, ps, path, "snapshot_id", false, &req->portfolio_snapshot_id) ||
		!ReadCurrency(c, ps, path, "base_currency", req->base_currency) ||
		!ReadTimestamp(c, ps, path, "as_of", true, &req->portfolio_as_of))
		return false;

	if (!ReadList(c, ps, path, "positions", true, sizeof(SimPosition), &arr, &req->npositions, (void **) &req->positions))
		return false;
	for (int i = 0; i < arr->count; i++)
	{
		SimPosition *pos = &req->positions[i];

		if (!ElementObject(c, arr, i, "$.portfolio_snapshot.positions", pkeys, p, sizeof(p)) ||
			!ReadId(c, arr->items[i], p, "instrument_id", true, &pos->instrument_id) ||
			!ReadDec(c, arr->items[i], p, "quantity", true, &pos->quantity, NULL) ||
			!CheckRange(c, p, "quantity", pos->quantity, &dec_zero, false, NULL,
						"quantity must not be negative", "a held quantity is zero or more"))
			return false;
	}
	if (!SortUnique(c, req->positions, sizeof(SimPosition), req->npositions, false,
					 "$.portfolio_snapshot.positions", "instrument_id"))
		return false;

	if (!ReadList(c, ps, path, "cash_balances", false, sizeof(SimCash), &arr, &req->ncash, (void **) &req->cash))
		return false;
	for (int i = 0; i < req->ncash; i++)
	{
		if (!ElementObject(c, arr, i, "$.portfolio_snapshot.cash_balances", ckeys, p, sizeof(p)) ||
			!ReadCurrency(c, arr->items[i], p, "currency", req->cash[i].currency) ||
			!ReadDec(c, arr->items[i], p, "amount", true, &req->cash[i].amount, NULL))
			return false;
	}
	if (!SortUnique(c, req->cash, sizeof(SimCash), req->ncash, true,
					 "$.portfolio_snapshot.cash_balances", "currency"))
		return false;
	return true;
}

/* Reads $.market_data_snapshot. */
static bool
ReadMarket(ReadCtx *c, const JsonNode *root, SimRequest *req)
{
	static const char *const keys[] = {"snapshot_id", "as_of", "prices", "fx_rates", NULL};
	static const char *const pkeys[] = {"instrument_id", "price", "currency", "as_of", NULL};
	static const char *const fkeys[] = {"currency", "rate", NULL};
	const char *path = "$.market_data_snapshot";
	const JsonNode *md,
			   *arr;
	char		p[200];

	if (!ReadObject(c, root, "$", "market_data_snapshot", true, &md) || !CheckKeys(c, md, path, keys) ||
		!ReadId(c, md, path, "snapshot_id", true, &req->market_data_snapshot_id) ||
		!ReadTimestamp(c, md, path, "as_of", true, &req->market_as_of))
		return false;

	if (!ReadList(c, md, path, "prices", true, sizeof(SimPrice), &arr, &req->nprices, (void **) &req->prices))
		return false;
	for (int i = 0; i < arr->count; i++)
	{
		SimPrice   *pr = &req->prices[i];

		pr->as_of = req->market_as_of;
		if (!ElementObject(c, arr, i, "$.market_data_snapshot.prices", pkeys, p, sizeof(p)) ||
			!ReadId(c, arr->items[i], p, "instrument_id", true, &pr->instrument_id) ||
			!ReadDec(c, arr->items[i], p, "price", true, &pr->price, NULL) ||
			!CheckRange(c, p, "price", pr->price, &dec_zero, true, NULL,
						"price must be positive", "a price is greater than zero") ||
			!ReadCurrency(c, arr->items[i], p, "currency", pr->currency) ||
			!ReadTimestamp(c, arr->items[i], p, "as_of", false, &pr->as_of))
			return false;
	}
	if (!SortUnique(c, req->prices, sizeof(SimPrice), req->nprices, false,
					 "$.market_data_snapshot.prices", "instrument_id"))
		return false;

	if (!ReadList(c, md, path, "fx_rates", false, sizeof(SimFxRate), &arr, &req->nfx, (void **) &req->fx_rates))
		return false;
	for (int i = 0; i < req->nfx; i++)
	{
		SimFxRate  *fx = &req->fx_rates[i];
		char		q[200];

		if (!ElementObject(c, arr, i, "$.market_data_snapshot.fx_rates", fkeys, p, sizeof(p)) ||
			!ReadCurrency(c, arr->items[i], p, "currency", fx->currency) ||
			!ReadDec(c, arr->items[i], p, "rate", true, &fx->rate, NULL) ||
			!CheckRange(c, p, "rate", fx->rate, &dec_zero, true, NULL,
						"fx rate must be positive", "a rate is greater than zero"))
			return false;
		if (strcmp(fx->currency, req->base_currency) == 0 && fx->rate != DEC_ONE)
			return Fail(c, SIM_ERR_VALUE, Child(q, sizeof(q), p, "rate"),
						"fx rate of the base currency must be 1",
						"rates are base units per unit of currency, so %s itself is 1.", req->base_currency);
	}
	if (!SortUnique(c, req->fx_rates, sizeof(SimFxRate), req->nfx, true,
					 "$.market_data_snapshot.fx_rates", "currency"))
		return false;
	return true;
}

/* Reads $.model_portfolio; weights are in [0, 1] and sum to at most 1. */
static bool
ReadModel(ReadCtx *c, const JsonNode *root, SimRequest *req)
{
	static const char *const keys[] = {"model_portfolio_id", "targets", NULL};
	static const char *const tkeys[] = {"instrument_id", "weight", NULL};
	const char *path = "$.model_portfolio";
	const JsonNode *mp,
			   *arr;
	char		p[200];
	Dec			sum = 0;

	if (!ReadObject(c, root, "$", "model_portfolio", true, &mp) || !CheckKeys(c, mp, path, keys) ||
		!ReadId(c, mp, path, "model_portfolio_id", true, &req->model_portfolio_id) ||
		!ReadList(c, mp, path, "targets", true, sizeof(SimTarget), &arr, &req->ntargets, (void **) &req->targets))
		return false;
	for (int i = 0; i < arr->count; i++)
	{
		SimTarget  *t = &req->targets[i];

		if (!ElementObject(c, arr, i, "$.model_portfolio.targets", tkeys, p, sizeof(p)) ||
			!ReadId(c, arr->items[i], p, "instrument_id", true, &t->instrument_id) ||
			!ReadDec(c, arr->items[i], p, "weight", true, &t->weight, NULL) ||
			!CheckRange(c, p, "weight", t->weight, &dec_zero, false, &dec_one,
						"model weight must be between 0 and 1", "a weight is a fraction of total value"))
			return false;
		sum += t->weight;		/* at most 1 each: cannot overflow for sane counts */
	}
	if (sum > DEC_ONE)
	{
		char		num[48];

		DecFormatTrim(sum, num);
		return Fail(c, SIM_ERR_VALUE, "$.model_portfolio.targets", "model weights sum to more than 1",
					"the weights add up to %s; the rest of 1 is the cash target, so the sum cannot exceed 1.", num);
	}
	if (!SortUnique(c, req->targets, sizeof(SimTarget), req->ntargets, false,
					 "$.model_portfolio.targets", "instrument_id"))
		return false;
	return true;
}

/* Reads $.shelf_entries. */
static bool
ReadShelf(ReadCtx *c, const JsonNode *root, SimRequest *req)
{
	static const char *const keys[] = {"instrument_id", "status", "asset_class", "min_notional", NULL};
	const JsonNode *arr;
	char		p[200];

	if (!ReadList(c, root, "$", "shelf_entries", true, sizeof(SimShelfEntry), &arr, &req->nshelf, (void **) &req->shelf))
		return false;
	for (int i = 0; i < arr->count; i++)
	{
		SimShelfEntry *s = &req->shelf[i];
		int			status,
					cls;

		if (!ElementObject(c, arr, i, "$.shelf_entries", keys, p, sizeof(p)) ||
			!ReadId(c, arr->items[i], p, "instrument_id", true, &s->instrument_id) ||
			!ReadEnum(c, arr->items[i], p, "status", shelf_names,
					  "APPROVED, RESTRICTED, BANNED, SUSPENDED", &status) ||
			!ReadEnum(c, arr->items[i], p, "asset_class", class_names,
					  "EQUITY, ETF, BOND, FUND", &cls) ||
			!ReadDec(c, arr->items[i], p, "min_notional", false, &s->min_notional, NULL) ||
			!CheckRange(c, p, "min_notional", s->min_notional, &dec_zero, false, NULL,
						"min_notional must not be negative", "a minimum trade size is zero or more"))
			return false;
		s->status = (ShelfStatus) status;
		s->asset_class = (AssetClass) cls;
	}
	if (!SortUnique(c, req->shelf, sizeof(SimShelfEntry), req->nshelf, false,
					 "$.shelf_entries", "instrument_id"))
		return false;
	return true;
}

/* Reads $.policy (the single position cap and the rules are optional). */
static bool
ReadPolicy(ReadCtx *c, const JsonNode *root, SimRequest *req)
{
	static const char *const keys[] = {"policy_version", "single_position_max_weight", "rules", NULL};
	static const char *const rkeys[] = {"rule_id", "type", "limit", "severity", "asset_class", NULL};
	const char *path = "$.policy";
	const JsonNode *pol,
			   *arr;
	char		p[200];

	if (!ReadObject(c, root, "$", "policy", true, &pol) || !CheckKeys(c, pol, path, keys) ||
		!ReadId(c, pol, path, "policy_version", true, &req->policy_version) ||
		!ReadDec(c, pol, path, "single_position_max_weight", false,
				 &req->single_position_max_weight, &req->has_cap) ||
		(req->has_cap &&
		 !CheckRange(c, path, "single_position_max_weight", req->single_position_max_weight,
					 &dec_zero, true, &dec_one, "single_position_max_weight must be above 0 and at most 1",
					 "the cap is a fraction of total value")) ||
		!ReadList(c, pol, path, "rules", false, sizeof(SimRule), &arr, &req->nrules, (void **) &req->rules))
		return false;
	for (int i = 0; i < req->nrules; i++)
	{
		SimRule    *r = &req->rules[i];
		const JsonNode *e = arr->items[i];
		int			type,
					sev,
					cls;

		if (!ElementObject(c, arr, i, "$.policy.rules", rkeys, p, sizeof(p)) ||
			!ReadId(c, e, p, "rule_id", true, &r->rule_id) ||
			!ReadEnum(c, e, p, "type", SimRuleTypeNames,
					  "MAX_POSITION_WEIGHT, MIN_CASH_WEIGHT, MAX_CASH_WEIGHT, MAX_ASSET_CLASS_WEIGHT, NO_NEGATIVE_CASH",
					  &type) ||
			!ReadEnum(c, e, p, "severity", severity_names, "HARD, SOFT", &sev))
			return false;
		r->type = (RuleType) type;
		r->hard = sev == 0;
		if (r->type == RULE_NO_NEGATIVE_CASH)
		{
			char		q[200];

			if (JsonGet(e, "limit") != NULL)
				return Fail(c, SIM_ERR_VALUE, Child(q, sizeof(q), p, "limit"),
							"NO_NEGATIVE_CASH takes no limit",
							"the rule always compares each cash balance with zero.");
		}
		else if (!ReadDec(c, e, p, "limit", true, &r->limit, &r->has_limit) ||
				 !CheckRange(c, p, "limit", r->limit, &dec_zero, false, &dec_one,
							 "rule limit must be between 0 and 1", "weight limits are fractions of total value"))
			return false;
		if (r->type == RULE_MAX_ASSET_CLASS_WEIGHT)
		{
			if (!ReadEnum(c, e, p, "asset_class", class_names, "EQUITY, ETF, BOND, FUND", &cls))
				return false;
			r->asset_class = (AssetClass) cls;
		}
		else if (JsonGet(e, "asset_class") != NULL)
		{
			char		q[200];

			return Fail(c, SIM_ERR_VALUE, Child(q, sizeof(q), p, "asset_class"),
						"only MAX_ASSET_CLASS_WEIGHT takes an asset_class",
						"remove asset_class or change the rule type.");
		}
	}
	return SortUnique(c, req->rules, sizeof(SimRule), req->nrules, false, "$.policy.rules", "rule_id");
}

/* Reads $.options, all optional, defaults as in the issue. */
static bool
ReadOptions(ReadCtx *c, const JsonNode *root, SimRequest *req)
{
	static const char *const keys[] = {"suppress_dust_trades", "fx_buffer_pct", "allow_restricted",
	"max_skew_minutes", "max_staleness_minutes", "exclude_stale_instead_of_block", NULL};
	const char *path = "$.options";
	const JsonNode *opt;
	static const Dec max_minutes = (Dec) 525600 * 100 * DEC_ONE;	/* a century */

	req->suppress_dust_trades = true;
	req->fx_buffer_pct = DEC_ONE / 100;
	req->allow_restricted = false;
	req->max_skew_minutes = DecFromInt(15);
	req->max_staleness_minutes = DecFromInt(60);
	req->exclude_stale_instead_of_block = false;
	if (!ReadObject(c, root, "$", "options", false, &opt))
		return false;
	if (opt == NULL)
		return true;
	return CheckKeys(c, opt, path, keys) &&
		ReadBool(c, opt, path, "suppress_dust_trades", &req->suppress_dust_trades) &&
		ReadDec(c, opt, path, "fx_buffer_pct", false, &req->fx_buffer_pct, NULL) &&
		CheckRange(c, path, "fx_buffer_pct", req->fx_buffer_pct, &dec_zero, false, &dec_one,
				   "fx_buffer_pct must be between 0 and 1", "the buffer is a fraction of the deficit") &&
		ReadBool(c, opt, path, "allow_restricted", &req->allow_restricted) &&
		ReadDec(c, opt, path, "max_skew_minutes", false, &req->max_skew_minutes, NULL) &&
		CheckRange(c, path, "max_skew_minutes", req->max_skew_minutes, &dec_zero, false, &max_minutes,
				   "max_skew_minutes must be between 0 and 52560000", "a tolerance is zero or more minutes") &&
		ReadDec(c, opt, path, "max_staleness_minutes", false, &req->max_staleness_minutes, NULL) &&
		CheckRange(c, path, "max_staleness_minutes", req->max_staleness_minutes, &dec_zero, false, &max_minutes,
				   "max_staleness_minutes must be between 0 and 52560000", "a tolerance is zero or more minutes") &&
		ReadBool(c, opt, path, "exclude_stale_instead_of_block", &req->exclude_stale_instead_of_block);
}

/* Reads a request from its JSON tree; false with err filled when malformed. */
bool
SimReadRequest(const JsonNode *root, SimAlloc *mem, SimCurrencyCheck currency_known,
			   void *check_ctx, SimRequest *req, SimError *err)
{
	static const char *const keys[] = {"portfolio_snapshot", "market_data_snapshot", "model_portfolio",
	"shelf_entries", "policy", "options", NULL};
	ReadCtx		c = {mem, err, currency_known, check_ctx};

	memset(req, 0, sizeof(SimRequest));
	memset(err, 0, sizeof(SimError));
	if (root->kind != JSON_OBJECT)
		return Fail(&c, SIM_ERR_TYPE, "$", "simulation request must be a JSON object",
					"found %s.", KindName(root->kind));
	return CheckKeys(&c, root, "$", keys) &&
		ReadPortfolio(&c, root, req) &&
		ReadMarket(&c, root, req) &&
		ReadModel(&c, root, req) &&
		ReadShelf(&c, root, req) &&
		ReadPolicy(&c, root, req) &&
		ReadOptions(&c, root, req);
}
