// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * A migration hop over QMP. The ends are taken from MIGRATION events (the
 * "events" capability), not from polling: an event cannot be missed
 * between two polls, and lib/qmp queues it until we ask. Events left over
 * from a VM's previous life (a source was the destination of the hop
 * before) are drained before a hop starts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "qemu_migrate.h"

#define CMD_TIMEOUT_MS 10000

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static bool terminal(const char *status)
{
	return !strcmp(status, "completed") || !strcmp(status, "failed") ||
	       !strcmp(status, "cancelled");
}

/* Whatever QEMU sent before a round trip is queued by then: drop it. */
static void drain_events(struct qemu_vm *vm)
{
	json_t *e;

	qmp_cmd_ok(&vm->qmp, "query-status", NULL, CMD_TIMEOUT_MS);
	while ((e = qmp_wait_event(&vm->qmp, NULL, 0)))
		json_decref(e);
}

static int cmd(struct qemu_vm *vm, const char *name, json_t *args, char *err, size_t size)
{
	if (!qmp_cmd_ok(&vm->qmp, name, args, CMD_TIMEOUT_MS))
		return 0;
	snprintf(err, size, "%s: %s", vm->name, vm->qmp.error);
	return -1;
}

static json_t *capability(const char *name, bool on)
{
	return json_pack("{s:s, s:b}", "capability", name, "state", on);
}

static int set_capabilities(struct qemu_vm *vm, bool vfio, char *err, size_t size)
{
	json_t *caps = json_array();

	json_array_append_new(caps, capability("events", true));
	json_array_append_new(caps, capability("return-path", true));
	/* Set either way: a VM keeps its capabilities from its previous hop. */
	json_array_append_new(caps, capability("switchover-ack", vfio));
	return cmd(vm, "migrate-set-capabilities",
		   json_pack("{s:o}", "capabilities", caps), err, size);
}

int qemu_mig_prepare(struct qemu_vm *src, struct qemu_vm *dst,
		     const struct qemu_mig_params *p, char *err, size_t size)
{
	uint64_t bw = p->max_bandwidth ? p->max_bandwidth : 1ULL << 30;
	unsigned int downtime = p->downtime_limit_ms ? p->downtime_limit_ms : 300;
	json_t *params;

	drain_events(src);
	drain_events(dst);
	if (set_capabilities(dst, p->vfio, err, size) ||
	    set_capabilities(src, p->vfio, err, size))
		return -1;
	params = json_pack("{s:I, s:I}", "downtime-limit", (json_int_t)downtime,
			   "max-bandwidth", (json_int_t)bw);
	/* Always sent: a source keeps its parameters from an earlier hop. */
	json_object_set_new(params, "avail-switchover-bandwidth",
			    json_integer((json_int_t)p->switchover_bandwidth));
	return cmd(src, "migrate-set-parameters", params, err, size);
}

int qemu_mig_start(struct qemu_vm *src, struct qemu_vm *dst, const char *uri,
		   char *err, size_t size)
{
	/* exit-on-error false: a refused stream leaves dst up to tell why. */
	if (cmd(dst, "migrate-incoming",
		json_pack("{s:s, s:b}", "uri", uri, "exit-on-error", 0), err, size))
		return -1;
	return cmd(src, "migrate", json_pack("{s:s}", "uri", uri), err, size);
}

int qemu_mig_wait(struct qemu_vm *vm, int timeout_ms, char *status, size_t size)
{
	long long deadline = now_ms() + timeout_ms;

	for (;;) {
		long long left = deadline - now_ms();
		json_t *e = qmp_wait_event(&vm->qmp, "MIGRATION", left > 0 ? left : 0);
		const char *s;

		if (!e) {
			if (now_ms() >= deadline)
				return -ETIMEDOUT;
			snprintf(vm->error, sizeof(vm->error), "%s: %s", vm->name, vm->qmp.error);
			return -EIO;
		}
		s = json_string_value(json_object_get(json_object_get(e, "data"), "status"));
		snprintf(status, size, "%s", s ? s : "?");
		json_decref(e);
		if (terminal(status))
			return 0;
	}
}

