// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The migration loop's steps, each ending with the guest checked: nothing
 * counts as migrated until the destination's agent has ticked on from
 * where the source stopped and verified its whole buffer there.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vm_loop.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void vm_loop_init(struct vm_loop *l, const struct vm_loop_config *cfg)
{
	memset(l, 0, sizeof(*l));
	l->cfg = *cfg;
	if (!l->cfg.boot_timeout_ms)
		l->cfg.boot_timeout_ms = 120000;
	if (!l->cfg.guest_timeout_ms)
		l->cfg.guest_timeout_ms = 30000;
	if (!l->cfg.payload_timeout_ms)
		l->cfg.payload_timeout_ms = 120000;
	snprintf(l->append, sizeof(l->append),
		 "console=ttyS0 quiet panic=-1 xemt.seed=0x%" PRIx64 " xemt.mib=%u%s%s%s",
		 cfg->seed, cfg->agent_mib ? cfg->agent_mib : 32,
		 cfg->payload ? " xemt.payload=1" : "", cfg->append ? " " : "",
		 cfg->append ? cfg->append : "");
}

void vm_loop_stop(struct vm_loop *l)
{
	qemu_vm_kill(&l->vm[0]);
	qemu_vm_kill(&l->vm[1]);
}

void vm_loop_vm_config(struct vm_loop *l, bool incoming, char *name_buf,
		       struct qemu_vm_config *c)
{
	int slot = incoming ? !l->src : l->src;

	memset(c, 0, sizeof(*c));
	snprintf(name_buf, 64, "%s.vm%u", l->cfg.tag, l->started);
	c->name = name_buf;
	c->sock_dir = l->cfg.sock_dir;
	c->log_dir = l->cfg.log_dir;
	c->accel = l->cfg.accel;
	c->mem_mb = l->cfg.mem_mb;
	c->kernel = l->cfg.kernel;
	c->initrd = l->cfg.initrd;
	c->append = l->append;
	c->vfio = l->cfg.vfio[slot];
	c->incoming = incoming;
	for (int i = 0; i < 8 && l->cfg.extra[i]; i++)
		c->extra[i] = l->cfg.extra[i];
}

/* l->error = @what: the VM's own error, or QEMU's stderr if it died. */
static void vm_error(struct vm_loop *l, struct qemu_vm *vm, const char *what)
{
	char tail[600] = "";

	if (!qemu_vm_alive(vm))
		qemu_vm_stderr_tail(vm, tail, sizeof(tail));
	snprintf(l->error, sizeof(l->error), "%s: %s%s%s (serial log %s)", vm->name, what,
		 tail[0] ? "; QEMU exited: " : "", tail, vm->serial_log);
}

static int guest_error(struct vm_loop *l, struct qemu_vm *vm, int err,
		       const struct agent_log *log, const char *waited_for)
{
	char why[512];

	if (err == -ETIMEDOUT)
		snprintf(why, sizeof(why), "no %s in time (last tick %" PRIu64 ", passes %" PRIu64 ")",
			 waited_for, log->last_tick, log->last_passes);
	else if (agent_log_healthy(log, why, sizeof(why)))	/* fills why if not */
		snprintf(why, sizeof(why), "guest check failed: %s", strerror(-err));
	vm_error(l, vm, why);
	return -1;
}

int vm_loop_boot(struct vm_loop *l)
{
	struct qemu_vm *vm = vm_loop_source(l);
	struct qemu_vm_config c;
	struct agent_log log;
	char name[64];
	int err;

	vm_loop_vm_config(l, false, name, &c);
	l->started++;
	if (qemu_vm_start(vm, &c, 30000)) {
		snprintf(l->error, sizeof(l->error), "%s", vm->error);
		return -1;
	}
	/* Booted means the agent filled and verified its whole buffer once. */
	err = agent_log_wait(vm->serial_log, 1, 1, l->cfg.boot_timeout_ms, &log);
	if (err)
		return guest_error(l, vm, err, &log, "agent output after boot");
	if (!l->cfg.payload)
		return 0;
	/* And its payload passed a whole round. */
	err = agent_log_wait_rounds(vm->serial_log, 1, l->cfg.payload_timeout_ms, &log);
	if (err == -ENOENT) {
		vm_error(l, vm, "the guest has no payload (build it with mkguest.sh --payload)");
		return -ENOENT;
	}
	return err ? guest_error(l, vm, err, &log, "a whole payload round after boot") : 0;
}

