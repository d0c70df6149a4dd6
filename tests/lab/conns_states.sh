#!/usr/bin/env bash
# Lab test (guest side): connection entries in every state this kernel lets us produce, through
# LVS-NAT: TCP (ESTABLISHED, SYN_RECV, FIN_WAIT, CLOSE_WAIT, TIME_WAIT, CLOSE), UDP, SCTP (when
# the sctp module loads), IPv6, a fwmark service (marked by tc on the director's ingress) and
# persistence templates (TCP, and IP for the fwmark). Prints /proc/net/ip_vs_conn between
# markers (tests/conns_fixture/ip_vs_conn.txt was captured from it), then checks that
# `ipvs-tui conns` reads every line (none malformed) and groups by state as ipvsadm -Lnc does.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
PEERS="$LAB_REPO/tests/lab/conns_peers.py"
W=$(mktemp -d /tmp/conns_states.XXXXXX)
d() { lab_ns director "$@"; }
bg() { "$@" </dev/null >/dev/null 2>&1 & }

lab_nat_topology
lab_nat_servers
# IPv6 beside the IPv4 NAT topology.
VIP6=2001:db8:1::100 RS1_6=2001:db8:2::11 RS2_6=2001:db8:2::12
ip -n client addr add 2001:db8:1::2/64 dev eth0 nodad
ip -n director addr add 2001:db8:1::1/64 dev out0 nodad
ip -n director addr add $VIP6/64 dev out0 nodad
ip -n director addr add 2001:db8:2::1/64 dev in0 nodad
ip -n rs1 addr add $RS1_6/64 dev eth0 nodad
ip -n rs2 addr add $RS2_6/64 dev eth0 nodad
ip -n rs1 -6 route add default via 2001:db8:2::1
ip -n rs2 -6 route add default via 2001:db8:2::1
d sysctl -qw net.ipv6.conf.all.forwarding=1

# TCP servers on the real servers: 81 holds connections, 82 closes them at once.
for rs in rs1 rs2; do
	ip=$([ $rs = rs1 ] && echo "$RS1" || echo "$RS2")
	ip6=$([ $rs = rs1 ] && echo "$RS1_6" || echo "$RS2_6")
	bg lab_ns $rs python3 "$PEERS" serve 4 tcp "$ip" 81 hold
	bg lab_ns $rs python3 "$PEERS" serve 4 tcp "$ip" 82 close
	bg lab_ns $rs python3 "$PEERS" serve 6 tcp "$ip6" 81 hold
	bg lab_ns $rs python3 "$PEERS" serve 4 tcp "$ip" 8000 hold
	lab_wait_listen $rs t 81
	lab_wait_listen $rs t 82
	lab_wait_listen $rs t 8000
done

d ipvsadm -R <<RULES
-A -t $VIP:80 -s rr
-a -t $VIP:80 -r $RS1:80 -m
-a -t $VIP:80 -r $RS2:80 -m
-A -t $VIP:81 -s rr
-a -t $VIP:81 -r $RS1:81 -m
-a -t $VIP:81 -r $RS2:81 -m
-A -t $VIP:82 -s rr
-a -t $VIP:82 -r $RS1:82 -m
-a -t $VIP:82 -r $RS2:82 -m
-A -t $VIP:83 -s rr
-a -t $VIP:83 -r $RS1:83 -m
-A -t $VIP:84 -s rr
-a -t $VIP:84 -r 10.10.0.99:84 -m
-A -t $VIP:85 -s rr -p 120
-a -t $VIP:85 -r $RS1:81 -m
-a -t $VIP:85 -r $RS2:81 -m
-A -u $VIP:53 -s rr
-a -u $VIP:53 -r $RS1:53 -m
-a -u $VIP:53 -r $RS2:53 -m
-A -u $VIP:54 -s rr -p 120 -M 255.255.255.0
-a -u $VIP:54 -r $RS1:53 -m
-A -t [$VIP6]:81 -s rr
-a -t [$VIP6]:81 -r [$RS1_6]:81 -m
-a -t [$VIP6]:81 -r [$RS2_6]:81 -m
-A -f 7 -s rr -p 120
-a -f 7 -r $RS1:8000 -m
-a -f 7 -r $RS2:8000 -m
RULES

# Fwmark 7 for TCP to VIP:8000, set by tc on the director's ingress (no iptables in the guest).
for m in sch_ingress cls_u32 act_skbedit; do modprobe --dirname=/tmp/mods $m; done
d tc qdisc add dev out0 clsact
d tc filter add dev out0 ingress protocol ip prio 1 u32 match ip dst $VIP/32 match ip dport 8000 0xffff action skbedit mark 7

