/* SPDX-License-Identifier: MIT */
/*
 * /dev/kmsg capture and parsing: the dmesg of each job, as raw records
 * ("prio,seq,usec,flags;message"), like igt_runner's dmesg.txt.
 */
#ifndef XEMT_RUNNER_KMSG_H
#define XEMT_RUNNER_KMSG_H

#include <stdbool.h>
#include <stdio.h>

struct kmsg_record {
	int level;			/* syslog level 0..7 */
	unsigned long long seq;
	unsigned long long usec;	/* since boot */
	const char *msg;		/* not NUL-terminated at the line end */
	int msg_len;
};

/* Open /dev/kmsg non-blocking, positioned after the current end; -1 if not. */
int kmsg_open_at_end(void);
/* Copy every new record to @out; returns the number copied. */
int kmsg_drain(int fd, FILE *out);
/*
 * Parse one record line. Continuation lines (dictionary " KEY=VAL") and
 * junk return false.
 */
bool kmsg_parse(const char *line, struct kmsg_record *rec);

#endif
