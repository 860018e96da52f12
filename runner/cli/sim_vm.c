// SPDX-License-Identifier: MIT
/*
 * Boots the sim VM and runs one command in it.
 *
 * The host leaves the command in a control directory shared over 9p; the
 * VM's /init (runner/vm/init) runs it and prints markers on the serial
 * console, which arrives here through QEMU's stdout:
 *
 *   @@XEMT-START uptime=<s>                    command starts
 *   @@XEMT-EXIT rc=<n> taint=<mask> uptime=<s> command returned
 *   @@XEMT-FATAL <why>                         /init gave up
 *
 * Anything else on the console is kernel output (quiet: warnings and worse)
 * or the command's own output, echoed unless the config says quiet.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qemu_vm.h"
#include "sim_vm.h"

/* Taint bits expected from an out-of-tree module: O (12) and E (13). */
#define TAINT_EXPECTED ((1UL << 12) | (1UL << 13))

struct console {
	FILE *log;
	bool echo;
	bool running;		/* between START and EXIT */
	double t0, t_start, t_exit;
	char line[4096];
	size_t len;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

/* The command as a shell script, every argument single-quoted. */
static int write_command(const char *dir, char *const argv[])
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cmd.sh", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs("exec", f);
	for (; *argv; argv++) {
		fputs(" '", f);
		for (const char *c = *argv; *c; c++) {
			if (*c == '\'')
				fputs("'\\''", f);
			else
				fputc(*c, f);
		}
		fputc('\'', f);
	}
	fputc('\n', f);
	return fclose(f) ? -errno : 0;
}

/* 9p share paths go into -virtfs and the kernel command line unescaped. */
static bool path_ok(const char *p)
{
	return p && p[0] == '/' && !strpbrk(p, " ,\t\n\"'");
}

static void build_qemu_argv(const struct sim_vm_config *cfg, const char *ctl,
			    char bufs[][4096], const char **av)
{
	int n = 0, b = 0;

	av[n++] = "qemu-system-x86_64";
	av[n++] = "-machine";
	av[n++] = "q35";
	if (qemu_vm_kvm_usable()) {
		av[n++] = "-accel";
		av[n++] = "kvm";
		av[n++] = "-cpu";
		av[n++] = "host";
	} else {
		av[n++] = "-accel";
		av[n++] = "tcg,thread=multi";
		av[n++] = "-cpu";
		av[n++] = cfg->cpu_model ? cfg->cpu_model : "max";
	}
	snprintf(bufs[b], 4096, "%u", cfg->mem_mb);
	av[n++] = "-m";
	av[n++] = bufs[b++];
	snprintf(bufs[b], 4096, "%u", cfg->cpus);
	av[n++] = "-smp";
	av[n++] = bufs[b++];
	av[n++] = "-nodefaults";
	av[n++] = "-no-reboot";
	av[n++] = "-display";
	av[n++] = "none";
	av[n++] = "-monitor";
	av[n++] = "none";
	av[n++] = "-serial";
	av[n++] = "stdio";
	av[n++] = "-kernel";
	av[n++] = cfg->kernel;
	av[n++] = "-initrd";
	av[n++] = cfg->initrd;
	snprintf(bufs[b], 4096,
		 "console=ttyS0 quiet panic=-1 xemt.root=%s xemt.results=%s",
		 cfg->root, cfg->results ? cfg->results : "");
	av[n++] = "-append";
	av[n++] = bufs[b++];
	snprintf(bufs[b], 4096,
		 "local,path=%s,mount_tag=src,security_model=none,readonly=on",
		 cfg->root);
	av[n++] = "-virtfs";
	av[n++] = bufs[b++];
	snprintf(bufs[b], 4096, "local,path=%s,mount_tag=ctl,security_model=none",
		 ctl);
	av[n++] = "-virtfs";
	av[n++] = bufs[b++];
	if (cfg->results) {
		snprintf(bufs[b], 4096,
			 "local,path=%s,mount_tag=results,security_model=none",
			 cfg->results);
		av[n++] = "-virtfs";
		av[n++] = bufs[b++];
	}
	av[n] = NULL;
}

