/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Internal structures of the xe_sriov_sim module.
 */
#ifndef _XE_SRIOV_SIM_H_
#define _XE_SRIOV_SIM_H_

#include <linux/device.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vfio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <uapi/xe_sriov_sim_engine.h>
#include <uapi/xe_sriov_sim_regs.h>

#include "xe_sriov_sim_pci_config.h"

struct dentry;
struct eventfd_ctx;
struct seq_file;
struct xe_sriov_sim_mig_file;
struct xe_sriov_sim_restore;
struct xe_sriov_sim_save;

/**
 * struct xe_sriov_sim_params - provisioning parameters, fixed at load but
 *	@vram_chunk_size (writable, read once by each save when it starts)
 * @lmem_size: bytes of LMEM (BAR2) per VF
 * @ggtt_size: bytes of GGTT address space per VF
 * @vram_chunk_size: largest VRAM packet payload of a saved stream
 * @num_ctxs: GuC contexts per VF
 */
struct xe_sriov_sim_params {
	u64 lmem_size;
	u64 ggtt_size;
	u64 vram_chunk_size;
	unsigned int num_ctxs;
};

/**
 * struct xe_sriov_sim_pf - a simulated SR-IOV physical function
 * @dev: the class device /sys/class/xe_sriov_sim/pf<N>; owns this struct
 * @parent: mdev parent state, registered on @dev
 * @vf_type: the single mdev type ("vf") this PF offers
 * @types: array of mdev types handed to mdev_register_parent()
 * @index: PF number N
 * @device_id: PCI device id reported by the PF and its VFs
 * @revision_id: PCI revision id reported by the PF and its VFs
 * @max_vfs: upper bound of VFs (and of VF ids)
 * @igfx: the platform flavour: an integrated GPU (no VRAM; CCS moved by
 *	the VF's batches), else discrete with flat CCS; under @lock, changed
 *	only while the PF has no VF
 * @ggtt: the PTEs of the VF part of this PF's GGTT, max_vfs slices of
 *	ggtt_size / 4K PTEs each; slice n - 1 belongs to VF n
 * @lock: protects @vfs, @num_vfs and @vf_ida
 * @vfs: list of &struct xe_sriov_sim_vf, linked by &xe_sriov_sim_vf.link
 * @num_vfs: number of VFs on @vfs
 * @vf_ida: allocator of the 1-based VF ids
 * @debugfs_dri: the PF's xe-style directory dri/<N>/, or NULL/error
 * @debugfs_sriov: dri/<N>/sriov/, parent of xe's per-VF directories
 * @debugfs_sim: xe_sriov_sim/pf<N>/, the sim-only files, or NULL/error
 */
struct xe_sriov_sim_pf {
	struct device dev;
	struct mdev_parent parent;
	struct mdev_type vf_type;
	struct mdev_type *types[1];
	unsigned int index;
	u16 device_id;
	u8 revision_id;
	unsigned int max_vfs;
	bool igfx;
	u64 *ggtt;

	struct mutex lock; /* protects vfs, num_vfs, vf_ida */
	struct list_head vfs;
	unsigned int num_vfs;
	struct ida vf_ida;

	struct dentry *debugfs_dri;
	struct dentry *debugfs_sriov;
	struct dentry *debugfs_sim;
};

/**
 * struct xe_sriov_sim_engine - a VF's engine; under the VF's state_lock
 * @work: executes commands; queued by a kick, requeued by itself
 * @ring_start: RING_START
 * @ring_size: RING_SIZE, as written
 * @ring_head: RING_HEAD
 * @ring_tail: RING_TAIL
 * @context: CONTEXT
 * @state: enum xe_sriov_sim_engine_run_state
 * @kick_pending: a DOORBELL write waits for the engine to be allowed to run
 * @rebase: @batch_base is unknown (restored state): the engine re-reads the
 *	active BATCH_START commands before it executes anything
 * @dead: the VF is going away; nothing is queued any more
 * @depth: active batch levels
 * @batch_base: GGTT address of batch level 1..@depth
 * @batch_pos: byte offset of the next command in batch level 1..@depth
 * @spin_iterations: failed checks of the SPIN_UNTIL at the head
 * @fault_reason: enum xe_sriov_sim_engine_fault of the last fault
 * @fault_addr: GGTT address of the last fault
 * @cmds_executed: commands completed since the last FLR
 * @last_seqno: value of the last STORE_SEQNO
 * @ctx_saves: context images written since the last FLR
 * @prev_depth: batch level the last completed command was fetched from
 * @prev_pos: its byte offset there; only for the fault cmd-replay
 * @prev_valid: @prev_depth and @prev_pos describe a command of this run
 * @bounce: one CCS block, for the compressing commands
 * @slice_start: jiffies when the engine's current time slice began
 * @slice_units: units of work spent in the current time slice
 * @throttled: time slices whose budget ran out (the engine waited for the next)
 * @ppgtt_root: PPGTT_ROOT_HI:LO as the VF wrote it (masked)
 * @batch_ppgtt: batch level n is a PPGTT batch (bit n - 1)
 * @space: enum xe_sriov_sim_space of the engine's accesses now: the level
 *	a command was fetched from; GGTT for the context image, GuC batches
 * @sys_ccs: the CCS byte a system-memory page offers (none: reads 0,
 *	writes are dropped)
 */