c() { lab_ns client python3 "$PEERS" connect "$@"; }
for i in 1 2 3; do lab_http_get client "http://$VIP/" >/dev/null; done     # TIME_WAIT
bg c 4 tcp $VIP 81 2 hold                                                    # ESTABLISHED
bg c 4 tcp $VIP 81 2 halfclose                                               # client FIN first: CLOSE_WAIT
bg c 4 tcp $VIP 82 2 hold                                                    # server FIN first: FIN_WAIT
bg c 4 tcp $VIP 83 2 brief                                                   # RST from the real server: CLOSE
bg c 4 tcp $VIP 84 2 brief                                                   # no answer at all: SYN_RECV
bg c 4 tcp $VIP 85 2 hold                                                    # persistence template (TCP, NONE)
bg c 6 tcp $VIP6 81 2 hold                                                   # IPv6 ESTABLISHED
bg c 4 tcp $VIP 8000 2 hold                                                  # fwmark: IP template
for i in 1 2; do lab_udp_ask client $VIP 53 >/dev/null; done                 # UDP
lab_udp_ask client $VIP 54 >/dev/null                                        # UDP persistence, /24
# IPv6 UDP.
lab_ns client perl -MIO::Socket::IP -e 'my $s = IO::Socket::IP->new(PeerHost => $ARGV[0], PeerPort => 53, Proto => "udp") or die; $s->send("x")' "$VIP6" || true

# SCTP, when the module loads.
if modprobe --dirname=/tmp/mods sctp 2>/dev/null; then
	d ipvsadm -A --sctp-service $VIP:5000 -s rr
	d ipvsadm -a --sctp-service $VIP:5000 -r $RS1:5000 -m
	d ipvsadm -a --sctp-service $VIP:5000 -r $RS2:5000 -m
	bg lab_ns rs1 python3 "$PEERS" serve 4 sctp "$RS1" 5000 hold
	bg lab_ns rs2 python3 "$PEERS" serve 4 sctp "$RS2" 5000 close
	sleep 1
	bg c 4 sctp $VIP 5000 4 hold
else
	echo "conns_states: note: no sctp module"
fi
sleep 3

echo "@@CONN_TABLE_BEGIN@@"
d cat /proc/net/ip_vs_conn
echo "@@CONN_TABLE_END@@"
d ipvsadm -Lnc
echo "@@IP_VS_BEGIN@@"
d cat /proc/net/ip_vs
echo "@@IP_VS_END@@"

# Every line is read; state counts equal ipvsadm -Lnc's.
d cat /proc/net/ip_vs_conn >"$W/table"
rc=0
"$TUI" conns --file "$W/table" --group-by state --json >"$W/json" 2>"$W/err" || rc=$?
[ $rc = 0 ] || lab_fail "ipvs-tui conns --file exited $rc: $(cat "$W/err")"
python3 - "$W/table" "$W/json" <<'PY' || lab_fail "ipvs-tui conns disagrees with the file (see above)"
import collections, json, sys
lines = open(sys.argv[1]).read().splitlines()[1:]
want = collections.Counter(l.split()[7] for l in lines)
doc = json.load(open(sys.argv[2]))
got = {g["key"]: g["total"] for g in doc["groups"]}
print("conns_states: states", dict(sorted(want.items())))
ok = doc["malformed"] == 0 and doc["lines"] == len(lines) and got == dict(want)
if not ok:
    print("FAIL lines", doc["lines"], "of", len(lines), "malformed", doc["malformed"], "got", got)
sys.exit(0 if ok else 1)
PY
# The UDP service on port 54 masks clients with /24: the lookup of any 203.0.113.x finds its
# template (the netmask comes from /proc/net/ip_vs); a client of another block finds none.
out=$(d "$TUI" conns --persistent client:203.0.113.77 svc:$VIP:54) || lab_fail "conns --persistent client:203.0.113.77 found nothing"
grep -q "^203.0.113.0 .* $RS1:53 " <<<"$out" || lab_fail "persistence lookup through the /24 mask: $out"
echo "conns_states: persistence lookup for 203.0.113.77 (masked /24): $(tail -n 1 <<<"$out")"
if d "$TUI" conns --persistent client:203.0.114.77 >/dev/null 2>&1; then lab_fail "a client outside the /24 found a template"; fi
echo "conns_states OK"
