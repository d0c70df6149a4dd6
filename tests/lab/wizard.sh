#!/usr/bin/env bash
# Lab test (guest side): the classic LVS labs built with the console's setup wizard (W) only,
# driven by keys in tmux, one console per netns, from namespaces, links and addresses with nothing
# of LVS on them. Argument: nat or dr.
# nat: the director (W, 1: VIP, interface out0, scheduler rr, both real servers) gets ip_forward,
#   the VIP and the rules, after a plan failing at its third step left it as it was; a real
#   server's wizard (W, 6) advises the gateway and changes nothing; with the gateways set as
#   advised, curl from the client through the VIP reaches both.
# dr: the director (W, 2, defaults kept), then each real server (W, 4: VIP on lo, ARP sysctls; the
#   interface typed on rs1, prefilled from the default route on rs2);
#   curl through the VIP reaches both, and the client's ARP entry for the VIP is the director's.
# Both: the doctor pane opens after the plan with no problem; u in the director's console undoes
# the whole plan in one step.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/tmux.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
LAB=${1:?usage: wizard.sh nat|dr}
W=$(mktemp -d /tmp/wizard.XXXXXX)
step() { echo "wizard-$LAB: $*"; }

# console NS: a console in netns NS, in the tmux session NS, which becomes the one driven (T).
console() {
	T=$1
	tmux new-session -d -s "$T" -x 160 -y 48 "LANG=C.UTF-8 ip netns exec $1 $TUI --audit-log $W/audit.$1 --log-file $W/console.$1.log; sleep 600"
	wait_polled 30 "the console in netns $1 did not draw its first poll"
}
# audit_lines NS: how many changes the console in NS has logged.
audit_lines() { cat "$W/audit.$1" 2>/dev/null | wc -l; }
# no_line ERE MESSAGE: fail, showing the screen, when a line of the last screen matches ERE.
no_line() { grep -Eq -- "$1" "$W/screen" && { show_screen; lab_fail "$2"; } || true; }
# open_role DIGIT ROLE FIRST_FIELD: W, the role by its digit; page 2 shows FIRST_FIELD.
open_role() {
	key W
	wait_screen "Role of this machine" 10 "W did not open the wizard's first page (Role of this machine)"
	text "$1"
	wait_screen "^.* ▶ $3 " 10 "choosing $1 ($2) did not open its form with $3 focused"
}
# field_empty LABEL: the form shows LABEL without a value (its placeholder, or nothing).
field_empty() {
	screen
	local line
	line=$(grep -E -m1 -- "^.*(▶|   )$1  " "$W/screen" || true)
	[ -n "$line" ] || { show_screen; lab_fail "the form has no field '$1'"; }
	grep -Eq -- "$1 +(\(.*\))? *(│.*)?$" <<<"$line" || { show_screen; lab_fail "the field '$1' is not empty: $line (this netns has no default route)"; }
}
# to_plan: Enter on the form; the plan page shows. Its text inside the box, joined into one line
# (long lines wrap), goes to plan.$T.text.
to_plan() {
	key Enter
	wait_screen "Plan for" 15 "Enter on the form did not show the plan page"
	screen "$W/plan.$T"
	sed -n 's/^.*│\(.*\)│.*$/\1/p' "$W/plan.$T" | tr -s ' \n' '  ' >"$W/plan.$T.text"
}
# show_plan: the plan page's commands and advice, as the output's record of what the wizard planned.
show_plan() { sed -n 's/^.*│ *\(\$ .*\|advice: .*\|  *[^ ].*\) *│.*$/    plan | \1/p' "$W/plan.$T" | grep -v "Enter \|These " | sed 's/ *$//' || true; }
# plan_has TEXT...: the plan page lists each TEXT (fixed strings).
plan_has() {
	local t
	for t in "$@"; do
		grep -qF -- "$t" "$W/plan.$T.text" || { sed 's/^/    | /' "$W/plan.$T"; lab_fail "the plan page does not show: $t"; }
	done
}
# apply_plan: Enter on the plan page; the wizard closes and the doctor pane opens with its findings,
# which must hold no problem (hints are listed in the output).
apply_plan() {
	key Enter
	wait_screen "Doctor [0-9]+ .*(no problem found|problem\(s\))" 30 "Enter on the plan did not open the doctor pane with its findings"
	wait_gone "Setup wizard" 5 "the wizard is still open after its plan was applied"
	grep -Eq "Doctor [0-9]+ .*no problem found" "$W/screen" || { show_screen; lab_fail "the doctor finds problems after the wizard's plan"; }
	grep -E " (hint|WARNING) " "$W/screen" | sed "s/^/    $T doctor: /" || true
}
# rules LINE...: ipvsadm -Sn in the director netns is exactly LINEs.
rules() {
	printf '%s\n' "$@" >"$W/rules.want"
	lab_ns director ipvsadm -Sn >"$W/rules.got"
	diff -u --label "expected ipvsadm -Sn" --label "ipvsadm -Sn" "$W/rules.want" "$W/rules.got" || lab_fail "the director's table is not the wizard's plan"
}
# undo_all DEV: u in the director's console takes the whole plan back: no rule, no VIP on DEV.
undo_all() {
	T=director
	key Escape
	wait_screen "Services [0-9]" 10 "Esc did not close the doctor pane"
	key u
	for i in $(seq 40); do
		[ -z "$(lab_ns director ipvsadm -Sn)" ] && break
		[ "$i" = 40 ] && { show_screen; lab_ns director ipvsadm -Sn; lab_fail "u did not remove the wizard's rules within 10 s"; }
		sleep 0.25
	done
	ip -n director -o addr show dev "$1" >"$W/addrs"
	grep -q "inet $VIP/" "$W/addrs" && { cat "$W/addrs"; lab_fail "u left the VIP on $1"; }
	true
}