static pid_t spawn_qemu(const char *const *av, int *out_fd)
{
	int pipefd[2];
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, STDIN_FILENO);
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		setpgid(0, 0);
		/* The VM never outlives the harness, however it ends. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(127);
		execvp(av[0], (char *const *)av);
		fprintf(stderr, "@@XEMT-FATAL cannot exec %s: %s\n", av[0],
			strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	*out_fd = pipefd[0];
	return pid;
}

static void parse_marker(struct console *c, const char *l,
			 struct sim_vm_report *rep)
{
	double up;

	if (sscanf(l, "@@XEMT-START uptime=%lf", &up) == 1) {
		c->running = true;
		c->t_start = now_s();
		rep->guest_boot_s = up;
		rep->boot_s = c->t_start - c->t0;
	} else if (sscanf(l, "@@XEMT-EXIT rc=%d taint=%lu", &rep->status,
			  &rep->taint) == 2) {
		c->running = false;
		c->t_exit = now_s();
		rep->outcome = SIM_VM_EXITED;
		rep->cmd_s = c->t_exit - c->t_start;
	} else if (!strncmp(l, "@@XEMT-FATAL ", 13)) {
		rep->outcome = SIM_VM_BOOT_FAILED;
		snprintf(rep->detail, sizeof(rep->detail), "%.900s", l + 13);
	}
}

/*
 * The message of a kernel console line ("[    2.686078] msg"), or NULL for
 * lines the command printed: a test's "DEBUG: " must not read as "BUG: ".
 */
static const char *kernel_msg(const char *l)
{
	int n = 0;
	double ts;

	if (sscanf(l, "[%lf]%n", &ts, &n) != 1 || !n || l[n] != ' ')
		return NULL;
	return l + n + 1;
}

static void scan_kernel_line(const char *l, struct sim_vm_report *rep)
{
	const char *msg = kernel_msg(l);

	if (!msg)
		return;
	if (!strncmp(msg, "Kernel panic - not syncing", 26)) {
		rep->outcome = SIM_VM_PANIC;
		snprintf(rep->detail, sizeof(rep->detail), "%.900s", msg);
	}
	if (!strncmp(msg, "Oops: ", 6) || !strncmp(msg, "BUG: ", 5))
		rep->oops = true;
	if (!strncmp(msg, "WARNING: CPU:", 13))
		rep->warn = true;
}

static void console_line(struct console *c, struct sim_vm_report *rep)
{
	char *l = c->line;

	c->line[c->len] = '\0';
	c->len = 0;
	if (l[0] && l[strlen(l) - 1] == '\r')
		l[strlen(l) - 1] = '\0';
	if (c->log)
		fprintf(c->log, "%s\n", l);
	if (!strncmp(l, "@@XEMT-", 7)) {
		parse_marker(c, l, rep);
		return;
	}
	scan_kernel_line(l, rep);
	if (c->echo && c->running)
		printf("%s\n", l);
}

static void console_feed(struct console *c, const char *buf, ssize_t n,
			 struct sim_vm_report *rep)
{
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || c->len == sizeof(c->line) - 1)
			console_line(c, rep);
		if (buf[i] != '\n')
			c->line[c->len++] = buf[i];
	}
}

/* Reads the console until QEMU closes it or the deadline passes. */
static void watch_console(int fd, struct console *c, double deadline,
			  struct sim_vm_report *rep)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[8192];
	ssize_t n;

	for (;;) {
		double left = deadline - now_s();

		if (left <= 0) {
			rep->outcome = SIM_VM_TIMEOUT;
			return;
		}
		if (poll(&pfd, 1, left > 1 ? 1000 : (int)(left * 1000) + 1) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		console_feed(c, buf, n, rep);
		fflush(stdout);
	}
	if (c->len)
		console_line(c, rep);
}

static int prepare_ctl(const struct sim_vm_config *cfg, char *const argv[],
		       char *ctl, size_t size)
{
	int err;

	snprintf(ctl, size, "%s/ctl.XXXXXX", cfg->workdir);
	if (!mkdtemp(ctl))
		return -errno;
	err = write_command(ctl, argv);
	if (!err)
		err = write_file(ctl, "modparams",
				 cfg->modparams ? cfg->modparams : "");
	return err;
}

static void remove_ctl(const char *ctl)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/cmd.sh", ctl);
	unlink(path);
	snprintf(path, sizeof(path), "%s/modparams", ctl);
	unlink(path);
	rmdir(ctl);
}

static const char *bad_path(const struct sim_vm_config *cfg)
{
	if (!path_ok(cfg->root))
		return cfg->root ? cfg->root : "(no project root)";
	if (cfg->results && !path_ok(cfg->results))
		return cfg->results;
	if (!path_ok(cfg->workdir))
		return cfg->workdir ? cfg->workdir : "(no work dir)";
	return NULL;
}

static int check_config(const struct sim_vm_config *cfg,
			struct sim_vm_report *rep)
{
	const char *bad = bad_path(cfg);

