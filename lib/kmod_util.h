/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Kernel modules through libkmod, as IGT's igt_kmod does: is a module in
 * the running kernel (built in or loaded), and if not, load it with its
 * dependencies (modprobe's resolution, modprobe.d blacklists applied).
 * Failures say which module, what needs it and why it is not there.
 */
#ifndef XEMIG_KMOD_UTIL_H
#define XEMIG_KMOD_UTIL_H

#include <stddef.h>

/*
 * Make sure module @name ("xe-vfio-pci" and "xe_vfio_pci" alike) is in
 * the kernel. @dirname is the module directory (NULL: the running
 * kernel's /lib/modules/<release>); @purpose says what needs it. 0, or
 * -errno with why[] filled: -ENOENT not found for this kernel, -EPERM
 * not allowed (not root) or blacklisted, else what loading returned.
 */
int kmod_util_require_in(const char *dirname, const char *name,
			 const char *purpose, char *why, size_t len);

/* The same for the running kernel, the failure printed to stderr. */
int kmod_util_require(const char *name, const char *purpose);

#endif
