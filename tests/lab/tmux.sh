# Driving the console in a tmux session from a guest script: source after net.sh, with T (the tmux
# session) and W (a work directory) set. lab_fail comes from net.sh.

# screen [FILE]: the visible screen into FILE (default $W/screen).
screen() { tmux capture-pane -p -t $T >"${1:-$W/screen}"; }
# key KEY...: tmux key names (Enter, Tab, BSpace, Escape, Home, Down, Left); text: literal characters.
key() {
	local k
	for k in "$@"; do
		tmux send-keys -t $T "$k"
		sleep 0.3
	done
}
text() {
	tmux send-keys -t $T -l "$1"
	sleep 0.3
}
# show_screen: the screen, and the last lines of the console's log when it has one
# ($W/console.$T.log: pass `--log-file $W/console.$T.log`): whether keys arrived, polls ran.
show_screen() {
	screen "$W/last"
	sed 's/^/    | /' "$W/last"
	if [ -s "$W/console.$T.log" ]; then
		echo "    the console's log, last lines:"
		tail -n 20 "$W/console.$T.log" | cut -c1-300 | sed 's/^/    log | /'
	fi
}
# wait_screen ERE SECONDS MESSAGE: until the screen has a line matching ERE.
wait_screen() {
	local i
	for i in $(seq $(($2 * 4))); do
		screen
		grep -Eq -- "$1" "$W/screen" && return 0
		sleep 0.25
	done
	show_screen
	lab_fail "$3 (waited $2 s for /$1/ on the screen, shown above)"
}
# wait_polled SECONDS MESSAGE: until the console has drawn its first poll (the header names the
# IPVS version then): keys that need the table or the host read find them.
wait_polled() { wait_screen "· IPVS [0-9]" "$1" "$2"; }
# wait_gone ERE SECONDS MESSAGE: until no line of the screen matches ERE.
wait_gone() {
	local i
	for i in $(seq $(($2 * 4))); do
		screen
		grep -Eq -- "$1" "$W/screen" || return 0
		sleep 0.25
	done
	show_screen
	lab_fail "$3 (waited $2 s for /$1/ to leave the screen, shown above)"
}
# wait_for TEXT MESSAGE: up to 30 s for TEXT (a fixed string, not a pattern) on the screen.
wait_for() {
	local i
	for i in $(seq 100); do
		screen
		grep -qF -- "$1" "$W/screen" && return 0
		sleep 0.3
	done
	show_screen
	lab_fail "$2 (no \"$1\" on screen within 30 s, shown above)"
}

# The directors page's rows (issue 13): one per director, the selected one marked ▸.
rows() { grep -E '^ (▸|  ) ' "$W/screen" || true; }
# directors_reachable N MESSAGE: up to 30 s for N rows of the directors page reachable and polled.
directors_reachable() {
	local i
	for i in $(seq 100); do
		screen
		[ "$(rows | grep -c 'reachable, polled')" = "$1" ] && ! grep -q UNREACHABLE "$W/screen" && return 0
		sleep 0.3
	done
	show_screen
	lab_fail "$2 (waited 30 s for $1 directors reachable, shown above)"
}
# wait_weight NS ADDR:PORT WEIGHT MESSAGE: up to 30 s for NS's ipvsadm -Ln to show that masqueraded
# real server at WEIGHT.
wait_weight() {
	local i re="-> ${2//./\\.} +Masq +$3 "
	for i in $(seq 100); do
		lab_ns "$1" ipvsadm -Ln | grep -Eq -- "$re" && return 0
		sleep 0.3
	done
	lab_ns "$1" ipvsadm -Ln
	show_screen
	lab_fail "$4 (waited 30 s for $2 at weight $3 in $1)"
}
