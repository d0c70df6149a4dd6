#!/usr/bin/env bash
# Directors over SSH (issue 13), guest side: real sshd in lb1 and lb2 (tests/lab/ssh_lib.sh), the
# operator in mgmt. `ipvs-tui --on ssh:...` (and netns:) lists, saves, restores and counts
# connections as ipvsadm does in the director's own namespace, applies a setup plan and persists
# there; a read-only forced command refuses changes and audits the refusal there; sshd killed
# mid-session is a clear error.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/ssh_lib.sh"
ssh_lab_up

# Two different tables. lb1's VIP is on its eth0, so that mgmt's SYNs make connection entries.
ip -n lb1 addr add 10.20.0.101/24 dev eth0
lab_ns lb1 ipvsadm -A -t 10.20.0.101:80 -s rr
lab_ns lb1 ipvsadm -a -t 10.20.0.101:80 -r 10.30.0.11:80 -m -w 3
lab_ns lb1 ipvsadm -a -t 10.20.0.101:80 -r 10.30.0.12:80 -m -w 1
lab_ns lb1 ipvsadm -A -u 10.20.0.101:53 -s wlc -p 120
lab_ns lb1 ipvsadm -a -u 10.20.0.101:53 -r 10.30.0.11:53 -m
lab_ns lb2 ipvsadm -A -f 7 -s sh -b sh-port
lab_ns lb2 ipvsadm -a -f 7 -r 10.30.0.21:0 -g -w 5
# The operator's ipvs-tui is the host's build; the directors' is the copy on their PATH.
# USER is the operator's name the agent records as claimed; the local log is the operator's own.
on() { lab_ns mgmt env USER=alice "$IPVS_TUI" --audit-log "$F/local.log" --on "$@"; }

# The operator's ssh works on its own first: keys, known_hosts and config are right.
out=$(lab_ns mgmt ssh -o BatchMode=yes lb1 echo logged-in 2>&1) || lab_fail "plain ssh to lb1 fails: $out"

for lb in lb1 lb2; do
	want=$(lab_ns $lb ipvsadm -Ln)
	got=$(on "ssh:$lb" list 2>&1) || lab_fail "--on ssh:$lb list failed: $got"
	[ "$got" = "$want" ] || lab_fail "--on ssh:$lb list differs from ipvsadm -Ln in $lb:
$got
--- ipvsadm:
$want"
	got=$(on "$lb" list) # the name from config.toml
	[ "$got" = "$want" ] || lab_fail "--on $lb (config.toml) list differs"
	got=$("$IPVS_TUI" --on "netns:$lb" list)
	[ "$got" = "$want" ] || lab_fail "--on netns:$lb list differs: $got"
	want=$(lab_ns $lb ipvsadm -Sn)
	got=$(on "ssh:$lb" save)
	[ "$got" = "$want" ] || lab_fail "--on ssh:$lb save differs from ipvsadm -Sn: $got"
	got=$("$IPVS_TUI" --on "netns:$lb" save)
	[ "$got" = "$want" ] || lab_fail "--on netns:$lb save differs from ipvsadm -Sn: $got"
	want=$(lab_ns $lb ipvsadm -Ln --stats --exact)
	got=$(on "ssh:$lb" list --stats --exact)
	[ "$got" = "$want" ] || lab_fail "--on ssh:$lb list --stats differs"
	want=$(lab_ns $lb ipvsadm -Ln --timeout)
	got=$(on "ssh:$lb" list --timeout)
	[ "$got" = "$want" ] || lab_fail "--on ssh:$lb list --timeout differs"
done
# The user's ssh config applies: lb1 through a jump host.
[ "$(on ssh:lb1-via-lb2 list)" = "$(lab_ns lb1 ipvsadm -Ln)" ] || lab_fail "--on ssh:lb1-via-lb2 (ProxyJump) differs"
echo "list, save: equal to ipvsadm on lb1 and lb2, over ssh (ProxyJump too) and netns"

