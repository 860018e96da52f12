// SPDX-License-Identifier: MIT
/* Kernel taint bits, named as in Documentation/admin-guide/tainted-kernels.rst. */
#include <stdio.h>
#include <string.h>

#include "taint.h"

static const char *const taint_names[] = {
	"PROPRIETARY_MODULE", "FORCED_MODULE", "CPU_OUT_OF_SPEC",
	"FORCED_RMMOD", "MACHINE_CHECK", "BAD_PAGE", "USER", "DIE",
	"OVERRIDDEN_ACPI_TABLE", "WARN", "CRAP", "FIRMWARE_WORKAROUND",
	"OOT_MODULE", "UNSIGNED_MODULE", "SOFTLOCKUP", "LIVEPATCH", "AUX",
	"RANDSTRUCT", "TEST",
};

unsigned long taint_read(void)
{
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");
	unsigned long t = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%lu", &t) != 1)
		t = 0;
	fclose(f);
	return t;
}

void taint_describe(unsigned long taints, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int bit = 0; bit < 8 * sizeof(taints) && len < size; bit++) {
		if (!(taints & (1ul << bit)))
			continue;
		if (bit < sizeof(taint_names) / sizeof(taint_names[0]))
			len += snprintf(buf + len, size - len, "%s%s", len ? " " : "",
					taint_names[bit]);
		else
			len += snprintf(buf + len, size - len, "%sbit%u", len ? " " : "", bit);
	}
	if (!len)
		snprintf(buf, size, "none");
}