struct xe_sriov_sim_engine {
	struct delayed_work work;
	u32 ring_start;
	u32 ring_size;
	u32 ring_head;
	u32 ring_tail;
	u32 context;
	enum xe_sriov_sim_engine_run_state state;
	bool kick_pending;
	bool rebase;
	bool dead;
	unsigned int depth;
	u64 batch_base[XE_SRIOV_SIM_BATCH_DEPTH_MAX];
	u32 batch_pos[XE_SRIOV_SIM_BATCH_DEPTH_MAX];
	u32 spin_iterations;
	u32 fault_reason;
	u64 fault_addr;
	u64 cmds_executed;
	u32 last_seqno;
	u32 ctx_saves;
	unsigned int prev_depth;
	u32 prev_pos;
	bool prev_valid;
	u8 bounce[XE_SRIOV_SIM_CCS_BLOCK];
	unsigned long slice_start;
	u32 slice_units;
	u64 throttled;
	u64 ppgtt_root;
	u32 batch_ppgtt;
	u32 space;
	u8 sys_ccs;
};

/* Pages of system memory a VF keeps pinned for its engine. */
#define XE_SRIOV_SIM_DMA_PINS	16

/**
 * struct xe_sriov_sim_dma_pin - a page of the VF's DMA space the sim holds
 * @iova: its IOVA, page aligned
 * @page: the pinned page (vfio_pin_pages()), or the sim's stale copy
 * @stale: @page is a copy the sim owns (fault dma-unmap-stale), not pinned
 */
struct xe_sriov_sim_dma_pin {
	u64 iova;
	struct page *page;
	bool stale;
};

/**
 * struct xe_sriov_sim_dma - a VF's view of its DMA space; under state_lock
 * @pin: the pin cache; an entry is used while its @page is set
 * @next: the entry the next miss replaces (round robin)
 * @open: the VFIO device is open: pinning is allowed (vfio_pin_pages()
 *	requires it); the engine may also run on a VF the PF restored and
 *	resumed while nobody has it open
 * @pins: pages pinned since the last FLR
 * @unpins: pages unpinned since the last FLR (eviction, unmap, FLR)
 * @unmaps: dma_unmap callbacks that dropped a cached page
 */
struct xe_sriov_sim_dma {
	struct xe_sriov_sim_dma_pin pin[XE_SRIOV_SIM_DMA_PINS];
	unsigned int next;
	bool open;
	u64 pins;
	u64 unpins;
	u64 unmaps;
};

/**
 * struct xe_sriov_sim_ccs_ctx - a CCS context registered with the GuC
 * @registered: the VF registered it (since its last FLR)
 * @bb: GGTT offset of its batch from the VF's GGTT base
 * @ctx_id: the context id it was registered with
 * @runs: runs since the last FLR
 * @failed: runs that ended with an error since the last FLR
 * @last_err: errno of the last failed run, 0 if none
 */
struct xe_sriov_sim_ccs_ctx {
	bool registered;
	u32 bb;
	u32 ctx_id;
	u32 runs;
	u32 failed;
	int last_err;
};

/**
 * struct xe_sriov_sim_gt - one GT of a VF as its GuC sees it
 * @id: XE_SRIOV_SIM_GT_PRIMARY or XE_SRIOV_SIM_GT_MEDIA
 * @sw_flag: VF_SW_FLAG(0..3), or MED_VF_SW_FLAG(0..3) on the media GT: the
 *	GT's MMIO mailbox, migrated by its MMIO packet
 * @mbx_pending: a mailbox request waits for the VF to run again
 * @guc_state: the GT's GuC VF state, enum xe_sriov_sim_guc_vf_state
 * @paused_from: the GuC state a pause left, to go back to on resume
 * @resfix_marker: the marker of the last RESFIX_START, 0 if none
 *
 * Under &xe_sriov_sim_vf.state_lock.
 */