# restore over SSH: lb1's rules onto lb2, all or nothing, audited on lb2 with the claimed user.
lab_ns lb1 ipvsadm -Sn >"$F/lb1.rules"
on lb2 flush --yes
on lb2 restore <"$F/lb1.rules" || lab_fail "--on lb2 restore failed"
[ "$(lab_ns lb2 ipvsadm -Sn)" = "$(cat "$F/lb1.rules")" ] || lab_fail "lb2 after restore: $(lab_ns lb2 ipvsadm -Sn)"
grep -q '"source":"agent"' "$F/lb2/audit.log" || lab_fail "no agent entry in lb2's audit log"
grep -q '"user":"alice (claimed)"' "$F/lb2/audit.log" || lab_fail "lb2's audit log lacks the claimed user: $(head -c 600 "$F/lb2/audit.log")"
grep -q 'ipvsadm -a -t 10.20.0.101:80 -r 10.30.0.11:80 -m -w 3' "$F/lb2/audit.log" || lab_fail "the restored rule is not in lb2's audit log"
[ ! -s "$F/lb1/audit.log" ] || lab_fail "lb1 was audited for lb2's change: $(cat "$F/lb1/audit.log")"
grep -q '"host":"[^"]* (via lb2)"' "$F/local.log" || lab_fail "the operator's own log does not name lb2: $(head -c 400 "$F/local.log")"
# A bad rules file changes nothing there.
printf -- '-A -t 10.20.0.102:80 -s rr\n-a -t 10.20.0.102:80 -r 10.30.0.9:80 -w -1\n' >"$F/bad.rules"
if out=$(on lb2 restore <"$F/bad.rules" 2>&1); then lab_fail "a bad rules file was restored: $out"; fi
[ "$(lab_ns lb2 ipvsadm -Sn)" = "$(cat "$F/lb1.rules")" ] || lab_fail "a bad rules file changed lb2"
"$IPVS_TUI" --audit-log "$F/local.log" --on netns:lb1 restore <"$F/lb1.rules" 2>"$F/dup.err" &&
	lab_fail "restoring lb1's own rules on lb1 (services exist) succeeded"
grep -q "already exists" "$F/dup.err" || lab_fail "no reason for the refused restore: $(cat "$F/dup.err")"
[ "$(lab_ns lb1 ipvsadm -Sn)" = "$(cat "$F/lb1.rules")" ] || lab_fail "a refused restore changed lb1"
echo "restore: lb1's rules on lb2, audited there; over netns all or nothing"

# setup over SSH: a NAT director's plan for lb2, checked against lb2's host and table (a real
# server off lb2's subnets is refused), applied there (its VIP, ip_forward, the service), audited
# by lb2's agent; the doctor after it looks at lb2 and says it skipped the real-server probes
# (they would run from mgmt).
setup_on() { on lb2 "$@"; }
cat >"$F/plan.toml" <<PLAN
role = "nat-director"
vip = "10.20.0.150"
interface = "eth0"
label = "eth0:vip"

[[service]]
port = 8080
scheduler = "wrr"

[[service.real_server]]
address = "10.20.0.31"
weight = 4
PLAN
sed 's/10.20.0.31/10.30.0.31/' "$F/plan.toml" >"$F/far.toml"
if out=$(setup_on setup --plan "$F/far.toml" 2>&1); then lab_fail "a plan lb2 cannot route was applied: $out"; fi
grep -q "no route to it other than the default route" <<<"$out" || lab_fail "no reason for the refused plan: $out"
lab_ns lb2 sysctl -qw net.ipv4.ip_forward=0
lb1_before=$(lab_ns lb1 ipvsadm -Sn)
status=0
setup_on setup --plan "$F/plan.toml" >"$F/setup.out" 2>&1 || status=$?
cat "$F/setup.out"
[ "$status" = 0 ] || [ "$status" = 1 ] || lab_fail "setup --on lb2 exited $status"
grep -q "^setup: applied 4 change(s)" "$F/setup.out" || lab_fail "setup --on lb2 did not apply its 4 changes"
grep -q "^setup: 4 change(s) for nat-director from .* on .* (via lb2):" "$F/setup.out" || lab_fail "setup does not name lb2"
grep -q "^doctor: checking .* as nat-director" "$F/setup.out" || lab_fail "the doctor did not recognise lb2 as a NAT director"
grep -q "^doctor: real-server probes and the firewall check skipped" "$F/setup.out" || lab_fail "the doctor does not say what it skipped"
table=$(lab_ns lb2 ipvsadm -Ln)
grep -Eq -- '^TCP +10\.20\.0\.150:8080 wrr' <<<"$table" || lab_fail "no service on lb2: $table"
grep -Eq -- '-> 10\.20\.0\.31:8080 +Masq +4 ' <<<"$table" || lab_fail "no real server on lb2: $table"
addrs=$(ip -n lb2 addr show dev eth0)
grep -q "inet 10.20.0.150/32 .*eth0:vip" <<<"$addrs" || lab_fail "the VIP is not on lb2's eth0: $addrs"
[ "$(lab_ns lb2 sysctl -n net.ipv4.ip_forward)" = 1 ] || lab_fail "ip_forward not set on lb2"
for ns in lb1 mgmt; do
	! grep -q "10.20.0.150" <<<"$(ip -n $ns addr)" || lab_fail "the VIP was bound on $ns"
