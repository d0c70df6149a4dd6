#!/usr/bin/env bash
# Lab test (guest side): a planted split brain. Two directors lb1 and lb2 (network namespaces),
# each with the same IPVS service and a real keepalived whose VRRP instance VI_1 has no link to
# the other's: both become MASTER and both bind the VIP. The console on both (agents started
# through `exec:` targets) shows both alarms on the directors page and in the tables' header.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/tmux.sh"
source "$LAB_REPO/tests/lab/keepalived_lib.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/fleet_alarms.XXXXXX)
T=a # tmux session
VIP=192.0.2.100

lab_netns lb1 lb2
for ns in lb1 lb2; do
	# Each on its own veth, whose other end in the root netns is bridged to nothing: VRRP
	# adverts reach nobody, so each elects itself.
	lab_veth $ns eth0 - $ns-port
	ip -n $ns addr add 10.30.0.$([ $ns = lb1 ] && echo 1 || echo 2)/24 dev eth0
	lab_ns $ns ipvsadm -A -t $VIP:80 -s rr
	lab_ns $ns ipvsadm -a -t $VIP:80 -r 10.30.0.10:80 -m -w 1
	mkdir -p "$KA/$ns"
	cat >"$KA/$ns/keepalived.conf" <<C
global_defs {
	router_id $ns
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 100
	advert_int 1
	virtual_ipaddress {
		$VIP/32 dev eth0
	}
}
C
	ka_start $ns $ns -P
done
ka_wait_log lb1 'VI_1.*Entering MASTER STATE' 15
ka_wait_log lb2 'VI_1.*Entering MASTER STATE' 15
for ns in lb1 lb2; do
	for i in $(seq 50); do
		lab_ns $ns ip -o addr show dev eth0 | grep -q " $VIP/32 " && break
		[ "$i" = 50 ] && { lab_ns $ns ip -o addr; tail -n 20 "$KA/$ns/log"; lab_fail "$ns has not bound $VIP"; }
		sleep 0.2
	done
done
echo "fleet_alarms: two masters, the VIP bound twice"

cat >"$W/agent.sh" <<AGENT
#!/bin/sh
exec ip netns exec "\$1" unshare -u sh -c "hostname \$1 && exec $TUI agent --audit-log $W/\$1.log"
AGENT
chmod +x "$W/agent.sh"
tmux new-session -d -s $T -x 160 -y 40 \
	"$TUI --audit-log $W/console.log --on 'exec:$W/agent.sh lb1' --on 'exec:$W/agent.sh lb2'; sleep 300"
# keepalived is asked at once, then every 10 s; the host every third poll.
wait_for "TWO MASTERS: VRRP instance VI_1 is MASTER on lb1 and lb2" "no double-master alarm on the page"
wait_for "VIP TWICE: $VIP is bound on lb1 and lb2" "no VIP alarm on the page"
grep -q "lb1 .*VRRP MASTER VI_1" "$W/screen" && grep -q "lb2 .*VRRP MASTER VI_1" "$W/screen" ||
	{ cat "$W/screen"; lab_fail "the rows do not show both VRRP roles"; }
cat "$W/screen"
tmux send-keys -t $T Enter
wait_for "ALARM TWO MASTERS: VRRP instance VI_1 is MASTER on lb1 and lb2 (+1 more): V shows the directors" "no alarm in the tables' header"
tmux send-keys -t $T q
sleep 1
tmux kill-server
for ns in lb1 lb2; do ka_stop $ns; done
echo "fleet_alarms OK"
