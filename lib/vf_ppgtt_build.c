// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * See vf_ppgtt_build.h. Entries are little endian, as the sim reads them.
 */

#include <endian.h>
#include <errno.h>
#include <string.h>

#include "vf_ppgtt_build.h"

#define PT_PAGE XE_SRIOV_SIM_PPGTT_PAGE_SIZE

static volatile uint64_t *table(struct vf_ppgtt *p, uint64_t off)
{
	return (volatile uint64_t *)(p->drv->lmem + off);
}

/* A fresh zeroed table page; its LMEM offset or 0 when the pool is spent. */
static uint64_t new_table(struct vf_ppgtt *p)
{
	uint64_t off;

	if (p->used == p->max)
		return 0;
	off = p->pool.lmem_off + (uint64_t)p->used++ * PT_PAGE;
	memset(p->drv->lmem + off, 0, PT_PAGE);
	return off;
}

int vf_ppgtt_init(struct vf_ppgtt *p, struct vf_driver *drv, unsigned int max_tables)
{
	int err;

	memset(p, 0, sizeof(*p));
	p->drv = drv;
	if (!max_tables || !drv->lmem)
		return -EINVAL;
	err = vf_driver_bo_create(drv, (uint64_t)max_tables * PT_PAGE, &p->pool);
	if (err)
		return err;
	p->max = max_tables;
	p->root = new_table(p);
	return 0;
}

/* The table below entry e of the table at off, made if make; 0 if none. */
static uint64_t down(struct vf_ppgtt *p, uint64_t off, unsigned int idx, int make)
{
	volatile uint64_t *e = &table(p, off)[idx];
	uint64_t v = le64toh(*e), child;

	if (v & XE_SRIOV_SIM_PPGTT_PRESENT)
		return v & XE_SRIOV_SIM_PPGTT_ADDR_MASK;
	if (!make)
		return 0;
	child = new_table(p);
	if (child)
		*e = htole64(child | XE_SRIOV_SIM_PPGTT_PRESENT | XE_SRIOV_SIM_PPGTT_RW);
	return child;
}

volatile uint64_t *vf_ppgtt_entry(struct vf_ppgtt *p, uint64_t va, unsigned int level)
{
	uint64_t off = p->root;

	for (unsigned int l = XE_SRIOV_SIM_PPGTT_LEVELS - 1; l > level; l--) {
		off = down(p, off, XE_SRIOV_SIM_PPGTT_INDEX(va, l), 0);
		if (!off)
			return NULL;
	}
	return &table(p, off)[XE_SRIOV_SIM_PPGTT_INDEX(va, level)];
}

int vf_ppgtt_map(struct vf_ppgtt *p, uint64_t va, uint64_t addr, uint64_t flags)
{
	uint64_t off = p->root;

	if ((va | addr) & (PT_PAGE - 1) || va >> XE_SRIOV_SIM_PPGTT_VA_BITS)
		return -EINVAL;
	for (unsigned int l = XE_SRIOV_SIM_PPGTT_LEVELS - 1; l > 0; l--) {
		off = down(p, off, XE_SRIOV_SIM_PPGTT_INDEX(va, l), 1);
		if (!off)
			return -ENOSPC;
	}
	table(p, off)[XE_SRIOV_SIM_PPGTT_INDEX(va, 0)] =
		htole64(addr | XE_SRIOV_SIM_PPGTT_PRESENT | flags);
	return 0;
}

int vf_ppgtt_set_root(struct vf_ppgtt *p, uint64_t value)
{
	int err = vf_io_write32(&p->drv->io, XE_SRIOV_SIM_PPGTT_ROOT_HI,
				(uint32_t)(value >> 32));

	return err ?: vf_io_write32(&p->drv->io, XE_SRIOV_SIM_PPGTT_ROOT_LO, (uint32_t)value);
}

int vf_ppgtt_enable(struct vf_ppgtt *p)
{
	return vf_ppgtt_set_root(p, p->root | XE_SRIOV_SIM_PPGTT_ROOT_ENABLE);
}

int vf_ppgtt_read_root(struct vf_driver *drv, uint64_t *value)
{
	uint32_t lo = 0, hi = 0;
	int err = vf_io_read32(&drv->io, XE_SRIOV_SIM_PPGTT_ROOT_LO, &lo);

	err = err ?: vf_io_read32(&drv->io, XE_SRIOV_SIM_PPGTT_ROOT_HI, &hi);
	*value = lo | (uint64_t)hi << 32;
	return err;
}
