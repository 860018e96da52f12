/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * PF backends: one interface over the two ways a VF exists.
 *
 *   sim  xe_sriov_sim: PFs under /sys/class/xe_sriov_sim, VFs are mdev
 *        instances; debugfs /sys/kernel/debug/dri/<N> whose name file
 *        says "xe_sriov_sim dev=pf<N>", sim-only files under
 *        /sys/kernel/debug/xe_sriov_sim/pf<N>.
 *   xe   real hardware: a PCI PF bound to xe, VFs enabled through
 *        sriov_numvfs and reached as virtfnN, bound to xe-vfio-pci through
 *        driver_override; debugfs /sys/kernel/debug/dri/<BDF or minor>
 *        whose name file says "xe dev=<BDF>".
 *
 * Both lay out xe's PF debugfs files the same way under that directory:
 * <debugfs>/sriov/vf<id>/{pause,resume,stop,reset,save,restore,
 * migration_data,migration_size}, the quotas under sriov/vf<id>/tile0/
 * and the listings under sriov/pf/tile0/, so those operations are shared
 * (pf_control.c); the backends differ only in how they find the
 * directory. Every path starts at a root ("" on a live system, a fixture
 * directory in unit tests).
 */
#ifndef XEMIG_PF_BACKEND_H
#define XEMIG_PF_BACKEND_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pf_backend_ops;

/** A PF, as one backend found it. */
struct xemig_pf {
	const struct pf_backend_ops *ops;
	char root[PATH_MAX];		/* "" or a fixture tree */
	char name[64];			/* "pf0", or the PCI BDF "0000:03:00.0" */
	char sysfs[PATH_MAX];		/* the PF's sysfs device directory */
	char debugfs[PATH_MAX];		/* its dri/ directory, holding sriov/ */
	unsigned int device_id;
	unsigned int revision_id;
	unsigned int total_vfs;		/* most VFs the PF can have */
	/*
	 * The platform flavour (uapi/xe_sriov_sim_ccs.h): false for a discrete
	 * GPU with flat CCS (its VFs have VRAM, saved decompressed, no CCS in
	 * the stream), true for an integrated one (no VRAM packets; the VF's
	 * own batches move the CCS, the VMM its memory).
	 */
	bool igfx;
};

/** A VF of a PF: its id, and where VFIO opens it. */
struct xemig_vf {
	struct xemig_pf *pf;
	unsigned int vf_id;		/* 1-based, as xe numbers VFs */
	char sysfs[PATH_MAX];		/* device dir for vfio_dev_open() */
	char name[64];			/* mdev UUID or VF PCI BDF */
};

/** What the PF provisioned for a VF (xe's ggtt/lmem/contexts quotas). */
struct pf_vf_config {
	uint64_t ggtt_start;
	uint64_t ggtt_size;
	uint64_t lmem_size;
	unsigned int num_ctxs;
};

enum pf_vf_control {
	PF_VF_PAUSE,
	PF_VF_RESUME,
	PF_VF_STOP,
	PF_VF_RESET,
};

/*
 * What a backend offers beyond the VFIO device and migration uAPI, the PF's
 * sriov debugfs and sysfs provisioning (which every backend offers). Tests
 * and fixtures ask with sriov_require_cap() (sriov_fixture.h) and never ask
 * which backend they got; pf_cap_name() names a bit in a skip message.
 */
