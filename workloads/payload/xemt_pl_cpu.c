// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Payload self-test command: count the primes below N (argv[1], default
 * 200000) with a sieve and compare with the count computed by trial
 * division of a sample; exit 0 when both agree with pi(N) where it is
 * known. CPU work with a checkable answer across a migration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_prime(unsigned long n)
{
	if (n < 2)
		return 0;
	for (unsigned long d = 2; d * d <= n; d++)
		if (n % d == 0)
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
	unsigned long count = 0;
	char *composite = calloc(n + 1, 1);

	if (!composite || n < 2)
		return 2;
	for (unsigned long i = 2; i <= n; i++) {
		if (composite[i])
			continue;
		count += i < n;
		for (unsigned long j = i * i; j <= n; j += i)
			composite[j] = 1;
	}
	/* The sieve and trial division agree on the top of the range. */
	for (unsigned long i = n > 1000 ? n - 1000 : 2; i < n; i++) {
		if (is_prime(i) != !composite[i]) {
			fprintf(stderr, "xemt_pl_cpu: sieve and division disagree at %lu\n", i);
			return 1;
		}
	}
	if (n == 200000 && count != 17984) {
		fprintf(stderr, "xemt_pl_cpu: pi(200000) = %lu, not 17984\n", count);
		return 1;
	}
	printf("xemt_pl_cpu: %lu primes below %lu\n", count, n);
	free(composite);
	return 0;
}
