// SPDX-License-Identifier: MIT
/*
 * lib/qemu_mig_stats.c: query-migrate answers as QEMU 10.0 gives them
 * (completed, with and without a VFIO device; failed; still in setup)
 * read into numbers, and the JSON line a hop is recorded as.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "qemu_migrate.h"

/* Taken from a hop of xe_sriov_migration_vm under TCG. */
static const char completed[] =
	"{\"status\": \"completed\", \"setup-time\": 1, \"downtime\": 187, \"total-time\": 294,"
	" \"ram\": {\"total\": 134750208, \"postcopy-requests\": 0, \"dirty-sync-count\": 3,"
	" \"multifd-bytes\": 0, \"pages-per-second\": 92396, \"downtime-bytes\": 64294763,"
	" \"page-size\": 4096, \"remaining\": 0, \"postcopy-bytes\": 0,"
	" \"mbps\": 2728.528709897611, \"transferred\": 99932364,"
	" \"dirty-sync-missed-zero-copy\": 0, \"precopy-bytes\": 35559059, \"duplicate\": 8586,"
	" \"dirty-pages-rate\": 0, \"normal-bytes\": 99581952, \"normal\": 24312}}";

static json_t *load(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	if (!j)
		fail_msg("bad test JSON: %s", err.text);
	return j;
}

static void test_completed(void **state)
{
	json_t *info = load(completed);
	struct qemu_mig_stats st;

	qemu_mig_parse_stats(info, &st);
	assert_string_equal(st.status, "completed");
	assert_int_equal(st.total_time_ms, 294);
	assert_int_equal(st.downtime_ms, 187);
	assert_int_equal(st.setup_time_ms, 1);
	assert_int_equal(st.expected_downtime_ms, -1);	/* absent, not 0 */
	assert_int_equal(st.ram_transferred, 99932364);
	assert_int_equal(st.ram_total, 134750208);
	assert_int_equal(st.ram_dirty_syncs, 3);
	assert_true(st.ram_mbps > 2728 && st.ram_mbps < 2729);
	assert_false(st.has_vfio);
	/* 99932364 bytes in 0.294 s */
	assert_true(st.throughput_mib_s > 324.0 && st.throughput_mib_s < 324.3);
	assert_string_equal(st.error, "");
	json_decref(info);
}

static void test_vfio(void **state)
{
	json_t *info = load("{\"status\": \"completed\", \"total-time\": 1000, \"downtime\": 400,"
			    " \"ram\": {\"transferred\": 1048576}, \"vfio\": {\"transferred\": 3145728}}");
	struct qemu_mig_stats st;
	json_t *o;

	qemu_mig_parse_stats(info, &st);
	assert_true(st.has_vfio);
	assert_int_equal(st.vfio_transferred, 3145728);
	/* RAM and device state together: 4 MiB in 1 s. */
	assert_true(st.throughput_mib_s > 3.99 && st.throughput_mib_s < 4.01);
	o = qemu_mig_stats_json(&st);
	assert_int_equal(json_integer_value(json_object_get(o, "vfio_transferred_bytes")), 3145728);
	assert_int_equal(json_integer_value(json_object_get(o, "downtime_ms")), 400);
	assert_int_equal(json_integer_value(json_object_get(o, "ram_transferred_bytes")), 1048576);
	assert_null(json_object_get(o, "error"));
	json_decref(o);
	json_decref(info);
}

static void test_failed(void **state)
{
	json_t *info = load("{\"status\": \"failed\", \"error-desc\": \"Sibling indicated error 1\"}");
	struct qemu_mig_stats st;
	json_t *o;

	qemu_mig_parse_stats(info, &st);
	assert_string_equal(st.status, "failed");
	assert_string_equal(st.error, "Sibling indicated error 1");
	assert_int_equal(st.total_time_ms, -1);
	assert_int_equal(st.downtime_ms, -1);
	assert_int_equal(st.ram_transferred, 0);
	assert_true(st.throughput_mib_s == 0);
	o = qemu_mig_stats_json(&st);
	assert_string_equal(json_string_value(json_object_get(o, "error")),
			    "Sibling indicated error 1");
	assert_null(json_object_get(o, "vfio_transferred_bytes"));
	json_decref(o);
	json_decref(info);
}

static void test_nothing(void **state)
{
	struct qemu_mig_stats st;

	/* No answer at all (QMP broke): a status, no numbers. */
	qemu_mig_parse_stats(NULL, &st);
	assert_string_equal(st.status, "none");
	assert_int_equal(st.total_time_ms, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_completed),
		cmocka_unit_test(test_vfio),
		cmocka_unit_test(test_failed),
		cmocka_unit_test(test_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
