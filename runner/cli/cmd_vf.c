// SPDX-License-Identifier: MIT
/*
 * xe-migtest vf | save | restore: one VF by hand, on the sim (inside the
 * VM) or on a lab host with xe + xe-vfio-pci.
 *
 *   vf list                         PFs and their VFs
 *   vf enable [--pf N] COUNT        make COUNT VFs (ids 1..COUNT)
 *   vf disable [--pf N]             remove them
 *   vf reset|pause|resume [--pf N] --vf ID
 *   save    [--pf N] --vf ID [--via vfio|debugfs] FILE
 *   restore [--pf N] --vf ID [--via vfio|debugfs] [--seg BYTES] FILE
 *
 * --backend sim|xe overrides the default (pf_backend_default()).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mig_data.h"
#include "pf_backend.h"
#include "vfio_mig.h"
#include "vfio_migrate.h"

#define MAX_PFS 8

struct vf_opts {
	const struct pf_backend_ops *ops;
	int pf;
	unsigned int vf_id;
	bool via_debugfs;
	size_t seg;
	struct xemig_pf pfs[MAX_PFS];
	int n_pfs;
};

enum { OPT_BACKEND = 3000, OPT_PF, OPT_VF, OPT_VIA, OPT_SEG };

static int parse_opts(struct vf_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "pf", required_argument, NULL, OPT_PF },
		{ "vf", required_argument, NULL, OPT_VF },
		{ "via", required_argument, NULL, OPT_VIA },
		{ "seg", required_argument, NULL, OPT_SEG },
		{ 0 }
	};
	int opt;

	o->ops = pf_backend_default();
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_BACKEND:
			o->ops = pf_backend_by_name(optarg);
			if (!o->ops) {
				fprintf(stderr, "xe-migtest: unknown backend '%s' (sim, xe)\n", optarg);
				return -1;
			}
			break;
		case OPT_PF:
			o->pf = atoi(optarg);
			break;
		case OPT_VF:
			o->vf_id = strtoul(optarg, NULL, 0);
			break;
		case OPT_VIA:
			if (strcmp(optarg, "vfio") && strcmp(optarg, "debugfs")) {
				fprintf(stderr, "xe-migtest: --via vfio|debugfs\n");
				return -1;
			}
			o->via_debugfs = !strcmp(optarg, "debugfs");
			break;
		case OPT_SEG:
			o->seg = strtoull(optarg, NULL, 0);
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int load_pfs(struct vf_opts *o)
{
	o->n_pfs = o->ops->list("", o->pfs, MAX_PFS);
	if (o->n_pfs <= 0) {
		fprintf(stderr, "xe-migtest: no %s PF found: %s%s\n", o->ops->name,
			strerror(o->n_pfs ? -o->n_pfs : ENOENT),
			!strcmp(o->ops->name, "sim") ? " (is xe_sriov_sim loaded? run it in './xe-migtest vm')" :
			" (libdrm lists no Intel device driven by xe with SR-IOV)");
		return -1;
	}
	if (o->pf < 0 || o->pf >= o->n_pfs) {
		fprintf(stderr, "xe-migtest: --pf %d: there are %d PFs (0..%d)\n", o->pf,
			o->n_pfs, o->n_pfs - 1);
		return -1;
	}
	return 0;
}

static int find_vf(struct vf_opts *o, struct xemig_vf *vf)
{
	struct xemig_pf *pf = &o->pfs[o->pf];
	int err;

	if (!o->vf_id) {
		fprintf(stderr, "xe-migtest: --vf ID is required (VF ids start at 1)\n");
		return -1;
	}
	err = pf->ops->get_vf(pf, o->vf_id, vf);
	if (err) {
		fprintf(stderr, "xe-migtest: %s has no VF%u: %s (see 'xe-migtest vf list')\n",
			pf->name, o->vf_id, strerror(-err));
		return -1;
	}
	return 0;
}

static int vf_list(struct vf_opts *o)
{
	for (int p = 0; p < o->n_pfs; p++) {
		struct xemig_pf *pf = &o->pfs[p];

		printf("pf %d: %s (%s) devid %#06x revid %#04x, up to %u VFs, debugfs %s\n", p,
		       pf->name, o->ops->name, pf->device_id, pf->revision_id, pf->total_vfs,
		       pf->debugfs);
		for (unsigned int id = 1; id <= pf->total_vfs; id++) {
			struct xemig_vf vf;
			struct pf_vf_config cfg = { 0 };

			if (pf->ops->get_vf(pf, id, &vf))
				continue;
			pf->ops->vf_config(&vf, &cfg);
			printf("  VF%u %s  ggtt %#llx+%#llx lmem %llu ctxs %u\n", id, vf.name,
			       (unsigned long long)cfg.ggtt_start,
			       (unsigned long long)cfg.ggtt_size,
			       (unsigned long long)cfg.lmem_size, cfg.num_ctxs);
		}
	}
	return 0;
}

static int report(const char *what, int err)
{
	if (err)
		fprintf(stderr, "xe-migtest: %s: %s\n", what, strerror(-err));
	return err ? 1 : 0;
}

static int vf_enable(struct vf_opts *o, const char *count)
{
	struct xemig_vf vfs[64];
	unsigned long n = count ? strtoul(count, NULL, 0) : 0;
	struct xemig_pf *pf = &o->pfs[o->pf];
	int err;

	if (!n || n > 64) {
		fprintf(stderr, "xe-migtest: vf enable COUNT (1..%u)\n", pf->total_vfs);
		return 2;
	}
	err = pf->ops->enable_vfs(pf, n, vfs);
	for (unsigned long i = 0; !err && i < n; i++) {
		err = pf->ops->bind_vfio(&vfs[i]);
		if (!err)
			printf("%s VF%u %s\n", pf->name, vfs[i].vf_id, vfs[i].sysfs);
	}
	return report("vf enable", err);
}

static int vf_control(struct vf_opts *o, enum pf_vf_control op, const char *name)
{
	struct xemig_vf vf;

	if (find_vf(o, &vf))
		return 1;
	return report(name, pf_vf_control(&vf, op));
}

static int vf_usage(void)
{
	fprintf(stderr, "usage: xe-migtest vf list|enable COUNT|disable|reset|pause|resume [--backend sim|xe] [--pf N] [--vf ID]\n");
	return 2;
}

int cmd_vf(int argc, char **argv)
{
	struct vf_opts o = { 0 };
	const char *sub = argc > 1 ? argv[1] : "";
	const char *count;

	/* argv[1] is the subcommand; getopt sees it as the program name. */
	if (argc < 2 || parse_opts(&o, argc - 1, argv + 1))
		return vf_usage();
	count = optind < argc - 1 ? argv[1 + optind] : NULL;
	if (load_pfs(&o))
		return 2;
	if (!strcmp(sub, "list"))
		return vf_list(&o);
	if (!strcmp(sub, "enable"))
		return vf_enable(&o, count);
	if (!strcmp(sub, "disable"))
		return report("vf disable", o.pfs[o.pf].ops->disable_vfs(&o.pfs[o.pf]));
	if (!strcmp(sub, "reset"))
		return vf_control(&o, PF_VF_RESET, "vf reset");
	if (!strcmp(sub, "pause"))
		return vf_control(&o, PF_VF_PAUSE, "vf pause");
	if (!strcmp(sub, "resume"))
		return vf_control(&o, PF_VF_RESUME, "vf resume");
	return vf_usage();
}