struct xe_sriov_sim_gt {
	unsigned int id;
	u32 sw_flag[XE_SRIOV_SIM_VF_SW_FLAG_COUNT];
	bool mbx_pending;
	enum xe_sriov_sim_guc_vf_state guc_state;
	enum xe_sriov_sim_guc_vf_state paused_from;
	u32 resfix_marker;
};

/* Bits of &xe_sriov_sim_vf.ctl: the save/restore sub-states of xe. */
enum xe_sriov_sim_ctl_bit {
	XE_SRIOV_SIM_SAVE_WIP,
	XE_SRIOV_SIM_SAVE_DATA_DONE,
	XE_SRIOV_SIM_SAVE_FAILED,
	XE_SRIOV_SIM_SAVED,
	XE_SRIOV_SIM_RESTORE_WIP,
	XE_SRIOV_SIM_RESTORE_DATA_DONE,
	XE_SRIOV_SIM_RESTORE_FAILED,
	XE_SRIOV_SIM_RESTORED,
};

/**
 * struct xe_sriov_sim_vf - a simulated SR-IOV virtual function (an mdev)
 * @vdev: the VFIO device; must stay the first member (vfio_alloc_device)
 * @pf: the PF this VF belongs to
 * @mdev: the mdev instance backing this VF
 * @link: entry in &xe_sriov_sim_pf.vfs
 * @id: 1-based VF id, unique within @pf
 * @lock: serialises config space accesses
 * @config: emulated PCI configuration space
 * @debugfs: xe's dri/<N>/sriov/vf<id>/, or NULL/error
 * @debugfs_sim: xe_sriov_sim/pf<N>/vf<id>/ (sim-only files), or NULL/error
 * @ggtt_start: GGTT address of the VF's slice
 * @ggtt_size: bytes of GGTT address space in the slice
 * @ggtt_ptes: number of PTEs in the slice
 * @ggtt: the slice's PTEs, inside &xe_sriov_sim_pf.ggtt
 * @igfx: the PF's flavour when the VF was created (see &xe_sriov_sim_pf)
 * @lmem_size: bytes of LMEM (BAR2); on an igfx PF the memory that stands
 *	for the VM's system memory
 * @ccs_size: bytes of CCS metadata, lmem_size / 256
 * @lmem: @lmem_size bytes of LMEM, then the @ccs_size bytes of flat CCS,
 *	which no BAR and no stream packet exposes
 * @ccs_ctx: the CCS save/restore contexts the VF registered with the GuC
 * @begin_ctx: first GuC context id of the VF
 * @num_ctxs: number of GuC contexts of the VF
 * @state_lock: protects the device state below (registers, PTEs, LMEM
 *	writes by the PF, GuC and control state, save/restore sessions)
 * @gt: the primary and the media GT (mailbox and GuC VF state each)
 * @irq_status: XE_SRIOV_SIM_VF_IRQ_STATUS
 * @ctl: enum xe_sriov_sim_ctl_bit flags
 * @save: the save session, while SAVE_WIP
 * @restore: the restore session, while RESTORE_WIP
 * @ctl_wq: woken when a restore finishes (trailer) or fails
 * @engine: the engine (command streamer), under @state_lock
 * @dma: the system memory the engine reaches through PPGTT PTEs, under
 *	@state_lock
 * @irq_lock: protects @msi_trigger
 * @msi_trigger: eventfd of the MSI vector, or NULL
 * @mig_lock: protects @mig_state and the data files; taken before
 *	a data file's lock and before @state_lock
 * @mig_state: the VFIO migration state
 * @saving: the data file of a STOP_COPY session, or NULL
 * @resuming: the data file of a RESUMING session, or NULL
 * @reset_lock: protects @deferred_reset and @deferred_reset_ioctl
 * @deferred_reset: an FLR came while @mig_lock was held; its migration
 *	side (files, state) is done when @mig_lock is released
 * @deferred_reset_ioctl: that FLR was a VFIO_DEVICE_RESET
 * @mig_bytes: bytes read from or written to the data fd of the current
 *	(or last) migration session; shown in debugfs for tests
 */
struct xe_sriov_sim_vf {
	struct vfio_device vdev;
	struct xe_sriov_sim_pf *pf;
	struct mdev_device *mdev;
	struct list_head link;
	unsigned int id;
	struct mutex lock; /* protects config */
	struct xe_sriov_sim_pci_config config;
	struct dentry *debugfs;
	struct dentry *debugfs_sim;

	bool igfx;
	u64 ggtt_start;
	u64 ggtt_size;
	unsigned int ggtt_ptes;
	u64 *ggtt;
	u64 lmem_size;
	u64 ccs_size;
	void *lmem;
	struct xe_sriov_sim_ccs_ctx ccs_ctx[2];
	u32 begin_ctx;
	u32 num_ctxs;

