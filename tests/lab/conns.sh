#!/usr/bin/env bash
# Lab test + benchmark (guest side): at least 20,000 real connection entries through LVS-NAT (UDP
# datagrams from 8 client addresses x 2,700 source ports, plus HTTP in TIME_WAIT and persistence
# templates), then `ipvs-tui conns --group-by rs|state|client --json` (and a filtered grouping)
# against `ipvsadm -Lnc` aggregated by awk, each read between two ipvsadm reads; then the wall
# time of `ipvs-tui conns --group-by rs` against `ipvsadm -Lnc | awk` doing the same grouping
# (median of BENCH_RUNS runs each, interleaved, and their ratio; printed, not asserted). Between
# the two, the console's connections pane (real server x state) is compared with ipvsadm the same way.
# BENCH_PROFILE (debug/release) says how ipvs-tui was built.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
RUNS=${BENCH_RUNS:-7}
NADDR=8
NPORTS=2700
W=$(mktemp -d /tmp/conns.XXXXXX)
nfail=0
fail() { nfail=$((nfail + 1)); echo "  FAIL $*"; }
d() { lab_ns director "$@"; }

lab_nat_topology
lab_nat_servers
for i in $(seq 10 $((10 + NADDR - 1))); do ip -n client addr add "203.0.113.$i/24" dev eth0; done
d ipvsadm --set 0 0 1800 # UDP entries outlive the test
d ipvsadm -R <<RULES
-A -u $VIP:53 -s rr
-a -u $VIP:53 -r $RS1:53 -m
-a -u $VIP:53 -r $RS2:53 -m
-A -t $VIP:80 -s rr
-a -t $VIP:80 -r $RS1:80 -m
-a -t $VIP:80 -r $RS2:80 -m
-A -u $VIP:54 -s rr -p 1800
-a -u $VIP:54 -r $RS1:53 -m
-a -u $VIP:54 -r $RS2:53 -m
RULES

# One datagram from each (address, port): a UDP entry each. Paced, so that no veth backlog drops.
cat >"$W/send.py" <<'PY'
import socket, sys, time
vip, port, nports = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sent = 0
for addr in sys.argv[4:]:
    for p in range(20000, 20000 + nports):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((addr, p))
        s.sendto(b"x", (vip, port))
        s.close()
        sent += 1
        if sent % 200 == 0:
            time.sleep(0.01)
print("sent", sent)
PY
addrs=$(seq -f "203.0.113.%g" 10 $((10 + NADDR - 1)) | tr '\n' ' ')
t0=$EPOCHREALTIME
# shellcheck disable=SC2086
lab_ns client python3 "$W/send.py" "$VIP" 53 $NPORTS $addrs
for i in $(seq 20); do lab_http_get client "http://$VIP/" >/dev/null; done
for a in 203.0.113.10 203.0.113.11 203.0.113.12; do
	lab_ns client python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1], 0)); s.sendto(b"x", (sys.argv[2], 54))' "$a" "$VIP"
done
want=$((NADDR * NPORTS))
for i in $(seq 50); do
	n=$(d ipvsadm -Lnc | awk 'NR > 2 && $1 == "UDP" && $3 == "UDP"' | wc -l)
	[ "$n" -ge "$want" ] && break
	sleep 0.2
done
total=$(($(d ipvsadm -Lnc | wc -l) - 2))
echo "conns: $n UDP entries of $want datagrams, $total entries in all, in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
[ "$total" -ge 20000 ] || lab_fail "only $total connection entries, expected at least 20,000"

# Aggregations of ipvsadm -Lnc: "KEY COUNT" lines (rs: "RS STATE COUNT").
agg_rs='NR > 2 { c[$6 " " $3]++ } END { for (k in c) print k, c[k] }'
agg_state='NR > 2 { c[$3]++ } END { for (k in c) print k, c[k] }'
agg_client='NR > 2 { a = $4; sub(/:[0-9]+$/, "", a); gsub(/[][]/, "", a); c[a]++ } END { for (k in c) print k, c[k] }'
cat >"$W/same.py" <<'PY'
# same.py BY AGG1 AGG2 JSON: the JSON groups equal one of the two awk aggregations.
import json, sys
by, a1, a2, j = sys.argv[1:5]
def awk(path):
    out = {}
    for line in open(path):
        *key, n = line.split()
        out[" ".join(key)] = int(n)
    return out
