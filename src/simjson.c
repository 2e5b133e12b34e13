/*
 * simjson.c
 *		Recursive-descent JSON reader and an append-only JSON text buffer.
 *
 * The reader accepts RFC 8259 JSON (what jsonb's text output produces and
 * more), decodes string escapes including surrogate pairs to UTF-8, bounds
 * nesting at JSON_MAX_DEPTH and never reads past len: it is the first thing
 * the request fuzzer hits.  Duplicate object keys are kept (the request
 * mapper sees the first); jsonb input never has them.
 */
#include "simjson.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct Reader
{
	const char *s;
	size_t		len;
	size_t		pos;
	SimAlloc   *mem;
	const char *error;
} Reader;

/* Allocates from the caller's allocator. */
static void *
Alloc(SimAlloc *mem, size_t size)
{
	return mem->alloc(mem->ctx, size);
}

/* Skips JSON whitespace. */
static void
SkipSpace(Reader *r)
{
	while (r->pos < r->len &&
		   (r->s[r->pos] == ' ' || r->s[r->pos] == '\t' ||
			r->s[r->pos] == '\n' || r->s[r->pos] == '\r'))
		r->pos++;
}

/* Records the first error and returns NULL. */
static JsonNode *
Fail(Reader *r, const char *msg)
{
	if (r->error == NULL)
		r->error = msg;
	return NULL;
}

