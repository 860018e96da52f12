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
 * The seqno workload's record of job i: three seeded, distinct dwords
 * [a, b, c]. Each run of the job copies rec + 4 onto rec, 8 bytes (an
 * overlap inside one page: memmove): [b, c, c], then [c, c, c]. Not
 * idempotent, never compressed, and independent of every other job, so
 * the record tells how often job i ran however many jobs there are.
 */
#define WL_SEQNO_REC_BYTES	16
void wl_ref_seqno_rec_init(uint64_t seed, unsigned int i, uint32_t rec[3]);
void wl_ref_seqno_rec_run(uint32_t rec[3]);
/* How often job i ran by its record: 0, 1, 2 (twice or more), -1: neither. */
int wl_ref_seqno_rec_runs(uint64_t seed, unsigned int i, const uint32_t rec[3]);

/* The fill workload's value of dword i. */
uint32_t wl_ref_fill_value(uint64_t seed, uint32_t i);

#endif
