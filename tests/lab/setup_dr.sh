#!/usr/bin/env bash
# Lab test (guest side): the classic LVS-DR lab built by `ipvs-tui setup --plan`: a DR real-server
# plan in each real-server netns (VIP on lo, ARP sysctls), a director plan in the director netns;
# then curl from the client through the VIP reaches both real servers, and the client's ARP entry
# for the VIP is the director's.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/setup-dr.XXXXXX)

lab_dr_links
# Strict rp_filter, so that the plans have it to change too.
for ns in rs1 rs2; do lab_ns "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=1; done
# Listening on every address: the service answers on the VIP, the doctor's probe on the RIP.
lab_http_server rs1 0.0.0.0 80 rs1
lab_http_server rs2 0.0.0.0 80 rs2

cat >"$W/rs.toml" <<P
role = "dr-real-server"
vip = "$VIP"
interface = "eth0"
P
for ns in rs1 rs2; do
	lab_ns "$ns" "$TUI" --audit-log "$W/audit.log" setup --plan "$W/rs.toml" | tee "$W/$ns.out" || lab_fail "setup of $ns failed"
	grep -q "doctor: no problem found" "$W/$ns.out" || lab_fail "the doctor found problems on $ns"
	grep -q "inet $VIP/32 .*lo:0" <<<"$(ip -n "$ns" -o addr show dev lo)" || lab_fail "$ns: the VIP is not on lo as lo:0"
	for k in all.arp_ignore=1 all.arp_announce=2 lo.arp_ignore=1 lo.arp_announce=2 eth0.arp_ignore=1 eth0.arp_announce=2 all.rp_filter=2; do
		[ "$(lab_ns "$ns" sysctl -n "net.ipv4.conf.${k%=*}")" = "${k#*=}" ] || lab_fail "$ns: net.ipv4.conf.$k not set"
	done
done
grep -q "ip addr add $VIP/32 dev lo label lo:0" "$W/rs1.out" || lab_fail "the real-server plan does not show its VIP command"

cat >"$W/director.toml" <<P
role = "dr-director"
vip = "$VIP"
interface = "eth0"
label = "eth0:vip"
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
printf -- '-A -t %s:80 -s rr\n-a -t %s:80 -r %s:80 -g -w 1\n-a -t %s:80 -r %s:80 -g -w 1\n' "$VIP" "$VIP" "$RS1" "$VIP" "$RS2" >"$W/want.rules"
lab_ns director ipvsadm -Sn | diff -u "$W/want.rules" - || lab_fail "the director's table is not the plan"

spread=$(lab_http_spread client "http://$VIP/" 4)
[ "$spread" = "rs1=2 rs2=2" ] || lab_fail "rr over HTTP: $spread, expected 2 each"
dmac=$(ip -n director -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
grep -q "$dmac" <<<"$(ip -n client neigh show "$VIP")" || lab_fail "client's ARP entry for $VIP is not the director ($dmac)"

# A DR real server on another subnet is refused before anything changes, with the plan's line.
cat >"$W/far.toml" <<P
role = "dr-director"
vip = "$VIP"
interface = "eth0"
[[service]]
port = 8080
[[service.real_server]]
address = "192.0.2.50"
P
rc=0
lab_ns director "$TUI" --audit-log "$W/audit.log" setup --plan "$W/far.toml" >"$W/out" 2>"$W/err" || rc=$?
cat "$W/err"
[ "$rc" = 2 ] || lab_fail "an off-subnet DR real server: exit status $rc, expected 2"
grep -q "far.toml:7: real server 192.0.2.50:8080: not on a subnet directly connected to this director" "$W/err" || lab_fail "off-subnet message"
lab_ns director ipvsadm -Sn | diff -u "$W/want.rules" - || lab_fail "a refused plan changed the table"
# A real server survives a reboot too: its VIP on lo and ARP sysctls, without any IPVS rule.
E=/tmp/etc-rs1
lab_ns rs1 "$TUI" persist --dir "$E" >"$W/persist.out" || lab_fail "persist on rs1"
[ -f "$E/ipvs-tui/rules" ] && [ ! -s "$E/ipvs-tui/rules" ] || lab_fail "rs1: the rules file should exist and be empty"
grep -q '"net.ipv4.conf.all.arp_ignore" = "1"' "$E/ipvs-tui/host.toml" || lab_fail "rs1: host.toml lacks arp_ignore"
grep -q 'label = "lo:0"' "$E/ipvs-tui/host.toml" || lab_fail "rs1: host.toml lacks the VIP on lo"
ip -n rs1 addr del "$VIP/32" dev lo
lab_ns rs1 sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_announce=0
lab_ns rs1 "$TUI" --audit-log "$W/audit.log" restore --boot --dir "$E" | tee "$W/boot.out" || lab_fail "restore --boot on rs1"
grep -q "inet $VIP/32 .*lo:0" <<<"$(ip -n rs1 -o addr show dev lo)" || lab_fail "rs1: restore --boot did not put the VIP back on lo"
[ "$(lab_ns rs1 sysctl -n net.ipv4.conf.all.arp_ignore)" = 1 ] || lab_fail "rs1: restore --boot did not set arp_ignore"
for i in 1 2; do lab_http_get client "http://$VIP/" >/dev/null || lab_fail "HTTP through the VIP after rs1's boot restore"; done
echo "setup-dr OK"
