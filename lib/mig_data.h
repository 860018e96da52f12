/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Moving migration data: drain a saving fd, feed a resuming fd, or pump
 * one into the other, with a chosen buffer/segment size (VFIO promises
 * any segmentation works; the tests hold devices to it).
 */
#ifndef XEMIG_MIG_DATA_H
#define XEMIG_MIG_DATA_H

#include <stddef.h>
#include <stdint.h>

struct mig_data_stats {
	uint64_t bytes;
	uint64_t calls;		/* read()/write() calls that moved data */
	uint64_t ns;		/* wall time of the transfer */
	uint64_t moves;		/* mig_data_pump: buffers moved off an aliased page offset */
};

/* read() until 0 (end of stream) into a growing *buf. 0 or -errno. */
int mig_data_read_all(int fd, size_t chunk, uint8_t **buf, size_t *len,
		      struct mig_data_stats *st);

/* write() all of buf in pieces of at most seg bytes. 0 or -errno. */
int mig_data_write_all(int fd, const uint8_t *buf, size_t len, size_t seg,
		       struct mig_data_stats *st);

/*
 * Copy from a saving fd to a resuming fd until EOF, bufsize bytes per
 * read(): a reader thread reads into one buffer while the caller writes
 * the other, so saving and restoring overlap as they do between two hosts.
 * Meanwhile the caller is pinned to the CPU it was on and the reader runs
 * on the others (the caller's affinity is restored at the end); with a
 * single CPU this is mig_data_pump_serial(). calls counts the reads that
 * returned data. 0 or -errno; after a write error it still waits for the
 * read in flight.
 */
int mig_data_pump(int from, int to, size_t bufsize, struct mig_data_stats *st);

/* The same in one thread: read, write, read, ... (the benchmark's reference). */
int mig_data_pump_serial(int from, int to, size_t bufsize, struct mig_data_stats *st);

#endif
