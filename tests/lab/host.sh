#!/usr/bin/env bash
# Lab test (guest side): `ipvs-tui vip`, `sysctl` and `host` against the real kernel in the DR
# topology's namespaces: VIPs on a veth and on lo (with a label) checked with `ip -o addr`,
# sysctls checked with `sysctl -n`, read_state() (`host --json`) checked against `ip -j addr` and
# `ip -j route`, bad input refused with the exact message and nothing changed, and every change
# in the audit log.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/host.XXXXXX)
L=/tmp/audit.log
fail() { echo "FAIL: $*"; exit 1; }
nfail=0
bad() { echo "  FAIL $*"; nfail=$((nfail + 1)); }

lab_dr_topology
# Something for the route comparison: a gateway route and IPv6 on the director.
ip -n director route add 10.99.0.0/16 via "$RS1"
ip -n director -6 addr add 2001:db8::1/64 dev eth0 nodad
ip -n director -6 route add default via 2001:db8::11
ip -n director route add unreachable 10.98.0.0/16

# tui NS WANT-STATUS ARGS...: ipvs-tui ARGS in netns NS with the test log; stdout in $W/out,
# stderr in $W/err.
tui() {
	local ns=$1 want=$2 rc=0
	shift 2
	lab_ns "$ns" "$TUI" --audit-log "$L" "$@" </dev/null >"$W/out" 2>"$W/err" || rc=$?
	[ "$rc" = "$want" ] || bad "[$ns] ipvs-tui $*: exit status $rc, expected $want; stderr: $(head -c 300 "$W/err")"
	if [ "$want" = 0 ] && [ -s "$W/err" ]; then bad "[$ns] ipvs-tui $*: wrote to stderr: $(head -c 300 "$W/err")"; fi
	return 0
}
# refused NS WANT-STATUS 'EXPECTED STDERR' ARGS...: exits WANT-STATUS with exactly that stderr.
refused() {
	local ns=$1 want=$2 msg=$3
	shift 3
	tui "$ns" "$want" "$@"
	[ "$(cat "$W/err")" = "$msg" ] || bad "[$ns] ipvs-tui $*: stderr is
$(cat "$W/err")
    expected
$msg"
}
# has_addr NS DEV 'inet 198.51.100.200/32 ... eth0:1' : `ip -o addr show dev DEV` has a line matching the ERE.
# (grep without -q: quitting early would kill ip with SIGPIPE, a failure under pipefail)
has_addr() { lab_ns "$1" ip -o addr show dev "$2" | grep -E "$3" >/dev/null; }
sysval() { lab_ns "$1" sysctl -n "$2" | tr '\t' ' '; }
# The state bad input must not change: addresses and every LVS sysctl of the namespace.
state() { lab_ns "$1" ip -o addr; lab_ns "$1" sysctl -a 2>/dev/null | grep -E '^net\.ipv4\.(ip_forward|vs\.|conf\..*\.(arp_ignore|arp_announce|rp_filter))' || true; }

# --- VIPs on a veth (the director's eth0, with a label, and IPv6) and on lo (a real server) ---
tui director 0 vip add 198.51.100.200 dev eth0 label eth0:1
has_addr director eth0 'inet 198\.51\.100\.200/32 .*eth0:1' || bad "vip add on eth0: not in ip -o addr: $(lab_ns director ip -o addr show dev eth0)"
tui director 0 vip add 2001:db8::200 dev eth0
has_addr director eth0 'inet6 2001:db8::200/128 ' || bad "vip add 2001:db8::200 on eth0: not in ip -o addr"
tui rs1 0 vip add 198.51.100.201/32 dev lo label lo:0
has_addr rs1 lo 'inet 198\.51\.100\.201/32 .*lo:0' || bad "vip add on lo: not in ip -o addr: $(lab_ns rs1 ip -o addr show dev lo)"
echo "host: vips bound: $(lab_ns director ip -o addr show dev eth0 | grep -c 200/) on director eth0, $(lab_ns rs1 ip -o addr show dev lo | grep -c 201/) on rs1 lo"

