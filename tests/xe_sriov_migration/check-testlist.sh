#!/bin/sh
# SPDX-License-Identifier: MIT
# check-testlist.sh TESTLIST DIR: every igt@bin@sub of TESTLIST (IGT's
# testlist format, '#' comments) names a binary in DIR that lists sub in
# --list-subtests. Keeps a checked-in list true when subtests move.
list=$1 dir=$2 n=0 bad=0
for t in $(sed 's/#.*//' "$list"); do
	bin=${t#igt@}; sub=${bin#*@}; bin=${bin%%@*}
	n=$((n + 1))
	if [ "$sub" = "$bin" ] || [ ! -x "$dir/$bin" ]; then
		echo "$list: $t: no binary $bin with a subtest" >&2; bad=1; continue
	fi
	"$dir/$bin" --list-subtests | grep -qx -- "${sub%%@*}" ||
		{ echo "$list: $t: $bin has no subtest ${sub%%@*}" >&2; bad=1; }
done
[ "$n" -gt 0 ] || { echo "$list: no tests" >&2; bad=1; }
exit $bad
