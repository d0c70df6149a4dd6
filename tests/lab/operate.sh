#!/usr/bin/env bash
# Lab test (guest side): operating IPVS from the console's keys, in tmux in the director netns of the
# NAT topology, checked against ipvsadm -Sn after each step: add a service and two real servers, change
# a weight (w, +), undo (u), drain a real server while HTTP traffic flows until it is removed at zero
# connections, undo the drain (the real server back as before it); the audit log holds one JSON line per change; then --read-only refuses every
# change key and shows none in the hint bar or the help.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/tmux.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/operate.XXXXXX)
LOG=/tmp/audit.log
T=op # tmux session
d() { lab_ns director "$@"; }
step() { echo "operate: $*"; }

lab_nat_topology
lab_nat_servers
SVC="-t $VIP:80"

# --- driving the console ------------------------------------------------------------------------
# console ARGS...: a fresh console in the director netns, 160x48; returns once it has drawn.
console() {
	tmux kill-session -t $T 2>/dev/null || true
	rm -f "$W/rc"
	tmux new-session -d -s $T -x 160 -y 48 "ip netns exec director $TUI --audit-log $LOG --log-file $W/console.$T.log $*; echo \$? >$W/rc; sleep 600"
	wait_polled 30 "the console (ipvs-tui $*) did not draw its first poll"
}
# check_rules SECONDS MESSAGE LINE...: until `ipvsadm -Sn` holds exactly LINEs (in any order); else
# shows the screen and the difference, counts a failure and returns 1.
nfail=0
check_rules() {
	local secs=$1 msg=$2 i
	shift 2
	printf '%s\n' "$@" | sort >"$W/rules.want"
	for i in $(seq $((secs * 4))); do
		d ipvsadm -Sn | sort >"$W/rules.got"
		cmp -s "$W/rules.want" "$W/rules.got" && return 0
		sleep 0.25
	done
	show_screen
	diff -u --label "expected ipvsadm -Sn" --label "ipvsadm -Sn" "$W/rules.want" "$W/rules.got" | sed 's/^/    /' || true
	echo "  FAIL $msg: ipvsadm -Sn is not as expected after $secs s (screen and diff above)"
	nfail=$((nfail + 1))
	return 1
}
# want_rules: the same, and the steps after it depend on it, so a failure ends the test.
want_rules() { check_rules "$@" || lab_fail "$2: the test cannot go on"; }
# rs_conns ADDR:PORT: "WEIGHT ACTIVE INACT" of that real server in ipvsadm -Ln; empty when absent.
rs_conns() { d ipvsadm -Ln | awk -v a="$1" '$1 == "->" && $2 == a { print $4, $5, $6; exit }'; }

# The help's keys, one per line (from its box, all of it: scrolled with Down), and the hint bar's.
cat >"$W/keys.py" <<'PY'
import re, sys
keys = set()
if sys.argv[1] == "help":
    # The help's text, page after page (pages overlap, and the last may scroll back less): the
    # lines inside the box, each page appended past its overlap with what came before.
    text = []
    for path in sys.argv[2:]:
        page = [m.group(1).rstrip() for l in open(path, encoding="utf-8").read().splitlines() if (m := re.search(r"│(.*)│", l))]
        o = next(o for o in range(min(len(text), len(page)), -1, -1) if text[len(text) - o:] == page[:o])
        text += page[o:]
    # A section starts with its title at the box's edge. The connections pane's keys are skipped:
    # its own layer, read-only by nature (a: all services, not add).
    section = ""
    for l in text:
        if re.match(r"\S", l):
            section = l.strip()
        m = re.match(r"  (\S(?:\S| (?! ))*)  +\S", l)
        if m and not section.startswith(("The connections pane", "Typing a connection filter")):
            keys.update(k.strip() for k in m.group(1).split(", "))
else:  # the hint bar: the last non-empty line, "KEY word  KEY word ..."
    lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
    bar = [l for l in lines if l.strip()][-1]
    keys.update(pair.split(" ")[0] for pair in re.split(r"  +", bar.strip()))
