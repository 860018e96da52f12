// SPDX-License-Identifier: MIT
/*
 * The VFIO migration FSM model (lib/vfio_mig.c): supported states, arcs
 * and the shortest legal paths, against the combination examples and
 * rules of include/uapi/linux/vfio.h.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vfio_mig.h"

#define S(x) VFIO_DEVICE_STATE_##x
#define XE_FLAGS (VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P)
#define ALL_FLAGS (XE_FLAGS | VFIO_MIGRATION_PRE_COPY)
#define PLAIN_FLAGS VFIO_MIGRATION_STOP_COPY

static void expect_path(uint64_t flags, uint32_t from, uint32_t to,
			const uint32_t *want, int n)
{
	uint32_t path[8];
	int got = vfio_mig_plan(flags, from, to, path, 8);

	if (got != n)
		fail_msg("%s -> %s: %d arcs, expected %d", vfio_mig_state_name(from),
			 vfio_mig_state_name(to), got, n);
	for (int i = 0; i < n; i++)
		if (path[i] != want[i])
			fail_msg("%s -> %s: step %d is %s, expected %s",
				 vfio_mig_state_name(from), vfio_mig_state_name(to), i,
				 vfio_mig_state_name(path[i]), vfio_mig_state_name(want[i]));
}

#define PATH(flags, from, to, ...) \
	expect_path(flags, S(from), S(to), (const uint32_t[]){ __VA_ARGS__ }, \
		    sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))

static void test_xe_paths(void **state)
{
	/* The combinations xe-vfio-pci documents and vfio.h lists. */
	PATH(XE_FLAGS, RUNNING, STOP_COPY, S(RUNNING_P2P), S(STOP), S(STOP_COPY));
	PATH(XE_FLAGS, RESUMING, RUNNING, S(STOP), S(RUNNING_P2P), S(RUNNING));
	PATH(XE_FLAGS, STOP_COPY, RESUMING, S(STOP), S(RESUMING));
	PATH(XE_FLAGS, RUNNING, RESUMING, S(RUNNING_P2P), S(STOP), S(RESUMING));
	PATH(XE_FLAGS, STOP_COPY, RUNNING, S(STOP), S(RUNNING_P2P), S(RUNNING));
	PATH(XE_FLAGS, RUNNING_P2P, STOP_COPY, S(STOP), S(STOP_COPY));
	PATH(XE_FLAGS, STOP, RUNNING, S(RUNNING_P2P), S(RUNNING));
	assert_int_equal(vfio_mig_plan(XE_FLAGS, S(STOP), S(STOP), NULL, 0), 0);
}

static void test_pre_copy_paths(void **state)
{
	/* Saving-group states never in the middle of a path. */
	PATH(ALL_FLAGS, RUNNING, STOP_COPY, S(RUNNING_P2P), S(STOP), S(STOP_COPY));
	PATH(ALL_FLAGS, PRE_COPY, RUNNING_P2P, S(RUNNING), S(RUNNING_P2P));
	PATH(ALL_FLAGS, PRE_COPY_P2P, RUNNING, S(RUNNING_P2P), S(RUNNING));
	PATH(ALL_FLAGS, PRE_COPY_P2P, STOP, S(RUNNING_P2P), S(STOP));
	PATH(ALL_FLAGS, RUNNING, PRE_COPY_P2P, S(RUNNING_P2P), S(PRE_COPY_P2P));
	PATH(ALL_FLAGS, PRE_COPY, STOP_COPY, S(STOP_COPY));
	assert_int_equal(vfio_mig_plan(ALL_FLAGS, S(STOP_COPY), S(PRE_COPY), NULL, 0), -EINVAL);
	assert_int_equal(vfio_mig_plan(ALL_FLAGS, S(STOP_COPY), S(PRE_COPY_P2P), NULL, 0), -EINVAL);
}

static void test_plain_paths(void **state)
{
	PATH(PLAIN_FLAGS, RUNNING, STOP_COPY, S(STOP), S(STOP_COPY));
	PATH(PLAIN_FLAGS, RESUMING, RUNNING, S(STOP), S(RUNNING));
	assert_int_equal(vfio_mig_plan(PLAIN_FLAGS, S(RUNNING), S(RUNNING_P2P), NULL, 0),
			 -EINVAL);
}

static void test_unsupported(void **state)
{
	uint32_t path[8];

	assert_false(vfio_mig_state_supported(XE_FLAGS, S(ERROR)));
	assert_false(vfio_mig_state_supported(XE_FLAGS, S(PRE_COPY)));
	assert_false(vfio_mig_state_supported(XE_FLAGS, 8));
	assert_false(vfio_mig_state_supported(VFIO_MIGRATION_P2P, S(STOP)));
	assert_int_equal(vfio_mig_plan(XE_FLAGS, S(RUNNING), S(ERROR), path, 8), -EINVAL);
	assert_int_equal(vfio_mig_plan(XE_FLAGS, S(RUNNING), S(PRE_COPY), path, 8), -EINVAL);
	assert_int_equal(vfio_mig_plan(XE_FLAGS, S(ERROR), S(RUNNING), path, 8), -EINVAL);
	assert_int_equal(vfio_mig_plan(XE_FLAGS, S(RUNNING), S(STOP_COPY), path, 2), -ENOSPC);
}

/* Every supported pair has a path made only of valid arcs. */
static void test_all_pairs(void **state)
{
	const uint64_t flagsets[] = { PLAIN_FLAGS, XE_FLAGS, ALL_FLAGS,
				      PLAIN_FLAGS | VFIO_MIGRATION_PRE_COPY };

	for (size_t f = 0; f < 4; f++) {
		for (uint32_t a = 0; a < VFIO_MIG_NUM_STATES; a++) {
			for (uint32_t b = 0; b < VFIO_MIG_NUM_STATES; b++) {
				uint32_t path[8], cur = a;
				int n = vfio_mig_plan(flagsets[f], a, b, path, 8);

				if (!vfio_mig_state_supported(flagsets[f], a) ||
				    !vfio_mig_state_supported(flagsets[f], b) ||
				    (a == S(STOP_COPY) && (b == S(PRE_COPY) || b == S(PRE_COPY_P2P)))) {
					assert_int_equal(n, -EINVAL);
					continue;
				}
				assert_true(n >= 0 && n <= 4);
				for (int i = 0; i < n; cur = path[i++])
					assert_true(vfio_mig_arc_valid(flagsets[f], cur, path[i]));
				assert_int_equal(cur, b);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xe_paths),
		cmocka_unit_test(test_pre_copy_paths),
		cmocka_unit_test(test_plain_paths),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_all_pairs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
