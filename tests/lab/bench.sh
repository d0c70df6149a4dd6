#!/usr/bin/env bash
# Lab test + benchmark (guest side): a large table, 1,000 services x 10 real servers, generated here
# and loaded with ipvsadm -R. Checks that ipvs-tui prints exactly what ipvsadm prints at that scale
# (list with and without counters, save) and that ipvs-tui restore of the same 11,000 lines loads
# the same table. Then times `ipvs-tui list --stats --exact` and `save` against ipvsadm's
# (median of BENCH_RUNS runs each, interleaved) and prints the medians and ratios; the times
# are reported, not asserted. BENCH_PROFILE (debug/release) says how ipvs-tui was built.
set -euo pipefail

TUI=${IPVS_TUI:?IPVS_TUI is not set}
RUNS=${BENCH_RUNS:-7}
NSVC=${BENCH_SERVICES:-1000}
NDEST=${BENCH_DESTS:-10}
W=$(mktemp -d /tmp/bench.XXXXXX)
nfail=0
fail() { nfail=$((nfail + 1)); echo "  FAIL $*"; }

source "$LAB_REPO/tests/lab/tables.sh"
lab_big_rules "$NSVC" "$NDEST" >"$W/big.rules"
echo "bench: generated $(wc -l <"$W/big.rules") rules ($NSVC services x $NDEST real servers)"

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }
ipvsadm -C
t0=$(now_us)
ipvsadm -R <"$W/big.rules"
t1=$(now_us)
echo "bench: ipvsadm -R of the whole table: $(((t1 - t0) / 1000)) ms"
[ "$(ipvsadm -Sn | grep -c '^-a')" = $((NSVC * NDEST)) ] || fail "ipvsadm did not load $((NSVC * NDEST)) real servers"

# Correctness at scale.
compare() { # compare LABEL EXPECTED GOT
	if cmp -s "$2" "$3"; then
		echo "bench: $1: identical ($(wc -l <"$2") lines)"
	else
		fail "$1 differs from ipvsadm:"
		diff -u --label ipvsadm --label ipvs-tui "$2" "$3" | head -n 40 | sed 's/^/    | /' || true
	fi
}
tui() { # tui OUT ARGS...
	local out=$1 rc=0
	shift
	"$TUI" "$@" >"$out" 2>"$out.err" || rc=$?
	[ "$rc" -eq 0 ] || fail "ipvs-tui $* exited $rc: $(head -c 300 "$out.err")"
}
ipvsadm -Ln --stats --exact >"$W/exp"
tui "$W/got" list --stats --exact
compare "list --stats --exact" "$W/exp" "$W/got"
ipvsadm -Ln >"$W/exp"
tui "$W/got" list
compare "list" "$W/exp" "$W/got"
ipvsadm -Ln --rate >"$W/exp"
tui "$W/got" list --rate
compare "list --rate" "$W/exp" "$W/got"
ipvsadm -Sn >"$W/ref.S"
tui "$W/got" save
compare "save" "$W/ref.S" "$W/got"

# Output into a pipe that closes early (`| head`): like ipvsadm, stop quietly, no panic message.
for args in "list --stats --exact" "list --json" "save"; do
	# shellcheck disable=SC2086
	"$TUI" $args 2>"$W/pipe.err" | head -n 1 >/dev/null || true
	if [ -s "$W/pipe.err" ]; then
		fail "ipvs-tui $args | head -n 1: writes to stderr (expected nothing, as ipvsadm):"
		head -n 5 "$W/pipe.err" | sed 's/^/    | /'
	else
		echo "bench: ipvs-tui $args | head -n 1: quiet"
	fi
done

ipvsadm -C
t0=$(now_us)
tui "$W/restore-out" restore "$W/big.rules"
t1=$(now_us)
echo "bench: ipvs-tui restore of the whole table: $(((t1 - t0) / 1000)) ms"
ipvsadm -Sn >"$W/got"
compare "ipvs-tui restore, then ipvsadm -Sn" "$W/ref.S" "$W/got"

# Timing: interleaved runs, medians in ms.
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
: >"$W/t.tui"
: >"$W/t.ipvsadm"
: >"$W/s.tui"
: >"$W/s.ipvsadm"
ms() { echo "$(($1 / 1000)).$(($1 % 1000 / 100))"; }
for ((r = 0; r < RUNS; r++)); do
	t0=$(now_us)
	"$TUI" list --stats --exact >/dev/null
	t1=$(now_us)
	ipvsadm -Ln --stats --exact >/dev/null
	t2=$(now_us)
	"$TUI" save >/dev/null
	t3=$(now_us)
	ipvsadm -Sn >/dev/null
	t4=$(now_us)
	ms $((t1 - t0)) >>"$W/t.tui"
	ms $((t2 - t1)) >>"$W/t.ipvsadm"
	ms $((t3 - t2)) >>"$W/s.tui"
	ms $((t4 - t3)) >>"$W/s.ipvsadm"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
# report WHAT REFERENCE TUI_TIMES REFERENCE_TIMES: each run, the medians and their ratio.
report() {
	local mt ma
	mt=$(median <"$3")
	ma=$(median <"$4")
	echo "bench: runs (ms) ipvs-tui $1: $(tr '\n' ' ' <"$3")"
	echo "bench: runs (ms) $2: $(tr '\n' ' ' <"$4")"
	echo "bench: $NSVC services x $NDEST real servers, median of $RUNS: ipvs-tui $1 ${mt} ms" \
		"(${BENCH_PROFILE:-unknown} build), $2 ${ma} ms, ratio ipvs-tui/ipvsadm $(ratio "$mt" "$ma")"
}
report "list --stats --exact" "ipvsadm -Ln --stats --exact" "$W/t.tui" "$W/t.ipvsadm"
report save "ipvsadm -Sn" "$W/s.tui" "$W/s.ipvsadm"

if [ "$nfail" -ne 0 ]; then
	echo "bench: $nfail checks FAILED"
	exit 1
fi
echo "bench OK"
