// SPDX-License-Identifier: MIT
/*
 * lib/replay.h: a plan as a command line carries it and back, the replay
 * command, the failure classes --minimize compares, and ddmin against a
 * fake target whose failure needs two particular hops, one of them with a
 * particular workload, and a scale of at least 2, and which fails in
 * another way (that must not count) when only one of the two is there.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "replay.h"

static bool known(const char *wl)
{
	return !strcmp(wl, "mix") || !strcmp(wl, "ccs") || !strcmp(wl, "seqno") ||
	       !strcmp(wl, "spinner") || !strcmp(wl, "batch-chain");
}

static void test_plan_round_trip(void **state)
{
	struct replay_step plan[4], back[4];
	char buf[256];
	unsigned int n = 0;
	size_t len;

	assert_int_equal(replay_plan_parse("1.q.mix.0x1f,0.s.batch-chain.2,2.r.ccs.ffffffffffffffff",
					   plan, 4, &n, known), 0);
	assert_int_equal(n, 3);
	assert_int_equal(plan[0].dst, 1);
	assert_int_equal(plan[0].phase, 0);
	assert_string_equal(plan[0].workload, "mix");
	assert_int_equal(plan[0].seed, 0x1f);
	assert_int_equal(plan[1].phase, 2);
	assert_string_equal(plan[1].workload, "batch-chain");
	assert_true(plan[2].seed == UINT64_MAX);
	len = replay_plan_format(plan, n, buf, sizeof(buf));
	assert_int_equal(len, strlen(buf));
	assert_string_equal(buf, "1.q.mix.0x1f,0.s.batch-chain.0x2,2.r.ccs.0xffffffffffffffff");
	assert_int_equal(replay_plan_parse(buf, back, 4, &n, known), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(plan, back, sizeof(plan[0]) * 3);
	/* A fault planted from a hop on rides along. */
	assert_int_equal(replay_plan_parse("1.r.mix.0x5.cmd-lost,0.q.ccs.6", back, 4, &n, known), 0);
	assert_int_equal(n, 2);
	assert_string_equal(back[0].fault, "cmd-lost");
	assert_string_equal(back[1].fault, "");
	replay_plan_format(back, n, buf, sizeof(buf));
	assert_string_equal(buf, "1.r.mix.0x5.cmd-lost,0.q.ccs.0x6");
	/* Too small a buffer: cut at a step's end, the length it needed. */
	assert_int_equal(replay_plan_format(plan, 3, buf, 20), strlen("1.q.mix.0x1f,0.s.batch-chain.0x2,2.r.ccs.0xffffffffffffffff"));
	assert_string_equal(buf, "1.q.mix.0x1f");
}

static void test_plan_refused(void **state)
{
	struct replay_step plan[2];
	unsigned int n = 7;

	assert_int_equal(replay_plan_parse("", plan, 2, &n, known), -EINVAL);
	assert_int_equal(n, 0);
	assert_int_equal(replay_plan_parse("1.x.mix.1", plan, 2, &n, known), -EINVAL);
	assert_int_equal(replay_plan_parse("1.q.nope.1", plan, 2, &n, known), -EINVAL);
	assert_int_equal(replay_plan_parse("1.q.nope.1", plan, 2, &n, NULL), 0);
	assert_int_equal(replay_plan_parse("1.q.mix.1z", plan, 2, &n, known), -EINVAL);
	assert_int_equal(replay_plan_parse("1.q.mix", plan, 2, &n, known), -EINVAL);
	assert_int_equal(replay_plan_parse("1.q.mix.1.cmd-lost.x", plan, 2, &n, known), -EINVAL);
	assert_int_equal(replay_plan_parse("1.q.mix.1.", plan, 2, &n, known), -EINVAL);
	assert_int_equal(replay_plan_parse("1.q.mix.1.Bad", plan, 2, &n, known), -EINVAL);
	assert_int_equal(replay_plan_parse("1.q.mix.1,0.r.mix.2,1.s.mix.3", plan, 2, &n, known),
			 -EINVAL);
}