enum pf_cap {
	/* Planting defects: xe_sriov_sim's fault knob (sim_fault_*). */
	PF_CAP_FAULTS			= 1u << 0,
	/* xe_sriov_sim's module parameters (engine speed, restore timeout). */
	PF_CAP_SIM_PARAMS		= 1u << 1,
	/* The sim's engine model: rings, workloads, contexts (vf_engine). */
	PF_CAP_SIM_ENGINE		= 1u << 2,
	/* The VF's flat CCS through xe_sriov_sim's debugfs ccs. */
	PF_CAP_SIM_CCS			= 1u << 3,
	/* xe_sriov_sim's own debugfs files (engine, guc_state, flavour). */
	PF_CAP_SIM_DEBUGFS		= 1u << 4,
	/*
	 * The sim's VF register model in BAR0: the GGTT PTE window at 8 MiB,
	 * VF_IRQ_STATUS, a GuC mailbox answered with no guest driver.
	 */
	PF_CAP_SIM_VF_REGS		= 1u << 5,
	/* The VF's BARs (BAR0 MMIO, BAR2 LMEM) through VFIO. */
	PF_CAP_VFIO_BARS		= 1u << 6,
	/* Each VF has two GTs (primary and media), both in the stream. */
	PF_CAP_TWO_GTS			= 1u << 7,
	/* The platform flavour (dgfx with flat CCS, or igfx) is known. */
	PF_CAP_FLAVOUR			= 1u << 8,
	/* The GuC blob of a save is stable: saved again, it is the same. */
	PF_CAP_STABLE_GUC		= 1u << 9,
	/* Errnos exactly as xe gives them where xe documents one. */
	PF_CAP_XE_ERRNOS		= 1u << 10,
	/* A VF's contexts re-provisioned while it exists (contexts_quota). */
	PF_CAP_REPROVISION		= 1u << 11,
	/* MIG_DATA_SIZE is the exact sum of what the modelled state saves. */
	PF_CAP_EXACT_SIZE		= 1u << 12,
};

/* "fault planting" etc. for one bit of enum pf_cap; "?" if unknown. */
const char *pf_cap_name(unsigned int cap);

/** One backend. All return 0 or a negative errno. */
struct pf_backend_ops {
	const char *name;		/* "sim" or "xe" */
	unsigned int caps;		/* enum pf_cap bits */
	/* The driver its DRM debugfs name file says ("xe", "xe_sriov_sim"). */
	const char *dri_driver;
	/*
	 * With PF_CAP_EXACT_SIZE: the size the VF's GuC answers xe's GuC state
	 * size query with, which xe's MIG_DATA_SIZE counts per GuC packet.
	 */
	uint64_t guc_state_query_size;
	/* Kernel modules it needs loaded (NULL-terminated). */
	const char *const *modules;
	/* Fill pfs[] with up to max PFs under root, sorted; count or -errno. */
	int (*list)(const char *root, struct xemig_pf *pfs, int max);
	/* Create n VFs (ids 1..n) and fill vfs[]; -EBUSY if some exist. */
	int (*enable_vfs)(struct xemig_pf *pf, unsigned int n, struct xemig_vf *vfs);
	/* An existing VF by id; -ENOENT if the PF has no such VF. */
	int (*get_vf)(struct xemig_pf *pf, unsigned int vf_id, struct xemig_vf *vf);
	/* Remove every VF of the PF. */
	int (*disable_vfs)(struct xemig_pf *pf);
	/* Make the VF openable through VFIO (driver_override on xe). */
	int (*bind_vfio)(struct xemig_vf *vf);
	/* The VF's provisioning, from debugfs. */
	int (*vf_config)(struct xemig_vf *vf, struct pf_vf_config *cfg);
};

extern const struct pf_backend_ops pf_backend_sim;
extern const struct pf_backend_ops pf_backend_xe;

/* Whether the backend declares every bit of @caps. */
static inline bool pf_backend_has(const struct pf_backend_ops *ops, unsigned int caps)
{
	return ops && (ops->caps & caps) == caps;
}

/* "sim" or "xe" to its backend, NULL if unknown. */
const struct pf_backend_ops *pf_backend_by_name(const char *name);

/*
 * $XEMT_PF_BACKEND if set, else sim when xe_sriov_sim is loaded, else xe.
 * NULL for an unknown name.
 */
const struct pf_backend_ops *pf_backend_default(void);

