// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: VF provisioning
 *
 * Every VF is provisioned when it is created, with the same amounts for all
 * VFs, set by module parameters:
 *
 * - ``lmem_size``: bytes of LMEM (BAR2), a multiple of the page size. The
 *   LMEM object also holds the CCS metadata, lmem_size / 256 bytes, as a
 *   tail behind the LMEM that BAR2 does not expose.
 * - ``ggtt_size``: bytes of GGTT address space, a multiple of 4 KiB. The
 *   PTEs of all VF slices of a PF live in one array; VF n owns slice n - 1,
 *   at GGTT address XE_SRIOV_SIM_GGTT_VF_BASE + (n - 1) * ggtt_size, so two
 *   VFs never share a base.
 * - ``num_ctxs``: GuC contexts; VF n owns context ids
 *   XE_SRIOV_SIM_PF_CTXS + (n - 1) * num_ctxs onwards.
 * - ``vram_chunk_size``: the largest VRAM packet of a saved stream, a
 *   multiple of the page size; xe's is 512 MiB
 *   (VF_VRAM_STATE_CHUNK_MAX_SIZE), the default. Writable at run time: a
 *   save keeps the value it started with, a value out of range is refused
 *   with -EINVAL and changes nothing.
 * - ``flavour``: the platform flavour of each PF, a comma separated list
 *   ("dgfx" or "igfx", see include/uapi/xe_sriov_sim_ccs.h). PFs past the
 *   list: pf0 is "dgfx", every later PF "igfx", so the default VM has one
 *   of each (their PCI ids stay the Battlemage ones). The sysfs attribute
 *   pf<N>/flavour shows it and takes a new one while the PF has no VF. A
 *   VF keeps the flavour it was created with.
 *
 * A fresh (or FLRed) slice holds PTEs that carry only the VF id, like the
 * scratch PTEs xe_ggtt_assign() writes. debugfs prints the ranges the way
 * xe's ``*_provisioned`` files do.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/string_helpers.h>
#include <linux/vmalloc.h>

#include <uapi/xe_sriov_sim.h>
#include <uapi/xe_sriov_sim_ccs.h>

#include "xe_sriov_sim.h"
#include "xe_sriov_sim_guc.h"
#include "xe_sriov_sim_ggtt.h"

/* The GGTT ends where xe's GuC can no longer reach (GUC_GGTT_TOP). */
#define XE_SRIOV_SIM_GGTT_TOP		0xfee00000ull
/* GuC context ids available in total (xe: GUC_ID_MAX + 1). */
#define XE_SRIOV_SIM_MAX_CTXS		65535u

struct xe_sriov_sim_params xe_sriov_sim_params = {
	.lmem_size = SZ_4M,
	.ggtt_size = SZ_1M,
	.vram_chunk_size = SZ_512M,
	.num_ctxs = 64,
};

module_param_named(lmem_size, xe_sriov_sim_params.lmem_size, ullong, 0444);
MODULE_PARM_DESC(lmem_size,
		 "LMEM (BAR2) bytes per VF, a page multiple, 64K..1G (default 4M)");
module_param_named(ggtt_size, xe_sriov_sim_params.ggtt_size, ullong, 0444);
MODULE_PARM_DESC(ggtt_size,
		 "GGTT bytes per VF, a 4K multiple, 4K..64M (default 1M)");
/**
 * vram_chunk_size_ok() - whether a VRAM chunk size is in range
 * @size: bytes
 *
 * Return: true for a page multiple in 4K..512M, at load and at run time.
 */
static bool vram_chunk_size_ok(u64 size)
{
	return size >= PAGE_SIZE && size <= SZ_512M && PAGE_ALIGNED(size);
}

/**
 * vram_chunk_size_set() - set vram_chunk_size, at load or at run time
 * @val: the value written
 * @kp: the parameter
 *
 * A save takes the value of the moment it starts (xe_sriov_sim_save_start())
 * and keeps it, so a new value only changes later saves.
 *
 * Return: 0, or -EINVAL (and nothing changed) for a value out of range.
 */
static int vram_chunk_size_set(const char *val, const struct kernel_param *kp)
{
	u64 size;

	if (kstrtoull(val, 0, &size))
		return -EINVAL;
	if (!vram_chunk_size_ok(size)) {
		pr_notice("vram_chunk_size=%llu: want a page multiple in 4K..512M\n",
			  size);
		return -EINVAL;
	}
	WRITE_ONCE(*(u64 *)kp->arg, size);
	return 0;
}

static const struct kernel_param_ops vram_chunk_size_ops = {
	.set = vram_chunk_size_set,
	.get = param_get_ullong,
};

module_param_cb(vram_chunk_size, &vram_chunk_size_ops,
		&xe_sriov_sim_params.vram_chunk_size, 0644);
MODULE_PARM_DESC(vram_chunk_size,
		 "Largest VRAM packet of a saved stream, a page multiple, 4K..512M (default 512M, as xe); writable at run time, for saves that start afterwards");
module_param_named(num_ctxs, xe_sriov_sim_params.num_ctxs, uint, 0444);
MODULE_PARM_DESC(num_ctxs, "GuC contexts per VF, 1..2048 (default 64)");

