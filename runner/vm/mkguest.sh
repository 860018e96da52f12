#!/bin/bash
# SPDX-License-Identifier: MIT
#
# mkguest.sh [--payload DIR] [--kver KVER --modules "MOD ..." [--modules-root ROOT]]
#            [--firmware DIR] BUILD_DIR OUT
#
# The initramfs of the migration-loop guest (tests/xe_sriov_migration/
# xe_sriov_migration_vm.c): static busybox, runner/vm/guest-init as /init
# and the static guest agent (BUILD_DIR/workloads/guest_agent). Kept small
# so every hop moves little besides guest RAM. Without options it has no
# modules: Debian's kernel has the 8250 serial console built in.
#
#   --payload DIR     DIR/commands (one command a line, '#' comments) and
#                     the files it runs, copied to /payload; the agent runs
#                     the list in a loop when the guest boots with
#                     xemt.payload=1 (the payload-loop subtest). Shared
#                     libraries of DIR's ELF files come along (ldd), so a
#                     lab's IGT build runs as it is.
#   --kver KVER       the guest kernel's release, for --modules;
#   --modules "M ..." modules to load at boot, with their dependencies in
#                     order (modprobe --show-depends), e.g. "xe";
#   --modules-root R  where lib/modules/KVER is (default /);
#   --firmware DIR    copied to /lib/firmware (xe's GuC/HuC blobs).
set -euo pipefail

payload= kver= modules= modroot=/ firmware=
while [ $# -gt 2 ]; do
	case $1 in
	--payload) payload=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--modules) modules=$2; shift 2 ;;
	--modules-root) modroot=$2; shift 2 ;;
	--firmware) firmware=$2; shift 2 ;;
	*) echo "mkguest.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ $# -eq 2 ] || { echo "usage: mkguest.sh [options] BUILD_DIR OUT" >&2; exit 2; }
build=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
agent=$build/workloads/guest_agent

[ -x "$agent" ] || { echo "mkguest.sh: no $agent (build first)" >&2; exit 1; }
[ -z "$payload" ] || [ -f "$payload/commands" ] ||
	{ echo "mkguest.sh: no $payload/commands" >&2; exit 1; }
[ -z "$modules" ] || [ -n "$kver" ] ||
	{ echo "mkguest.sh: --modules needs --kver" >&2; exit 1; }
# Up to date: nothing it is made of is newer (module sets are always rebuilt).
if [ -f "$out" ] && [ -z "$modules$firmware" ] &&
   [ -z "$(find "$agent" "$here/guest-init" "$0" ${payload:+"$payload"} -newer "$out" 2>/dev/null | head -1)" ]; then
	exit 0
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,etc}
cp /bin/busybox "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
install -m 0755 "$agent" "$stage/bin/guest_agent"
install -m 0755 "$here/guest-init" "$stage/init"

# A file and the shared libraries it needs, at their own paths.
copy_libs() {
	{ ldd "$1" 2>/dev/null || true; } | { grep -o '/[^ ]*' || true; } | while read -r lib; do
		[ -e "$stage$lib" ] || { mkdir -p "$stage$(dirname "$lib")"; cp -L "$lib" "$stage$lib"; }
	done
}

if [ -n "$payload" ]; then
	mkdir -p "$stage/payload"
	cp -a "$payload"/. "$stage/payload/"
	find "$stage/payload" -type f -perm -u+x | while read -r f; do
		if head -c 4 "$f" | grep -q 'ELF'; then copy_libs "$f"; fi
	done
fi

if [ -n "$modules" ]; then
	: > "$stage/etc/xemt-modules"
	mkdir -p "$stage/lib/modules/$kver"
	# shellcheck disable=SC2086
	modprobe -d "$modroot" -S "$kver" --show-depends $modules | while read -r what path _; do
		[ "$what" = insmod ] || continue
		dst=/lib/modules/$kver/$(basename "$path")
		case $path in
		*.ko.xz) dst=${dst%.xz}; xz -dc "$modroot$path" > "$stage$dst.tmp" ;;
		*.ko.zst) dst=${dst%.zst}; zstd -qdc "$modroot$path" > "$stage$dst.tmp" ;;
		*.ko.gz) dst=${dst%.gz}; gzip -dc "$modroot$path" > "$stage$dst.tmp" ;;
		*) cp "$modroot$path" "$stage$dst.tmp" ;;
		esac || { echo "mkguest.sh: cannot copy $path" >&2; exit 1; }
		mv "$stage$dst.tmp" "$stage$dst"
		grep -qx "$dst" "$stage/etc/xemt-modules" || echo "$dst" >> "$stage/etc/xemt-modules"
	done
fi
if [ -n "$firmware" ]; then
	mkdir -p "$stage/lib/firmware"
	cp -a "$firmware"/. "$stage/lib/firmware/"
fi

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