# The kernel's refusals: exit 1, in words, audited.
refused director 1 "ipvs-tui: address 198.51.100.200/32 is already on eth0" vip add 198.51.100.200/32 dev eth0
tui director 0 vip del 198.51.100.200 dev eth0
has_addr director eth0 '198\.51\.100\.200/' && bad "vip del on eth0: still in ip -o addr"
refused director 1 "ipvs-tui: address 198.51.100.200/32 is not on eth0" vip del 198.51.100.200 dev eth0
tui director 0 vip del 2001:db8::200/128 dev eth0
has_addr director eth0 '2001:db8::200/' && bad "vip del 2001:db8::200: still in ip -o addr"
tui rs1 0 vip del 198.51.100.201 dev lo
has_addr rs1 lo '198\.51\.100\.201/' && bad "vip del on lo: still in ip -o addr"
has_addr director eth0 "inet $VIP/24" || bad "the topology's VIP $VIP/24 vanished from the director's eth0"

# --- sysctls: set in the director, read back with sysctl -n ---
tui director 0 sysctl net.ipv4.ip_forward=1 net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2 net.ipv4.vs.sync_threshold=3\ 60
for want in net.ipv4.ip_forward=1 net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2 "net.ipv4.vs.sync_threshold=3 60"; do
	got=$(sysval director "${want%%=*}")
	[ "$got" = "${want#*=}" ] || bad "sysctl ${want%%=*}: sysctl -n says $got, expected ${want#*=}"
done
tui rs1 0 sysctl net.ipv4.conf.lo.arp_ignore=1 net.ipv4.conf.lo.arp_announce=2
[ "$(sysval rs1 net.ipv4.conf.lo.arp_ignore)/$(sysval rs1 net.ipv4.conf.lo.arp_announce)" = 1/2 ] || bad "rs1 lo arp sysctls not set"
echo "host: sysctls set: director ip_forward=$(sysval director net.ipv4.ip_forward) all.arp_ignore=$(sysval director net.ipv4.conf.all.arp_ignore) eth0.arp_announce=$(sysval director net.ipv4.conf.eth0.arp_announce) sync_threshold=$(sysval director net.ipv4.vs.sync_threshold)"

# The list: every name with the value sysctl -n gives, and the JSON form.
tui director 0 sysctl
cp "$W/out" "$W/sysctl.txt"
tui director 0 sysctl --json
cp "$W/out" "$W/sysctl.json"
python3 - "$W" <<'PY' || nfail=$((nfail + 1))
import json, subprocess, sys
w = sys.argv[1]
rows = json.load(open(f"{w}/sysctl.json"))
text = open(f"{w}/sysctl.txt").read().splitlines()
bad = 0
def fail(m):
    global bad
    bad += 1
    print("  FAIL sysctl list: " + m)
if len(rows) != len(text):
    fail(f"{len(rows)} JSON rows but {len(text)} text lines")
names = [r["name"] for r in rows]
for need in ["net.ipv4.ip_forward", "net.ipv4.conf.all.arp_ignore", "net.ipv4.conf.lo.arp_announce", "net.ipv4.conf.eth0.rp_filter", "net.ipv4.vs.conntrack", "net.ipv4.vs.expire_nodest_conn", "net.ipv4.vs.sloppy_tcp", "net.ipv4.vs.sync_threshold", "net.ipv4.vs.conn_reuse_mode"]:
    if need not in names:
        fail(f"{need} not listed")
for r, line in zip(rows, text):
    real = subprocess.run(["ip", "netns", "exec", "director", "sysctl", "-n", r["name"]], capture_output=True, text=True)
    want = " ".join(real.stdout.split()) if real.returncode == 0 else None
    if r["value"] != want:
        fail(f"{r['name']}: listed {r['value']!r}, sysctl -n says {want!r}")
    if not r["explanation"] or not r["allowed"].startswith("must be"):
        fail(f"{r['name']}: no explanation or allowed values: {r}")
    if line.split()[0] != r["name"] or r["explanation"] not in line:
        fail(f"text line {line!r} does not match {r}")
