#!/usr/bin/env bash
# Lab test (guest side): the console in the management namespace on two directors over real
# OpenSSH (`--on lb1 --on lb2`, named in config.toml; see ssh_lib.sh). The directors page lists
# both; a weight changed while on lb2 changes lb2 only, audited on lb2, and `u` undoes it there;
# lb1's sshd killed: lb1 UNREACHABLE with ssh's reason while lb2 stays live; lb1 back when sshd
# returns; no agent left on either once the console quits.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/tmux.sh"
source "$LAB_REPO/tests/lab/ssh_lib.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/fleet_ssh.XXXXXX)
T=h # tmux session
VIP=192.0.2.10

ssh_lab_up
for ns in lb1 lb2; do
	lab_ns $ns ipvsadm -A -t $VIP:80 -s rr
	lab_ns $ns ipvsadm -a -t $VIP:80 -r 10.0.0.2:80 -m -w 3
done

tmux new-session -d -s $T -x 160 -y 40 \
	"ip netns exec mgmt $TUI --audit-log $W/console.log --on lb1 --on lb2; sleep 300"
wait_for "directors  2 in this console" "the directors page did not open"
directors_reachable 2 "both directors not reachable over ssh"
echo "fleet_ssh: both reachable"

tmux send-keys -t $T j Enter
wait_for "ipvs-tui lb2 (lb2, director 2 of 2)" "the header does not name lb2"
tmux send-keys -t $T Enter
sleep 1
tmux send-keys -t $T +
wait_weight lb2 10.0.0.2:80 4 "+ on lb2 did not set weight 4 there"
lab_ns lb1 ipvsadm -Ln | grep -Eq -- '-> 10\.0\.0\.2:80 +Masq +3 ' || lab_fail "lb1's weight changed too"
grep -q "ipvsadm -e -t $VIP:80 -r 10.0.0.2:80 -m -w 4" "$F/lb2/audit.log" || lab_fail "lb2's audit log: $(cat "$F/lb2/audit.log" 2>&1)"
! grep -q -- "-w 4" "$F/lb1/audit.log" 2>/dev/null || lab_fail "lb1 audited lb2's change"
tmux send-keys -t $T u
wait_weight lb2 10.0.0.2:80 3 "u on lb2 did not undo the weight there"
echo "fleet_ssh: change on lb2 OK"

tmux send-keys -t $T V
wait_for "directors  2 in this console" "V did not show the directors page"
ssh_kill_sshd lb1
wait_screen "^ (▸|  ) .*lb1 .*UNREACHABLE .*Connection refused" 30 "lb1 not shown unreachable with ssh's reason"
sleep 3
screen
rows | grep -q "lb2 .*reachable, polled [0-4]s ago" || { cat "$W/screen"; lab_fail "lb2 is not polled while lb1 is down"; }
echo "fleet_ssh: lb1 unreachable, lb2 live"
ssh_start_sshd lb1
directors_reachable 2 "lb1 did not come back after its sshd"
echo "fleet_ssh: lb1 back"
tmux send-keys -t $T q
ssh_no_agents lb1 "after the console quit"
ssh_no_agents lb2 "after the console quit"
tmux kill-server
echo "fleet_ssh OK"
