/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * What the workloads' verifiers compare against: the engine's semantics
 * redone on the CPU (uapi/xe_sriov_sim_engine.h), and the seeded
 * generator every workload derives its inputs from. Pure functions, unit
 * tested in tests/unit/test_wl_ref.c.
 */
#ifndef XEMIG_WL_REF_H
#define XEMIG_WL_REF_H

#include <stddef.h>
#include <stdint.h>

#include "uapi/xe_sriov_sim_engine.h"

#define WL_BLOCK	XE_SRIOV_SIM_CCS_BLOCK

/* splitmix64: small, seedable, the same everywhere. */
uint64_t wl_rand64(uint64_t *state);
uint32_t wl_rand32(uint64_t *state);
void wl_rand_bytes(uint64_t *state, uint8_t *buf, size_t len);
/* A seed for a named part of a workload, independent of the others. */
uint64_t wl_seed_for(uint64_t seed, const char *name);

/* The CCS byte COPY|COMPRESS gives a 256-byte block: 1..255. */
uint8_t wl_ref_ccs_of(const uint8_t *block);
/*
 * COPY|COMPRESS of bytes (a multiple of 256): per block dst = src ^ ccs,
 * ccs[block] = ccs. dst may be src (the engine goes through a bounce
 * buffer, so in place is well defined).
 */
void wl_ref_compress(const uint8_t *src, uint8_t *dst, uint8_t *ccs, size_t bytes);
/* RESOLVE: dst = src ^ ccs[block]. */
void wl_ref_resolve(const uint8_t *src, const uint8_t *ccs, uint8_t *dst, size_t bytes);

/*
 * COPY of block + 4 onto block, 252 bytes (an overlap inside one page:
 * memmove): the block moves down one dword, its last dword stays. Not
 * idempotent, and never compressed, so a dgfx migration (which decompresses
 * what it saves) leaves it as it is.
 */
#define WL_SHIFT_BYTES	(WL_BLOCK - 4)
void wl_ref_shift(uint8_t block[WL_BLOCK]);

/*
 * The seqno workload's non-idempotent job i on its 256-byte block:
 * STORE_DWORD block[slot] = value, then the shift above.
 * Running a job twice, skipping one or swapping two changes the block.
 */
#define WL_SEQNO_SLOTS	(WL_BLOCK / 4)
void wl_ref_seqno_job(uint8_t block[WL_BLOCK], unsigned int i, uint32_t value);
/* Jobs 0..n-1 on block (values[i] each), job `twice` run twice (-1: none). */
void wl_ref_seqno_run(uint8_t block[WL_BLOCK], const uint32_t *values, unsigned int n,
		      int twice, int skipped);

/*
 * Explain a block that is not what jobs 0..n-1 give: which single job ran
 * twice or not at all would produce got. Writes a sentence into msg;
 * returns the job index found, or -1.
 */
int wl_ref_seqno_diagnose(const uint8_t init[WL_BLOCK], const uint32_t *values,
			  unsigned int n, const uint8_t got[WL_BLOCK], char *msg, size_t size);

/* The fill workload's value of dword i. */
uint32_t wl_ref_fill_value(uint64_t seed, uint32_t i);

#endif
