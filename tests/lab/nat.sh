#!/usr/bin/env bash
# Lab test (guest side): LVS-NAT, rr over two masqueraded real servers, TCP (HTTP) and UDP.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"

lab_nat_topology
lab_nat_servers
lab_ns director ipvsadm -A -t "$VIP:80" -s rr
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS1:80" -m
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS2:80" -m
lab_ns director ipvsadm -A -u "$VIP:53" -s rr
lab_ns director ipvsadm -a -u "$VIP:53" -r "$RS1:53" -m
lab_ns director ipvsadm -a -u "$VIP:53" -r "$RS2:53" -m

declare -A seen=([rs1]=0 [rs2]=0)
for i in 1 2 3 4 5 6; do
	body=$(lab_http_get client "http://$VIP/") || lab_fail "HTTP request $i to $VIP failed"
	echo "HTTP $i: $body"
	seen[$body]=$((${seen[$body]:-0} + 1))
done
[ "${seen[rs1]}" = 3 ] && [ "${seen[rs2]}" = 3 ] || lab_fail "rr over HTTP: rs1 ${seen[rs1]}x, rs2 ${seen[rs2]}x, expected 3 each"

udp=""
for i in 1 2 3 4; do udp+="$(lab_udp_ask client "$VIP" 53) "; done
echo "UDP: $udp"
[ "$udp" = "rs1 rs2 rs1 rs2 " ] || [ "$udp" = "rs2 rs1 rs2 rs1 " ] || lab_fail "rr over UDP answered: $udp"

lab_wait_conns director TCP "$VIP:80" 6
lab_wait_conns director UDP "$VIP:53" 4
lab_ns director ipvsadm -Ln --stats
for rs in "$RS1:80" "$RS2:80"; do
	[ "$(lab_conns director '->' "$rs")" = 3 ] || lab_fail "real server $rs: expected 3 connections in --stats"
done
echo "nat OK"
