#!/usr/bin/env bash
# Lab test (guest side): the full-screen console in tmux in the director netns, with real traffic through
# LVS-NAT; its screen is compared with ipvsadm -Ln; then SIGHUP must end it and leave the terminal cooked.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/console.XXXXXX)
d() { lab_ns director "$@"; }
T=c # tmux session
W1=3 W2=1 # real server weights (rr ignores them, the console must still show them)

lab_nat_topology
for rs in rs1 rs2; do
	ip=$([ $rs = rs1 ] && echo "$RS1" || echo "$RS2")
	lab_http_server $rs "$ip" 80 $rs
	# 4 MiB that the held-open connections below fetch at 4 KiB/s: ESTABLISHED for ~17 min.
	head -c 4194304 /dev/zero >"/tmp/lab-www/$rs-80/big"
done
d ipvsadm -A -t "$VIP:80" -s rr
d ipvsadm -a -t "$VIP:80" -r "$RS1:80" -m -w $W1
d ipvsadm -a -t "$VIP:80" -r "$RS2:80" -m -w $W2

# ipvsadm's real server lines of VIP:80: "ADDR FORWARD WEIGHT ACTIVE INACT", sorted.
rs_lines() { awk -v v="TCP $VIP:80" '$1 " " $2 == v { s = 1; next } $1 == "TCP" || $1 == "UDP" || $1 == "FWM" { s = 0 }
	s && $1 == "->" { print $2, $3, $4, $5, $6 }' "$1" | sort; }

# Two connections held open (rr: one to each real server), so that ActiveConn is non-zero on both.
held=()
for i in 1 2; do
	lab_ns client curl -s -o /dev/null --limit-rate 4k "http://$VIP/big" &
	held+=($!)
	sleep 0.5
done
for i in $(seq 50); do
	d ipvsadm -Ln >"$W/a"
	[ "$(rs_lines "$W/a" | awk '$4 >= 1' | wc -l)" = 2 ] && break
	[ "$i" = 50 ] && { cat "$W/a"; lab_fail "the held-open connections do not show as ActiveConn 1 on both real servers"; }
	sleep 0.2
done

# The console in a pane whose shell records `stty -a` before it starts and after it ends (the
# latter renamed into place whole: the wait below must not read it half written).
tmux new-session -d -s $T -x 160 -y 48 \
	"stty -a >$W/stty.before; ip netns exec director $TUI; echo \$? >$W/rc; stty -a >$W/stty.part; mv $W/stty.part $W/stty.after; sleep 300"
screen() { tmux capture-pane -p -t $T >"$1"; }
for i in $(seq 100); do # wait for it to draw the service and both real servers (slow in UML)
	screen "$W/screen"
	grep -q "TCP $VIP:80" "$W/screen" && grep -q " $RS1:80 " "$W/screen" && grep -q " $RS2:80 " "$W/screen" && break
	[ "$i" = 100 ] && { cat "$W/screen"; lab_fail "the console did not draw TCP $VIP:80 with $RS1:80 and $RS2:80 within 30 s"; }
	sleep 0.3
done
echo "console: drawn (after $i looks)"

# The console process: the pane's shell's child (ip netns exec execs ipvs-tui), in the director netns.
pane_pid=$(tmux list-panes -t $T -F '#{pane_pid}')
tui_pid=$(ps -o pid= --ppid "$pane_pid" | tr -d ' ')
[ -n "$tui_pid" ] && [ "$(wc -w <<<"$tui_pid")" = 1 ] || lab_fail "pane shell $pane_pid: expected one child, got '$tui_pid'"
[ "$(readlink "/proc/$tui_pid/exe")" = "$(readlink -f "$TUI")" ] ||
	lab_fail "pane child $tui_pid is $(readlink "/proc/$tui_pid/exe"), not $TUI"
[ "$(readlink "/proc/$tui_pid/ns/net")" = "$(d readlink /proc/self/ns/net)" ] || lab_fail "the console is not in the director netns"
echo "console: pid $tui_pid in netns director"

# parse_screen FILE: from the console's screen, "SERVICE sched SCHED ACTIVE INACT" for the service line of
# VIP:80, then "ADDR FORWARD WEIGHT ACTIVE INACT" per real server (sorted). The real server columns are
# found by the header: forward is left-aligned, the numbers are right-aligned to their header's end.
cat >"$W/parse.py" <<'PY'
import re, sys
vip, lines = sys.argv[2], open(sys.argv[1], encoding="utf-8").read().splitlines()
out = []
for l in lines:
    m = re.match(r"\s*TCP (\S+)\s+(\S+)\s+(?:\d+s\s+)?(\d+)\s+(\d+)\s", l + " ")
    if m and m.group(1) == vip + ":80":
        out.append(f"service TCP {m.group(1)} sched {m.group(2)} {m.group(3)} {m.group(4)}")
hdr = next((l for l in lines if l.startswith("real server")), None)
if hdr is None:
    sys.exit("no real server header on the screen")
cols = {m.group(0).rstrip("▲▼"): (m.start(), m.end()) for m in re.finditer(r"\S+", hdr)}
for need in ("forward", "weight", "thresh", "active", "inact"):
    if need not in cols and need + "▲" not in cols:
        sys.exit(f"no {need} column in the real server header: {hdr!r}")
def cell(l, name):  # right-aligned: from the previous header word's end to this one's end
    start, end = cols[name]
    prev = max(e for s, e in cols.values() if e <= start)
    return l[prev:end].strip()
rows = []
for l in lines[lines.index(hdr) + 1:]:
    t = l.split()
    if not t or not re.match(r"^\d+\.\d+\.\d+\.\d+:\d+$", t[0]):
        break
    fs, _ = cols["forward"]
    rows.append(" ".join([t[0], l[fs:].split()[0], cell(l, "weight"), cell(l, "active"), cell(l, "inact")]))
print("\n".join(out + sorted(rows)))
PY
parse_screen() { python3 "$W/parse.py" "$1" "$VIP"; }

# While the traffic flows: a loop of short HTTP requests from the client.
(
	n=0
	while [ ! -e "$W/stop" ]; do
		lab_ns client curl -s -o /dev/null --max-time 5 "http://$VIP/" || echo "console: a loop request failed" >&2
		n=$((n + 1))
		sleep 0.05
	done
	echo $n >"$W/loop.count"
) &
loop=$!
sleep 5
screen "$W/screen"
parse_screen "$W/screen" >"$W/seen"
sed 's/^/console: under traffic: /' "$W/seen"
grep -qx "service TCP $VIP:80 sched rr [0-9]* [0-9]*" "$W/seen" ||
	{ cat "$W/screen"; lab_fail "no service line 'TCP $VIP:80 rr ...' on the screen"; }
for want in "$RS1:80 Masq $W1" "$RS2:80 Masq $W2"; do
	grep -q "^$want [0-9]* [0-9]*\$" "$W/seen" ||
		{ cat "$W/screen"; lab_fail "no real server line '$want ACTIVE INACT' on the screen"; }
done
[ "$(grep -c '^[0-9]' "$W/seen")" = 2 ] || { cat "$W/screen"; lab_fail "expected exactly 2 real server lines on the screen"; }

# Connection counts. Comparison method: the loop is stopped and the counts left to settle (TIME_WAIT
# entries live 2 min, the held-open connections stay ESTABLISHED); then, per try, ipvsadm -Ln is read,
# then (after more than one 2 s console poll) the screen, then ipvsadm again. A try counts only when both
# ipvsadm readings are equal; the console must then show exactly those ActiveConn/InActConn. A try with
# a change in between is repeated (up to 8); the last disagreement is printed.
touch "$W/stop"
wait $loop
echo "console: traffic loop stopped after $(cat "$W/loop.count") requests"
prev=
for i in $(seq 20); do # settled: two equal readings 2 s apart
	d ipvsadm -Ln >"$W/a"
	cur=$(rs_lines "$W/a")
	[ -n "$prev" ] && [ "$cur" = "$prev" ] && break
	prev=$cur
	sleep 2
done
ok=no
for try in $(seq 8); do
	d ipvsadm -Ln >"$W/a1"
	sleep 3
	screen "$W/screen"
	d ipvsadm -Ln >"$W/a2"
	rs_lines "$W/a1" >"$W/want"
	rs_lines "$W/a2" >"$W/want2"
	cmp -s "$W/want" "$W/want2" || { echo "console: try $try: ipvsadm changed during the capture, again"; continue; }
	parse_screen "$W/screen" >"$W/seen"
	grep '^[0-9]' "$W/seen" >"$W/got" || true
	if cmp -s "$W/want" "$W/got"; then
		ok=yes
		break
	fi
	echo "console: try $try: the screen differs from ipvsadm -Ln, again"
done
if [ $ok != yes ]; then
	cat "$W/a1"
	cat "$W/screen"
	diff -u --label "ipvsadm -Ln: ADDR FORWARD WEIGHT ACTIVE INACT" --label "console screen" "$W/want" "$W/got" || true
	lab_fail "the console's real servers of TCP $VIP:80 never matched ipvsadm -Ln in a quiet window (8 tries)"
fi
sed 's/^/console: real server (same as ipvsadm -Ln): /' "$W/got"
awk '$4 < 1 || $5 < 1 { bad = 1 } END { exit bad }' "$W/want" ||
	lab_fail "expected ActiveConn and InActConn above 0 on both real servers (the test would prove little)"
# The service line's active/inact: the sums over its real servers.
sum=$(awk '{ a += $4; n += $5 } END { print a, n }' "$W/want")
grep -qx "service TCP $VIP:80 sched rr $sum" "$W/seen" ||
	{ grep '^service' "$W/seen"; lab_fail "the service line's active/inact are not the real servers' sums ($sum)"; }
echo "console: service line active/inact = sums over the real servers: $sum"

# SIGHUP: the console ends and the terminal is back as the shell had it (cooked: icanon, echo, ...).
kill -HUP "$tui_pid"
for i in $(seq 50); do
	[ -e "$W/stty.after" ] && break
	[ "$i" = 50 ] && { screen "$W/screen"; cat "$W/screen"; lab_fail "10 s after SIGHUP the console (pid $tui_pid) has not ended"; }
	sleep 0.2
done
[ ! -e "/proc/$tui_pid" ] || lab_fail "after SIGHUP the console process $tui_pid still exists"
echo "console: ended on SIGHUP, exit status $(cat "$W/rc")"
flags() { tr ' ;' '\n\n' <"$1" | grep -E '^-?[a-z0-9]+$' | sort -u; }
nfail=0
for f in icanon echo isig iexten icrnl opost ixon; do
	if flags "$W/stty.after" | grep -qx -- "$f"; then
		echo "console: after SIGHUP: $f"
	else
		echo "  FAIL after SIGHUP the terminal has $(flags "$W/stty.after" | grep -x -- "-$f" || echo "no $f")"
		nfail=$((nfail + 1))
	fi
done
if ! cmp -s "$W/stty.before" "$W/stty.after"; then
	echo "  FAIL stty -a differs from before the console started:"
	diff -u --label before --label after "$W/stty.before" "$W/stty.after" | sed 's/^/    | /' || true
	nfail=$((nfail + 1))
fi
st=$(tmux display -p -t $T '#{alternate_on} #{cursor_flag}')
[ "$st" = "0 1" ] || { echo "  FAIL after SIGHUP: alternate screen/cursor visible = $st, expected 0 1"; nfail=$((nfail + 1)); }
[ $nfail = 0 ] || lab_fail "the terminal was not restored after SIGHUP ($nfail checks)"
echo "console: terminal restored: stty -a as before, main screen, cursor visible"

tmux kill-session -t $T
kill "${held[@]}" 2>/dev/null || true
echo "console OK"