doc = json.load(open(j))
got = {}
for g in doc["groups"]:
    if by == "rs":
        for st, n in g["states"].items():
            got[g["key"] + " " + st] = n
    else:
        got[g["key"]] = g["total"]
if doc["malformed"] != 0:
    print("malformed lines:", doc["malformed"]); sys.exit(1)
for path in (a1, a2):
    if awk(path) == got:
        print(len(got), "groups,", sum(got.values()), "entries"); sys.exit(0)
want = awk(a2)
diff = sorted(set(want.items()) ^ set(got.items()))[:20]
print("differs from ipvsadm -Lnc | awk (first differences, ipvsadm or ipvs-tui):", diff); sys.exit(1)
PY
# same_groups LABEL BY AWK [CLIENT]: ipvs-tui conns [client:CLIENT] --group-by BY --json against
# ipvsadm -Lnc (the lines of CLIENT only) | awk.
same_groups() {
	local label=$1 by=$2 prog=$3 try rc
	shift 3
	local pre=cat
	if [ $# -gt 0 ]; then
		pre="awk -v f=$1: 'NR <= 2 || index(\$4, f) == 1'"
		set -- "client:$1"
	fi
	for try in $(seq 5); do
		d ipvsadm -Lnc | eval "$pre" | awk "$prog" >"$W/a1"
		rc=0
		d "$TUI" conns "$@" --group-by "$by" --json >"$W/j" 2>"$W/j.err" || rc=$?
		d ipvsadm -Lnc | eval "$pre" | awk "$prog" >"$W/a2"
		[ $rc = 0 ] || { fail "$label: ipvs-tui conns exited $rc: $(head -c 300 "$W/j.err")"; return; }
		if python3 "$W/same.py" "$by" "$W/a1" "$W/a2" "$W/j" >"$W/same.out" 2>&1; then
			echo "conns: $label: same as ipvsadm -Lnc | awk: $(cat "$W/same.out") (try $try)"
			return
		fi
		sleep 0.5
	done
	fail "$label: $(cat "$W/same.out")"
}
same_groups "group-by rs" rs "$agg_rs"
same_groups "group-by state" state "$agg_state"
same_groups "group-by client" client "$agg_client"
same_groups "client:203.0.113.11 group-by rs" rs "$agg_rs" 203.0.113.11

# Listing: every entry, or --max-rows of them with a note on stderr.
d "$TUI" conns --json >"$W/rows.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n=len(d["rows"]); sys.exit(0 if n == d["lines"] == d["matched"] >= 20000 else 1)' "$W/rows.json" ||
	fail "conns --json does not list every entry"
d "$TUI" conns --max-rows 1000 >"$W/rows.txt" 2>"$W/rows.err"
[ "$(($(wc -l <"$W/rows.txt") - 2))" = 1000 ] && grep -q "not listed" "$W/rows.err" || fail "conns --max-rows 1000: $(wc -l <"$W/rows.txt") lines, stderr: $(cat "$W/rows.err")"
# Persistence lookup: the templates of the persistent UDP service say where each client went.
d "$TUI" conns --persistent client:203.0.113.11 >"$W/p.txt" || fail "conns --persistent client:203.0.113.11 found nothing"
d ipvsadm -Lnc | awk '$4 == "203.0.113.11:0" { print $6 }' >"$W/p.want"
grep -q "$(cat "$W/p.want")" "$W/p.txt" || fail "persistence lookup: $(cat "$W/p.txt"), ipvsadm says $(cat "$W/p.want")"
echo "conns: persistence lookup for 203.0.113.11: $(awk 'NR > 2 { print $1, "->", $4 }' "$W/p.txt")"

# The console's connections pane (c, a for all services, g for real server x state) shows the same
# counts as ipvsadm -Lnc | awk. The console runs in tmux in the director netns. Each try reads
# ipvsadm, presses r (read again), waits for the read to end, reads ipvsadm again: the screen must
# equal one of the two exactly. No tolerance: UDP entries live 1800 s and the HTTP TIME_WAIT ones
# 120 s, so a quiet try comes soon; a try during which entries changed is repeated.
T=conns
tmux new-session -d -s $T -x 160 -y 48 "ip netns exec director $TUI; sleep 300"
cscreen() { tmux capture-pane -p -t $T >"$1"; }
for i in $(seq 100); do
	cscreen "$W/screen"
	grep -q "UDP $VIP:53" "$W/screen" && break
	[ "$i" = 100 ] && { cat "$W/screen"; lab_fail "the console did not draw UDP $VIP:53 within 30 s"; }
	sleep 0.3
done
tmux send-keys -t $T c
sleep 0.5
tmux send-keys -t $T a
sleep 0.5
tmux send-keys -t $T g
cat >"$W/pane.py" <<'PY'
# pane.py SCREEN: the real server x state groups on the screen as "RS STATE COUNT" lines.
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
head = [i for i, l in enumerate(lines) if l.split()[:3] == ["real", "server", "conns"]]
if not head:
    sys.exit("no real server x state table on the screen")
for l in lines[head[0] + 1:]:
    t = l.split()
    if not t or not re.match(r"^(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]):\d+$", t[0]):
        break
    states = t[2:]
    if sum(int(n) for n in states[1::2]) != int(t[1]):
        sys.exit(f"the states do not add up to the total: {l!r}")
    for st, n in zip(states[::2], states[1::2]):
        print(t[0], st, n)
PY
# done_read: the screen shows a finished read younger than 2 s, all services, grouped by real server.
done_read() { grep -q "all services" "$1" && grep -q "group: real server" "$1" && ! grep -q "reading" "$1" && grep -Eq "read [0-9]+ lines in .*; [01]s ago" "$1"; }
ok=no
for try in $(seq 6); do
	sleep 2.5 # the previous read is now at least 2 s old
	d ipvsadm -Lnc | awk "$agg_rs" | sort >"$W/p1"
	tmux send-keys -t $T r
	for i in $(seq 100); do
		cscreen "$W/screen"
		done_read "$W/screen" && break
		sleep 0.1
	done
	d ipvsadm -Lnc | awk "$agg_rs" | sort >"$W/p2"
	done_read "$W/screen" || { echo "conns: pane try $try: no finished read on the screen"; continue; }
	python3 "$W/pane.py" "$W/screen" | sort >"$W/pgot" || { cat "$W/screen"; fail "the pane's groups cannot be read: $(python3 "$W/pane.py" "$W/screen" 2>&1 | tail -1)"; break; }
	if cmp -s "$W/pgot" "$W/p1" || cmp -s "$W/pgot" "$W/p2"; then
		ok=yes
		break
	fi
	echo "conns: pane try $try: the screen differs from both ipvsadm reads, again"
done
if [ $ok = yes ]; then
	echo "conns: console pane (c, a, g) real server x state, same as ipvsadm -Lnc | awk (try $try): $(awk '{ print $1, $2, $3 }' "$W/pgot" | tr '\n' ';')"
	grep -E "read [0-9]+ lines" "$W/screen" | sed 's/^ */conns: console pane: /'
	[ "$(awk '{ n += $3 } END { print n }' "$W/pgot")" -ge 20000 ] || fail "the pane's groups count fewer than 20,000 entries"
else
	cat "$W/screen"
	diff -u --label "ipvsadm -Lnc | awk" --label "console pane" "$W/p2" "$W/pgot" || true
	fail "the console pane's real server x state counts never matched ipvsadm -Lnc (6 tries)"
fi
tmux kill-session -t $T

# Timing: interleaved runs, medians in ms.
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'; }
: >"$W/t.tui"
: >"$W/t.ipvsadm"
for ((r = 0; r < RUNS; r++)); do
	t0=$EPOCHREALTIME
	d "$TUI" conns --group-by rs >/dev/null
	t1=$EPOCHREALTIME
	d ipvsadm -Lnc | awk "$agg_rs" >/dev/null
	t2=$EPOCHREALTIME
	ms "$t0" "$t1" >>"$W/t.tui"
	ms "$t1" "$t2" >>"$W/t.ipvsadm"
done
mt=$(median <"$W/t.tui")
ma=$(median <"$W/t.ipvsadm")
echo "conns: runs (ms) ipvs-tui conns --group-by rs: $(tr '\n' ' ' <"$W/t.tui")"
echo "conns: runs (ms) ipvsadm -Lnc | awk:           $(tr '\n' ' ' <"$W/t.ipvsadm")"
echo "conns: $total entries, median of $RUNS: ipvs-tui conns --group-by rs ${mt} ms (${BENCH_PROFILE:-unknown} build)," \
	"ipvsadm -Lnc | awk ${ma} ms, ratio ipvs-tui/ipvsadm $(awk -v a="$mt" -v b="$ma" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')"

if [ "$nfail" -ne 0 ]; then
	echo "conns: $nfail checks FAILED"
	exit 1
fi
echo "conns OK"
