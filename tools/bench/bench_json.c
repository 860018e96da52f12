// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * What a part leaves behind: part-<name>.json (jansson), written where the
 * VFs are and read back by the report; and the description of the machine
 * it ran on.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#ifdef __x86_64__
#include <cpuid.h>
#endif

#include "bench.h"

static void cpuinfo_model(char *buf, size_t size)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");

	snprintf(buf, size, "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *v = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !v)
			continue;
		v += 1 + (v[1] == ' ');
		v[strcspn(v, "\n")] = '\0';
		snprintf(buf, size, "%s", v);
		break;
	}
	if (f)
		fclose(f);
}

static uint64_t meminfo_total(void)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb * 1024;
}

/* tcg, kvm, another hypervisor's name, or none. */
static void guess_accel(const char *cpu, char *buf, size_t size)
{
	snprintf(buf, size, "none");
	if (strstr(cpu, "QEMU TCG")) {
		snprintf(buf, size, "tcg");
		return;
	}
#ifdef __x86_64__
	{
		unsigned int a, b, c, d;
		char sig[13];

		__cpuid(1, a, b, c, d);
		if (!(c & (1u << 31)))
			return;		/* no hypervisor bit */
		__cpuid(0x40000000, a, b, c, d);
		memcpy(sig, &b, 4);
		memcpy(sig + 4, &c, 4);
		memcpy(sig + 8, &d, 4);
		sig[12] = '\0';
		snprintf(buf, size, "%s", !strncmp(sig, "KVMKVMKVM", 9) ? "kvm" :
			 !strncmp(sig, "TCGTCGTCGTCG", 12) ? "tcg" : "hypervisor");
	}
#endif
}

/* Other work on the machine shows in every figure: keep it on record. */
static void loadavg(char *buf, size_t size)
{
	float a, b, c;
	FILE *f = fopen("/proc/loadavg", "r");

	buf[0] = '\0';
	if (f && fscanf(f, "%f %f %f", &a, &b, &c) == 3)
		snprintf(buf, size, "%.2f %.2f %.2f", a, b, c);
	if (f)
		fclose(f);
}

void bench_machine_probe(struct bench_machine *m)
{
	struct utsname u;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(m, 0, sizeof(*m));
	cpuinfo_model(m->cpu, sizeof(m->cpu));
	m->cores = n > 0 ? n : 0;
	m->mem_bytes = meminfo_total();
	if (!uname(&u))
		snprintf(m->kernel, sizeof(m->kernel), "%s %s", u.sysname, u.release);
	guess_accel(m->cpu, m->accel, sizeof(m->accel));
	loadavg(m->load, sizeof(m->load));
}

json_t *bench_machine_json(const struct bench_machine *m)
{
	return json_pack("{s:s, s:i, s:I, s:s, s:s, s:s}", "cpu", m->cpu,
			 "cores", (int)m->cores, "mem_bytes", (json_int_t)m->mem_bytes,
			 "kernel", m->kernel, "accel", m->accel, "loadavg", m->load);
}

static void machine_from_json(json_t *o, struct bench_machine *m)
{
	const char *cpu = "", *kernel = "", *accel = "", *load = "";
	int cores = 0;
	json_int_t mem = 0;

	memset(m, 0, sizeof(*m));
	json_unpack(o, "{s?s, s?i, s?I, s?s, s?s, s?s}", "cpu", &cpu, "cores", &cores,
		    "mem_bytes", &mem, "kernel", &kernel, "accel", &accel, "loadavg", &load);
	snprintf(m->load, sizeof(m->load), "%s", load);
	snprintf(m->cpu, sizeof(m->cpu), "%s", cpu);
	snprintf(m->kernel, sizeof(m->kernel), "%s", kernel);
	snprintf(m->accel, sizeof(m->accel), "%s", accel);
	m->cores = cores;
	m->mem_bytes = mem;
}

