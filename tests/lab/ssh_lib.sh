# Bash helpers for the directors-over-SSH lab tests (sourced after net.sh): two directors lb1 and
# lb2 (network namespaces, each with its own IPVS table) and a management namespace mgmt, all on
# the bridge fleet-br of the guest; real OpenSSH (sshd inside lb1 and lb2) with keys made here.
#
# Nothing of the host is written: tmpfs goes over /root (root's ~/.ssh: keys, known_hosts, ssh
# config) and /usr/local/bin (where ipvs-tui is put on PATH for sshd's sessions); the rest lives
# under /tmp and /run, which guest-init mounts as tmpfs.
#   ssh_lab_up: the namespaces, the keys, ~/.ssh/config and both sshd.
#   ssh_start_sshd lbN / ssh_kill_sshd lbN: the director's sshd (and every session of it).
# ~/.ssh/config names the directors: `ssh lb1` logs in as root with the operator's key
# (`ssh lb1-via-lb2` too, jumping through lb2);
# `ssh watch-lb1` with the watcher's key, whose authorized_keys line forces a read-only agent.
# Each director's agents audit to /tmp/fleet/lbN/audit.log.
F=/tmp/fleet
export LB1=10.20.0.1 LB2=10.20.0.2 MGMT=10.20.0.10

ssh_lab_up() {
	mount -t tmpfs tmpfs /root || lab_fail "cannot mount tmpfs on /root"
	mount -t tmpfs tmpfs /usr/local/bin || lab_fail "cannot mount tmpfs on /usr/local/bin"
	cp "$IPVS_TUI" /usr/local/bin/ipvs-tui
	mkdir -p "$F" /run/sshd /root/.ssh
	chmod 755 /run/sshd
	chmod 700 /root/.ssh

	lab_netns lb1 lb2 mgmt
	ip link add fleet-br type bridge forward_delay 0
	ip link set fleet-br up
	local ns ip
	for ns in lb1 lb2 mgmt; do
		case $ns in lb1) ip=$LB1 ;; lb2) ip=$LB2 ;; mgmt) ip=$MGMT ;; esac
		ip link add "v-$ns" type veth peer name eth0 netns "$ns"
		ip link set "v-$ns" master fleet-br up
		ip -n "$ns" link set eth0 up
		ip -n "$ns" addr add "$ip/24" dev eth0
	done

	ssh-keygen -q -t ed25519 -N '' -C operator -f /root/.ssh/id_ed25519
	ssh-keygen -q -t ed25519 -N '' -C watcher -f /root/.ssh/watcher
	: >/root/.ssh/known_hosts
	for ns in lb1 lb2; do
		mkdir -p "$F/$ns"
		ssh-keygen -q -t ed25519 -N '' -C "$ns" -f "$F/$ns/host_key"
		case $ns in lb1) ip=$LB1 ;; lb2) ip=$LB2 ;; esac
		echo "$ip $(cut -d' ' -f1,2 "$F/$ns/host_key.pub")" >>/root/.ssh/known_hosts
		{
			cat /root/.ssh/id_ed25519.pub
			echo "command=\"ipvs-tui agent --read-only --audit-log $F/$ns/audit.log\",restrict $(cat /root/.ssh/watcher.pub)"
		} >"$F/$ns/authorized_keys"
		cat >"$F/$ns/sshd_config" <<C
ListenAddress $ip
HostKey $F/$ns/host_key
PidFile $F/$ns/sshd.pid
AuthorizedKeysFile $F/$ns/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
LogLevel VERBOSE
# sshd starts sessions with a clean environment: keep guest-init's no-AVX tunables (see
# tests/lab/mod.rs), without which copies in the guest's programs come back with NUL bytes.
SetEnv GLIBC_TUNABLES=$GLIBC_TUNABLES
C
		ssh_start_sshd "$ns"
	done
	cat >/root/.ssh/config <<C
Host lb1 watch-lb1
	HostName $LB1
Host lb2 watch-lb2
	HostName $LB2
Host lb1-via-lb2
	HostName $LB1
	ProxyJump lb2
Host lb1 lb2 lb1-via-lb2 watch-lb1 watch-lb2
	User root
	IdentitiesOnly yes
Host lb1 lb2 lb1-via-lb2
	IdentityFile /root/.ssh/id_ed25519
Host watch-lb1 watch-lb2
	IdentityFile /root/.ssh/watcher
C
	# The agents audit per director; config.toml names the directors with that command.
	mkdir -p "$HOME/.config/ipvs-tui"
	cat >"$HOME/.config/ipvs-tui/config.toml" <<C
[[director]]
name = "lb1"
target = "ssh:lb1"
command = "ipvs-tui agent --audit-log $F/lb1/audit.log"

[[director]]
name = "lb2"
target = "ssh:lb2"
command = "ipvs-tui agent --audit-log $F/lb2/audit.log"
C
}

# ssh_start_sshd lbN: sshd in lbN's namespace, logging to $F/lbN/sshd.log; waits for its pid file.
ssh_start_sshd() {
	local ns=$1 i
	rm -f "$F/$ns/sshd.pid"
	lab_ns "$ns" /usr/sbin/sshd -f "$F/$ns/sshd_config" -E "$F/$ns/sshd.log" ||
		lab_fail "sshd in $ns did not start: $(cat "$F/$ns/sshd.log")"
	for i in $(seq 50); do
		[ -s "$F/$ns/sshd.pid" ] && return 0
		sleep 0.1
	done
	lab_fail "sshd in $ns wrote no pid file: $(cat "$F/$ns/sshd.log")"
}

# ssh_kill_sshd lbN: the listener and every session process of lbN's sshd.
ssh_kill_sshd() {
	local ns=$1 pid
	for pid in $(ip netns pids "$ns"); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sshd ] && kill -9 "$pid" 2>/dev/null
	done
	return 0
}

# ssh_agents lbN: how many ipvs-tui agents run in lbN's namespace.
ssh_agents() {
	local pid n=0
	for pid in $(ip netns pids "$1"); do
		grep -qa 'agent' "/proc/$pid/cmdline" 2>/dev/null && [ "$(cat "/proc/$pid/comm")" = ipvs-tui ] && n=$((n + 1))
	done
	echo "$n"
}

# ssh_no_agents lbN WHEN: waits up to 3 s for lbN's agents to end.
ssh_no_agents() {
	local i
	for i in $(seq 30); do
		(($(ssh_agents "$1") == 0)) && return 0
		sleep 0.1
	done
	lab_fail "an agent still runs on $1 $2"
}
