#!/usr/bin/env bash
# Lab test (guest side): the doctor on the classic DR lab: nothing on the correct setup (director
# and real servers, recognised by their services and the VIP on lo); planted mistakes (arp_ignore
# unset, the VIP missing on a real server's lo, the VIP on a real server's eth0, a DR real server
# off the director's subnet, a TUN real server with tunl0 down and without ipip) named in --json,
# and the fixes offered repair them.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/setup_doctor_lib.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/setup-doctor-dr.XXXXXX)

lab_dr_topology
lab_http_server rs1 0.0.0.0 80 rs1
lab_http_server rs2 0.0.0.0 80 rs2
lab_ns director ipvsadm -A -t "$VIP:80" -s rr
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS1:80" -g
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS2:80" -g

doctor_expect director ""
doctor_expect rs1 ""
doctor_expect rs2 ""
lab_ns rs1 "$TUI" doctor >"$W/text" || true
grep -q "checking this host as dr-real-server" "$W/text" || lab_fail "the doctor did not recognise a DR real server by its VIP on lo"

# 1. arp_ignore unset on a DR real server.
lab_ns rs1 sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.eth0.arp_ignore=0
doctor_expect rs1 "arp_ignore"
grep -q '"sysctl -w net.ipv4.conf.all.arp_ignore=1"' "$W/doctor.json" || lab_fail "arp_ignore fix"
doctor_fix rs1
doctor_expect rs1 ""

# 2. The VIP missing on a DR real server's lo (the role and VIP then come from the flags).
ip -n rs2 addr del "$VIP/32" dev lo
doctor_expect rs2 "vip_missing_on_lo" --role dr-real-server --vip "$VIP"
grep -q "\"ip addr add $VIP/32 dev lo label lo:0\"" "$W/doctor.json" || lab_fail "VIP on lo fix"
doctor_fix rs2
doctor_expect rs2 ""

# 3. The VIP on a DR real server's eth0 as well: it would answer ARP for it.
ip -n rs2 addr add "$VIP/24" dev eth0
doctor_expect rs2 "vip_on_real_interface"
doctor_fix rs2
doctor_expect rs2 ""

# 4. A DR real server off the director's subnet (and so unreachable too).
lab_ns director ipvsadm -a -t "$VIP:80" -r 192.0.2.50:80 -g
doctor_expect director "real_server_not_on_link real_server_unreachable"
lab_ns director ipvsadm -d -t "$VIP:80" -r 192.0.2.50:80
doctor_expect director ""
for i in 1 2; do lab_http_get client "http://$VIP/" >/dev/null || lab_fail "HTTP through the VIP after the fixes"; done

# 5. A TUN real server: tunl0 exists (ipip is loaded) but is down, and has no VIP.
# `doctor --fix` brings tunl0 up over rtnetlink and binds the VIP on it.
doctor_expect rs1 "tunl0_down vip_missing_on_tunl0" --role tun-real-server --vip "$VIP"
grep -q '"ip link set dev tunl0 up"' "$W/doctor.json" || lab_fail "tunl0 fix"
lab_ns rs1 "$TUI" --audit-log "$W/audit.log" doctor --fix --role tun-real-server --vip "$VIP" | tee "$W/fix.out" || lab_fail "doctor --fix of tunl0"
ip -n rs1 link show tunl0 | tee "$W/link"
grep -q "<[^>]*,UP[,>]" "$W/link" || lab_fail "tunl0 is not up after the fix"
ip -n rs1 addr show dev tunl0 | grep -q "inet $VIP/32" || lab_fail "the VIP is not on tunl0 after the fix"
doctor_expect rs1 "" --role tun-real-server --vip "$VIP"
lab_ns rs1 sysctl -qw net.ipv4.conf.all.rp_filter=1
doctor_expect rs1 "rp_filter" --role tun-real-server --vip "$VIP"
doctor_fix rs1
doctor_expect rs1 "" --role tun-real-server --vip "$VIP"

# 6. Without the ipip module there is no tunl0 at all.
ip -n rs1 link set tunl0 down
rmmod ipip || lab_fail "cannot unload ipip"
doctor_expect rs2 "ipip_missing" --role tun-real-server --vip "$VIP"
grep -q "modprobe ipip" "$W/doctor.json" || lab_fail "ipip advice"
echo "setup-doctor-dr OK"