if not bad:
    print(f"host: sysctl lists {len(rows)} sysctls, each with the value sysctl -n gives and an explanation")
sys.exit(1 if bad else 0)
PY

# --- bad input: the exact message, exit 2, nothing changed ---
state director >"$W/state.before"
refused director 2 "ipvs-tui: interface eth9 does not exist; nothing was changed" vip add 198.51.100.9 dev eth9
refused director 2 "ipvs-tui: interface eth9 does not exist; nothing was changed" vip del 198.51.100.9 dev eth9
refused director 2 'ipvs-tui: VIP "198.51.100.9/33": the prefix must be a whole number from 1 to 32 for an IPv4 address' vip add 198.51.100.9/33 dev eth0
refused director 2 'ipvs-tui: label "lo:0": must be the interface name, '"':'"' and a suffix, 15 characters at most, e.g. eth0:0' vip add 198.51.100.9 dev eth0 label lo:0
refused director 2 'ipvs-tui: vip del: takes no label: an address is removed whatever its label' vip del "$VIP/24" dev eth0 label eth0:1
refused director 2 'ipvs-tui: sysctl "net.ipv4.tcp_syncookies": not an LVS sysctl that ipvs-tui knows; `ipvs-tui sysctl` lists them
ipvs-tui: nothing was changed' sysctl net.ipv4.tcp_syncookies=0
# A good assignment before a bad one: neither is applied.
refused director 2 'ipvs-tui: sysctl "net.ipv4.conf.lo.arp_announce=5": the value must be a whole number from 0 to 2
ipvs-tui: nothing was changed' sysctl net.ipv4.conf.all.arp_ignore=2 net.ipv4.conf.lo.arp_announce=5
refused director 2 'ipvs-tui: sysctl "net.ipv4.ip_forward=2": the value must be 0 or 1
ipvs-tui: sysctl "net.ipv4.vs.sync_threshold=60 50": the value must be two whole numbers THRESHOLD PERIOD, the threshold below the period (or the period 0), e.g. 3 50
ipvs-tui: nothing was changed' sysctl net.ipv4.ip_forward=2 net.ipv4.vs.sync_threshold=60\ 50
refused director 2 'ipvs-tui: sysctl net.ipv4.conf.eth9.arp_ignore does not exist on this host
ipvs-tui: nothing was changed' sysctl net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.eth9.arp_ignore=1
state director >"$W/state.after"
diff -u "$W/state.before" "$W/state.after" >/dev/null || bad "bad input changed the director: $(diff -u "$W/state.before" "$W/state.after")"
echo "host: bad input refused with exit status 2 and the exact message; addresses and sysctls unchanged"

# --- read_state() against ip -j, in three namespaces ---
tui rs1 0 vip add 198.51.100.201/32 dev lo label lo:0
for ns in director rs1 root; do
	run() { if [ "$ns" = root ]; then "$@"; else lab_ns "$ns" "$@"; fi; }
	run "$TUI" host --json >"$W/host.$ns.json" 2>"$W/err" || bad "[$ns] ipvs-tui host --json failed: $(cat "$W/err")"
	run ip -d -j addr >"$W/ip-addr.$ns.json"
	run ip -j route >"$W/ip-route.$ns.json"
	run ip -6 -j route >"$W/ip-route6.$ns.json"
	python3 - "$W" "$ns" <<'PY' || nfail=$((nfail + 1))
import ipaddress, json, sys
w, ns = sys.argv[1], sys.argv[2]
host = json.load(open(f"{w}/host.{ns}.json"))
ip_links = json.load(open(f"{w}/ip-addr.{ns}.json"))
bad = 0
def fail(m):
    global bad
    bad += 1
    print(f"  FAIL [{ns}] read_state vs ip -j: {m}")
def norm(a):
    return str(ipaddress.ip_address(a))
