#!/usr/bin/env bash
# Lab test (guest side): real TCP (HTTP) and UDP traffic through LVS-NAT, then ipvs-tui's counters,
# rates and connection counts compared with ipvsadm's, read in the same estimator window; then
# `ipvs-tui zero SERVICE` and `ipvs-tui zero`.
# The kernel (6.1) refreshes the listed counters and rates on 2 s estimator ticks: each comparison
# reads ipvsadm, ipvs-tui, ipvsadm right after each other and passes when ipvs-tui's text equals
# one of the two ipvsadm readings; it retries (a tick fell in between) and fails after 8 tries.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/traffic.XXXXXX)
nfail=0
fail() { nfail=$((nfail + 1)); echo "  FAIL $*"; }
d() { lab_ns director "$@"; }

HTTP_N=10 # requests, rr over 2 real servers: 5 each
UDP_N=8   # datagrams from fresh sockets: 4 each

lab_nat_topology
lab_nat_servers
d ipvsadm -R <<EOF
-A -t $VIP:80 -s rr
-a -t $VIP:80 -r $RS1:80 -m -w 1
-a -t $VIP:80 -r $RS2:80 -m -w 1
-A -u $VIP:53 -s rr
-a -u $VIP:53 -r $RS1:53 -m -w 1
-a -u $VIP:53 -r $RS2:53 -m -w 1
EOF

spread=$(lab_http_spread client "http://$VIP/" $HTTP_N)
echo "traffic: HTTP answered by $spread"
[ "$spread" = "rs1=$((HTTP_N / 2)) rs2=$((HTTP_N / 2))" ] || lab_fail "rr over HTTP: $spread, expected $((HTTP_N / 2)) each"
udp=""
for i in $(seq $UDP_N); do udp+="$(lab_udp_ask client "$VIP" 53) "; done
echo "traffic: UDP answers: $udp"
[ "$(grep -o rs1 <<<"$udp" | wc -l)" = $((UDP_N / 2)) ] && [ "$(grep -o rs2 <<<"$udp" | wc -l)" = $((UDP_N / 2)) ] ||
	lab_fail "rr over UDP answered: $udp"

# The estimator copies the counters every 2 s: wait until all the traffic shows.
lab_wait_conns director TCP "$VIP:80" $HTTP_N
lab_wait_conns director UDP "$VIP:53" $UDP_N
d ipvsadm -Ln --stats --exact

# Counters are non-zero and both real servers got their share, as ipvsadm reports them.
d ipvsadm -Ln --stats --exact >"$W/stats"
awk -v vip="$VIP" -v rs1="$RS1" -v rs2="$RS2" -v hn=$HTTP_N -v un=$UDP_N '
	$1 == "TCP" || $1 == "UDP" { svc = $1; n = ($1 == "TCP") ? hn : un
		if ($3 != n) { print "FAIL " svc " " $2 ": Conns " $3 ", expected " n; bad = 1 }
		for (i = 4; i <= 7; i++) if ($i + 0 == 0) { print "FAIL " svc " " $2 ": counter " i - 2 " is 0: " $0; bad = 1 }
	}
	$1 == "->" && $2 ~ /^10\./ { n = ((svc == "TCP") ? hn : un) / 2
		if ($3 != n) { print "FAIL " svc " real server " $2 ": Conns " $3 ", expected " n; bad = 1 }
		for (i = 4; i <= 7; i++) if ($i + 0 == 0) { print "FAIL " svc " real server " $2 ": counter " i - 2 " is 0: " $0; bad = 1 }
		rs++
	}
	END { if (rs != 4) { print "FAIL expected 4 real server lines, saw " rs; bad = 1 }; exit bad }
' "$W/stats" || lab_fail "ipvsadm's counters after the traffic are not as expected (see above)"

# Phase 2, so that every column has something to show: a persistent service (PersistConn) and a
# connection held open (ActiveConn).
for rs in rs1 rs2; do
	ip=$([ $rs = rs1 ] && echo "$RS1" || echo "$RS2")
	lab_http_server $rs "$ip" 8080 $rs
