// SPDX-License-Identifier: MIT
/*
 * lib/qemu_vm_args.c and the marker parsing of lib/qemu_vm_stale.c: the
 * command line a migration-loop VM gets, the paths it names, and which
 * /proc cmdlines count as ours; no QEMU needed. Then lib/qemu_vm.c with a
 * real QEMU running no guest (-S: never started), skipped without one: start,
 * QEMU's own error when it refuses its command line, kill, leftovers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qemu_vm.h"

/* The argument after @opt, or NULL. */
static const char *after(char **argv, const char *opt)
{
	for (char **p = argv; *p; p++)
		if (!strcmp(*p, opt))
			return p[1];
	return NULL;
}

static int count(char **argv, const char *arg)
{
	int n = 0;

	for (char **p = argv; *p; p++)
		n += !strcmp(*p, arg);
	return n;
}

static void base(struct qemu_vm_config *c)
{
	memset(c, 0, sizeof(*c));
	c->name = "pp.vm0";
	c->sock_dir = "/tmp/x";
	c->log_dir = "/results/vm-logs";
	c->kernel = "/boot/vmlinuz";
	c->initrd = "/b/guest.cpio.gz";
	c->append = "console=ttyS0 quiet";
}

static void test_source_defaults(void **state)
{
	struct qemu_vm_config c;
	struct qemu_vm vm = { 0 };
	char **argv;

	base(&c);
	assert_int_equal(qemu_vm_paths(&vm, &c, 4242), 0);
	assert_string_equal(vm.name, "xemt-vm.4242.pp.vm0");
	assert_string_equal(vm.qmp_path, "/tmp/x/pp.vm0.qmp");
	assert_string_equal(vm.serial_log, "/results/vm-logs/pp.vm0.serial.log");
	assert_string_equal(vm.stderr_log, "/results/vm-logs/pp.vm0.qemu.log");
	argv = qemu_vm_argv(&c, &vm);
	assert_non_null(argv);
	assert_string_equal(argv[0], "qemu-system-x86_64");
	assert_string_equal(after(argv, "-name"), "xemt-vm.4242.pp.vm0");
	assert_string_equal(after(argv, "-machine"), "q35");
	assert_string_equal(after(argv, "-accel"), "tcg");
	assert_string_equal(after(argv, "-cpu"), "max");
	assert_string_equal(after(argv, "-m"), "128");
	assert_string_equal(after(argv, "-smp"), "1");
	assert_string_equal(after(argv, "-display"), "none");
	assert_int_equal(count(argv, "-nodefaults"), 1);
	assert_int_equal(count(argv, "-no-reboot"), 1);
	assert_string_equal(after(argv, "-chardev"),
			    "file,id=serial0,path=/results/vm-logs/pp.vm0.serial.log");
	assert_string_equal(after(argv, "-serial"), "chardev:serial0");
	assert_string_equal(after(argv, "-qmp"), "unix:/tmp/x/pp.vm0.qmp,server=on,wait=off");
	assert_string_equal(after(argv, "-kernel"), "/boot/vmlinuz");
	assert_string_equal(after(argv, "-initrd"), "/b/guest.cpio.gz");
	assert_string_equal(after(argv, "-append"), "console=ttyS0 quiet");
	assert_null(after(argv, "-incoming"));
	assert_null(after(argv, "-device"));
	qemu_vm_argv_free(argv);
}

static void test_destination_with_vfio(void **state)
{
	struct qemu_vm_config c;
	struct qemu_vm vm = { 0 };
	char **argv;

	base(&c);
	c.incoming = true;
	c.machine = "pc";
	c.mem_mb = 256;
	c.accel = "kvm";
	c.vfio = "0000:4d:00.1";
	c.extra[0] = "-device";
	c.extra[1] = "virtio-rng-pci";
	assert_int_equal(qemu_vm_paths(&vm, &c, 1), 0);
	argv = qemu_vm_argv(&c, &vm);
	assert_string_equal(after(argv, "-incoming"), "defer");
	assert_string_equal(after(argv, "-machine"), "pc");
	assert_string_equal(after(argv, "-m"), "256");
	assert_string_equal(after(argv, "-accel"), "kvm");
	/* A PCI address is a host VF; the extra device comes after it. */
	assert_string_equal(after(argv, "-device"),
			    "vfio-pci,host=0000:4d:00.1,enable-migration=on");
	assert_int_equal(count(argv, "virtio-rng-pci"), 1);
	qemu_vm_argv_free(argv);

	/* A path is an mdev (the sim's VFs): sysfsdev=. */
	c.vfio = "/sys/bus/mdev/devices/0b8e2c3c-1b1f-4c0e-9d4e-5f7a0c2b6a11";
	argv = qemu_vm_argv(&c, &vm);
	assert_string_equal(after(argv, "-device"),
			    "vfio-pci,sysfsdev=/sys/bus/mdev/devices/0b8e2c3c-1b1f-4c0e-9d4e-5f7a0c2b6a11,enable-migration=on");
	qemu_vm_argv_free(argv);
}

