// SPDX-License-Identifier: MIT
/* Summing up per-hop migration records (see hop_report.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hop_report.h"

#define MAX_HOPS 4096

struct hops {
	double total_ms[MAX_HOPS], down_ms[MAX_HOPS];
	double bytes;
	int n, completed;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void min_med_max(double *v, int n, double out[3])
{
	qsort(v, n, sizeof(*v), cmp_double);
	out[0] = v[0];
	out[1] = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	out[2] = v[n - 1];
}

static void add_hop(struct hops *h, json_t *rec)
{
	const char *status = json_string_value(json_object_get(rec, "status"));

	if (h->completed == MAX_HOPS)
		return;
	if (!status || strcmp(status, "completed"))
		return;
	h->total_ms[h->completed] = json_number_value(json_object_get(rec, "total_time_ms"));
	h->down_ms[h->completed] = json_number_value(json_object_get(rec, "downtime_ms"));
	h->bytes += json_number_value(json_object_get(rec, "ram_transferred_bytes"));
	h->completed++;
}

static int read_hops(const char *path, struct hops *h)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t size = 0;

	if (!f)
		return -1;
	while (getline(&line, &size, f) > 0) {
		json_t *rec = json_loads(line, 0, NULL);

		if (!rec)
			continue;
		h->n++;
		add_hop(h, rec);
		json_decref(rec);
	}
	free(line);
	fclose(f);
	return 0;
}

/* stress.json of xe_sriov_sim_stress: one object per subtest. */
static void stress_report(const char *dir, FILE **out, int n)
{
	char path[4200];
	const char *name;
	json_t *root, *s;

	snprintf(path, sizeof(path), "%s/stress.json", dir);
	root = json_load_file(path, 0, NULL);
	if (!root)
		return;
	json_object_foreach(root, name, s) {
		json_t *d = json_object_get(s, "downtime_ms");

		for (int k = 0; k < n; k++)
			fprintf(out[k], "VF stress %s: %lld hops (%.1f/s), %.0f MiB moved, downtime %.0f/%.0f/%.0f ms (min/median/max), seed %s\n",
				name, json_integer_value(json_object_get(s, "hops")),
				json_number_value(json_object_get(s, "hops_per_second")),
				json_number_value(json_object_get(s, "bytes")) / (1 << 20),
				json_number_value(json_object_get(d, "min")),
				json_number_value(json_object_get(d, "median")),
				json_number_value(json_object_get(d, "max")),
				json_string_value(json_object_get(s, "seed")) ?: "?");
	}
	json_decref(root);
}

void hop_report(const char *dir, FILE **out, int n)
{
	struct hops *h = calloc(1, sizeof(*h));
	double t[3], d[3];
	char path[4200];

	stress_report(dir, out, n);
	snprintf(path, sizeof(path), "%s/vm-migration.jsonl", dir);
	if (!h || read_hops(path, h) || !h->completed) {
		free(h);
		return;
	}
	min_med_max(h->total_ms, h->completed, t);
	min_med_max(h->down_ms, h->completed, d);
	for (int k = 0; k < n; k++)
		fprintf(out[k], "VM migration: %d hops (%d completed), %.0f MiB of RAM moved; per hop total %.0f/%.0f/%.0f ms, downtime %.0f/%.0f/%.0f ms (min/median/max)\n",
			h->n, h->completed, h->bytes / (1 << 20), t[0], t[1], t[2], d[0], d[1], d[2]);
	free(h);
}
