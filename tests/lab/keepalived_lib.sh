# Bash helpers for the keepalived lab tests (sourced after net.sh): real keepalived daemons in
# network namespaces of the guest, their dump files, and the VRRP pair.
#
# Every instance NAME keeps all it writes under /tmp/ka/NAME (tmpfs in the guest): its config
# (keepalived.conf), its log, its three pid files and, through TMPDIR, its dump files
# (keepalived.data, keepalived_check.data, keepalived.json).
#   ka_director_conf: the NAT lab's director (lab_nat_topology) with a NAT virtual server of two
#     real servers, a DR one and a fwmark one, all with TCP_CHECK, and one VRRP instance.
#   ka_start NS NAME [KEEPALIVED ARGS...]: start keepalived in NS with /tmp/ka/NAME/keepalived.conf.
#   ka_dump NAME: SIGUSR1 to NAME's parent; waits for both fresh dump files.
#   ka_vrrp_pair: namespaces vr1 and vr2 on bridge vr-br, each with keepalived (VRRP only).
# KA_GLOBALS (director) and KA_PAIR_GLOBALS (the pair; @NS@ is the instance's name) are lines
# added to global_defs, e.g. the notify FIFOs.
#   ka_fifo_capture NAME FIFO OUT: copy what keepalived writes to its FIFO into OUT (background;
#     ka_fifo_capture_stop ends it). Only while nothing else reads the FIFO: a line goes to one reader.
KA=/tmp/ka
# The parent process's pid file of instance NAME.
ka_pid() { cat "$KA/$1/keepalived.pid"; }

ka_start() {
	local ns=$1 name=$2 d=$KA/$2
	shift 2
	mkdir -p "$d"
	# -n: no fork, so the log goes to our file; -l -D: log to the console, with details.
	lab_ns "$ns" env TMPDIR="$d" keepalived -n -l -D -f "$d/keepalived.conf" \
		-p "$d/keepalived.pid" -r "$d/vrrp.pid" -c "$d/checkers.pid" "$@" \
		</dev/null >"$d/log" 2>&1 &
	local i
	for i in $(seq 50); do
		[ -s "$d/keepalived.pid" ] && return 0
		sleep 0.1
	done
	cat "$d/log"
	lab_fail "keepalived $name did not write its pid file"
}

# ka_stop NAME: SIGTERM to the parent, wait until it is gone.
ka_stop() {
	local pid i
	pid=$(ka_pid "$1")
	kill "$pid"
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	lab_fail "keepalived $1 (pid $pid) did not stop"
}

