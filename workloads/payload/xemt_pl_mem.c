// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Payload self-test command: fill N MiB (argv[1], default 8) with a
 * pattern seeded by the iteration ($XEMT_ITER), read it back, exit 0 when
 * every word matches. Guest memory under migration, seen by a short-lived
 * process rather than the agent's long-lived buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 8;
	const char *it = getenv("XEMT_ITER");
	uint64_t seed = (it ? strtoull(it, NULL, 0) : 0) * 0x9e3779b97f4a7c15ULL;
	size_t words = (mib << 20) / sizeof(uint64_t);
	uint64_t *w;

	w = mmap(NULL, words * sizeof(*w), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!mib || w == MAP_FAILED) {
		fprintf(stderr, "xemt_pl_mem: cannot map %zu MiB\n", mib);
		return 2;
	}
	for (size_t i = 0; i < words; i++)
		w[i] = (seed + i) * 0xbf58476d1ce4e5b9ULL;
	for (size_t i = 0; i < words; i++) {
		if (w[i] != (seed + i) * 0xbf58476d1ce4e5b9ULL) {
			fprintf(stderr, "xemt_pl_mem: word %zu of %zu MiB is wrong\n", i, mib);
			return 1;
		}
	}
	printf("xemt_pl_mem: %zu MiB ok\n", mib);
	return 0;
}
