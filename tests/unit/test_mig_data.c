// SPDX-License-Identifier: MIT
/*
 * Migration data transfer (lib/mig_data.c) over pipes: every chunk and
 * segment size moves the same bytes, EOF ends a read, errors surface.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "mig_data.h"

#define LEN 200003	/* more than a pipe holds, not a power of two */

static uint8_t pattern[LEN];

/* A child writes the pattern into a pipe in odd pieces; returns the read end. */
static int feeder(pid_t *pid)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (!*pid) {
		close(p[0]);
		_exit(mig_data_write_all(p[1], pattern, LEN, 4093, NULL) ? 1 : 0);
	}
	close(p[1]);
	return p[0];
}

static void reap(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_read_all_chunks(void **state)
{
	const size_t chunks[] = { 1, 7, 4096, 1 << 20 };

	for (size_t i = 0; i < 4; i++) {
		struct mig_data_stats st;
		uint8_t *buf;
		size_t len;
		pid_t pid;
		int fd = feeder(&pid);

		assert_int_equal(mig_data_read_all(fd, chunks[i], &buf, &len, &st), 0);
		close(fd);
		reap(pid);
		assert_int_equal(len, LEN);
		assert_int_equal(st.bytes, LEN);
		assert_memory_equal(buf, pattern, LEN);
		if (chunks[i] == 1)
			assert_int_equal(st.calls, LEN);
		free(buf);
	}
}

typedef int (*pump_fn)(int, int, size_t, struct mig_data_stats *);

/* The pattern through pump with bufsize, checked by a reading child. */
static void pump_through(pump_fn pump, size_t bufsize)
{
	struct mig_data_stats st;
	int out[2];
	uint8_t *buf;
	size_t len;
	pid_t pid, reader;
	int in = feeder(&pid);

	assert_int_equal(pipe(out), 0);
	reader = fork();
	assert_true(reader >= 0);
	if (!reader) {
		close(out[1]);
		if (mig_data_read_all(out[0], 333, &buf, &len, NULL) || len != LEN ||
		    memcmp(buf, pattern, LEN))
			_exit(1);
		_exit(0);
	}
	close(out[0]);
	assert_int_equal(pump(in, out[1], bufsize, &st), 0);
	close(out[1]);
	close(in);
	reap(pid);
	reap(reader);
	assert_int_equal(st.bytes, LEN);
	assert_true(st.calls >= (LEN + bufsize - 1) / bufsize);
}

static void test_pump(void **state)
{
	/* Pipelined (a reader thread, two buffers) and serial, any buffer
	 * size; byte by byte only serially (a handoff per byte is slow). */
	const size_t sizes[] = { 7, 1000, 4096, 65536 + 7, 1 << 20 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pump_through(mig_data_pump, sizes[i]);
		pump_through(mig_data_pump_serial, sizes[i]);
	}
	pump_through(mig_data_pump_serial, 1);
}

/* The resuming side goes away: the pump returns its errno, and returns. */
static void test_pump_write_error(void **state)
{
	pump_fn pumps[] = { mig_data_pump, mig_data_pump_serial };

	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < 2; i++) {
		int out[2];
		pid_t pid;
		int in = feeder(&pid);

		assert_int_equal(pipe(out), 0);
		close(out[0]);
		assert_int_equal(pumps[i](in, out[1], 4096, NULL), -EPIPE);
		close(out[1]);
		close(in);
		/* The feeder may die of EPIPE itself once in is closed. */
		waitpid(pid, NULL, 0);
	}
}

static void test_errors(void **state)
{
	uint8_t *buf = (uint8_t *)1;
	size_t len = 1;
	int p[2];

	assert_int_equal(mig_data_read_all(-1, 16, &buf, &len, NULL), -EBADF);
	assert_null(buf);
	assert_int_equal(len, 0);

	/* A resuming side that went away. */
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(mig_data_write_all(p[1], pattern, 10, 3, NULL), -EPIPE);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_all_chunks),
		cmocka_unit_test(test_pump),
		cmocka_unit_test(test_pump_write_error),
		cmocka_unit_test(test_errors),
	};

	for (size_t i = 0; i < LEN; i++)
		pattern[i] = (uint8_t)(i * 131 + (i >> 8));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
