#!/usr/bin/env bash
# The one command for every test: installs missing Debian/Ubuntu packages, then builds and runs
# `cargo test --all-targets` (extra arguments are passed to cargo test). Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# Kernel tests boot user-mode Linux (tests/lab); guest scripts use these host tools.
# python3: JSON checks in tests/lab scripts; nftables, iptables: the doctor's firewall check
# (tests/lab/firewall.sh); keepalived: real keepalived in the guest (tests/lab/keepalived_lib.sh);
# openssh-server, openssh-client: real sshd and ssh for the directors over SSH
# (tests/lab/ssh_lib.sh); gcc: cargo needs a linker (cc); man-db, dpkg-dev, zsh, fish: tests/cli/package.rs renders the
# man pages, builds the Debian package (dpkg-shlibdeps finds its dependencies) and parses the
# completions.
pkgs=(user-mode-linux ipvsadm kmod iproute2 tmux curl busybox-static python3 nftables iptables
	keepalived openssh-server openssh-client man-db dpkg-dev zsh fish)
command -v cc >/dev/null || pkgs+=(gcc)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
	command -v apt-get >/dev/null || { echo "run.sh: missing packages ${missing[*]} and no apt-get (Debian/Ubuntu amd64 needed)" >&2; exit 1; }
	sudo=()
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null || { echo "run.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
		sudo=(sudo)
	fi
	echo "run.sh: installing ${missing[*]}"
	"${sudo[@]}" apt-get update
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
	[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null || {
	echo "run.sh: cargo not found. Install Rust with rustup:" >&2
	echo "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y && . \"\$HOME/.cargo/env\"" >&2
	exit 1
}

# tests/cli/package.rs packages the debug build with cargo-deb; its first install compiles it (about
# 1.5 CPU-minutes; 8 minutes on a busy 2-core machine), later runs find it in ~/.cargo/bin.
tests/deb.sh --install-only

cargo build --all-targets
# One closing line for the whole run: cargo prints a summary per test binary, and the last binary
# (the bench smoke run) prints none.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
cargo test --all-targets "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
awk '/^test result:/ { for (i = 1; i < NF; i++) { if ($(i + 1) ~ /^passed/) p += $i; if ($(i + 1) ~ /^failed/) f += $i } }
	END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
