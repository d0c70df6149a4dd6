#!/usr/bin/env bash
# Benchmark: ipvs-tui restore against ipvsadm -R of a 12,700-line table (635 services x 19 real
# servers, the size of a real director's; RESTORE_SERVICES and RESTORE_DESTS choose another), in
# the user-mode Linux lab, with a release build of ipvs-tui. Prints each run, the median of each
# (RESTORE_RUNS interleaved runs, default 5, with ipvsadm -C between) and their ratio. Also a
# correctness test at that scale: it exits non-zero if the restore differs from ipvsadm's or a
# bad line does not leave the table as it was.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
status=0
out=$(RESTORE_RUNS=${RESTORE_RUNS:-5} cargo test --release --test kernel \
	restore_at_scale_equals_ipvsadm_and_is_all_or_nothing -- --nocapture 2>&1) || status=$?
grep -E '^(restore: |  FAIL |    \| )' <<<"$out" | awk '!seen[$0]++' || true
if [ "$status" -ne 0 ]; then
	grep -q '^restore: ' <<<"$out" || echo "$out"
	echo "tests/restore_bench.sh: restore_at_scale_equals_ipvsadm_and_is_all_or_nothing FAILED (exit status $status)"
fi
exit "$status"
