#!/usr/bin/env bash
# Lab test + benchmark (guest side): `ipvs-tui restore` of a table the size of a real director's
# (635 services x 19 real servers = 12,700 lines, as the one in issue 14), generated here.
# Checks: the restore equals what `ipvsadm -R` makes (ipvsadm -Sn of both); a bad line deep
# inside a netlink batch, in the first one and on the last line: exit non-zero, the line named,
# the table as it was before. Then, if RESTORE_RUNS > 0, times `ipvsadm -R` against
# `ipvs-tui restore` (interleaved, each first in turn, `ipvsadm -C` before each) and prints the
# medians and the ratio; times are reported, never asserted. RESTORE_PROFILE (debug/release) says how ipvs-tui was built.
set -euo pipefail

TUI=${IPVS_TUI:?IPVS_TUI is not set}
RUNS=${RESTORE_RUNS:-0}
NSVC=${RESTORE_SERVICES:-635}
NDEST=${RESTORE_DESTS:-19}
W=$(mktemp -d /tmp/restore.XXXXXX)
nfail=0
fail() { nfail=$((nfail + 1)); echo "  FAIL $*"; }

source "$LAB_REPO/tests/lab/tables.sh"
lab_big_rules "$NSVC" "$NDEST" >"$W/big.rules"
lines=$(wc -l <"$W/big.rules")
echo "restore: generated $lines rules ($NSVC services x $NDEST real servers)"

compare() { # compare LABEL EXPECTED GOT
	if cmp -s "$2" "$3"; then
		echo "restore: $1: identical ($(wc -l <"$2") lines)"
	else
		fail "$1 differs:"
		diff -u --label expected --label got "$2" "$3" | head -n 40 | sed 's/^/    | /' || true
	fi
}

# What ipvsadm -R makes of the file, and what ipvs-tui restore makes of it.
ipvsadm -C
ipvsadm -R <"$W/big.rules"
ipvsadm -Sn >"$W/ref.S"
[ "$(grep -c '^-a' "$W/ref.S")" = $((NSVC * NDEST)) ] || fail "ipvsadm did not load $((NSVC * NDEST)) real servers"
ipvsadm -C
rc=0
"$TUI" restore "$W/big.rules" >"$W/out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || fail "ipvs-tui restore exited $rc: $(head -c 300 "$W/out")"
ipvsadm -Sn >"$W/got"
compare "ipvs-tui restore of $lines lines, then ipvsadm -Sn" "$W/ref.S" "$W/got"

# A bad line: the table before it stays as it was. The table before is a small one that the
# file does not touch, plus one service of the file's own (so the file's -A of it fails too
# where asked).
bad_case() { # bad_case LABEL LINE_NUMBER BAD_LINE PATTERN
	local label=$1 at=$2 bad=$3 pat=$4 rc=0
	ipvsadm -C
	ipvsadm -A -t 192.0.2.1:80 -s wlc
	ipvsadm -a -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 5
	ipvsadm -A -u 192.0.2.2:53 -s rr -p 300
	ipvsadm -Sn >"$W/before.S"
	awk -v at="$at" -v bad="$bad" 'NR == at { print bad } { print } END { if (at > NR) print bad }' "$W/big.rules" >"$W/bad.rules"
	"$TUI" restore "$W/bad.rules" >"$W/out" 2>&1 || rc=$?
	ipvsadm -Sn >"$W/after.S"
	if [ "$rc" -eq 0 ]; then
		fail "$label: exit status 0, expected non-zero"
	elif ! grep -Eq "bad\.rules:$at: .*$pat" "$W/out"; then
		fail "$label: no line names bad.rules:$at and matches '$pat':"
		sed 's/^/    | /' "$W/out" | head -n 10
	elif ! grep -q "the table is as it was" "$W/out"; then
		fail "$label: restore does not say the table is as it was:"
		sed 's/^/    | /' "$W/out" | head -n 10
	else
		echo "restore: $label: exit $rc, $(grep -E "bad\.rules:$at: " "$W/out" | head -n 1)"
	fi
	compare "$label: the table after equals the one before" "$W/before.S" "$W/after.S"
}
# Line 6001: 6000 changes before it, so deep inside a batch of up to 256 whatever the size the
# socket allows; the same real server twice makes the kernel refuse the second (EEXIST) while
# the rest of its batch goes through.
dup=$(sed -n 5999p "$W/big.rules")
bad_case "duplicate real server on line 6001" 6001 "$dup" "exist"
bad_case "unknown scheduler on line 7" 7 "-A -t 192.0.2.9:80 -s nosuch" "nosuch"
bad_case "existing service on the last line" $((lines + 1)) "-A -u 192.0.2.2:53 -s rr" "exist"

