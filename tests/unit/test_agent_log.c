// SPDX-License-Identifier: MIT
/*
 * lib/agent_log.c: the guest agent's serial lines read back, including the
 * line a switchover cuts between the source's log and the destination's,
 * and the continuity rules across a hop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "agent_log.h"

static void parse(const char *text, struct agent_log *log)
{
	agent_log_parse(text, strlen(text), log);
}

static void test_source(void **state)
{
	struct agent_log log;
	char why[256];

	parse("[    0.0] kernel noise\r\n"
	      "XEMT-AGENT start seed=0x5eed mib=32 chunks=128\r\n"
	      "XEMT-AGENT tick=1 mem=ok passes=0\r\n"
	      "XEMT-AGENT tick=2 mem=ok passes=0\r\n"
	      "XEMT-AGENT tick=3 mem=ok passes=1\r\n"
	      "XEMT-AGENT tick=4 mem=ok pas", &log);	/* cut by the switchover */
	assert_true(log.started);
	assert_int_equal(log.starts, 1);
	assert_int_equal(log.ticks, 3);
	assert_int_equal(log.first_tick, 1);
	assert_int_equal(log.last_tick, 3);
	assert_int_equal(log.last_passes, 1);
	assert_true(agent_log_healthy(&log, why, sizeof(why)));
}

static void test_destination_continues(void **state)
{
	struct agent_log src, dst;
	char why[256];

	parse("XEMT-AGENT tick=7 mem=ok passes=0\nXEMT-AGENT tick=8 mem=ok pas", &src);
	/* The rest of tick 9's line arrives on the destination: not a line. */
	parse("ses=1\r\nXEMT-AGENT tick=9 mem=ok passes=1\r\nXEMT-AGENT tick=10 mem=ok passes=1\r\n",
	      &dst);
	assert_int_equal(src.last_tick, 7);
	assert_int_equal(dst.first_tick, 9);
	assert_false(dst.started);
	assert_true(agent_log_continues(&src, &dst, why, sizeof(why)));
	assert_true(agent_log_healthy(&dst, why, sizeof(why)));
}

static void test_reset_and_rewind(void **state)
{
	struct agent_log src, dst;
	char why[256];

	parse("XEMT-AGENT tick=40 mem=ok passes=5\n", &src);
	/* A destination that booted afresh. */
	parse("XEMT-AGENT start seed=0x5eed mib=32 chunks=128\nXEMT-AGENT tick=1 mem=ok passes=0\n",
	      &dst);
	assert_false(agent_log_continues(&src, &dst, why, sizeof(why)));
	assert_non_null(strstr(why, "rebooted"));
	/* Older RAM: the counter goes back. */
	parse("XEMT-AGENT tick=38 mem=ok passes=5\n", &dst);
	assert_false(agent_log_continues(&src, &dst, why, sizeof(why)));
	assert_non_null(strstr(why, "went back"));
	/* Ticks missing across the hop. */
	parse("XEMT-AGENT tick=45 mem=ok passes=5\n", &dst);
	assert_false(agent_log_continues(&src, &dst, why, sizeof(why)));
	assert_non_null(strstr(why, "lost"));
	/* Going back inside one log. */
	parse("XEMT-AGENT tick=5 mem=ok passes=0\nXEMT-AGENT tick=3 mem=ok passes=0\n", &dst);
	assert_true(dst.went_back);
	assert_false(agent_log_healthy(&dst, why, sizeof(why)));
	assert_non_null(strstr(why, "from 5 to 3"));
}

static void test_bad_memory(void **state)
{
	struct agent_log log;
	char why[256];

	parse("XEMT-AGENT tick=5 mem=ok passes=0\n"
	      "XEMT-AGENT tick=6 mem=BAD passes=0 chunk=3 word=17\n"
	      "XEMT-AGENT tick=7 mem=BAD passes=0 chunk=3 word=17\n", &log);
	assert_true(log.mem_bad);
	assert_int_equal(log.ticks, 3);
	assert_false(agent_log_healthy(&log, why, sizeof(why)));
	assert_non_null(strstr(why, "tick=6 mem=BAD"));
	parse("", &log);
	assert_false(agent_log_healthy(&log, why, sizeof(why)));
	assert_non_null(strstr(why, "no agent output"));
}

static void test_rebooted_in_place(void **state)
{
	struct agent_log log;
	char why[256];

	parse("XEMT-AGENT start seed=0x1 mib=32 chunks=128\nXEMT-AGENT tick=1 mem=ok passes=0\n"
	      "XEMT-AGENT start seed=0x1 mib=32 chunks=128\n", &log);
	assert_int_equal(log.starts, 2);
	assert_false(agent_log_healthy(&log, why, sizeof(why)));
}

