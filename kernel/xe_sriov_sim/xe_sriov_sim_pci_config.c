// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: PCI config space
 *
 * Emulation of a VF's PCI type-0 configuration header, enough for a VMM
 * (QEMU's vfio-pci) to pass the VF to a guest:
 *
 * - the PF's identity, class 0x038000, subsystem 8086:1000;
 * - BAR0 (registers): 64-bit non-prefetchable memory, 16 MiB;
 * - BAR2 (LMEM): 64-bit prefetchable memory, lmem_size rounded up to a
 *   power of two;
 * - BAR sizing as on hardware: the address bits below the size and the
 *   type bits are read-only, so writing all-ones reads back the size mask;
 *   BAR4/5 and the expansion ROM are absent (read 0, ignore writes);
 * - the capability list (status bit 4): one MSI capability at 0x40,
 *   64-bit address, one vector, no per-vector masking;
 * - writable: memory enable and bus master in the command register, the
 *   BAR address bits, the interrupt line, MSI enable, address and data.
 *   Writes to read-only bits are dropped, as hardware does.
 *
 * There is no INTx (interrupt pin 0), no PCIe capability and no extended
 * configuration space. A function level reset brings every register back
 * to its reset value (BARs unassigned, MSI disabled).
 */

#include <linux/errno.h>
#include <linux/pci_regs.h>
#include <linux/string.h>

#include <uapi/xe_sriov_sim.h>

#include "xe_sriov_sim_pci_config.h"

/* Size of the MSI capability: 64-bit address, no mask bits. */
#define XE_SRIOV_SIM_CFG_MSI_SIZE	(PCI_MSI_DATA_64 + 2)

static void put_le16(u8 *p, u16 v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put_le32(u8 *p, u32 v)
{
	put_le16(p, v & 0xffff);
	put_le16(p + 2, v >> 16);
}

/* Write mask of a 64-bit memory BAR of @size bytes at @bar (low dword). */
static void bar64_wmask(u8 *wmask, unsigned int bar, u64 size)
{
	u64 mask = ~(size - 1);

	put_le32(wmask + bar, (u32)mask & PCI_BASE_ADDRESS_MEM_MASK);
	put_le32(wmask + bar + 4, (u32)(mask >> 32));
}

static void build_wmask(struct xe_sriov_sim_pci_config *cfg)
{
	u8 *w = cfg->wmask;
	unsigned int msi = XE_SRIOV_SIM_CFG_MSI;

	memset(w, 0, sizeof(cfg->wmask));
	w[PCI_COMMAND] = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	bar64_wmask(w, PCI_BASE_ADDRESS_0, cfg->bar0_size);
	bar64_wmask(w, PCI_BASE_ADDRESS_2, cfg->bar2_size);
	w[PCI_INTERRUPT_LINE] = 0xff;
	w[msi + PCI_MSI_FLAGS] = PCI_MSI_FLAGS_ENABLE;
	put_le32(w + msi + PCI_MSI_ADDRESS_LO, 0xfffffffc);
	put_le32(w + msi + PCI_MSI_ADDRESS_HI, 0xffffffff);
	put_le16(w + msi + PCI_MSI_DATA_64, 0xffff);
}

/**
 * xe_sriov_sim_pci_config_reset() - put the header back to its reset state
 * @cfg: configuration space, initialised by xe_sriov_sim_pci_config_init()
 *
 * The command register is cleared (memory space and bus mastering off),
 * the BARs are unassigned and MSI is disabled, exactly as a function level
 * reset does on hardware.
 */
void xe_sriov_sim_pci_config_reset(struct xe_sriov_sim_pci_config *cfg)
{
	u8 *d = cfg->data;
	u8 *msi = d + XE_SRIOV_SIM_CFG_MSI;

	memset(d, 0, sizeof(cfg->data));
	put_le16(d + PCI_VENDOR_ID, XE_SRIOV_SIM_VENDOR_ID);
	put_le16(d + PCI_DEVICE_ID, cfg->device_id);
	put_le16(d + PCI_STATUS, PCI_STATUS_CAP_LIST);
	d[PCI_REVISION_ID] = cfg->revision_id;
	d[PCI_CLASS_PROG] = XE_SRIOV_SIM_CLASS_CODE & 0xff;
	d[PCI_CLASS_DEVICE] = (XE_SRIOV_SIM_CLASS_CODE >> 8) & 0xff;
	d[PCI_CLASS_DEVICE + 1] = (XE_SRIOV_SIM_CLASS_CODE >> 16) & 0xff;
	d[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;
	d[PCI_BASE_ADDRESS_0] = PCI_BASE_ADDRESS_SPACE_MEMORY |
				PCI_BASE_ADDRESS_MEM_TYPE_64;
	d[PCI_BASE_ADDRESS_2] = PCI_BASE_ADDRESS_SPACE_MEMORY |
				PCI_BASE_ADDRESS_MEM_TYPE_64 |
				PCI_BASE_ADDRESS_MEM_PREFETCH;
	put_le16(d + PCI_SUBSYSTEM_VENDOR_ID, XE_SRIOV_SIM_SUBSYSTEM_VENDOR_ID);
	put_le16(d + PCI_SUBSYSTEM_ID, XE_SRIOV_SIM_SUBSYSTEM_ID);
	d[PCI_CAPABILITY_LIST] = XE_SRIOV_SIM_CFG_MSI;

	msi[PCI_CAP_LIST_ID] = PCI_CAP_ID_MSI;
	msi[PCI_CAP_LIST_NEXT] = 0;
	/* Multiple Message Capable 0: one vector. */
	put_le16(msi + PCI_MSI_FLAGS, PCI_MSI_FLAGS_64BIT);
}

/**
 * xe_sriov_sim_pci_config_init() - set the identity and BARs, reset the header
 * @cfg: configuration space to initialise
 * @device_id: PCI device id (the PF's)
 * @revision_id: PCI revision id (the PF's)
 * @bar0_size: BAR0 size, a power of two of at least 16 bytes
 * @bar2_size: BAR2 size, a power of two of at least 16 bytes
 */
void xe_sriov_sim_pci_config_init(struct xe_sriov_sim_pci_config *cfg,
				  u16 device_id, u8 revision_id,
				  u64 bar0_size, u64 bar2_size)
{
	BUILD_BUG_ON(XE_SRIOV_SIM_CFG_MSI + XE_SRIOV_SIM_CFG_MSI_SIZE >
		     XE_SRIOV_SIM_CONFIG_SIZE);

	cfg->device_id = device_id;
	cfg->revision_id = revision_id;
	cfg->bar0_size = bar0_size;
	cfg->bar2_size = bar2_size;
	build_wmask(cfg);
	xe_sriov_sim_pci_config_reset(cfg);
}

static bool access_ok_cfg(unsigned int offset, unsigned int size)
{
	if (size != 1 && size != 2 && size != 4)
		return false;
	if (offset & (size - 1))
		return false;
	return offset < XE_SRIOV_SIM_CONFIG_SIZE &&
	       size <= XE_SRIOV_SIM_CONFIG_SIZE - offset;
}

/**
 * xe_sriov_sim_pci_config_read() - read a naturally aligned register
 * @cfg: configuration space
 * @offset: byte offset in the configuration space
 * @size: access size: 1, 2 or 4 bytes, aligned to itself
 * @val: the value read, in CPU byte order
 *
 * Return: 0, or -EINVAL for a misaligned, oddly sized or out of range access.
 */
int xe_sriov_sim_pci_config_read(const struct xe_sriov_sim_pci_config *cfg,
				 unsigned int offset, unsigned int size,
				 u32 *val)
{
	unsigned int i;
	u32 v = 0;

	if (!access_ok_cfg(offset, size))
		return -EINVAL;

	for (i = 0; i < size; i++)
		v |= (u32)cfg->data[offset + i] << (8 * i);
	*val = v;
	return 0;
}

/**
 * xe_sriov_sim_pci_config_write() - write a naturally aligned register
 * @cfg: configuration space
 * @offset: byte offset in the configuration space
 * @size: access size: 1, 2 or 4 bytes, aligned to itself
 * @val: the value to write, in CPU byte order
 *
 * Only writable bits change; writes to read-only bits are dropped silently,
 * as hardware does. That makes BAR sizing work: all-ones written to a BAR
 * reads back its size mask and type bits.
 *
 * Return: 0, or -EINVAL for a misaligned, oddly sized or out of range access.
 */
int xe_sriov_sim_pci_config_write(struct xe_sriov_sim_pci_config *cfg,
				  unsigned int offset, unsigned int size,
				  u32 val)
{
	unsigned int i;

	if (!access_ok_cfg(offset, size))
		return -EINVAL;

	for (i = 0; i < size; i++) {
		u8 mask = cfg->wmask[offset + i];
		u8 byte = (val >> (8 * i)) & 0xff;
		u8 *reg = &cfg->data[offset + i];

		*reg = (*reg & ~mask) | (byte & mask);
	}
	return 0;
}