# Names, as `ipvsadm -S` writes them without -n: port names from /etc/services for the
# service's protocol, host names through the resolver (localhost only: nothing leaves the guest).
cat >"$W/named.rules" <<'R'
-A -t 192.0.2.10:http -s rr
-a -t 192.0.2.10:http -r localhost:http -m -w 1
-a -t 192.0.2.10:http -r 10.0.0.6 -g -w 2
-A -u 192.0.2.10:https -s wlc
-a -u 192.0.2.10:https -r 10.0.0.5:https -m
-A -t localhost:https -s rr
-A -t [2001:db8::10]:http -s rr
-a -t [2001:db8::10]:http -r [2001:db8::1]:https -m
R
sed -e 's/:https/:443/g; s/:http/:80/g; s/localhost/127.0.0.1/g' "$W/named.rules" >"$W/numeric.rules"
ipvsadm -C
ipvsadm -R <"$W/numeric.rules"
ipvsadm -Sn >"$W/numeric.S"
ipvsadm -C
ipvsadm -R <"$W/named.rules"
ipvsadm -Sn >"$W/ipvsadm-named.S"
compare "ipvsadm -R of the named file equals the numeric one" "$W/numeric.S" "$W/ipvsadm-named.S"
ipvsadm -C
rc=0
"$TUI" restore "$W/named.rules" >"$W/out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || fail "ipvs-tui restore of the named file exited $rc: $(head -c 300 "$W/out")"
ipvsadm -Sn >"$W/got"
compare "ipvs-tui restore of the named file equals the numeric one" "$W/numeric.S" "$W/got"
printf -- '-A -t 192.0.2.11:80 -s rr\n-A -t 192.0.2.11:no-such-service -s rr\n' >"$W/unknown.rules"
ipvsadm -C
rc=0
"$TUI" restore "$W/unknown.rules" >"$W/out" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] && grep -q 'unknown\.rules:2: .*"no-such-service"' "$W/out" && [ -z "$(ipvsadm -Sn)" ]; then
	echo "restore: an unknown port name: exit $rc, $(head -n 1 "$W/out")"
else
	fail "an unknown port name: exit $rc, expected non-zero, line 2 and the name, nothing applied:"
	sed 's/^/    | /' "$W/out" | head -n 5
fi

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }
ms() { echo "$((($2 - $1) / 1000)).$((($2 - $1) % 1000 / 100))"; }
if [ "$RUNS" -gt 0 ]; then
	: >"$W/t.tui"
	: >"$W/t.ipvsadm"
	# Each run after `ipvsadm -C`; which goes first alternates, since a large flush leaves the
	# kernel work to do that slows whatever comes next (ipvsadm's 60,000 lines: 31 s to 99 s).
	ipvsadm_restore() { ipvsadm -R <"$W/big.rules"; }
	timed() { # FILE COMMAND...: appends the run's ms to FILE
		local file=$1 t0 t1
		shift
		ipvsadm -C
		t0=$(now_us)
		"$@"
		t1=$(now_us)
		ms "$t0" "$t1" >>"$file"
	}
	for ((r = 0; r < RUNS; r++)); do
		if ((r % 2 == 0)); then
			timed "$W/t.ipvsadm" ipvsadm_restore
			timed "$W/t.tui" "$TUI" restore "$W/big.rules"
		else
			timed "$W/t.tui" "$TUI" restore "$W/big.rules"
			timed "$W/t.ipvsadm" ipvsadm_restore
		fi
	done
	mt=$(median <"$W/t.tui")
	ma=$(median <"$W/t.ipvsadm")
	echo "restore: runs (ms) ipvs-tui restore: $(tr '\n' ' ' <"$W/t.tui")"
	echo "restore: runs (ms) ipvsadm -R:       $(tr '\n' ' ' <"$W/t.ipvsadm")"
	echo "restore: $lines lines, median of $RUNS: ipvs-tui restore ${mt} ms" \
		"(${RESTORE_PROFILE:-unknown} build), ipvsadm -R ${ma} ms, ratio ipvs-tui/ipvsadm" \
		"$(awk -v a="$mt" -v b="$ma" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')"
	ipvsadm -Sn >"$W/got"
	compare "the last timed restore, then ipvsadm -Sn" "$W/ref.S" "$W/got"
fi

if [ "$nfail" -ne 0 ]; then
	echo "restore: $nfail checks FAILED"
	exit 1
fi
echo "restore OK"
