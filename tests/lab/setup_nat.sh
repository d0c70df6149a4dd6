#!/usr/bin/env bash
# Lab test (guest side): the classic LVS-NAT lab built by `ipvs-tui setup --plan` (the example
# plan, assets/setup-example.toml) in the director netns; a plan failing in the middle leaves the
# host as it was; a second run changes nothing; then `persist` and `restore --boot` bring the
# whole setup back after it is wiped.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/setup-nat.XXXXXX)
AUDIT=$W/audit.log
tui() { lab_ns director "$TUI" --audit-log "$AUDIT" "$@"; }

lab_nat_topology
lab_nat_servers
# Start from an empty director: no VIP, no forwarding. The real servers' gateway is the director.
ip -n director addr del "$VIP/24" dev out0
lab_ns director sysctl -qw net.ipv4.ip_forward=0

# A plan whose third step fails in the kernel (no such scheduler): everything before is undone.
cat >"$W/bad.toml" <<P
role = "nat-director"
vip = "$VIP"
interface = "out0"
[[service]]
port = 80
scheduler = "nosuchsched"
[[service.real_server]]
address = "$RS1"
P
rc=0
tui setup --plan "$W/bad.toml" >"$W/out" 2>"$W/err" || rc=$?
cat "$W/out" "$W/err"
[ "$rc" = 1 ] || lab_fail "a failing plan: exit status $rc, expected 1"
grep -q "this host is as it was" "$W/err" || lab_fail "a failing plan does not say the host is as it was"
[ "$(lab_ns director sysctl -n net.ipv4.ip_forward)" = 0 ] || lab_fail "ip_forward was left changed by a failed plan"
grep -q "$VIP" <<<"$(ip -n director -o addr show dev out0)" && lab_fail "the VIP was left bound by a failed plan"
[ -z "$(lab_ns director ipvsadm -Sn)" ] || lab_fail "a failed plan left IPVS rules"

# The example plan, dry run first: it shows the changes and makes none.
tui setup --plan "$LAB_REPO/assets/setup-example.toml" --dry-run | tee "$W/dry"
grep -q "sysctl -w net.ipv4.ip_forward=1" "$W/dry" || lab_fail "dry run does not show the sysctl"
grep -q "ip addr add $VIP/32 dev out0 label out0:vip" "$W/dry" || lab_fail "dry run does not show the VIP"
[ -z "$(lab_ns director ipvsadm -Sn)" ] || lab_fail "a dry run changed IPVS"

tui setup --plan "$LAB_REPO/assets/setup-example.toml" | tee "$W/setup" || lab_fail "setup --plan failed"
grep -q "doctor: no problem found" "$W/setup" || lab_fail "the doctor found problems after setup"
cat >"$W/want.rules" <<R
-A -t $VIP:80 -s rr
-a -t $VIP:80 -r $RS1:80 -m -w 1
-a -t $VIP:80 -r $RS2:80 -m -w 1
-A -u $VIP:53 -s rr
-a -u $VIP:53 -r $RS1:53 -m -w 1
-a -u $VIP:53 -r $RS2:53 -m -w 1
R
lab_ns director ipvsadm -Sn >"$W/have.rules"
diff -u "$W/want.rules" "$W/have.rules" || lab_fail "the table after setup is not the plan"
[ "$(lab_ns director sysctl -n net.ipv4.ip_forward)" = 1 ] || lab_fail "ip_forward is not 1 after setup"
grep -q "inet $VIP/32 .*out0:vip" <<<"$(ip -n director -o addr show dev out0)" || lab_fail "the VIP is not on out0 with its label"

spread=$(lab_http_spread client "http://$VIP/" 4)
[ "$spread" = "rs1=2 rs2=2" ] || lab_fail "rr over HTTP: $spread, expected 2 each"
udp="$(lab_udp_ask client "$VIP" 53) $(lab_udp_ask client "$VIP" 53)"
[ "$udp" = "rs1 rs2" ] || [ "$udp" = "rs2 rs1" ] || lab_fail "rr over UDP answered: $udp"

# Idempotent: the same plan again changes nothing.
tui setup --plan "$LAB_REPO/assets/setup-example.toml" | tee "$W/again"
grep -q "already matches" "$W/again" || lab_fail "a second run of the plan wants changes"

# Audited: the failed plan's steps (2 applied, then the failing service and its real server,
# which went to the kernel in the same netlink batch and failed too) and the 2 undos, then the
# 8 changes.
python3 - "$AUDIT" "$VIP" <<'PY' || lab_fail "audit log"
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
vip = sys.argv[2]
got = [(e["command"], e["result"]) for e in entries]
for c in got:
    print("audit:", *c)
