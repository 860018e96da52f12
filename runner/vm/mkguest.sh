#!/bin/bash
# SPDX-License-Identifier: MIT
#
# mkguest.sh BUILD_DIR OUT
#
# The initramfs of the migration-loop guest (tests/xe_sriov_migration/
# xe_sriov_migration_vm.c): static busybox, runner/vm/guest-init as /init
# and the static guest agent (BUILD_DIR/workloads/guest_agent). No modules:
# Debian's kernel has the 8250 serial console built in, and the guest needs
# nothing else. Kept small so every hop moves little besides guest RAM.
set -euo pipefail

build=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
agent=$build/workloads/guest_agent

[ -x "$agent" ] || { echo "mkguest.sh: no $agent (build first)" >&2; exit 1; }
if [ -f "$out" ] && [ "$out" -nt "$agent" ] && [ "$out" -nt "$here/guest-init" ] &&
   [ "$out" -nt "$0" ]; then
	exit 0
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp}
cp /bin/busybox "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
install -m 0755 "$agent" "$stage/bin/guest_agent"
install -m 0755 "$here/guest-init" "$stage/init"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
