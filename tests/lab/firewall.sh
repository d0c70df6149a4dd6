#!/usr/bin/env bash
# Lab test (guest side): the doctor's firewall check against real rules on the NAT director:
# nothing without rules; an iptables rule that drops TCP to the VIP (it really drops: HTTP through
# the VIP fails) and then a drop policy are each named as a warning, while nft, also installed,
# shows no rule (legacy iptables tables are apart from nf_tables); the doctor changes no rule;
# the finding goes once the rules are removed, and traffic flows again.
# (The lab kernel's nf_tables has no ip/inet families, so nft rules are unit-tested only.)
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/setup_doctor_lib.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/firewall.XXXXXX)

for tool in nft iptables-legacy iptables-legacy-save; do
	command -v $tool >/dev/null || lab_fail "$tool is not installed on the host (tests/run.sh installs nftables and iptables)"
done
for m in nf_tables ip_tables iptable_filter xt_tcpudp xt_state ipt_REJECT; do
	modprobe --dirname=/tmp/mods "$m" 2>"$W/modprobe" || lab_fail "modprobe $m: $(cat "$W/modprobe")"
done

lab_nat_topology
lab_nat_servers
lab_ns director ipvsadm -A -t "$VIP:80" -s rr
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS1:80" -m
lab_ns director ipvsadm -a -t "$VIP:80" -r "$RS2:80" -m
ipt() { lab_ns director iptables-legacy "$@"; }

# http_through_vip: one request from the client, 3 s at most.
http_through_vip() { lab_ns client curl -s -o /dev/null --max-time 3 "http://$VIP/"; }
# expect_warning TOOL TEXT: the doctor names TOOL's rules, TEXT among them, and offers no fix.
expect_warning() {
	doctor_expect director "firewall_may_drop"
	python3 - "$W/doctor.json" "$1" "$2" "$VIP" <<'PY' || lab_fail "the firewall finding does not name the $1 rule"
import json, sys
f = json.load(open(sys.argv[1]))["findings"][0]
tool, text, vip = sys.argv[2:5]
assert f["severity"] == "warning" and f["fix"] == [], f
assert f["what"].startswith(f"{tool} rules may drop traffic to the VIP {vip}: "), f["what"]
assert text in f["what"], (text, f["what"])
print(f"firewall: named: {f['what']}")
PY
}
# rules: what the director's firewall holds, to see that the doctor changed none of it.
rules() { ipt -S; lab_ns director nft list ruleset; }

doctor_expect director ""
http_through_vip || lab_fail "HTTP through the VIP before any firewall rule"

# 1. A rule that drops TCP to the VIP.
ipt -A INPUT -d "$VIP/32" -p tcp --dport 80 -j DROP
! http_through_vip || lab_fail "the iptables rule does not drop HTTP to the VIP: the test would prove nothing"
[ -z "$(lab_ns director nft list ruleset)" ] || lab_fail "nft shows rules: the legacy tables were expected apart"
rules >"$W/rules.before"
expect_warning iptables-legacy "-A INPUT -d $VIP/32 -p tcp -m tcp --dport 80 -j DROP"
rules | cmp -s - "$W/rules.before" || lab_fail "the doctor changed the firewall"
ipt -D INPUT -d "$VIP/32" -p tcp --dport 80 -j DROP
doctor_expect director ""
http_through_vip || lab_fail "HTTP through the VIP after the rule was removed"

# 2. A drop policy on INPUT, no rule naming the VIP (replies to the director's own probes of the
# real servers are let in, as any such firewall does).
ipt -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT
ipt -P INPUT DROP
! http_through_vip || lab_fail "the drop policy does not drop HTTP to the VIP"
expect_warning iptables-legacy ":INPUT DROP"
ipt -P INPUT ACCEPT
ipt -F INPUT
doctor_expect director ""
http_through_vip || lab_fail "HTTP through the VIP after the policy was reset"
echo "firewall OK"