int vm_loop_start_dest(struct vm_loop *l, const struct qemu_vm_config *c)
{
	struct qemu_vm *vm = vm_loop_dest(l);
	struct qemu_vm_config def;
	char name[64];

	if (!c) {
		vm_loop_vm_config(l, true, name, &def);
		c = &def;
	}
	qemu_vm_kill(vm);
	l->started++;
	if (qemu_vm_start(vm, c, 30000)) {
		snprintf(l->error, sizeof(l->error), "%s", vm->error);
		return -1;
	}
	return 0;
}

/* The destination's agent carries on from the source's last whole tick. */
static int check_dest(struct vm_loop *l, struct vm_hop *h)
{
	struct qemu_vm *src = vm_loop_source(l), *dst = vm_loop_dest(l);
	struct agent_log before, after;
	char why[512];
	int err;

	/* The source stopped at the switchover: its log is complete. */
	agent_log_read(src->serial_log, &before);
	if (!agent_log_healthy(&before, why, sizeof(why))) {
		vm_error(l, src, why);
		return -1;
	}
	h->tick_src = before.last_tick;
	err = agent_log_wait(dst->serial_log, before.last_tick + 1, 0,
			     l->cfg.guest_timeout_ms, &after);
	if (err)
		return guest_error(l, dst, err, &after, "tick after the hop");
	h->tick_dst = after.first_tick;
	if (!agent_log_continues(&before, &after, why, sizeof(why))) {
		vm_error(l, dst, why);
		return -1;
	}
	/* Two more passes: one whole verification ran on the destination. */
	err = agent_log_wait(dst->serial_log, 0, after.first_passes + 2,
			     l->cfg.guest_timeout_ms, &after);
	if (err)
		return guest_error(l, dst, err, &after, "full memory verification");
	if (!l->cfg.payload)
		return 0;
	/*
	 * A payload round that began on the source may end on the
	 * destination: two round lines there make one whole round run there.
	 */
	err = agent_log_wait_rounds(dst->serial_log, 2, l->cfg.payload_timeout_ms, &after);
	h->rounds = after.rounds;
	return err ? guest_error(l, dst, err, &after, "a whole payload round after the hop") : 0;
}

int vm_loop_hop(struct vm_loop *l, const struct qemu_mig_params *p, struct vm_hop *h)
{
	char uri[200], why[1500];
	double t0 = now_s();
	int rc;

	memset(h, 0, sizeof(*h));
	h->n = l->hops + 1;
	if (vm_loop_dest(l)->pid <= 0 && vm_loop_start_dest(l, NULL))
		return -1;
	snprintf(uri, sizeof(uri), "unix:%s/mig%u.sock", l->cfg.sock_dir, l->started);
	rc = qemu_migrate(vm_loop_source(l), vm_loop_dest(l), uri, p, &h->r);
	unlink(uri + 5);
	h->wall_s = now_s() - t0;
	if (rc) {
		qemu_mig_describe_failure(&h->r, why, sizeof(why));
		snprintf(l->error, sizeof(l->error), "hop %u not completed: %s", h->n, why);
		return -1;
	}
	if (check_dest(l, h))
		return -1;
	qemu_vm_quit(vm_loop_source(l));
	l->src = !l->src;
	l->hops++;
	h->wall_s = now_s() - t0;
	return 0;
}

int vm_loop_source_survived(struct vm_loop *l)
{
	struct qemu_vm *src = vm_loop_source(l);
	struct agent_log before, after;
	char state[32], why[128];
	int err;

	if (qemu_vm_status(src, state, sizeof(state))) {
		vm_error(l, src, src->error);
		return -1;
	}
	if (strcmp(state, "running")) {
		snprintf(why, sizeof(why), "source is '%s', not running", state);
		vm_error(l, src, why);
		return -1;
	}
	agent_log_read(src->serial_log, &before);
	err = agent_log_wait(src->serial_log, before.last_tick + 3, before.last_passes + 2,
			     l->cfg.guest_timeout_ms, &after);
	if (err)
		return guest_error(l, src, err, &after, "ticks and verification on the source");
	qemu_vm_kill(vm_loop_dest(l));
	return 0;
}

json_t *vm_hop_json(const struct vm_hop *h)
{
	json_t *o = json_pack("{s:i, s:I, s:I, s:f, s:s, s:s, s:i}", "hop", h->n,
			      "guest_tick_src", (json_int_t)h->tick_src,
			      "guest_tick_dst", (json_int_t)h->tick_dst,
			      "wall_s", h->wall_s,
			      "src_state", h->r.src_run_state,
			      "dst_state", h->r.dst_run_state,
			      "payload_rounds", h->rounds);
	json_t *st = qemu_mig_stats_json(&h->r.src);

	if (o && st)
		json_object_update(o, st);
	json_decref(st);
	return o;
}
