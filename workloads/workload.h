/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Workloads: named, seeded, deterministic GPU work for a VF's engine
 * (lib/vf_engine.h), each with its own verifier. The life of one:
 *
 *   workload_create(name, drv, eng, seed, scale)
 *   prepare   allocate its buffers (LMEM mapped in the GGTT), fill inputs
 *   emit      its commands into the ring (and batches the engine owns),
 *             ending with a fence (w->done_seqno); with a gate, it stops
 *             at a SPIN_UNTIL on the gate somewhere in the middle until
 *             the test opens the gate by a CPU write
 *   ...       kick, migrate, recover, open the gate, wait for the fence
 *   verify    compare what the engine wrote with a CPU reference; a
 *             mismatch is -EBADMSG with a message saying exactly what
 *   workload_destroy
 *
 * Everything a workload writes comes from its seed, so a failure is
 * reproduced by the seed alone. scale (1 = CI sizes) grows the work.
 */
#ifndef XEMIG_WORKLOAD_H
#define XEMIG_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vf_driver.h"
#include "vf_engine.h"

/* The dword a gate's SPIN_UNTIL waits for. */
#define WL_GATE_OPEN	0x6a7e0b3eu
/* Waits one gate records; emitting more fails the emit with -ENOSPC. */
#define WL_GATE_WAITS	8
/* Command dwords of one wait on a gate. */
#define WL_GATE_DWORDS	(2 * (1 + XE_SRIOV_SIM_LEN_COPY) + 1 + XE_SRIOV_SIM_LEN_SPIN_UNTIL)

/*
 * A gate: a dword in LMEM, closed (0) until the test opens it, and a
 * record of every wait on it. A wait is three commands:
 *
 *   COPY arrival[k] + 4 onto arrival[k]     one dword down (wl_ref_shift),
 *                                           not idempotent, never compressed
 *   SPIN_UNTIL open == WL_GATE_OPEN
 *   COPY open -> witness[k]                what the gate said when passed
 *
 * A pause usually lands in the SPIN_UNTIL, so wl_gate_verify() sees a
 * command lost there (witness: closed) or replayed there (the arrival ran
 * twice), whatever the workload around it does.
 */
struct wl_gate {
	struct vf_bo bo;
	unsigned int waits;
};

struct workload;

struct workload_ops {
	const char *name;
	const char *summary;
	int (*prepare)(struct workload *w);
	/* gate: NULL, or the gate to wait on at the workload's middle. */
	int (*emit)(struct workload *w, struct wl_gate *gate);
	/* 0, -EBADMSG (msg says what differs) or -errno. */
	int (*verify)(struct workload *w, char *msg, size_t size);
	void (*fini)(struct workload *w);
};

struct workload {
	const struct workload_ops *ops;
	struct vf_driver *drv;
	struct vf_engine *eng;
	uint64_t seed;
	unsigned int scale;
	uint32_t done_seqno;	/* the fence emit() ends with */
	struct wl_gate *gate;	/* the gate its commands wait on, or NULL */
	void *priv;
};

/* Every workload, "mix" last; NULL terminated. */
extern const struct workload_ops *const workload_list[];
const struct workload_ops *workload_find(const char *name);
bool workload_known(const char *name);
/*
 * The k-th workload simpler than name: a mix's parts, each alone (what
 * --minimize tries in its place); NULL past the last, or for any other.
 */
const char *workload_simpler(const char *name, unsigned int k);

int workload_create(const char *name, struct vf_driver *drv, struct vf_engine *eng,
		    uint64_t seed, unsigned int scale, struct workload **out);
void workload_destroy(struct workload *w);
int workload_prepare(struct workload *w);
int workload_emit(struct workload *w, struct wl_gate *gate);
int workload_verify(struct workload *w, char *msg, size_t size);

/* Gates. */
int wl_gate_create(struct vf_driver *drv, struct wl_gate *g);
void wl_gate_open(struct vf_driver *drv, const struct wl_gate *g);
uint64_t wl_gate_ggtt(const struct vf_driver *drv, const struct wl_gate *g);
/* Every wait passed once, with the gate open: 0, or -EBADMSG (msg). */
int wl_gate_verify(struct vf_driver *drv, const struct wl_gate *g, char *msg, size_t size);

/*
 * Where a workload's commands go: the ring, or a batch. Errors latch in
 * err, so emit code reads as a straight list of commands.
 */
struct wl_cs {
	struct vf_engine *eng;
	struct vf_batch *batch;	/* NULL: the ring */
	int err;
};

void wl_cs_dwords(struct wl_cs *cs, const uint32_t *dw, unsigned int n);
void wl_cs_store(struct wl_cs *cs, uint64_t addr, uint32_t value);
void wl_cs_spin(struct wl_cs *cs, uint64_t addr, uint32_t value, uint32_t max_iterations);
void wl_cs_gate(struct wl_cs *cs, struct wl_gate *g);
void wl_cs_copy(struct wl_cs *cs, uint32_t op, uint32_t flags, uint64_t src, uint64_t dst,
		uint32_t bytes);
void wl_cs_batch_start(struct wl_cs *cs, uint64_t addr);
void wl_cs_batch_end(struct wl_cs *cs);
/* Ring only: the fence; *seqno gets its value. */
void wl_cs_fence(struct wl_cs *cs, uint32_t *seqno);

/* Message helper for verifiers: always -EBADMSG. */
int wl_mismatch(char *msg, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The ccs workload's last verify: how many blocks were still compressed
 * (CCS kept) and how many decompressed (a dgfx migration). 0, or -EINVAL
 * for another workload.
 */
int wl_ccs_forms(const struct workload *w, unsigned int *kept, unsigned int *plain);
/*
 * The ccs workload's compressed surface: where it is in the VF's LMEM, how
 * big, and the original bytes (what resolving it gives). 0 or -EINVAL.
 */
int wl_ccs_surface(const struct workload *w, uint64_t *lmem_off, uint32_t *bytes,
		   const uint8_t **orig);

/* The workloads (one file each). */
extern const struct workload_ops wl_seqno_ops;
extern const struct workload_ops wl_fill_ops;
extern const struct workload_ops wl_ccs_ops;
extern const struct workload_ops wl_batch_chain_ops;
extern const struct workload_ops wl_spinner_ops;
extern const struct workload_ops wl_mix_ops;

#endif
