#!/usr/bin/env bash
# Lab benchmark (guest side): the console at 1 s refresh against `watch -n1 ipvsadm`: bytes/s to a tmux pane (20 services) and CPU (1,000 services).
# Traffic goes to services at random (seeded), then in turn (a second figure).
# Prints "console_bench: ..." figures; fails only when the console does not show its table or a measurement is missing.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/console_bench.XXXXXX)
SECS=${BENCH_SECS:-30}
COLS=120 ROWS=50 # tall enough for the console to list all 20 services
d() { lab_ns director "$@"; }
now() { date +%s.%N; }
# ticks PID: utime+stime of PID; ticks PID c: plus its waited-for children's (cutime+cstime).
ticks() { awk -v c="${2:-}" '{ sub(/^.*\) /, ""); t = $12 + $13; if (c != "") t += $14 + $15; print t }' "/proc/$1/stat"; }
child_of() { # the single child of tmux session $1's pane shell (ip netns exec execs the program)
	local pane p
	pane=$(tmux list-panes -t "$1" -F '#{pane_pid}')
	for i in $(seq 50); do
		p=$(ps -o pid= --ppid "$pane" | tr -d ' ')
		[ -n "$p" ] && [ "$(wc -w <<<"$p")" = 1 ] && { echo "$p"; return; }
		sleep 0.2
	done
	lab_fail "session $1: pane shell $pane has no single child ('$p')"
}
# wait_screen SESSION PATTERN WHAT: until the pane shows PATTERN (grep -E), up to ~60 s (UML is slow).
wait_screen() {
	for i in $(seq 200); do
		tmux capture-pane -p -t "$1" >"$W/screen"
		grep -qE "$2" "$W/screen" && return
		sleep 0.3
	done
	cat "$W/screen"
	lab_fail "$3"
}
# to_1s SESSION: `[` steps the console's refresh from the default 2 s to 1 s (there is no option for it).
to_1s() {
	tmux send-keys -t "$1" '['
	wait_screen "$1" 'every 1s|refresh every 1 s' "the console did not switch to a 1 s refresh after '['"
}
HZ=$(getconf CLK_TCK)

lab_nat_topology
for rs in rs1 rs2; do
	ip=$([ $rs = rs1 ] && echo "$RS1" || echo "$RS2")
	lab_http_server $rs "$ip" 80 $rs
done
N=20
for p in $(seq 8001 $((8000 + N))); do
	d ipvsadm -A -t "$VIP:$p" -s rr
	d ipvsadm -a -t "$VIP:$p" -r "$RS1:80" -m
	d ipvsadm -a -t "$VIP:$p" -r "$RS2:80" -m
done

# Traffic from one process (a curl per request would pace itself by the machine's load) at a fixed
# pace of 10 requests/s over the 20 services, so 0.5/s per service on average. Where each request
# goes is read from $W/mode before each one: "random" picks a service at random (seeded, so runs
# compare), as independent clients do; "turn" takes them strictly in turn, one every 2 s each, in
# step with the kernel's 2 s estimator, so every rate stays constant. Runs until $W/stop appears;
# writes the count to $W/loop.count.
echo random >"$W/mode"
lab_ns client python3 - "$VIP" 8001 "$N" "$W" <<'PY' &
import random, socket, sys, time, os
vip, first, n, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(14)
sent, t0 = 0, time.monotonic()
while not os.path.exists(f"{w}/stop"):
    try:
        mode = open(f"{w}/mode").read().strip()
    except OSError:
        mode = "random"
    port = first + (rng.randrange(n) if mode == "random" else sent % n)
    try:
        with socket.create_connection((vip, port), timeout=2) as s:
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            while s.recv(4096):
                pass
    except OSError:
        pass
    sent += 1
    time.sleep(max(0.0, t0 + sent * 0.1 - time.monotonic()))
open(f"{w}/loop.count", "w").write(str(sent))
PY
loop=$!
trap 'touch "$W/stop"; tmux kill-server 2>/dev/null || true' EXIT

