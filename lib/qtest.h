/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * A client of QEMU's qtest protocol (docs/devel/testing/qtest.rst): QEMU
 * started with "-qtest unix:PATH,server=on,wait=off -qtest-log none"
 * takes text commands on that socket and performs them as the guest
 * would, in its physical address space and I/O ports: "outl 0xcf8 V",
 * "readq ADDR", "b64write ADDR SIZE DATA", ... each answered "OK [value]"
 * or "FAIL ...". The harness uses it as the guest driver of a VM that
 * runs no OS: it programs a passed-through device's PCI config space
 * through the 0xcf8/0xcfc mechanism and reads and writes its BARs, every
 * access going through QEMU's vfio-pci to the device.
 */
#ifndef XEMIG_QTEST_H
#define XEMIG_QTEST_H

#include <stddef.h>
#include <stdint.h>

#include "unix_sock.h"

struct qtest {
	int fd;
	struct unix_sock_lines in;	/* bytes read, not yet a whole line */
	char *line;		/* the last answer, without "OK " */
	char error[512];	/* why the last call failed */
};

/* Connect to the qtest socket, retrying until timeout_ms. 0 or -errno. */
int qtest_connect(struct qtest *q, const char *path, int timeout_ms);
void qtest_close(struct qtest *q);

/* Port I/O: 0 or -EIO (q->error). */
int qtest_outl(struct qtest *q, uint16_t port, uint32_t val);
int qtest_inl(struct qtest *q, uint16_t port, uint32_t *val);

/* Guest physical memory, MMIO included: 0 or -EIO (q->error). */
int qtest_readl(struct qtest *q, uint64_t addr, uint32_t *val);
int qtest_writel(struct qtest *q, uint64_t addr, uint32_t val);
int qtest_readq(struct qtest *q, uint64_t addr, uint64_t *val);
int qtest_writeq(struct qtest *q, uint64_t addr, uint64_t val);
/*
 * Bulk access (b64read/b64write, split in pieces of at most 256 KiB).
 * QEMU splits MMIO into accesses of the region's largest size (8 bytes
 * for a vfio-pci BAR).
 */
int qtest_memread(struct qtest *q, uint64_t addr, void *buf, size_t len);
int qtest_memwrite(struct qtest *q, uint64_t addr, const void *buf, size_t len);
/* @len bytes of @byte at @addr, in one command ("memset"). */
int qtest_memset(struct qtest *q, uint64_t addr, uint64_t len, uint8_t byte);

/* PCI config space of bus 0 through ports 0xcf8/0xcfc (devfn = slot << 3 | fn). */
int qtest_pci_read32(struct qtest *q, unsigned int devfn, unsigned int off, uint32_t *val);
int qtest_pci_write32(struct qtest *q, unsigned int devfn, unsigned int off, uint32_t val);

/* The first function on bus 0 with this vendor and device id: devfn, or -ENODEV. */
int qtest_pci_find(struct qtest *q, uint16_t vendor, uint16_t device);

/* Base64 (RFC 4648, padded), as qtest's b64 commands use; exported for unit tests. */
size_t qtest_b64_encode(const void *in, size_t len, char *out);
/* Decoded bytes, or -1 on a character outside the alphabet or too much data. */
long qtest_b64_decode(const char *in, void *out, size_t max);

#endif
