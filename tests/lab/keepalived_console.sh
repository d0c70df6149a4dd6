#!/usr/bin/env bash
# Lab test (guest side): the console in tmux beside a real keepalived on the NAT lab's director.
# The owner column and the VRRP role in the header; a real server's daemon stopped: DEAD on the
# keepalived page (K, r refreshes); a weight changed on a keepalived real server: the guard
# asks, Esc applies nothing, the second Enter applies, the drift shows on the page and the
# audit log records it. A VIP on kube-ipvs0: owner kube-proxy, and the same guard.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/keepalived_lib.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/keepalived-console.XXXXXX)
T=ka
source "$LAB_REPO/tests/lab/tmux.sh"
mkdir -p "$KA"

lab_nat_topology
ka_http rs1 "$RS1" rs1
ka_http rs2 "$RS2" rs2
ka_director_conf
ka_start director director
ka_wait_log director 'Activating healthchecker for service \[10.10.0.11\]:none:80' 10
# A service as kube-proxy makes it: its VIP on the kube-ipvs0 dummy interface.
KUBE_VIP=10.96.0.10
modprobe --dirname=/tmp/mods dummy || lab_fail "no dummy module" # tests/lab/guest-init.sh made /tmp/mods
ip -n director link add kube-ipvs0 type dummy
ip -n director addr add "$KUBE_VIP/32" dev kube-ipvs0
lab_ns director ipvsadm -A -t "$KUBE_VIP:443" -s rr
lab_ns director ipvsadm -a -t "$KUBE_VIP:443" -r "$RS2:443" -m -w 1

tmux new-session -d -s $T -x 160 -y 48 \
	"ip netns exec director $TUI --audit-log $W/audit.log; echo \$? >$W/rc; sleep 300"
wait_screen "TCP $VIP:80 +rr +keepalived" 30 "the services pane names keepalived as the owner"
wait_screen "VRRP VI_LAB (MASTER|BACKUP) since .* keepalived read" 20 "the header shows the VRRP role"
echo "console: owner column and VRRP role shown"
grep -E "VRRP" "$W/screen"

# The real servers of VIP:80 (filtered to it), with keepalived's health beside the kernel's weight.
key /
text "$VIP:80"
key Enter Enter
wait_screen " $RS1:80 +Masq +3 +3 alive" 10 "rs1 alive, keepalived's weight beside the kernel's"

# rs1's daemon stops: keepalived marks it dead (and takes it out of the kernel); the page says so.
ka_http_stop rs1
key K
for i in $(seq 10); do
	key r
	sleep 1
	screen
	grep -Eq -- "-> $RS1:80 +DEAD +1/1 checkers failed" "$W/screen" && break
done
wait_screen "-> $RS1:80 +DEAD +1/1 checkers failed \(TCP_CHECK\)" 5 "the keepalived page shows rs1 dead"
echo "console: rs1 dead on the keepalived page"

# rs2_weight: the kernel's weight of rs2 in VIP:80 (rs2 is in VIP2:80 too).
rs2_weight() {
	lab_ns director ipvsadm -Ln | awk -v v="TCP $VIP:80" -v r="$RS2:80" '$1 " " $2 == v { s = 1; next }
		$1 == "TCP" || $1 == "UDP" || $1 == "FWM" { s = 0 } s && $2 == r { print $4 }'
}

# rs2, the one row left: + asks first (keepalived's sentence); Esc applies nothing; asked again,
# the second Enter applies.
key Escape
wait_screen "^ Real servers 1 " 10 "rs1 left the kernel's table"
key +
wait_screen "TCP $VIP:80 is managed by keepalived: apply anyway\?" 5 "the guard asks first"
wait_screen "keepalived manages this: a change made here stays only until" 1 "the guard says what keepalived will do"
key Escape
wait_gone "is managed by keepalived" 5 "Esc closes the guard"
sleep 1
[ "$(rs2_weight)" = 2 ] || lab_fail "the weight changed after Esc"
grep -q -- "-r $RS2:80" "$W/audit.log" 2>/dev/null && lab_fail "the audit log records a change cancelled by Esc"
key +
wait_screen "TCP $VIP:80 is managed by keepalived: apply anyway\?" 5 "the guard asks again after Esc"
[ "$(rs2_weight)" = 2 ] ||
	lab_fail "the weight changed before the second Enter"