int qemu_mig_cancel(struct qemu_vm *src, int timeout_ms, char *status, size_t size)
{
	if (qmp_cmd_ok(&src->qmp, "migrate_cancel", NULL, CMD_TIMEOUT_MS)) {
		snprintf(src->error, sizeof(src->error), "%s: %s", src->name, src->qmp.error);
		return -EIO;
	}
	return qemu_mig_wait(src, timeout_ms, status, size);
}

static void query_migrate(struct qemu_vm *vm, struct qemu_mig_stats *st)
{
	json_t *info = qmp_cmd(&vm->qmp, "query-migrate", NULL, CMD_TIMEOUT_MS);

	qemu_mig_parse_stats(info, st);
	if (!info)
		snprintf(st->error, sizeof(st->error), "query-migrate: %s", vm->qmp.error);
	json_decref(info);
}

static void collect_dst(struct qemu_vm *dst, int timeout_ms, struct qemu_mig_result *r)
{
	struct qemu_mig_stats st;
	char tail[600];

	if (qemu_mig_wait(dst, timeout_ms, r->dst_status, sizeof(r->dst_status)))
		snprintf(r->dst_status, sizeof(r->dst_status), "no end");
	if (!strcmp(r->dst_status, "completed"))
		return;
	query_migrate(dst, &st);
	qemu_vm_stderr_tail(dst, tail, sizeof(tail));
	snprintf(r->dst_error, sizeof(r->dst_error), "%s%s%s", st.error,
		 tail[0] ? "; QEMU said: " : "", tail);
}

void qemu_mig_collect(struct qemu_vm *src, struct qemu_vm *dst, int timeout_ms,
		      struct qemu_mig_result *r)
{
	query_migrate(src, &r->src);
	collect_dst(dst, timeout_ms, r);
	if (qemu_vm_status(src, r->src_run_state, sizeof(r->src_run_state)))
		snprintf(r->src_run_state, sizeof(r->src_run_state), "gone");
	if (qemu_vm_status(dst, r->dst_run_state, sizeof(r->dst_run_state)))
		snprintf(r->dst_run_state, sizeof(r->dst_run_state), "gone");
}

int qemu_migrate(struct qemu_vm *src, struct qemu_vm *dst, const char *uri,
		 const struct qemu_mig_params *p, struct qemu_mig_result *r)
{
	int timeout = p->timeout_ms ? p->timeout_ms : 120000;
	char status[32];
	int err;

	memset(r, 0, sizeof(*r));
	if (qemu_mig_prepare(src, dst, p, r->error, sizeof(r->error)) ||
	    qemu_mig_start(src, dst, uri, r->error, sizeof(r->error))) {
		qemu_mig_collect(src, dst, 1000, r);
		return -1;
	}
	err = qemu_mig_wait(src, timeout, status, sizeof(status));
	if (err == -ETIMEDOUT) {
		r->timed_out = true;
		qemu_mig_cancel(src, CMD_TIMEOUT_MS, status, sizeof(status));
	} else if (err) {
		snprintf(r->error, sizeof(r->error), "%s", src->error);
	}
	qemu_mig_collect(src, dst, CMD_TIMEOUT_MS, r);
	return !strcmp(r->src.status, "completed") && !strcmp(r->dst_status, "completed") &&
	       !strcmp(r->dst_run_state, "running") ? 0 : -1;
}

void qemu_mig_describe_failure(const struct qemu_mig_result *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%ssource %s%s%s%s, now %s; destination %s%s%s, now %s",
		 r->timed_out ? "no end in time, cancelled; " : "",
		 r->error, r->error[0] ? "; " : "",
		 r->src.status, r->src.error[0] ? " (" : "", r->src.error,
		 r->src.error[0] ? ")" : "", r->src_run_state,
		 r->dst_status, r->dst_error[0] ? ": " : "", r->dst_error,
		 r->dst_run_state);
}
