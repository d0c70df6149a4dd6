#!/usr/bin/env bash
# Lab test (guest side): the doctor on the classic NAT lab: nothing on the correct setup; each
# planted mistake (ip_forward off, VIP not bound, a real server port closed, a real server's
# gateway not the director) named in --json, and its fix repairs it (the gateway through
# `ipvs-tui doctor --fix`); a lone master sync daemon is a hint. (The firewall check on real
# rules: tests/lab/firewall.sh.)
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/setup_doctor_lib.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/setup-doctor.XXXXXX)

lab_nat_topology
lab_nat_servers
lab_ns director ipvsadm -A -t "$VIP:80" -s rr
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS1:80" -m
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS2:80" -m

doctor_expect director ""
lab_ns director "$TUI" doctor | tee "$W/text"
grep -q "doctor: checking this host as nat-director" "$W/text" || lab_fail "the doctor did not recognise a NAT director"
grep -q "doctor: no problem found" "$W/text" || lab_fail "text report of a correct setup"
doctor_expect rs1 "" --role nat-real-server --director "$DIRECTOR_IN"

# 1. ip_forward off on a NAT director.
lab_ns director sysctl -qw net.ipv4.ip_forward=0
doctor_expect director "ip_forward_off"
grep -q '"sysctl -w net.ipv4.ip_forward=1"' "$W/doctor.json" || lab_fail "ip_forward fix"
doctor_fix director
doctor_expect director ""

# 2. The VIP bound nowhere.
ip -n director addr del "$VIP/24" dev out0
doctor_expect director "vip_not_bound"
grep -q "\"ip addr add $VIP/32 dev out0\"" "$W/doctor.json" || lab_fail "VIP fix"
doctor_fix director
doctor_expect director ""
lab_http_get client "http://$VIP/" >/dev/null || lab_fail "HTTP through the VIP after the doctor's fix"

# 3. A real server whose port is closed (nothing listens on 81).
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS2:81" -m
doctor_expect director "real_server_unreachable"
grep -q "real server $RS2:81 of -t $VIP:80 does not answer a TCP connect from this director: Connection refused" "$W/doctor.json" || lab_fail "closed port message"
lab_ns director ipvsadm -d -t "$VIP:80" -r "$RS2:81"

# 4. A NAT real server whose default gateway is not the director: `doctor --fix` replaces the
# route over rtnetlink (audited), then with no default route at all; a gateway on no connected
# subnet is refused in words and changes nothing.
ip -n rs1 route replace default via 10.10.0.99
doctor_expect rs1 "nat_gateway" --role nat-real-server --director "$DIRECTOR_IN"
grep -q "\"ip route replace default via $DIRECTOR_IN\"" "$W/doctor.json" || lab_fail "gateway fix"
lab_ns rs1 "$TUI" --audit-log "$W/audit.log" doctor --fix --role nat-real-server --director "$DIRECTOR_IN" | tee "$W/fix.out" || lab_fail "doctor --fix of the gateway"
grep -q "  ip route replace default via $DIRECTOR_IN" "$W/fix.out" || lab_fail "doctor --fix did not show its command"
ip -n rs1 route show default | tee "$W/route"
grep -q "^default via $DIRECTOR_IN dev " "$W/route" || lab_fail "the default route is not the director after the fix"
[ "$(ip -n rs1 route show default | wc -l)" = 1 ] || lab_fail "the route was added beside the old one, not replaced"
grep -q '"command":"ip route replace default via '"$DIRECTOR_IN"'".*"before":\["ip route replace default via 10.10.0.99 dev eth0"\]' "$W/audit.log" || lab_fail "the audit log lacks the fix and the route it replaced"
doctor_expect rs1 "" --role nat-real-server --director "$DIRECTOR_IN"
for i in 1 2; do lab_http_get client "http://$VIP/" >/dev/null || lab_fail "HTTP through the VIP after the gateway fix"; done
ip -n rs1 route del default
doctor_expect rs1 "nat_gateway" --role nat-real-server --director "$DIRECTOR_IN"
lab_ns rs1 "$TUI" --audit-log "$W/audit.log" doctor --fix --role nat-real-server --director "$DIRECTOR_IN" >/dev/null || lab_fail "doctor --fix without a default route"
ip -n rs1 route show default | grep -q "^default via $DIRECTOR_IN dev " || lab_fail "no default route via the director after the fix"
rc=0
lab_ns rs1 "$TUI" --audit-log "$W/audit.log" doctor --fix --role nat-real-server --director 10.99.0.1 >"$W/fix.out" 2>"$W/fix.err" || rc=$?
cat "$W/fix.err"
# Checked against the host as read before anything is applied: bad input (2), nothing changed.
[ "$rc" = 2 ] || lab_fail "an unreachable gateway: exit status $rc, expected 2"
grep -q "gateway 10.99.0.1 is not on a directly connected subnet of this host" "$W/fix.err" || lab_fail "an unreachable gateway not said in words"
ip -n rs1 route show default | grep -q "^default via $DIRECTOR_IN dev " || lab_fail "a refused fix changed the route"

# 5. A master sync daemon with no backup here: a hint, not a problem (exit 0).
lab_ns director ipvsadm --start-daemon master --mcast-interface in0 --syncid 9
doctor_expect director "sync_one_side"
grep -q "ipvsadm --start-daemon backup --mcast-interface IFACE --syncid 9" "$W/doctor.json" || lab_fail "sync daemon advice"
lab_ns director ipvsadm --stop-daemon master
doctor_expect director ""
echo "setup-doctor OK"
