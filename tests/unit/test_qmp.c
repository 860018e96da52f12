// SPDX-License-Identifier: MIT
/*
 * lib/qmp.c against a real QEMU: a machine with no board and no devices
 * is enough to exercise the greeting, commands, errors, events, timeouts
 * and the connection closing. Skipped (exit 77) without qemu-system-x86_64.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qmp.h"

struct qemu {
	pid_t pid;
	char dir[64];
	char sock[128];
};

static int start_qemu(void **state)
{
	static struct qemu qm;

	snprintf(qm.dir, sizeof(qm.dir), "/tmp/test_qmp.XXXXXX");
	if (!mkdtemp(qm.dir))
		return -1;
	snprintf(qm.sock, sizeof(qm.sock), "%s/qmp.sock", qm.dir);
	qm.pid = fork();
	if (qm.pid == 0) {
		char qmp_arg[200];

		snprintf(qmp_arg, sizeof(qmp_arg), "unix:%s,server=on,wait=off", qm.sock);
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		execlp("qemu-system-x86_64", "qemu-system-x86_64", "-machine", "none",
		       "-nodefaults", "-display", "none", "-S", "-qmp", qmp_arg, NULL);
		_exit(127);
	}
	*state = &qm;
	return qm.pid > 0 ? 0 : -1;
}

static int stop_qemu(void **state)
{
	struct qemu *qm = *state;
	char cmd[128];

	kill(qm->pid, SIGKILL);
	waitpid(qm->pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", qm->dir);
	return system(cmd) ? -1 : 0;
}

static void connect_or_fail(struct qmp *q, void **state)
{
	struct qemu *qm = *state;

	if (qmp_connect(q, qm->sock, 10000))
		fail_msg("%s", q->error);
}

static void test_greeting_and_commands(void **state)
{
	struct qmp q;
	json_t *r;

	connect_or_fail(&q, state);
	assert_non_null(json_object_get(json_object_get(q.greeting, "QMP"), "version"));
	r = qmp_cmd(&q, "query-version", NULL, 5000);
	assert_non_null(r);
	assert_true(json_integer_value(json_object_get(json_object_get(r, "qemu"), "major")) >= 8);
	json_decref(r);
	r = qmp_cmd(&q, "query-status", NULL, 5000);
	assert_non_null(r);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "prelaunch");
	json_decref(r);
	qmp_close(&q);
}

static void test_errors(void **state)
{
	struct qmp q;

	connect_or_fail(&q, state);
	assert_null(qmp_cmd(&q, "no-such-command", NULL, 5000));
	assert_non_null(strstr(q.error, "CommandNotFound"));
	assert_non_null(strstr(q.error, "no-such-command"));
	/* A bad argument: QEMU's own words come back. */
	assert_int_equal(qmp_cmd_ok(&q, "migrate-set-parameters",
				    json_pack("{s:i}", "downtime-limit", -5), 5000), -1);
	assert_true(strlen(q.error) > 10);
	/* The connection stays usable after errors. */
	assert_int_equal(qmp_cmd_ok(&q, "query-status", NULL, 5000), 0);
	qmp_close(&q);
}

static void test_events(void **state)
{
	struct qmp q;
	json_t *e;

	connect_or_fail(&q, state);
	assert_int_equal(qmp_cmd_ok(&q, "cont", NULL, 5000), 0);
	e = qmp_wait_event(&q, "RESUME", 5000);
	assert_non_null(e);
	assert_non_null(json_object_get(e, "timestamp"));
	json_decref(e);
	assert_int_equal(qmp_cmd_ok(&q, "stop", NULL, 5000), 0);
	/* Events queued behind a command's answer are not lost. */
	assert_int_equal(qmp_cmd_ok(&q, "query-status", NULL, 5000), 0);
	e = qmp_wait_event(&q, "STOP", 5000);
	assert_non_null(e);
	json_decref(e);
	/* Nothing more is coming: a timeout, not a hang. */
	assert_null(qmp_wait_event(&q, "RESUME", 300));
	assert_non_null(strstr(q.error, "in time"));
	qmp_close(&q);
}

static void test_quit(void **state)
{
	struct qmp q;
	json_t *e;

	connect_or_fail(&q, state);
	assert_int_equal(qmp_cmd_ok(&q, "quit", NULL, 5000), 0);
	e = qmp_wait_event(&q, "SHUTDOWN", 5000);
	assert_non_null(e);
	json_decref(e);
	assert_null(qmp_cmd(&q, "query-status", NULL, 2000));
	assert_non_null(strstr(q.error, "QMP:"));
	qmp_close(&q);
}

static void test_oob(void **state)
{
	struct qemu *qm = *state;
	struct qmp q;
	json_t *r;

	if (qmp_connect_oob(&q, qm->sock, 10000))
		fail_msg("%s", q.error);
	/* An allow-oob command runs out of band; in-band ones still work. */
	r = qmp_cmd_oob(&q, "query-yank", NULL, 5000);
	assert_non_null(r);
	assert_true(json_is_array(r));
	json_decref(r);
	assert_int_equal(qmp_cmd_ok(&q, "query-status", NULL, 5000), 0);
	/* A command QEMU does not allow out of band is refused as such. */
	assert_null(qmp_cmd_oob(&q, "query-status", NULL, 5000));
	assert_non_null(strstr(q.error, "OOB"));
	qmp_close(&q);
}

static void test_no_qemu(void **state)
{
	struct qmp q;

	assert_true(qmp_connect(&q, "/nonexistent/qmp.sock", 100) < 0);
	assert_non_null(strstr(q.error, "cannot connect"));
	qmp_close(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_greeting_and_commands, start_qemu, stop_qemu),
		cmocka_unit_test_setup_teardown(test_errors, start_qemu, stop_qemu),
		cmocka_unit_test_setup_teardown(test_events, start_qemu, stop_qemu),
		cmocka_unit_test_setup_teardown(test_quit, start_qemu, stop_qemu),
		cmocka_unit_test_setup_teardown(test_oob, start_qemu, stop_qemu),
		cmocka_unit_test(test_no_qemu),
	};

	if (system("qemu-system-x86_64 --version >/dev/null 2>&1")) {
		printf("qemu-system-x86_64 not found: skipping\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
