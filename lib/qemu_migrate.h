/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * One live migration hop between two QEMU 10 VMs (lib/qemu_vm) over a
 * unix socket, driven over QMP as a management layer would:
 *
 *   both:  migrate-set-capabilities events, return-path
 *          (+ switchover-ack with a VFIO device: the source then waits for
 *          the destination's ack before it stops the guest)
 *   src:   migrate-set-parameters downtime-limit, max-bandwidth (explicit:
 *          QEMU's defaults are not what a test should silently measure),
 *          and avail-switchover-bandwidth when asked for
 *   dst:   migrate-incoming {uri, exit-on-error: false} (a refused stream
 *          leaves the destination up, so its error can be read)
 *   src:   migrate {uri}, then MIGRATION events until completed, failed
 *          or cancelled, with a timeout (migrate_cancel when it passes)
 *
 * and the numbers of query-migrate afterwards. A failed hop reports
 * QEMU's own error text from both sides.
 */
#ifndef XEMIG_QEMU_MIGRATE_H
#define XEMIG_QEMU_MIGRATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "qemu_vm.h"

struct qemu_mig_params {
	unsigned int downtime_limit_ms;	/* 0: 300 (QEMU's default, made explicit) */
	uint64_t max_bandwidth;		/* bytes/s; 0: 1 GiB/s (a local socket) */
	bool vfio;			/* a VFIO device is attached: switchover-ack */
	/*
	 * avail-switchover-bandwidth, bytes/s; 0: not set (QEMU estimates it
	 * from the last RAM pass). QEMU switches over once what is left fits
	 * the downtime limit at this rate. An idle guest with a VFIO device
	 * needs it: after the first pass hardly any RAM moves, the estimate
	 * drops to ~0 and the device state never fits, so the migration
	 * would iterate forever.
	 */
	uint64_t switchover_bandwidth;
	int timeout_ms;			/* start to end of the hop; 0: 120 s */
};

struct qemu_mig_stats {
	char status[32];		/* query-migrate "status" */
	int64_t total_time_ms;		/* -1 when QEMU did not say */
	int64_t downtime_ms;
	int64_t setup_time_ms;
	int64_t expected_downtime_ms;
	uint64_t ram_transferred;	/* bytes */
	uint64_t ram_total;
	uint64_t ram_dirty_syncs;	/* RAM passes */
	double ram_mbps;		/* QEMU's own estimate, Mbit/s */
	bool has_vfio;			/* query-migrate has a "vfio" member */
	uint64_t vfio_transferred;	/* device state bytes */
	double throughput_mib_s;	/* (RAM + device state) / total time */
	char error[512];		/* "error-desc" */
};

struct qemu_mig_result {
	struct qemu_mig_stats src;	/* the source's query-migrate */
	char dst_status[32];		/* the destination's migration status */
	char dst_error[1024];		/* its error-desc and stderr, if it failed */
	char src_run_state[32];		/* query-status after the hop */
	char dst_run_state[32];
	bool timed_out;			/* cancelled by us after timeout_ms */
	char error[1024];		/* a QMP command that failed, or empty */
};

/* The numbers of a query-migrate "return" value. */
void qemu_mig_parse_stats(json_t *info, struct qemu_mig_stats *st);

/* @st as one JSON object (metric names with units), a new reference. */
json_t *qemu_mig_stats_json(const struct qemu_mig_stats *st);

/* Capabilities on both sides and parameters on the source; -1 with @err set. */
int qemu_mig_prepare(struct qemu_vm *src, struct qemu_vm *dst,
		     const struct qemu_mig_params *p, char *err, size_t size);

/* migrate-incoming on @dst, then migrate on @src; -1 with @err set. */
int qemu_mig_start(struct qemu_vm *src, struct qemu_vm *dst, const char *uri,
		   char *err, size_t size);

/*
 * Wait for @vm's MIGRATION event to reach completed, failed or cancelled
 * (copied to @status). -ETIMEDOUT, or -EIO when QMP broke (vm->error).
 */
int qemu_mig_wait(struct qemu_vm *vm, int timeout_ms, char *status, size_t size);

/* migrate_cancel on @src and wait until it is cancelled (or ended anyway). */
int qemu_mig_cancel(struct qemu_vm *src, int timeout_ms, char *status, size_t size);

/*
 * Collect @r after the source's migration ended: both sides' status and
 * errors, run states. Waits up to @timeout_ms for the destination to end.
 */
void qemu_mig_collect(struct qemu_vm *src, struct qemu_vm *dst, int timeout_ms,
		      struct qemu_mig_result *r);

/*
 * The whole hop: prepare, start, wait, collect. 0 when it completed with
 * the destination running; -1 otherwise, @r saying how far it got.
 */
int qemu_migrate(struct qemu_vm *src, struct qemu_vm *dst, const char *uri,
		 const struct qemu_mig_params *p, struct qemu_mig_result *r);

/* A one-line account of a failed @r for people. */
void qemu_mig_describe_failure(const struct qemu_mig_result *r, char *buf, size_t size);

#endif
