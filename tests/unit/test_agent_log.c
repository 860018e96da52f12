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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_destination_continues),
		cmocka_unit_test(test_reset_and_rewind),
		cmocka_unit_test(test_bad_memory),
		cmocka_unit_test(test_rebooted_in_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
