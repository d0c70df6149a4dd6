#!/usr/bin/env bash
# Lab test (guest side): the console following keepalived's notify FIFOs. The NAT lab's director
# runs keepalived with lvs_notify_fifo and vrrp_notify_fifo; the console follows them (the K page
# says so, dumps every 60 s): a real server's daemon stopped shows DEAD at once, with no dump
# asked in between, and alive again; keepalived restarted closes the FIFOs (back to dumps every
# 10 s) and they are followed again, as after a reload; with an lvs_notify_fifo_script the FIFOs are left to it.
# A VRRP pair with vrrp_notify_fifo: the backup's console flashes MASTER from the FIFO when the
# master stops.
set -euo pipefail
source "$LAB_REPO/tests/lab/net.sh"
source "$LAB_REPO/tests/lab/keepalived_lib.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/keepalived-fifo.XXXXXX)
source "$LAB_REPO/tests/lab/tmux.sh"
mkdir -p "$KA"

lab_nat_topology
ka_http rs1 "$RS1" rs1
ka_http rs2 "$RS2" rs2
LVS_FIFO=$KA/director/lvs.fifo VRRP_FIFO=$KA/director/vrrp.fifo
export KA_GLOBALS="lvs_notify_fifo $LVS_FIFO
	vrrp_notify_fifo $VRRP_FIFO"
export KA_PAIR_GLOBALS="vrrp_notify_fifo $KA/@NS@/vrrp.fifo"
ka_director_conf
ka_start director director
ka_vrrp_pair &
pair=$!
ka_wait_log director 'Activating healthchecker for service \[10.10.0.12\]:tcp:80' 10

# dumps NAME: how many times keepalived NAME has written its dump (SIGUSR1) so far.
dumps() { grep -c "Printing $2 data for process" "$KA/$1/log" || true; }

T=director
tmux new-session -d -s $T -x 160 -y 48 \
	"ip netns exec director $TUI --log-file $W/console.$T.log; echo \$? >$W/rc; sleep 300"
wait_polled 30 "the console did not draw its first poll"
key K
wait_screen "following $LVS_FIFO, $VRRP_FIFO for [0-9]+s: [0-9]+ events, 0 lines not understood; dump every 60 s" 30 \
	"the K page says the FIFOs are followed and dumps are slow"
sleep 1 # the dump asked when following began
before=$(dumps director checker)
echo "console: following the FIFOs ($before dumps so far)"

# rs2's daemon stops: the K page shows it DEAD as soon as keepalived says so, without a dump.
ka_http_stop rs2
ka_wait_log director 'Removing service \[10.10.0.12\]:tcp:80 from VS \[203.0.113.100\]:tcp:80' 10
wait_screen "-> $RS2:80 +DEAD +1/1 checkers failed \(TCP_CHECK\)" 3 "rs2 DEAD from the FIFO"
after=$(dumps director checker)
[ "$after" = "$before" ] || lab_fail "keepalived was asked for a dump ($before -> $after): not the FIFO's doing"
grep -q 'RS \[10.10.0.12\]:tcp:80 \[203.0.113.100\]:tcp:80 DOWN' "$W/console.$T.log" ||
	lab_fail "the debug log has no FIFO line for rs2"
# rs2's checker in VIP2:80 fails on its own schedule: wait for both.
for i in $(seq 25); do
	lab_ns director "$TUI" keepalived --json >"$W/ka.json"
	[ "$(grep -o '"alive": false' "$W/ka.json" | wc -l)" -ge 2 ] && break
	sleep 0.2
done
python3 -c '
import json, sys
got = json.load(open(sys.argv[1]))
dead = sorted(r["addr"] for v in got["virtual_servers"] for r in v["real_servers"] if not r["alive"])
assert dead == ["10.10.0.12", "10.10.0.12"], dead
' "$W/ka.json" || lab_fail "keepalived --json does not show rs2 dead"
echo "console: rs2 DEAD from the FIFO, no dump asked; the CLI agrees"
before=$(dumps director checker) # the CLI asked one
ka_http rs2 "$RS2" rs2
wait_gone "DEAD" 8 "rs2 alive again from the FIFO"
wait_screen "-> $RS2:80 +alive +0/1 checkers failed" 1 "rs2 alive again"
[ "$(dumps director checker)" = "$before" ] || lab_fail "keepalived was asked for a dump while following"
echo "console: rs2 alive again from the FIFO"

# keepalived restarts: the FIFOs close, dumps every 10 s, then the new FIFOs are followed.
ka_stop director
wait_screen "dump every 10 s \(($LVS_FIFO|$VRRP_FIFO) closed [0-9]+s ago: followed again after the next dump\)" 10 \
	"a closed FIFO falls back to dumps"
ka_start director director
wait_screen "following $LVS_FIFO, $VRRP_FIFO for [0-9]+s: .*; dump every 60 s" 30 "the new FIFOs are followed"
echo "console: FIFOs closed, dumps, followed again after keepalived's restart"

