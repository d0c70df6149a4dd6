#!/usr/bin/env bash
# Lab test (guest side): a large table (SCALE_SERVICES x SCALE_DESTS, 10,000 x 5 by default) loaded
# with ipvsadm -R. `list` and `save` print what ipvsadm prints; the console's first screen lists
# ipvsadm's first services in its order while the table is still read in steps (the "loading"
# note), and once it is whole, End shows ipvsadm's last service with ipvsadm's real servers.
# SCALE_BENCH=1 adds figures, measured in this boot and printed, never asserted: time to the first
# table row against `ipvsadm -Ln` in the same pane size, peak and current RSS (after the first
# screen, the whole read, SCALE_RSS_SECS), CPU at 1 s refresh against watch -n1 ipvsadm -Ln, and
# syscalls per poll (strace -c).
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
NSVC=${SCALE_SERVICES:-10000}
NDEST=${SCALE_DESTS:-5}
BENCH=${SCALE_BENCH:-0}
W=$(mktemp -d /tmp/scale.XXXXXX)
T=c
COLS=160 ROWS=50
source "$LAB_REPO/tests/lab/tmux.sh"
trap 'tmux kill-server 2>/dev/null || true' EXIT
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

source "$LAB_REPO/tests/lab/tables.sh"
lab_big_rules "$NSVC" "$NDEST" >"$W/rules"
ipvsadm -C
ipvsadm -R <"$W/rules"
[ "$(ipvsadm -Sn | grep -c '^-a')" = $((NSVC * NDEST)) ] || lab_fail "ipvsadm did not load $((NSVC * NDEST)) real servers"
echo "scale: $NSVC services x $NDEST real servers loaded"

# --- list and save against ipvsadm.
ipvsadm -Ln >"$W/exp.L"
"$TUI" list >"$W/got.L"
cmp -s "$W/exp.L" "$W/got.L" || { diff -u "$W/exp.L" "$W/got.L" | head -20; lab_fail "list differs from ipvsadm -Ln"; }
ipvsadm -Sn >"$W/exp.S"
"$TUI" save >"$W/got.S"
cmp -s "$W/exp.S" "$W/got.S" || { diff -u "$W/exp.S" "$W/got.S" | head -20; lab_fail "save differs from ipvsadm -Sn"; }
echo "scale: list and save identical to ipvsadm ($(wc -l <"$W/exp.L") and $(wc -l <"$W/exp.S") lines)"

# ipvsadm's services in its order, as the console labels them: "TCP 10.32.0.1:80 rr".
awk '$1 == "TCP" || $1 == "UDP" { print $1, $2, $3 } $1 == "FWM" { print $1, $2, $3 }' "$W/exp.L" >"$W/exp.services"
[ "$(wc -l <"$W/exp.services")" = "$NSVC" ] || lab_fail "ipvsadm -Ln lists $(wc -l <"$W/exp.services") services, not $NSVC"
# The console's service rows on the screen ($W/screen), in order: "LABEL SCHEDULER".
rows() { sed -E 's/^(✗|!| )//' "$W/screen" | awk '($1 == "TCP" || $1 == "UDP" || $1 == "FWM") && NF >= 3 { print $1, $2, $3 }'; }

# --- The first screen.
t0=$(now)
t0_utc=$(date -u +%H:%M:%S.%N)
tmux new-session -d -s $T -x $COLS -y $ROWS "$TUI --log-file $W/log; sleep 900"
pid=""
for i in $(seq 400); do
	screen
	[ -z "$pid" ] && pid=$(pgrep -xn ipvs-tui || true)
	rows | grep -q . && break
	sleep 0.1
done
rows | grep -q . || { show_screen; lab_fail "the console showed no service row within 40 s"; }
first=$(since "$t0")
[ -n "$pid" ] || pid=$(pgrep -xn ipvs-tui)
rows >"$W/got.first"
n=$(wc -l <"$W/got.first")
head -n "$n" "$W/exp.services" >"$W/exp.first"
cmp -s "$W/exp.first" "$W/got.first" || { show_screen; diff -u "$W/exp.first" "$W/got.first" | head; lab_fail "the first screen's $n services are not ipvsadm's first $n"; }
loading=no
grep -q "loading: real servers of" "$W/screen" && loading=yes
echo "scale: first screen lists ipvsadm's first $n services (still loading: $loading)"
hwm() { awk -v k="$2:" '$1 == k { printf "%.1f MiB", $2 / 1024 }' "/proc/$1/status"; }
[ "$BENCH" = 1 ] && echo "scale_bench: console first table row after ${first} s; RSS $(hwm "$pid" VmRSS), peak $(hwm "$pid" VmHWM)"

