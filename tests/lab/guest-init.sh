#!/bin/sh
# PID 1 of a lab VM (started by tests/lab/mod.rs): set up the guest, run the job in $LAB_JOB, report its status.
# First thing: no AVX in guest programs. UML (XSTATE fallback, see mod.rs) restores only the fxsave
# registers after a page fault, so AVX upper halves are lost: busybox segfaults, python3/perl crash,
# memmove corrupts data. mod.rs also passes this on the kernel command line.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-AVX2,-AVX,-ERMS,-FSRM,-XSAVEC,-AVX_Fast_Unaligned_Load,-RTM}"
# OpenSSL picks its own code paths from CPUID, not glibc's hwcaps: mask AVX, AVX2, AVX-512, VAES
# and VPCLMULQDQ there too, or ssh's ciphers garble a few dozen bytes of a session now and then.
export OPENSSL_ia32cap="${OPENSSL_ia32cap:-~0x1000000000000000:~0x600D0230020}"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp/home TERM="${TERM:-linux}"

finish() { # the harness parses these markers
	echo "@@LAB_EXIT=$1@@"
	busybox halt -f # busybox: /usr/sbin/halt (systemd) may be missing in containers
	exit "$1" # only reached if halt fails; the kernel then panics, which also ends the VM
}
fail() { echo "lab guest-init: $*"; finish 125; }

# The root fs is the host's / (hostfs, mounted read-only): everything writable must be tmpfs.
mount -t proc proc /proc || fail "cannot mount /proc"
mount -t sysfs sysfs /sys || fail "cannot mount /sys"
grep -q ' /dev ' /proc/mounts || mount -t devtmpfs devtmpfs /dev || fail "cannot mount /dev"
for d in /tmp /run /var/tmp /dev/shm; do
	mkdir -p "$d" 2>/dev/null
	mount -t tmpfs tmpfs "$d" || fail "cannot mount tmpfs on $d"
done
# A checkout (or job dir, or binary) under one of those is hidden now: show each host directory of
# LAB_HOST_DIRS (from mod.rs) that lies below one again, at the same path, read-only (hostfs).
set -f # no globbing of the paths
IFS=:
for d in $LAB_HOST_DIRS; do
	case "$d" in
	/tmp/* | /run/* | /var/tmp/* | /dev/shm/*)
		mkdir -p "$d" && mount -t hostfs -o "ro,$d" hostfs "$d" || fail "cannot show host directory $d in the guest"
		;;
	esac
done
unset IFS && set +f
mkdir -p /dev/pts "$HOME" && mount -t devpts -o ptmxmode=0666 devpts /dev/pts || fail "cannot mount /dev/pts (tmux needs it)"
[ -e /dev/ptmx ] || ln -s pts/ptmx /dev/ptmx

# modprobe has no -d here: give it a fake root whose lib/modules/$K is UML's module tree.
K=$(uname -r)
MODS=/usr/lib/uml/modules/$K
[ -f "$MODS/modules.dep" ] || fail "no modules for kernel $K in $MODS (package user-mode-linux)"
mkdir -p /tmp/mods/lib/modules && ln -s "$MODS" "/tmp/mods/lib/modules/$K" || fail "cannot link $MODS"
have_mod() { grep -q "/$1\.ko" "$MODS/modules.dep"; }
load() { out=$(modprobe --dirname=/tmp/mods "$1" 2>&1) || fail "modprobe $1 failed: $out"; }
for m in ip_vs ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_lblc ip_vs_lblcr ip_vs_dh ip_vs_sh \
	ip_vs_sed ip_vs_nq ip_vs_fo ip_vs_ovf ip_vs_mh ip_vs_pe_sip nf_conntrack veth bridge ipip; do
	load "$m"
done
for m in ip_vs_twos fou ip_gre ip6_tunnel ip6_gre; do # not in every kernel build
	if have_mod "$m"; then load "$m"; else echo "lab guest-init: note: module $m not available"; fi
done
ip link set lo up || fail "cannot bring lo up"

[ -n "$LAB_JOB" ] && [ -r "$LAB_JOB" ] || fail "no readable job file (LAB_JOB='$LAB_JOB')"
echo "@@LAB_BEGIN@@"
# Output goes straight to the console: a pipe would be held open by servers the script leaves running.
bash "$LAB_JOB" </dev/null 2>&1
status=$?
# quiet hides KERN_INFO, where user segfaults are logged: repeat such lines for the test's output.
dmesg | grep -Ei 'segfault|general protection|oops|BUG:|call trace|panic' | sed 's/^/lab guest-init: kernel: /'
finish "$status"
