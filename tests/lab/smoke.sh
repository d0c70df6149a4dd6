#!/usr/bin/env bash
# Lab smoke test (guest side): IPVS works in the root netns, all schedulers load, tmux has ptys.
set -euo pipefail
fail() { echo "FAIL: $*"; exit 1; }

ipvsadm -A -t 192.0.2.1:80 -s rr
ipvsadm -a -t 192.0.2.1:80 -r 192.0.2.11:80 -m -w 70000
out=$(ipvsadm -Ln)
echo "$out"
grep -Eq '^TCP +192\.0\.2\.1:80 rr' <<<"$out" || fail "service 192.0.2.1:80 rr not listed"
grep -Eq -- '-> 192\.0\.2\.11:80 +Masq +70000 ' <<<"$out" || fail "real server 192.0.2.11:80 Masq weight 70000 not listed"

port=1000
for s in rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh; do # each needs its module
	ipvsadm -A -u 192.0.2.2:$((port++)) -s "$s" || fail "scheduler $s unavailable"
done
[ "$(ipvsadm -Ln | grep -c '^UDP')" = 13 ] || fail "expected 13 UDP services"

busybox true || fail "static busybox does not run (GLIBC_TUNABLES?)"
tmux new-session -d -s smoke 'sleep 30' || fail "tmux cannot start a session"
tmux has-session -t smoke || fail "tmux session vanished"
tmux kill-server
[ -x "$IPVS_TUI" ] || fail "IPVS_TUI=$IPVS_TUI is not executable"
echo "smoke OK"
