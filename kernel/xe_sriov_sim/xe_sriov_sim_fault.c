// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The xe-migtest authors
 */

/**
 * DOC: fault injection
 *
 * The module parameter ``fault`` plants one realistic defect in the device
 * model, so that a mutation run can check that the test suite catches each
 * of them. Its values are "none" (the default: the sim behaves as
 * documented) and the names of XE_SRIOV_SIM_FAULTS() in
 * include/uapi/xe_sriov_sim_faults.h; any other value is refused with
 * -EINVAL. It can be set at load time (``fault=vram-flip``) and changed
 * at any time through /sys/module/xe_sriov_sim/parameters/fault; reading
 * that file gives the active fault's name. The same knob is the debugfs
 * file xe_sriov_sim/fault: writing a name plants it, reading lists every
 * fault with its defect, the active one marked with '*'.
 *
 * The defects sit behind one-line ``if (xe_sriov_sim_fault(...))`` hooks
 * in the files that model the behaviour they break. A planted fault makes
 * the sim wrong, never unsafe: no access outside the VF's objects, no
 * leak, no WARN, no wait that an FLR or close does not end. A change of
 * the parameter affects what the sim does from then on; state a fault left
 * behind (a PTE in the wrong slice, stale LMEM) lasts until the next FLR.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <uapi/xe_sriov_sim_faults.h>

#include "xe_sriov_sim_fault.h"

/**
 * struct xe_sriov_sim_fault_info - a fault as the uapi list names it
 * @name: the parameter value
 * @desc: the defect, one line
 */
struct xe_sriov_sim_fault_info {
	const char *name;
	const char *desc;
};

/* A uapi entry the enum lacks fails the build here. */
#define FAULT_INFO(id, name, desc) \
	[XE_SRIOV_SIM_FAULT_##id] = { name, desc },

static const struct xe_sriov_sim_fault_info faults[] = {
	[XE_SRIOV_SIM_FAULT_NONE] = { XE_SRIOV_SIM_FAULT_NONE_NAME, "no fault" },
	XE_SRIOV_SIM_FAULTS(FAULT_INFO)
};

static unsigned int cur_fault = XE_SRIOV_SIM_FAULT_NONE;

static int fault_set(const char *val, const struct kernel_param *kp)
{
	unsigned int i;

	/* So does a list that stops short of the enum; a hole stays unnamed. */
	BUILD_BUG_ON(ARRAY_SIZE(faults) != XE_SRIOV_SIM_FAULT_COUNT);

	for (i = 0; i < ARRAY_SIZE(faults); i++)
		if (faults[i].name && sysfs_streq(val, faults[i].name))
			break;
	if (i == ARRAY_SIZE(faults))
		return -EINVAL;
	if (READ_ONCE(cur_fault) != i)
		pr_info("fault %s: %s\n", faults[i].name, faults[i].desc);
	WRITE_ONCE(cur_fault, i);
	return 0;
}

static int fault_get(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%s\n",
			 faults[READ_ONCE(cur_fault)].name);
}

static const struct kernel_param_ops fault_ops = {
	.set = fault_set,
	.get = fault_get,
};

module_param_cb(fault, &fault_ops, NULL, 0644);
MODULE_PARM_DESC(fault,
		 "Planted defect for mutation testing (default none; names in uapi/xe_sriov_sim_faults.h)");

/**
 * xe_sriov_sim_fault() - is a fault planted
 * @f: the fault
 *
 * Return: true if @f is the active fault (for XE_SRIOV_SIM_FAULT_NONE: if
 * no fault is active).
 */
bool xe_sriov_sim_fault(enum xe_sriov_sim_fault f)
{
	return READ_ONCE(cur_fault) == f;
}

static int fault_list_show(struct seq_file *m, void *unused)
{
	unsigned int i, cur = READ_ONCE(cur_fault);

	for (i = 0; i < ARRAY_SIZE(faults); i++)
		seq_printf(m, "%c %s: %s\n", i == cur ? '*' : ' ',
			   faults[i].name, faults[i].desc);
	return 0;
}

static int fault_list_open(struct inode *inode, struct file *file)
{
	return single_open(file, fault_list_show, NULL);
}

static ssize_t fault_list_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char buf[32];
	int ret;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	ret = fault_set(buf, NULL);
	return ret ? ret : count;
}

static const struct file_operations fault_list_fops = {
	.owner = THIS_MODULE,
	.open = fault_list_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = fault_list_write,
};

/**
 * xe_sriov_sim_fault_debugfs() - create the debugfs file "fault"
 * @root: the module's debugfs directory
 */
void xe_sriov_sim_fault_debugfs(struct dentry *root)
{
	debugfs_create_file("fault", 0600, root, NULL, &fault_list_fops);
}
