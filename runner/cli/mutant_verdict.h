/* SPDX-License-Identifier: MIT */
/*
 * Whether a planted fault was caught for the right reason: every subtest
 * of its catchers' line passed without the fault (baseline) and failed
 * with it, its failure output matching the line's pattern. Anything else
 * is said precisely, with the output that did not match, so the table
 * can be fixed from the message alone.
 */
#ifndef XEMT_MUTANT_VERDICT_H
#define XEMT_MUTANT_VERDICT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "mutant_plan.h"

/* In rising order of what the fault's line leads with. */
enum mutant_outcome {
	MUTANT_CAUGHT,
	MUTANT_WRONG_REASON,	/* failed otherwise than the table says */
	MUTANT_NOT_CAUGHT,	/* a catcher passed with the fault planted */
	MUTANT_NO_BASELINE,	/* a catcher did not pass without the fault */
	MUTANT_NOT_PLANTED,	/* the fault could not be planted */
};

/*
 * Judge @f from results.json "tests" objects: @baseline (the runs without
 * any fault) and @planted (the run with @f planted; NULL when planting
 * failed). Prints the fault's line, and one line per catcher that is not
 * right, to @out.
 */
enum mutant_outcome mutant_judge(const struct mutant_fault *f, json_t *baseline,
				 json_t *planted, FILE *out);

#endif
