// SPDX-License-Identifier: MIT
/*
 * xe-migtest stream dump|diff|check: migration streams for people, from
 * files saved through debugfs (migration_data) or a VFIO data fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "xe_stream.h"

struct stream_file {
	const char *path;
	void *map;
	size_t len;
	struct xe_stream s;
};

static int stream_open(struct stream_file *sf, const char *path)
{
	struct xe_stream_error err = { 0 };
	struct stat st;
	int fd, ret;

	memset(sf, 0, sizeof(*sf));
	sf->path = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "xe-migtest: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	sf->len = st.st_size;
	if (sf->len)
		sf->map = mmap(NULL, sf->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (sf->map == MAP_FAILED) {
		fprintf(stderr, "xe-migtest: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ret = xe_stream_parse(sf->map, sf->len, &sf->s, &err);
	if (ret) {
		fprintf(stderr, "xe-migtest: %s: byte %llu: %s\n", path,
			(unsigned long long)err.pos, ret == -EINVAL ? err.msg : strerror(-ret));
		return -1;
	}
	return 0;
}

static void stream_close(struct stream_file *sf)
{
	xe_stream_free(&sf->s);
	if (sf->map && sf->map != MAP_FAILED)
		munmap(sf->map, sf->len);
}

static int parse_u64(const char *arg, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end) {
		fprintf(stderr, "xe-migtest: '%s' is not a number\n", arg);
		return -1;
	}
	return 0;
}

static int parse_expect(int argc, char **argv, struct xe_stream_expect *exp)
{
	static const struct option opts[] = {
		{ "devid", required_argument, NULL, 'd' },
		{ "revid", required_argument, NULL, 'r' },
		{ "ggtt-size", required_argument, NULL, 'g' },
		{ "vram-size", required_argument, NULL, 'v' },
		{ 0 }
	};
	uint64_t v;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == '?' || parse_u64(optarg, &v))
			return -1;
		if (opt == 'd')
			exp->devid = v;
		else if (opt == 'r')
			exp->revid = v;
		else if (opt == 'g')
			exp->ggtt_size = v;
		else
			exp->vram_size = v;
		exp->check_ids |= opt == 'd' || opt == 'r';
	}
	return 0;
}

static int stream_check(int argc, char **argv)
{
	struct xe_stream_expect exp = { 0 };
	struct xe_stream_error err = { 0 };
	struct stream_file sf;
	int ret;

	if (parse_expect(argc, argv, &exp) || optind != argc - 1) {
		fprintf(stderr, "usage: xe-migtest stream check [--devid N --revid N "
			"--ggtt-size N --vram-size N] FILE\n");
		return 2;
	}
	if (stream_open(&sf, argv[optind]))
		return 1;
	ret = xe_stream_validate(&sf.s, &exp, &err);
	if (ret)
		printf("%s: INVALID (%s) at byte %llu: %s\n", sf.path, strerror(-ret),
		       (unsigned long long)err.pos, err.msg);
	else
		printf("%s: valid, %zu packets, %zu bytes\n", sf.path, sf.s.count, sf.s.len);
	stream_close(&sf);
	return ret ? 1 : 0;
}

static int stream_dump(int argc, char **argv)
{
	struct stream_file sf;

	if (argc != 2) {
		fprintf(stderr, "usage: xe-migtest stream dump FILE\n");
		return 2;
	}
	if (stream_open(&sf, argv[1]))
		return 1;
	xe_stream_dump(stdout, &sf.s);
	stream_close(&sf);
	return 0;
}

static int stream_diff(int argc, char **argv)
{
	struct stream_file a, b;
	size_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: xe-migtest stream diff A B\n");
		return 2;
	}
	if (stream_open(&a, argv[1]))
		return 2;
	if (stream_open(&b, argv[2])) {
		stream_close(&a);
		return 2;
	}
	n = xe_stream_diff(stdout, &a.s, &b.s);
	printf("%zu differing packet%s\n", n, n == 1 ? "" : "s");
	stream_close(&a);
	stream_close(&b);
	return n ? 1 : 0;
}

int cmd_stream(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "dump"))
		return stream_dump(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "diff"))
		return stream_diff(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return stream_check(argc - 1, argv + 1);
	fprintf(stderr, "usage: xe-migtest stream dump FILE | diff A B | check [OPTS] FILE\n");
	return 2;
}