print("\n".join(sorted(keys)))
PY
help_keys() { # help_keys OUT: open help, read every page, close it
	local n files=()
	key "?"
	wait_screen "Help" 10 "? did not open the help"
	for n in $(seq 8); do
		screen "$W/help.$n"
		files+=("$W/help.$n")
		key Down Down Down Down Down Down Down Down Down Down
	done
	key Escape
	python3 "$W/keys.py" help "${files[@]}" >"$1"
}
hint_keys() { screen "$W/hints"; python3 "$W/keys.py" hints "$W/hints" >"$1"; }
CHANGE_KEYS="a e d w + - 0 z Z X T S D u"
change_keys_from_stdin() { cat >"$W/keys.stdin"; change_keys_in "$W/keys.stdin"; }
# change_keys_in FILE: the change keys listed in FILE (one key per line), space-separated.
change_keys_in() {
	local k found=()
	for k in $CHANGE_KEYS; do grep -qxF -- "$k" "$1" && found+=("$k"); done
	echo "${found[*]:-}"
}

# --- 1. add a service and two real servers by keys ------------------------------------------------
rm -f "$LOG"
console
step "console up in netns director, empty table"
key a
wait_screen "Add a virtual service" 10 "a (services pane) did not open the service form"
# Kind TCP (the default) -> Tab: address -> Tab: port -> Tab: scheduler (wlc typed over with rr).
key Tab
text "$VIP"
key Tab
text 80
key Tab BSpace BSpace BSpace
text rr
screen "$W/form.service"
key Enter
want_rules 10 "service added with a, $VIP, 80, rr, Enter" "-A $SVC -s rr"
wait_screen "TCP $VIP:80" 10 "the new service is not listed"
step "a: service $SVC -s rr added; ipvsadm -Sn agrees"

key Enter # into its real servers
add_rs() { # add_rs ADDR WEIGHT: real server form, NAT, port 80 (the service's), weight
	key a
	wait_screen "Add a real server to" 10 "a (real servers pane) did not open the real server form"
	text "$1"
	key Tab
	text m # the method choice: m picks masquerading
	key Tab Tab BSpace # port stays 80 -> weight
	text "$2"
	key Enter
}
add_rs "$RS1" 2
want_rules 10 "first real server added by keys" "-A $SVC -s rr" "-a $SVC -r $RS1:80 -m -w 2"
add_rs "$RS2" 1
want_rules 10 "second real server added by keys" "-A $SVC -s rr" "-a $SVC -r $RS1:80 -m -w 2" "-a $SVC -r $RS2:80 -m -w 1"
wait_screen " $RS2:80 " 10 "the second real server is not listed"
step "a, a: real servers $RS1:80 -w 2 and $RS2:80 -w 1 (NAT) added; ipvsadm -Sn:"
d ipvsadm -Sn | sed 's/^/    /'

# Before read-only: with changes allowed, the hint bar and the help do list change keys (so that
# their absence later means something).
hint_keys "$W/hints.rw"
help_keys "$W/help.rw"
step "change keys in the hint bar (real servers pane): $(change_keys_in "$W/hints.rw")"
step "change keys in the help: $(change_keys_in "$W/help.rw")"
[ -n "$(change_keys_in "$W/help.rw")" ] || lab_fail "the help lists no change key at all with changes allowed: $(tr '\n' ' ' <"$W/help.rw")"

# --- 2. weight: w, then + ; then undo -----------------------------------------------------------
key g # the first real server (sorted by address: RS1)
key w
wait_screen "Weight of $RS1:80" 10 "w on the first real server did not open the weight form of $RS1:80"
key BSpace
text 5
key Enter
want_rules 10 "w 5 Enter" "-A $SVC -s rr" "-a $SVC -r $RS1:80 -m -w 5" "-a $SVC -r $RS2:80 -m -w 1"
step "w: $RS1:80 weight 5"
text +
want_rules 10 "+ on $RS1:80" "-A $SVC -s rr" "-a $SVC -r $RS1:80 -m -w 6" "-a $SVC -r $RS2:80 -m -w 1"
step "+: $RS1:80 weight 6"
key u
want_rules 10 "u after +" "-A $SVC -s rr" "-a $SVC -r $RS1:80 -m -w 5" "-a $SVC -r $RS2:80 -m -w 1"
step "u: $RS1:80 weight back to 5"

# --- 3. drain the second real server while traffic flows ---------------------------------------
# A loop of short HTTP requests from the client, bounded in count and time, ending on its own.
(
	n=0 failed=0 end=$((SECONDS + 45))
	while [ $n -lt 500 ] && [ $SECONDS -lt $end ] && [ ! -e "$W/stop" ]; do
		lab_ns client curl -s -o /dev/null --max-time 3 "http://$VIP/" || failed=$((failed + 1))
		n=$((n + 1))
		sleep 0.05
	done
	echo "$n $failed" >"$W/loop"
) &
loop=$!
for i in $(seq 40); do # rr: RS2 gets every other request
	read -r w a n <<<"$(rs_conns "$RS2:80")"
	[ $((a + n)) -gt 0 ] && break
	[ "$i" = 40 ] && lab_fail "no connection reached $RS2:80 in 10 s of traffic"
	sleep 0.25
