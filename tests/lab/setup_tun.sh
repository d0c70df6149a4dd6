#!/usr/bin/env bash
# Lab test (guest side): LVS-TUN built by plans: a TUN real-server plan in each real-server netns
# (VIP on tunl0, ARP sysctls, rp_filter 0 on all and tunl0), a TUN director plan (-i) in the
# director netns; curl from the client through the VIP reaches both real servers, which answer
# the client directly.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/setup-tun.XXXXXX)

lab_dr_links # one L2 segment; TUN only needs the real servers routed
# Strict rp_filter, so that the plans have it to change too.
for ns in rs1 rs2; do lab_ns "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=1; done
lab_http_server rs1 0.0.0.0 80 rs1
lab_http_server rs2 0.0.0.0 80 rs2

cat >"$W/rs.toml" <<P
role = "tun-real-server"
vip = "$VIP"
interface = "eth0"
P
# tunl0 is there (the ipip module is loaded) but down: the plan says so and changes nothing.
rc=0
lab_ns rs1 "$TUI" --audit-log "$W/audit.log" setup --plan "$W/rs.toml" >"$W/out" 2>"$W/err" || rc=$?
cat "$W/err"
[ "$rc" = 2 ] || lab_fail "a TUN real server with tunl0 down: exit status $rc, expected 2"
grep -q "rs.toml:1: tunl0 is down: bring it up (ip link set tunl0 up), then run the plan again" "$W/err" || lab_fail "tunl0 down message"
[ "$(lab_ns rs1 sysctl -n net.ipv4.conf.all.arp_ignore)" = 0 ] || lab_fail "a refused plan changed a sysctl"

for ns in rs1 rs2; do
	ip -n "$ns" link set tunl0 up
	lab_ns "$ns" "$TUI" --audit-log "$W/audit.log" setup --plan "$W/rs.toml" | tee "$W/$ns.out" || lab_fail "setup of $ns failed"
	grep -q "doctor: no problem found" "$W/$ns.out" || lab_fail "the doctor found problems on $ns"
	grep -q "inet $VIP/32" <<<"$(ip -n "$ns" -o addr show dev tunl0)" || lab_fail "$ns: the VIP is not on tunl0"
	for k in all.rp_filter=0 tunl0.rp_filter=0 all.arp_ignore=1 all.arp_announce=2; do
		[ "$(lab_ns "$ns" sysctl -n "net.ipv4.conf.${k%=*}")" = "${k#*=}" ] || lab_fail "$ns: net.ipv4.conf.$k not set"
	done
done

cat >"$W/director.toml" <<P
role = "tun-director"
vip = "$VIP"
interface = "eth0"
[[service]]
port = 80
scheduler = "rr"
[[service.real_server]]
address = "$RS1"
[[service.real_server]]
address = "$RS2"
P
lab_ns director "$TUI" --audit-log "$W/audit.log" setup --plan "$W/director.toml" | tee "$W/director.out" || lab_fail "setup of the director failed"
grep -q "doctor: no problem found" "$W/director.out" || lab_fail "the doctor found problems on the director"
printf -- '-A -t %s:80 -s rr\n-a -t %s:80 -r %s:80 -i -w 1 --tun-type ipip\n-a -t %s:80 -r %s:80 -i -w 1 --tun-type ipip\n' "$VIP" "$VIP" "$RS1" "$VIP" "$RS2" >"$W/want.rules"
lab_ns director ipvsadm -Sn | diff -u "$W/want.rules" - || lab_fail "the director's table is not the plan"

spread=$(lab_http_spread client "http://$VIP/" 4)
[ "$spread" = "rs1=2 rs2=2" ] || lab_fail "rr over HTTP: $spread, expected 2 each"
echo "setup-tun OK"
