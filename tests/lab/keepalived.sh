#!/usr/bin/env bash
# Lab test (guest side): ipvs-tui beside a real keepalived. The NAT lab's director runs keepalived
# (NAT, DR and fwmark virtual servers with TCP_CHECK): `keepalived --json` health equals
# keepalived_check.data, `list --json` owners; a real server's daemon stopped and started again;
# a VIP on kube-ipvs0; the VRRP pair's MASTER/BACKUP and failover; --netns; no keepalived.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/keepalived_lib.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/keepalived.XXXXXX)
mkdir -p "$KA"

lab_nat_topology
ka_http rs1 "$RS1" rs1
ka_http rs2 "$RS2" rs2
ka_director_conf
ka_start director director
ka_vrrp_pair &
pair=$!
ka_wait_log director 'Activating healthchecker for service \[10.10.0.11\]:none:80' 10
sleep 1.5

# ka_json NS: ipvs-tui keepalived --json in NS, into $W/ka.json.
ka_json() { lab_ns "$1" "$TUI" keepalived --json >"$W/ka.json" || lab_fail "ipvs-tui keepalived --json in $1 failed"; }

# health_matches_dump: each real server's alive and failed checkers in `keepalived --json` equal
# the lines of keepalived_check.data that keepalived wrote for that request (read here apart from
# ipvs-tui's parser), and a dead one is absent from the kernel. Prints "VS RS alive failed".
health_matches_dump() {
	ka_json director
	python3 - "$W/ka.json" "$KA/director/keepalived_check.data" <<'PY'
import json, re, sys
got = json.load(open(sys.argv[1]))
dump, want, vs, rs = open(sys.argv[2]).read(), {}, None, None
for line in dump.splitlines():
    m = re.match(r"\s*VS (?:VIP = (\S+), VPORT = (\d+)|FWMARK = (\d+))", line)
    if m:
        vs, rs = (f"{m[1]}:{m[2]}" if m[1] else f"fwmark {m[3]}"), None
    m = re.match(r"\s*RIP = (\S+), RPORT = (\d+)", line)
    if m:
        rs = f"{m[1]}:{m[2]}"
    m = re.match(r"\s*(alive|num failed checkers) = (\d+)$", line)
    if m and rs:  # the virtual server has an alive line of its own, before its real servers
        want.setdefault((vs, rs), {})[m[1]] = int(m[2])
have = {}
for v in got["virtual_servers"]:
    k = v["key"]
    name = f"{k['addr']}:{k['port']}" if k["kind"] == "addr" else f"fwmark {k['mark']}"
    for r in v["real_servers"]:
        have[(name, f"{r['addr']}:{r['port']}")] = {"alive": int(r["alive"]), "num failed checkers": r["failed_checkers"]}
        assert r["in_kernel"] == r["alive"], f"{name} {r}: in the kernel must follow alive (no inhibit_on_failure)"
        assert len(r["checkers"]) == 1 and r["checkers"][0]["kind"] == "TCP_CHECK", r
for (v, r), h in sorted(have.items()):
    print(f"health {v} -> {r} alive={h['alive']} failed={h['num failed checkers']}")
assert have == want, f"ipvs-tui {have} != keepalived_check.data {want}"
assert got["drift"] == [], got["drift"]
PY
}
health_matches_dump || lab_fail "keepalived --json and keepalived_check.data differ"
grep -q '"alive": false' "$W/ka.json" && lab_fail "a real server is dead before any was stopped"

# list --json: every service is keepalived's, with health per real server.
lab_ns director "$TUI" list --json >"$W/list.json"
python3 - "$W/list.json" <<'PY' || lab_fail "list --json owners and health"
import json, sys
services = json.load(open(sys.argv[1]))["services"]
assert len(services) == 3, services
for s in services:
    assert s["owner"] == "keepalived", s
    for d in s["dests"]:
        assert d["health"]["alive"] is True and d["health"]["kernel_weight"] == d["weight"], d
print("list --json: 3 services owned by keepalived, every real server alive")
PY

# rs1's daemon stops: dead within the checker's delay (delay_loop 1, connect_timeout 1), and out
# of the kernel; started again: alive and back.
ka_http_stop rs1
# The three checkers of rs1 fail each on its own schedule: wait for all three.
for i in $(seq 50); do
	ka_json director
	[ "$(grep -o '"alive": false' "$W/ka.json" | wc -l)" -ge 3 ] && break
	sleep 0.2
