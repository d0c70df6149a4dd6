#!/usr/bin/env bash
# Lab test (guest side): a sync daemon pair. The NAT director ("director") runs the master sync
# daemon, a second director lb2 the backup, linked by a veth pair; two connections held open
# through the director's VIP are synced to lb2. The console opened on both shows the pair's sync
# health, and its numbers agree with `ipvsadm -Lnc` on each side; lb2's connections pane (read
# through its agent) counts what `ipvsadm -Lnc` lists there.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/fleet_sync.XXXXXX)
T=s # tmux session

lab_nat_topology
lab_netns lb2
lab_veth director sync0 lb2 sync0
ip -n director addr add 10.20.0.1/24 dev sync0
ip -n lb2 addr add 10.20.0.2/24 dev sync0
lab_ping lb2 10.20.0.1
for rs in rs1 rs2; do
	ip=$([ $rs = rs1 ] && echo "$RS1" || echo "$RS2")
	lab_http_server $rs "$ip" 80 $rs
	# 4 MiB fetched at 4 KiB/s below: connections ESTABLISHED for minutes.
	head -c 4194304 /dev/zero >"/tmp/lab-www/$rs-80/big"
done
for ns in director lb2; do
	lab_ns $ns ipvsadm -A -t "$VIP:80" -s rr
	lab_ns $ns ipvsadm -a -t "$VIP:80" -r "$RS1:80" -m -w 1
	lab_ns $ns ipvsadm -a -t "$VIP:80" -r "$RS2:80" -m -w 1
done
lab_ns director ipvsadm --start-daemon master --mcast-interface sync0 --syncid 1
lab_ns lb2 ipvsadm --start-daemon backup --mcast-interface sync0 --syncid 1

for i in 1 2; do
	lab_ns client curl -s -o /dev/null --limit-rate 4k "http://$VIP/big" &
	sleep 0.5
done
# ipvsadm -Lnc's entries of VIP:80 in NS (no templates here: no persistence).
entries() { lab_ns "$1" ipvsadm -Lnc | awk -v v="$VIP:80" '$5 == v' | wc -l; }
for i in $(seq 100); do
	[ "$(entries director)" = 2 ] && [ "$(entries lb2)" = 2 ] && break
	[ "$i" = 100 ] && { lab_ns director ipvsadm -Lnc; lab_ns lb2 ipvsadm -Lnc; lab_fail "the 2 connections did not reach lb2's table"; }
	sleep 0.3
done
echo "fleet_sync: synced ($(entries director) on the master, $(entries lb2) on the backup)"

cat >"$W/agent.sh" <<AGENT
#!/bin/sh
exec ip netns exec "\$1" unshare -u sh -c "hostname \$1 && exec $TUI agent --audit-log $W/\$1.log"
AGENT
chmod +x "$W/agent.sh"
tmux new-session -d -s $T -x 160 -y 40 \
	"$TUI --audit-log $W/console.log --on 'exec:$W/agent.sh director' --on 'exec:$W/agent.sh lb2'; sleep 300"
for i in $(seq 100); do
	tmux capture-pane -p -t $T >"$W/screen"
	grep -q "sync (syncid 1): lb2 holds" "$W/screen" && grep -q "reachable, polled .*sync backup syncid 1 sync0" "$W/screen" && break
	[ "$i" = 100 ] && { cat "$W/screen"; lab_fail "no sync health on the directors page within 30 s"; }
	sleep 0.3
done
cat "$W/screen"
m=$(entries director) b=$(entries lb2)
want="sync (syncid 1): lb2 holds $((b * 100 / m))% of director's connections ($b of $m)"
grep -qF "$want" "$W/screen" || lab_fail "the page does not say \"$want\" (ipvsadm -Lnc: $m on director, $b on lb2)"
grep -q "director .*sync master syncid 1 sync0" "$W/screen" || lab_fail "the master's sync daemon is not shown"
! grep -q "SYNC SILENT" "$W/screen" || lab_fail "a working pair raised SYNC SILENT"

# lb2's connections pane, counted there by its agent: what `ipvsadm -Lnc` holds on lb2, and
# its rows on screen.
tmux send-keys -t $T j Enter
sleep 1
tmux send-keys -t $T c
b=$(entries lb2)
for i in $(seq 100); do
	tmux capture-pane -p -t $T >"$W/screen"
	grep -q "Connections  TCP $VIP:80 $b matched" "$W/screen" && break
	[ "$i" = 100 ] && { cat "$W/screen"; lab_ns lb2 ipvsadm -Lnc; lab_fail "lb2's connections pane does not count its $b entries"; }
	sleep 0.3
done
cat "$W/screen"
grep -q "^ ipvs-tui lb2 " "$W/screen" || lab_fail "the connections pane is not lb2's"
shown=$(grep -cE "^ TCP [0-9.]+:[0-9]+ +$VIP:80 " "$W/screen" || true)
[ "$shown" = "$b" ] || lab_fail "lb2's pane shows $shown rows, ipvsadm -Lnc there $b"
echo "fleet_sync: lb2's connections pane counts $b, as ipvsadm -Lnc there"
tmux send-keys -t $T q
sleep 1
tmux kill-server
echo "fleet_sync OK"
