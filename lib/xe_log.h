/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The xe-migtest authors
 *
 * Kernel log lines xe writes, at error or warning level, for what tests
 * provoke on purpose: POSIX extended regexes for
 * igt_emit_ignore_dmesg_regex(), matching xe's own text (the sim writes
 * the same lines), so a test declares them once and passes on either.
 */
#ifndef XE_LOG_H
#define XE_LOG_H

/*
 * xe_gt_sriov_pf_control_finish_save_vf(): STOP_COPY -> STOP (finish save)
 * before the save is done is refused with EIO, logged with xe_gt_sriov_err().
 */
#define XE_LOG_FINISH_SAVE_REFUSED "VF[0-9]+ save is still in progress"

#endif /* XE_LOG_H */
