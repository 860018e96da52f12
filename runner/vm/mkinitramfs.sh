#!/bin/bash
# SPDX-License-Identifier: MIT
#
# mkinitramfs.sh KVER BUILD_DIR OUT
#
# The sim VM's initramfs: static busybox, our /init, the VFIO/mdev/9p
# modules of Debian's kernel KVER (decompressed: busybox insmod reads no
# .xz), and the shared libraries our binaries under BUILD_DIR need. The
# binaries themselves and xe_sriov_sim.ko come from the project tree, which
# the VM mounts over 9p, so a rebuild of them needs no new initramfs.
#
# Also the host's QEMU (qemu-system-x86_64, when installed): tests run a
# QEMU holding a sim VF inside the sim VM. Only what a q35 machine without
# default devices opens: the binary, its shared libraries, SeaBIOS
# (bios-256k.bin) and the vAPIC option ROM (kvmvapic.bin) that TCG loads;
# no display, audio or USB modules. strace -f -e trace=openat of
# 'qemu-system-x86_64 -machine q35 -nodefaults -S' lists them. zstd keeps
# the image quick to unpack under TCG.
set -euo pipefail

kver=$1
build=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)
moddir=/lib/modules/$kver/kernel

# Load order matters: dependencies first.
modules="virt/lib/irqbypass drivers/vfio/vfio drivers/vfio/vfio_iommu_type1
drivers/vfio/mdev/mdev fs/netfs/netfs net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p"

executables() {
	find "$build/runner" "$build/tests" "$build/tools" -path "$build/tests/unit" -prune -o \
		-type f -perm -u+x -print 2>/dev/null |
		while read -r f; do
			head -c 4 "$f" | grep -q 'ELF' && echo "$f"
		done
}

qemu=$(command -v qemu-system-x86_64 || true)
# Firmware QEMU looks up in its data directories (Debian: /usr/share/qemu,
# then /usr/share/seabios).
qemu_data="bios-256k.bin kvmvapic.bin"

qemu_files() {
	[ -n "$qemu" ] || return 0
	echo "$qemu"
	for f in $qemu_data; do
		for d in /usr/share/qemu /usr/share/seabios; do
			if [ -e "$d/$f" ]; then
				echo "$d/$f"
				break
			fi
		done
	done
}

up_to_date() {
	[ -f "$out" ] || return 1
	[ "$out" -nt "$here/init" ] && [ "$out" -nt "$0" ] || return 1
	for f in $(qemu_files); do
		[ "$out" -nt "$f" ] || return 1
	done
	[ -z "$(find "$build/runner" "$build/tests" "$build/tools" -type f -perm -u+x -newer "$out" 2>/dev/null)" ]
}

up_to_date && exit 0

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,run,etc,lib/modules}
cp /bin/busybox "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
install -m 0755 "$here/init" "$stage/init"

: > "$stage/etc/modules"
for m in $modules; do
	name=$(basename "$m")
	xz -dc "$moddir/$m.ko.xz" > "$stage/lib/modules/$name.ko"
	echo "$name" >> "$stage/etc/modules"
done

# QEMU and its firmware at their host paths (firmware symlinks resolved).
for f in $(qemu_files); do
	mkdir -p "$stage$(dirname "$f")"
	cp -L "$f" "$stage$f"
done

# Shared libraries at their host paths, so the host's binaries run as is.
{ executables; [ -z "$qemu" ] || echo "$qemu"; } | xargs -r ldd 2>/dev/null | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' |
	sort -u | while read -r lib; do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
mkdir -p "$stage/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | cpio -o -H newc --quiet | zstd -q -3 -T0) > "$out.tmp"
mv "$out.tmp" "$out"