/*
 * The DRM debugfs directory under <root>/sys/kernel/debug/dri whose name
 * file reads "<driver> ... dev=<dev> ..." (drm_name_info()): dri/<dev>
 * itself if it is one, else the lowest dri/<minor>. 0, -ENOENT, -errno.
 */
int pf_dri_find(const char *root, const char *driver, const char *dev,
		char *buf, size_t size);

/*
 * The VF's provisioning from xe's quota files and ggtt_provisioned
 * (sriov/ tree, or the older per-GT gt0/ tree). Both backends' vf_config.
 */
int pf_vf_config_debugfs(struct xemig_vf *vf, struct pf_vf_config *cfg);

/* The VF's debugfs directory: <pf debugfs>/sriov/vf<id>. */
void pf_vf_debugfs_dir(const struct xemig_vf *vf, char *buf, size_t size);

/* pause/resume/stop/reset through debugfs ("1" written to the file). */
int pf_vf_control(struct xemig_vf *vf, enum pf_vf_control op);

/*
 * Save the paused VF's state as xe does through debugfs: "1" to save,
 * migration_data read to EOF, then read save for the result. *buf is
 * malloc()ed.
 */
int pf_vf_save(struct xemig_vf *vf, uint8_t **buf, size_t *len);

/*
 * Restore a stream into the paused VF: "1" to restore, the stream written
 * to migration_data in seg-byte writes (0: one write), then read restore
 * for the result (the errno xe's restore gave).
 */
int pf_vf_restore(struct xemig_vf *vf, const uint8_t *buf, size_t len, size_t seg);

/* migration_size: the PF's estimate of the saved stream's size. */
int pf_vf_migration_size(struct xemig_vf *vf, uint64_t *bytes);

/*
 * Re-provision the VF's GuC contexts: n written to xe's
 * sriov/vf<id>/tile0/gt0/contexts_quota. 0 or -errno (the sim: -EBUSY
 * while the VF migrates, -EINVAL out of its share).
 */
int pf_vf_set_contexts_quota(struct xemig_vf *vf, unsigned int n);

/*
 * xe_sriov_sim only: the directory of the VF's sim-only debugfs files
 * (guc_state, engine, ccs, migration), /sys/kernel/debug/xe_sriov_sim/pf<N>/vf<id>;
 * xe's files are under pf_vf_debugfs_dir().
 */
void pf_sim_vf_debugfs_dir(const struct xemig_vf *vf, char *buf, size_t size);

/*
 * xe_sriov_sim only: the sim-only debugfs file
 * xe_sriov_sim/pf<N>/vf<id>/ccs, the flat CCS of the VF's LMEM (one byte
 * per 256), which no BAR maps and no stream carries. @len is all of it; 0,
 * -EIO on a short read/write, or -errno.
 */
int pf_sim_vf_ccs_read(struct xemig_vf *vf, void *buf, size_t len);
int pf_sim_vf_ccs_write(struct xemig_vf *vf, const void *buf, size_t len);
/*
 * Change a PF's flavour (pf->igfx updated): xe_sriov_sim's pf<N>/flavour,
 * only while the PF has no VF (-EBUSY). -EOPNOTSUPP on a backend whose
 * flavour is the hardware's.
 */
int pf_set_flavour(struct xemig_pf *pf, bool igfx);

/*
 * xe_sriov_sim only: one "key: value" line of the VF's debugfs file @file
 * ("engine", "guc_state"): the value, trailing newline cut, in @val. 0,
 * -ENOENT when no line has that key, or -errno.
 */
int pf_sim_vf_debugfs_field(struct xemig_vf *vf, const char *file, const char *key,
			    char *val, size_t size);
/* The same, for a numeric value (decimal or 0x hex); -EINVAL if not one. */
int pf_sim_vf_debugfs_u64(struct xemig_vf *vf, const char *file, const char *key,
			  uint64_t *val);

#endif
