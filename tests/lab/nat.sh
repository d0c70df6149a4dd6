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

spread=$(lab_http_spread client "http://$VIP/" 6)
[ "$spread" = "rs1=3 rs2=3" ] || lab_fail "rr over HTTP: $spread, expected 3 each"
lab_udp_rr client "$VIP" 53

lab_wait_conns director TCP "$VIP:80" 6
lab_wait_conns director UDP "$VIP:53" 4
lab_ns director ipvsadm -Ln --stats
for rs in "$RS1:80" "$RS2:80"; do
	[ "$(lab_conns director '->' "$rs")" = 3 ] || lab_fail "real server $rs: expected 3 connections in --stats"
done
echo "nat OK"