done
d ipvsadm -A -t "$VIP:8080" -s rr -p 60
d ipvsadm -a -t "$VIP:8080" -r "$RS1:8080" -m
d ipvsadm -a -t "$VIP:8080" -r "$RS2:8080" -m
p=""
for i in 1 2 3 4; do p+="$(lab_http_get client "http://$VIP:8080/") "; done
echo "traffic: persistent service answers: $p"
[ "$p" = "rs1 rs1 rs1 rs1 " ] || [ "$p" = "rs2 rs2 rs2 rs2 " ] || lab_fail "persistence: answers $p, expected one server"
(sleep 120 | ip netns exec client busybox nc "$VIP" 80 >/dev/null 2>&1) &
for i in $(seq 50); do
	d ipvsadm -Ln --persistent-conn >"$W/pc"
	# "-> addr Weight PersistConn ActiveConn InActConn": wait for a template and an active connection
	awk '$1 == "->" && $3 + 0 > 0 { p = 1 } $1 == "->" && $4 + 0 > 0 { a = 1 } END { exit !(p && a) }' "$W/pc" && break
	[ "$i" = 50 ] && { cat "$W/pc"; lab_fail "no PersistConn and ActiveConn both above 0 after 10 s"; }
	sleep 0.2
done
lab_wait_conns director TCP "$VIP:8080" 4
d ipvsadm -Ln --persistent-conn

# same_window LABEL ARGS...: ipvs-tui list ARGS equals ipvsadm -Ln ARGS read in the same window.
same_window() {
	local label=$1 try rc
	shift
	for try in $(seq 8); do
		d ipvsadm -Ln "$@" >"$W/a1" 2>&1 || true
		rc=0
		d "$TUI" list "$@" >"$W/t" 2>"$W/t.err" || rc=$?
		d ipvsadm -Ln "$@" >"$W/a2" 2>&1 || true
		if [ "$rc" -ne 0 ]; then
			fail "$label: ipvs-tui list $* exited $rc: $(head -c 400 "$W/t.err")"
			return
		fi
		if cmp -s "$W/a1" "$W/t" || cmp -s "$W/a2" "$W/t"; then
			echo "traffic: $label: same as ipvsadm (try $try)"
			return
		fi
		sleep 0.3
	done
	fail "$label: ipvs-tui list $* never agreed with ipvsadm -Ln $* in 8 tries; last:"
	diff -u --label "ipvsadm -Ln $*" --label "ipvs-tui list $*" "$W/a2" "$W/t" | head -n 60 | sed 's/^/    | /' || true
}

same_window "stats exact" --stats --exact
same_window "stats" --stats
same_window "rate exact" --rate --exact
same_window "rate" --rate
same_window "connections" --exact
same_window "persistent-conn" --persistent-conn
same_window "persistent-conn exact" --persistent-conn --exact
same_window "thresholds" --thresholds
same_window "TCP service stats exact" -t "$VIP:80" --stats --exact
same_window "UDP service rate exact" -u "$VIP:53" --rate --exact

# --json: counters, rates and connection counts equal ipvsadm's in the same window.
cat >"$W/json_stats.py" <<'PY'
# json_stats.py STATS RATE CONNS JSON: list --json against -Ln --stats --exact, --rate --exact and
# -Ln --persistent-conn.
import ipaddress, json, sys
stats_f, rate_f, conns_f, json_f = sys.argv[1:5]
def ap(s):
    a, _, p = s[1:].partition("]:") if s.startswith("[") else s.rpartition(":")
    return str(ipaddress.ip_address(a)), int(p)
def table(path, fields, cols):
    out, svc = {}, None
    for line in open(path):
        t = line.split()
        if not t or "RemoteAddress" in line or "LocalAddress" in line or t[0] == "IP":
            continue
        if t[0] in ("TCP", "UDP", "SCTP"):
            svc = (t[0].lower(),) + ap(t[1])
            key = svc
        elif t[0] == "->":
            key = svc + ap(t[1])
        else:
            continue
        if len(t) <= max(cols):
            continue
        out[key] = dict(zip(fields, (int(t[c]) for c in cols)))
    return out
want = {}
for path, fields, cols in ((stats_f, ("conns", "inpkts", "outpkts", "inbytes", "outbytes"), (2, 3, 4, 5, 6)),
                           (rate_f, ("cps", "inpps", "outpps", "inbps", "outbps"), (2, 3, 4, 5, 6))):
    for k, v in table(path, fields, cols).items():
        want.setdefault(k, {}).update(v)
# -Ln --persistent-conn: "-> addr:port Weight PersistConn ActiveConn InActConn"
for k, v in table(conns_f, ("persist_conns", "active_conns", "inact_conns"), (3, 4, 5)).items():
    if len(k) == 5:
        want[k].update(v)
doc = json.load(open(json_f))
got = {}
for s in doc["services"]:
    k = s["key"]
    sk = (k["protocol"], str(ipaddress.ip_address(k["addr"])), k["port"])
    got[sk] = dict(s["stats"])
    for dd in s["dests"]:
        g = dict(dd["stats"])
        for f in ("persist_conns", "active_conns", "inact_conns"):
            g[f] = dd[f]
        got[sk + (str(ipaddress.ip_address(dd["addr"])), dd["port"])] = g