nat_lab() {
	lab_nat_links
	lab_nat_servers
	[ "$(lab_ns director sysctl -n net.ipv4.ip_forward)" = 0 ] || lab_fail "ip_forward is on before the wizard"
	[ -z "$(lab_ns director ipvsadm -Sn)" ] || lab_fail "the director has IPVS rules before the wizard"

	# --- the director: W, Esc; W, 1, the form ----------------------------------------------------
	console director
	key W
	wait_screen "Role of this machine" 10 "W did not open the wizard"
	for r in "1.*nat-director" "2.*dr-director" "3.*tun-director" "4.*dr-real-server" "5.*tun-real-server" "6.*nat-real-server"; do
		grep -Eq -- "$r" "$W/screen" || { show_screen; lab_fail "the role page does not offer $r"; }
	done
	key Escape
	wait_gone "Role of this machine" 10 "Esc did not close the wizard"
	step "W shows the six roles; Esc closes it"
	open_role 1 nat-director VIP
	field_empty interface
	field_empty label
	for f in "protocol +(‹ )?tcp" "port +80" "scheduler +(‹ )?wlc" "persistence +0"; do
		grep -Eq -- "$f" "$W/screen" || { show_screen; lab_fail "the form does not prefill /$f/"; }
	done
	step "W, 1: the nat-director form, interface and label empty (no default route), tcp 80 wlc 0 prefilled"
	text "$VIP"
	key Tab
	text out0
	key Tab Tab Tab Tab # label, protocol, port, scheduler
	key BSpace BSpace BSpace
	text nosuchsched # passes the form; the kernel refuses it at the plan's third step
	key Tab Tab # persistence, real servers
	text "$RS1, $RS2:80 x"
	key Enter
	wait_screen '! .*weight "x"' 10 "a real server with the weight x is not refused under its field"
	no_line "Plan for" "a real server with the weight x went on to the plan"
	grep -qF "$RS2:80 x" "$W/screen" || { show_screen; lab_fail "the typed real servers did not stay after the error"; }
	step "real servers '$RS1, $RS2:80 x': refused under the field ($(grep -o '! .*weight "x".*' "$W/screen" | sed 's/ *│.*//')), the text stays"
	key BSpace
	text 2
	to_plan
	plan_has "sysctl -w net.ipv4.ip_forward=1" "ip addr add $VIP/32 dev out0" "ipvsadm -A -t $VIP:80 -s nosuchsched"
	director_state() { ip -n director -o addr; lab_ns director sysctl -n net.ipv4.ip_forward; lab_ns director ipvsadm -Sn; }
	director_state >"$W/director.before"
	key Enter
	wait_screen "│ ! " 30 "a plan failing at its third step (scheduler nosuchsched) shows no error on the plan page"
	sed -n '/│ ! /,/Esc back/p' "$W/screen" | grep -v "Esc back" | sed 's/^[^│]*│ [! ] /    plan error | /; s/ *│.*$//'
	grep -q "Plan for nat-director" "$W/screen" || { show_screen; lab_fail "the wizard left the plan page after a failure"; }
	sed -n 's/^.*│\(.*\)│.*$/\1/p' "$W/screen" | tr -s ' \n' '  ' | grep -q "step 3 of 5 (ipvsadm -A -t $VIP:80 -s nosuchsched) failed.* the steps before it were undone" ||
		{ show_screen; lab_fail "the plan page does not say which step failed and that the steps before it were undone"; }
	director_state >"$W/director.after"
	diff -u "$W/director.before" "$W/director.after" || lab_fail "a plan failing at its third step left the director changed"
	step "a plan failing at its third step (-s nosuchsched): the error on the plan page; ip -o addr, ip_forward and ipvsadm -Sn as before"
	key Escape
	wait_screen "▶ real servers" 10 "Esc on the plan page did not go back to the answers, real servers focused"
	key BTab BTab
	wait_screen "▶ scheduler +nosuchsched" 10 "Shift-Tab twice did not focus the scheduler"
	key BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
	text rr
	audit_base=$(audit_lines director)
	to_plan
	plan_has "sysctl -w net.ipv4.ip_forward=1" "ip addr add $VIP/32 dev out0" "ipvsadm -A -t $VIP:80 -s rr" \
		"ipvsadm -a -t $VIP:80 -r $RS1:80 -m -w 1" "ipvsadm -a -t $VIP:80 -r $RS2:80 -m -w 2"
	[ -z "$(lab_ns director ipvsadm -Sn)" ] || lab_fail "the plan page changed IPVS before Enter"
	step "the plan page: ip_forward, the VIP on out0, the service (rr) and both real servers (-m)"
	show_plan
	apply_plan
	rules "-A -t $VIP:80 -s rr" "-a -t $VIP:80 -r $RS1:80 -m -w 1" "-a -t $VIP:80 -r $RS2:80 -m -w 2"
	[ "$(lab_ns director sysctl -n net.ipv4.ip_forward)" = 1 ] || lab_fail "ip_forward is not 1 after the wizard"
	ip -n director -o addr show dev out0 >"$W/addrs"
	grep -q "inet $VIP/32 " "$W/addrs" || { cat "$W/addrs"; lab_fail "ip -o addr: $VIP/32 is not on out0"; }
	[ "$(audit_lines director)" = $((audit_base + 5)) ] || { cat "$W/audit.director"; lab_fail "the audit log holds $(audit_lines director) lines, not the failed plan's $audit_base and the plan's 5"; }
	step "Enter: ipvsadm -Sn, ip_forward 1 and $VIP/32 on out0 as planned; the plan's 5 audit lines after the failed plan's $audit_base; the doctor: no problem"

	# --- a real server: W, 6 is advice only ---------------------------------------------------------
	snapshot() { ip -n rs1 route; ip -n rs1 -o addr; lab_ns rs1 sysctl -a 2>/dev/null | grep -E "^net.ipv4.(ip_forward|conf)"; lab_ns rs1 ipvsadm -Sn; }
	snapshot >"$W/rs1.before"
	console rs1
	open_role 6 nat-real-server director
	text "$DIRECTOR_IN"
	to_plan
	plan_has "ip route replace default via $DIRECTOR_IN"
	grep -E "ip addr|sysctl -w|ipvsadm -" "$W/plan.rs1" && { sed 's/^/    | /' "$W/plan.rs1"; lab_fail "the nat-real-server plan lists changes; it is advice only"; }
	show_plan
	key Enter
	sleep 2
	screen "$W/rs1.after-enter"
	snapshot >"$W/rs1.after"
	diff -u "$W/rs1.before" "$W/rs1.after" || lab_fail "the nat-real-server wizard changed rs1"
	[ "$(audit_lines rs1)" = 0 ] || { cat "$W/audit.rs1"; lab_fail "the nat-real-server wizard logged a change"; }
	step "rs1: W, 6, $DIRECTOR_IN: the plan advises 'ip route replace default via $DIRECTOR_IN'; Enter changed nothing"
	sed -n '1,6p' "$W/rs1.after-enter" | sed 's/^/    after Enter | /'
	tmux kill-session -t rs1
	lab_ns rs1 ip route replace default via "$DIRECTOR_IN"
	lab_ns rs2 ip route replace default via "$DIRECTOR_IN"

	# --- traffic, then u ----------------------------------------------------------------------------
	spread=$(lab_http_spread client "http://$VIP/" 4)
	[ "$spread" = "rs1=2 rs2=2" ] || lab_fail "rr over HTTP through $VIP: $spread, expected 2 each"
	step "curl from the client through $VIP:80: $spread"
	undo_all out0
	[ "$(lab_ns director sysctl -n net.ipv4.ip_forward)" = 0 ] || lab_fail "u left ip_forward on"
	lab_ns client curl -s --max-time 2 "http://$VIP/" >/dev/null && lab_fail "HTTP through $VIP still works after u"
	step "u: no rule, no VIP, ip_forward 0 again, in one step; HTTP through $VIP fails"
	python3 - "$W/audit.director" "$audit_base" <<'PY' || lab_fail "the audit log after u (above)"
import json, sys
entries = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
for e in entries:
    print(f"    audit | {e['command']} | {e['result']}" + (f" | undo of: {e['undo_of']}" if e.get("undo_of") else ""))
plan = entries[int(sys.argv[2]):]
assert len(plan) == 10, f"{len(plan)} lines after the failed plan's, expected the plan's 5 and their 5 undos"
assert all(e["result"] == "ok" for e in plan), "a change that is not ok"
assert all(e.get("undo_of") for e in plan[5:]), "the last 5 lines are not marked as undos"
PY
}

