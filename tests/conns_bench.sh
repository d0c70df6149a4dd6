#!/usr/bin/env bash
# Connection-table benchmarks: parse throughput and peak heap on a generated 1,000,000-line
# /proc/net/ip_vs_conn (cargo bench --bench conns), and in the user-mode Linux lab, with more than
# 20,000 real connection entries, the wall time of `ipvs-tui conns --group-by rs` against
# `ipvsadm -Lnc | awk` doing the same grouping (median of 7 each, and their ratio), on a release
# build. Prints the figures; they are not asserted. Exits non-zero if a build or the lab test fails
# (the lab test also checks that the groupings equal ipvsadm's).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
status=0
cargo bench --bench conns 2>&1 | grep '^conns bench: ' || status=$?
[ "$status" -eq 0 ] || { echo "tests/conns_bench.sh: cargo bench --bench conns FAILED"; cargo bench --bench conns; exit 1; }
out=$(cargo test --release --test kernel twenty_thousand_entries_group_like_ipvsadm -- --nocapture 2>&1) || status=$?
# The test prints the guest's lines, and again in its failure message: show each once.
grep -E '^(conns: |  FAIL )' <<<"$out" | awk '!seen[$0]++' || true
if [ "$status" -ne 0 ]; then
	grep -q '^conns: ' <<<"$out" || echo "$out"
	echo "tests/conns_bench.sh: twenty_thousand_entries_group_like_ipvsadm FAILED (exit status $status)"
fi
exit "$status"
