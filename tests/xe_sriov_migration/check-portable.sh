#!/bin/sh
# SPDX-License-Identifier: MIT
# Copyright © 2026 The xe-migtest authors
#
# The portable family (xe_sriov_migration_*) runs on xe + xe-vfio-pci, so
# its binaries must not reach into xe_sriov_sim: no sim-only header
# included (uapi/xe_sriov_sim*.h, sim_pf.h), no XE_SRIOV_SIM_* name used
# (a sim uapi macro reached through another header), no sim-only symbol
# referenced by its objects (pf_sim_*, sim_fault_*, everything lib/sim_pf.c
# defines), and no backend named (pf_backend_sim, pf_backend_xe: tests ask
# for capabilities, never which backend they got). What needs the sim lives
# in tests/xe_sriov_sim/.
#
# usage: check-portable.sh NM CC SRCDIR BUILDDIR LIBSIMOBJ BINARY...
#   SRCDIR    tests/xe_sriov_migration (the sources)
#   BUILDDIR  where BINARY.p/BINARY.c.o is
#   LIBSIMOBJ lib/sim_pf.c's object, whose symbols are all sim-only
# Every offence is printed; the exit status is 1 if there is one.
set -u
nm=$1 cc=$2 src=$3 build=$4 simobj=$5
shift 5
[ $# -gt 0 ] || { echo "check-portable: no binary given" >&2; exit 2; }
[ -f "$simobj" ] || { echo "check-portable: no $simobj" >&2; exit 2; }

# Sim-only symbols: lib/sim_pf.c's, and the pf_sim_/sim_fault_ families.
simsyms=$("$nm" --defined-only -g "$simobj" | awk 'NF == 3 { print $3 }')
bad=0
for t in "$@"; do
	c=$src/$t.c
	o=$build/$t.p/$t.c.o
	for f in "$c" "$o"; do
		[ -f "$f" ] || { echo "$t: no $f" >&2; bad=1; continue 2; }
	done
	# Headers named by the source itself.
	grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](uapi/)?(xe_sriov_sim[a-z_]*|sim_pf)\.h[>"]' "$c" |
		sed "s|^|$t: sim-only header: $c:|" >"$build/$t.portable.txt"
	# XE_SRIOV_SIM_* names outside comments (gcc strips them, no expansion).
	"$cc" -fpreprocessed -dD -E -P "$c" 2>/dev/null |
		grep -oE '\bXE_SRIOV_SIM_[A-Z0-9_]+' | sort -u |
		sed "s|^|$t: sim-only name: |" >>"$build/$t.portable.txt"
	# Undefined symbols of its object.
	"$nm" -u "$o" | awk '{ print $NF }' | while read -r s; do
		case $s in
		pf_sim_*|sim_fault_*) echo "$t: sim-only symbol: $s" ;;
		pf_backend_sim|pf_backend_xe)
			echo "$t: backend identity: $s (ask for a capability: sriov_require_cap)" ;;
		*) for x in $simsyms; do
			[ "$s" = "$x" ] && echo "$t: sim-only symbol: $s (lib/sim_pf.c)"
		   done ;;
		esac
	done >>"$build/$t.portable.txt"
	if [ -s "$build/$t.portable.txt" ]; then
		cat "$build/$t.portable.txt"
		bad=1
	fi
	rm -f "$build/$t.portable.txt"
done
[ $bad = 0 ] && echo "check-portable: $# binaries reference nothing of xe_sriov_sim"
exit $bad