	struct mutex state_lock; /* protects the device state */
	struct xe_sriov_sim_gt gt[XE_SRIOV_SIM_NUM_GTS];
	u32 irq_status;
	unsigned long ctl;
	struct xe_sriov_sim_save *save;
	struct xe_sriov_sim_restore *restore;
	wait_queue_head_t ctl_wq;
	struct xe_sriov_sim_engine engine;
	struct xe_sriov_sim_dma dma;

	spinlock_t irq_lock; /* protects msi_trigger */
	struct eventfd_ctx *msi_trigger;

	struct mutex mig_lock; /* protects mig_state, saving, resuming */
	enum vfio_device_mig_state mig_state;
	struct xe_sriov_sim_mig_file *saving;
	struct xe_sriov_sim_mig_file *resuming;

	spinlock_t reset_lock; /* protects deferred_reset* */
	bool deferred_reset;
	bool deferred_reset_ioctl;
	atomic64_t mig_bytes;
};

/* Iterate over the GTs of a VF. */
#define for_each_sim_gt(gt__, vf__) \
	for ((gt__) = &(vf__)->gt[0]; \
	     (gt__) < &(vf__)->gt[XE_SRIOV_SIM_NUM_GTS]; (gt__)++)

static inline struct xe_sriov_sim_pf *to_xe_sriov_sim_pf(struct device *dev)
{
	return container_of(dev, struct xe_sriov_sim_pf, dev);
}

static inline struct xe_sriov_sim_pf *mdev_to_pf(struct mdev_device *mdev)
{
	return container_of(mdev->type, struct xe_sriov_sim_pf, vf_type);
}

static inline struct xe_sriov_sim_vf *vdev_to_vf(struct vfio_device *vdev)
{
	return container_of(vdev, struct xe_sriov_sim_vf, vdev);
}

/* xe_sriov_sim_main.c */
extern const struct class xe_sriov_sim_class;

/* xe_sriov_sim_pf.c */
struct xe_sriov_sim_pf *xe_sriov_sim_pf_create(unsigned int index);
void xe_sriov_sim_pf_destroy(struct xe_sriov_sim_pf *pf);
int xe_sriov_sim_pf_add_vf(struct xe_sriov_sim_pf *pf,
			   struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_pf_remove_vf(struct xe_sriov_sim_pf *pf,
			       struct xe_sriov_sim_vf *vf);
struct xe_sriov_sim_vf *xe_sriov_sim_pf_find_vf(struct xe_sriov_sim_pf *pf,
						unsigned int id);

/* xe_sriov_sim_provision.c */
extern struct xe_sriov_sim_params xe_sriov_sim_params;
int xe_sriov_sim_provision_check_params(void);
int xe_sriov_sim_provision_pf_init(struct xe_sriov_sim_pf *pf);
void xe_sriov_sim_provision_pf_fini(struct xe_sriov_sim_pf *pf);
int xe_sriov_sim_provision_vf(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_unprovision_vf(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_provision_print_ggtt(struct xe_sriov_sim_vf *vf,
				       struct seq_file *m);
void xe_sriov_sim_provision_print_vram(struct xe_sriov_sim_vf *vf,
				       struct seq_file *m);
void xe_sriov_sim_provision_print_ctxs(struct xe_sriov_sim_vf *vf,
				       struct seq_file *m);
int xe_sriov_sim_provision_set_ctxs(struct xe_sriov_sim_vf *vf, u32 n);
int xe_sriov_sim_flavour_parse(const char *name, bool *igfx);
const char *xe_sriov_sim_flavour_name(bool igfx);
bool xe_sriov_sim_provision_pf_flavour(unsigned int index);

/* xe_sriov_sim_vf.c */
extern struct mdev_driver xe_sriov_sim_mdev_driver;
void xe_sriov_sim_vf_type_init(struct xe_sriov_sim_pf *pf);

/* xe_sriov_sim_vfio.c */
extern const struct vfio_device_ops xe_sriov_sim_vfio_ops;

/* xe_sriov_sim_debugfs.c */
void xe_sriov_sim_debugfs_init(void);
void xe_sriov_sim_debugfs_fini(void);
void xe_sriov_sim_debugfs_pf_add(struct xe_sriov_sim_pf *pf);
void xe_sriov_sim_debugfs_pf_remove(struct xe_sriov_sim_pf *pf);
void xe_sriov_sim_debugfs_vf_add(struct xe_sriov_sim_vf *vf);
void xe_sriov_sim_debugfs_vf_remove(struct xe_sriov_sim_vf *vf);

#endif /* _XE_SRIOV_SIM_H_ */
