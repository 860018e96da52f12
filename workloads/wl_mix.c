// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * mix: every other workload in one ring, one after the other, each with
 * its own seed derived from the mix's. With a gate, each one waits on the
 * same gate at its middle: the first to get there holds the engine, the
 * others pass once it is open.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wl_ref.h"
#include "workload.h"

#define MAX_PARTS 8

struct mix_wl {
	struct workload *part[MAX_PARTS];
	int n;
};

static int mix_prepare(struct workload *w)
{
	struct mix_wl *m = calloc(1, sizeof(*m));
	int err = 0;

	if (!m)
		return -ENOMEM;
	w->priv = m;
	for (int i = 0; workload_list[i] && !err; i++) {
		const char *name = workload_list[i]->name;

		if (workload_list[i] == &wl_mix_ops)
			continue;
		err = workload_create(name, w->drv, w->eng, wl_seed_for(w->seed, name), w->scale,
				      &m->part[m->n]);
		if (!err)
			err = workload_prepare(m->part[m->n++]);
	}
	return err;
}

static int mix_emit(struct workload *w, struct wl_gate *gate)
{
	struct mix_wl *m = w->priv;
	int err = 0;

	for (int i = 0; i < m->n && !err; i++) {
		err = workload_emit(m->part[i], gate);
		/* The mix's own verify checks the shared gate, once. */
		m->part[i]->gate = NULL;
		w->done_seqno = m->part[i]->done_seqno;
	}
	return err;
}

static int mix_verify(struct workload *w, char *msg, size_t size)
{
	struct mix_wl *m = w->priv;

	for (int i = 0; i < m->n; i++) {
		char part[512];
		int err = workload_verify(m->part[i], part, sizeof(part));

		if (err) {
			snprintf(msg, size, "mix: %s", part);
			return err;
		}
	}
	return 0;
}

static void mix_fini(struct workload *w)
{
	struct mix_wl *m = w->priv;

	for (int i = 0; m && i < m->n; i++)
		workload_destroy(m->part[i]);
}

const struct workload_ops wl_mix_ops = {
	.name = "mix",
	.summary = "all of the above in one ring",
	.prepare = mix_prepare,
	.emit = mix_emit,
	.verify = mix_verify,
	.fini = mix_fini,
};
