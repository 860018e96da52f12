// SPDX-License-Identifier: MIT
/*
 * igt_kmsg(): one record to the kernel log, e.g.
 * "<6>[IGT] xe_foo: starting subtest bar". igt_runner matches
 * ": starting subtest " / ": starting dynamic subtest " in dmesg to split
 * the kernel log per subtest. Failures (no /dev/kmsg, not root) are ignored.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdlib.h>
#include <unistd.h>

#include "igt_lite_internal.h"

void igt_kmsg(const char *format, ...)
{
	const char *path = getenv(IGT_LITE_KMSG_ENV);
	int saved_errno = errno;
	char buf[1024];
	va_list ap;
	int len, fd;

	va_start(ap, format);
	len = vsnprintf(buf, sizeof(buf), format, ap);
	va_end(ap);
	if (len < 0)
		goto out;
	if ((size_t)len >= sizeof(buf))
		len = sizeof(buf) - 1;

	if (path && *path)
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	else
		fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		goto out;

	/* One write() is one kmsg record. */
	if (write(fd, buf, (size_t)len) < 0) {
		/* nothing to do: the kernel log is best effort */
	}
	close(fd);
out:
	errno = saved_errno;
}

void igt_emit_ignore_dmesg_regex(const char *regex)
{
	regex_t re;

	igt_assert_f(!regcomp(&re, regex, REG_EXTENDED | REG_NOSUB),
		     "bad dmesg regex \"%s\"\n", regex);
	regfree(&re);
	igt_kmsg(KMSG_INFO "%s: add ignored dmesg regex: %s\n", igt_test_name(), regex);
}