	if (bad) {
		snprintf(rep->detail, sizeof(rep->detail),
			 "path '%.512s' must be absolute, without spaces or commas",
			 bad);
		return -EINVAL;
	}
	if (!cfg->kernel || !cfg->initrd || access(cfg->kernel, R_OK) ||
	    access(cfg->initrd, R_OK)) {
		snprintf(rep->detail, sizeof(rep->detail),
			 "kernel '%.300s' or initramfs '%.300s' not readable (run ./xe-migtest build)",
			 cfg->kernel ? cfg->kernel : "", cfg->initrd ? cfg->initrd : "");
		return -ENOENT;
	}
	return 0;
}

static void stop_qemu(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

/**
 * sim_vm_run - boot the sim VM, run @argv in it, fill @rep
 *
 * Returns 0 when the VM ran (whatever its outcome, see @rep), -errno when
 * it could not be started.
 */
int sim_vm_run(const struct sim_vm_config *cfg, char *const argv[],
	       struct sim_vm_report *rep)
{
	struct console con = { .echo = !cfg->quiet };
	const char *av[64];
	char bufs[8][4096];
	char ctl[4096];
	int fd, wstatus, err;
	pid_t pid;

	memset(rep, 0, sizeof(*rep));
	rep->outcome = SIM_VM_ERROR;
	err = check_config(cfg, rep);
	if (err)
		return err;
	err = prepare_ctl(cfg, argv, ctl, sizeof(ctl));
	if (err) {
		snprintf(rep->detail, sizeof(rep->detail),
			 "cannot prepare %.512s: %s", ctl, strerror(-err));
		return err;
	}
	build_qemu_argv(cfg, ctl, bufs, av);
	con.log = cfg->console_log ? fopen(cfg->console_log, "w") : NULL;
	con.t0 = now_s();
	pid = spawn_qemu(av, &fd);
	if (pid < 0) {
		err = -errno;
		snprintf(rep->detail, sizeof(rep->detail), "fork: %s",
			 strerror(errno));
		goto out;
	}
	rep->outcome = SIM_VM_LOST;
	watch_console(fd, &con, con.t0 + cfg->timeout_s, rep);
	if (rep->outcome == SIM_VM_TIMEOUT)
		snprintf(rep->detail, sizeof(rep->detail),
			 "no exit after %u s: VM hung or too slow",
			 cfg->timeout_s);
	stop_qemu(pid);
	waitpid(pid, &wstatus, 0);
	close(fd);
	rep->total_s = now_s() - con.t0;
out:
	if (con.log)
		fclose(con.log);
	remove_ctl(ctl);
	return err;
}

unsigned long sim_vm_fatal_taint(const struct sim_vm_report *rep)
{
	return rep->taint & ~TAINT_EXPECTED;
}

/**
 * sim_vm_clean - the command ran to its end on a healthy kernel
 */
bool sim_vm_clean(const struct sim_vm_report *rep)
{
	return rep->outcome == SIM_VM_EXITED && !rep->oops && !rep->warn &&
	       !sim_vm_fatal_taint(rep);
}

static const char *outcome_name(enum sim_vm_outcome o)
{
	switch (o) {
	case SIM_VM_EXITED:
		return "exited";
	case SIM_VM_TIMEOUT:
		return "TIMEOUT (hang)";
	case SIM_VM_PANIC:
		return "KERNEL PANIC";
	case SIM_VM_BOOT_FAILED:
		return "BOOT FAILED";
	case SIM_VM_LOST:
		return "VM DIED without exit marker";
	case SIM_VM_ERROR:
		break;
	}
	return "ERROR";
}

void sim_vm_report_print(FILE *f, const struct sim_vm_report *rep)
{
	fprintf(f, "sim-vm: %s", outcome_name(rep->outcome));
	if (rep->outcome == SIM_VM_EXITED)
		fprintf(f, ", status %d", rep->status);
	fprintf(f, "; boot-to-command %.2fs (guest uptime %.2fs), command %.2fs, total %.2fs\n",
		rep->boot_s, rep->guest_boot_s, rep->cmd_s, rep->total_s);
	if (rep->detail[0])
		fprintf(f, "sim-vm: %s\n", rep->detail);
	if (rep->oops)
		fprintf(f, "sim-vm: kernel OOPS/BUG on the console\n");
	if (rep->warn)
		fprintf(f, "sim-vm: kernel WARNING on the console\n");
	if (sim_vm_fatal_taint(rep))
		fprintf(f, "sim-vm: kernel TAINTED 0x%lx (beyond out-of-tree/unsigned)\n",
			rep->taint);
}
