# SPDX-License-Identifier: MIT
# Build: user space with muon (meson works too), the kernel module with
# Kbuild against the sim VM kernel's headers, the sim VM's initramfs and
# the migration-loop guest's initramfs.
# Each step is incremental; a no-op build costs well under a second.

XEMT_BUILD=${XEMT_BUILD:-$XEMT_ROOT/build}
export XEMT_BUILD

xemt_build_userspace() {
	if [ ! -f "$XEMT_BUILD/build.ninja" ]; then
		CFLAGS="${CFLAGS:-} -Werror" muon-meson setup "$XEMT_BUILD" >/dev/null ||
			xemt_die "muon-meson setup failed (see above)"
	fi
	ninja -C "$XEMT_BUILD" >"$XEMT_BUILD/ninja.log" 2>&1 || {
		cat "$XEMT_BUILD/ninja.log" >&2
		xemt_die "build failed"
	}
}

xemt_build_module() {
	make -s -C "$XEMT_ROOT/kernel/xe_sriov_sim" \
		KDIR="/usr/src/linux-headers-$XEMT_KVER" >"$XEMT_BUILD/kbuild.log" 2>&1 || {
		cat "$XEMT_BUILD/kbuild.log" >&2
		xemt_die "kernel module build failed"
	}
	if grep -q 'warning:' "$XEMT_BUILD/kbuild.log"; then
		cat "$XEMT_BUILD/kbuild.log" >&2
		xemt_die "kernel module build has warnings"
	fi
}

xemt_build() {
	mkdir -p "$XEMT_BUILD"
	(cd "$XEMT_ROOT" && xemt_build_userspace && xemt_build_module)
	XEMT_INITRD="$XEMT_BUILD/vm/initramfs-$XEMT_KVER.cpio.zst"
	export XEMT_INITRD XEMT_KERNEL="/boot/vmlinuz-$XEMT_KVER"
	"$XEMT_ROOT/runner/vm/mkinitramfs.sh" "$XEMT_KVER" "$XEMT_BUILD" "$XEMT_INITRD" ||
		xemt_die "building the sim VM initramfs failed"
	# The guest that xe_sriov_migration_vm migrates (on the host, not in the sim VM).
	XEMT_GUEST_INITRD="$XEMT_BUILD/guest/initramfs.cpio.gz"
	export XEMT_GUEST_INITRD
	# Its payload: the project's self-test commands (workloads/payload/).
	mkdir -p "$XEMT_BUILD/guest/payload"
	for f in "$XEMT_ROOT/workloads/payload/commands" \
		"$XEMT_BUILD"/workloads/xemt_pl_{mem,cpu,fault}; do
		cp -p "$f" "$XEMT_BUILD/guest/payload/"
	done
	"$XEMT_ROOT/runner/vm/mkguest.sh" --payload "$XEMT_BUILD/guest/payload" \
		"$XEMT_BUILD" "$XEMT_GUEST_INITRD" ||
		xemt_die "building the migration-loop guest initramfs failed"
}

# Unit tests run natively on the host (muon's test runner).
xemt_unit_tests() {
	echo "xe-migtest: unit tests"
	(cd "$XEMT_BUILD" && muon-meson test -R) || xemt_die "unit tests failed"
}
