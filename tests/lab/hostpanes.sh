#!/usr/bin/env bash
# Lab test (guest side): the host panes driven by keys in tmux, in the director netns of the NAT
# topology. The VIP is taken off the director and ip_forward turned off first; the services pane
# marks the service whose VIP is bound nowhere (✗); i, b binds the VIP to out0 (checked with
# `ip -o addr`), after which the mark is gone; s, Enter sets ip_forward to 1 (checked with
# `sysctl -n`); the audit log holds both commands. Then, with ip_forward turned off from outside,
# H (the doctor) reports ip_forward_off and Enter, Enter applies its fix. P (persist) writes the
# files `ipvs-tui persist` writes, into persist_dir of config.toml, and overwrites a file changed
# on disk only after naming it. Last, a console on a TUN real server (rs1, VIP on a down tunl0):
# the doctor's fix brings tunl0 up over rtnetlink, u takes it down again (`ip link`).
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
# The persist pane writes under $W/etc (persist_dir in the console's config.toml).
mkdir -p "$W/cfg/ipvs-tui"
echo "persist_dir = \"$W/etc\"" >"$W/cfg/ipvs-tui/config.toml"
tmux new-session -d -s $T -x 160 -y 48 "LANG=C.UTF-8 XDG_CONFIG_HOME=$W/cfg ip netns exec director $TUI --audit-log $LOG --log-file $W/console.$T.log; sleep 600"
wait_polled 30 "the console did not draw its first poll"

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
# The flash of step 3 may still show the same words: wait for the kernel, not the screen.
for i in $(seq 40); do [ "$(d sysctl -n net.ipv4.ip_forward)" = 1 ] && break; sleep 0.25; done
[ "$(d sysctl -n net.ipv4.ip_forward)" = 1 ] || { show_screen; lab_fail "after the doctor's fix, ip_forward is $(d sysctl -n net.ipv4.ip_forward)"; }
wait_screen "applied: sysctl -w net.ipv4.ip_forward=1" 10 "the doctor's fix was not said applied"
wait_screen "Doctor [0-9]" 20 "the doctor did not look again after the fix"
for i in $(seq 20); do screen; grep -q ip_forward_off "$W/screen" || break; sleep 0.5; done
grep -q ip_forward_off "$W/screen" && { show_screen; lab_fail "the doctor still reports ip_forward_off after its fix"; }
step "H: ip_forward_off found, Enter Enter fixed it (sysctl -n: 1), and the doctor no longer reports it"
grep -c '"command":"sysctl -w net.ipv4.ip_forward=1"' "$LOG" | grep -qx 2 || { cat "$LOG"; lab_fail "the audit log lacks the doctor's fix"; }

# --- 6. P: the files `ipvs-tui persist` writes, shown, then written after a confirmation -----------
key Escape
wait_screen "Services [0-9]" 10 "Esc did not close the doctor"
key P
wait_screen "Persist to $W/etc +3 to write" 20 "P did not list three files to write"
wait_screen "new +$W/etc/ipvs-tui/rules" 5 "the rules file is not listed as new"
key Enter
wait_screen "Write these files to $W/etc\\?" 10 "Enter did not ask before writing"
[ -e "$W/etc" ] && lab_fail "files written before the confirmation"
key Enter
wait_screen "persist: wrote $W/etc/ipvs-tui/rules" 10 "the files were not written"
wait_screen "unchanged +$W/etc/systemd/system/ipvs-tui-restore.service" 10 "the pane did not look at the disk again"
d "$TUI" persist --dir "$W/cli" >/dev/null
for f in ipvs-tui/rules ipvs-tui/host.toml; do cmp "$W/etc/$f" "$W/cli/$f" || lab_fail "$f: the console wrote other bytes than ipvs-tui persist"; done
unit=systemd/system/ipvs-tui-restore.service
sed "s|$W/cli|$W/etc|" "$W/cli/$unit" | cmp - "$W/etc/$unit" || lab_fail "the unit differs from ipvs-tui persist's (beyond --dir)"
grep -q "^-a -t $VIP:80 -r $RS1:80 -m" "$W/etc/ipvs-tui/rules" || lab_fail "the rules file lacks the real server"
grep -q "\"command\":\"ipvs-tui persist --dir $W/etc\",\"result\":\"ok\"" "$LOG" || { cat "$LOG"; lab_fail "the audit log lacks the persist entry"; }
step "P: 3 files written after Enter, Enter; the same bytes as ipvs-tui persist; audited"
key Escape
echo "# mine" >"$W/etc/ipvs-tui/rules"
key P
wait_screen "DIFFERS +$W/etc/ipvs-tui/rules" 20 "a rules file changed on disk is not shown as differing"
key Enter
wait_screen "OVERWRITE +$W/etc/ipvs-tui/rules" 10 "the confirmation does not name the file it overwrites"
key Escape
[ "$(cat "$W/etc/ipvs-tui/rules")" = "# mine" ] || lab_fail "Esc in the confirmation wrote the file"
key Enter Enter
wait_screen "unchanged +$W/etc/ipvs-tui/rules" 10 "the differing file was not overwritten after the confirmation"
cmp "$W/etc/ipvs-tui/rules" "$W/cli/ipvs-tui/rules" || lab_fail "the overwritten rules file differs from ipvs-tui persist's"
step "P: a rules file changed on disk shown DIFFERS, named OVERWRITE, kept on Esc, overwritten on Enter, Enter"
tmux kill-session -t $T

# --- 7. a TUN real server's tunl0 brought up by the doctor's fix, and down again by u ---------------
# The guest's init loaded ipip: every namespace has a tunl0.
ip -n rs1 link show tunl0 >/dev/null || lab_fail "no tunl0 in rs1 (is ipip loaded?)"
ip -n rs1 link set tunl0 down
ip -n rs1 addr add "$VIP/32" dev tunl0
tmux new-session -d -s $T -x 160 -y 48 "LANG=C.UTF-8 ip netns exec rs1 $TUI --audit-log $LOG --log-file $W/console.$T.log; sleep 600"
wait_polled 30 "the console did not start on rs1"
key H
wait_screen "ERROR +tunl0_down" 20 "the doctor on rs1 does not report tunl0 down"
# Down to the finding whose fix is shown under the list.
for i in $(seq 12); do screen; grep -q '\$ ip link set dev tunl0 up' "$W/screen" && break; key Down; done
key Enter
wait_screen "Fix: tunl0 is down" 10 "Enter did not ask to apply the tunl0 fix"
key Enter
wait_screen "applied: ip link set dev tunl0 up" 10 "the tunl0 fix was not applied"
ip -n rs1 link show tunl0 >"$W/link"
grep -q "<[^>]*,UP[,>]" "$W/link" || { cat "$W/link"; lab_fail "tunl0 is not up after the doctor's fix"; }
key u
wait_screen "undone: ip link set dev tunl0 up" 10 "u did not undo the tunl0 fix"
ip -n rs1 link show tunl0 >"$W/link"
grep -q "<[^>]*,UP[,>]" "$W/link" && { cat "$W/link"; lab_fail "tunl0 is still up after u"; }
grep -q '"command":"ip link set dev tunl0 down","undo_of":"ip link set dev tunl0 up","result":"ok"' "$LOG" || { cat "$LOG"; lab_fail "the audit log lacks the undo of the tunl0 fix"; }
step "H on rs1: tunl0_down fixed by Enter Enter (ip link: UP), u took it down again, audited"
tmux kill-session -t $T
echo "hostpanes OK"
