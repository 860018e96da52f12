/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Seeded, replayable mutation of migration streams for fuzzing the
 * restore path. It knows the packet header and, per packet type, where
 * the fields are (descriptor KLVs, GGTT PTEs, dword fields of GUC and
 * MMIO), but it mutates whatever packets a saved stream has: a new packet
 * type or a second GT's packets get the same treatment. Nothing here
 * decides whether a mutant must be refused; the fuzzer only asks that the
 * kernel survives it.
 */
#ifndef XEMIG_XE_STREAM_MUTATE_H
#define XEMIG_XE_STREAM_MUTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xe_stream.h"

/* splitmix64: small, fast, and the same sequence everywhere. */
struct xe_rng {
	uint64_t s;
};

void xe_rng_seed(struct xe_rng *r, uint64_t seed);
uint64_t xe_rng_next(struct xe_rng *r);
/* Uniform in [0, n); 0 when n is 0. */
uint64_t xe_rng_below(struct xe_rng *r, uint64_t n);
/* The seed of iteration iter of a run seeded with seed (replay one alone). */
uint64_t xe_rng_iter_seed(uint64_t seed, uint64_t iter);

/* What a mutation does; one is drawn per step. */
enum xe_mut_kind {
	XE_MUT_HDR_VERSION,	/* version 0, 2, 255 */
	XE_MUT_HDR_TYPE,	/* type 0, another known type, unknown */
	XE_MUT_HDR_IDS,		/* tile_id / gt_id 1, 2, 255 */
	XE_MUT_HDR_FLAGS,	/* nonzero flags */
	XE_MUT_HDR_OFFSET,	/* boundary, huge, wrapping, unaligned offsets */
	XE_MUT_HDR_SIZE,	/* the header lies about its payload's size */
	XE_MUT_RESIZE,		/* payload (and header) shorter, longer, unaligned */
	XE_MUT_DROP,		/* a packet left out */
	XE_MUT_DUP,		/* a packet sent twice, anywhere */
	XE_MUT_SWAP,		/* two packets exchanged */
	XE_MUT_MOVE,		/* a packet moved elsewhere */
	XE_MUT_SPLICE,		/* a donor stream's packet inserted */
	XE_MUT_REPLACE,		/* a packet replaced by a donor's of the same type */
	XE_MUT_FIELD,		/* a type-aware payload field to a boundary value */
	XE_MUT_BITS,		/* random bit flips in a payload */
	XE_MUT_TRUNCATE,	/* the bytes cut at, or inside, a packet */
	XE_MUT_COUNT
};

const char *xe_mut_kind_name(enum xe_mut_kind k);

struct xe_stream_mutator {
	const struct xe_stream *base;		/* the stream to mutate */
	const struct xe_stream *donors[4];	/* other VFs', other devices' */
	unsigned int n_donors;
	uint64_t obj_size;	/* the target's VRAM object, for boundary offsets; 0: unknown */
	unsigned int max_steps;	/* mutations per mutant: 1..max_steps (0: 4) */
	/*
	 * Keep at most two VRAM packets, each cut to at most 64 KiB (offsets
	 * kept): a mutant then costs the kernel little to eat. Which ones is
	 * drawn from the seed too.
	 */
	bool compact;
};

struct xe_stream_mutant {
	uint8_t *buf;
	size_t len;
	unsigned int steps;
	uint32_t kinds;		/* bit per enum xe_mut_kind applied */
	char log[640];		/* the steps, for people */
};

/*
 * One mutant of m->base from seed: 1..max_steps mutations. Same seed and
 * inputs, same bytes. 0 or -ENOMEM/-EINVAL (an empty base).
 */
int xe_stream_mutate(const struct xe_stream_mutator *m, uint64_t seed,
		     struct xe_stream_mutant *out);

/*
 * The base stream's bytes cut inside packet pkt (pkt == count: the whole
 * stream): how 0 at its header's start, 1 inside its header, 2 inside its
 * payload (or, without a payload, just past its header).
 */
int xe_stream_mutate_cut(const struct xe_stream *s, size_t pkt, unsigned int how,
			 struct xe_stream_mutant *out);

void xe_stream_mutant_free(struct xe_stream_mutant *mt);

/*
 * The size of the next write() of a randomly segmented transfer with left
 * bytes to go: from 1 byte to all of it, log-uniform, so headers are split
 * often and big payloads still go fast. Always in 1..left (left > 0).
 */
size_t xe_rng_segment(struct xe_rng *r, size_t left);

#endif