# ka_dump NAME [FILE...]: SIGUSR1 to NAME's parent, then wait until each FILE (default:
# keepalived.data and keepalived_check.data) is newer than the request.
ka_dump() {
	local name=$1 d=$KA/$1 i f fresh
	shift
	(($#)) || set -- keepalived.data keepalived_check.data
	touch "$d/.asked"
	sleep 0.01
	kill -USR1 "$(ka_pid "$name")"
	for i in $(seq 50); do
		fresh=1
		for f in "$@"; do [ "$d/$f" -nt "$d/.asked" ] || fresh=0; done
		if ((fresh)); then
			sleep 0.2 # the children write in several steps
			return 0
		fi
		sleep 0.1
	done
	ls -l --full-time "$d"
	lab_fail "keepalived $name wrote no fresh $* within 5 s of SIGUSR1"
}

# ka_wait_log NAME REGEX [SECONDS]: wait until NAME's log has a line matching REGEX.
ka_wait_log() {
	local i
	for i in $(seq $((${3:-10} * 10))); do
		grep -Eq "$2" "$KA/$1/log" && return 0
		sleep 0.1
	done
	tail -n 40 "$KA/$1/log"
	lab_fail "keepalived $1: no log line matching '$2' within ${3:-10} s"
}

# The NAT lab's director: VIP:80 NAT over RS1 and RS2, VIP2:80 DR, fwmark 7 NAT; TCP_CHECK every
# second with a 1 s connect timeout and no retry, so a stopped server is dead within about 2 s.
ka_director_conf() {
	export VIP2=203.0.113.101 VRRP_VIP=203.0.113.110
	mkdir -p "$KA/director"
	local check="TCP_CHECK { connect_timeout 1 retry 0 }"
	cat >"$KA/director/keepalived.conf" <<C
global_defs {
	router_id lab-director
	lvs_flush_on_stop VS
	${KA_GLOBALS:-}
}
vrrp_instance VI_LAB {
	state MASTER
	interface out0
	virtual_router_id 51
	priority 150
	advert_int 1
	virtual_ipaddress {
		$VRRP_VIP/24 dev out0
	}
}
virtual_server $VIP 80 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server $RS1 80 {
		weight 3
		$check
	}
	real_server $RS2 80 {
		weight 2
		$check
	}
}
virtual_server $VIP2 80 {
	delay_loop 1
	lb_algo wrr
	lb_kind DR
	protocol TCP
	real_server $RS1 80 {
		weight 1
		$check
	}
	real_server $RS2 80 {
		weight 1
		$check
	}
}
virtual_server fwmark 7 {
	delay_loop 1
	lb_algo rr
	lb_kind NAT
	real_server $RS1 80 {
		weight 1
		TCP_CHECK { connect_port 80 connect_timeout 1 retry 0 }
	}
}
C
	ip -n director addr add "$VIP2/24" dev out0
}

# Two VRRP routers on one bridge (vr-br in the root netns): vr1 (priority 150) and vr2 (100),
# one instance VI_PAIR with VIP 192.0.2.100. Waits until vr1 is MASTER and vr2 BACKUP.
ka_vrrp_pair() {
	lab_netns vr1 vr2
	ip link add vr-br type bridge forward_delay 0
	ip link set vr-br up
	local ns prio ip extra
	for ns in vr1 vr2; do
		[ "$ns" = vr1 ] && { prio=150; ip=192.0.2.1; } || { prio=100; ip=192.0.2.2; }
		lab_veth "$ns" eth0 - "$ns-port"
		ip link set "$ns-port" master vr-br
		ip -n "$ns" addr add "$ip/24" dev eth0
		mkdir -p "$KA/$ns"
		extra=${KA_PAIR_GLOBALS:-}
		extra=${extra//@NS@/$ns}
		cat >"$KA/$ns/keepalived.conf" <<C
global_defs {
	router_id $ns
	$extra
}
vrrp_instance VI_PAIR {
	state BACKUP
	interface eth0
	virtual_router_id 77
	priority $prio
	advert_int 1
	virtual_ipaddress {
		192.0.2.100/24 dev eth0
	}
}
C
	done
	lab_ping vr1 192.0.2.2
	ka_start vr1 vr1 -P
	ka_start vr2 vr2 -P
	ka_wait_log vr1 'VI_PAIR.*Entering MASTER STATE' 15
	ka_wait_log vr2 'VI_PAIR.*Entering BACKUP STATE' 15
}

# ka_http NS IP NAME: busybox httpd in the foreground of a background job on IP:80, its pid in
# /tmp/ka/http-NAME.pid (so one real server's daemon can be stopped and started again).
ka_http() {
	local dir=/tmp/lab-www/$3
	mkdir -p "$dir"
	echo "$3" >"$dir/index.html"
	# Not through lab_ns: a backgrounded function would leave $! the pid of a subshell.
	ip netns exec "$1" busybox httpd -f -p "$2:80" -h "$dir" </dev/null >/dev/null 2>&1 &
	echo $! >"$KA/http-$3.pid"
	lab_wait_listen "$1" t 80
}
ka_http_stop() { kill "$(cat "$KA/http-$1.pid")"; }

ka_fifo_capture() {
	local i
	for i in $(seq 50); do
		[ -p "$KA/$1/$2" ] && break
		sleep 0.1
	done
	[ -p "$KA/$1/$2" ] || lab_fail "keepalived $1 made no FIFO $2"
	cat "$KA/$1/$2" >"$KA/$1/$3" &
	echo $! >"$KA/$1/$3.pid"
}
ka_fifo_capture_stop() { kill "$(cat "$KA/$1/$2.pid")"; }

# ka_print NAME FILE...: the files of instance NAME on the console between markers, for the host
# side to read (tests/keepalived_lab.rs): "@@KA_FILE NAME/FILE@@" ... "@@KA_END@@".
ka_print() {
	local name=$1 f
	shift
	for f in "$@"; do
		[ -f "$KA/$name/$f" ] || lab_fail "keepalived $name wrote no $f"
		echo "@@KA_FILE $name/$f@@"
		cat "$KA/$name/$f"
		echo "@@KA_END@@"
	done
}