dr_lab() {
	lab_dr_links
	# Listening on every address: the service answers on the VIP, the doctor's probe on the RIP.
	lab_http_server rs1 0.0.0.0 80 rs1
	lab_http_server rs2 0.0.0.0 80 rs2

	# --- the director: W, 2, defaults kept ------------------------------------------------------------
	console director
	open_role 2 dr-director VIP
	text "$VIP"
	key Tab
	text eth0
	key Tab Tab Tab Tab Tab Tab # label, protocol, port, scheduler, persistence, real servers
	text "$RS1, $RS2"
	to_plan
	plan_has "ip addr add $VIP/32 dev eth0" "ipvsadm -A -t $VIP:80 -s wlc" "ipvsadm -a -t $VIP:80 -r $RS1:80 -g -w 1" "ipvsadm -a -t $VIP:80 -r $RS2:80 -g -w 1"
	grep -q "ip_forward" "$W/plan.director" && { sed 's/^/    | /' "$W/plan.director"; lab_fail "a DR director's plan sets ip_forward"; }
	show_plan
	apply_plan
	rules "-A -t $VIP:80 -s wlc" "-a -t $VIP:80 -r $RS1:80 -g -w 1" "-a -t $VIP:80 -r $RS2:80 -g -w 1"
	ip -n director -o addr show dev eth0 >"$W/addrs"
	grep -q "inet $VIP/32 " "$W/addrs" || { cat "$W/addrs"; lab_fail "ip -o addr: $VIP/32 is not on eth0"; }
	step "director: W, 2, $VIP, eth0, '$RS1, $RS2': the VIP on eth0 and the rules (wlc, -g) as planned; the doctor: no problem"

	# --- each real server: W, 4 (rs1 by its digit, rs2 by Down Down Down Enter) -------------------------
	# rs1 has no default route: its interface is typed; rs2 has one: the form offers its interface.
	ip -n rs2 route add default via "$DIRECTOR"
	local ns k how
	for ns in rs1 rs2; do
		console $ns
		if [ $ns = rs1 ]; then
			open_role 4 dr-real-server VIP
			field_empty interface
			text "$VIP"
			key Tab
			text eth0
			how="W, 4, $VIP, Tab, eth0 typed"
		else
			key W
			wait_screen "Role of this machine" 10 "W did not open the wizard"
			key Down Down Down Enter
			wait_screen "^.* ▶ VIP " 10 "Down Down Down Enter did not open the dr-real-server form"
			grep -Eq "   interface +eth0 *│" "$W/screen" || { show_screen; lab_fail "rs2's default route leaves by eth0, but the form does not prefill interface eth0"; }
			text "$VIP"
			how="W, Down Down Down Enter, $VIP, interface eth0 prefilled from the default route"
		fi
		to_plan
		plan_has "ip addr add $VIP/32 dev lo" "sysctl -w net.ipv4.conf.all.arp_ignore=1" "sysctl -w net.ipv4.conf.all.arp_announce=2"
		grep -q ipvsadm "$W/plan.$ns" && { sed 's/^/    | /' "$W/plan.$ns"; lab_fail "a real server's plan adds IPVS rules"; }
		[ $ns = rs2 ] || show_plan
		apply_plan
		ip -n $ns -o addr show dev lo >"$W/addrs"
		grep -q "inet $VIP/32 " "$W/addrs" || { cat "$W/addrs"; lab_fail "$ns: ip -o addr show dev lo lacks $VIP/32"; }
		for k in all.arp_ignore=1 all.arp_announce=2 eth0.arp_ignore=1 eth0.arp_announce=2; do
			[ "$(lab_ns $ns sysctl -n "net.ipv4.conf.${k%=*}")" = "${k#*=}" ] || lab_fail "$ns: net.ipv4.conf.$k is not set"
		done
		step "$ns: $how: $VIP/32 on lo, arp_ignore 1 and arp_announce 2 (all, eth0); the doctor: no problem"
		tmux kill-session -t $ns
	done

	# --- traffic, the client's ARP entry, then u ----------------------------------------------------
	spread=$(lab_http_spread client "http://$VIP/" 4)
	[ "$spread" != "rs1=0 rs2=4" ] && [ "$spread" != "rs1=4 rs2=0" ] || lab_fail "HTTP through $VIP reached only one real server: $spread"
	step "curl from the client through $VIP:80 (wlc): $spread"
	dmac=$(ip -n director -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
	grep -q "$dmac" <<<"$(ip -n client neigh show "$VIP")" || lab_fail "the client's ARP entry for $VIP is not the director's ($dmac): $(ip -n client neigh show "$VIP")"
	step "the client's ARP entry for $VIP is the director's MAC $dmac"
	undo_all eth0
	step "u: no rule and no VIP on the director again, in one step"
}

case $LAB in
nat) nat_lab ;;
dr) dr_lab ;;
*) lab_fail "wizard.sh: unknown lab '$LAB' (nat or dr)" ;;
esac
tmux kill-server
echo "wizard-$LAB OK"