static void test_plan_repair(void **state)
{
	struct replay_step plan[5] = {
		{ .dst = 0 }, { .dst = 2 }, { .dst = 2 }, { .dst = 9 }, { .dst = 1 },
	};

	replay_plan_repair(plan, 5, 3);
	assert_int_equal(plan[0].dst, 1);	/* the guest starts on 0 */
	assert_int_equal(plan[1].dst, 2);
	assert_int_equal(plan[2].dst, 0);	/* already on 2 */
	assert_int_equal(plan[3].dst, 1);	/* beyond the group */
	assert_int_equal(plan[4].dst, 2);	/* already on 1 */
}

static void test_failure_class(void **state)
{
	char cls[256];

	replay_failure_class("hop 3 (seed 0x9e3779b97f4a7c15): in flight during the hop: gate wait 2: passed while the gate was closed (its SPIN_UNTIL lost)",
			     cls, sizeof(cls));
	assert_string_equal(cls, "passed while the gate was closed (its SPIN_UNTIL lost)");
	replay_failure_class("hop 1 (seed 0x1): pf0 VF2 does not hold what the source held when it stopped:\nLMEM: 1 of 64 blocks of 64 KiB differ\n",
			     cls, sizeof(cls));
	assert_string_equal(cls, "pf# VF# does not hold what the source held when it stopped / LMEM");
	/* Another hop, seed, VF and workload: the same failure. */
	assert_true(replay_same_failure(
		"hop 2 (mixed): mix: gate wait 1: passed while the gate was closed (its SPIN_UNTIL lost)",
		"hop 1 (spinning): spinner: gate wait 3: passed while the gate was closed (its SPIN_UNTIL lost)"));
	assert_true(replay_same_failure(
		"VF1 -> VF2: the destination does not hold what the source held when it stopped:\nLMEM: 3 of 64",
		"VF2 -> VF1: the destination does not hold what the source held when it stopped:\nLMEM: 1 of 64"));
	/* Another part differs, or another check: not the same. */
	assert_false(replay_same_failure(
		"VF1 -> VF2: the destination does not hold what the source held when it stopped:\nLMEM: 3 of 64",
		"VF1 -> VF2: the destination does not hold what the source held when it stopped:\nGGTT: PTE 4"));
	assert_false(replay_same_failure("hop 1: no MIGRATED MSI from VF2 (none): Timer expired",
					 "hop 1: a: gate wait 1: passed while the gate was closed"));
}

static void test_command(void **state)
{
	char buf[256];
	size_t len = replay_command(buf, sizeof(buf), NULL, "/b/xe_sriov_sim_stress",
				    "round-robin", "--vfs 3 --plan 1.q.mix.0x1");

	assert_int_equal(len, strlen(buf));
	assert_string_equal(buf, "/b/xe_sriov_sim_stress --run-subtest round-robin --vfs 3 --plan 1.q.mix.0x1");
	replay_command(buf, sizeof(buf), "XEMT_VM_PAYLOAD_FAULT=exit@3", "/a b/vm", "payload*",
		       NULL);
	assert_string_equal(buf, "XEMT_VM_PAYLOAD_FAULT=exit@3 '/a b/vm' --run-subtest 'payload*'");
	/* Cut, NUL terminated, the whole length returned. */
	assert_int_equal(replay_command(buf, 10, NULL, "/b/xe_sriov_sim_stress", "x", NULL),
			 strlen("/b/xe_sriov_sim_stress --run-subtest x"));
	assert_int_equal(strlen(buf), 9);
}

/*
 * The fake run: seeds 7 and 9 together, 7's workload mix or spinner,
 * scale >= 2, fail with a SPIN_UNTIL loss; 7 or 9 alone fails with a
 * timeout (another class, never kept).
 */
struct fake {
	unsigned int runs;
};

