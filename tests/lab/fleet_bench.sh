#!/usr/bin/env bash
# Lab benchmark (guest side): console CPU with two remote directors of 1,000 services x 2 real
# servers each (agents in namespaces lb1 and lb2, through `exec:` targets) against one local
# director of the same size (namespace solo), same run, same 2 s refresh, each console showing a
# director's tables. Prints "fleet_bench: ..." figures; fails only when a console does not show
# its table or a measurement is missing.
set -euo pipefail

source "$LAB_REPO/tests/lab/net.sh"
TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/fleet_bench.XXXXXX)
SECS=${BENCH_SECS:-30}
HZ=$(getconf CLK_TCK)
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
now() { date +%s.%N; }
child_of() { # the single child of tmux session $1's pane shell
	local pane p i
	pane=$(tmux list-panes -t "$1" -F '#{pane_pid}')
	for i in $(seq 50); do
		p=$(ps -o pid= --ppid "$pane" | tr -d ' ')
		[ -n "$p" ] && [ "$(wc -w <<<"$p")" = 1 ] && { echo "$p"; return; }
		sleep 0.2
	done
	lab_fail "session $1: pane shell $pane has no single child ('$p')"
}
wait_screen() {
	local i
	for i in $(seq 200); do
		tmux capture-pane -p -t "$1" >"$W/screen.$1"
		grep -qE "$2" "$W/screen.$1" && return
		sleep 0.3
	done
	cat "$W/screen.$1"
	lab_fail "$3"
}

lab_netns solo lb1 lb2
awk 'BEGIN { for (i = 0; i < 1000; i++) {
	vip = sprintf("10.1.%d.%d:80", int(i / 250), i % 250 + 1)
	printf "-A -t %s -s rr\n-a -t %s -r 10.2.0.1:80 -m -w 1\n-a -t %s -r 10.2.0.2:80 -m -w 1\n", vip, vip, vip
} }' >"$W/rules"
for ns in solo lb1 lb2; do
	lab_ns $ns ipvsadm -R <"$W/rules"
	[ "$(lab_ns $ns ipvsadm -Ln | grep -c '^TCP')" = 1000 ] || lab_fail "$ns does not hold 1,000 services"
done
cat >"$W/agent.sh" <<AGENT
#!/bin/sh
exec ip netns exec "\$1" unshare -u sh -c "hostname \$1 && exec $TUI agent --audit-log $W/\$1.log"
AGENT
chmod +x "$W/agent.sh"
trap 'tmux kill-server 2>/dev/null || true' EXIT
tmux new-session -d -s one -x 120 -y 40 "ip netns exec solo $TUI --audit-log $W/one.log; sleep 300"
tmux new-session -d -s two -x 120 -y 40 \
	"$TUI --audit-log $W/two.log --on 'exec:$W/agent.sh lb1' --on 'exec:$W/agent.sh lb2'; sleep 300"
wait_screen one "Services 1000\b" "the local console did not draw its 1,000 services"
wait_screen two "directors  2 in this console" "the two-director console did not open its page"
for i in $(seq 200); do
	tmux capture-pane -p -t two >"$W/screen.two"
	# The page's rows (indented); the header above them counts the director shown.
	[ "$(grep -cE '^ {3,}1000 services, 2000 real servers' "$W/screen.two")" = 2 ] && break
	[ "$i" = 200 ] && { cat "$W/screen.two"; lab_fail "the directors page does not count 1,000 services on both"; }
	sleep 0.3
done
tmux send-keys -t two Enter # lb1's tables, as the local console shows solo's
wait_screen two "Services 1000\b" "the two-director console did not draw lb1's 1,000 services"
sleep 4 # past the first polls' full tables
one=$(child_of one) two=$(child_of two)
a0=$(ticks "$one") b0=$(ticks "$two") t0=$(now)
sleep "$SECS"
a1=$(ticks "$one") b1=$(ticks "$two") t1=$(now)
wait_screen two "Services 1000\b" "the two-director console no longer shows lb1's table"
awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) -v hz="$HZ" -v t0="$t0" -v t1="$t1" 'BEGIN {
	s = t1 - t0
	printf "fleet_bench: console CPU, 1,000 services x 2 real servers per director, 2 s refresh, %.1f s:\n", s
	printf "fleet_bench: cpu one local director %.1f%% of a core (%d ticks)\n", 100 * a / hz / s, a
	printf "fleet_bench: cpu two remote directors %.1f%% of a core (%d ticks)\n", 100 * b / hz / s, b
	if (a > 0) printf "fleet_bench: cpu ratio two remote / one local %.2fx (goal <= 1.5x)\n", b / a
	else printf "fleet_bench: cpu ratio two remote / one local: the local console used no tick\n"
}'
echo "fleet_bench OK"