# keepalived reloads (SIGHUP): its processes close their FIFOs and make them again.
closed=$(grep -c "keepalived closed its FIFO" "$W/console.$T.log" || true)
followed=$(grep -c "keepalived FIFOs followed" "$W/console.$T.log")
kill -HUP "$(ka_pid director)"
for i in $(seq 40); do
	[ "$(grep -c "keepalived closed its FIFO" "$W/console.$T.log")" -gt "$closed" ] && break
	sleep 0.25
done
[ "$(grep -c "keepalived closed its FIFO" "$W/console.$T.log")" -gt "$closed" ] || lab_fail "no FIFO closed on keepalived's reload"
for i in $(seq 100); do
	[ "$(grep -c "keepalived FIFOs followed" "$W/console.$T.log")" -gt "$followed" ] && break
	sleep 0.25
done
[ "$(grep -c "keepalived FIFOs followed" "$W/console.$T.log")" -gt "$followed" ] || lab_fail "the FIFOs were not followed again after the reload"
wait_screen "following $LVS_FIFO, $VRRP_FIFO for [0-9]s: .*; dump every 60 s" 5 "the K page says they are followed again"
echo "console: FIFOs followed again after keepalived's reload"

# keepalived runs a reader of its own (lvs_notify_fifo_script): the console leaves the FIFOs
# to it, says so, and asks for dumps; the script still gets every line.
ka_stop director
cat >"$KA/reader.sh" <<'S'
#!/bin/sh
exec cat "$1" >>/tmp/ka/director/script.lines
S
chmod 755 "$KA/reader.sh"
sed -i "s|^\(\s*\)lvs_notify_fifo .*|&\n\1lvs_notify_fifo_script $KA/reader.sh|" "$KA/director/keepalived.conf"
grep -q "lvs_notify_fifo_script" "$KA/director/keepalived.conf" || lab_fail "no lvs_notify_fifo_script in the config"
ka_start director director
wait_screen "dump every 10 s \(lvs_notify_fifo_script in $KA/director/keepalived.conf reads keepalived's FIFO: not followed" 30 \
	"a FIFO read by keepalived's own script is not followed"
# Counted only now: keepalived's stop, restart and reload above wrote lines the console followed.
fifo_lines=$(grep -c "keepalived FIFO lines" "$W/console.$T.log" || true)
ka_http_stop rs2
ka_wait_log director 'Removing service \[10.10.0.12\]:tcp:80 from VS \[203.0.113.100\]:tcp:80' 10
for i in $(seq 20); do
	grep -q 'RS \[10.10.0.12\]:tcp:80 \[203.0.113.100\]:tcp:80 DOWN' "$KA/director/script.lines" 2>/dev/null && break
	sleep 0.2
done
grep -q 'RS \[10.10.0.12\]:tcp:80 \[203.0.113.100\]:tcp:80 DOWN' "$KA/director/script.lines" ||
	{ cat "$KA/director/script.lines"; lab_fail "keepalived's script did not get the RS DOWN line"; }
[ "$(grep -c "keepalived FIFO lines" "$W/console.$T.log" || true)" = "$fifo_lines" ] ||
	lab_fail "the console read the FIFO keepalived's script reads"
ka_http rs2 "$RS2" rs2
echo "console: a FIFO with keepalived's own script left to it"
key Escape q
for i in $(seq 20); do [ -s "$W/rc" ] && break; sleep 0.25; done
[ "$(cat "$W/rc" 2>/dev/null)" = 0 ] || { show_screen; lab_fail "the console did not quit cleanly"; }
tmux kill-session -t $T

# The VRRP pair: vr2's console follows its vrrp FIFO; vr1 stops; the flash comes from the FIFO.
wait "$pair" || lab_fail "the VRRP pair did not come up"
T=vr2
tmux new-session -d -s $T -x 160 -y 48 "$TUI --netns vr2; sleep 300"
wait_polled 30 "vr2's console did not draw its first poll"
key K
wait_screen "following $KA/vr2/vrrp.fifo for .*; dump every 60 s" 30 "vr2's console follows its FIFO"
wait_screen "VRRP VI_PAIR BACKUP since" 1 "vr2 BACKUP"
sleep 1
before=$(dumps vr2 VRRP)
ka_stop vr1
ka_wait_log vr2 'VI_PAIR.*Entering MASTER STATE' 15
wait_screen "VRRP VI_PAIR: BACKUP → MASTER" 3 "vr2's console flashes MASTER from the FIFO"
grep -Eq "VRRP VI_PAIR MASTER since [0-9:]+ UTC" "$W/screen" || { show_screen; lab_fail "vr2's header does not show MASTER"; }
[ "$(dumps vr2 VRRP)" = "$before" ] || lab_fail "vr2 was asked for a dump: the flash is not the FIFO's"
echo "console: vr2 MASTER from its FIFO"
key Escape q
ka_stop vr2
ka_stop director
echo "keepalived-fifo OK"