want_tail = [
    ("sysctl -w net.ipv4.ip_forward=1", "ok"),
    (f"ip addr add {vip}/32 dev out0 label out0:vip", "ok"),
    (f"ipvsadm -A -t {vip}:80 -s rr", "ok"),
]
assert got[:4] == [("sysctl -w net.ipv4.ip_forward=1", "ok"), (f"ip addr add {vip}/32 dev out0", "ok"), (f"ipvsadm -A -t {vip}:80 -s nosuchsched", "failed"), (f"ipvsadm -a -t {vip}:80 -r 10.10.0.11:80 -m -w 1", "failed")], got[:4]
assert got[4:6] == [(f"ip addr del {vip}/32 dev out0", "ok"), ("sysctl -w net.ipv4.ip_forward=0", "ok")], got[4:6]
assert got[6:9] == want_tail, got[6:9]
assert len(got) == 6 + 8, len(got)
assert entries[0]["before"] == ["net.ipv4.ip_forward = 0"], entries[0]["before"]
PY

# A NAT real server's plan is advice only: its gateway is the director.
cat >"$W/rs.toml" <<P
role = "nat-real-server"
director = "$DIRECTOR_IN"
P
lab_ns rs1 "$TUI" --audit-log "$AUDIT" setup --plan "$W/rs.toml" --dry-run | tee "$W/rs.out"
grep -q "advice: the default gateway is the director" "$W/rs.out" || lab_fail "NAT real server advice"

# Persist, then wipe the setup and bring it back as at boot.
E=/tmp/etc
tui persist --dir "$E" | tee "$W/persist"
for f in ipvs-tui/rules ipvs-tui/host.toml systemd/system/ipvs-tui-restore.service; do
	[ -s "$E/$f" ] || lab_fail "persist did not write $E/$f"
done
diff -u "$W/want.rules" "$E/ipvs-tui/rules" || lab_fail "persisted rules differ from ipvsadm -Sn"
grep -q '"net.ipv4.ip_forward" = "1"' "$E/ipvs-tui/host.toml" || lab_fail "host.toml lacks ip_forward"
grep -q "ExecStart=$TUI restore --boot --dir $E" "$E/systemd/system/ipvs-tui-restore.service" || lab_fail "unit ExecStart"
tui persist --dir "$E" >"$W/out"
grep -q "rules (unchanged)" "$W/out" || lab_fail "a second persist does not see the files unchanged"
echo "# edited by hand" >>"$E/ipvs-tui/rules"
rc=0
tui persist --dir "$E" >"$W/out" 2>"$W/err" || rc=$?
cat "$W/out" "$W/err"
[ "$rc" = 1 ] || lab_fail "persist over an edited file: exit status $rc, expected 1"
grep -q "exists and differs: +0 -1 lines" "$W/out" || lab_fail "persist does not summarise the difference"
grep -q "# edited by hand" "$E/ipvs-tui/rules" || lab_fail "persist overwrote an edited file without --force"
tui persist --dir "$E" --force >"$W/out"
grep -q "# edited by hand" "$E/ipvs-tui/rules" && lab_fail "persist --force did not overwrite"
# Two writes (the first, then --force), each one audit entry naming what it wrote and found.
python3 - "$AUDIT" "$E" <<'PY' || lab_fail "persist's audit entries"
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1])]
persists = [e for e in entries if isinstance(e.get("op"), dict) and e["op"].get("op") == "persist"]
assert len(persists) == 2, persists
first, forced = persists
e = sys.argv[2]
assert first["command"] == f"ipvs-tui persist --dir {e}" and first["result"] == "ok" and first["source"] == "cli", first
assert len(first["op"]["written"]) == 3 and all(b.endswith("did not exist") for b in first["before"]), first
assert forced["op"]["written"] == [f"{e}/ipvs-tui/rules"] and forced["before"][0].startswith(f"{e}/ipvs-tui/rules: other contents"), forced
print("audit: persist entries:", first["op"]["written"], forced["before"])
PY

lab_ns director ipvsadm -C
ip -n director addr del "$VIP/32" dev out0
lab_ns director sysctl -qw net.ipv4.ip_forward=0
tui restore --boot --dir "$E" | tee "$W/boot"
lab_ns director ipvsadm -Sn >"$W/have.rules"
diff -u "$W/want.rules" "$W/have.rules" || lab_fail "the table after restore --boot is not the one persisted"
[ "$(lab_ns director sysctl -n net.ipv4.ip_forward)" = 1 ] || lab_fail "restore --boot did not set ip_forward"
ip -n director -o addr show dev out0
grep -q "inet $VIP/32 .*out0:vip" <<<"$(ip -n director -o addr show dev out0)" || lab_fail "restore --boot did not bind the VIP"
lab_http_get client "http://$VIP/" >/dev/null || lab_fail "HTTP through the VIP after restore --boot"
# A second boot restore finds everything in place.
tui restore --boot --dir "$E" >"$W/out"
grep -q "restore --boot: 0 change(s)" "$W/out" || lab_fail "a second restore --boot changed something"
echo "setup-nat OK"
