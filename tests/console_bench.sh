#!/usr/bin/env bash
# Console benchmarks: frame draw time with 10,000 services and the console's own work per poll with 1,000 services on the simulator (cargo bench), and in the user-mode Linux lab bytes/s and CPU at 1 s refresh against watch -n1 ipvsadm.
# Prints the figures (medians, p95, ratios); they are not asserted. Exits non-zero only if a build or the lab test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
status=0
cargo bench --bench console 2>&1 | grep '^console bench: ' || status=$?
[ "$status" -eq 0 ] || { echo "tests/console_bench.sh: cargo bench --bench console FAILED"; cargo bench --bench console; exit 1; }
out=$(cargo test --release --test kernel console_bytes_and_cpu_against_watch_ipvsadm -- --nocapture 2>&1) || status=$?
# The test prints the guest's lines, and again tagged with the build: show each once.
grep -E '^console_bench: .*\[(release|debug) build\]$' <<<"$out" | sed 's/ \[release build\]$//' || true
if [ "$status" -ne 0 ]; then
	echo "$out"
	echo "tests/console_bench.sh: console_bytes_and_cpu_against_watch_ipvsadm FAILED (exit status $status)"
fi
exit "$status"