errors = []
for k, w in want.items():
    g = got.get(k)
    if g is None:
        errors.append(f"{k}: missing in --json")
        continue
    for f, v in w.items():
        if g.get(f) != v:
            errors.append(f"{k}: {f} = {g.get(f)!r}, ipvsadm says {v}")
if set(got) != set(want):
    errors.append(f"--json lists {sorted(set(got) - set(want))} that ipvsadm does not")
print("\n".join(errors))
sys.exit(1 if errors else 0)
PY
json_ok=no
for try in $(seq 8); do
	d ipvsadm -Ln --stats --exact >"$W/s1"
	d ipvsadm -Ln --rate --exact >"$W/r1"
	d ipvsadm -Ln --persistent-conn >"$W/c1"
	rc=0
	d "$TUI" list --json >"$W/json" 2>"$W/json.err" || rc=$?
	d ipvsadm -Ln --stats --exact >"$W/s2"
	d ipvsadm -Ln --rate --exact >"$W/r2"
	if [ "$rc" -ne 0 ]; then
		fail "ipvs-tui list --json exited $rc: $(head -c 400 "$W/json.err")"
		json_ok=error
		break
	fi
	if cmp -s "$W/s1" "$W/s2" && cmp -s "$W/r1" "$W/r2"; then # no estimator tick in between
		if python3 "$W/json_stats.py" "$W/s1" "$W/r1" "$W/c1" "$W/json" >"$W/json.diff" 2>&1; then
			json_ok=yes
			echo "traffic: list --json counters, rates and connections: same as ipvsadm (try $try)"
		else
			json_ok=no
		fi
		break
	fi
	sleep 0.3
done
if [ "$json_ok" = no ]; then
	fail "ipvs-tui list --json disagrees with ipvsadm (or no quiet estimator window in 8 tries):"
	sed 's/^/    | /' "$W/json.diff" 2>/dev/null || true
fi

# zero SERVICE clears that service and its real servers only; zero clears everything.
# zero_lines FILE: "SERVICE LINE-ADDRESS SUM-OF-COUNTERS" for each service and real server line.
zero_lines() { awk '$1 == "TCP" || $1 == "UDP" { svc = $1 "/" $2 } ($1 == "TCP" || $1 == "UDP" || $1 == "->") && $2 !~ /Remote/ { print svc, $2, $3 + $4 + $5 + $6 + $7 }' "$1"; }
d ipvsadm -Ln --stats --exact >"$W/z0"
zero_lines "$W/z0" >"$W/z0.sum"
rc=0
d "$TUI" zero -t "$VIP:80" >"$W/out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || fail "ipvs-tui zero -t $VIP:80 exited $rc: $(head -c 400 "$W/out")"
d ipvsadm -Ln --stats --exact >"$W/z1"
zero_lines "$W/z1" >"$W/z1.sum"
# (the others: as before; only the lines of TCP VIP:80 must have changed, to 0)
if awk -v z="TCP/$VIP:80" 'NR == FNR { before[$1 " " $2] = $3; next }
	$1 == z && $3 != 0 { bad = 1 } $1 != z && $3 != before[$1 " " $2] { bad = 1 } END { exit bad }' "$W/z0.sum" "$W/z1.sum"; then
	echo "traffic: zero -t $VIP:80: that service and its real servers at 0, the others untouched"
else
	fail "after ipvs-tui zero -t $VIP:80 (TCP $VIP:80 and its servers should be all 0, the others as before):"
	sed 's/^/    | before: /' "$W/z0"
	sed 's/^/    | /' "$W/z1"
fi
same_window "stats exact after zero -t" --stats --exact
rc=0
d "$TUI" zero >"$W/out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || fail "ipvs-tui zero exited $rc: $(head -c 400 "$W/out")"
d ipvsadm -Ln --stats --exact >"$W/z2"
zero_lines "$W/z2" >"$W/z2.sum"
if awk '$3 != 0 { bad = 1 } END { exit bad }' "$W/z2.sum"; then
	echo "traffic: zero: every counter at 0"
else
	fail "after ipvs-tui zero, counters are not all 0:"
	sed 's/^/    | /' "$W/z2"
fi
same_window "stats exact after zero" --stats --exact

if [ "$nfail" -ne 0 ]; then
	echo "traffic: $nfail checks FAILED"
	exit 1
fi
echo "traffic OK"
