#!/usr/bin/env bash
# Builds the Debian package (cargo-deb, metadata in Cargo.toml): a release build, checked to match
# the man pages and completions in assets/generated, packaged into target/debian/ (or -o DIR).
# `--binary PATH` packages that binary instead of building one (tests/cli/package.rs packages the
# debug build the suite already made). Installs cargo-deb when missing (a few minutes, once).
# `--install-only` installs cargo-deb and stops (tests/run.sh). Other arguments go to cargo deb.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DEB_VERSION=3.8.0
if ! cargo deb --version >/dev/null 2>&1; then
	echo "deb.sh: installing cargo-deb $CARGO_DEB_VERSION (compiles it: a few minutes, once)" >&2
	cargo install cargo-deb --version "$CARGO_DEB_VERSION" --locked
fi
[ "${1:-}" = --install-only ] && exit 0

binary=
if [ "${1:-}" = --binary ]; then
	binary=$(realpath "$2")
	shift 2
else
	cargo build --release --locked --bin ipvs-tui
	binary=$PWD/target/release/ipvs-tui
fi

"$binary" generate --check assets/generated

# cargo-deb takes the binary from $CARGO_TARGET_DIR/release (Cargo.toml's assets name
# target/release/ipvs-tui): point it at a directory holding only this one.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/release"
ln -s "$binary" "$stage/release/ipvs-tui"
out=(--output target/debian/)
for a in "$@"; do
	case $a in -o | --output | -o* | --output=*) out=() ;; esac
done
mkdir -p target/debian
CARGO_TARGET_DIR=$stage cargo deb --no-build "${out[@]}" "$@"
