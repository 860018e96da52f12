// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * CPU references of the engine's commands and the workloads' generator.
 */
#include <stdio.h>
#include <string.h>

#include "wl_ref.h"

uint64_t wl_rand64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t wl_rand32(uint64_t *state)
{
	return (uint32_t)(wl_rand64(state) >> 32);
}

void wl_rand_bytes(uint64_t *state, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(wl_rand64(state) >> 56);
}

uint64_t wl_seed_for(uint64_t seed, const char *name)
{
	/* FNV-1a of the name, folded into the seed. */
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 0x100000001b3ull;
	seed ^= h;
	return wl_rand64(&seed);
}

uint8_t wl_ref_ccs_of(const uint8_t *block)
{
	uint32_t sum = 0;

	for (int i = 0; i < WL_BLOCK; i++)
		sum += block[i];
	return XE_SRIOV_SIM_CCS_OF(sum);
}

void wl_ref_compress(const uint8_t *src, uint8_t *dst, uint8_t *ccs, size_t bytes)
{
	for (size_t b = 0; b < bytes / WL_BLOCK; b++) {
		uint8_t c = wl_ref_ccs_of(src + b * WL_BLOCK);

		for (int i = 0; i < WL_BLOCK; i++)
			dst[b * WL_BLOCK + i] = src[b * WL_BLOCK + i] ^ c;
		ccs[b] = c;
	}
}

void wl_ref_resolve(const uint8_t *src, const uint8_t *ccs, uint8_t *dst, size_t bytes)
{
	for (size_t b = 0; b < bytes / WL_BLOCK; b++)
		for (int i = 0; i < WL_BLOCK; i++)
			dst[b * WL_BLOCK + i] = src[b * WL_BLOCK + i] ^ ccs[b];
}

void wl_ref_shift(uint8_t block[WL_BLOCK])
{
	memmove(block, block + 4, WL_SHIFT_BYTES);
}

void wl_ref_seqno_job(uint8_t block[WL_BLOCK], unsigned int i, uint32_t value)
{
	unsigned int slot = i % WL_SEQNO_SLOTS;

	/* Little endian, as the engine stores a dword. */
	for (int k = 0; k < 4; k++)
		block[4 * slot + k] = (uint8_t)(value >> (8 * k));
	wl_ref_shift(block);
}

void wl_ref_seqno_run(uint8_t block[WL_BLOCK], const uint32_t *values, unsigned int n,
		      int twice, int skipped)
{
	for (unsigned int i = 0; i < n; i++) {
		if ((int)i == skipped)
			continue;
		wl_ref_seqno_job(block, i, values[i]);
		if ((int)i == twice)
			wl_ref_seqno_job(block, i, values[i]);
	}
}

static int try_variant(const uint8_t init[WL_BLOCK], const uint32_t *values, unsigned int n,
		       const uint8_t got[WL_BLOCK], int twice, int skipped)
{
	uint8_t b[WL_BLOCK];

	memcpy(b, init, WL_BLOCK);
	wl_ref_seqno_run(b, values, n, twice, skipped);
	return !memcmp(b, got, WL_BLOCK);
}

int wl_ref_seqno_diagnose(const uint8_t init[WL_BLOCK], const uint32_t *values,
			  unsigned int n, const uint8_t got[WL_BLOCK], char *msg, size_t size)
{
	for (unsigned int j = 0; j < n; j++) {
		if (try_variant(init, values, n, got, (int)j, -1)) {
			snprintf(msg, size, "job %u ran twice (a replayed command)", j);
			return (int)j;
		}
		if (try_variant(init, values, n, got, -1, (int)j)) {
			snprintf(msg, size, "job %u's store+shift never ran (lost work)", j);
			return (int)j;
		}
	}
	snprintf(msg, size, "no single replayed or skipped job explains it (corrupted LMEM?)");
	return -1;
}

uint32_t wl_ref_fill_value(uint64_t seed, uint32_t i)
{
	uint64_t s = seed ^ ((uint64_t)i * 0x2545f4914f6cdd1dull);

	return wl_rand32(&s);
}