# --- The whole table read: the note goes, the header counts every real server.
wait_gone "loading: real servers of" $((NSVC / 10 + 60)) "the console did not finish reading the real servers"
whole=$(since "$t0")
grep -q "Services $NSVC\b" "$W/screen" || { show_screen; lab_fail "the console does not say Services $NSVC"; }
grep -q "$NSVC services, $((NSVC * NDEST)) real servers" "$W/screen" || { show_screen; lab_fail "the header does not count $NSVC services, $((NSVC * NDEST)) real servers"; }
echo "scale: every real server read; header counts $NSVC services, $((NSVC * NDEST)) real servers"
[ "$BENCH" = 1 ] && echo "scale_bench: console whole table read after ${whole} s; RSS $(hwm "$pid" VmRSS), peak $(hwm "$pid" VmHWM)"

# --- The first poll read no /proc/net/ip_vs: what it did not dump waited for the next poll,
# which listed them (the debug log's "kernel poll" lines).
python3 - "$W/log" <<'PY' || lab_fail "the first polls were not as the poll's module comment says"
import json, sys
polls = []
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("message") == "kernel poll":
        polls.append(e)
first, second = polls[0], polls[1]
print(f"scale: first poll: /proc read {first['proc_read']}, {first['dest_dumps']} real-server dumps, {first['unlisted']} services left unlisted; the next: {second['unlisted']} unlisted, {second['unread']} unread")
ok = not first["proc_read"] and first["unlisted"] == first["unread"] and second["proc_read"] and second["unlisted"] == 0
sys.exit(0 if ok else 1)
PY

# --- End: ipvsadm's last service, selected, with its real servers as ipvsadm lists them.
key End
sleep 2
screen
last=$(tail -n 1 "$W/exp.services")
rows | grep -qxF "$last" || { show_screen; lab_fail "after End the screen does not show ipvsadm's last service '$last'"; }
rows | tail -n 1 | grep -qxF "$last" || { show_screen; lab_fail "after End '$last' is not the last row"; }
read -r proto label _ <<<"$last"
case $proto in TCP) sel=(-t "$label") ;; UDP) sel=(-u "$label") ;; FWM) sel=(-f "$label") ;; esac
ipvsadm -Ln "${sel[@]}" | awk '$1 == "->" && $2 != "RemoteAddress:Port" { print $2, $3, $4 }' | sort >"$W/exp.rs"
# The real servers pane: "ADDR:PORT FORWARD WEIGHT ..." rows.
# (ipvsadm says Tunnel, the console Tunnel and its type.)
awk '$2 == "Masq" || $2 == "Route" { print $1, $2, $3 } $2 == "Tunnel" { print $1, $2, $4 }' "$W/screen" | sort >"$W/got.rs"
[ "$(wc -l <"$W/exp.rs")" = "$NDEST" ] || lab_fail "ipvsadm lists $(wc -l <"$W/exp.rs") real servers of $last"
cmp -s "$W/exp.rs" "$W/got.rs" || { show_screen; diff -u "$W/exp.rs" "$W/got.rs"; lab_fail "the real servers of $last differ from ipvsadm's"; }
echo "scale: after End: $last, the last of ipvsadm's order, with ipvsadm's $NDEST real servers"

if [ "$BENCH" = 1 ]; then
	# Where the first screen's time went: the first polls as the debug log has them.
	echo "scale_bench: log: console started in tmux at $t0_utc"
	python3 - "$W/log" <<'PY' || true
