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

void wl_ref_seqno_rec_init(uint64_t seed, unsigned int i, uint32_t rec[3])
{
	uint64_t rng = wl_seed_for(seed ^ ((uint64_t)i * 0x9e3779b97f4a7c15ull), "seqno rec");

	rec[0] = wl_rand32(&rng);
	rec[1] = wl_rand32(&rng);
	rec[2] = wl_rand32(&rng);
	/* Distinct, so one run, two and none differ. */
	if (rec[1] == rec[2])
		rec[1] ^= 1;
	if (rec[0] == rec[1] || rec[0] == rec[2])
		rec[0] = ~(rec[1] ^ rec[2]);
}

void wl_ref_seqno_rec_run(uint32_t rec[3])
{
	memmove(rec, rec + 1, 8);
}

int wl_ref_seqno_rec_runs(uint64_t seed, unsigned int i, const uint32_t rec[3])
{
	uint32_t r[3];

	wl_ref_seqno_rec_init(seed, i, r);
	for (int runs = 0; runs < 3; runs++) {
		if (!memcmp(r, rec, sizeof(r)))
			return runs;
		wl_ref_seqno_rec_run(r);
	}
	return -1;
}

uint32_t wl_ref_fill_value(uint64_t seed, uint32_t i)
{
	uint64_t s = seed ^ ((uint64_t)i * 0x2545f4914f6cdd1dull);

	return wl_rand32(&s);
}
