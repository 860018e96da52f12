// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The guest agent of the migration loop: PID 1's only job in the tiny
 * initramfs guest (runner/vm/mkguest.sh). It gives the harness two things
 * to check on the destination after every hop:
 *
 *   continuity  a tick counter in guest RAM, printed every period: it must
 *               never go back or restart after a migration;
 *   memory      a buffer filled from a seed, rewritten one chunk per tick
 *               (so RAM is dirtied while it migrates and the dirty pages
 *               must be sent again) and verified a slice per tick; one
 *               wrong word makes every later line say mem=BAD.
 *
 * and, on a lab guest, a third:
 *
 *   payload     with xemt.payload=1, the command list /payload/commands
 *               (runner/vm/mkguest.sh --payload: IGT binaries on a lab
 *               guest, workloads/payload/ here) run in a loop by a child
 *               process, each command's exit status and duration reported;
 *   kernel log  a second child reads /dev/kmsg from the start and reports
 *               the lines that matter (xe wedged, GuC errors, GT and
 *               engine resets, WARN/BUG/oops, the OOM killer).
 *
 * Output on stdout (the serial console), one write(2) per line so the
 * three processes' lines never mix (lib/agent_log.h parses them):
 *
 *   XEMT-AGENT start seed=<hex> mib=<n> chunks=<n>
 *   XEMT-AGENT tick=<n> mem=ok|BAD passes=<full verifications done>
 *   XEMT-AGENT payload cmds=<n> iterations=<n, 0: forever>
 *   XEMT-AGENT out iter=<i> cmd=<k> : <a line of a failed command's output>
 *   XEMT-AGENT run iter=<i> cmd=<k> status=<exit> ms=<duration> : <command>
 *   XEMT-AGENT round=<i> fails=<n> ms=<duration>
 *   XEMT-AGENT payload-died status=<wait status>
 *   XEMT-AGENT kmsg kind=<wedged|guc|reset|warn|bug|oops|oom> pri=<n> : <text>
 *
 * status is the exit code, 128 + N for signal N, 124 for a command killed
 * after xemt.payload_timeout_s (default 600) and 127 for one that does not
 * run. Settings come from the kernel command line (xemt.seed=, xemt.mib=,
 * xemt.period_ms=, xemt.payload=, xemt.payload_iters=,
 * xemt.payload_timeout_s=), since a bare initramfs has nowhere else to
 * put them. Built static: the guest has no shared libraries.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK_BYTES	(256u << 10)
#define CHUNK_WORDS	(CHUNK_BYTES / sizeof(uint64_t))
#define MAX_CHUNKS	4096
#define PAYLOAD_DIR	"/payload"
#define PAYLOAD_LIST	PAYLOAD_DIR "/commands"
#define PAYLOAD_OUT	"/tmp/payload.out"
#define MAX_CMDS	64
#define OUT_TAIL_LINES	8

struct agent {
	uint64_t seed;
	unsigned int mib;
	unsigned int period_ms;
	unsigned int nchunks;
	unsigned int verify_per_tick;	/* chunks checked each tick */
	uint64_t *mem;
	/* Generation of each chunk: part of the pattern, and in guest RAM too. */
	uint32_t gen[MAX_CHUNKS];
	uint64_t tick;
	uint64_t passes;		/* full verifications of the buffer */
	unsigned int cursor;		/* next chunk to verify */
	bool bad;
	unsigned int bad_chunk;
	size_t bad_word;
};

/* splitmix64's finaliser: every word differs, cheap enough for TCG. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t chunk_base(const struct agent *a, unsigned int c)
{
	return a->seed ^ ((uint64_t)c << 44) ^ ((uint64_t)a->gen[c] << 24);
}

static void fill_chunk(struct agent *a, unsigned int c)
{
	uint64_t *w = a->mem + (size_t)c * CHUNK_WORDS;
	uint64_t base = chunk_base(a, c);

	for (size_t i = 0; i < CHUNK_WORDS; i++)
		w[i] = mix(base + i);
}

static void verify_chunk(struct agent *a, unsigned int c)
{
	const uint64_t *w = a->mem + (size_t)c * CHUNK_WORDS;
	uint64_t base = chunk_base(a, c);

	for (size_t i = 0; i < CHUNK_WORDS; i++) {
		if (w[i] != mix(base + i) && !a->bad) {
			a->bad = true;
			a->bad_chunk = c;
			a->bad_word = i;
		}
	}
}

/* The value of key=... on the kernel command line, or def. */
static uint64_t cmdline_u64(const char *key, uint64_t def)
{
	static char line[4096];
	static bool loaded;
	char pat[64];
	const char *p;

	if (!loaded) {
		FILE *f = fopen("/proc/cmdline", "r");

		/* A leading space: every key, the first too, follows one. */
		line[0] = ' ';
		if (f) {
			if (!fgets(line + 1, sizeof(line) - 1, f))
				line[1] = '\0';
			fclose(f);
		}
		loaded = true;
	}
	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	return p ? strtoull(p + strlen(pat), NULL, 0) : def;
}

