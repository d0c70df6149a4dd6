#!/usr/bin/env bash
# Lab test (guest side): two directors as network namespaces lb1 and lb2, each with its own IPVS
# table. `ipvs-tui compare netns:lb1 netns:lb2` finds a planted difference (a weight, a missing
# real server); the console opened on both (their agents started through `exec:` targets, each
# in its own UTS namespace so that it greets with its own host name) shows the directors page,
# changes a weight on lb2 only, audited on lb2, and undoes it there; lb1's agent killed and not
# restartable: lb1 UNREACHABLE with the reason while lb2 stays live; lb1 back when it can be;
# the compare view in the console; no agent left once the console quits.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/tmux.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/fleet.XXXXXX)
T=f # tmux session
VIP=192.0.2.10

lab_netns lb1 lb2
for ns in lb1 lb2; do
	lab_ns $ns ipvsadm -A -t $VIP:80 -s rr
	lab_ns $ns ipvsadm -a -t $VIP:80 -r 10.0.0.2:80 -m -w 1
done
lab_ns lb1 ipvsadm -a -t $VIP:80 -r 10.0.0.3:80 -m -w 1 # missing on lb2
lab_ns lb2 ipvsadm -e -t $VIP:80 -r 10.0.0.2:80 -m -w 5 # a weight that differs

# compare: exit 1, the lines as ipvsadm -Sn writes them.
set +e
"$TUI" compare netns:lb1 netns:lb2 >"$W/cmp" 2>&1
rc=$?
set -e
cat "$W/cmp"
[ "$rc" = 1 ] || lab_fail "compare exited $rc, not 1 (they differ)"
cat >"$W/cmp.want" <<WANT
only on netns:lb1:
  -a -t $VIP:80 -r 10.0.0.3:80 -m -w 1
different settings:
  netns:lb1  -a -t $VIP:80 -r 10.0.0.2:80 -m -w 1
  netns:lb2  -a -t $VIP:80 -r 10.0.0.2:80 -m -w 5
WANT
diff -u "$W/cmp.want" "$W/cmp" || lab_fail "compare printed something else"
"$TUI" compare netns:lb1 netns:lb1 >"$W/same" || lab_fail "compare of lb1 with itself exited $?"
grep -qx "netns:lb1 and netns:lb1 hold the same rules" "$W/same" || lab_fail "$(cat "$W/same")"
"$TUI" compare netns:lb1 netns:lb2 --json >"$W/json" || [ $? = 1 ] || lab_fail "compare --json exited $?"
grep -q '"equal":false' "$W/json" || lab_fail "compare --json: $(cat "$W/json")"
echo "fleet: compare OK"

# Each director's agent: in its netns, named after it, auditing into W; its pid in W (exec keeps
# it); refusing to start while W/down.NS exists (a director that cannot be reached).
cat >"$W/agent.sh" <<AGENT
#!/bin/sh
[ -e "$W/down.\$1" ] && { echo "\$1 is down" >&2; exit 1; }
echo \$\$ >"$W/\$1.pid"
exec ip netns exec "\$1" unshare -u sh -c "hostname \$1 && exec $TUI agent --audit-log $W/\$1.log"
AGENT
chmod +x "$W/agent.sh"
tmux new-session -d -s $T -x 160 -y 40 \
	"$TUI --audit-log $W/console.log --on 'exec:$W/agent.sh lb1' --on 'exec:$W/agent.sh lb2'; sleep 300"
wait_for "directors  2 in this console" "the directors page did not open"
directors_reachable 2 "both directors not reachable"
rows | grep -q "lb1 .*exec:$W/agent.sh lb1" || { cat "$W/screen"; lab_fail "no row for lb1"; }
rows | grep -q "lb2 .*exec:$W/agent.sh lb2" || { cat "$W/screen"; lab_fail "no row for lb2"; }
grep -q "1 services, 2 real servers" "$W/screen" && grep -q "1 services, 1 real servers" "$W/screen" ||
	{ cat "$W/screen"; lab_fail "the rows do not count lb1's 2 and lb2's 1 real servers"; }
echo "fleet: directors page OK"

# c: the compare view of the two, as compare printed it (names: the hosts the agents greet with).
tmux send-keys -t $T c
wait_for "compare lb1 with lb2" "c did not open the compare view"
for line in "only on lb1:" "  -a -t $VIP:80 -r 10.0.0.3:80 -m -w 1" "different settings:" \
	"  lb1  -a -t $VIP:80 -r 10.0.0.2:80 -m -w 1" "  lb2  -a -t $VIP:80 -r 10.0.0.2:80 -m -w 5"; do
	sed 's/ *$//' "$W/screen" >"$W/trimmed"
	grep -qxF -- " $line" "$W/trimmed" || { cat "$W/screen"; lab_fail "the compare view lacks \"$line\""; }
done
tmux send-keys -t $T c
wait_for "directors  2 in this console" "c did not go back to the directors page"
echo "fleet: compare view OK"

# lb2: Enter, the real servers, + raises 10.0.0.2's weight on lb2 only, audited there; u undoes it.
tmux send-keys -t $T j Enter
wait_for "ipvs-tui lb2 (exec:$W/agent.sh lb2, director 2 of 2)" "the header does not name lb2"
tmux send-keys -t $T Enter
sleep 1
tmux send-keys -t $T +
wait_weight lb2 10.0.0.2:80 6 "+ on lb2 did not set weight 6 there"
lab_ns lb1 ipvsadm -Ln | grep -Eq -- '-> 10\.0\.0\.2:80 +Masq +1 ' || lab_fail "lb1's weight changed too"
grep -q "ipvsadm -e -t $VIP:80 -r 10.0.0.2:80 -m -w 6" "$W/lb2.log" || lab_fail "lb2's audit log: $(cat "$W/lb2.log" 2>&1)"
! grep -q -- "-w 6" "$W/lb1.log" 2>/dev/null || lab_fail "lb1 audited lb2's change"
tmux send-keys -t $T u
wait_weight lb2 10.0.0.2:80 5 "u on lb2 did not undo the weight there"
echo "fleet: change on lb2 OK"

# lb1's agent killed, and no new one can start: lb1 unreachable with the reason, lb2 live.
tmux send-keys -t $T V
wait_for "directors  2 in this console" "V did not show the directors page"
touch "$W/down.lb1"
kill "$(cat "$W/lb1.pid")"
wait_for "UNREACHABLE" "lb1 did not show as unreachable"
# First the link lost, then (retried after 1 s) why no agent starts: its last line of stderr.
wait_screen "^ (▸|  ) .*lb1 .*UNREACHABLE .*: lb1 is down \(it ended" 30 "lb1's row does not say why it cannot be reached"
sleep 3
screen
rows | grep -q "lb2 .*reachable, polled [0-4]s ago" || { cat "$W/screen"; lab_fail "lb2 is not polled while lb1 is down"; }
rm "$W/down.lb1"
directors_reachable 2 "lb1 did not come back"
echo "fleet: lb1 back"
# An agent's command line ends in its audit log, W/lb1.log or W/lb2.log.
agents() { grep -lE "$W/lb[12]\.log" /proc/[0-9]*/cmdline 2>/dev/null || true; }
[ "$(agents | wc -l)" = 2 ] || lab_fail "expected the 2 agents while the console runs, found: $(agents)"
tmux send-keys -t $T q
# Closing the console leaves no agent running: none of W's agents is left after it.
for i in $(seq 50); do
	left=$(agents)
	[ -z "$left" ] && break
	[ "$i" = 50 ] && lab_fail "agents still running after q: $left"
	sleep 0.2
done
tmux kill-server
echo "fleet OK"
