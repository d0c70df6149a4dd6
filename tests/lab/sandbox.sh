#!/usr/bin/env bash
# Lab test (guest side): `ipvs-tui sandbox KIND` for each KIND given (nat, dr, tun): built, then
# traffic spread rr over both real servers, `up` twice refused, the guest's own (root namespace)
# IPVS table, links, addresses and routes unchanged, and `down` leaves no namespace, process,
# link or rule behind. With "errors" too: not root, nothing up, a crashed build's leftovers.
set -euo pipefail
T=$IPVS_TUI
fail() { echo "FAIL: $*" >&2; exit 1; }
has() { grep -qF -- "$2" <<<"$1" || fail "$3: no line with '$2' in:"$'\n'"$1"; }

# The guest's own table holds a service the sandbox must not touch.
ipvsadm -A -t 192.0.2.200:80 -s wlc
ipvsadm -a -t 192.0.2.200:80 -r 192.0.2.201:80 -m
root_state() {
	ipvsadm -Sn
	ip -o link | awk '{print $2, $3}'
	ip -o addr | awk '{print $2, $4}'
	ip route
	ip rule
}
before=$(root_state)
responders() { # processes running `ipvs-tui sandbox serve`
	local n=0 f args
	for f in /proc/[0-9]*/cmdline; do # builtins only: every fork is slow in the guest
		mapfile -d '' args <"$f" 2>/dev/null || continue
		[ "${args[1]-}" = sandbox ] && [ "${args[2]-}" = serve ] && n=$((n + 1))
	done
	echo "$n"
}

for kind in "$@"; do
	[ "$kind" = errors ] && continue
	start=$(date +%s%N)
	out=$("$T" sandbox "$kind" 2>&1) || fail "$kind: up failed:"$'\n'"$out"
	echo "$out"
	echo "sandbox $kind: up in $((($(date +%s%N) - start) / 1000000)) ms"
	has "$out" "watch it:      sudo ipvs-tui --netns ipvstui-sb-$kind-director" "$kind up"
	[ "$(ip netns list | grep -c "^ipvstui-sb-$kind-")" = 4 ] || fail "$kind: not 4 namespaces: $(ip netns list)"
	[ "$(responders)" = 2 ] || fail "$kind: $(responders) responders, expected 2"

	if again=$("$T" sandbox dr 2>&1); then fail "$kind: up twice succeeded"; fi
	has "$again" "ipvs-tui: sandbox: a $kind sandbox is already up" "$kind up twice"
	has "$("$T" sandbox status)" "the $kind lab is up" "$kind status"

	traffic=$("$T" sandbox traffic 6) || fail "$kind: traffic failed:"$'\n'"$traffic"
	echo "$traffic"
	has "$traffic" "sandbox: rs1 3, rs2 3" "$kind traffic"

	# The director's table, read by ipvs-tui itself through --netns, and by ipvsadm there.
	table=$("$T" --netns "ipvstui-sb-$kind-director" list)
	echo "$table"
	case $kind in nat) method=Masq ;; dr) method=Route ;; tun) method=Tunnel ;; esac
	[ "$(grep -c "$method" <<<"$table")" = 2 ] || fail "$kind: expected 2 $method real servers"
	[ "$(ip netns exec "ipvstui-sb-$kind-director" ipvsadm -Sn)" = "$(grep -v '^$' <<<"$("$T" --netns "ipvstui-sb-$kind-director" save)")" ] ||
		fail "$kind: ipvsadm and ipvs-tui disagree on the director's table"
	[ "$(root_state)" = "$before" ] || fail "$kind: the root namespace changed:"$'\n'"$(diff <(echo "$before") <(root_state))"

	down=$("$T" sandbox down) || fail "$kind: down failed:"$'\n'"$down"
	has "$down" "sandbox: removed" "$kind down"
	[ -z "$(ip netns list)" ] || fail "$kind: namespaces left: $(ip netns list)"
	[ "$(responders)" = 0 ] || fail "$kind: responders left after down"
	[ "$(root_state)" = "$before" ] || fail "$kind: the root namespace changed after down"
	echo "sandbox $kind: checked"
done

if [[ " $* " == *" errors "* ]]; then
	has "$("$T" sandbox down)" "nothing to remove" "down twice"
	if out=$("$T" sandbox traffic 2>&1); then fail "traffic without a sandbox succeeded"; fi
	has "$out" "ipvs-tui: sandbox: no sandbox is up" "traffic without a sandbox"
	if out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$T" sandbox nat 2>&1); then fail "up as nobody succeeded"; fi
	has "$out" "ipvs-tui: sandbox: the sandbox needs root" "up as nobody"
	# A build that crashed midway: its pieces are found by name, refused, then removed.
	ip netns add ipvstui-sb-nat-client
	ip netns exec ipvstui-sb-nat-client sleep 600 &
	if out=$("$T" sandbox nat 2>&1); then fail "up over leftovers succeeded"; fi
	has "$out" "pieces of a sandbox are left (ipvstui-sb-nat-client)" "up over leftovers"
	has "$("$T" sandbox down)" "stopped 1 process(es) in ipvstui-sb-nat-client" "down of leftovers"
	[ -z "$(ip netns list)" ] || fail "leftovers not removed: $(ip netns list)"
	[ "$(root_state)" = "$before" ] || fail "the root namespace changed"
	echo "sandbox errors: checked"
fi
echo "sandbox OK"
