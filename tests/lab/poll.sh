#!/usr/bin/env bash
# Lab (guest side) for tests/kernel/poll.rs: 250 services x 2 real servers and two fwmark services
# (one mark, both families) in the director, HTTP traffic through three of them, then the test
# binary's guest half (the incremental poll against full snapshots and ipvsadm) runs in the
# director. 250 is past the size whose full snapshots run in place (200), so that a poll of the
# known table (in place up to 2,000) is compared with snapshots read on the blocking pool.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
EXE=${POLL_TEST_EXE:?POLL_TEST_EXE is not set}
W=$(mktemp -d /tmp/poll.XXXXXX)
d() { lab_ns director "$@"; }

lab_nat_topology
lab_http_server rs1 "$RS1" 80 rs1
lab_http_server rs2 "$RS2" 80 rs2
for p in $(seq 8001 8050) $(seq 9001 9200); do
	echo "-A -t $VIP:$p -s rr"
	echo "-a -t $VIP:$p -r $RS1:80 -m -w 1"
	echo "-a -t $VIP:$p -r $RS2:80 -m -w 1"
done >"$W/rules"
d ipvsadm -R <"$W/rules"
d ipvsadm -A -f 7 -s rr
d ipvsadm -a -f 7 -r "$RS1:80" -m
d ipvsadm -A -f 7 -6 -s rr
d ipvsadm -a -f 7 -6 -r "[2001:db8::11]:80" -m
[ "$(d ipvsadm -Ln | grep -c '^TCP')" = 250 ] || lab_fail "ipvsadm -R did not load 250 services"

(
	n=0
	while [ ! -e "$W/stop" ]; do
		lab_ns client curl -s -o /dev/null --max-time 5 "http://$VIP:$((8001 + n % 3))/" || true
		n=$((n + 1))
		sleep 0.1
	done
	echo "poll: the traffic loop made $n requests"
	touch "$W/stopped"
) &
trap 'touch "$W/stop"' EXIT
lab_ns client curl -s --max-time 5 "http://$VIP:8001/" | grep -q rs || lab_fail "no answer through $VIP:8001"

out=$(d env POLL_GUEST_DIR="$W" VIP="$VIP" RS1="$RS1" RS2="$RS2" "$EXE" --exact poll::guest_half --ignored --nocapture --test-threads=1 2>&1) || {
	echo "$out"
	lab_fail "the guest half failed"
}
grep -o 'poll: .*' <<<"$out"
grep -q '1 passed' <<<"$out" || { echo "$out"; lab_fail "the guest half did not run"; }
wait
echo "poll OK"
