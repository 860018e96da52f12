/* SPDX-License-Identifier: MIT */
/*
 * igt-lite umbrella header: tests do `#include "igt.h"`, as with real IGT.
 * igt-lite only carries igt_core; see igt_core.h.
 */
#ifndef IGT_H
#define IGT_H

#include "igt_core.h"

#endif /* IGT_H */
