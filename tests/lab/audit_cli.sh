#!/usr/bin/env bash
# Lab test (guest side): every change the command line applies is one line in the audit log, with
# the right command, result, user, host and state before; an unwritable log warns, changes anyway.
set -euo pipefail
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/audit.XXXXXX)
L=$W/logs/audit.log # a directory that does not exist yet: ipvs-tui creates it
fail() { echo "FAIL: $*"; exit 1; }
nfail=0
bad() { echo "  FAIL $*"; nfail=$((nfail + 1)); }

# tui WANT-STATUS ARGS...: ipvs-tui ARGS with the test log; stderr kept in $W/err.
tui() {
	local want=$1 rc=0
	shift
	"$TUI" --audit-log "$L" "$@" </dev/null >"$W/out" 2>"$W/err" || rc=$?
	[ "$rc" = "$want" ] || bad "ipvs-tui $*: exit status $rc, expected $want; stderr: $(head -c 300 "$W/err")"
	if [ "$want" = 0 ] && [ -s "$W/err" ]; then bad "ipvs-tui $*: wrote to stderr: $(head -c 300 "$W/err")"; fi
	return 0
}

cat >"$W/good.rules" <<'R'
-A -t 192.0.2.1:80 -s rr
-a -t 192.0.2.1:80 -r 192.0.2.11:80 -m -w 3
-a -t 192.0.2.1:80 -r 192.0.2.12:80 -m -w 1
R
# The 3rd line fails in the kernel (the service exists): the 2 before it are undone.
cat >"$W/bad.rules" <<'R'
-A -u 192.0.2.2:53 -s wlc
-a -u 192.0.2.2:53 -r 192.0.2.11:53 -m
-A -t 192.0.2.1:80 -s rr
R
tui 0 restore "$W/good.rules"
ipvsadm -Sn >"$W/table.before-zero"
SUDO_USER=alice tui 0 zero -t 192.0.2.1:80
tui 1 zero -t 192.0.2.9:80
tui 1 restore "$W/bad.rules"
ipvsadm -Ln --timeout >"$W/timeouts.before"
tui 0 timeouts --set 901 0 0
tui 0 daemon start master --mcast-interface lo --syncid 5
tui 0 daemon stop master
ipvsadm -Sn >"$W/table.before-flush"
tui 0 flush --yes
[ -z "$(ipvsadm -Sn)" ] || bad "flush --yes left a table"
echo "audit-cli: log mode $(stat -c %a "$L"), directory mode $(stat -c %a "$(dirname "$L")")"
[ "$(stat -c %a "$L")" = 640 ] || bad "log file mode $(stat -c %a "$L"), expected 640"
[ "$(stat -c %a "$(dirname "$L")")" = 750 ] || bad "log directory mode $(stat -c %a "$(dirname "$L")"), expected 750"

# The log: one JSON line per change, in order.
export HOST_NAME=$(uname -n) WHO=${USER:-uid $(id -u)}
python3 - "$L" "$W" <<'PY' || nfail=$((nfail + 1))
import json, os, sys
log, w = sys.argv[1], sys.argv[2]
lines = open(log, encoding="utf-8").read().splitlines()
entries = [json.loads(l) for l in lines]
tcp, udp = "-t 192.0.2.1:80", "-u 192.0.2.2:53"
want = [  # command, result, user, before
    (f"ipvsadm -A {tcp} -s rr", "ok", None, []),
    (f"ipvsadm -a {tcp} -r 192.0.2.11:80 -m -w 3", "ok", None, []),
    (f"ipvsadm -a {tcp} -r 192.0.2.12:80 -m -w 1", "ok", None, []),
    (f"ipvsadm -Z {tcp}", "ok", "alice", []),
    ("ipvsadm -Z -t 192.0.2.9:80", "failed", None, []),
    (f"ipvsadm -A {udp} -s wlc", "ok", None, []),
    (f"ipvsadm -a {udp} -r 192.0.2.11:53 -m -w 1", "ok", None, []),
    (f"ipvsadm -A {tcp} -s rr", "failed", None, open(f"{w}/table.before-zero").read().splitlines()[:1]),
    (f"ipvsadm -d {udp} -r 192.0.2.11:53", "ok", None, [f"-a {udp} -r 192.0.2.11:53 -m -w 1"]),
    (f"ipvsadm -D {udp}", "ok", None, [f"-A {udp} -s wlc"]),
    ("ipvsadm --set 901 0 0", "ok", None, None),
    ("ipvsadm --start-daemon master --mcast-interface lo --syncid 5", "ok", None, []),
    ("ipvsadm --stop-daemon master", "ok", None, None),
    ("ipvsadm -C", "ok", None, open(f"{w}/table.before-flush").read().splitlines()),
]
bad = 0
def fail(msg):
    global bad
    bad += 1
    print("  FAIL audit log: " + msg)
