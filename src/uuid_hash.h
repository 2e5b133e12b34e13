/*
 * uuid_hash.h
 *		A fast hash of a uuid for the in-memory maps of the drift pass.
 */
#ifndef PMS_UUID_HASH_H
#define PMS_UUID_HASH_H

#include "postgres.h"

#include "utils/uuid.h"

/* Mixes 64 bits (the MurmurHash3 finalizer). */
static inline uint64
PmsMix64(uint64 h)
{
	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

/* Hash of a uuid: both halves mixed (any part of a uuid may be constant). */
static inline uint32
UuidHash(const pg_uuid_t *u)
{
	uint64		a;
	uint64		b;

	memcpy(&a, u->data, 8);
	memcpy(&b, u->data + 8, 8);
	return (uint32) PmsMix64(a * UINT64CONST(0x9e3779b97f4a7c15) ^ b);
}

#endif							/* PMS_UUID_HASH_H */