static char *flavour[XE_SRIOV_SIM_MAX_PFS];
static unsigned int n_flavour;
module_param_array(flavour, charp, &n_flavour, 0444);
MODULE_PARM_DESC(flavour,
		 "Platform flavour per PF: dgfx (flat CCS, VRAM decompressed on save) or igfx (no VRAM, CCS by the VF's batches); default pf0 dgfx, later PFs igfx");

/**
 * xe_sriov_sim_flavour_parse() - a flavour name
 * @name: "dgfx" or "igfx", a trailing newline allowed
 * @igfx: true for "igfx"
 *
 * Return: 0, or -EINVAL for another name.
 */
int xe_sriov_sim_flavour_parse(const char *name, bool *igfx)
{
	if (sysfs_streq(name, XE_SRIOV_SIM_FLAVOUR_DGFX))
		*igfx = false;
	else if (sysfs_streq(name, XE_SRIOV_SIM_FLAVOUR_IGFX))
		*igfx = true;
	else
		return -EINVAL;
	return 0;
}

/**
 * xe_sriov_sim_flavour_name() - the name of a flavour
 * @igfx: the flavour
 *
 * Return: "igfx" or "dgfx".
 */
const char *xe_sriov_sim_flavour_name(bool igfx)
{
	return igfx ? XE_SRIOV_SIM_FLAVOUR_IGFX : XE_SRIOV_SIM_FLAVOUR_DGFX;
}

/**
 * xe_sriov_sim_provision_pf_flavour() - the flavour PF @index starts with
 * @index: PF number
 *
 * Return: true for igfx. Checked by xe_sriov_sim_provision_check_params().
 */
bool xe_sriov_sim_provision_pf_flavour(unsigned int index)
{
	bool igfx = index > 0;

	if (index < n_flavour && flavour[index])
		xe_sriov_sim_flavour_parse(flavour[index], &igfx);
	return igfx;
}

/**
 * xe_sriov_sim_provision_check_params() - validate the module parameters
 *
 * Return: 0, or -EINVAL (logged) when a parameter is out of range.
 */
int xe_sriov_sim_provision_check_params(void)
{
	const struct xe_sriov_sim_params *p = &xe_sriov_sim_params;
	unsigned int i;

	if (p->lmem_size < SZ_64K || p->lmem_size > SZ_1G ||
	    !PAGE_ALIGNED(p->lmem_size)) {
		pr_err("lmem_size=%llu: want a page multiple in 64K..1G\n",
		       p->lmem_size);
		return -EINVAL;
	}
	if (p->ggtt_size < SZ_4K || p->ggtt_size > SZ_64M ||
	    !IS_ALIGNED(p->ggtt_size, XE_SRIOV_SIM_GGTT_PAGE_SIZE)) {
		pr_err("ggtt_size=%llu: want a 4K multiple in 4K..64M\n",
		       p->ggtt_size);
		return -EINVAL;
	}
	if (XE_SRIOV_SIM_GGTT_VF_BASE +
	    p->ggtt_size * XE_SRIOV_SIM_MAX_VFS > XE_SRIOV_SIM_GGTT_TOP) {
		pr_err("ggtt_size=%llu: the VF slices pass the GGTT top\n",
		       p->ggtt_size);
		return -EINVAL;
	}
	if (!vram_chunk_size_ok(p->vram_chunk_size)) {
		pr_err("vram_chunk_size=%llu: want a page multiple in 4K..512M\n",
		       p->vram_chunk_size);
		return -EINVAL;
	}
	if (p->num_ctxs < 1 || p->num_ctxs > 2048 ||
	    XE_SRIOV_SIM_PF_CTXS + p->num_ctxs * XE_SRIOV_SIM_MAX_VFS >
	    XE_SRIOV_SIM_MAX_CTXS) {
		pr_err("num_ctxs=%u: want 1..2048\n", p->num_ctxs);
		return -EINVAL;
	}
	for (i = 0; i < n_flavour; i++) {
		bool igfx;

		if (!flavour[i] || xe_sriov_sim_flavour_parse(flavour[i], &igfx)) {
			pr_err("flavour=%s (pf%u): want dgfx or igfx\n",
			       flavour[i] ?: "", i);
			return -EINVAL;
		}
	}
	return 0;
}

static unsigned int ptes_per_vf(void)
{
	return xe_sriov_sim_params.ggtt_size / XE_SRIOV_SIM_GGTT_PAGE_SIZE;
}

/**
 * xe_sriov_sim_provision_pf_init() - allocate the GGTT PTEs of a PF
 * @pf: the PF, with max_vfs set
 *
 * Return: 0 or -ENOMEM.
 */
int xe_sriov_sim_provision_pf_init(struct xe_sriov_sim_pf *pf)
{
	pf->ggtt = vcalloc((size_t)pf->max_vfs * ptes_per_vf(), sizeof(u64));
	return pf->ggtt ? 0 : -ENOMEM;
}

/**
 * xe_sriov_sim_provision_pf_fini() - free the GGTT PTEs of a PF
 * @pf: the PF
 */
