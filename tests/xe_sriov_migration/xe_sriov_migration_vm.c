// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * TEST: xe_sriov_migration_vm
 * Category: Core
 * Mega feature: SR-IOV
 * Sub-category: VF migration
 * Functionality: VM live migration with QEMU
 * Description: Whole VMs migrated live by QEMU 10 over QMP, as a VMM's
 *	management layer does: capabilities events, return-path (and
 *	switchover-ack with a VFIO device), explicit downtime-limit and
 *	max-bandwidth, a destination started with -incoming defer and
 *	exit-on-error off. The guest is Debian's kernel with a tiny
 *	initramfs whose agent ticks a counter and verifies a seeded memory
 *	buffer it keeps rewriting; after every hop the destination must carry
 *	on from the source's tick with its memory intact. Runs on the host
 *	(not in the sim VM). With XEMT_VM_VFIO="VF_A,VF_B" (PCI addresses, or
 *	mdev sysfs paths) the guest gets a VF with enable-migration=on,
 *	alternating between the two from hop to hop.
 *
 * SUBTEST: plain-vm-ping-pong
 * Run type: BAT
 * Description: A VM migrated N times (default 3; --hops or XEMT_VM_HOPS),
 *	each time to a new destination, the guest checked after every hop.
 *	Each hop's total time, downtime, RAM bytes, device state bytes and
 *	throughput are printed and, with XEMT_RESULTS_DIR set, appended as a
 *	JSON line to XEMT_RESULTS_DIR/vm-migration.jsonl.
 *
 * SUBTEST: cancel
 * Run type: BAT
 * Description: A migration slowed by max-bandwidth is cancelled with
 *	migrate_cancel while RAM is moving: it ends (cancelled, or failed when QEMU races its return path), the source
 *	keeps running with its guest intact, and a migration to a fresh
 *	destination afterwards completes.
 *
 * SUBTEST: destination-refuses
 * Run type: BAT
 * Description: Destinations that do not match the source refuse its
 *	stream: another machine type (refused at the stream header), another
 *	RAM size (refused at RAM setup), a device the source has and the
 *	destination lacks (refused at the switchover, after the source
 *	stopped its vCPUs). Each time the hop fails with QEMU's error text,
 *	the source says "running" (and resumed, when it had stopped), its
 *	guest counter goes on and its memory stays intact. A matching
 *	destination then takes the guest. One dynamic subtest per case.
 *
 * SUBTEST: payload-loop
 * Run type: BAT
 * Description: The guest runs its payload, the command list that
 *	runner/vm/mkguest.sh --payload put in its initramfs (here the
 *	project's workloads/payload/ self-test; on a lab, IGT's xe tests
 *	against the VF), round after round while it is migrated N times
 *	(default 2; XEMT_VM_PAYLOAD_HOPS). After boot and after every hop a
 *	whole round must pass on the guest, and the test fails on any failed
 *	command (its exit status and output tail), any kernel log line that
 *	matters (xe wedged, GuC errors, GT/engine resets, WARN/BUG/oops) and
 *	any tick discontinuity. XEMT_VM_PAYLOAD_FAULT=exit@N or kmsg@N plants
 *	a failure in round N (workloads/payload/xemt_pl_fault.c) to prove
 *	the verdict; XEMT_VM_PAYLOAD_TIMEOUT_S bounds a round (default 120),
 *	XEMT_VM_MEM_MB sizes the guest (default 128 MiB; a lab guest with xe
 *	and IGT in its initramfs needs more). A failure prints the one
 *	command that replays it (the environment above, --seed of the
 *	agent's memory); with --minimize the hops are cut by delta debugging
 *	(lib/replay.h) while it fails the same way, and the smallest printed.
 *	Skips on a guest without a payload.
 */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt.h"
#include "replay.h"
#include "vm_loop.h"

IGT_TEST_DESCRIPTION("Live migration of whole VMs with QEMU 10 over QMP, guest checked after every hop.");

/* XEMT_VM_MEM_MB: a lab guest with xe and IGT in its initramfs needs more. */
#define GUEST_MEM_MB	t.mem_mb
#define MIB		(1ULL << 20)

struct test {
	struct vm_loop_config base;
	struct vm_loop loop;
	unsigned int hops;
	char dir[64];			/* sockets: short, for sun_path */
	char log_dir[4096];
	char kernel[4096];
	char initrd[4096];
	char vfio[2][256];
	FILE *metrics;			/* vm-migration.jsonl, or NULL */
	unsigned int mem_mb;		/* guest RAM */
	struct replay_opts replay;	/* --seed, --minimize */
};

static struct test t = { .hops = 3, .mem_mb = 128 };

static int opt_handler(int opt, int opt_index, void *data)
{
	if (opt != 'H')
		return replay_opt(&t.replay, opt, optarg, NULL) || opt == REPLAY_OPT_PLAN ||
		       opt == REPLAY_OPT_SCALE ? IGT_OPT_HANDLER_ERROR : IGT_OPT_HANDLER_SUCCESS;
	t.hops = strtoul(optarg, NULL, 10);
	return t.hops ? IGT_OPT_HANDLER_SUCCESS : IGT_OPT_HANDLER_ERROR;
}

static const struct option long_opts[] = {
	{ "hops", required_argument, NULL, 'H' },
	{ "seed", required_argument, NULL, REPLAY_OPT_SEED },
	{ "minimize", no_argument, NULL, REPLAY_OPT_MINIMIZE },
	{ 0 }
};

static const char help_str[] =
	"  --hops N   hops of plain-vm-ping-pong (default 3, or XEMT_VM_HOPS)\n"
	"  --seed S   the guest agent's memory seed (default: from the pid; a replay line names it)\n"
	"  --minimize payload-loop: on a failure, fewer hops while it fails the same way\n";

/* Exit and signal handler: kill(2) only, unless it is a plain exit. */
static void cleanup(int sig)
{
	qemu_vm_kill_all();
	if (!sig && t.dir[0])
		qemu_vm_remove_dir(t.dir);
}

/*
 * Socket dirs of runs that died by a signal (the handler only kills):
 * /tmp/xemt-vm.<pid>.XXXXXX whose pid is gone.
 */
static void sweep_dead_dirs(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *de;
	char path[300];
	int pid;

	while (d && (de = readdir(d))) {
		if (sscanf(de->d_name, "xemt-vm.%d.", &pid) != 1 || pid <= 0 ||
		    !kill(pid, 0) || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "/tmp/%s", de->d_name);
		qemu_vm_remove_dir(path);
	}
	if (d)
		closedir(d);
}

static bool readable(const char *path)
{
	return path && *path && !access(path, R_OK);
}

/* XEMT_GUEST_KERNEL, XEMT_KERNEL (set by ./xe-migtest), or the newest /boot/vmlinuz-*. */
static bool find_kernel(char *buf, size_t size)
{
	const char *env[] = { getenv("XEMT_GUEST_KERNEL"), getenv("XEMT_KERNEL") };
	struct dirent **names;
	int n;

	for (int i = 0; i < 2; i++) {
		if (readable(env[i])) {
			snprintf(buf, size, "%s", env[i]);
			return true;
		}
	}
	n = scandir("/boot", &names, NULL, versionsort);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (!strncmp(names[i]->d_name, "vmlinuz-", 8))
			snprintf(buf, size, "/boot/%s", names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return readable(buf);
}

/* XEMT_GUEST_INITRD, or build/guest/ beside this binary's build/tests/. */
static bool find_initrd(char *buf, size_t size)
{
	const char *env = getenv("XEMT_GUEST_INITRD");
	char exe[4096];
	ssize_t n;

	if (env && *env) {
		snprintf(buf, size, "%s", env);
		return readable(buf);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return false;
	exe[n] = '\0';
	snprintf(buf, size, "%s/../../guest/initramfs.cpio.gz", dirname(exe));
	return readable(buf);
}

/* XEMT_VM_VFIO="A,B": the two VFs the guest alternates between. */
static void parse_vfio(void)
{
	const char *env = getenv("XEMT_VM_VFIO");
	char *copy, *tok, *save = NULL;
	int n = 0;

	if (!env || !*env)
		return;
	copy = strdup(env);
	for (tok = strtok_r(copy, ", ", &save); tok && n < 2; tok = strtok_r(NULL, ", ", &save))
		snprintf(t.vfio[n++], sizeof(t.vfio[0]), "%s", tok);
	free(copy);
	igt_require_f(n == 2, "XEMT_VM_VFIO needs two VFs (source and destination), got '%s'\n",
		      env);
	t.base.vfio[0] = t.vfio[0];
	t.base.vfio[1] = t.vfio[1];
}

static void setup(void)
{
	char version[32] = "";
	const char *hops = getenv("XEMT_VM_HOPS");
	int killed, err;

	igt_require_f(qemu_vm_version_ok(version, sizeof(version)),
		      "no qemu-system-x86_64 >= 9.1 in PATH (found '%s'); install QEMU 10 from bookworm-backports\n",
		      version);
	igt_require_f(find_kernel(t.kernel, sizeof(t.kernel)),
		      "no guest kernel (XEMT_GUEST_KERNEL, XEMT_KERNEL or /boot/vmlinuz-*)\n");
	igt_require_f(find_initrd(t.initrd, sizeof(t.initrd)),
		      "no guest initramfs at '%s': run ./xe-migtest build (or set XEMT_GUEST_INITRD)\n",
		      t.initrd);
	if (hops && *hops && t.hops == 3)
		t.hops = strtoul(hops, NULL, 10) ?: 3;
	if (getenv("XEMT_VM_MEM_MB"))
		t.mem_mb = strtoul(getenv("XEMT_VM_MEM_MB"), NULL, 10) ?: 128;
	igt_install_exit_handler(cleanup);
	killed = qemu_vm_reap_stale();
	if (killed)
		igt_info("killed %d QEMU left running by an earlier run\n", killed);
	sweep_dead_dirs();
	snprintf(t.dir, sizeof(t.dir), "/tmp/xemt-vm.%d.XXXXXX", (int)getpid());
	igt_assert_f(mkdtemp(t.dir), "mkdtemp: %m\n");
	err = qemu_vm_results_open(t.dir, t.log_dir, sizeof(t.log_dir), &t.metrics);
	igt_assert_f(!err, "cannot open $XEMT_RESULTS_DIR/vm-migration.jsonl: %s\n",
		     strerror(-err));
	t.base = (struct vm_loop_config) {
		.kernel = t.kernel, .initrd = t.initrd,
		.sock_dir = t.dir, .log_dir = t.log_dir,
		.accel = qemu_vm_kvm_usable() ? "kvm" : "tcg",
		.mem_mb = GUEST_MEM_MB, .agent_mib = 32,
		.seed = t.replay.seed_set ? t.replay.seed : 0x5eed0000ull + (uint64_t)getpid(),
	};
	parse_vfio();
	igt_info("QEMU %s, %s, guest %u MiB, kernel %s%s%s\n", version, t.base.accel,
		 GUEST_MEM_MB, t.kernel, t.vfio[0][0] ? ", VFs " : "",
		 t.vfio[0][0] ? getenv("XEMT_VM_VFIO") : "");
}

static struct qemu_mig_params fast_params(void)
{
	return (struct qemu_mig_params) {
		.downtime_limit_ms = 300,
		.max_bandwidth = 1024 * MIB,	/* a local socket: effectively unthrottled */
		.vfio = t.base.vfio[0] != NULL,
		.timeout_ms = 120000,
	};
}

static void record_hop(const char *subtest, const struct vm_hop *h)
{
	const struct qemu_mig_stats *st = &h->r.src;
	char vfio[64] = "";
	json_t *o;

	if (st->has_vfio)
		snprintf(vfio, sizeof(vfio), ", device state %.1f MiB",
			 (double)st->vfio_transferred / MIB);
	igt_info("hop %u: %s, total %lld ms, downtime %lld ms (setup %lld ms), RAM %.1f MiB in %llu syncs%s, %.0f MiB/s; guest tick %llu -> %llu, checked in %.1f s\n",
		 h->n, st->status, (long long)st->total_time_ms, (long long)st->downtime_ms,
		 (long long)st->setup_time_ms, (double)st->ram_transferred / MIB,
		 (unsigned long long)st->ram_dirty_syncs, vfio, st->throughput_mib_s,
		 (unsigned long long)h->tick_src, (unsigned long long)h->tick_dst, h->wall_s);
	if (!t.metrics)
		return;
	o = vm_hop_json(h);
	json_object_set_new(o, "test", json_string("xe_sriov_migration_vm"));
	json_object_set_new(o, "subtest", json_string(subtest));
	json_object_set_new(o, "accel", json_string(t.base.accel));
	json_object_set_new(o, "guest_mem_mb", json_integer(GUEST_MEM_MB));
	json_object_set_new(o, "vfio", json_boolean(t.base.vfio[0] != NULL));
	json_dumpf(o, t.metrics, JSON_COMPACT);
	fputc('\n', t.metrics);
	fflush(t.metrics);
	json_decref(o);
}

/* A fresh loop for a subtest: VMs of an earlier failed subtest go first. */
static void boot(const char *tag, const char *const *extra)
{
	struct vm_loop_config c = t.base;

	vm_loop_stop(&t.loop);
	c.tag = tag;
	for (int i = 0; extra && extra[i] && i < 8; i++)
		c.extra[i] = extra[i];
	vm_loop_init(&t.loop, &c);
	igt_assert_f(!vm_loop_boot(&t.loop), "boot: %s\n", t.loop.error);
}

static void hop_ok(const char *subtest, const struct qemu_mig_params *p)
{
	struct vm_hop h;

	igt_assert_f(!vm_loop_hop(&t.loop, p, &h), "%s\n", t.loop.error);
	record_hop(subtest, &h);
}

static void ping_pong(void)
{
	struct qemu_mig_params p = fast_params();

	boot("pingpong", NULL);
	for (unsigned int i = 0; i < t.hops; i++)
		hop_ok("plain-vm-ping-pong", &p);
	vm_loop_stop(&t.loop);
}

/* Wait until the source has sent @bytes of RAM, still migrating; how much it sent. */
static uint64_t wait_ram_moving(struct qemu_vm *src, uint64_t bytes)
{
	struct qemu_mig_stats st = { 0 };

	for (int i = 0; i < 600; i++) {
		json_t *info = qmp_cmd(&src->qmp, "query-migrate", NULL, 5000);

		igt_assert_f(info, "query-migrate: %s\n", src->qmp.error);
		qemu_mig_parse_stats(info, &st);
		json_decref(info);
		if (strcmp(st.status, "setup") && strcmp(st.status, "active"))
			break;
		if (st.ram_transferred >= bytes)
			return st.ram_transferred;
		usleep(100000);
	}
	igt_assert_f(false, "migration is '%s' after %.1f MiB, wanted it active past %.1f MiB\n",
		     st.status, (double)st.ram_transferred / MIB, (double)bytes / MIB);
	return 0;
}

static void cancel(void)
{
	struct qemu_mig_params slow = fast_params();
	struct qemu_mig_params p = fast_params();
	struct qemu_mig_result r = { 0 };
	struct qemu_vm *src, *dst;
	char status[32], err[512], uri[128];
	uint64_t sent;

	/* ~100 MiB of guest RAM at 16 MiB/s: seconds of "active" to cancel in. */
	slow.max_bandwidth = 16 * MIB;
	boot("cancel", NULL);
	igt_assert_f(!vm_loop_start_dest(&t.loop, NULL), "%s\n", t.loop.error);
	src = vm_loop_source(&t.loop);
	dst = vm_loop_dest(&t.loop);
	snprintf(uri, sizeof(uri), "unix:%s/cancel.sock", t.dir);
	igt_assert_f(!qemu_mig_prepare(src, dst, &slow, err, sizeof(err)), "%s\n", err);
	igt_assert_f(!qemu_mig_start(src, dst, uri, err, sizeof(err)), "%s\n", err);
	sent = wait_ram_moving(src, 16 * MIB);
	igt_assert_f(!qemu_mig_cancel(src, 30000, status, sizeof(status)),
		     "migrate_cancel: %s\n", src->error);
	/*
	 * QEMU may shut the return path down before it marks the migration
	 * cancelling, and then reports "failed": still an ended migration. What
	 * the test is about, the source running on intact, is checked below.
	 */
	igt_assert_f(!strcmp(status, "cancelled") || !strcmp(status, "failed"),
		     "migration ended '%s', not cancelled\n", status);
	if (strcmp(status, "cancelled"))
		igt_info("QEMU reported the cancelled migration as '%s'\n", status);
	qemu_mig_collect(src, dst, 10000, &r);
	igt_info("cancelled after %.1f MiB of RAM; destination %s: %s\n",
		 (double)sent / MIB, r.dst_status, r.dst_error);
	igt_assert_f(!vm_loop_source_survived(&t.loop), "after cancel: %s\n", t.loop.error);
	unlink(uri + 5);
	/* Cancelled, not broken: the next migration goes through. */
	hop_ok("cancel", &p);
	vm_loop_stop(&t.loop);
}

struct mismatch {
	const char *name;
	const char *what;
	bool stops_source;	/* refused at the switchover, after the source stopped */
	void (*apply)(struct qemu_vm_config *c);
};

static void other_machine(struct qemu_vm_config *c)
{
	c->machine = "pc";
}

static void other_ram_size(struct qemu_vm_config *c)
{
	c->mem_mb = 2 * GUEST_MEM_MB;
}

static void without_rng(struct qemu_vm_config *c)
{
	/* The source's extra device is the first of its extra arguments. */
	for (int i = 0; i < QEMU_VM_MAX_EXTRA; i++)
		c->extra[i] = i + 2 < QEMU_VM_MAX_EXTRA ? c->extra[i + 2] : NULL;
}

static const char *const rng_device[] = { "-device", "virtio-rng-pci", NULL };

static const struct mismatch mismatches[] = {
	{ "machine-type", "machine pc (i440fx), source q35", false, other_machine },
	{ "ram-size", "twice the source's RAM", false, other_ram_size },
	{ "missing-device", "no virtio-rng-pci, which the source has", true, without_rng },
};

static void refused(const struct mismatch *m)
{
	struct qemu_mig_params p = fast_params();
	struct qemu_vm_config c;
	struct qemu_vm *src;
	struct vm_hop h;
	char name[64];
	json_t *resume;

	vm_loop_vm_config(&t.loop, true, name, &c);
	m->apply(&c);
	igt_assert_f(!vm_loop_start_dest(&t.loop, &c), "%s\n", t.loop.error);
	igt_assert_f(vm_loop_hop(&t.loop, &p, &h), "destination with %s took the stream\n",
		     m->what);
	igt_info("refused (%s): source %s: %s; destination %s: %s\n", m->what,
		 h.r.src.status, h.r.src.error, h.r.dst_status, h.r.dst_error);
	igt_assert_f(!strcmp(h.r.src.status, "failed"), "source migration is '%s', not failed: %s\n",
		     h.r.src.status, t.loop.error);
	igt_assert_f(!strcmp(h.r.dst_status, "failed") && h.r.dst_error[0],
		     "destination '%s' gave no reason\n", h.r.dst_status);
	src = vm_loop_source(&t.loop);
	if (m->stops_source) {
		/* The hard path: vCPUs stopped for the switchover run again. */
		resume = qmp_wait_event(&src->qmp, "RESUME", 5000);
		igt_assert_f(resume, "source stopped for the switchover but never resumed: %s\n",
			     src->qmp.error);
		json_decref(resume);
	}
	igt_assert_f(!vm_loop_source_survived(&t.loop), "after the refusal: %s\n", t.loop.error);
}

static void destination_refuses(void)
{
	struct qemu_mig_params p = fast_params();

	boot("refuse", rng_device);
	for (size_t i = 0; i < sizeof(mismatches) / sizeof(mismatches[0]); i++)
		igt_dynamic(mismatches[i].name)
			refused(&mismatches[i]);
	/* The control: the same source migrates fine to a matching destination. */
	igt_dynamic("matching-destination")
		hop_ok("destination-refuses", &p);
	vm_loop_stop(&t.loop);
}

static unsigned int env_uint(const char *name, unsigned int def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 10) : def;
}

/*
 * payload-loop's run: a guest booted with its payload, hops hops, a whole
 * passing round after boot and after each. 0, 1 with msg on a failure
 * (*failed_hop: the hop it failed in, 0 at boot), -ENOENT for a guest
 * without a payload.
 */
static int payload_run(unsigned int hops, char *msg, size_t size, unsigned int *failed_hop)
{
	struct qemu_mig_params p = fast_params();
	const char *fault = getenv("XEMT_VM_PAYLOAD_FAULT");
	struct vm_loop_config c = t.base;
	static char append[96];
	struct vm_hop h;
	int err;

	if (fault && *fault)
		snprintf(append, sizeof(append), "xemt.fault=%s", fault);
	vm_loop_stop(&t.loop);
	c.tag = "payload";
	c.payload = true;
	c.append = append[0] ? append : NULL;
	c.payload_timeout_ms = env_uint("XEMT_VM_PAYLOAD_TIMEOUT_S", 120) * 1000;
	vm_loop_init(&t.loop, &c);
	err = vm_loop_boot(&t.loop);
	if (err == -ENOENT)
		return err;
	if (err) {
		snprintf(msg, size, "boot: %s", t.loop.error);
		return 1;
	}
	*failed_hop = 0;
	for (unsigned int i = 0; i < hops; i++) {
		if (vm_loop_hop(&t.loop, &p, &h)) {
			snprintf(msg, size, "%s", t.loop.error);
			*failed_hop = i + 1;
			return 1;
		}
		record_hop("payload-loop", &h);
	}
	return 0;
}

/* A candidate of --minimize: only the number of hops matters here. */
static int payload_candidate(void *ctx, const struct replay_step *plan, unsigned int n,
			     unsigned int scale, char *msg, size_t size)
{
	unsigned int failed_hop;
	int err = payload_run(n, msg, size, &failed_hop);

	vm_loop_stop(&t.loop);
	igt_info("--minimize: %u hop(s): %s\n", n, err ? msg : "passed");
	return err == 1;
}

/* The command that replays payload-loop with hops hops: its environment, its seed. */
static void payload_replay(const char *what, unsigned int hops)
{
	static const char *const vars[] = {
		"XEMT_VM_PAYLOAD_FAULT", "XEMT_VM_VFIO", "XEMT_VM_MEM_MB",
		"XEMT_VM_PAYLOAD_TIMEOUT_S", "XEMT_GUEST_KERNEL", "XEMT_KERNEL", "XEMT_GUEST_INITRD",
	};
	char env[2048], opts[64], line[4096];
	int len = snprintf(env, sizeof(env), "XEMT_VM_PAYLOAD_HOPS=%u", hops);

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]) && *getenv(vars[i]) && len < (int)sizeof(env))
			len += snprintf(env + len, sizeof(env) - len, " %s=%s", vars[i],
					getenv(vars[i]));
	snprintf(opts, sizeof(opts), "--seed %#llx", (unsigned long long)t.base.seed);
	replay_command(line, sizeof(line), env, program_invocation_name, "payload-loop", opts);
	igt_info("%s (%u hops): %s\n", what, hops, line);
}

