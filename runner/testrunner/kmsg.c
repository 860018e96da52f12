// SPDX-License-Identifier: MIT
/*
 * /dev/kmsg: every read() returns one record. EAGAIN means no more; EPIPE
 * means records were overwritten before we read them, and the next read
 * continues at the oldest one still there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmsg.h"

int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int kmsg_drain(int fd, FILE *out)
{
	char rec[8192];
	int n = 0;

	if (fd < 0)
		return 0;
	for (;;) {
		ssize_t r = read(fd, rec, sizeof(rec) - 1);

		if (r < 0 && (errno == EPIPE || errno == EINTR))
			continue;
		if (r <= 0)
			break;
		if (rec[r - 1] != '\n')
			rec[r++] = '\n';
		fwrite(rec, 1, r, out);
		n++;
	}
	fflush(out);
	return n;
}

bool kmsg_parse(const char *line, struct kmsg_record *rec)
{
	unsigned long long prio;
	const char *semi;
	char *end;

	if (!line || *line < '0' || *line > '9')
		return false;
	semi = strchr(line, ';');
	if (!semi)
		return false;
	prio = strtoull(line, &end, 10);
	if (*end != ',')
		return false;
	rec->seq = strtoull(end + 1, &end, 10);
	if (*end != ',')
		return false;
	rec->usec = strtoull(end + 1, &end, 10);
	if (*end != ',' && *end != ';')
		return false;
	rec->level = prio & 7;
	rec->msg = semi + 1;
	rec->msg_len = strcspn(rec->msg, "\n");
	return true;
}