done
[ "$(lab_ns lb1 ipvsadm -Sn)" = "$lb1_before" ] || lab_fail "setup on lb2 changed lb1"
for cmd in "ip addr add 10.20.0.150/32 dev eth0" "ipvsadm -A -t 10.20.0.150:8080 -s wrr" "sysctl -w net.ipv4.ip_forward=1"; do
	grep -q "\"command\":\"$cmd" "$F/lb2/audit.log" || lab_fail "\"$cmd\" not in lb2's audit log"
done
setup_on setup --plan "$F/plan.toml" --dry-run >"$F/setup2.out" 2>&1 || lab_fail "setup --dry-run on lb2 failed: $(cat "$F/setup2.out")"
grep -q "^setup: .* already matches" "$F/setup2.out" || lab_fail "lb2 does not match its plan after setup: $(cat "$F/setup2.out")"
grep -q '"host":"[^"]* (via lb2)","source":"cli","command":"ip addr add 10.20.0.150/32' "$F/local.log" || lab_fail "the operator's log does not name lb2 for the VIP"
echo "setup: a NAT director's plan applied on lb2 over ssh, audited there"

# persist over SSH: the files rendered by lb2's agent (lb2's rules, its VIP, and the unit running
# lb2's own ipvs-tui), written there and audited there.
on lb2 persist --dir "$F/lb2etc" >"$F/persist.out" 2>&1 || lab_fail "persist --on lb2 failed: $(cat "$F/persist.out")"
[ "$(cat "$F/lb2etc/ipvs-tui/rules")" = "$(lab_ns lb2 ipvsadm -Sn)" ] || lab_fail "lb2's persisted rules differ from ipvsadm -Sn there"
grep -q "10.20.0.150" "$F/lb2etc/ipvs-tui/host.toml" || lab_fail "lb2's VIP not in its host.toml"
grep -q "ExecStart=/usr/local/bin/ipvs-tui " "$F/lb2etc/systemd/system/ipvs-tui-restore.service" ||
	lab_fail "the unit does not run lb2's ipvs-tui: $(grep ExecStart "$F/lb2etc/systemd/system/ipvs-tui-restore.service")"
grep -q "\"command\":\"ipvs-tui persist --dir $F/lb2etc\"" "$F/lb2/audit.log" || lab_fail "persist not audited on lb2"
if out=$(on ssh:watch-lb2 persist --dir "$F/watch" 2>&1); then lab_fail "the read-only agent persisted: $out"; fi
[ ! -e "$F/watch" ] || lab_fail "the read-only agent wrote files"
echo "persist: lb2's files rendered and written by its agent"

# Connections: SYNs from mgmt to lb1's VIP (the real servers do not exist: the entries wait).
for i in $(seq 12); do
	lab_ns mgmt timeout 0.3 bash -c 'exec 3<>/dev/tcp/10.20.0.101/80' 2>/dev/null || true
done
n=$(lab_ns lb1 ipvsadm -Lnc | tail -n +3 | wc -l)
((n >= 12)) || lab_fail "only $n connection entries on lb1"
# Read twice, at two moments: an entry may come or go between the two (retried a few times).
same() { # same WHAT LOCAL-COMMAND REMOTE-COMMAND
	local i want got
	for i in 1 2 3 4 5; do
		want=$(eval "$2")
		got=$(eval "$3")
		[ "$got" = "$want" ] && return 0
		sleep 0.5
	done
	lab_fail "$1 differs:
$got
--- in lb1:
$want"
}
# Every entry, as (client, state, real server): from ipvsadm in lb1, and counted over SSH.
ipvsadm_rows() { lab_ns lb1 ipvsadm -Lnc | tail -n +3 | awk '{print $4, $3, $6}' | sort; }
remote_rows() {
	on ssh:lb1 conns --json | python3 -c '
import json, sys
for r in json.load(sys.stdin)["rows"]:
    print("%s:%s %s %s:%s" % (r["client"], r["cport"], r["state"], r["dest"], r["dport"]))' | sort
}
same "--on ssh:lb1 conns" ipvsadm_rows remote_rows
# Aggregates only: the totals per state and per real server as ipvsadm's entries have them.
ipvsadm_states() { lab_ns lb1 ipvsadm -Lnc | tail -n +3 | awk '{print $3}' | sort | uniq -c | awk '{print $2, $1}'; }
remote_states() { on ssh:lb1 conns --group-by state | tail -n +2 | awk '{print $1, $2}' | sort; }
same "--on ssh:lb1 conns --group-by state" ipvsadm_states remote_states
ipvsadm_servers() { lab_ns lb1 ipvsadm -Lnc | tail -n +3 | awk '{print $6}' | sort | uniq -c | awk '{print $2, $1}'; }
remote_servers() {
	on ssh:lb1 conns --group-by rs --json | python3 -c '
import json, sys
for g in json.load(sys.stdin)["groups"]:
    print(g["key"], g["total"])' | sort
}
same "--on ssh:lb1 conns --group-by rs" ipvsadm_servers remote_servers
got=$(on ssh:lb1 conns --limit 3 | tail -n +3 | wc -l)
[ "$got" = 3 ] || lab_fail "--on ssh:lb1 conns --limit 3 listed $got rows"
[ -z "$(on ssh:lb2 conns | tail -n +3)" ] || lab_fail "lb2 has connections it should not"
echo "conns: lb1's $n entries counted there, as ipvsadm -Lnc lists them"

