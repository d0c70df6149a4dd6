#!/usr/bin/env bash
# Benchmark: ipvs-tui list --stats --exact against ipvsadm -Ln --stats --exact on 1,000 services x
# 10 real servers, in the user-mode Linux lab, with a release build of ipvs-tui. Prints the median
# of each (BENCH_RUNS runs, default 7) and their ratio. It is also a correctness test: the run fails
# if ipvs-tui's list, save or restore differ from ipvsadm's at that scale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
out=$(cargo test --release --test kernel list_at_scale_matches_ipvsadm -- --nocapture --test-threads=1 2>&1) || {
	echo "$out"
	exit 1
}
grep '^bench: ' <<<"$out" | awk '!seen[$0]++'
