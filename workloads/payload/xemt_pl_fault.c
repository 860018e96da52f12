// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Payload self-test command that fails on demand, to prove the host's
 * verdict: with "xemt.fault=<kind>@<iteration>" on the guest's kernel
 * command line (XEMT_VM_PAYLOAD_FAULT on the host) it fails in that
 * iteration ($XEMT_ITER) and succeeds in every other one:
 *
 *   exit@N    exit 3 with a message on stderr (a failed payload command);
 *   kmsg@N    write an xe "declared wedged" line to /dev/kmsg and exit 0
 *             (a kernel log line the agent reports).
 *
 * Without the parameter it always succeeds.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char line[4096] = " ", kind[16];
	const char *it = getenv("XEMT_ITER");
	unsigned int at, iter = it ? strtoul(it, NULL, 0) : 0;
	FILE *f = fopen("/proc/cmdline", "r");
	const char *p;

	if (f) {
		if (!fgets(line + 1, sizeof(line) - 1, f))
			line[1] = '\0';
		fclose(f);
	}
	p = strstr(line, " xemt.fault=");
	if (!p || sscanf(p + 12, "%15[a-z]@%u", kind, &at) != 2 || at != iter) {
		printf("xemt_pl_fault: nothing planted for iteration %u\n", iter);
		return 0;
	}
	if (!strcmp(kind, "exit")) {
		fprintf(stderr, "xemt_pl_fault: planted failure in iteration %u\n", iter);
		return 3;
	}
	if (!strcmp(kind, "kmsg")) {
		int fd = open("/dev/kmsg", O_WRONLY);
		static const char msg[] = "<3>xe 0000:00:02.0: [drm] *ERROR* CRITICAL: Xe has declared device 0000:00:02.0 as wedged (planted by xemt_pl_fault)\n";

		if (fd < 0 || write(fd, msg, sizeof(msg) - 1) < 0) {
			perror("xemt_pl_fault: /dev/kmsg");
			return 2;
		}
		close(fd);
		return 0;
	}
	fprintf(stderr, "xemt_pl_fault: unknown fault '%s'\n", kind);
	return 2;
}