static void test_bad_paths(void **state)
{
	struct qemu_vm_config c;
	struct qemu_vm vm = { 0 };
	char longdir[200];

	base(&c);
	c.sock_dir = "/tmp/a,b";	/* would split QEMU's -qmp option */
	assert_int_equal(qemu_vm_paths(&vm, &c, 1), -EINVAL);
	base(&c);
	c.name = "a/b";
	assert_int_equal(qemu_vm_paths(&vm, &c, 1), -EINVAL);
	base(&c);
	c.vfio = "0000:00:02.0,x-foo=on";
	assert_int_equal(qemu_vm_paths(&vm, &c, 1), -EINVAL);
	base(&c);
	memset(longdir, 'd', sizeof(longdir) - 1);
	longdir[0] = '/';
	longdir[sizeof(longdir) - 1] = '\0';
	c.sock_dir = longdir;		/* beyond sun_path */
	assert_int_equal(qemu_vm_paths(&vm, &c, 1), -ENAMETOOLONG);
}

#define CMDLINE(s) s, sizeof(s)

static void test_cmdline_owner(void **state)
{
	assert_int_equal(qemu_vm_cmdline_owner(CMDLINE(
		"qemu-system-x86_64\0-name\0xemt-vm.1234.pp.vm0\0-machine\0q35")), 1234);
	assert_int_equal(qemu_vm_cmdline_owner(CMDLINE(
		"/usr/bin/qemu-system-x86_64\0-S\0-name\0xemt-vm.77.x")), 77);
	/* Not ours: no marker, the marker not after -name, not QEMU at all. */
	assert_int_equal(qemu_vm_cmdline_owner(CMDLINE(
		"qemu-system-x86_64\0-machine\0q35\0-serial\0stdio")), 0);
	assert_int_equal(qemu_vm_cmdline_owner(CMDLINE(
		"qemu-system-x86_64\0-append\0xemt-vm.1234.x")), 0);
	assert_int_equal(qemu_vm_cmdline_owner(CMDLINE(
		"sleep\0-name\0xemt-vm.1234.x")), 0);
	assert_int_equal(qemu_vm_cmdline_owner(CMDLINE(
		"qemu-system-x86_64\0-name\0xemt-vm.x")), 0);
	assert_int_equal(qemu_vm_cmdline_owner("", 0), 0);
}

static bool have_qemu(void)
{
	return !system("qemu-system-x86_64 --version >/dev/null 2>&1");
}

static void live_config(struct qemu_vm_config *c, char *dir)
{
	memset(c, 0, sizeof(*c));
	c->name = "unit";
	c->sock_dir = dir;
	c->extra[0] = "-S";	/* a machine that never runs: cheap */
}

static void test_start_kill(void **state)
{
	char dir[] = "/tmp/test_qemu_vm.XXXXXX";
	struct qemu_vm_config c;
	struct qemu_vm vm;
	char status[32];
	pid_t pid;

	if (!have_qemu())
		skip();
	assert_non_null(mkdtemp(dir));
	live_config(&c, dir);
	if (qemu_vm_start(&vm, &c, 10000))
		fail_msg("%s", vm.error);
	assert_true(vm.connected);
	assert_true(qemu_vm_alive(&vm));
	assert_int_equal(qemu_vm_status(&vm, status, sizeof(status)), 0);
	assert_string_equal(status, "prelaunch");
	pid = vm.pid;
	/* Its own process group, so kill(-pid) reaches all of it. */
	assert_int_equal(getpgid(pid), pid);
	qemu_vm_kill(&vm);
	assert_int_equal(vm.pid, 0);
	assert_false(vm.connected);
	assert_int_equal(kill(pid, 0), -1);
	qemu_vm_kill(&vm);		/* idempotent */
	assert_int_equal(qemu_vm_status(&vm, status, sizeof(status)), -ENOTCONN);
	unlink(vm.serial_log);
	unlink(vm.stderr_log);
	rmdir(dir);
}

