#!/usr/bin/env bash
# Lab test (guest side): the host panes driven by keys in tmux, in the director netns of the NAT
# topology. The VIP is taken off the director and ip_forward turned off first; the services pane
# marks the service whose VIP is bound nowhere (✗); i, b binds the VIP to out0 (checked with
# `ip -o addr`), after which the mark is gone; s, Enter sets ip_forward to 1 (checked with
# `sysctl -n`); the audit log holds both commands. Then, with ip_forward turned off from outside,
# H (the doctor) reports ip_forward_off and Enter, Enter applies its fix.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/tmux.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/hostpanes.XXXXXX)
LOG=/tmp/audit.log
T=host # tmux session
d() { lab_ns director "$@"; }
step() { echo "hostpanes: $*"; }

lab_nat_topology
lab_nat_servers
d ip addr del "$VIP/24" dev out0
d sysctl -qw net.ipv4.ip_forward=0
d ipvsadm -A -t "$VIP:80" -s rr
d ipvsadm -a -t "$VIP:80" -r "$RS1:80" -m
# addrs: out0's addresses into a file (with pipefail, grep -q ending a pipe early fails it)
addrs() { d ip -o addr show dev out0 >"$W/addrs"; }
addrs
grep -q "inet $VIP/" "$W/addrs" && lab_fail "the VIP is still on out0 before the test"

rm -f "$LOG"
tmux kill-session -t $T 2>/dev/null || true
# A UTF-8 locale, so that tmux passes the marks through.
tmux new-session -d -s $T -x 160 -y 48 "LANG=C.UTF-8 ip netns exec director $TUI --audit-log $LOG; sleep 600"
wait_screen "Services [0-9]" 30 "the console did not draw its services pane"

# --- 1. the VIP bound nowhere is marked ------------------------------------------------------------
wait_screen "✗TCP $VIP:80" 15 "the service of the unbound VIP $VIP is not marked ✗"
step "services pane: ✗ TCP $VIP:80 while $VIP is bound nowhere"

# --- 2. i, b: bind the VIP to out0 -----------------------------------------------------------------
key i
wait_screen "Interfaces [0-9]" 10 "i did not open the interfaces pane"
wait_screen "Not bound on this host.*$VIP" 10 "the interfaces pane does not list $VIP as not bound"
key b
wait_screen "Bind a VIP" 10 "b did not open the bind form"
text "$VIP"
key Tab C-u
text out0
wait_screen "\\\$ ip addr add $VIP/32 dev out0" 10 "the bind form does not preview the command"
key Enter
wait_screen "applied: ip addr add $VIP/32 dev out0" 10 "the bind was not applied"
addrs
grep -q "inet $VIP/32 " "$W/addrs" || { cat "$W/addrs"; lab_fail "ip -o addr: $VIP/32 is not on out0"; }
step "i, b, $VIP, Tab, out0, Enter: ip -o addr shows $VIP/32 on out0"
wait_screen "^ out0 .*$DIRECTOR/24" 10 "out0 is not listed"
grep -Eq "$VIP/32 +TCP $VIP:80" "$W/screen" || { show_screen; lab_fail "the pane does not show $VIP/32 as the VIP of TCP $VIP:80"; }
key Escape
wait_screen "^ TCP $VIP:80" 10 "the ✗ mark of TCP $VIP:80 did not go once its VIP was bound"
grep -q "✗" "$W/screen" && { show_screen; lab_fail "a ✗ mark is still shown"; }
step "services pane: no ✗ once $VIP is bound"

# --- 3. s, Enter: ip_forward=1 ---------------------------------------------------------------------
[ "$(d sysctl -n net.ipv4.ip_forward)" = 0 ] || lab_fail "ip_forward is not 0 before the test"
key s
wait_screen "LVS sysctls [0-9]" 10 "s did not open the sysctls pane"
wait_screen "net.ipv4.ip_forward +0" 10 "the sysctls pane does not show ip_forward 0"
key Enter
wait_screen "Set net.ipv4.ip_forward" 10 "Enter did not open the sysctl form"
key C-u
text 2
wait_screen "the value must be 0 or 1" 10 "2 is not refused as typed"
key BSpace
text 1
key Enter
wait_screen "applied: sysctl -w net.ipv4.ip_forward=1" 10 "the sysctl was not applied"
[ "$(d sysctl -n net.ipv4.ip_forward)" = 1 ] || lab_fail "sysctl -n net.ipv4.ip_forward is $(d sysctl -n net.ipv4.ip_forward), not 1"
wait_screen "net.ipv4.ip_forward +1" 10 "the sysctls pane does not show ip_forward 1 after the change"
step "s, Enter, 1, Enter: sysctl -n net.ipv4.ip_forward is 1 and the pane shows it"

# --- 4. the traffic goes through, and the audit log has both -------------------------------------------
[ "$(lab_http_get client "http://$VIP/")" = rs1 ] || lab_fail "HTTP through $VIP did not reach rs1"
step "curl from the client through $VIP reaches rs1"
grep -q "\"command\":\"ip addr add $VIP/32 dev out0\"" "$LOG" || { cat "$LOG"; lab_fail "the audit log lacks the bind"; }
grep -q '"command":"sysctl -w net.ipv4.ip_forward=1"' "$LOG" || { cat "$LOG"; lab_fail "the audit log lacks the sysctl"; }
step "audit log: both commands"
# --- 5. H: the doctor finds ip_forward turned off behind the console's back, and fixes it --------------
key Escape
wait_screen "Services [0-9]" 10 "Esc did not close the sysctls pane"
d sysctl -qw net.ipv4.ip_forward=0
key H
wait_screen "ERROR +ip_forward_off" 20 "the doctor does not report ip_forward_off"
grep -q "vip_not_bound" "$W/screen" && { show_screen; lab_fail "the doctor reports a VIP not bound after the bind"; }
key Home Enter
wait_screen "\\$ sysctl -w net.ipv4.ip_forward=1" 10 "Enter did not ask to apply the fix"
key Enter
wait_screen "applied: sysctl -w net.ipv4.ip_forward=1" 10 "the doctor's fix was not applied"
[ "$(d sysctl -n net.ipv4.ip_forward)" = 1 ] || lab_fail "after the doctor's fix, ip_forward is $(d sysctl -n net.ipv4.ip_forward)"
wait_screen "Doctor [0-9]" 20 "the doctor did not look again after the fix"
for i in $(seq 20); do screen; grep -q ip_forward_off "$W/screen" || break; sleep 0.5; done
grep -q ip_forward_off "$W/screen" && { show_screen; lab_fail "the doctor still reports ip_forward_off after its fix"; }
step "H: ip_forward_off found, Enter Enter fixed it (sysctl -n: 1), and the doctor no longer reports it"
grep -c '"command":"sysctl -w net.ipv4.ip_forward=1"' "$LOG" | grep -qx 2 || { cat "$LOG"; lab_fail "the audit log lacks the doctor's fix"; }
tmux kill-session -t $T
echo "hostpanes OK"
