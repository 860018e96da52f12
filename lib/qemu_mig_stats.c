// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * The numbers of a hop, from query-migrate (qapi/migration.json
 * MigrationInfo). Members come and go with the status and the QEMU
 * version ("vfio" only with a VFIO device, times only once they are
 * known), so a missing one reads as -1 or absent, never as 0.
 */
#include <stdio.h>
#include <string.h>

#include "qemu_migrate.h"

static int64_t int_or(json_t *obj, const char *key, int64_t def)
{
	json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? json_integer_value(v) : def;
}

void qemu_mig_parse_stats(json_t *info, struct qemu_mig_stats *st)
{
	json_t *ram = json_object_get(info, "ram");
	json_t *vfio = json_object_get(info, "vfio");
	double secs;

	memset(st, 0, sizeof(*st));
	snprintf(st->status, sizeof(st->status), "%s",
		 json_string_value(json_object_get(info, "status")) ?: "none");
	st->total_time_ms = int_or(info, "total-time", -1);
	st->downtime_ms = int_or(info, "downtime", -1);
	st->setup_time_ms = int_or(info, "setup-time", -1);
	st->expected_downtime_ms = int_or(info, "expected-downtime", -1);
	st->ram_transferred = int_or(ram, "transferred", 0);
	st->ram_total = int_or(ram, "total", 0);
	st->ram_dirty_syncs = int_or(ram, "dirty-sync-count", 0);
	st->ram_mbps = json_number_value(json_object_get(ram, "mbps"));
	st->has_vfio = json_is_object(vfio);
	st->vfio_transferred = int_or(vfio, "transferred", 0);
	snprintf(st->error, sizeof(st->error), "%s",
		 json_string_value(json_object_get(info, "error-desc")) ?: "");
	secs = st->total_time_ms / 1000.0;
	if (secs > 0)
		st->throughput_mib_s = (st->ram_transferred + st->vfio_transferred) /
				       secs / (1 << 20);
}

json_t *qemu_mig_stats_json(const struct qemu_mig_stats *st)
{
	json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:f}",
			      "status", st->status,
			      "total_time_ms", (json_int_t)st->total_time_ms,
			      "downtime_ms", (json_int_t)st->downtime_ms,
			      "setup_time_ms", (json_int_t)st->setup_time_ms,
			      "expected_downtime_ms", (json_int_t)st->expected_downtime_ms,
			      "ram_transferred_bytes", (json_int_t)st->ram_transferred,
			      "ram_total_bytes", (json_int_t)st->ram_total,
			      "ram_dirty_syncs", (json_int_t)st->ram_dirty_syncs,
			      "ram_mbps", st->ram_mbps,
			      "throughput_mib_s", st->throughput_mib_s);

	if (o && st->has_vfio)
		json_object_set_new(o, "vfio_transferred_bytes",
				    json_integer(st->vfio_transferred));
	if (o && st->error[0])
		json_object_set_new(o, "error", json_string(st->error));
	return o;
}
