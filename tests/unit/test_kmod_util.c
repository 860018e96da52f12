// SPDX-License-Identifier: MIT
/*
 * lib/kmod_util.c: what the lab path says when a module it needs (xe,
 * vfio, vfio_pci, xe_vfio_pci) is missing, against an empty module
 * directory; and that a module already in the kernel needs nothing.
 * Nothing here loads a module.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "kmod_util.h"

static char dir[PATH_MAX];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "%s/test_kmod_util.XXXXXX",
		 getenv("TMPDIR") ?: "/tmp");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	rmdir(dir);
	return 0;
}

/* Not in the kernel, not in the module directory: name, user and why. */
static void test_not_found(void **state)
{
	char why[512], want[PATH_MAX + 128];

	assert_int_equal(kmod_util_require_in(dir, "xemt-no-such-mod",
					      "VFs on xe-vfio-pci", why,
					      sizeof(why)), -ENOENT);
	snprintf(want, sizeof(want), "module xemt-no-such-mod (needed for VFs"
		 " on xe-vfio-pci): not found under %s (not built for this"
		 " kernel, or depmod not run)", dir);
	assert_string_equal(why, want);

	/* a short buffer is cut, never overrun */
	memset(why, 'x', sizeof(why));
	assert_int_equal(kmod_util_require_in(dir, "xemt-no-such-mod", NULL,
					      why, 16), -ENOENT);
	assert_string_equal(why, "module xemt-no-");
}

/*
 * A built-in module (its /sys/module directory has no initstate) needs no
 * module directory at all. "kernel" holds the core's parameters on every
 * Linux with sysfs.
 */
static void test_builtin(void **state)
{
	char why[512] = "untouched";
	struct stat st;

	if (stat("/sys/module/kernel", &st) || !access("/sys/module/kernel/initstate", F_OK))
		skip();
	assert_int_equal(kmod_util_require_in(dir, "kernel", "a test", why,
					      sizeof(why)), 0);
	assert_string_equal(why, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_builtin, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