want_links = []
for l in ip_links:
    kind = (l.get("linkinfo") or {}).get("info_kind") or ("loopback" if l.get("link_type") == "loopback" else None)
    addrs = [(norm(a["local"]), a["prefixlen"], a["label"] if a.get("label") not in (None, l["ifname"]) else None) for a in l.get("addr_info", [])]
    want_links.append((l["ifindex"], l["ifname"], "UP" in l["flags"], kind, addrs))
got_links = [(l["index"], l["name"], l["up"], l["kind"], [(norm(a["addr"]), a["prefix"], a["label"]) for a in l["addrs"]]) for l in host["links"]]
if got_links != want_links:
    fail("links differ:\n    got  " + "\n         ".join(map(str, got_links)) + "\n    want " + "\n         ".join(map(str, want_links)))
want_routes = []
for fam, file in ((4, "ip-route"), (6, "ip-route6")):
    for r in json.load(open(f"{w}/{file}.{ns}.json")):
        d = r["dst"]
        if d == "default":
            dst, prefix = ("0.0.0.0" if fam == 4 else "::"), 0
        elif "/" in d:
            dst, prefix = d.split("/")[0], int(d.split("/")[1])
        else:
            dst, prefix = d, 32 if fam == 4 else 128
        want_routes.append((norm(dst), prefix, norm(r["gateway"]) if "gateway" in r else None, r.get("dev")))
got_routes = [(norm(r["dst"]), r["prefix"], norm(r["gateway"]) if r["gateway"] else None, r["dev"]) for r in host["routes"]]
if got_routes != want_routes:
    fail("routes differ:\n    got  " + "\n         ".join(map(str, got_routes)) + "\n    want " + "\n         ".join(map(str, want_routes)))
if not any(r[2] for r in want_routes) and ns == "director":
    fail("the director should have gateway routes to compare")
if not bad:
    n_addrs = sum(len(l[4]) for l in got_links)
    print(f"host: [{ns}] read_state = ip -j: {len(got_links)} links, {n_addrs} addresses, {len(got_routes)} routes")
sys.exit(1 if bad else 0)
PY
done

# --- vip list: services' VIPs and where they are bound ---
lab_ns director ipvsadm -A -t "$VIP:80" -s rr
lab_ns director ipvsadm -A -u "$VIP:53"
lab_ns director ipvsadm -A -t 198.51.100.250:443
lab_ns director ipvsadm -A -f 7
tui director 0 vip list
cp "$W/out" "$W/vips.txt"
want="VIP             BOUND ON                SERVICES
198.51.100.100  eth0/24                 TCP 198.51.100.100:80, UDP 198.51.100.100:53
198.51.100.250  NOT BOUND on this host  TCP 198.51.100.250:443"
[ "$(cat "$W/vips.txt")" = "$want" ] || bad "vip list:
$(cat "$W/vips.txt")
    expected
$want"
tui director 0 vip add 198.51.100.250 dev lo label lo:250
tui director 0 vip list --json
python3 -c '
import json, sys
b = {x["vip"]: x for x in json.load(open(sys.argv[1]))}
assert b["198.51.100.250"]["bound"] == [{"dev": "lo", "prefix": 32, "label": "lo:250"}], b
assert b["198.51.100.100"]["bound"] == [{"dev": "eth0", "prefix": 24, "label": None}], b
' "$W/out" || bad "vip list --json after binding 198.51.100.250 on lo: $(cat "$W/out")"
echo "host: vip list marks the unbound VIP, then shows it on lo:250 once bound"