static void test_refused_command_line(void **state)
{
	char dir[] = "/tmp/test_qemu_vm.XXXXXX";
	struct qemu_vm_config c;
	struct qemu_vm vm;

	if (!have_qemu())
		skip();
	assert_non_null(mkdtemp(dir));
	live_config(&c, dir);
	c.machine = "no-such-machine";
	assert_int_equal(qemu_vm_start(&vm, &c, 10000), -ECHILD);
	/* QEMU's own words, not only ours. */
	assert_non_null(strstr(vm.error, "no-such-machine"));
	assert_int_equal(vm.pid, 0);
	unlink(vm.serial_log);
	unlink(vm.stderr_log);
	rmdir(dir);
}

static void test_kill_all_and_stale(void **state)
{
	char dir[] = "/tmp/test_qemu_vm.XXXXXX";
	struct qemu_vm_config c;
	struct qemu_vm vm;
	pid_t pid;

	if (!have_qemu())
		skip();
	assert_non_null(mkdtemp(dir));
	live_config(&c, dir);
	if (qemu_vm_start(&vm, &c, 10000))
		fail_msg("%s", vm.error);
	pid = vm.pid;
	/* Ours and alive: its parent is its owner, so it is not stale. */
	assert_int_equal(qemu_vm_reap_stale(), 0);
	assert_int_equal(kill(pid, 0), 0);
	qemu_vm_kill_all();
	assert_int_equal(kill(pid, 0), -1);
	qemu_vm_kill(&vm);
	unlink(vm.serial_log);
	unlink(vm.stderr_log);
	rmdir(dir);
}

/*
 * A process that looks like a VM of a run that died: named
 * qemu-system-x86_64 (exec's argv[0]), "-name xemt-vm.<dead pid>.unit" in
 * its command line, a child of this process but not of its owner. Its
 * pid, once the exec is done (the close-on-exec pipe closes).
 */
static pid_t start_fake_orphan(pid_t owner)
{
	char marker[64];
	int p[2], c;
	pid_t pid;

	snprintf(marker, sizeof(marker), QEMU_VM_MARKER "%d.unit", (int)owner);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		setpgid(0, 0);
		execl("/bin/sh", "qemu-system-x86_64", "-c", "while :; do sleep 1; done",
		      "-name", marker, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (read(p[0], &c, 1) < 0 && errno == EINTR)
		;
	close(p[0]);
	return pid;
}

static void test_stale_found_and_ended(void **state)
{
	pid_t dead, orphan, mine;
	int status;

	/* A pid that was a harness and is gone. */
	dead = fork();
	assert_true(dead >= 0);
	if (!dead)
		_exit(0);
	assert_int_equal(waitpid(dead, &status, 0), dead);
	orphan = start_fake_orphan(dead);
	/* The same marker naming its live parent (this process): not stale. */
	mine = start_fake_orphan(getpid());
	/* Other crashed runs' leftovers on this machine count too. */
	assert_true(qemu_vm_reap_stale() >= 1);
	assert_int_equal(waitpid(orphan, &status, 0), orphan);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_int_equal(kill(mine, 0), 0);
	assert_int_equal(waitpid(mine, &status, WNOHANG), 0);
	kill(-mine, SIGKILL);
	waitpid(mine, &status, 0);
}

/* Socket dirs of dead pids go, a live pid's stay, other names are not ours. */
static void test_sweep_dead_dirs(void **state)
{
	char tmp[] = "/tmp/xemt-unit-sweep.XXXXXX", path[256];
	pid_t dead = fork();

	(void)state;
	assert_true(dead >= 0);
	if (!dead)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	assert_non_null(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/xemt-qvf.%d.abc", tmp, (int)dead);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/xemt-qvf.%d.abc/qvf0.qmp", tmp, (int)dead);
	assert_int_equal(close(open(path, O_CREAT | O_WRONLY, 0600)), 0);
	snprintf(path, sizeof(path), "%s/xemt-vm.%d.def", tmp, (int)getpid());
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/other.%d.ghi", tmp, (int)dead);
	assert_int_equal(mkdir(path, 0700), 0);

	assert_int_equal(qemu_vm_sweep_dead_dirs(tmp), 1);
	snprintf(path, sizeof(path), "%s/xemt-qvf.%d.abc", tmp, (int)dead);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/xemt-vm.%d.def", tmp, (int)getpid());
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/other.%d.ghi", tmp, (int)dead);
	assert_int_equal(access(path, F_OK), 0);
	qemu_vm_remove_dir(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_defaults),
		cmocka_unit_test(test_destination_with_vfio),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_cmdline_owner),
		cmocka_unit_test(test_start_kill),
		cmocka_unit_test(test_refused_command_line),
		cmocka_unit_test(test_kill_all_and_stale),
		cmocka_unit_test(test_stale_found_and_ended),
		cmocka_unit_test(test_sweep_dead_dirs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
