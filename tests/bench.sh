#!/usr/bin/env bash
# Benchmark: ipvs-tui list --stats --exact and save against ipvsadm -Ln --stats --exact and -Sn on
# 1,000 services x 10 real servers, then on 10,000 x 5, in the user-mode Linux lab, with a release
# build of ipvs-tui. Prints the median of each (7 runs, interleaved) and their ratios. It is also a correctness test at that scale: it
# exits non-zero if ipvs-tui's list, save or restore differ from ipvsadm's (the failures are shown).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
status=0
for size in "1000 10" "10000 5"; do
	read -r BENCH_SERVICES BENCH_DESTS <<<"$size"
	export BENCH_SERVICES BENCH_DESTS LAB_TIMEOUT=${LAB_TIMEOUT:-1800} LAB_MEM=${LAB_MEM:-1G}
	s=0
	out=$(cargo test --release --test kernel list_at_scale_matches_ipvsadm -- --nocapture 2>&1) || s=$?
	# The test prints the guest's lines, and again in its failure message: show each once.
	grep -E '^(bench: |  FAIL |    \| )' <<<"$out" | awk '!seen[$0]++' || true
	if [ "$s" -ne 0 ]; then
		grep -q '^bench: ' <<<"$out" || echo "$out"
		echo "tests/bench.sh: list_at_scale_matches_ipvsadm ($size) FAILED (exit status $s)"
		status=$s
	fi
done
exit "$status"