# profile SESSION: over 12 s, the screen rows that changed most (how many seconds, how many cells):
# where the bytes go.
profile() {
	for i in $(seq 0 12); do tmux capture-pane -p -t "$1" >"$W/prof.$1.$i"; sleep 1; done
	python3 - "$W" "$1" <<'PY'
import sys
w, s = sys.argv[1], sys.argv[2]
scr = [open(f"{w}/prof.{s}.{i}").read().split("\n") for i in range(13)]
rows = {}
for a, b in zip(scr, scr[1:]):
    for r in range(max(len(a), len(b))):
        x, y = (a[r] if r < len(a) else ""), (b[r] if r < len(b) else "")
        n = sum(1 for i in range(max(len(x), len(y))) if (x[i:i + 1] or " ") != (y[i:i + 1] or " "))
        if n:
            rows.setdefault(r, []).append(n)
top = sorted(rows.items(), key=lambda kv: -sum(kv[1]))
print(f"console_bench: profile {s}: {len(rows)} rows changed in 12 s, {sum(map(sum, rows.values()))} cells; most:")
for r, ns in top[:6]:
    print(f"console_bench:   row {r:2} in {len(ns):2} s, {sum(ns):3} cells: {scr[-1][r][:90].rstrip()}")
PY
}
# --- 1. Bytes written to the terminal per second: console vs watch -n1 ipvsadm -Ln --rate, same size, same
# period, fresh sessions for each traffic mode (random arrivals, then in turn), after a warm-up.
WARM=${BENCH_WARM:-20}
bytes_run() { # MODE
	local mode=$1
	echo "$mode" >"$W/mode"
	tmux new-session -d -s c -x $COLS -y $ROWS "ip netns exec director $TUI; sleep 300"
	tmux new-session -d -s w -x $COLS -y $ROWS "ip netns exec director watch -n1 ipvsadm -Ln --rate; sleep 300"
	wait_screen c "Services $N\b" "the console did not draw its $N services within 60 s"
	to_1s c
	sleep 2 # let the refresh message be replaced by the steady state
	tmux capture-pane -p -t c >"$W/screen"
	missing=0
	for p in $(seq 8001 $((8000 + N))); do
		grep -q "TCP $VIP:$p " "$W/screen" || { echo "console_bench: not on the screen: TCP $VIP:$p"; missing=$((missing + 1)); }
	done
	[ $missing = 0 ] || { cat "$W/screen"; lab_fail "the console at ${COLS}x$ROWS shows $((N - missing)) of $N services"; }
	echo "console_bench: console screen shows all $N services (${COLS}x$ROWS), traffic $mode"
	wait_screen w "TCP +$VIP:8001" "watch ipvsadm did not draw within 60 s"
	if [ "$mode" = random ]; then
		profile c
		profile w
	fi
	sleep "$WARM"
	: >"$W/c.bytes"
	: >"$W/w.bytes"
	t0=$(now)
	tmux pipe-pane -o -t c "cat >>$W/c.bytes"
	tmux pipe-pane -o -t w "cat >>$W/w.bytes"
	sleep "$SECS"
	tmux pipe-pane -t c
	tmux pipe-pane -t w
	t1=$(now)
	sleep 0.5
	tmux capture-pane -p -t c >"$W/screen.end"
	tmux capture-pane -p -t w >"$W/watch.end"
	wn=$(grep -c "^TCP " "$W/watch.end" || true)
	grep -q "Services $N\b" "$W/screen.end" || { cat "$W/screen.end"; lab_fail "the console no longer shows Services $N after the run"; }
	cb=$(stat -c %s "$W/c.bytes")
	wb=$(stat -c %s "$W/w.bytes")
	[ "$cb" -gt 0 ] && [ "$wb" -gt 0 ] || lab_fail "no bytes piped (console $cb, watch $wb)"
	awk -v c="$cb" -v w="$wb" -v t0="$t0" -v t1="$t1" -v n=$N -v wn="$wn" -v g="${COLS}x$ROWS" -v m="$mode" 'BEGIN {
		s = t1 - t0
		goal = (m == "random") ? " (goal <= 0.3x)" : ""
		printf "console_bench: bytes/s to the terminal, %d services, %s, 1 s refresh, %.1f s, traffic %s:\n", n, g, s, m
		printf "console_bench: bytes %s console %.0f B/s (%d B)\n", m, c / s, c
		printf "console_bench: bytes %s watch -n1 ipvsadm -Ln --rate %.0f B/s (%d B)\n", m, w / s, w
		printf "console_bench: bytes %s ratio console/watch %.2fx%s\n", m, c / w, goal
		printf "console_bench: (watch shows what fits in %s: %d of the %d services, 3 lines each; the console all %d, 1 line each)\n", g, wn, n, n
	}'
	tmux kill-session -t c
	tmux kill-session -t w
}
bytes_run random
bytes_run turn

