#!/bin/sh
# SPDX-License-Identifier: MIT
# check-testlist.sh TESTLIST DIR [PREFIX]: every igt@bin@sub of TESTLIST
# (IGT's testlist format, '#' comments) names a binary in DIR that lists sub
# in --list-subtests, and with PREFIX a binary whose name starts with it
# (the lab list: only the portable xe_sriov_migration_ family). Keeps a
# checked-in list true when subtests move.
list=$1 dir=$2 prefix=${3:-} n=0 bad=0
for t in $(sed 's/#.*//' "$list"); do
	bin=${t#igt@}; sub=${bin#*@}; bin=${bin%%@*}
	n=$((n + 1))
	case $bin in
	"$prefix"*) ;;
	*) echo "$list: $t: $bin is not a $prefix* binary" >&2; bad=1; continue ;;
	esac
	if [ "$sub" = "$bin" ] || [ ! -x "$dir/$bin" ]; then
		echo "$list: $t: no binary $bin with a subtest" >&2; bad=1; continue
	fi
	"$dir/$bin" --list-subtests | grep -qx -- "${sub%%@*}" ||
		{ echo "$list: $t: $bin has no subtest ${sub%%@*}" >&2; bad=1; }
done
[ "$n" -gt 0 ] || { echo "$list: no tests" >&2; bad=1; }
exit $bad
