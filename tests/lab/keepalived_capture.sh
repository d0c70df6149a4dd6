#!/usr/bin/env bash
# Lab test (guest side): real keepalived on the NAT lab's director and a VRRP pair; prints the
# dump files keepalived writes on SIGUSR1 (and the JSON signal) for the host side to parse.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/keepalived_lib.sh"
mkdir -p "$KA"
v=$(keepalived --version 2>&1)
echo "${v%%$'\n'*}"
echo "DATA=$(keepalived --signum=DATA) JSON=$(keepalived --signum=JSON)"

lab_nat_topology
ka_http rs1 "$RS1" rs1
ka_http rs2 "$RS2" rs2
ka_director_conf
ka_start director director
ka_wait_log director 'VI_LAB.*Entering MASTER STATE' 15
sleep 2
lab_ns director ipvsadm -Ln
ka_dump director
ka_print director keepalived.data keepalived_check.data
kill -"$(keepalived --signum=JSON)" "$(ka_pid director)"
sleep 1
ls -l "$KA/director"
ka_print director keepalived.json

ka_http_stop rs1
sleep 3
lab_ns director ipvsadm -Ln
ka_dump director
cp "$KA/director/keepalived_check.data" "$KA/director/keepalived_check.rs1-down.data"
ka_print director keepalived_check.rs1-down.data

ka_vrrp_pair
ka_dump vr1 keepalived.data
ka_dump vr2 keepalived.data
ka_print vr1 keepalived.data
ka_print vr2 keepalived.data
tail -n 30 "$KA/director/log"
echo "keepalived-capture OK"