json_t *bench_fig_json(const struct bench_fig *f)
{
	json_t *samples = json_array(), *refs = json_array();

	for (int i = 0; i < f->n; i++) {
		json_array_append_new(samples, json_real(f->v[i]));
		json_array_append_new(refs, json_real(f->ref[i]));
	}
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:i, s:i, s:o, s:o, s:i, s:f, s:f, s:f, s:f}",
			 "kind", bench_kind_name(f->kind),
			 "unit", bench_kind_is_time(f->kind) ? "ms" : "MB/s",
			 "bytes", (json_int_t)f->bytes,
			 "lmem_bytes", (json_int_t)f->lmem,
			 "buf_bytes", (json_int_t)f->buf,
			 "pairs", (int)f->pairs, "idle", (int)f->idle,
			 "samples", samples, "memcpy_samples", refs, "reps", f->n,
			 "min", f->s.min, "median", f->s.median, "max", f->s.max,
			 "spread", f->s.spread);
}

int bench_part_write(const struct bench_part *p, const char *path)
{
	json_t *figs = json_array(), *o;
	int err;

	for (int i = 0; i < p->n_figs; i++)
		json_array_append_new(figs, bench_fig_json(&p->figs[i]));
	o = json_pack("{s:s, s:o, s:{s:i, s:i, s:f}, s:I, s:I, s:f, s:o}", "name", p->name,
		      "machine", bench_machine_json(&p->machine),
		      "policy", "min_reps", p->policy.min_reps, "max_reps", p->policy.max_reps,
		      "max_spread", p->policy.max_spread,
		      "lmem_bytes", (json_int_t)p->lmem,
		      "stream_bytes", (json_int_t)p->stream_bytes,
		      "wall_s", p->wall_s, "figures", figs);
	if (!o)
		return -ENOMEM;
	err = json_dump_file(o, path, JSON_INDENT(1)) ? -EIO : 0;
	json_decref(o);
	return err;
}

static int fig_from_json(json_t *o, struct bench_fig *f)
{
	const char *kind;
	json_int_t bytes = 0, lmem = 0, buf = 0;
	int pairs = 0, idle = 0, k;
	json_t *samples, *refs = NULL, *v;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (json_unpack(o, "{s:s, s?I, s?I, s?I, s?i, s?i, s:o, s?o}", "kind", &kind,
			"bytes", &bytes, "lmem_bytes", &lmem, "buf_bytes", &buf,
			"pairs", &pairs, "idle", &idle, "samples", &samples,
			"memcpy_samples", &refs))
		return -EINVAL;
	k = bench_kind_by_name(kind);
	if (k < 0 || !json_is_array(samples))
		return -EINVAL;
	f->kind = k;
	f->bytes = bytes;
	f->lmem = lmem;
	f->buf = buf;
	f->pairs = pairs;
	f->idle = idle;
	json_array_foreach(samples, i, v) {
		if (f->n == BENCH_MAX_REPS || !json_is_number(v))
			return -EINVAL;
		f->v[f->n++] = json_number_value(v);
	}
	json_array_foreach(refs, i, v)
		if (i < (size_t)f->n && json_is_number(v))
			f->ref[i] = json_number_value(v);
	bench_summarize(f->v, f->n, &f->s);
	return 0;
}

int bench_part_read(struct bench_part *p, const char *path)
{
	json_error_t jerr;
	json_t *o = json_load_file(path, 0, &jerr), *figs, *machine = NULL, *v;
	const char *name;
	json_int_t lmem = 0, stream = 0;
	double wall = 0;
	size_t i;
	int err = -EINVAL;

	memset(p, 0, sizeof(*p));
	if (!o) {
		fprintf(stderr, "bench: %s: %s (line %d)\n", path, jerr.text, jerr.line);
		return -EINVAL;
	}
	if (json_unpack(o, "{s:s, s?o, s?I, s?I, s?F, s:o}", "name", &name,
			"machine", &machine, "lmem_bytes", &lmem, "stream_bytes", &stream,
			"wall_s", &wall, "figures", &figs) || !json_is_array(figs))
		goto out;
	json_unpack(o, "{s:{s:i, s:i, s:F}}", "policy", "min_reps", &p->policy.min_reps,
		    "max_reps", &p->policy.max_reps, "max_spread", &p->policy.max_spread);
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (machine)
		machine_from_json(machine, &p->machine);
	p->lmem = lmem;
	p->stream_bytes = stream;
	p->wall_s = wall;
	json_array_foreach(figs, i, v) {
		if (p->n_figs == BENCH_MAX_FIGS)
			goto out;
		if (fig_from_json(v, &p->figs[p->n_figs++]))
			goto out;
	}
	err = 0;
out:
	if (err)
		fprintf(stderr, "bench: %s: not a bench part\n", path);
	json_decref(o);
	return err;
}
