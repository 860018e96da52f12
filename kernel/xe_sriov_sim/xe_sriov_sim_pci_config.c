// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: PCI config space
 *
 * Emulation of a VF's PCI type-0 configuration header: the PF's identity,
 * class 0x038000, no capabilities, BARs reading 0; only memory enable, bus
 * master and the interrupt line are writable.
 */

#include <linux/errno.h>
#include <linux/pci_regs.h>
#include <linux/string.h>

#include <uapi/xe_sriov_sim.h>

#include "xe_sriov_sim_pci_config.h"

/*
 * Bits software may change, per byte. Everything not listed is read-only;
 * the BARs read as zero until the device model grows BAR0/BAR2.
 */
static const u8 xe_sriov_sim_config_wmask[XE_SRIOV_SIM_CONFIG_SIZE] = {
	[PCI_COMMAND] = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER,
	[PCI_INTERRUPT_LINE] = 0xff,
};

static void put_le16(u8 *p, u16 v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

/**
 * xe_sriov_sim_pci_config_reset() - put the header back to its reset state
 * @cfg: configuration space, with @device_id and @revision_id set
 *
 * The command register is cleared (memory space and bus mastering off),
 * exactly as a function level reset does on hardware.
 */
void xe_sriov_sim_pci_config_reset(struct xe_sriov_sim_pci_config *cfg)
{
	u8 *d = cfg->data;

	memset(d, 0, sizeof(cfg->data));
	put_le16(d + PCI_VENDOR_ID, XE_SRIOV_SIM_VENDOR_ID);
	put_le16(d + PCI_DEVICE_ID, cfg->device_id);
	d[PCI_REVISION_ID] = cfg->revision_id;
	d[PCI_CLASS_PROG] = XE_SRIOV_SIM_CLASS_CODE & 0xff;
	d[PCI_CLASS_DEVICE] = (XE_SRIOV_SIM_CLASS_CODE >> 8) & 0xff;
	d[PCI_CLASS_DEVICE + 1] = (XE_SRIOV_SIM_CLASS_CODE >> 16) & 0xff;
	d[PCI_HEADER_TYPE] = PCI_HEADER_TYPE_NORMAL;
	put_le16(d + PCI_SUBSYSTEM_VENDOR_ID, XE_SRIOV_SIM_SUBSYSTEM_VENDOR_ID);
	put_le16(d + PCI_SUBSYSTEM_ID, XE_SRIOV_SIM_SUBSYSTEM_ID);
}

/**
 * xe_sriov_sim_pci_config_init() - set the identity and reset the header
 * @cfg: configuration space to initialise
 * @device_id: PCI device id (the PF's)
 * @revision_id: PCI revision id (the PF's)
 */
void xe_sriov_sim_pci_config_init(struct xe_sriov_sim_pci_config *cfg,
				  u16 device_id, u8 revision_id)
{
	cfg->device_id = device_id;
	cfg->revision_id = revision_id;
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
 * as hardware does.
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
		u8 mask = xe_sriov_sim_config_wmask[offset + i];
		u8 byte = (val >> (8 * i)) & 0xff;
		u8 *reg = &cfg->data[offset + i];

		*reg = (*reg & ~mask) | (byte & mask);
	}
	return 0;
}
