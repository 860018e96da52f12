/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Shared by the xe_stream*.c files only.
 */
#ifndef XEMIG_XE_STREAM_INTERNAL_H
#define XEMIG_XE_STREAM_INTERNAL_H

#include <stdint.h>

#include "xe_stream.h"

__attribute__((format(printf, 3, 4)))
void xe_stream_error_set(struct xe_stream_error *err, uint64_t pos,
			 const char *fmt, ...);
/* A little-endian dword at p (any alignment). */
uint32_t xe_stream_dword(const uint8_t *p);

#endif