# Read-only: the watcher's key forces `ipvs-tui agent --read-only`.
before=$(lab_ns lb1 ipvsadm -Sn)
if out=$(on ssh:watch-lb1 zero 2>&1); then lab_fail "the read-only agent zeroed: $out"; fi
grep -q "read-only" <<<"$out" || lab_fail "refusal not in words: $out"
if out=$(on ssh:watch-lb1 restore <"$F/lb1.rules" 2>&1); then lab_fail "the read-only agent restored: $out"; fi
printf -- '-e -t 10.20.0.101:80 -r 10.30.0.11:80 -m -w 9\n' >"$F/edit.rules"
if out=$(on ssh:watch-lb1 restore <"$F/edit.rules" 2>&1); then lab_fail "the read-only agent edited: $out"; fi
grep -q "read-only" <<<"$out" || lab_fail "refusal not in words: $out"
[ "$(lab_ns lb1 ipvsadm -Sn)" = "$before" ] || lab_fail "the read-only agent changed lb1: $(lab_ns lb1 ipvsadm -Sn)"
[ "$(on ssh:watch-lb1 list)" = "$(lab_ns lb1 ipvsadm -Ln)" ] || lab_fail "the read-only agent does not list"
grep -q '"command":"ipvsadm -e -t 10.20.0.101:80 -r 10.30.0.11:80 -m -w 9","result":"failed","error":"this director' "$F/lb1/audit.log" ||
	lab_fail "the refusal is not audited on lb1: $(cat "$F/lb1/audit.log" 2>/dev/null)"
echo "read-only: refused, nothing applied, audited on lb1"

# sshd of lb1 killed mid-session: restore waits on its input (a fifo) with the link open.
mkfifo "$F/fifo"
lab_ns mgmt "$IPVS_TUI" --audit-log "$F/local.log" --on ssh:lb1 restore <"$F/fifo" >"$F/mid.out" 2>&1 &
pid=$!
exec 4>"$F/fifo"
for i in $(seq 50); do
	(($(ssh_agents lb1) > 0)) && break
	sleep 0.1
done
(($(ssh_agents lb1) > 0)) || lab_fail "no agent started on lb1"
ssh_kill_sshd lb1
printf -- '-A -t 10.20.0.103:80 -s rr\n' >&4
exec 4>&-
status=0
wait "$pid" || status=$?
cat "$F/mid.out"
[ "$status" = 1 ] || lab_fail "restore after sshd was killed exited $status"
grep -q "lb1 is unreachable" "$F/mid.out" || lab_fail "no clear unreachable error: $(cat "$F/mid.out")"
[ "$(lab_ns lb1 ipvsadm -Sn)" = "$before" ] || lab_fail "lb1 changed though its link was down"
if out=$(on ssh:lb1 list 2>&1); then lab_fail "lb1 listed without sshd: $out"; fi
grep -q "Connection refused" <<<"$out" || lab_fail "no reason given: $out"
ssh_no_agents lb1 "after its link dropped"
ssh_start_sshd lb1
[ "$(on lb1 list)" = "$(lab_ns lb1 ipvsadm -Ln)" ] || lab_fail "lb1 not back after sshd returned"
ssh_no_agents lb1 "after the command ended"
echo "sshd killed: unreachable, with the reason; back when sshd returns"

# A far side without the agent: one sentence saying what to install.
mv /usr/local/bin/ipvs-tui /usr/local/bin/ipvs-tui.away
if out=$(on ssh:lb2 list 2>&1); then lab_fail "listed without an agent: $out"; fi
mv /usr/local/bin/ipvs-tui.away /usr/local/bin/ipvs-tui
echo "$out"
grep -q "not an ipvs-tui agent: install ipvs-tui" <<<"$out" || lab_fail "no install hint: $out"
echo "ssh OK"
