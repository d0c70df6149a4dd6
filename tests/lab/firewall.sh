#!/usr/bin/env bash
# Lab test (guest side): the doctor's firewall check against real rules on the NAT director:
# nothing without rules; an nft rule dropping TCP to the VIP (which really drops: HTTP through the
# VIP fails) is named as a warning and the doctor changes nothing; the same with an iptables rule
# and with a drop policy; gone again once the rules are removed, and traffic flows.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/setup_doctor_lib.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/firewall.XXXXXX)

for tool in nft iptables iptables-save; do
	command -v $tool >/dev/null || lab_fail "$tool is not installed on the host (tests/run.sh installs nftables and iptables)"
done
# Debian's iptables is iptables-nft: both tools need nf_tables; iptables matches need xt modules.
for m in nf_tables nft_compat nft_ct xt_tcpudp ipt_REJECT; do
	modprobe --dirname=/tmp/mods "$m" 2>"$W/modprobe" || lab_fail "modprobe $m: $(cat "$W/modprobe")"
done

lab_nat_topology
lab_nat_servers
lab_ns director ipvsadm -A -t "$VIP:80" -s rr
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS1:80" -m
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS2:80" -m

# http_through_vip: one request from the client, 3 s at most.
http_through_vip() { lab_ns client curl -s -o /dev/null --max-time 3 "http://$VIP/"; }
# expect_warning TOOL PATTERN: the doctor names TOOL's rule(s) matching PATTERN, fixes nothing.
expect_warning() {
	doctor_expect director "firewall_may_drop"
	python3 - "$W/doctor.json" "$1" "$2" "$VIP" <<'PY' || lab_fail "the firewall finding does not name the $1 rule"
import json, re, sys
f = json.load(open(sys.argv[1]))["findings"][0]
tool, pattern, vip = sys.argv[2:5]
assert f["severity"] == "warning" and f["fix"] == [], f
assert f["what"].startswith(f"{tool} rules may drop traffic to the VIP {vip}: "), f["what"]
assert re.search(pattern, f["what"]), (pattern, f["what"])
print(f"firewall: named: {f['what']}")
PY
}

doctor_expect director ""
http_through_vip || lab_fail "HTTP through the VIP before any firewall rule"

# 1. nft: a rule in the input hook that drops TCP to the VIP.
lab_ns director nft add table ip lab
lab_ns director nft add chain ip lab input '{ type filter hook input priority 0; }'
lab_ns director nft add rule ip lab input ip daddr "$VIP" tcp dport 80 drop
! http_through_vip || lab_fail "the nft rule does not drop HTTP to the VIP: the test proves nothing"
lab_ns director nft list ruleset >"$W/ruleset.before"
expect_warning nft "ip daddr $VIP tcp dport 80 drop"
lab_ns director nft list ruleset | cmp -s - "$W/ruleset.before" || lab_fail "the doctor changed the nft ruleset"
lab_ns director nft delete table ip lab
doctor_expect director ""
http_through_vip || lab_fail "HTTP through the VIP after the nft rule was removed"

# 2. A drop policy on input with no rule naming the VIP (replies to the director's own probes of
# the real servers are let in, as any such firewall does).
lab_ns director nft add table ip lab
lab_ns director nft add chain ip lab input '{ type filter hook input priority 0; policy drop; }'
lab_ns director nft add rule ip lab input ct state established,related accept
! http_through_vip || lab_fail "the drop policy does not drop HTTP to the VIP"
expect_warning nft "policy drop"
lab_ns director nft delete table ip lab
doctor_expect director ""

# 3. iptables (iptables-nft, Debian's default): the doctor reads nft first, which shows the rule
# too; in a netns where nft is absent from PATH it reads iptables-save.
lab_ns director iptables -A INPUT -d "$VIP/32" -p tcp --dport 80 -j REJECT
! http_through_vip || lab_fail "the iptables rule does not reject HTTP to the VIP"
expect_warning nft "$VIP"
mkdir -p "$W/bin"
ln -s "$(command -v iptables-save)" "$W/bin/iptables-save"
lab_ns director env PATH="$W/bin" "$TUI" doctor --json >"$W/doctor.json" || true
python3 - "$W/doctor.json" "$VIP" <<'PY' || lab_fail "with iptables-save only, the doctor does not name the iptables rule"
import json, sys
fs = json.load(open(sys.argv[1]))["findings"]
assert [f["check"] for f in fs] == ["firewall_may_drop"], fs
assert fs[0]["what"].startswith(f"iptables rules may drop traffic to the VIP {sys.argv[2]}: ") and "-j REJECT" in fs[0]["what"], fs[0]["what"]
print(f"firewall: named: {fs[0]['what']}")
PY
lab_ns director iptables -D INPUT -d "$VIP/32" -p tcp --dport 80 -j REJECT
doctor_expect director ""
http_through_vip || lab_fail "HTTP through the VIP after the iptables rule was removed"
echo "firewall OK"
