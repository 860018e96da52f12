// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * A guest following its VF across migrations (see vf_guest.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "uapi/xe_sriov_sim_regs.h"
#include "vf_ccs.h"
#include "vf_guest.h"
#include "vf_irq.h"

uint64_t vf_guest_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int fail(struct vf_guest *g, int err, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(g->error, sizeof(g->error), fmt, ap);
	va_end(ap);
	len = strlen(g->error);
	snprintf(g->error + len, sizeof(g->error) - len, ": %s", strerror(-err));
	return err;
}

static const char *vf_name(const struct sriov_vf *v)
{
	static __thread char buf[48];

	snprintf(buf, sizeof(buf), "%s VF%u", v->vf.pf->name, v->vf.vf_id);
	return buf;
}

int vf_guest_start(struct vf_guest *g, struct sriov_vf *vf, uint32_t ring_size)
{
	int err;

	memset(g, 0, sizeof(*g));
	g->vf = vf;
	g->efd = -1;
	err = vfio_dev_reset(&vf->dev);
	if (err)
		return fail(g, err, "%s: FLR", vf_name(vf));
	g->efd = vf_irq_open(&vf->dev);
	if (g->efd < 0)
		return fail(g, g->efd, "%s: MSI eventfd", vf_name(vf));
	err = vf_driver_init(&g->drv, &vf->dev);
	if (err)
		return fail(g, err, "%s: VF driver init", vf_name(vf));
	/* xe_sriov_vf_ccs_init(): only an integrated GPU needs it. */
	err = vf->vf.pf->igfx ? vf_ccs_init(&g->drv) : 0;
	if (err)
		return fail(g, err, "%s: CCS save/restore contexts", vf_name(vf));
	err = vf_engine_init(&g->eng, &g->drv, ring_size);
	if (err)
		return fail(g, err, "%s: engine init", vf_name(vf));
	g->drv.io.efd = g->efd;	/* fence waits sleep on the MSI */
	return 0;
}

void vf_guest_stop(struct vf_guest *g)
{
	if (!g->vf)
		return;
	vf_engine_fini(&g->eng);
	vf_driver_fini(&g->drv);
	vf_irq_close(&g->vf->dev, g->efd);
	g->efd = -1;
	g->vf = NULL;
}

/* The destination as QEMU would get it: a fresh VF with its MSI wired. */
static int prepare_dst(struct vf_guest *g, struct sriov_vf *dst, int *efd)
{
	int err = vfio_dev_reset(&dst->dev);

	if (err)
		return fail(g, err, "%s: FLR before the restore", vf_name(dst));
	*efd = vf_irq_open(&dst->dev);
	return *efd < 0 ? fail(g, *efd, "%s: MSI eventfd", vf_name(dst)) : 0;
}

int vf_guest_move(struct vf_guest *g, struct sriov_vf *dst, struct vf_guest_hop *hop)
{
	struct vf_guest_hop local;
	struct sriov_vf *src = g->vf;
	int efd = -1, err;

	hop = hop ?: &local;
	memset(hop, 0, sizeof(*hop));
	err = prepare_dst(g, dst, &efd);
	if (err)
		return err;
	hop->start_ns = vf_guest_now_ns();
	/* An igfx VF's memory is the VM's: the VMM moves it, not the stream. */
	err = vfio_migrate(&src->dev, &dst->dev,
			   &(struct vfio_migrate_opts){ .copy_sysmem = src->vf.pf->igfx },
			   &hop->mig);
	if (err) {
		vf_irq_close(&dst->dev, efd);
		return fail(g, err, "VFIO migration %s -> %s", vf_name(src), vf_name(dst));
	}
	vf_irq_close(&src->dev, g->efd);
	g->efd = efd;
	g->drv.io.efd = efd;
	g->vf = dst;
	err = vf_driver_attach(&g->drv, &dst->dev);
	return err ? fail(g, err, "attaching to %s", vf_name(dst)) : 0;
}

int vf_guest_recover(struct vf_guest *g, struct vf_guest_hop *hop)
{
	struct vf_guest_hop local = { 0 };
	uint64_t t0 = vf_guest_now_ns();
	uint32_t seen = 0;
	int err;

	hop = hop ?: &local;
	/*
	 * xe recovers once every GT got its MIGRATED (SW_INT_0) interrupt.
	 * The sim raises it in the resume that ended vf_guest_move(), before
	 * SET_STATE(RUNNING) returned (xe_sriov_sim_guc_resume()): a
	 * VF_IRQ_STATUS without any of it now means none is coming.
	 */
	err = vf_io_read32(&g->drv.io, XE_SRIOV_SIM_VF_IRQ_STATUS, &seen);
	if (!err && !(seen & VF_GUEST_MIGRATED_BITS))
		err = -ETIMEDOUT;
	seen = 0;
	err = err ?: vf_irq_wait_all_io(&g->drv.io, VF_GUEST_MIGRATED_BITS,
					VF_GUEST_IRQ_TIMEOUT_MS, &seen);
	if (err)
		return fail(g, err, "%s: no MIGRATED interrupt from %s", vf_name(g->vf),
			    seen ? "the media GT" : "any GT");
	hop->irq_ns = vf_guest_now_ns() - t0;
	t0 = vf_guest_now_ns();
	err = vf_driver_recover(&g->drv, VF_GUEST_MAX_REQUEUES);
	hop->recover_ns = vf_guest_now_ns() - t0;
	if (err)
		return fail(g, err, "%s: recovery (%s)", vf_name(g->vf),
			    g->drv.error[0] ? g->drv.error :
			    g->eng.error[0] ? g->eng.error : "RESFIX handshake");
	if (hop->start_ns)
		hop->downtime_ns = vf_guest_now_ns() - hop->start_ns;
	g->hops++;
	return 0;
}

int vf_guest_migrate(struct vf_guest *g, struct sriov_vf *dst, struct vf_guest_hop *hop)
{
	struct vf_guest_hop local;
	int err;

	hop = hop ?: &local;
	err = vf_guest_move(g, dst, hop);
	return err ?: vf_guest_recover(g, hop);
}