# --- a kernel refusal in the middle of several sysctls: the ones before it are undone ---
# (in the root netns; lo's rp_filter made read-only by a read-only bind mount of itself)
P=/proc/sys/net/ipv4/conf/lo/rp_filter
mount --bind "$P" "$P" && mount -o remount,bind,ro "$P" || fail "cannot make $P read-only"
old="$(sysctl -n net.ipv4.ip_forward) $(sysctl -n net.ipv4.conf.all.rp_filter) $(sysctl -n net.ipv4.conf.lo.rp_filter)"
rc=0
"$TUI" --audit-log "$L" sysctl net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.lo.rp_filter=1 </dev/null >"$W/out" 2>"$W/err" || rc=$?
[ $rc = 1 ] || bad "sysctl with a read-only third name: exit status $rc, expected 1"
want_err="ipvs-tui: sysctl -w net.ipv4.conf.lo.rp_filter=1: cannot set net.ipv4.conf.lo.rp_filter: /proc/sys is mounted read-only here (as in many containers)
ipvs-tui: undid the 2 change(s) before it; every sysctl is as it was"
[ "$(cat "$W/err")" = "$want_err" ] || bad "sysctl with a read-only third name: stderr is
$(cat "$W/err")
    expected
$want_err"
now="$(sysctl -n net.ipv4.ip_forward) $(sysctl -n net.ipv4.conf.all.rp_filter) $(sysctl -n net.ipv4.conf.lo.rp_filter)"
[ "$now" = "$old" ] || bad "sysctl rollback: ip_forward, all.rp_filter, lo.rp_filter are $now, were $old"
umount "$P"
echo "host: a refused third sysctl undid the two before it ($(cat "$W/err" | head -1))"
export ROOT_OLD=$old

# --- without privilege: refused in one sentence, exit 1 ---
mkdir -m 777 /tmp/nobody
nobody() { lab_ns director setpriv --reuid=65534 --regid=65534 --clear-groups "$TUI" --audit-log /tmp/nobody/audit.log "$@"; }
for args in "vip add 198.51.100.77 dev eth0|permission denied: adding an address needs root or CAP_NET_ADMIN" \
	"vip del $VIP/24 dev eth0|permission denied: removing an address needs root or CAP_NET_ADMIN" \
	"sysctl net.ipv4.ip_forward=0|sysctl -w net.ipv4.ip_forward=0: permission denied: setting net.ipv4.ip_forward needs root or CAP_NET_ADMIN
ipvs-tui: nothing was changed"; do
	rc=0
	nobody ${args%%|*} </dev/null >"$W/out" 2>"$W/err" || rc=$?
	[ $rc = 1 ] && [ "$(cat "$W/err")" = "ipvs-tui: ${args#*|}" ] || bad "as nobody, ${args%%|*}: exit status $rc, stderr $(cat "$W/err")"
done
has_addr director eth0 "inet $VIP/24" || bad "nobody removed the VIP"
[ "$(sysval director net.ipv4.ip_forward)" = 1 ] || bad "nobody changed ip_forward"
[ "$(wc -l </tmp/nobody/audit.log)" = 3 ] && ! grep -q '"result":"ok"' /tmp/nobody/audit.log || bad "nobody's audit log: $(cat /tmp/nobody/audit.log)"
echo "host: without privilege each change is refused in one sentence and logged as failed"

# --- a log that cannot be written: the change stands, one warning ---
rc=0
lab_ns rs2 "$TUI" --audit-log /proc/no/audit.log vip add 198.51.100.202 dev lo label lo:2 </dev/null >"$W/out" 2>"$W/err" || rc=$?
[ $rc = 0 ] && has_addr rs2 lo 'inet 198\.51\.100\.202/32 .*lo:2' || bad "vip add with an unwritable log: exit status $rc, or the address is missing"
[ "$(cat "$W/err")" = "ipvs-tui: warning: audit log /proc/no/audit.log not written: No such file or directory (os error 2)" ] || bad "vip add with an unwritable log: stderr $(cat "$W/err")"

