// SPDX-License-Identifier: MIT
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Stream mutation for the restore-path fuzzer: a mutant is the base
 * stream as an editable packet list (xe_stream_edit), a few mutations
 * drawn from the seed, then its bytes, possibly cut. Headers are written
 * with the sizes they say (keep_sizes), so a size lie is a real lie.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xe_stream_edit.h"
#include "xe_stream_mutate.h"

#define HDR_SIZE	sizeof(struct xe_sriov_packet_hdr)
#define COMPACT_VRAM	(64u << 10)

void xe_rng_seed(struct xe_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t xe_rng_next(struct xe_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t xe_rng_below(struct xe_rng *r, uint64_t n)
{
	return n ? xe_rng_next(r) % n : 0;
}

uint64_t xe_rng_iter_seed(uint64_t seed, uint64_t iter)
{
	struct xe_rng r = { seed ^ (iter * 0xd1342543de82ef95ull) };

	xe_rng_next(&r);
	return xe_rng_next(&r);
}

size_t xe_rng_segment(struct xe_rng *r, size_t left)
{
	unsigned int bits = 0;
	size_t n;

	while ((left >> bits) > 1 && bits < 63)
		bits++;
	/* 2^[0, bits] times a fraction: log-uniform over 1..left. */
	n = ((size_t)1 << xe_rng_below(r, bits + 1));
	n += xe_rng_below(r, n);
	return n < 1 ? 1 : n > left ? left : n;
}

static const char *const kind_names[XE_MUT_COUNT] = {
	[XE_MUT_HDR_VERSION] = "hdr-version",
	[XE_MUT_HDR_TYPE] = "hdr-type",
	[XE_MUT_HDR_IDS] = "hdr-ids",
	[XE_MUT_HDR_FLAGS] = "hdr-flags",
	[XE_MUT_HDR_OFFSET] = "hdr-offset",
	[XE_MUT_HDR_SIZE] = "hdr-size",
	[XE_MUT_RESIZE] = "resize",
	[XE_MUT_DROP] = "drop",
	[XE_MUT_DUP] = "dup",
	[XE_MUT_SWAP] = "swap",
	[XE_MUT_MOVE] = "move",
	[XE_MUT_SPLICE] = "splice",
	[XE_MUT_REPLACE] = "replace",
	[XE_MUT_FIELD] = "field",
	[XE_MUT_BITS] = "bits",
	[XE_MUT_TRUNCATE] = "truncate",
};

const char *xe_mut_kind_name(enum xe_mut_kind k)
{
	return k < XE_MUT_COUNT ? kind_names[k] : "?";
}

struct ctx {
	const struct xe_stream_mutator *m;
	struct xe_rng rng;
	struct xe_stream_edit e;
	struct xe_stream_mutant *out;
	size_t cut;		/* bytes to keep; SIZE_MAX: all */
};

static void note(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct ctx *c, const char *fmt, ...)
{
	size_t used = strlen(c->out->log);
	va_list ap;

	if (used + 1 >= sizeof(c->out->log))
		return;
	va_start(ap, fmt);
	vsnprintf(c->out->log + used, sizeof(c->out->log) - used, fmt, ap);
	va_end(ap);
}

static uint64_t pick(struct ctx *c, uint64_t n)
{
	return xe_rng_below(&c->rng, n);
}

/* A 32-bit value near a boundary, or near the old one. */
static uint32_t boundary32(struct ctx *c, uint32_t old)
{
	static const uint32_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 0x3f, 0x40, 0x7f, 0x80, 0xff, 0x100, 0xfff,
		0x1000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffc,
		0xfffffffe, 0xffffffff,
	};

	switch (pick(c, 5)) {
	case 0:
		return old + 1;
	case 1:
		return old - 1;
	case 2:
		return old ^ (1u << pick(c, 32));
	case 3:
		return (uint32_t)xe_rng_next(&c->rng);
	default:
		return v[pick(c, sizeof(v) / sizeof(v[0]))];
	}
}

/* An offset or size near a boundary of len bytes in an object of obj. */
static uint64_t boundary64(struct ctx *c, uint64_t old, uint64_t len)
{
	uint64_t obj = c->m->obj_size ? c->m->obj_size : 1ull << 22;
	const uint64_t v[] = {
		0, 1, 4, 4095, 4096, obj - 1, obj, obj + 1, obj - len, obj - len + 1,
		obj - len + 4096, 1ull << 32, (1ull << 32) - 1, 1ull << 63,
		~0ull, ~0ull - len + 1, -(len / 2), old + 1, old + 4, old + 4096,
		old - 1, old * 2, len, len + 1, len - 1,
	};

	if (!pick(c, 8))
		return xe_rng_next(&c->rng) >> pick(c, 64);
	return v[pick(c, sizeof(v) / sizeof(v[0]))];
}

static size_t pkt_index(struct ctx *c)
{
	return pick(c, c->e.count);
}

static const char *tname(const struct xe_stream_edit_pkt *p)
{
	return xe_stream_type_name(p->hdr.type);
}

/* Field-aware payload changes. */
static void field_descriptor(struct ctx *c, struct xe_stream_edit_pkt *p)
{
	uint32_t *dw = (uint32_t *)p->payload;
	size_t n = p->len / 4, i = 0, k = 0, klvs[64];

	while (i < n && k < 64) {
		klvs[k++] = i;
		i += 1 + XE_SRIOV_KLV_LEN(dw[i]);
	}
	if (!k || !pick(c, 4)) {
		size_t at = p->len;

		/* An extra KLV: a known key with a wrong length, or an unknown one. */
		if (xe_stream_edit_resize(&c->e, p - c->e.pkts, at + 8))
			return;
		p = &c->e.pkts[p - c->e.pkts];
		dw = (uint32_t *)(p->payload + (at & ~3ul));
		dw[0] = XE_SRIOV_KLV_HDR(pick(c, 2) ? 0xf001 + pick(c, 3) : pick(c, 0x10000),
					 pick(c, 3));
		dw[1] = boundary32(c, 0);
		note(c, "+klv %#x", dw[0]);
		return;
	}
	i = klvs[pick(c, k)];
	switch (pick(c, 3)) {
	case 0: {
		static const uint32_t lens[] = { 0, 2, 3, 0xffff, 0x7fff };

		dw[i] = XE_SRIOV_KLV_HDR(XE_SRIOV_KLV_KEY(dw[i]), lens[pick(c, 5)]);
		note(c, "klv[%zu] len %u", i, XE_SRIOV_KLV_LEN(dw[i]));
		break;
	}
	case 1:
		dw[i] = XE_SRIOV_KLV_HDR(pick(c, 2) ? 0xf001 + pick(c, 3) : pick(c, 0x10000),
					 XE_SRIOV_KLV_LEN(dw[i]));
		note(c, "klv[%zu] key %#x", i, XE_SRIOV_KLV_KEY(dw[i]));
		break;
	default:
		if (i + 1 < n) {
			dw[i + 1] = boundary32(c, dw[i + 1]);
			note(c, "klv[%zu] value %#x", i, dw[i + 1]);
		}
		break;
	}
}

static void field_ggtt(struct ctx *c, struct xe_stream_edit_pkt *p)
{
	uint64_t *pte = (uint64_t *)p->payload, v;
	size_t i = pick(c, p->len / 8);

	if (p->len < 8)
		return;
	v = pte[i];
	switch (pick(c, 6)) {
	case 0:
		v ^= 1;				/* valid */
		break;
	case 1:
		v = (v & ~0xffcull) | (pick(c, 1024) << 2);	/* VF id */
		break;
	case 2:
		v = (v & ~0x7ffffffff000ull) | (boundary64(c, v >> 12, 1) << 12 & 0x7ffffffff000ull);
		break;
	case 3:
		v |= xe_rng_next(&c->rng) & ~0x7fffffffffffull;	/* high bits */
		break;
	case 4:
		v = ~0ull;
		break;
	default:
		v = xe_rng_next(&c->rng);
		break;
	}
	pte[i] = v;
	note(c, "pte[%zu] %#llx", i, (unsigned long long)v);
}

/* A dword of a structure: most often one of the first 48 (the headers). */
static void field_dwords(struct ctx *c, struct xe_stream_edit_pkt *p)
{
	uint32_t *dw = (uint32_t *)p->payload;
	size_t n = p->len / 4, i;

	if (!n)
		return;
	i = pick(c, 4) ? pick(c, n < 48 ? n : 48) : pick(c, n);
	dw[i] = boundary32(c, dw[i]);
	note(c, "dw[%zu] %#x", i, dw[i]);
}

static void mut_field(struct ctx *c)
{
	size_t i = pkt_index(c);
	struct xe_stream_edit_pkt *p = &c->e.pkts[i];

	note(c, "field(%zu %s: ", i, tname(p));
	switch (p->hdr.type) {
	case XE_SRIOV_PACKET_TYPE_DESCRIPTOR:
		field_descriptor(c, p);
		break;
	case XE_SRIOV_PACKET_TYPE_GGTT:
		field_ggtt(c, p);
		break;
	default:
		field_dwords(c, p);
		break;
	}
	note(c, ") ");
}

static void mut_bits(struct ctx *c)
{
	size_t i = pkt_index(c);
	struct xe_stream_edit_pkt *p = &c->e.pkts[i];
	unsigned int n = 1 + pick(c, 8);

	if (!p->len)
		return;
	for (unsigned int k = 0; k < n; k++) {
		uint64_t b = pick(c, p->len * 8);

		p->payload[b / 8] ^= 1u << (b % 8);
	}
	note(c, "bits(%zu %s x%u) ", i, tname(p), n);
}

static void mut_header(struct ctx *c, enum xe_mut_kind k)
{
	size_t i = pkt_index(c);
	struct xe_sriov_packet_hdr *h = &c->e.pkts[i].hdr;
	const char *t = tname(&c->e.pkts[i]);

	switch (k) {
	case XE_MUT_HDR_VERSION: {
		static const uint8_t v[] = { 0, 2, 3, 0x81, 0xff };

		h->version = v[pick(c, 5)];
		note(c, "version(%zu %s %u) ", i, t, h->version);
		break;
	}
	case XE_MUT_HDR_TYPE:
		h->type = pick(c, 3) ? pick(c, 8) : 8 + pick(c, 248);
		note(c, "type(%zu %s -> %u) ", i, t, h->type);
		break;
	case XE_MUT_HDR_IDS: {
		static const uint8_t v[] = { 0, 1, 1, 2, 7, 0xff };

		h->tile_id = v[pick(c, 6)];
		h->gt_id = v[pick(c, 6)];
		note(c, "ids(%zu %s tile %u gt %u) ", i, t, h->tile_id, h->gt_id);
		break;
	}
	case XE_MUT_HDR_FLAGS:
		h->flags = pick(c, 2) ? 1u << pick(c, 32) : (uint32_t)xe_rng_next(&c->rng);
		note(c, "flags(%zu %s %#x) ", i, t, h->flags);
		break;
	case XE_MUT_HDR_OFFSET:
		h->offset = boundary64(c, h->offset, c->e.pkts[i].len);
		note(c, "offset(%zu %s %#llx) ", i, t, (unsigned long long)h->offset);
		break;
	default:
		h->size = boundary64(c, h->size, c->e.pkts[i].len);
		note(c, "size(%zu %s says %#llx, has %#zx) ", i, t,
		     (unsigned long long)h->size, c->e.pkts[i].len);
		break;
	}
}

static void mut_resize(struct ctx *c)
{
	size_t i = pkt_index(c), len = c->e.pkts[i].len, n;

	switch (pick(c, 6)) {
	case 0:
		n = 0;
		break;
	case 1:
		n = len ? len - 1 : 1;
		break;
	case 2:
		n = len + 1 + pick(c, 7);
		break;
	case 3:
		n = len >= 8 ? len - 8 : len + 8;
		break;
	case 4:
		n = len + 8;
		break;
	default:
		n = pick(c, len * 2 + 64);
		break;
	}
	if (n > (64u << 20))
		n = 64u << 20;
	note(c, "resize(%zu %s %zu -> %zu) ", i, tname(&c->e.pkts[i]), len, n);
	xe_stream_edit_resize(&c->e, i, n);
}

/* Insert packet p (of a donor) at position at. */
static int insert_pkt(struct ctx *c, const struct xe_stream_packet *p, size_t at)
{
	struct xe_stream_edit_pkt *np;
	uint8_t *pl;

	pl = malloc(p->hdr.size ? p->hdr.size : 1);
	if (!pl)
		return -ENOMEM;
	np = realloc(c->e.pkts, (c->e.count + 1) * sizeof(*np));
	if (!np) {
		free(pl);
		return -ENOMEM;
	}
	c->e.pkts = np;
	memmove(&np[at + 1], &np[at], (c->e.count - at) * sizeof(*np));
	memcpy(pl, p->payload, p->hdr.size);
	np[at].hdr = p->hdr;
	np[at].payload = pl;
	np[at].len = p->hdr.size;
	c->e.count++;
	return 0;
}

static int mut_splice(struct ctx *c, bool replace)
{
	const struct xe_stream *d;
	const struct xe_stream_packet *p;
	size_t at;
	int ret;

	if (!c->m->n_donors)
		return 0;
	d = c->m->donors[pick(c, c->m->n_donors)];
	if (!d->count)
		return 0;
	p = &d->pkts[pick(c, d->count)];
	if (replace) {
		int j = xe_stream_edit_find(&c->e, p->hdr.type, 0);

		if (j < 0)
			return 0;
		/* Same type: the n-th of its kind, wrapping. */
		for (int n = pick(c, 4); n > 0; n--) {
			int k = xe_stream_edit_find(&c->e, p->hdr.type, j + 1);

			if (k < 0)
				break;
			j = k;
		}
		xe_stream_edit_drop(&c->e, j);
		at = j;
	} else {
		at = pick(c, c->e.count + 1);
	}
	ret = insert_pkt(c, p, at);
	note(c, "%s(%s of donor at %zu) ", replace ? "replace" : "splice",
	     xe_stream_type_name(p->hdr.type), at);
	return ret;
}

static int mut_structure(struct ctx *c, enum xe_mut_kind k)
{
	size_t i = pkt_index(c), j = pick(c, c->e.count);
	struct xe_stream_edit_pkt t;

	switch (k) {
	case XE_MUT_DROP:
		note(c, "drop(%zu %s) ", i, tname(&c->e.pkts[i]));
		return xe_stream_edit_drop(&c->e, i);
	case XE_MUT_DUP:
		j = pick(c, c->e.count + 1);
		note(c, "dup(%zu %s to %zu) ", i, tname(&c->e.pkts[i]), j);
		return xe_stream_edit_dup(&c->e, i, j);
	case XE_MUT_SWAP:
		t = c->e.pkts[i];
		c->e.pkts[i] = c->e.pkts[j];
		c->e.pkts[j] = t;
		note(c, "swap(%zu %zu) ", i, j);
		return 0;
	default:
		note(c, "move(%zu %s to %zu) ", i, tname(&c->e.pkts[i]), j);
		t = c->e.pkts[i];
		if (i < j)
			memmove(&c->e.pkts[i], &c->e.pkts[i + 1], (j - i) * sizeof(t));
		else
			memmove(&c->e.pkts[j + 1], &c->e.pkts[j], (i - j) * sizeof(t));
		c->e.pkts[j] = t;
		return 0;
	}
}

/* Where packet pkt starts in the bytes (headers as wide as their payloads). */
static size_t pkt_pos(const struct xe_stream_edit *e, size_t pkt)
{
	size_t pos = 0;

	for (size_t i = 0; i < pkt && i < e->count; i++)
		pos += HDR_SIZE + e->pkts[i].len;
	return pos;
}

static void mut_truncate(struct ctx *c)
{
	size_t i = pick(c, c->e.count + 1), pos = pkt_pos(&c->e, i);
	unsigned int how = i < c->e.count ? pick(c, 3) : 0;

	if (how == 1)
		pos += 1 + pick(c, HDR_SIZE - 1);
	else if (how == 2)
		pos += HDR_SIZE + pick(c, c->e.pkts[i].len + 1);
	c->cut = pos;
	note(c, "truncate(%s %zu at %zu) ", how == 0 ? "before" : how == 1 ? "hdr" : "payload",
	     i, pos);
}

/*
 * The editable copy of the base; with compact, fewer and smaller VRAM
 * packets (offsets kept), chosen before copying so a mutant of a big
 * stream costs little.
 */
static int edit_base(struct ctx *c)
{
	const struct xe_stream *s = c->m->base;
	size_t n = 0, k = 0, keep0, keep1;

	if (!c->m->compact)
		return xe_stream_edit_from(&c->e, s);
	for (size_t i = 0; i < s->count; i++)
		n += s->pkts[i].hdr.type == XE_SRIOV_PACKET_TYPE_VRAM;
	keep0 = pick(c, n);
	keep1 = pick(c, n);
	c->e.count = 0;
	c->e.pkts = calloc(s->count + 1, sizeof(*c->e.pkts));
	if (!c->e.pkts)
		return -ENOMEM;
	for (size_t i = 0; i < s->count; i++) {
		const struct xe_stream_packet *p = &s->pkts[i];
		struct xe_stream_edit_pkt *d = &c->e.pkts[c->e.count];
		size_t len = p->hdr.size;

		if (p->hdr.type == XE_SRIOV_PACKET_TYPE_VRAM) {
			if (k != keep0 && k != keep1) {
				k++;
				continue;
			}
			k++;
			if (len > COMPACT_VRAM)
				len = 4096 * (1 + pick(c, COMPACT_VRAM / 4096));
		}
		d->hdr = p->hdr;
		d->hdr.size = len;
		d->len = len;
		d->payload = malloc(len ? len : 1);
		if (!d->payload) {
			xe_stream_edit_free(&c->e);
			return -ENOMEM;
		}
		memcpy(d->payload, p->payload, len);
		c->e.count++;
	}
	return 0;
}

static int step_one(struct ctx *c, enum xe_mut_kind k);

/* One mutation; a step that found nothing to change says so. */
static int step(struct ctx *c, enum xe_mut_kind k)
{
	size_t before = strlen(c->out->log);
	int ret = step_one(c, k);

	if (strlen(c->out->log) == before)
		note(c, "%s(no-op) ", xe_mut_kind_name(k));
	return ret;
}

static int step_one(struct ctx *c, enum xe_mut_kind k)
{
	if (!c->e.count && k != XE_MUT_SPLICE)
		return 0;
	c->out->kinds |= 1u << k;
	c->out->steps++;
	switch (k) {
	case XE_MUT_HDR_VERSION:
	case XE_MUT_HDR_TYPE:
	case XE_MUT_HDR_IDS:
	case XE_MUT_HDR_FLAGS:
	case XE_MUT_HDR_OFFSET:
	case XE_MUT_HDR_SIZE:
		mut_header(c, k);
		return 0;
	case XE_MUT_RESIZE:
		mut_resize(c);
		return 0;
	case XE_MUT_DROP:
	case XE_MUT_DUP:
	case XE_MUT_SWAP:
	case XE_MUT_MOVE:
		return mut_structure(c, k);
	case XE_MUT_SPLICE:
		return mut_splice(c, false);
	case XE_MUT_REPLACE:
		return mut_splice(c, true);
	case XE_MUT_FIELD:
		mut_field(c);
		return 0;
	case XE_MUT_BITS:
		mut_bits(c);
		return 0;
	default:
		mut_truncate(c);
		return 0;
	}
}

void xe_stream_mutant_free(struct xe_stream_mutant *mt)
{
	free(mt->buf);
	mt->buf = NULL;
	mt->len = 0;
}

int xe_stream_mutate(const struct xe_stream_mutator *m, uint64_t seed,
		     struct xe_stream_mutant *out)
{
	/* Field changes and header lies most often, cuts rarely (they end a stream). */
	static const uint8_t weight[XE_MUT_COUNT] = {
		[XE_MUT_HDR_VERSION] = 2, [XE_MUT_HDR_TYPE] = 3, [XE_MUT_HDR_IDS] = 3,
		[XE_MUT_HDR_FLAGS] = 2, [XE_MUT_HDR_OFFSET] = 4, [XE_MUT_HDR_SIZE] = 4,
		[XE_MUT_RESIZE] = 3, [XE_MUT_DROP] = 3, [XE_MUT_DUP] = 3,
		[XE_MUT_SWAP] = 2, [XE_MUT_MOVE] = 2, [XE_MUT_SPLICE] = 3,
		[XE_MUT_REPLACE] = 3, [XE_MUT_FIELD] = 10, [XE_MUT_BITS] = 3,
		[XE_MUT_TRUNCATE] = 2,
	};
	unsigned int total = 0, steps, max = m->max_steps ? m->max_steps : 4;
	struct ctx c = { .m = m, .out = out, .cut = SIZE_MAX };
	int ret;

	memset(out, 0, sizeof(*out));
	if (!m->base || !m->base->count)
		return -EINVAL;
	xe_rng_seed(&c.rng, seed);
	ret = edit_base(&c);
	if (ret)
		return ret;
	for (int k = 0; k < XE_MUT_COUNT; k++)
		total += weight[k];
	steps = 1 + pick(&c, max);
	for (unsigned int s = 0; s < steps && !ret; s++) {
		unsigned int w = pick(&c, total);
		int k = 0;

		while (w >= weight[k])
			w -= weight[k++];
		ret = step(&c, k);
	}
	if (!ret)
		ret = xe_stream_edit_bytes(&c.e, true, &out->buf, &out->len);
	if (!ret && c.cut < out->len)
		out->len = c.cut;
	xe_stream_edit_free(&c.e);
	return ret;
}

int xe_stream_mutate_cut(const struct xe_stream *s, size_t pkt, unsigned int how,
			 struct xe_stream_mutant *out)
{
	size_t pos;

	memset(out, 0, sizeof(*out));
	if (pkt > s->count || how > 2 || (pkt == s->count && how))
		return -EINVAL;
	pos = pkt < s->count ? s->pkts[pkt].pos : s->len;
	if (!s->count)
		pos = 0;
	if (how == 1)
		pos += HDR_SIZE / 2;
	else if (how == 2)
		pos += HDR_SIZE + s->pkts[pkt].hdr.size / 2;
	out->buf = malloc(pos ? pos : 1);
	if (!out->buf)
		return -ENOMEM;
	/* The packets point into the parsed buffer, which starts at pkts[0]. */
	if (pos)
		memcpy(out->buf, s->pkts[0].payload - HDR_SIZE, pos);
	out->len = pos;
	out->steps = 1;
	out->kinds = 1u << XE_MUT_TRUNCATE;
	snprintf(out->log, sizeof(out->log), "cut(%s %zu at %zu)",
		 how == 0 ? "before" : how == 1 ? "hdr" : "payload", pkt, pos);
	return 0;
}