/* ---- save / restore ------------------------------------------------------ */

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int err;

	if (fd < 0)
		return -errno;
	err = mig_data_write_all(fd, buf, len, 1 << 20, NULL);
	if (close(fd) && !err)
		err = -errno;
	return err;
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = mig_data_read_all(fd, 1 << 20, buf, len, NULL);
	close(fd);
	return err;
}

static int save_vfio(struct xemig_vf *vf, uint8_t **buf, size_t *len)
{
	struct vfio_dev dev;
	int fd, err = vfio_dev_open(&dev, vf->sysfs);

	if (err)
		return err;
	err = vfio_mig_goto(&dev, VFIO_DEVICE_STATE_STOP_COPY, &fd, NULL);
	if (!err) {
		err = mig_data_read_all(fd, 1 << 20, buf, len, NULL);
		close(fd);
	}
	/* The VF runs again whatever happened. */
	vfio_mig_goto(&dev, VFIO_DEVICE_STATE_RUNNING, NULL, NULL);
	vfio_dev_close(&dev);
	return err;
}

static int restore_vfio(struct xemig_vf *vf, const uint8_t *buf, size_t len, size_t seg)
{
	struct vfio_dev dev;
	uint32_t state = VFIO_DEVICE_STATE_ERROR;
	int fd, err = vfio_dev_open(&dev, vf->sysfs);

	if (err)
		return err;
	err = vfio_mig_goto(&dev, VFIO_DEVICE_STATE_RESUMING, &fd, NULL);
	if (!err) {
		err = mig_data_write_all(fd, buf, len, seg ? seg : 1 << 20, NULL);
		close(fd);
	}
	err = err ?: vfio_mig_goto(&dev, VFIO_DEVICE_STATE_RUNNING, NULL, &state);
	if (err) {
		vfio_mig_get_state(&dev, &state);
		fprintf(stderr, "xe-migtest: the VF is left in %s; 'xe-migtest vf reset --vf %u' recovers it\n",
			vfio_mig_state_name(state), vf->vf_id);
	}
	vfio_dev_close(&dev);
	return err;
}

