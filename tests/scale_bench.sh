#!/usr/bin/env bash
# Benchmark: the console on 10,000 services x 5 real servers in the lab (tests/lab/scale.sh with
# figures): time to the first table row against ipvsadm -Ln, RSS (peak and current) after the
# first screen, after the whole read and SCALE_RSS_SECS later (60 by default; 600 for the
# ten-minute figure), CPU at 1 s refresh against watch -n1 ipvsadm -Ln, and syscalls per poll.
# Also the scale test at that size: list, save and the screen against ipvsadm.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
export SCALE_SERVICES=${SCALE_SERVICES:-10000} SCALE_DESTS=${SCALE_DESTS:-5} SCALE_BENCH=1
export LAB_TIMEOUT=${LAB_TIMEOUT:-1800} LAB_MEM=${LAB_MEM:-1G}
status=0
out=$(cargo test --release --test kernel a_large_table_in_the_console -- --nocapture 2>&1) || status=$?
grep -E '^scale(_bench)?: ' <<<"$out" | awk '!seen[$0]++' || true
if [ "$status" -ne 0 ]; then
	echo "$out" | tail -60
	echo "tests/scale_bench.sh: a_large_table_in_the_console_list_and_save_equals_ipvsadm FAILED (exit status $status)"
fi
exit "$status"
