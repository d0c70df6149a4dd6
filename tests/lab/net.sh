# Bash library for lab guest scripts: LVS topologies built from netns + veth, and tiny servers.
# Usage: source "$LAB_REPO/tests/lab/net.sh"; lab_nat_topology (or lab_dr_topology); one topology per VM.
#
# The director is the netns "director": its IPVS table is separate from the root netns (IPVS is per
# netns), so run ipvsadm / ipvs-tui there: `lab_ns director ipvsadm -Ln`, `lab_ns director "$IPVS_TUI"`.
# Other namespaces: client, rs1, rs2. All addresses are documentation/private ranges that exist only
# inside the guest; the guest has no network device reaching the host.
#
# lab_nat_topology (LVS-NAT, -m):
#   client eth0 CLIENT=203.0.113.2/24 --- director out0 DIRECTOR=203.0.113.1/24 + VIP=203.0.113.100
#   director bridge in0 DIRECTOR_IN=10.10.0.1/24 --- rs1 eth0 RS1=10.10.0.11, rs2 eth0 RS2=10.10.0.12
#   (real servers' default gateway: DIRECTOR_IN; director has ip_forward=1)
# lab_dr_topology (LVS-DR, -g): one L2 segment, bridge lab-br in the root netns
#   DIRECTOR=198.51.100.1 (+ VIP=198.51.100.100 on eth0), CLIENT=198.51.100.2, RS1=198.51.100.11,
#   RS2=198.51.100.12 (each with VIP/32 on lo, arp_ignore=1, arp_announce=2); DIRECTOR_IN=DIRECTOR.
# Both export VIP VIP_DEV CLIENT DIRECTOR DIRECTOR_IN RS1 RS2 PREFIX.
# lab_nat_links / lab_dr_links: the same namespaces, links and addresses with nothing of LVS (no
# VIP, no ip_forward, no gateway on the NAT real servers, no ARP sysctls), for setting LVS up.

lab_fail() { echo "FAIL: $*" >&2; exit 1; }
lab_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# lab_veth NS1 NAME1 NS2 NAME2: veth pair between two netns ("-" = root netns), both ends up.
lab_veth() {
	ip link add "$2" $(lab_nsopt "$1" netns) type veth peer name "$4" $(lab_nsopt "$3" netns)
	ip $(lab_nsopt "$1" -n) link set "$2" up
	ip $(lab_nsopt "$3" -n) link set "$4" up
}
lab_nsopt() { [ "$1" = - ] || echo "$2 $1"; }

# Namespaces with lo up.
lab_netns() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
	done
}

lab_nat_topology() {
	lab_nat_links
	ip -n director addr add "$VIP/24" dev out0
	ip -n rs1 route add default via "$DIRECTOR_IN"
	ip -n rs2 route add default via "$DIRECTOR_IN"
	lab_ns director sysctl -qw net.ipv4.ip_forward=1
}

lab_nat_links() {
	export PREFIX=24 CLIENT=203.0.113.2 DIRECTOR=203.0.113.1 VIP=203.0.113.100 VIP_DEV=out0
	export DIRECTOR_IN=10.10.0.1 RS1=10.10.0.11 RS2=10.10.0.12
	lab_netns client director rs1 rs2
	lab_veth client eth0 director out0
	ip -n client addr add "$CLIENT/24" dev eth0
	ip -n director addr add "$DIRECTOR/24" dev out0
	ip -n director link add in0 type bridge forward_delay 0
	ip -n director link set in0 up
	ip -n director addr add "$DIRECTOR_IN/24" dev in0
	local rs ip
	for rs in rs1 rs2; do
		[ "$rs" = rs1 ] && ip=$RS1 || ip=$RS2
		lab_veth "$rs" eth0 director "$rs-port"
		ip -n director link set "$rs-port" master in0
		ip -n "$rs" addr add "$ip/24" dev eth0
	done
	lab_ping client "$DIRECTOR"
	lab_ping rs1 "$DIRECTOR_IN"
	lab_ping rs2 "$DIRECTOR_IN"
}

lab_dr_topology() {
	lab_dr_links
	ip -n director addr add "$VIP/24" dev eth0
	local ns
	for ns in rs1 rs2; do
		# The real servers accept VIP traffic but must never answer ARP for the VIP.
		ip -n "$ns" addr add "$VIP/32" dev lo
		lab_ns "$ns" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
			net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
	done
}

lab_dr_links() {
	export PREFIX=24 DIRECTOR=198.51.100.1 CLIENT=198.51.100.2 RS1=198.51.100.11 RS2=198.51.100.12
	export VIP=198.51.100.100 VIP_DEV=eth0 DIRECTOR_IN=198.51.100.1
	lab_netns client director rs1 rs2
	ip link add lab-br type bridge forward_delay 0
	ip link set lab-br up
	local ns ip
	for ns in client director rs1 rs2; do
		case $ns in client) ip=$CLIENT ;; director) ip=$DIRECTOR ;; rs1) ip=$RS1 ;; rs2) ip=$RS2 ;; esac
		lab_veth "$ns" eth0 - "lab-$ns"
		ip link set "lab-$ns" master lab-br
		ip -n "$ns" addr add "$ip/24" dev eth0
	done
	lab_ping client "$DIRECTOR"
	lab_ping director "$RS1"
	lab_ping director "$RS2"
}