/* Value of one hex digit, or -1. */
static int
HexValue(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads four hex digits at r->pos; -1 when malformed. */
static long
ReadHex4(Reader *r)
{
	long		v = 0;

	if (r->len - r->pos < 4)
		return -1;
	for (int i = 0; i < 4; i++)
	{
		int			h = HexValue(r->s[r->pos + i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	r->pos += 4;
	return v;
}

/* Reads a string literal (r->pos at the opening quote) into a fresh NUL-terminated buffer. */
static char *
ReadString(Reader *r, size_t *outlen)
{
	size_t		start = ++r->pos;
	size_t		cap,
				n = 0;
	char	   *out;

	/* Decoded text is never longer than the literal: size the buffer by a first scan. */
	while (r->pos < r->len && r->s[r->pos] != '"')
		r->pos += (r->s[r->pos] == '\\' && r->pos + 1 < r->len) ? 2 : 1;
	if (r->pos >= r->len)
	{
		Fail(r, "unterminated string");
		return NULL;
	}
	cap = r->pos - start + 1;
	out = Alloc(r->mem, cap);
	r->pos = start;
	while (r->s[r->pos] != '"')
	{
		unsigned char c = (unsigned char) r->s[r->pos++];

		if (c < 0x20)
		{
			Fail(r, "control character in string");
			return NULL;
		}
		if (c != '\\')
		{
			out[n++] = (char) c;
			continue;
		}
		c = (unsigned char) r->s[r->pos++];
		switch (c)
		{
			case '"':
			case '\\':
			case '/':
				out[n++] = (char) c;
				break;
			case 'b':
				out[n++] = '\b';
				break;
			case 'f':
				out[n++] = '\f';
				break;
			case 'n':
				out[n++] = '\n';
				break;
			case 'r':
				out[n++] = '\r';
				break;
			case 't':
				out[n++] = '\t';
				break;
			case 'u':
				{
					long		cp = ReadHex4(r);

					if (cp < 0)
					{
						Fail(r, "bad \\u escape");
						return NULL;
					}
					if (cp >= 0xD800 && cp <= 0xDBFF)
					{
						long		lo;

						if (r->len - r->pos < 6 || r->s[r->pos] != '\\' || r->s[r->pos + 1] != 'u')
						{
							Fail(r, "unpaired surrogate");
							return NULL;
						}
						r->pos += 2;
						lo = ReadHex4(r);
						if (lo < 0xDC00 || lo > 0xDFFF)
						{
							Fail(r, "unpaired surrogate");
							return NULL;
						}
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					}
					else if (cp >= 0xDC00 && cp <= 0xDFFF)
					{
						Fail(r, "unpaired surrogate");
						return NULL;
					}
					if (cp == 0)
					{
						Fail(r, "\\u0000 in string");
						return NULL;
					}
					/* At most 4 bytes from at least 6 literal characters: fits in cap. */
					if (cp < 0x80)
						out[n++] = (char) cp;
					else if (cp < 0x800)
					{
						out[n++] = (char) (0xC0 | (cp >> 6));
						out[n++] = (char) (0x80 | (cp & 0x3F));
					}
					else if (cp < 0x10000)
					{
						out[n++] = (char) (0xE0 | (cp >> 12));
						out[n++] = (char) (0x80 | ((cp >> 6) & 0x3F));
						out[n++] = (char) (0x80 | (cp & 0x3F));
					}
					else
					{
						out[n++] = (char) (0xF0 | (cp >> 18));
						out[n++] = (char) (0x80 | ((cp >> 12) & 0x3F));
						out[n++] = (char) (0x80 | ((cp >> 6) & 0x3F));
						out[n++] = (char) (0x80 | (cp & 0x3F));
					}
					break;
				}
			default:
				Fail(r, "bad escape in string");
				return NULL;
		}
	}
	r->pos++;
	out[n] = '\0';
	*outlen = n;
	return out;
}

static JsonNode *ReadValue(Reader *r, int depth);

/* Appends child to a growing array of node pointers (and key, for objects). */
static void
Push(Reader *r, JsonNode *node, int *cap, JsonNode *child, const char *key)
{
	if (node->count == *cap)
	{
		int			ncap = *cap ? *cap * 2 : 8;
		JsonNode  **items = Alloc(r->mem, sizeof(JsonNode *) * ncap);

		if (node->count)
			memcpy(items, node->items, sizeof(JsonNode *) * node->count);
		node->items = items;
		if (node->kind == JSON_OBJECT)
		{
			const char **keys = Alloc(r->mem, sizeof(char *) * ncap);

			if (node->count)
				memcpy(keys, node->keys, sizeof(char *) * node->count);
			node->keys = keys;
		}
		*cap = ncap;
	}
	node->items[node->count] = child;
	if (key)
		node->keys[node->count] = key;
	node->count++;
}

/* Reads an array or object (r->pos at '[' or '{'). */
static JsonNode *
ReadContainer(Reader *r, JsonNode *node, int depth)
{
	char		close = node->kind == JSON_ARRAY ? ']' : '}';
	int			cap = 0;

	r->pos++;
	SkipSpace(r);
	if (r->pos < r->len && r->s[r->pos] == close)
	{
		r->pos++;
		return node;
	}
	for (;;)
	{
		const char *key = NULL;
		JsonNode   *child;

		SkipSpace(r);
		if (node->kind == JSON_OBJECT)
		{
			size_t		klen;

			if (r->pos >= r->len || r->s[r->pos] != '"')
				return Fail(r, "expected an object key");
			if ((key = ReadString(r, &klen)) == NULL)
				return NULL;
			SkipSpace(r);
			if (r->pos >= r->len || r->s[r->pos] != ':')
				return Fail(r, "expected ':'");
			r->pos++;
		}
		if ((child = ReadValue(r, depth + 1)) == NULL)
			return NULL;
		Push(r, node, &cap, child, key);
		SkipSpace(r);
		if (r->pos < r->len && r->s[r->pos] == ',')
		{
			r->pos++;
			continue;
		}
		if (r->pos < r->len && r->s[r->pos] == close)
		{
			r->pos++;
			return node;
		}
		return Fail(r, "expected ',' or a closing bracket");
	}
}

/* True when the literal word w is at r->pos (and consumes it). */
static bool
Match(Reader *r, const char *w)
{
	size_t		n = strlen(w);

	if (r->len - r->pos < n || memcmp(r->s + r->pos, w, n) != 0)
		return false;
	r->pos += n;
	return true;
}

/* Reads any JSON value. */
static JsonNode *
ReadValue(Reader *r, int depth)
{
	JsonNode   *node;
	char		c;

	if (depth > JSON_MAX_DEPTH)
		return Fail(r, "nesting too deep");
	SkipSpace(r);
	if (r->pos >= r->len)
		return Fail(r, "unexpected end of input");
	node = Alloc(r->mem, sizeof(JsonNode));
	memset(node, 0, sizeof(JsonNode));
	c = r->s[r->pos];
	if (c == '{' || c == '[')
	{
		node->kind = c == '{' ? JSON_OBJECT : JSON_ARRAY;
		return ReadContainer(r, node, depth);
	}
	if (c == '"')
	{
		node->kind = JSON_STRING;
		node->text = ReadString(r, &node->len);
		return node->text ? node : NULL;
	}
	if (c == '-' || (c >= '0' && c <= '9'))
	{
		size_t		start = r->pos;
		char	   *lit;

		while (r->pos < r->len &&
			   (strchr("+-.eE", r->s[r->pos]) != NULL ||
				(r->s[r->pos] >= '0' && r->s[r->pos] <= '9')))
			r->pos++;
		node->kind = JSON_NUMBER;
		node->len = r->pos - start;
		lit = Alloc(r->mem, node->len + 1);
		memcpy(lit, r->s + start, node->len);
		lit[node->len] = '\0';
		node->text = lit;
		return node;			/* the grammar is checked by DecParse */
	}
	if (Match(r, "true") || Match(r, "false"))
	{
		node->kind = JSON_BOOL;
		node->boolean = r->s[r->pos - 1] == 'e' && r->s[r->pos - 2] == 'u';
		return node;
	}
	if (Match(r, "null"))
	{
		node->kind = JSON_NULL;
		return node;
	}
	return Fail(r, "unexpected character");
}

/* Parses text[0..len) into a tree, or returns NULL with *error set. */
JsonNode *
JsonParse(const char *text, size_t len, SimAlloc *mem, const char **error)
{
	Reader		r = {text, len, 0, mem, NULL};
	JsonNode   *root = ReadValue(&r, 0);

	if (root != NULL)
	{
		SkipSpace(&r);
		if (r.pos != r.len)
			root = Fail(&r, "trailing characters after the value");
	}
	*error = r.error;
	return root;
}

/* Member key of an object (the first one when repeated), or NULL. */
JsonNode *
JsonGet(const JsonNode *obj, const char *key)
{
	if (obj == NULL || obj->kind != JSON_OBJECT)
		return NULL;
	for (int i = 0; i < obj->count; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

/* Starts an empty buffer. */
void
JsonBufInit(JsonBuf *buf, SimAlloc *mem, size_t initial)
{
	buf->mem = mem;
	buf->cap = initial < 64 ? 64 : initial;
	buf->data = Alloc(mem, buf->cap);
	buf->len = 0;
	buf->data[0] = '\0';
}

/* Appends len bytes, growing by doubling (the old block stays in the arena). */
void
JsonBufAppend(JsonBuf *buf, const char *s, size_t len)
{
	if (buf->len + len + 1 > buf->cap)
	{
		size_t		ncap = buf->cap;
		char	   *data;

		while (buf->len + len + 1 > ncap)
			ncap *= 2;
		data = Alloc(buf->mem, ncap);
		memcpy(data, buf->data, buf->len);
		buf->data = data;
		buf->cap = ncap;
	}
	memcpy(buf->data + buf->len, s, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

/* Appends a NUL-terminated string verbatim. */
void
JsonBufPuts(JsonBuf *buf, const char *s)
{
	JsonBufAppend(buf, s, strlen(s));
}

/* Appends one character. */
void
JsonBufChar(JsonBuf *buf, char c)
{
	JsonBufAppend(buf, &c, 1);
}

/* Appends s as a quoted, escaped JSON string. */
void
JsonBufString(JsonBuf *buf, const char *s)
{
	JsonBufChar(buf, '"');
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c == '"' || c == '\\')
		{
			JsonBufChar(buf, '\\');
			JsonBufChar(buf, (char) c);
		}
		else if (c < 0x20)
		{
			char		esc[8];

			snprintf(esc, sizeof(esc), "\\u%04x", c);
			JsonBufPuts(buf, esc);
		}
		else
			JsonBufChar(buf, (char) c);
	}
	JsonBufChar(buf, '"');
}

/* Appends a printf-formatted fragment (at most 255 bytes). */
void
JsonBufPrintf(JsonBuf *buf, const char *fmt,...)
{
	char		tmp[256];
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n >= (int) sizeof(tmp))
		n = sizeof(tmp) - 1;
	JsonBufAppend(buf, tmp, (size_t) n);
}
