#!/usr/bin/env bash
# Lab test (guest side): the console on each side of a real VRRP pair (tests/lab/keepalived_lib.sh:
# vr1 priority 150, vr2 priority 100, one bridge). Each console runs from the root namespace with
# --netns: vr1's header shows MASTER, vr2's BACKUP; vr1's keepalived stops, and vr2's console
# flashes the change and its header shows MASTER, while vr1's keeps its last state marked STALE.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/keepalived_lib.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/keepalived-failover.XXXXXX)
source "$LAB_REPO/tests/lab/tmux.sh"
mkdir -p "$KA"

ka_vrrp_pair
for ns in vr1 vr2; do
	tmux new-session -d -s "$ns" -x 160 -y 48 "$TUI --netns $ns; echo \$? >$W/rc-$ns; sleep 300"
done

T=vr1
wait_screen "VRRP VI_PAIR MASTER since [0-9:]+ UTC · keepalived read" 30 "vr1's console shows MASTER"
T=vr2
wait_screen "VRRP VI_PAIR BACKUP since [0-9:]+ UTC · keepalived read" 30 "vr2's console shows BACKUP"
echo "console: vr1 MASTER, vr2 BACKUP"

# vr1's keepalived stops (it sends priority 0 first): vr2 takes over within a few adverts; its
# console learns it at its next read (every 10 s), flashes the change and shows MASTER.
ka_stop vr1
ka_wait_log vr2 'VI_PAIR.*Entering MASTER STATE' 15
wait_screen "VRRP VI_PAIR: BACKUP → MASTER" 25 "vr2's console flashes the role change"
grep -Eq "VRRP VI_PAIR MASTER since [0-9:]+ UTC" "$W/screen" ||
	{ show_screen; lab_fail "vr2's header does not show MASTER beside the flash"; }
grep -E "VRRP" "$W/screen"
echo "console: vr2 MASTER after vr1 stopped"

# vr1's console: no keepalived any more; the last state stays, marked with its age and why.
T=vr1
wait_screen "VRRP VI_PAIR MASTER since .* keepalived STALE, read [0-9]+s ago; failed [0-9]+s ago: no keepalived runs in this network namespace" 25 \
	"vr1's console keeps its last state, marked stale"
echo "console: vr1 stale after its keepalived stopped"

for ns in vr1 vr2; do
	T=$ns
	key q
	for i in $(seq 20); do [ -s "$W/rc-$ns" ] && break; sleep 0.25; done
	[ "$(cat "$W/rc-$ns" 2>/dev/null)" = 0 ] || lab_fail "the console of $ns did not quit cleanly"
	tmux kill-session -t "$ns"
done
ka_stop vr2
echo "keepalived-failover OK"