done
key g Down # the second real server
key D
sleep 1
if [ "$(rs_conns "$RS2:80" | cut -d' ' -f1)" != 0 ]; then
	screen "$W/drain.dialog"
	key Enter # a dialog (deadline: wait, the default) to accept
fi
for i in $(seq 40); do
	[ "$(rs_conns "$RS2:80" | cut -d' ' -f1)" = 0 ] && break
	[ "$i" = 40 ] && { show_screen; lab_fail "D (then Enter) on $RS2:80 did not set its weight to 0 within 10 s: $(rs_conns "$RS2:80")"; }
	sleep 0.25
done
t0=$SECONDS
read -r w a n <<<"$(rs_conns "$RS2:80")"
step "D: $RS2:80 at weight 0 with $a active, $n inactive connections; $RS1:80: $(rs_conns "$RS1:80")"
[ "$(rs_conns "$RS1:80" | cut -d' ' -f1)" = 5 ] || lab_fail "the drain changed $RS1:80 too: $(rs_conns "$RS1:80")"
[ $((a + n)) -gt 0 ] || lab_fail "$RS2:80 had no connection when the drain began: the test would prove little"
# Follow it: the console must keep it while it has connections and remove it once they are gone.
seen_status=no held=0 readings=()
for i in $(seq 240); do
	cur=$(rs_conns "$RS2:80")
	[ -z "$cur" ] && break
	read -r w a n <<<"$cur"
	[ "$w" = 0 ] || lab_fail "$RS2:80 weight went from 0 to $w during the drain"
	[ $((a + n)) -gt 0 ] && held=$((held + 1))
	readings+=("$((SECONDS - t0)) s: $cur")
	if [ $seen_status = no ] && [ $((i % 5)) = 1 ]; then
		screen "$W/drain.screen"
		grep -q "draining $RS2:80" "$W/drain.screen" && seen_status=yes
	fi
	[ "$i" = 240 ] && { show_screen; lab_fail "$RS2:80 still there 240 s into the drain: $cur"; }
	sleep 1
done
step "drain: $RS2:80 removed after $((SECONDS - t0)) s; it was kept through $held readings with connections; last readings before removal (weight active inactive): $(printf '%s; ' "${readings[@]: -5}")"
[ $held -ge 1 ] || lab_fail "$RS2:80 was removed at once, not kept while it had connections"
[ $seen_status = yes ] || echo "  note: the screen never showed 'draining $RS2:80' (the drain's status line)"
want_rules 5 "after the drain" "-A $SVC -s rr" "-a $SVC -r $RS1:80 -m -w 5"
touch "$W/stop"
wait $loop
read -r sent failed <"$W/loop"
step "traffic during the drain: $sent requests, $failed failed"
[ "$failed" = 0 ] || lab_fail "$failed of $sent requests failed while draining"

# Undo of the drain (one change, the last made in this console): the real server comes back as it
# was before the drain (weight 1).
key u
if check_rules 10 "u after the drain's removal (the last change made in this console)" "-A $SVC -s rr" "-a $SVC -r $RS1:80 -m -w 5" "-a $SVC -r $RS2:80 -m -w 1"; then
	step "u: $RS2:80 back as before the drain, weight 1"
fi

# --- 4. the audit log: one JSON line per change, in order ----------------------------------------
python3 - "$LOG" "$SVC" "$RS1" "$RS2" <<'PY' || nfail=$((nfail + 1))
import json, sys
log, svc, rs1, rs2 = sys.argv[1:]
lines = open(log, encoding="utf-8").read().splitlines()
entries = [json.loads(l) for l in lines]
want = [
    (f"ipvsadm -A {svc} -s rr", None),
    (f"ipvsadm -a {svc} -r {rs1}:80 -m -w 2", None),
    (f"ipvsadm -a {svc} -r {rs2}:80 -m -w 1", None),
    (f"ipvsadm -e {svc} -r {rs1}:80 -m -w 5", None),
    (f"ipvsadm -e {svc} -r {rs1}:80 -m -w 6", None),
    (f"ipvsadm -e {svc} -r {rs1}:80 -m -w 5", f"ipvsadm -e {svc} -r {rs1}:80 -m -w 6"),
    (f"ipvsadm -e {svc} -r {rs2}:80 -m -w 0", None),
    (f"ipvsadm -d {svc} -r {rs2}:80", None),
    (f"ipvsadm -a {svc} -r {rs2}:80 -m -w 1", f"drain of {rs2}:80 (removed)"),
]
got = [(e["command"], e.get("undo_of")) for e in entries]
bad = [f"{e['command']}: result {e['result']} {e.get('error', '')}" for e in entries if e["result"] != "ok"]
bad += [f"{e['command']}: source {e.get('source')}" for e in entries if e.get("source") != "console"]
show = lambda items: "\n".join(f"      {c}" + (f"   (undo of {u})" if u else "") for c, u in items)
# Up to the drain's removal, and the undo after it, apart: a wrong undo shows as itself.
if got[:8] != want[:8] or bad:
    print(f"  FAIL audit log {log}: the changes up to the drain's removal:\n    got:\n{show(got[:8])}\n    want:\n{show(want[:8])}")
    print("\n".join("    " + b for b in bad))
    sys.exit(1)