if [e["command"] for e in entries] != [c for c, _, _, _ in want]:
    fail("commands:\n    got  " + "\n         ".join(e["command"] for e in entries) + "\n    want " + "\n         ".join(c for c, _, _, _ in want))
for e, (command, result, user, before) in zip(entries, want):
    checks = {
        "result": (e["result"], result),
        "user": (e["user"], user or os.environ["WHO"]),
        "host": (e["host"], os.environ["HOST_NAME"]),
        "source": (e.get("source"), "cli"),
        "error given when failed": ("error" in e, result == "failed"),
        "time is RFC 3339 UTC": (e["time"][:2] == "20" and e["time"].endswith("Z") and "T" in e["time"], True),
    }
    if before is not None:
        checks["before"] = (e["before"], before)
    for name, (got, exp) in checks.items():
        if got != exp:
            fail(f"{command}: {name} is {got!r}, expected {exp!r}")
old = open(f"{w}/timeouts.before").read().split()[-3:]  # Timeout (tcp tcpfin udp): 900 120 300
t = next((e for e in entries if e["command"] == "ipvsadm --set 901 0 0"), None)
if t and t["before"] != ["--set " + " ".join(old)]:
    fail(f"--set: before is {t['before']!r}, expected the old timeouts {old}")
stop = next((e for e in entries if e["command"] == "ipvsadm --stop-daemon master"), None)
# The kernel reports every daemon parameter, so the line carries its defaults too.
if stop and (len(stop["before"]) != 1 or not stop["before"][0].startswith("--start-daemon master --mcast-interface lo --syncid 5")):
    fail(f"--stop-daemon: before is {stop['before']!r}, expected the running master's start line")
failed = [e["error"] for e in entries if e["result"] == "failed"]
print("audit-cli: errors logged: " + " | ".join(failed))
if not bad:
    print(f"audit-cli: {len(entries)} lines, each with the right command, result, user, host and state before")
sys.exit(1 if bad else 0)
PY

# An unwritable log (here the default one: / is read-only in the lab): the change happens, the
# exit status is unchanged, stderr has one warning that names the file and the reason.
rc=0
"$TUI" timeouts --set 902 0 0 </dev/null >"$W/out" 2>"$W/err" || rc=$?
[ "$rc" = 0 ] || bad "timeouts --set with an unwritable log: exit status $rc, expected 0"
[[ $(ipvsadm -Ln --timeout) == *": 902 "* ]] || bad "timeouts --set with an unwritable log: the change did not happen: $(ipvsadm -Ln --timeout)"
if [ "$(wc -l <"$W/err")" = 1 ] && grep -Eq '^ipvs-tui: warning: audit log /var/log/ipvs-tui/audit\.log not written: .*[Rr]ead-only file system' "$W/err"; then
	echo "audit-cli: unwritable log: $(cat "$W/err")"
else
	bad "unwritable log: expected one warning line, got: $(cat "$W/err")"
fi
rc=0
"$TUI" --audit-log /proc/no/audit.log zero -t 192.0.2.99:80 </dev/null >"$W/out" 2>"$W/err" || rc=$?
[ "$rc" = 1 ] || bad "a failing change with an unwritable log: exit status $rc, expected 1 (the kernel's refusal)"
grep -q "warning: audit log /proc/no/audit.log not written" "$W/err" || bad "a failing change with an unwritable log: no warning: $(cat "$W/err")"

[ $nfail = 0 ] || fail "$nfail check(s) failed"
echo "audit-cli OK"