done
python3 -c '
import json, sys
got = json.load(open(sys.argv[1]))
dead = [(v["service"], r["addr"], r["failed_checkers"]) for v in got["virtual_servers"] for r in v["real_servers"] if not r["alive"]]
print("dead:", dead)
assert sorted(d[1] for d in dead) == ["10.10.0.11"] * 3 and all(d[2] == 1 for d in dead), dead
' "$W/ka.json" || lab_fail "rs1 is not dead everywhere within 10 s"
lab_ns director ipvsadm -Ln | grep -q "10.10.0.11" && lab_fail "keepalived left the dead rs1 in the kernel"
health_matches_dump || lab_fail "after stopping rs1: keepalived --json and the dump differ"
lab_ns director "$TUI" keepalived | tee "$W/ka.txt"
grep -Eq -- '-> 10.10.0.11:80  DEAD  1/1 checkers failed' "$W/ka.txt" || lab_fail "the text view does not show rs1 dead"
ka_http rs1 "$RS1" rs1
for i in $(seq 50); do
	ka_json director
	grep -q '"alive": false' "$W/ka.json" || break
	sleep 0.2
done
grep -q '"alive": false' "$W/ka.json" && lab_fail "rs1 is not alive again within 10 s of its restart"
health_matches_dump || lab_fail "after restarting rs1: keepalived --json and the dump differ"
echo "rs1 dead, then alive again"

# A VIP on kube-ipvs0: owner kube-proxy.
modprobe --dirname=/tmp/mods dummy || lab_fail "no dummy module" # tests/lab/guest-init.sh made /tmp/mods
ip -n director link add kube-ipvs0 type dummy
ip -n director addr add 10.96.0.10/32 dev kube-ipvs0
lab_ns director ipvsadm -A -t 10.96.0.10:443 -s rr
lab_ns director "$TUI" list --json -t 10.96.0.10:443 >"$W/kube.json"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["owner"] == "kube-proxy", s; print("10.96.0.10:443 owner", s["owner"])' "$W/kube.json" \
	|| lab_fail "a VIP on kube-ipvs0 is not owned by kube-proxy"

# --netns: the director's table from the root netns, as ipvsadm lists it there.
"$TUI" --netns director list >"$W/ns.list"
lab_ns director ipvsadm -Ln >"$W/ns.ipvsadm"
diff -u "$W/ns.ipvsadm" "$W/ns.list" || lab_fail "--netns director list differs from ipvsadm -Ln in director"
rc=0
"$TUI" --netns nosuch list >"$W/out" 2>"$W/err" || rc=$?
cat "$W/err"
[ "$rc" = 2 ] && [ "$(wc -l <"$W/err")" = 1 ] && [ ! -s "$W/out" ] || lab_fail "--netns nosuch: exit $rc, expected 2 and one line"
grep -q "/run/netns/nosuch does not exist" "$W/err" || lab_fail "--netns nosuch does not say what is missing"

# No keepalived in the client's namespace: a plain message, exit 1.
rc=0
lab_ns client "$TUI" keepalived >"$W/out" 2>"$W/err" || rc=$?
[ "$rc" = 1 ] && grep -q "no keepalived runs in this network namespace" "$W/err" || lab_fail "no keepalived: exit $rc, $(cat "$W/err")"

# The VRRP pair: vr1 MASTER, vr2 BACKUP hearing vr1; vr1 stops, vr2 becomes MASTER.
wait "$pair" || lab_fail "the VRRP pair did not come up"
role() { # role NS: "NAME STATE MASTER_ROUTER" of its one instance
	lab_ns "$1" "$TUI" keepalived --json | python3 -c 'import json,sys; v=json.load(sys.stdin)["vrrp"][0]; print(v["name"], v["state"], v["master_router"])'
}
[ "$(role vr1)" = "VI_PAIR MASTER None" ] || lab_fail "vr1: $(role vr1), expected MASTER"
[ "$(role vr2)" = "VI_PAIR BACKUP 192.0.2.1" ] || lab_fail "vr2: $(role vr2), expected BACKUP hearing 192.0.2.1"
ka_stop vr1
for i in $(seq 50); do
	[ "$(role vr2)" = "VI_PAIR MASTER None" ] && break
	sleep 0.2
done
[ "$(role vr2)" = "VI_PAIR MASTER None" ] || lab_fail "vr2 is not MASTER within 10 s of vr1's stop: $(role vr2)"
echo "VRRP: vr1 MASTER, vr2 BACKUP; vr1 stopped, vr2 MASTER"
echo "keepalived OK"