void xe_sriov_sim_provision_pf_fini(struct xe_sriov_sim_pf *pf)
{
	vfree(pf->ggtt);
	pf->ggtt = NULL;
}

/**
 * xe_sriov_sim_provision_vf() - give a new VF its GGTT slice, LMEM, contexts
 * @vf: the VF, with its id assigned
 *
 * Return: 0 or -ENOMEM.
 */
int xe_sriov_sim_provision_vf(struct xe_sriov_sim_vf *vf)
{
	const struct xe_sriov_sim_params *p = &xe_sriov_sim_params;
	unsigned int slot = vf->id - 1;

	lockdep_assert_held(&vf->pf->lock);
	vf->igfx = vf->pf->igfx;
	vf->lmem_size = p->lmem_size;
	vf->ccs_size = p->lmem_size / 256;
	/* vmalloc_user(): zeroed, and BAR2 can be remap_vmalloc_range()d. */
	vf->lmem = vmalloc_user(vf->lmem_size + vf->ccs_size);
	if (!vf->lmem)
		return -ENOMEM;

	vf->ggtt_ptes = ptes_per_vf();
	vf->ggtt_size = p->ggtt_size;
	vf->ggtt_start = XE_SRIOV_SIM_GGTT_VF_BASE + slot * p->ggtt_size;
	vf->ggtt = vf->pf->ggtt + (size_t)slot * vf->ggtt_ptes;
	xe_sriov_sim_ggtt_clear(vf);

	vf->num_ctxs = p->num_ctxs;
	vf->begin_ctx = XE_SRIOV_SIM_PF_CTXS + slot * p->num_ctxs;
	return 0;
}

/**
 * xe_sriov_sim_unprovision_vf() - release what xe_sriov_sim_provision_vf()
 * gave
 * @vf: the VF
 *
 * The slice goes back to all-zero PTEs (no VF id), as an unprovisioned
 * slice of xe's GGTT.
 */
void xe_sriov_sim_unprovision_vf(struct xe_sriov_sim_vf *vf)
{
	if (vf->ggtt)
		memset(vf->ggtt, 0, vf->ggtt_ptes * sizeof(u64));
	vf->ggtt = NULL;
	vfree(vf->lmem);
	vf->lmem = NULL;
}

/**
 * xe_sriov_sim_provision_print_ggtt() - print a VF's GGTT range like xe
 * @vf: the VF
 * @m: where to print "VF<id>:\t<start>-<end>\t(<size>)"
 */
void xe_sriov_sim_provision_print_ggtt(struct xe_sriov_sim_vf *vf,
				       struct seq_file *m)
{
	char buf[10];

	string_get_size(vf->ggtt_size, 1, STRING_UNITS_2, buf, sizeof(buf));
	seq_printf(m, "VF%u:\t%#llx-%#llx\t(%s)\n", vf->id, vf->ggtt_start,
		   vf->ggtt_start + vf->ggtt_size - 1, buf);
}

/**
 * xe_sriov_sim_provision_print_vram() - print a VF's LMEM size like xe
 * @vf: the VF
 * @m: where to print "VF<id>:\t<bytes>\t(<size>)"
 */
void xe_sriov_sim_provision_print_vram(struct xe_sriov_sim_vf *vf,
				       struct seq_file *m)
{
	char buf[10];

	string_get_size(vf->lmem_size, 1, STRING_UNITS_2, buf, sizeof(buf));
	seq_printf(m, "VF%u:\t%llu\t(%s)\n", vf->id, vf->lmem_size, buf);
}

/**
 * xe_sriov_sim_provision_print_ctxs() - print a VF's context ids like xe
 * @vf: the VF
 * @m: where to print "VF<id>:\t<first>-<last>\t(<count>)"
 */
void xe_sriov_sim_provision_print_ctxs(struct xe_sriov_sim_vf *vf,
				       struct seq_file *m)
{
	seq_printf(m, "VF%u:\t%u-%u\t(%u)\n", vf->id, vf->begin_ctx,
		   vf->begin_ctx + vf->num_ctxs - 1, vf->num_ctxs);
}

/**
 * xe_sriov_sim_provision_set_ctxs() - re-provision a VF's contexts, as
 * xe's debugfs contexts_quota does
 * @vf: the VF, caller holds its state_lock
 * @n: contexts, 1 up to the VF's share (the num_ctxs parameter)
 *
 * Only while the VF is idle on the PF's side (GuC state READY or RUNNING,
 * no save or restore under way): a VF restored with another count sees it
 * in its post-migration query, which xe refuses (-EREMCHG).
 *
 * Return: 0, -EINVAL for @n out of range, -EBUSY while migrating.
 */
int xe_sriov_sim_provision_set_ctxs(struct xe_sriov_sim_vf *vf, u32 n)
{
	if (!n || n > xe_sriov_sim_params.num_ctxs)
		return -EINVAL;
	if (vf->ctl || !xe_sriov_sim_guc_engine_may_run(vf))
		return -EBUSY;
	vf->num_ctxs = n;
	return 0;
}
