/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The VF migration stream of xe (drivers/gpu/drm/xe/xe_sriov_packet_types.h),
 * byte for byte: packets of a packed 24-byte header and a payload, no magic,
 * no padding. xe_sriov_sim produces and consumes it; lib/ parses it.
 */
#ifndef _UAPI_XE_SRIOV_PACKET_H_
#define _UAPI_XE_SRIOV_PACKET_H_

#include <linux/types.h>

/* The only version xe reads or writes. */
#define XE_SRIOV_PACKET_VERSION		1

/* Type 0 is invalid on purpose: it catches zeroed data. */
enum xe_sriov_packet_type {
	XE_SRIOV_PACKET_TYPE_DESCRIPTOR = 1,
	XE_SRIOV_PACKET_TYPE_TRAILER = 2,
	XE_SRIOV_PACKET_TYPE_GGTT = 3,
	XE_SRIOV_PACKET_TYPE_MMIO = 4,
	XE_SRIOV_PACKET_TYPE_GUC = 5,
	XE_SRIOV_PACKET_TYPE_VRAM = 6,
};

/**
 * struct xe_sriov_packet_hdr - header of one packet, little endian
 * @version: XE_SRIOV_PACKET_VERSION
 * @type: enum xe_sriov_packet_type
 * @tile_id: tile the payload belongs to
 * @gt_id: GT the payload belongs to
 * @flags: written as 0, never checked
 * @offset: byte offset into the resource (VRAM chunks)
 * @size: payload bytes following the header
 */
struct xe_sriov_packet_hdr {
	__u8 version;
	__u8 type;
	__u8 tile_id;
	__u8 gt_id;
	__u32 flags;
	__u64 offset;
	__u64 size;
} __attribute__((packed));

/*
 * DESCRIPTOR payload: GuC-style KLVs. Dword 0 holds the key in bits 31:16
 * and the value length in dwords in bits 15:0; the value follows.
 */
#define XE_SRIOV_KLV_KEY(dw)		((__u32)(dw) >> 16)
#define XE_SRIOV_KLV_LEN(dw)		((__u32)(dw) & 0xffff)
#define XE_SRIOV_KLV_HDR(key, len)	(((__u32)(key) << 16) | ((len) & 0xffff))
#define XE_SRIOV_MIGRATION_KLV_DEVID	0xf001
#define XE_SRIOV_MIGRATION_KLV_REVID	0xf002

/* MMIO payload: VF_SW_FLAG(0..3), 4 dwords per GT. */
#define XE_SRIOV_MMIO_PAYLOAD_SIZE	16
/* GGTT payload: one u64 PTE per 4 KiB page; the VF id field is zeroed. */
#define XE_SRIOV_GGTT_PAGE_SIZE		4096

#endif /* _UAPI_XE_SRIOV_PACKET_H_ */
