/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Where a workload is when its VF migrates:
 *
 *   queued    a closed gate at the ring's head: everything is queued
 *             behind it, nothing ran
 *   running   kicked, migrated at once: wherever the engine got to
 *   spinning  kicked with the gate in the workload's middle (in a batch
 *             for some, 3 levels deep for batch-chain): the engine is
 *             paused inside a SPIN_UNTIL, half of the work done
 *
 * After the migration and recovery the test releases the gate
 * (wl_phase_release) and waits for w->done_seqno.
 */
#ifndef XEMIG_WL_PHASE_H
#define XEMIG_WL_PHASE_H

#include "workload.h"

enum wl_phase {
	WL_PHASE_QUEUED,
	WL_PHASE_RUNNING,
	WL_PHASE_SPINNING,
	WL_PHASE_COUNT,
};

const char *wl_phase_name(enum wl_phase p);

/* How long a phase waits for the engine to reach its gate. */
#define WL_PHASE_SPIN_TIMEOUT_MS 10000

/*
 * Emit w (prepared) as phase p asks, with gate (created, closed), and
 * kick; for queued and spinning, return once the engine spins. 0 or
 * -errno (w->eng->error says why).
 */
int wl_phase_start(struct workload *w, struct wl_gate *gate, enum wl_phase p);

/*
 * After the migration: let the engine come to rest (a SPIN_UNTIL that
 * waits, or no work left) before the gate opens, so that whatever it did
 * while the gate was closed, such as passing a wait it lost, is in the
 * gate's record; then open it. 0, or -EIO if the engine faulted.
 */
int wl_phase_release(struct workload *w, struct wl_gate *gate);

#endif