static int fake_run(void *ctx, const struct replay_step *plan, unsigned int n,
		    unsigned int scale, char *why, size_t size)
{
	struct fake *f = ctx;
	bool seven = false, nine = false;

	f->runs++;
	for (unsigned int i = 0; i < n; i++) {
		if (i && plan[i].dst == plan[i - 1].dst)
			fail_msg("step %u goes where the guest is", i);
		if (plan[i].seed == 7)
			seven = !strcmp(plan[i].workload, "mix") ||
				!strcmp(plan[i].workload, "spinner");
		nine |= plan[i].seed == 9;
	}
	if (seven && nine && scale >= 2) {
		snprintf(why, size, "hop %u (seed %#x): gate wait %u: passed while the gate was closed (its SPIN_UNTIL lost)",
			 n, 7, scale);
		return 1;
	}
	if (seven || nine) {
		snprintf(why, size, "hop %u: waiting for seqno %u: Timer expired", n, 40 + n);
		return 1;
	}
	return 0;
}

static const char *fake_simpler(const char *name, unsigned int k)
{
	static const char *const parts[] = { "ccs", "seqno", "spinner", NULL };

	return strcmp(name, "mix") ? NULL : parts[k < 3 ? k : 3];
}

static void test_minimize(void **state)
{
	static struct replay_min m;
	struct replay_step plan[12];
	struct fake f = { 0 };
	struct replay_target t = {
		.ctx = &f, .run = fake_run, .simpler = fake_simpler, .n_vfs = 3,
	};
	char why[REPLAY_WHY_MAX];

	for (unsigned int i = 0; i < 12; i++)
		plan[i] = (struct replay_step){ .dst = (i + 1) % 3, .phase = i % 3,
						.workload = "mix", .seed = 100 + i };
	plan[3].seed = 7;
	plan[9].seed = 9;
	assert_int_equal(fake_run(&f, plan, 12, 8, why, sizeof(why)), 1);
	assert_int_equal(replay_minimize(&t, plan, 12, 8, why, &m), 0);
	assert_true(m.confirmed);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.plan[0].seed, 7);
	assert_string_equal(m.plan[0].workload, "spinner");	/* ccs, seqno do not fail */
	assert_int_equal(m.plan[1].seed, 9);
	assert_string_equal(m.plan[1].workload, "ccs");	/* any part does */
	assert_int_equal(m.plan[0].dst, 1);
	assert_int_not_equal(m.plan[1].dst, 1);
	assert_int_equal(m.scale, 2);
	assert_int_equal(m.runs, f.runs - 1);
	assert_true(replay_same_failure(why, m.why));
	assert_non_null(strstr(m.why, "hop 2 "));

	/* A failure that does not come back: not confirmed, the plan as given. */
	plan[9].seed = 10;
	assert_int_equal(replay_minimize(&t, plan, 12, 8, why, &m), 0);
	assert_false(m.confirmed);
	assert_int_equal(m.n, 12);
	assert_int_equal(replay_minimize(&t, plan, 0, 8, why, &m), -EINVAL);
}

/* Fails when the step with seed 7 runs with a fault planted at or before it. */
static int fault_run(void *ctx, const struct replay_step *plan, unsigned int n,
		     unsigned int scale, char *why, size_t size)
{
	bool planted = false;

	for (unsigned int i = 0; i < n; i++) {
		planted |= plan[i].fault[0] != '\0';
		if (plan[i].seed == 7 && planted) {
			snprintf(why, size, "hop %u: lost", i + 1);
			return 1;
		}
	}
	return 0;
}

static void test_minimize_carries_fault(void **state)
{
	static struct replay_min m;
	struct replay_step plan[6];
	struct replay_target t = { .run = fault_run, .n_vfs = 2 };

	for (unsigned int i = 0; i < 6; i++)
		plan[i] = (struct replay_step){ .dst = (i + 1) % 2, .workload = "mix",
						.seed = 100 + i };
	snprintf(plan[1].fault, sizeof(plan[1].fault), "cmd-lost");
	plan[4].seed = 7;
	assert_int_equal(replay_minimize(&t, plan, 5, 1, "hop 5: lost", &m), 0);
	assert_true(m.confirmed);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.plan[0].seed, 7);
	assert_string_equal(m.plan[0].fault, "cmd-lost");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_round_trip),
		cmocka_unit_test(test_plan_refused),
		cmocka_unit_test(test_plan_repair),
		cmocka_unit_test(test_failure_class),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_minimize),
		cmocka_unit_test(test_minimize_carries_fault),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