static int save_debugfs(struct xemig_vf *vf, uint8_t **buf, size_t *len)
{
	int err = pf_vf_control(vf, PF_VF_PAUSE);

	err = err ?: pf_vf_save(vf, buf, len);
	pf_vf_control(vf, PF_VF_RESUME);
	return err;
}

static int restore_debugfs(struct xemig_vf *vf, const uint8_t *buf, size_t len, size_t seg)
{
	int err = pf_vf_control(vf, PF_VF_PAUSE);

	err = err ?: pf_vf_restore(vf, buf, len, seg);
	/*
	 * Resume either way. After a refused header or descriptor the restore
	 * still waits for its trailer, as on xe: resume then fails (EBUSY)
	 * and `vf reset` recovers the VF.
	 */
	pf_vf_control(vf, PF_VF_RESUME);
	return err;
}

int cmd_save_restore(int argc, char **argv)
{
	bool save = !strcmp(argv[0], "save");
	struct vf_opts o = { 0 };
	struct xemig_vf vf;
	uint8_t *buf = NULL;
	size_t len = 0;
	int err;

	if (parse_opts(&o, argc, argv) || optind != argc - 1) {
		fprintf(stderr, "usage: xe-migtest %s [--backend sim|xe] [--pf N] --vf ID [--via vfio|debugfs]%s FILE\n",
			argv[0], save ? "" : " [--seg BYTES]");
		return 2;
	}
	if (load_pfs(&o) || find_vf(&o, &vf))
		return 2;
	if (save) {
		err = o.via_debugfs ? save_debugfs(&vf, &buf, &len) : save_vfio(&vf, &buf, &len);
		err = err ?: write_file(argv[optind], buf, len);
	} else {
		err = read_file(argv[optind], &buf, &len);
		if (err)
			fprintf(stderr, "xe-migtest: %s: %s\n", argv[optind], strerror(-err));
		else
			err = o.via_debugfs ? restore_debugfs(&vf, buf, len, o.seg) :
					      restore_vfio(&vf, buf, len, o.seg);
	}
	if (!err)
		printf("%s %s VF%u %s %s: %zu bytes (via %s)\n", argv[0], vf.pf->name, vf.vf_id,
		       save ? "->" : "<-", argv[optind], len, o.via_debugfs ? "debugfs" : "vfio");
	free(buf);
	return report(argv[0], err);
}