static int setup(struct agent *a)
{
	size_t bytes;

	a->seed = cmdline_u64("xemt.seed", 0x5eed);
	a->mib = cmdline_u64("xemt.mib", 32);
	a->period_ms = cmdline_u64("xemt.period_ms", 100);
	a->nchunks = ((size_t)a->mib << 20) / CHUNK_BYTES;
	if (!a->nchunks || a->nchunks > MAX_CHUNKS || !a->period_ms)
		return -EINVAL;
	/* The whole buffer is checked about every 8 ticks. */
	a->verify_per_tick = (a->nchunks + 7) / 8;
	bytes = (size_t)a->nchunks * CHUNK_BYTES;
	a->mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (a->mem == MAP_FAILED)
		return -errno;
	for (unsigned int c = 0; c < a->nchunks; c++)
		fill_chunk(a, c);
	return 0;
}

static void one_tick(struct agent *a)
{
	unsigned int w = a->tick % a->nchunks;

	a->tick++;
	a->gen[w]++;
	fill_chunk(a, w);
	for (unsigned int i = 0; i < a->verify_per_tick; i++) {
		verify_chunk(a, a->cursor);
		if (++a->cursor == a->nchunks) {
			a->cursor = 0;
			a->passes++;
		}
	}
}

/* One console line in one write(2): lines of the three processes never mix. */
static void say(const char *fmt, ...)
{
	char line[600];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	while (write(STDOUT_FILENO, line, n) < 0 && errno == EINTR)
		;
}

