/*
 * simjson.h
 *		A small JSON reader (text to tree) and writer (growing buffer) for the
 *		rebalance simulator; pure C, no PostgreSQL types.
 *
 * The reader keeps number literals as text so that amounts are parsed
 * exactly (decimal.h), never through double.  All memory comes from a
 * caller-supplied allocator (palloc in the backend, malloc in unit tests);
 * nothing is freed individually: the caller drops the whole arena.
 */
#ifndef PMS_SIMJSON_H
#define PMS_SIMJSON_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Allocation callback; must not return NULL (the backend's palloc raises
 * instead) and must return 16-byte-aligned memory (Dec is __int128).
 */
typedef struct SimAlloc
{
	void	   *(*alloc) (void *ctx, size_t size);
	void	   *ctx;
} SimAlloc;

typedef enum JsonKind
{
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
} JsonKind;

typedef struct JsonNode JsonNode;

/* One JSON value; for objects keys[i] names items[i]. */
struct JsonNode
{
	JsonKind	kind;
	bool		boolean;		/* JSON_BOOL */
	const char *text;			/* JSON_NUMBER literal or decoded JSON_STRING */
	size_t		len;			/* length of text */
	int			count;			/* JSON_ARRAY / JSON_OBJECT members */
	JsonNode  **items;
	const char **keys;
};

/* Maximum nesting accepted by JsonParse. */
#define JSON_MAX_DEPTH 64

/*
 * Parses text[0..len) into a tree; on failure returns NULL and points *error
 * at a static message.
 */
extern JsonNode *JsonParse(const char *text, size_t len, SimAlloc *mem, const char **error);

/* Member key of an object, or NULL. */
extern JsonNode *JsonGet(const JsonNode *obj, const char *key);

/* Growing output buffer. */
typedef struct JsonBuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
	SimAlloc   *mem;
} JsonBuf;

extern void JsonBufInit(JsonBuf *buf, SimAlloc *mem, size_t initial);
extern void JsonBufAppend(JsonBuf *buf, const char *s, size_t len);
extern void JsonBufPuts(JsonBuf *buf, const char *s);
extern void JsonBufChar(JsonBuf *buf, char c);

/* Appends s as a quoted, escaped JSON string. */
extern void JsonBufString(JsonBuf *buf, const char *s);

/* Appends a printf-formatted fragment (at most 255 bytes). */
extern void JsonBufPrintf(JsonBuf *buf, const char *fmt,...) __attribute__((format(printf, 2, 3)));

#endif							/* PMS_SIMJSON_H */
