# SPDX-License-Identifier: MIT
# Host set-up: refuse machines we cannot set up, enable bookworm-backports
# from the machine's own apt sources, install what is missing. Every step is
# skipped when its result is already there, so later runs cost a dpkg query.

XEMT_BACKPORTS_LIST=/etc/apt/sources.list.d/xe-migtest-backports.sources

# Packages from the release itself. libdrm-dev and libkmod-dev: the lab
# path finds xe PFs with libdrm and loads modules with libkmod, as IGT does;
# libproc2-dev: leftover QEMUs of a crashed run are found through libproc2.
XEMT_PKGS="gcc make pkg-config ninja-build muon-meson libjansson-dev
libcmocka-dev libxxhash-dev libdrm-dev libkmod-dev libproc2-dev busybox-static cpio
xz-utils zstd kmod"
# Packages that must come from bookworm-backports (QEMU 10 for VFIO
# migration v2, linux-libc-dev 6.12 for the current vfio.h).
XEMT_BP_PKGS="qemu-system-x86 linux-libc-dev"

xemt_die() {
	echo "xe-migtest: $*" >&2
	exit 1
}

xemt_check_machine() {
	[ "$(id -u)" = 0 ] ||
		xemt_die "must run as root (it installs packages and boots a VM)"
	[ -r /etc/os-release ] || xemt_die "cannot identify this machine (no /etc/os-release)"
	local id ver
	id=$(. /etc/os-release && echo "${ID:-}")
	ver=$(. /etc/os-release && echo "${VERSION_ID:-}")
	[ "$id" = debian ] && [ "$ver" = 12 ] ||
		xemt_die "this machine is '$id $ver'; set-up supports Debian 12 (bookworm) only"
	[ "$(dpkg --print-architecture)" = amd64 ] ||
		xemt_die "set-up supports amd64 only"
	command -v apt-get >/dev/null || xemt_die "apt-get not found"
}

# Derive a backports source from the first deb822 stanza of the machine's
# Debian source (or the first 'deb' line of sources.list): same mirror, same
# keyring, suite bookworm-backports. No mirror name is written here.
xemt_enable_backports() {
	if grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		return 0
	fi
	local src=/etc/apt/sources.list.d/debian.sources
	if [ -r "$src" ]; then
		awk 'BEGIN { RS = ""; ORS = "\n" } NR == 1 { print; exit }' "$src" |
			sed 's/^Suites:.*/Suites: bookworm-backports/' > "$XEMT_BACKPORTS_LIST.tmp"
	elif [ -r /etc/apt/sources.list ]; then
		local uri
		uri=$(awk '$1 == "deb" && $3 ~ /^bookworm/ { print $2; exit }' /etc/apt/sources.list)
		[ -n "$uri" ] || xemt_die "no bookworm entry in /etc/apt/sources.list to derive backports from"
		printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\n' \
			"$uri" > "$XEMT_BACKPORTS_LIST.tmp"
	else
		xemt_die "no apt sources found to derive bookworm-backports from"
	fi
	grep -q '^URIs:' "$XEMT_BACKPORTS_LIST.tmp" ||
		xemt_die "could not derive a backports source from $src"
	mv "$XEMT_BACKPORTS_LIST.tmp" "$XEMT_BACKPORTS_LIST"
	echo "xe-migtest: enabled bookworm-backports in $XEMT_BACKPORTS_LIST"
	XEMT_APT_UPDATED=
}

xemt_apt_update() {
	[ -n "${XEMT_APT_UPDATED:-}" ] && return 0
	echo "xe-migtest: apt-get update"
	apt-get update -qq >/dev/null ||
		xemt_die "apt-get update failed: is the Debian package registry reachable?"
	XEMT_APT_UPDATED=1
}

xemt_apt_install() {
	echo "xe-migtest: installing $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
		>/dev/null || xemt_die "apt-get install $* failed"
}

# Prints the packages of "$@" that are not installed.
xemt_missing_pkgs() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
			echo "$p"
	done
}

# The kernel the sim VM boots: an installed linux-image/linux-headers 6.12
# pair if there is one, else the newest version both packages have. Only
# the generic flavour: -rt and -cloud kernels sort later but are not what
# labs run (and -cloud lacks drivers the VM needs).
XEMT_KVER_RE='6\.12\.[0-9.]*+[a-z0-9~.]*-amd64'

xemt_installed_kver() {
	local d v
	for d in /usr/src/linux-headers-6.12.*-amd64; do
		[ -d "$d" ] || continue
		v=${d#/usr/src/linux-headers-}
		echo "$v" | grep -qx "$XEMT_KVER_RE" || continue
		[ -r "/boot/vmlinuz-$v" ] && [ -d "/lib/modules/$v/kernel" ] && echo "$v"
	done | sort -V | tail -n 1
}

xemt_newest_kver() {
	local v
	apt-cache pkgnames linux-headers-6.12. | sed -n "s/^linux-headers-\($XEMT_KVER_RE\)\$/\1/p" |
		sort -rV | while read -r v; do
			if apt-cache show "linux-image-$v" >/dev/null 2>&1; then
				echo "$v"
				break
			fi
		done
}

xemt_qemu_ok() {
	local v
	v=$(qemu-system-x86_64 --version 2>/dev/null | sed -n 's/^QEMU emulator version \([0-9]*\)\..*/\1/p')
	[ -n "$v" ] && [ "$v" -ge 10 ]
}

xemt_setup_host() {
	local missing kver
	xemt_check_machine
	xemt_enable_backports
	missing=$(xemt_missing_pkgs $XEMT_PKGS)
	kver=$(xemt_installed_kver)
	if [ -z "$missing" ] && [ -n "$kver" ] && xemt_qemu_ok &&
	   [ -z "$(xemt_missing_pkgs linux-libc-dev)" ]; then
		export XEMT_KVER=$kver
		return 0
	fi
	xemt_apt_update
	[ -n "$missing" ] && xemt_apt_install $missing
	if [ -z "$kver" ]; then
		kver=$(xemt_newest_kver)
		[ -n "$kver" ] || xemt_die "no linux-image/linux-headers 6.12 pair found in bookworm-backports"
		xemt_apt_install -t bookworm-backports "linux-image-$kver" "linux-headers-$kver"
	fi
	if ! xemt_qemu_ok || dpkg --compare-versions "$(dpkg-query -W -f="\${Version}" linux-libc-dev)" lt 6.12; then
		xemt_apt_install -t bookworm-backports $XEMT_BP_PKGS
	fi
	xemt_qemu_ok || xemt_die "QEMU >= 10 is required (bookworm-backports qemu-system-x86)"
	kver=$(xemt_installed_kver)
	[ -n "$kver" ] || xemt_die "the 6.12 kernel image or headers did not install"
	export XEMT_KVER=$kver
	echo "xe-migtest: host ready (sim VM kernel $kver, $(qemu-system-x86_64 --version | head -n 1))"
}