static void report(const struct agent *a)
{
	if (a->bad)
		say("XEMT-AGENT tick=%" PRIu64 " mem=BAD passes=%" PRIu64 " chunk=%u word=%zu",
		    a->tick, a->passes, a->bad_chunk, a->bad_word);
	else
		say("XEMT-AGENT tick=%" PRIu64 " mem=ok passes=%" PRIu64, a->tick, a->passes);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* The last lines of a failed command's output, for the host's verdict. */
static void say_output_tail(unsigned int iter, unsigned int k)
{
	char buf[2048], *lines[OUT_TAIL_LINES], *p;
	int fd = open(PAYLOAD_OUT, O_RDONLY | O_CLOEXEC);
	unsigned int n = 0;
	off_t size;
	ssize_t got;

	if (fd < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	if (size > (off_t)sizeof(buf) - 1)
		lseek(fd, size - (off_t)sizeof(buf) + 1, SEEK_SET);
	else
		lseek(fd, 0, SEEK_SET);
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return;
	buf[got] = '\0';
	/* Keep the last OUT_TAIL_LINES non-empty lines, in order. */
	for (p = strtok(buf, "\r\n"); p; p = strtok(NULL, "\r\n")) {
		if (n == OUT_TAIL_LINES) {
			memmove(lines, lines + 1, sizeof(lines[0]) * (OUT_TAIL_LINES - 1));
			n--;
		}
		lines[n++] = p;
	}
	for (unsigned int i = 0; i < n; i++)
		say("XEMT-AGENT out iter=%u cmd=%u : %.400s", iter, k, lines[i]);
}

/* Run one command of the list: its exit status as a shell reports it. */
static int run_command(const char *cmd, unsigned int iter, unsigned int k,
		       unsigned int timeout_s)
{
	uint64_t deadline = now_ms() + timeout_s * 1000ULL;
	char num[16];
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 127;
	if (!pid) {
		int fd = open(PAYLOAD_OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		setpgid(0, 0);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		if (chdir(PAYLOAD_DIR))
			_exit(127);
		snprintf(num, sizeof(num), "%u", iter);
		setenv("XEMT_ITER", num, 1);
		snprintf(num, sizeof(num), "%u", k);
		setenv("XEMT_CMD", num, 1);
		setenv("PATH", PAYLOAD_DIR ":/bin", 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0)
			return 127;
		if (now_ms() >= deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 124;
		}
		sleep_ms(20);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* The payload loop (a child of PID 1): the command list, round after round. */
static void payload_loop(void)
{
	static char cmds[MAX_CMDS][256];
	unsigned int ncmds = 0, iters = cmdline_u64("xemt.payload_iters", 0);
	unsigned int timeout_s = cmdline_u64("xemt.payload_timeout_s", 600);
	FILE *f = fopen(PAYLOAD_LIST, "r");
	char line[256];

	while (f && ncmds < MAX_CMDS && fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " \t");

		p[strcspn(p, "\r\n")] = '\0';
		if (*p && *p != '#')
			snprintf(cmds[ncmds++], sizeof(cmds[0]), "%s", p);
	}
	if (f)
		fclose(f);
	say("XEMT-AGENT payload cmds=%u iterations=%u", ncmds, iters);
	if (!ncmds)
		_exit(0);
	for (unsigned int iter = 1; !iters || iter <= iters; iter++) {
		uint64_t t0 = now_ms();
		unsigned int fails = 0;

		for (unsigned int k = 0; k < ncmds; k++) {
			uint64_t c0 = now_ms();
			int status = run_command(cmds[k], iter, k, timeout_s);

			uint64_t ms = now_ms() - c0;

			/* The output first: whoever reads the run line has it all. */
			if (status) {
				say_output_tail(iter, k);
				fails++;
			}
			say("XEMT-AGENT run iter=%u cmd=%u status=%d ms=%" PRIu64 " : %s",
			    iter, k, status, ms, cmds[k]);
		}
		say("XEMT-AGENT round=%u fails=%u ms=%" PRIu64, iter, fails, now_ms() - t0);
	}
	_exit(0);
}

/* Which kind of kernel line matters, or NULL (see lib/agent_log.h). */
static const char *kmsg_kind(int level, const char *text)
{
	if (strstr(text, "as wedged") || strstr(text, "wedged."))
		return "wedged";
	if (strstr(text, "reset started") || strstr(text, "reset queued") ||
	    strstr(text, "Engine reset") || strstr(text, "Timedout job"))
		return "reset";
	if (strstr(text, "GuC") && level <= 3)
		return "guc";
	if (strstr(text, "WARNING:") || strstr(text, "cut here"))
		return "warn";
	if (strstr(text, "BUG:") || strstr(text, "kernel BUG"))
		return "bug";
	if (strstr(text, "Oops") || strstr(text, "general protection fault") ||
	    strstr(text, "Kernel panic"))
		return "oops";
	if (strstr(text, "Out of memory"))
		return "oom";
	return NULL;
}

/* The kernel log watcher (a child of PID 1): every record from boot on. */
static void kmsg_loop(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC);
	char rec[8192];

	if (fd < 0) {
		say("XEMT-AGENT kmsg-unavailable errno=%d", errno);
		_exit(0);
	}
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		unsigned int pri;
		const char *kind;
		char *text, *nl;

		if (n < 0) {
			/* EPIPE: records overwritten before we read them; go on. */
			if (errno == EPIPE || errno == EINTR)
				continue;
			_exit(0);
		}
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text || sscanf(rec, "%u", &pri) != 1)
			continue;
		text++;
		nl = strchr(text, '\n');	/* dictionary lines follow */
		if (nl)
			*nl = '\0';
		kind = kmsg_kind(pri & 7, text);
		if (kind)
			say("XEMT-AGENT kmsg kind=%s pri=%u : %.400s", kind, pri & 7, text);
	}
}

/*
 * A child for @fn. It drops the agent's buffer first: a child mapping it
 * would make every chunk the agent rewrites a copy-on-write copy, doubling
 * the buffer in guest RAM, and would look like the biggest process to the
 * OOM killer.
 */
static pid_t spawn(void (*fn)(void), struct agent *a)
{
	pid_t pid = fork();

	if (!pid) {
		munmap(a->mem, (size_t)a->nchunks * CHUNK_BYTES);
		fn();	/* never returns */
	}
	return pid;
}

int main(void)
{
	static struct agent a;
	int err = setup(&a);
	pid_t payload = -1;

	if (err) {
		printf("XEMT-AGENT fatal: setup failed: %s\n", strerror(-err));
		fflush(stdout);
		/* PID 1 must not exit: that panics the guest, which is louder. */
		for (;;)
			pause();
	}
	say("XEMT-AGENT start seed=0x%" PRIx64 " mib=%u chunks=%u", a.seed, a.mib, a.nchunks);
	spawn(kmsg_loop, &a);
	if (cmdline_u64("xemt.payload", 0))
		payload = spawn(payload_loop, &a);
	for (;;) {
		pid_t pid;
		int status;

		one_tick(&a);
		report(&a);
		/* PID 1 reaps everything; a payload loop that died is a failure. */
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (pid == payload && status)
				say("XEMT-AGENT payload-died status=%d", status);
		}
		sleep_ms(a.period_ms);
	}
}
