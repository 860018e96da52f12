// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Module checks and loading through libkmod (see kmod_util.h). The calls
 * are the ones modprobe(8) and IGT's lib/igt_kmod.c (igt_kmod_load())
 * make: kmod_module_get_initstate() reads /sys/module/<name> (a module
 * directory without initstate, or a modules.builtin entry, is built in);
 * kmod_module_new_from_lookup() resolves a name or alias through the
 * module directory's indexes (modules.dep.bin, modules.alias.bin, as
 * depmod(8) writes them); kmod_module_probe_insert_module() loads the
 * module after its dependencies.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libkmod.h>

#include "kmod_util.h"

static int say(char *why, size_t len, const char *name, const char *purpose,
	       int err, const char *fmt, const char *arg)
{
	int n = snprintf(why, len, "module %s%s%s%s: ", name,
			 purpose ? " (needed for " : "", purpose ?: "",
			 purpose ? ")" : "");

	if (n >= 0 && (size_t)n < len)
		snprintf(why + n, len - n, fmt, arg);
	return err;
}

/* Built in, loaded or being loaded: nothing to do. */
static bool in_kernel(struct kmod_ctx *ctx, const char *name)
{
	struct kmod_module *mod;
	int state;

	if (kmod_module_new_from_name(ctx, name, &mod) < 0)
		return false;
	state = kmod_module_get_initstate(mod);
	kmod_module_unref(mod);
	return state == KMOD_MODULE_BUILTIN || state == KMOD_MODULE_LIVE ||
	       state == KMOD_MODULE_COMING;
}

static int load(struct kmod_ctx *ctx, const char *name, const char *purpose,
		char *why, size_t len)
{
	struct kmod_list *list = NULL;
	struct kmod_module *mod;
	const char *dir = kmod_get_dirname(ctx);
	int err;

	err = kmod_module_new_from_lookup(ctx, name, &list);
	if (err < 0)
		return say(why, len, name, purpose, err,
			   "lookup failed: %s", strerror(-err));
	if (!list)
		return say(why, len, name, purpose, -ENOENT,
			   "not found under %s (not built for this kernel, or"
			   " depmod not run)", dir ?: "/lib/modules");
	mod = kmod_module_get_module(list);
	kmod_module_unref_list(list);
	err = kmod_module_probe_insert_module(mod, KMOD_PROBE_APPLY_BLACKLIST,
					      NULL, NULL, NULL, NULL);
	kmod_module_unref(mod);
	if (err > 0)
		return say(why, len, name, purpose, -EPERM,
			   "%s", "blacklisted (modprobe.d), not loaded");
	if (err == -EEXIST || !err)
		return 0;
	return say(why, len, name, purpose, err, "loading failed: %s",
		   err == -EPERM ? "Operation not permitted (run as root)" :
		   err == -ENOSYS ? "this kernel cannot load modules" :
		   err == -ENOEXEC || err == -EINVAL ?
		   "the kernel refused it (see dmesg)" : strerror(-err));
}

int kmod_util_require_in(const char *dirname, const char *name,
			 const char *purpose, char *why, size_t len)
{
	struct kmod_ctx *ctx;
	int err = 0;

	if (len)
		why[0] = '\0';
	ctx = kmod_new(dirname, NULL);
	if (!ctx)
		return say(why, len, name, purpose, -ENOMEM, "%s",
			   "libkmod could not start (kmod_new)");
	if (!in_kernel(ctx, name))
		err = load(ctx, name, purpose, why, len);
	kmod_unref(ctx);
	return err;
}

int kmod_util_require(const char *name, const char *purpose)
{
	char why[512];
	int err = kmod_util_require_in(NULL, name, purpose, why, sizeof(why));

	if (err)
		fprintf(stderr, "xe-migtest: %s\n", why);
	return err;
}