import json, sys
polls = kernel = drawn = 0
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    f = e.get("fields", e)
    msg = f.get("message")
    if msg == "start":
        print(f"scale_bench: log: start at {e.get('timestamp')}")
    elif msg == "poll drawn" and drawn < 3:
        drawn += 1
        print(f"scale_bench: log: poll {drawn} drawn: update {f.get('update_us', 0) / 1e6:.2f} s, frame {f.get('draw_us', 0) / 1e6:.2f} s, at {e.get('timestamp')}")
    elif msg == "kernel poll" and kernel < 3:
        kernel += 1
        print(f"scale_bench: log: kernel poll {kernel}: dest dumps {f.get('dest_dumps')}, unread {f.get('unread')}, at {e.get('timestamp')}")
    elif msg == "poll" and polls < 3:
        polls += 1
        print(f"scale_bench: log: poll {polls}: took {f.get('took_us', 0) / 1e6:.2f} s, host read {f.get('host')}, at {e.get('timestamp')}")
PY
	# --- RSS over time (the console keeps polling at its default 2 s).
	sleep "${SCALE_RSS_SECS:-60}"
	echo "scale_bench: console after ${SCALE_RSS_SECS:-60} s more: RSS $(hwm "$pid" VmRSS), peak $(hwm "$pid" VmHWM)"
	# --- CPU at 1 s refresh against watch -n1 ipvsadm -Ln, then syscalls per poll.
	HZ=$(getconf CLK_TCK)
	ticks() { awk -v c="${2:-}" '{ sub(/^.*\) /, ""); t = $12 + $13; if (c != "") t += $14 + $15; print t }' "/proc/$1/stat"; }
	key '['
	wait_screen 'every 1s' 20 "the console did not switch to a 1 s refresh"
	tmux new-session -d -s w -x $COLS -y $ROWS "watch -n1 ipvsadm -Ln; sleep 900"
	sleep 5
	wat=$(pgrep -xo watch) # the oldest: watch forks a short-lived child of its own name
	SECS=${SCALE_CPU_SECS:-30}
	c0=$(ticks "$pid") w0=$(ticks "$wat" c) t1=$(now)
	sleep "$SECS"
	c1=$(ticks "$pid") w1=$(ticks "$wat" c) t2=$(now)
	awk -v hz="$HZ" -v c=$((c1 - c0)) -v w=$((w1 - w0)) -v a="$t1" -v b="$t2" -v n="$NSVC" -v d="$NDEST" 'BEGIN {
		s = b - a
		printf "scale_bench: cpu, %d x %d, 1 s refresh, %.1f s: console %.2f%% of one core, watch -n1 ipvsadm -Ln %.2f%% (with its children), ratio %.2fx\n", n, d, s, 100 * c / hz / s, 100 * w / hz / s, (w > 0 ? c / w : 0)
	}'
	tmux kill-session -t w
	strace -c -f -p "$pid" -o "$W/strace" &
	st=$!
	sleep 10
	kill -INT $st
	wait $st || true
	awk '/total/ { printf "scale_bench: syscalls in 10 s at 1 s refresh (about 10 polls): %d, %d per poll\n", $4, $4 / 10 }' "$W/strace"
	sed -n '1,14p' "$W/strace" | sed 's/^/scale_bench:   /'
	# --- ipvsadm -Ln in the same pane size (the console stopped): first row, end of its listing.
	tmux kill-session -t $T
	t0=$(now)
	tmux new-session -d -s i -x $COLS -y $ROWS "ipvsadm -Ln; echo IPVSADM-DONE; sleep 900"
	firsti=""
	for i in $(seq 1200); do
		tmux capture-pane -p -t i >"$W/ipvsadm.screen"
		[ -z "$firsti" ] && grep -qE '^(TCP|UDP|FWM) ' "$W/ipvsadm.screen" && firsti=$(since "$t0")
		grep -q IPVSADM-DONE "$W/ipvsadm.screen" && break
		sleep 0.1
	done
	done_i=$(since "$t0")
	echo "scale_bench: ipvsadm -Ln in a ${COLS}x$ROWS pane: first row after ${firsti:-?} s, whole listing after ${done_i} s"
	awk -v c="$first" -v i="$done_i" 'BEGIN { printf "scale_bench: first screen ratio console/ipvsadm -Ln %.2fx (goal <= 0.2x)\n", c / i }'
fi
echo "scale OK"