# --- the audit log: each change, in order, with its result ---
python3 - "$L" <<'PY' || nfail=$((nfail + 1))
import json, os, sys
old = os.environ["ROOT_OLD"].split()
entries = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
want = [  # command, result, before
    ("ip addr add 198.51.100.200/32 dev eth0 label eth0:1", "ok", []),
    ("ip addr add 2001:db8::200/128 dev eth0", "ok", []),
    ("ip addr add 198.51.100.201/32 dev lo label lo:0", "ok", []),
    ("ip addr add 198.51.100.200/32 dev eth0", "failed", []),
    ("ip addr del 198.51.100.200/32 dev eth0", "ok", ["ip addr add 198.51.100.200/32 dev eth0 label eth0:1"]),
    ("ip addr del 198.51.100.200/32 dev eth0", "failed", []),
    ("ip addr del 2001:db8::200/128 dev eth0", "ok", ["ip addr add 2001:db8::200/128 dev eth0"]),
    ("ip addr del 198.51.100.201/32 dev lo", "ok", ["ip addr add 198.51.100.201/32 dev lo label lo:0"]),
    ("sysctl -w net.ipv4.ip_forward=1", "ok", ["net.ipv4.ip_forward = 0"]),
    ("sysctl -w net.ipv4.conf.all.arp_ignore=1", "ok", ["net.ipv4.conf.all.arp_ignore = 0"]),
    ("sysctl -w net.ipv4.conf.eth0.arp_announce=2", "ok", ["net.ipv4.conf.eth0.arp_announce = 0"]),
    ("sysctl -w 'net.ipv4.vs.sync_threshold=3 60'", "ok", ["net.ipv4.vs.sync_threshold = 3 50"]),
    ("sysctl -w net.ipv4.conf.lo.arp_ignore=1", "ok", ["net.ipv4.conf.lo.arp_ignore = 0"]),
    ("sysctl -w net.ipv4.conf.lo.arp_announce=2", "ok", ["net.ipv4.conf.lo.arp_announce = 0"]),
    ("ip addr add 198.51.100.201/32 dev lo label lo:0", "ok", []),
    ("ip addr add 198.51.100.250/32 dev lo label lo:250", "ok", []),
    # The refused third sysctl, then the two before it undone, in reverse.
    ("sysctl -w net.ipv4.ip_forward=1", "ok", [f"net.ipv4.ip_forward = {old[0]}"]),
    ("sysctl -w net.ipv4.conf.all.rp_filter=2", "ok", [f"net.ipv4.conf.all.rp_filter = {old[1]}"]),
    ("sysctl -w net.ipv4.conf.lo.rp_filter=1", "failed", [f"net.ipv4.conf.lo.rp_filter = {old[2]}"]),
    (f"sysctl -w net.ipv4.conf.all.rp_filter={old[1]}", "ok", ["net.ipv4.conf.all.rp_filter = 2"]),
    (f"sysctl -w net.ipv4.ip_forward={old[0]}", "ok", ["net.ipv4.ip_forward = 1"]),
]
bad = 0
def fail(m):
    global bad
    bad += 1
    print("  FAIL audit log: " + m)
if [e["command"] for e in entries] != [w[0] for w in want]:
    fail("commands:\n    got  " + "\n         ".join(e["command"] for e in entries) + "\n    want " + "\n         ".join(w[0] for w in want))
for e, (command, result, before) in zip(entries, want):
    if e["result"] != result or e.get("source") != "cli" or ("error" in e) != (result == "failed"):
        fail(f"{command}: result {e['result']}, source {e.get('source')}, error {e.get('error')!r}")
    if before is not None and e["before"] != before:
        fail(f"{command}: before is {e['before']!r}, expected {before!r}")
    if not isinstance(e.get("op"), dict) or e["op"].get("op") not in ("add_addr", "del_addr", "set_sysctl"):
        fail(f"{command}: op is {e.get('op')!r}")
errors = [e["error"] for e in entries if e["result"] == "failed"]
if errors != ["address 198.51.100.200/32 is already on eth0", "address 198.51.100.200/32 is not on eth0", "cannot set net.ipv4.conf.lo.rp_filter: /proc/sys is mounted read-only here (as in many containers)"]:
    fail(f"errors logged: {errors}")
if not bad:
    print(f"host: audit log holds the {len(entries)} changes in order, each with its result and what it replaced")
sys.exit(1 if bad else 0)
PY

[ $nfail = 0 ] || fail "$nfail check(s) failed"
echo "host OK"
