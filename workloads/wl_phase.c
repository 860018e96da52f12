// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Putting a workload where a migration should catch it (wl_phase.h).
 */
#include <errno.h>

#include "wl_phase.h"

const char *wl_phase_name(enum wl_phase p)
{
	static const char *const names[WL_PHASE_COUNT] = { "queued", "running", "spinning" };

	return p < WL_PHASE_COUNT ? names[p] : "?";
}

int wl_phase_start(struct workload *w, struct wl_gate *gate, enum wl_phase p)
{
	struct wl_cs ring = { .eng = w->eng };
	int err;

	if (p == WL_PHASE_QUEUED) {
		wl_cs_gate(&ring, gate);
		w->gate = gate;
	}
	if (ring.err)
		return ring.err;
	err = workload_emit(w, p == WL_PHASE_SPINNING ? gate : NULL);
	err = err ?: vf_engine_kick(w->eng);
	if (err || p == WL_PHASE_RUNNING)
		return err;
	return vf_engine_wait_spinning(w->eng, WL_PHASE_SPIN_TIMEOUT_MS);
}

int wl_phase_release(struct workload *w, struct wl_gate *gate)
{
	int err = vf_engine_wait_settled(w->eng, WL_PHASE_SPIN_TIMEOUT_MS);

	/* Still busy after that long is no verdict: the gate record is. */
	if (err && err != -ETIMEDOUT)
		return err;
	wl_gate_open(w->drv, gate);
	return 0;
}
