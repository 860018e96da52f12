// SPDX-License-Identifier: MIT
/*
 * The VF driver model's RESFIX marker (lib/vf_guc.h): DATA0 of RESFIX_START
 * and RESFIX_DONE is 12 bits and 0 is refused, so the marker runs 1..4095
 * and wraps to 1. A 16-bit counter reaches 4096, which goes out as 0: the
 * GuC answers INVALID_PARAMS and the VF wedges after 4095 recoveries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "uapi/xe_sriov_sim_regs.h"
#include "vf_guc.h"

/* 10000 recoveries: every marker is a nonzero 12-bit value, and they wrap. */
static void test_marker_wraps(void **state)
{
	uint16_t m = 0;
	unsigned int wraps = 0;

	for (unsigned int i = 0; i < 10000; i++) {
		uint16_t next = vf_guc_next_marker(m);
		uint32_t data0 = ((uint32_t)next << XE_SRIOV_SIM_HXG_DATA0_SHIFT &
				  XE_SRIOV_SIM_HXG_DATA0_MASK) >> XE_SRIOV_SIM_HXG_DATA0_SHIFT;

		assert_true(next >= 1 && next <= XE_SRIOV_SIM_RESFIX_MARKER_MAX);
		/* What the GuC sees is the marker itself, never 0. */
		assert_int_equal(data0, next);
		assert_int_not_equal(next, m);
		wraps += next < m;
		m = next;
	}
	assert_int_equal(wraps, 10000 / 4095);
	assert_int_equal(vf_guc_next_marker(XE_SRIOV_SIM_RESFIX_MARKER_MAX), 1);
	assert_int_equal(vf_guc_next_marker(0), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marker_wraps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