print(f"operate: audit log: one JSON line per change up to the drain's removal (8), all ok, source console, the undo of + marked")
if got[8:] != want[8:]:
    print(f"  FAIL audit log {log}: after the drain's removal, u logged:\n{show(got[8:]) or '      nothing'}\n    want:\n{show(want[8:])}")
    sys.exit(1)
print(f"operate: audit log: {len(entries)} lines, one per change, all ok, source console, undos marked")
PY

# L: the audit log pane lists the same changes, newest first.
key L
wait_screen "Audit log [0-9]+ " 10 "L did not open the audit log pane"
screen "$W/audit.pane"
first=$(grep -m1 -Eo 'ipvsadm -[a-zA-Z] .*' "$W/audit.pane" | sed 's/ *$//')
last=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["command"])' "$LOG")
if [ "$first" = "$last" ] && grep -q "ipvsadm -A $SVC -s rr" "$W/audit.pane"; then
	step "L: the audit log pane shows the changes, newest first ($first)"
else
	sed 's/^/    | /' "$W/audit.pane"
	echo "  FAIL L: the audit log pane's first command is '$first', the log's last is '$last' (pane above)"
	nfail=$((nfail + 1))
fi
key Escape

# --- 5. --read-only: every change key refused, none offered --------------------------------------
key q
for i in $(seq 40); do
	[ -e "$W/rc" ] && break
	[ "$i" = 40 ] && { show_screen; lab_fail "q did not end the console"; }
	sleep 0.25
done
snapshot_all() { d ipvsadm -Sn; d ipvsadm -Ln --timeout; d ipvsadm -Ln --daemon; wc -l <"$LOG"; }
snapshot_all >"$W/ro.before"
console --read-only
wait_screen "TCP $VIP:80" 10 "the read-only console does not list the service"
hint_keys "$W/hints.ro.services"
help_keys "$W/help.ro"
key Enter
wait_screen " $RS1:80 " 10 "Enter did not show the real servers in the read-only console"
hint_keys "$W/hints.ro.servers"
for f in hints.ro.services hints.ro.servers help.ro; do
	found=$(change_keys_in "$W/$f")
	if [ -n "$found" ]; then
		echo "  FAIL --read-only: ${f%.*} lists change keys: $found"
		nfail=$((nfail + 1))
	fi
done
[ -z "$(cat "$W"/hints.ro.* "$W/help.ro" | sort -u | change_keys_from_stdin)" ] && step "--read-only: no change key in the hint bar (both panes) nor in the help"
# Every change key in both panes, each followed by what would confirm it, then Esc.
for pane in servers services; do
	for k in $CHANGE_KEYS; do
		text "$k"
		if [ "$k" = X ]; then text flush; fi
		key Enter
		text y
		key Escape
	done
	key Escape # back to the services
done
sleep 3 # more than one poll
snapshot_all >"$W/ro.after"
if cmp -s "$W/ro.before" "$W/ro.after"; then
	step "--read-only: after every change key in both panes, ipvsadm -Sn, timeouts, daemons and the audit log are unchanged"
else
	echo "  FAIL --read-only: something changed:"
	diff -u --label before --label after "$W/ro.before" "$W/ro.after" | sed 's/^/    /' || true
	nfail=$((nfail + 1))
fi
screen "$W/ro.screen"
sed 's/^/    ro | /' "$W/ro.screen" | tail -n 3
tmux kill-session -t $T
[ $nfail = 0 ] || lab_fail "$nfail check(s) failed (FAIL lines above)"
echo "operate OK"
