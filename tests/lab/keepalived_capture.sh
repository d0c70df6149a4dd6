#!/usr/bin/env bash
# Lab test (guest side): real keepalived on the NAT lab's director and a VRRP pair; prints the
# dump files keepalived writes on SIGUSR1 (and the JSON signal), and the lines it writes to its
# notify FIFOs (a real server down and up again; a VRRP failover), for the host side to parse.
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
export KA_GLOBALS="lvs_notify_fifo $KA/director/lvs.fifo
	vrrp_notify_fifo $KA/director/vrrp.fifo"
export KA_PAIR_GLOBALS="vrrp_notify_fifo $KA/@NS@/vrrp.fifo"
ka_director_conf
ka_start director director
# What keepalived writes before anyone reads waits in the FIFO: the capture has it too.
ka_fifo_capture director lvs.fifo lvs.fifo.lines
ka_fifo_capture director vrrp.fifo vrrp.fifo.lines
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
ka_http rs1 "$RS1" rs1
ka_wait_log director 'TCP connection to \[10.10.0.11\]:tcp:80 success' 10
sleep 1
ka_fifo_capture_stop director lvs.fifo.lines
ka_fifo_capture_stop director vrrp.fifo.lines
ka_print director lvs.fifo.lines vrrp.fifo.lines

ka_vrrp_pair
ka_dump vr1 keepalived.data
ka_dump vr2 keepalived.data
ka_print vr1 keepalived.data
ka_print vr2 keepalived.data
ka_fifo_capture vr2 vrrp.fifo vrrp.fifo.lines
ka_stop vr1
ka_wait_log vr2 'VI_PAIR.*Entering MASTER STATE' 15
sleep 0.5
ka_fifo_capture_stop vr2 vrrp.fifo.lines
ka_print vr2 vrrp.fifo.lines
tail -n 30 "$KA/director/log"
echo "keepalived-capture OK"