# --- 2. CPU at 1 s refresh with 1,000 services x 2 real servers: console vs watch -n1 ipvsadm -Ln, same period.
d ipvsadm -C
M=1000
for i in $(seq 0 $((M - 1))); do
	a="198.51.$((100 + i / 250)).$((1 + i % 250))"
	echo "-A -t $a:80 -s rr"
	echo "-a -t $a:80 -r $RS1:80 -m -w 1"
	echo "-a -t $a:80 -r $RS2:80 -m -w 1"
done >"$W/rules"
d ipvsadm -R <"$W/rules"
[ "$(d ipvsadm -Ln | grep -c '^TCP')" = $M ] || lab_fail "ipvsadm -R did not load $M services"
tmux new-session -d -s c -x $COLS -y $ROWS "ip netns exec director $TUI; sleep 300"
tmux new-session -d -s w -x $COLS -y $ROWS "ip netns exec director watch -n1 ipvsadm -Ln; sleep 300"
wait_screen c "Services $M\b" "the console did not draw its $M services within 60 s"
to_1s c
tui=$(child_of c)
wat=$(child_of w)
[ "$(readlink "/proc/$tui/exe")" = "$(readlink -f "$TUI")" ] || lab_fail "session c: pid $tui is $(readlink "/proc/$tui/exe"), not $TUI"
sleep 2
c0=$(ticks "$tui")
w0=$(ticks "$wat")
wc0=$(ticks "$wat" c)
t0=$(now)
sleep "$SECS"
c1=$(ticks "$tui")
w1=$(ticks "$wat")
wc1=$(ticks "$wat" c)
t1=$(now)
tmux capture-pane -p -t c >"$W/screen.end"
grep -q "Services $M\b" "$W/screen.end" || { cat "$W/screen.end"; lab_fail "the console no longer shows Services $M after the run"; }
awk -v hz="$HZ" -v c="$((c1 - c0))" -v w="$((w1 - w0))" -v wc="$((wc1 - wc0))" -v t0="$t0" -v t1="$t1" -v m=$M -v pid="$tui" 'BEGIN {
	s = t1 - t0
	printf "console_bench: CPU, %d services x 2 real servers, 1 s refresh, %.1f s (CLK_TCK %d), in user-mode Linux:\n", m, s, hz
	printf "console_bench: (under user-mode Linux every syscall is much slower than on bare metal: these figures are upper bounds)\n"
	printf "console_bench: cpu console %.2f%% of one core (%d ticks, pid %d)\n", 100 * c / hz / s, c, pid
	printf "console_bench: cpu watch -n1 ipvsadm -Ln %.2f%% of one core with its ipvsadm children (%d ticks; watch alone %d)\n", 100 * wc / hz / s, wc, w
	printf "console_bench: cpu ratio console/watch+ipvsadm %.2fx (goal: console <= 2%%)\n", (wc > 0 ? c / wc : 0)
}'
# Syscalls per poll: strace -c over 10 s at 1 s refresh (about 10 polls), by call.
strace -c -f -p "$tui" -o "$W/strace" &
st=$!
sleep 10
kill -INT $st
wait $st || true
awk '/total/ { printf "console_bench: syscalls in 10 s at 1 s refresh with %d services (about 10 polls): %d, %d per poll\n", m, $4, $4 / 10 }' m=$M "$W/strace"
sed -n '3,$p' "$W/strace" | grep -v -- '------' | sed 's/^/console_bench:   /'
touch "$W/stop"
wait $loop
echo "console_bench: traffic loop made $(cat "$W/loop.count") requests"
echo "console_bench OK"