key Enter
wait_screen "applied: ipvsadm -e -t $VIP:80 -r $RS2:80 -m -w 3" 10 "the second Enter applies"
[ "$(rs2_weight)" = 3 ] ||
	lab_fail "rs2's kernel weight is not 3"

# The drift, on the page after a fresh read; the audit log has the change.
key K r
wait_screen "$RS2:80: weight 3 in the kernel, 2 for keepalived" 10 "the drift shows"
wait_screen "keepalived keeps the kernel's weight until this server's next checker transition" 1 "what keepalived will do"
grep -q "ipvsadm -e -t $VIP:80 -r $RS2:80 -m -w 3" "$W/audit.log" || { cat "$W/audit.log"; lab_fail "the audit log lacks the change"; }
echo "console: guard, Esc, second Enter, drift and audit"

# A VIP on kube-ipvs0 (made before the console started): owner kube-proxy in the services pane;
# + on its real server shows kube-proxy's sentence; Esc applies nothing; the second Enter applies.
kube_weight() {
	lab_ns director ipvsadm -Ln -t "$KUBE_VIP:443" | awk -v r="$RS2:443" '$2 == r { print $4 }'
}
# Back to the unfiltered tables one Escape at a time: under load two Escapes sent close together
# can reach the console as one key sequence.
for _ in 1 2 3 4 5; do
	key Escape
	screen
	grep -Eq "^ Services [0-9]+ " "$W/screen" && ! grep -q 'filter "' "$W/screen" && break
done
wait_screen "TCP $KUBE_VIP:443 +rr +kube-proxy" 10 "the services pane names kube-proxy as the owner"
key /
text "$KUBE_VIP:443"
key Enter Enter
wait_screen " $RS2:443 +Masq +1 " 10 "the kube-proxy service's real server"
key +
wait_screen "TCP $KUBE_VIP:443 is managed by kube-proxy: apply anyway\?" 5 "the guard asks before a change to kube-proxy's service"
wait_screen "kube-proxy manages this: it will rewrite or delete this change at its next sync" 1 "the guard says what kube-proxy will do"
key Escape
wait_gone "is managed by kube-proxy" 5 "Esc closes the guard"
sleep 1
[ "$(kube_weight)" = 1 ] || lab_fail "kube-proxy's real server changed after Esc: $(kube_weight)"
grep -q "$KUBE_VIP" "$W/audit.log" && lab_fail "the audit log records a change cancelled by Esc"
key +
wait_screen "TCP $KUBE_VIP:443 is managed by kube-proxy: apply anyway\?" 5 "the guard asks again"
[ "$(kube_weight)" = 1 ] || lab_fail "the weight changed before the second Enter"
key Enter
wait_screen "applied: ipvsadm -e -t $KUBE_VIP:443 -r $RS2:443 -m -w 2" 10 "the second Enter applies"
[ "$(kube_weight)" = 2 ] || lab_fail "kube-proxy's real server is not at weight 2: $(kube_weight)"
grep -q "ipvsadm -e -t $KUBE_VIP:443 -r $RS2:443 -m -w 2" "$W/audit.log" || { cat "$W/audit.log"; lab_fail "the audit log lacks the kube-proxy change"; }
echo "console: kube-proxy owner, guard, Esc, second Enter"

key Escape q
for i in $(seq 20); do [ -s "$W/rc" ] && break; sleep 0.25; done
[ "$(cat "$W/rc" 2>/dev/null)" = 0 ] || lab_fail "the console did not quit cleanly"
tmux kill-session -t $T
ka_stop director
echo "keepalived-console OK"
