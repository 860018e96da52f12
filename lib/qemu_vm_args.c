// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The QEMU command line of a migration-loop VM and the paths it names.
 * Pure string work, so the unit tests can check it without QEMU.
 *
 * Source and destination get the same machine, CPU, memory, kernel and
 * initramfs: -kernel adds an option ROM and fw_cfg files, and QEMU refuses
 * a stream whose RAM blocks or devices differ from its own.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_vm.h"

struct strv {
	char **v;
	int n, cap;
	bool oom;
};

static void push(struct strv *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void push(struct strv *s, const char *fmt, ...)
{
	va_list ap;
	char *str;

	if (s->oom)
		return;
	if (s->n + 2 > s->cap) {
		char **nv = realloc(s->v, (s->cap * 2 + 16) * sizeof(*nv));

		if (!nv) {
			s->oom = true;
			return;
		}
		s->v = nv;
		s->cap = s->cap * 2 + 16;
	}
	va_start(ap, fmt);
	if (vasprintf(&str, fmt, ap) < 0) {
		s->oom = true;
		str = NULL;
	}
	va_end(ap);
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
}

void qemu_vm_argv_free(char **argv)
{
	for (char **p = argv; p && *p; p++)
		free(*p);
	free(argv);
}

static const char *or(const char *v, const char *def)
{
	return v && *v ? v : def;
}

static void push_machine(struct strv *s, const struct qemu_vm_config *cfg,
			 const struct qemu_vm *vm)
{
	push(s, "%s", or(cfg->qemu, "qemu-system-x86_64"));
	push(s, "-name");
	push(s, "%s", vm->name);
	push(s, "-machine");
	push(s, "%s", or(cfg->machine, "q35"));
	push(s, "-accel");
	push(s, "%s", or(cfg->accel, "tcg"));
	push(s, "-cpu");
	push(s, "%s", or(cfg->cpu, "max"));
	push(s, "-m");
	push(s, "%u", cfg->mem_mb ? cfg->mem_mb : 128);
	push(s, "-smp");
	push(s, "%u", cfg->cpus ? cfg->cpus : 1);
	/* Only what we ask for: no NIC, VGA, monitor or default serial. */
	push(s, "-nodefaults");
	push(s, "-display");
	push(s, "none");
	/* A guest that panics ends QEMU instead of booting again unseen. */
	push(s, "-no-reboot");
}

static void push_io(struct strv *s, const struct qemu_vm_config *cfg,
		    const struct qemu_vm *vm)
{
	push(s, "-chardev");
	push(s, "file,id=serial0,path=%s", vm->serial_log);
	push(s, "-serial");
	push(s, "chardev:serial0");
	push(s, "-qmp");
	push(s, "unix:%s,server=on,wait=off", vm->qmp_path);
	if (cfg->kernel) {
		push(s, "-kernel");
		push(s, "%s", cfg->kernel);
	}
	if (cfg->initrd) {
		push(s, "-initrd");
		push(s, "%s", cfg->initrd);
	}
	if (cfg->append) {
		push(s, "-append");
		push(s, "%s", cfg->append);
	}
}

static void push_devices(struct strv *s, const struct qemu_vm_config *cfg)
{
	if (cfg->vfio) {
		push(s, "-device");
		/* enable-migration=on: xe's VFs have no dirty tracking, =auto would block. */
		push(s, "vfio-pci,%s=%s,enable-migration=on",
		     cfg->vfio[0] == '/' ? "sysfsdev" : "host", cfg->vfio);
	}
	if (cfg->incoming) {
		/* Wait for migrate-incoming, so capabilities can be set first. */
		push(s, "-incoming");
		push(s, "defer");
	}
	for (int i = 0; i < QEMU_VM_MAX_EXTRA && cfg->extra[i]; i++)
		push(s, "%s", cfg->extra[i]);
}

char **qemu_vm_argv(const struct qemu_vm_config *cfg, const struct qemu_vm *vm)
{
	struct strv s = { 0 };

	push_machine(&s, cfg, vm);
	push_io(&s, cfg, vm);
	push_devices(&s, cfg);
	if (s.oom) {
		qemu_vm_argv_free(s.v);
		return NULL;
	}
	return s.v;
}

/* QEMU's option parser splits at commas: paths inside options cannot have one. */
static bool option_safe(const char *s)
{
	return s && !strchr(s, ',');
}

int qemu_vm_paths(struct qemu_vm *vm, const struct qemu_vm_config *cfg, pid_t owner)
{
	const char *log_dir = or(cfg->log_dir, cfg->sock_dir);
	int n;

	if (!cfg->name || !*cfg->name || strpbrk(cfg->name, ",/ ") ||
	    !option_safe(cfg->sock_dir) || !option_safe(log_dir) ||
	    (cfg->vfio && !option_safe(cfg->vfio)))
		return -EINVAL;
	snprintf(vm->name, sizeof(vm->name), QEMU_VM_MARKER "%d.%s", (int)owner, cfg->name);
	n = snprintf(vm->qmp_path, sizeof(vm->qmp_path), "%s/%s.qmp", cfg->sock_dir, cfg->name);
	if (n < 0 || (size_t)n >= sizeof(vm->qmp_path))
		return -ENAMETOOLONG;
	snprintf(vm->serial_log, sizeof(vm->serial_log), "%s/%s.serial.log", log_dir, cfg->name);
	snprintf(vm->stderr_log, sizeof(vm->stderr_log), "%s/%s.qemu.log", log_dir, cfg->name);
	return 0;
}