static void payload_loop(void)
{
	unsigned int hops = env_uint("XEMT_VM_PAYLOAD_HOPS", 2) ?: 2;
	static struct replay_step plan[REPLAY_MAX_STEPS];
	static char msg[REPLAY_WHY_MAX];
	static struct replay_min m;
	struct replay_target target = { .run = payload_candidate, .n_vfs = 2 };
	unsigned int failed_hop = 0;
	struct agent_log log;
	int err = payload_run(hops, msg, sizeof(msg), &failed_hop);

	igt_require_f(err != -ENOENT, "%s\n", t.loop.error);
	if (err) {
		/* Up to the hop that failed (at boot: one hop, the least a replay runs). */
		hops = failed_hop ?: 1;
		payload_replay("replay", hops);
		if (t.replay.minimize && hops <= REPLAY_MAX_STEPS) {
			/* Every hop alike but for the VF pair's order: ddmin cuts their number. */
			replay_plan_from_seed(plan, hops, 2, t.base.seed, 1, 0, "payload");
			replay_minimize(&target, plan, hops, 1, msg, &m);
			if (m.confirmed)
				payload_replay("minimized replay", m.n);
			else
				igt_warn("--minimize: the smallest did not fail the same way again: %s\n",
					 m.why);
		}
	}
	igt_assert_f(!err, "%s\n", msg);
	agent_log_read(vm_loop_source(&t.loop)->serial_log, &log);
	igt_info("payload on the last destination: %u rounds, %u runs\n", log.rounds, log.runs);
	/* The list's length is on the first VM's log: show what ran here. */
	for (unsigned int k = 0; k < AGENT_LOG_MAX_CMDS; k++)
		if (log.cmd[k].runs)
			igt_info("  %-40s %u runs, mean %" PRIu64 " ms, max %" PRIu64 " ms\n",
				 log.cmd[k].name, log.cmd[k].runs,
				 log.cmd[k].total_ms / log.cmd[k].runs, log.cmd[k].max_ms);
	vm_loop_stop(&t.loop);
}

int igt_main_args("", long_opts, help_str, opt_handler, NULL)
{
	igt_fixture()
		setup();

	igt_describe("A plain VM migrated N times to a new destination each time; the guest's counter and memory are checked after every hop, and each hop's times and bytes are recorded.");
	igt_subtest("plain-vm-ping-pong")
		ping_pong();

	igt_describe("migrate_cancel while RAM is moving: the migration ends cancelled, the source runs on with its guest intact and migrates fine afterwards.");
	igt_subtest("cancel")
		cancel();

	igt_describe("Destinations with another machine type, RAM size or device set refuse the stream with QEMU's error; the source resumes with its guest intact; a matching destination then takes it.");
	igt_subtest_with_dynamic("destination-refuses")
		destination_refuses();

	igt_describe("The guest's payload (IGT on a lab, the project's self-test here) runs round after round while the VM is migrated; any failed command, kernel log line that matters (wedged, GuC error, reset, WARN/BUG/oops) or tick discontinuity fails it.");
	igt_subtest("payload-loop")
		payload_loop();

	igt_fixture() {
		vm_loop_stop(&t.loop);
		if (t.metrics)
			fclose(t.metrics);
	}
}
