/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * report.html in a results directory: counts, failures with their VF state
 * diffs, per-hop plots and the stress timeline, one self-contained page.
 */
#ifndef XEMT_HTML_REPORT_H
#define XEMT_HTML_REPORT_H

/*
 * Write @dir/report.html from @dir's (and @dir/host's) results.json,
 * stress.json and vm-migration.jsonl. 0; -ENOENT when there is none of
 * them; -errno when the page cannot be written.
 */
int html_report_write(const char *dir);

/* xe-migtest report DIR: html_report_write() by hand. */
int cmd_report(int argc, char **argv);

#endif
