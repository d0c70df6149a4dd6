#!/usr/bin/env bash
# Benchmark: ipvs-tui list --stats --exact against ipvsadm -Ln --stats --exact on 1,000 services x
# 10 real servers, in the user-mode Linux lab, with a release build of ipvs-tui. Prints the median
# of each (7 runs, interleaved) and their ratio. It is also a correctness test at that scale: it
# exits non-zero if ipvs-tui's list, save or restore differ from ipvsadm's (the failures are shown).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
status=0
out=$(cargo test --release --test kernel list_at_scale_matches_ipvsadm -- --nocapture 2>&1) || status=$?
# The test prints the guest's lines, and again in its failure message: show each once.
grep -E '^(bench: |  FAIL |    \| )' <<<"$out" | awk '!seen[$0]++' || true
if [ "$status" -ne 0 ]; then
	grep -q '^bench: ' <<<"$out" || echo "$out"
	echo "tests/bench.sh: list_at_scale_matches_ipvsadm FAILED (exit status $status)"
fi
exit "$status"
