#!/usr/bin/env bash
# Lab test (guest side): LVS-DR (direct routing, -g), rr over two real servers with the VIP on lo.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"

lab_dr_topology
lab_http_server rs1 "$VIP" 80 rs1 # DR: the real servers serve the VIP itself
lab_http_server rs2 "$VIP" 80 rs2
lab_udp_server rs1 "$VIP" 53 rs1
lab_udp_server rs2 "$VIP" 53 rs2
lab_ns director ipvsadm -A -t "$VIP:80" -s rr
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS1:80" -g
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS2:80" -g
lab_ns director ipvsadm -A -u "$VIP:53" -s rr
lab_ns director ipvsadm -a -u "$VIP:53" -r "$RS1" -g
lab_ns director ipvsadm -a -u "$VIP:53" -r "$RS2" -g

spread=$(lab_http_spread client "http://$VIP/" 6)
[ "$spread" = "rs1=3 rs2=3" ] || lab_fail "rr over HTTP: $spread, expected 3 each"
lab_udp_rr client "$VIP" 53

# The client must have learned the director's MAC for the VIP (ARP suppressed on the real servers).
dmac=$(ip -n director -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
ip -n client neigh show "$VIP" | grep -q "$dmac" || lab_fail "client's ARP entry for $VIP is not the director ($dmac)"

lab_wait_conns director TCP "$VIP:80" 6
lab_wait_conns director UDP "$VIP:53" 4
lab_ns director ipvsadm -Ln --stats
for rs in "$RS1:80" "$RS2:80"; do
	[ "$(lab_conns director '->' "$rs")" = 3 ] || lab_fail "real server $rs: expected 3 connections in --stats"
done
echo "dr OK"