static void test_payload_pass(void **state)
{
	struct agent_log log;
	char why[256];

	parse("XEMT-AGENT start seed=0x1 mib=32 chunks=128\r\n"
	      "XEMT-AGENT payload cmds=2 iterations=0\r\n"
	      "XEMT-AGENT tick=1 mem=ok passes=1\r\n"
	      "XEMT-AGENT run iter=1 cmd=0 status=0 ms=12 : xe_exec_basic --run-subtest once-basic\r\n"
	      "XEMT-AGENT tick=2 mem=ok passes=1\r\n"
	      "XEMT-AGENT run iter=1 cmd=1 status=0 ms=30 : xe_ccs\r\n"
	      "XEMT-AGENT round=1 fails=0 ms=42\r\n"
	      "XEMT-AGENT run iter=2 cmd=0 status=0 ms=20 : xe_exec_basic --run-subtest once-basic\r\n"
	      "XEMT-AGENT run iter=2 cmd=1 status=0 ms=3", &log);	/* cut */
	assert_true(log.payload);
	assert_int_equal(log.payload_cmds, 2);
	assert_int_equal(log.ticks, 2);		/* payload lines leave ticks alone */
	assert_int_equal(log.last_tick, 2);
	assert_int_equal(log.runs, 3);
	assert_int_equal(log.rounds, 1);
	assert_int_equal(log.last_round, 1);
	assert_string_equal(log.cmd[0].name, "xe_exec_basic --run-subtest once-basic");
	assert_int_equal(log.cmd[0].runs, 2);
	assert_int_equal(log.cmd[0].total_ms, 32);
	assert_int_equal(log.cmd[0].max_ms, 20);
	assert_int_equal(log.cmd[1].runs, 1);
	assert_false(agent_log_failed(&log));
	assert_true(agent_log_healthy(&log, why, sizeof(why)));
}

static void test_payload_fail(void **state)
{
	struct agent_log log;
	char why[512];

	parse("XEMT-AGENT payload cmds=2 iterations=0\n"
	      "XEMT-AGENT tick=1 mem=ok passes=1\n"
	      "XEMT-AGENT out iter=2 cmd=0 : output of a run line cut by the switchover\n"
	      "XEMT-AGENT out iter=3 cmd=1 : xemt_pl_fault: planted failure in iteration 3\n"
	      "XEMT-AGENT run iter=3 cmd=1 status=3 ms=7 : xemt_pl_fault\n"
	      "XEMT-AGENT round=3 fails=1 ms=50\n"
	      "XEMT-AGENT out iter=4 cmd=0 : not the first failure\n"
	      "XEMT-AGENT run iter=4 cmd=0 status=139 ms=7 : xemt_pl_mem 8\n", &log);
	assert_int_equal(log.run_fails, 2);
	assert_int_equal(log.round_fails, 1);
	assert_true(agent_log_failed(&log));
	assert_false(agent_log_healthy(&log, why, sizeof(why)));
	assert_non_null(strstr(why, "iteration 3: 'xemt_pl_fault' exited 3 after 7 ms"));
	assert_non_null(strstr(why, "| xemt_pl_fault: planted failure in iteration 3"));
	assert_null(strstr(why, "not the first"));
	assert_null(strstr(why, "cut by"));

	/* The run line was cut by a switchover: its round line still counts. */
	parse("XEMT-AGENT tick=1 mem=ok passes=1\nXEMT-AGENT round=5 fails=2 ms=50\n", &log);
	assert_true(agent_log_failed(&log));
	assert_false(agent_log_healthy(&log, why, sizeof(why)));
	assert_non_null(strstr(why, "iteration 5: 2 command(s) failed"));

	parse("XEMT-AGENT tick=1 mem=ok passes=1\nXEMT-AGENT payload-died status=11\n", &log);
	assert_false(agent_log_healthy(&log, why, sizeof(why)));
	assert_non_null(strstr(why, "payload loop died"));
}

static void test_kmsg(void **state)
{
	struct agent_log log;
	char why[512];

	parse("XEMT-AGENT tick=1 mem=ok passes=1\n"
	      "XEMT-AGENT kmsg kind=wedged pri=3 : xe 0000:00:02.0: [drm] *ERROR* CRITICAL: Xe has declared device 0000:00:02.0 as wedged.\n"
	      "XEMT-AGENT kmsg kind=reset pri=6 : xe 0000:00:02.0: [drm] GT0: reset started\n"
	      "XEMT-AGENT tick=2 mem=ok passes=1\n", &log);
	assert_int_equal(log.kmsgs, 2);
	assert_int_equal(log.ticks, 2);
	assert_true(agent_log_failed(&log));
	assert_false(agent_log_healthy(&log, why, sizeof(why)));
	assert_non_null(strstr(why, "wedged: xe 0000:00:02.0"));
	assert_non_null(strstr(why, "(and more)"));
	/* A lab guest's module that did not load. */
	parse("XEMT-AGENT module-failed : /lib/modules/6.12/xe.ko\nXEMT-AGENT tick=1 mem=ok passes=1\n",
	      &log);
	assert_true(agent_log_failed(&log));
	assert_false(agent_log_healthy(&log, why, sizeof(why)));
	assert_non_null(strstr(why, "could not load /lib/modules/6.12/xe.ko"));
	/* Look-alikes are not agent lines. */
	parse("XEMT-AGENT tick=1 mem=ok passes=1\nxe wedged XEMT-AGENT kmsg kind=warn : x\n", &log);
	assert_int_equal(log.kmsgs, 0);
	assert_true(agent_log_healthy(&log, why, sizeof(why)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_destination_continues),
		cmocka_unit_test(test_reset_and_rewind),
		cmocka_unit_test(test_bad_memory),
		cmocka_unit_test(test_rebooted_in_place),
		cmocka_unit_test(test_payload_pass),
		cmocka_unit_test(test_payload_fail),
		cmocka_unit_test(test_kmsg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
