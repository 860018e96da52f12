// SPDX-License-Identifier: MIT
/*
 * igt_log(): IGT's levelled logging. Info goes to stdout bare; debug to
 * stdout and warnings/criticals to stderr, prefixed "(prog:pid) LEVEL: ".
 * Every line, printed or not, also goes into a ring buffer of the last 256
 * lines, dumped to stderr when a (dynamic) subtest fails.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igt_lite_internal.h"

enum igt_log_level igt_log_level = IGT_LOG_INFO;

#define LOG_RING_SIZE 256

static struct {
	char *lines[LOG_RING_SIZE];
	unsigned int start, count;
} ring;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
static char *domain_filter;

/* Set when the last message of this thread did not end its line. */
static __thread bool continuing_line;

static const char *const level_names[] = {
	[IGT_LOG_DEBUG] = "DEBUG",
	[IGT_LOG_INFO] = "INFO",
	[IGT_LOG_WARN] = "WARNING",
	[IGT_LOG_CRITICAL] = "CRITICAL",
	[IGT_LOG_NONE] = "NONE",
};

void igt_lite_log_set_domain_filter(const char *domain)
{
	free(domain_filter);
	domain_filter = domain ? strdup(domain) : NULL;
}

static void ring_append(char *line)
{
	pthread_mutex_lock(&ring_lock);
	if (ring.count == LOG_RING_SIZE) {
		free(ring.lines[ring.start]);
		ring.lines[ring.start] = line;
		ring.start = (ring.start + 1) % LOG_RING_SIZE;
	} else {
		ring.lines[(ring.start + ring.count) % LOG_RING_SIZE] = line;
		ring.count++;
	}
	pthread_mutex_unlock(&ring_lock);
}

void igt_lite_log_buffer_reset(void)
{
	pthread_mutex_lock(&ring_lock);
	for (unsigned int i = 0; i < ring.count; i++) {
		unsigned int slot = (ring.start + i) % LOG_RING_SIZE;

		free(ring.lines[slot]);
		ring.lines[slot] = NULL;
	}
	ring.start = ring.count = 0;
	pthread_mutex_unlock(&ring_lock);
}

void igt_lite_log_line(FILE *f, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	pthread_mutex_lock(&print_lock);
	if (f == stderr)
		fflush(stdout);
	vfprintf(f, format, ap);
	fflush(f);
	pthread_mutex_unlock(&print_lock);
	va_end(ap);
}

void igt_lite_log_buffer_dump(const char *what)
{
	igt_lite_log_line(stderr, "%s failed.\n", what);

	pthread_mutex_lock(&ring_lock);
	if (!ring.count) {
		pthread_mutex_unlock(&ring_lock);
		igt_lite_log_line(stderr, "No log.\n");
		return;
	}
	igt_lite_log_line(stderr, "**** DEBUG ****\n");
	for (unsigned int i = 0; i < ring.count; i++)
		igt_lite_log_line(stderr, "%s",
				  ring.lines[(ring.start + i) % LOG_RING_SIZE]);
	igt_lite_log_line(stderr, "****  END  ****\n");
	pthread_mutex_unlock(&ring_lock);

	igt_lite_log_buffer_reset();
}

void igt_log_buffer_inspect(igt_buffer_log_handler_t check, void *data)
{
	pthread_mutex_lock(&ring_lock);
	for (unsigned int i = 0; i < ring.count; i++)
		if (check(ring.lines[(ring.start + i) % LOG_RING_SIZE], data))
			break;
	pthread_mutex_unlock(&ring_lock);
}

void igt_log(const char *domain, enum igt_log_level level, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	igt_vlog(domain, level, format, ap);
	va_end(ap);
}

void igt_vlog(const char *domain, enum igt_log_level level, const char *format,
	      va_list args)
{
	int saved_errno = errno;
	char *msg, *line;
	bool continuation;
	size_t len;

	if (level > IGT_LOG_NONE)
		level = IGT_LOG_NONE;

	/* While only listing, stdout is the list: keep it clean. */
	if (igt_only_list_subtests() && level <= IGT_LOG_WARN)
		return;

	if (vasprintf(&msg, format, args) < 0)
		return;

	continuation = continuing_line;
	len = strlen(msg);
	continuing_line = len == 0 || msg[len - 1] != '\n';

	if (continuation)
		line = strdup(msg);
	else if (asprintf(&line, "(%s:%d) %s%s%s: %s", program_invocation_short_name,
			  getpid(), domain ? domain : "", domain ? "-" : "",
			  level_names[level], msg) < 0)
		line = NULL;
	if (!line) {
		free(msg);
		errno = saved_errno;
		return;
	}

	ring_append(line);

	if (level < igt_log_level)
		goto out;

	if (domain_filter) {
		if (!domain ? strcmp(domain_filter, "application") != 0 :
			      strcmp(domain_filter, domain) != 0)
			goto out;
	}

	if (level == IGT_LOG_INFO)
		igt_lite_log_line(stdout, "%s", msg);
	else
		igt_lite_log_line(level >= IGT_LOG_WARN ? stderr : stdout, "%s", line);

out:
	free(msg);
	errno = saved_errno;
}