# lab_ping NS IP: fail unless NS reaches IP within 5 s (busybox: iputils-ping may be missing).
lab_ping() {
	lab_ns "$1" busybox ping -c1 -w5 "$2" >/dev/null || lab_fail "netns $1 cannot ping $2"
}

# lab_wait_listen NS PROTO(t|u) PORT: wait until something listens on PORT in NS.
lab_wait_listen() {
	local i
	for i in $(seq 50); do
		[ -n "$(lab_ns "$1" ss -Hn"$2"l "sport = :$3")" ] && return 0
		sleep 0.1
	done
	lab_fail "nothing listens on $2 port $3 in netns $1"
}

# lab_http_server NS IP PORT NAME: busybox httpd (daemon) on IP:PORT whose / answers "NAME".
lab_http_server() {
	local ns=$1 ip=$2 port=$3 name=$4 dir=/tmp/lab-www/$4-$3
	mkdir -p "$dir"
	echo "$name" >"$dir/index.html"
	lab_ns "$ns" busybox httpd -p "$ip:$port" -h "$dir" || lab_fail "httpd $ns $ip:$port failed"
	lab_wait_listen "$ns" t "$port"
}

# lab_udp_server NS IP PORT NAME: answers every datagram with "NAME\n" (perl: always on Debian).
lab_udp_server() {
	lab_ns "$1" perl -MIO::Socket::INET -e '
		my ($ip, $port, $name) = @ARGV;
		my $s = IO::Socket::INET->new(LocalAddr => $ip, LocalPort => $port, Proto => "udp") or die "udp: $!";
		while (1) { my $peer = $s->recv(my $buf, 65535) or next; $s->send("$name\n", 0, $peer); }
	' "$2" "$3" "$4" </dev/null >/dev/null 2>&1 &
	lab_wait_listen "$1" u "$3"
}

# The NAT topology's two real servers, each answering HTTP on port 80 and UDP on port 53 with its
# own name (rs1, rs2), so a test can tell where the director sent a request.
lab_nat_servers() {
	lab_http_server rs1 "$RS1" 80 rs1
	lab_udp_server rs1 "$RS1" 53 rs1
	lab_http_server rs2 "$RS2" 80 rs2
	lab_udp_server rs2 "$RS2" 53 rs2
}

# lab_udp_ask NS IP PORT: send one datagram from a fresh socket, print the reply (fail after 3 s).
lab_udp_ask() {
	lab_ns "$1" perl -MIO::Socket::INET -MIO::Select -e '
		my $s = IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort => $ARGV[1], Proto => "udp") or die "udp: $!";
		$s->send("ping\n");
		IO::Select->new($s)->can_read(3) or die "no UDP reply from $ARGV[0]:$ARGV[1]\n";
		$s->recv(my $buf, 65535); print $buf;
	' "$2" "$3"
}

# lab_http_get NS URL: body of URL fetched from NS (fails on error, 5 s timeout).
lab_http_get() {
	lab_ns "$1" curl -sS --fail --max-time 5 "$2"
}

# lab_http_spread NS URL N: N HTTP requests from NS to URL, each body on stderr; prints how many
# each of rs1 and rs2 answered, as "rs1=A rs2=B". Fails on a failed request.
lab_http_spread() {
	local i body
	local -A seen=([rs1]=0 [rs2]=0)
	for i in $(seq "$3"); do
		body=$(lab_http_get "$1" "$2") || lab_fail "HTTP request $i from $1 to $2 failed"
		echo "HTTP $i: $body" >&2
		seen[$body]=$((${seen[$body]:-0} + 1))
	done
	echo "rs1=${seen[rs1]} rs2=${seen[rs2]}"
}

# lab_udp_rr NS VIP PORT: four datagrams from NS answered by rs1 and rs2 in turn (rr).
lab_udp_rr() {
	local i udp=""
	for i in 1 2 3 4; do udp+="$(lab_udp_ask "$1" "$2" "$3") "; done
	echo "UDP: $udp"
	[ "$udp" = "rs1 rs2 rs1 rs2 " ] || [ "$udp" = "rs2 rs1 rs2 rs1 " ] || lab_fail "rr over UDP to $2:$3 answered: $udp"
}

# lab_conns NS PROTO ADDR:PORT: the Conns counter from `ipvsadm -Ln --stats` for a service
# (PROTO TCP/UDP) or a real server (PROTO "->"); empty if not listed.
lab_conns() {
	lab_ns "$1" ipvsadm -Ln --stats | awk -v p="$2" -v a="$3" '$1 == p && $2 == a { print $3; exit }'
}

# lab_wait_conns NS PROTO ADDR:PORT N: wait until that counter reaches N. In kernel 6.1 the
# counters shown are copied by the rate estimator every 2 s, so they lag behind the traffic.
lab_wait_conns() {
	local i c
	for i in $(seq 50); do
		c=$(lab_conns "$1" "$2" "$3")
		[ "${c:-0}" -ge "$4" ] && return 0
		sleep 0.2
	done
	lab_fail "ipvsadm --stats in $1: $2 $3 has ${c:-no} connections, expected $4"
}
