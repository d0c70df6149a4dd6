#!/usr/bin/env bash
# Lab test (guest side): ipvs-tui's errors. Each case runs one ipvs-tui command against a loaded
# table and checks: exit status non-zero; one output line carries all the case's key words (case
# insensitive: what went wrong, the value or object, and for restore the line number); and the
# table is byte for byte what it was (ipvsadm -Sn, -Ln --thresholds, -Ln --tun-info, -Ln --timeout).
# Cases: duplicate service / real server, missing service (edit, delete, add server, zero, list),
# missing real server (edit, delete), unknown scheduler, bad weights, not root (setpriv to nobody),
# a file with 3 bad lines (all 3 reported, nothing applied), and files whose 5th line fails in the
# kernel after 4 applied changes (rolled back, line 5 named). Restore cases run from a file and
# from standard input.
set -euo pipefail

TUI=${IPVS_TUI:?IPVS_TUI is not set}
W=$(mktemp -d /tmp/errors.XXXXXX)
chmod 755 "$W" # the not-root cases read rules files from here as nobody
ncase=0
nfail=0

# The table every case starts from; each case must leave it exactly so.
cat >"$W/base.rules" <<'EOF'
-A -t 192.0.2.1:80 -s wlc -p 300 -M 255.255.255.0
-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 3 -x 100 -y 50
-a -t 192.0.2.1:80 -r 10.0.0.2:80 -i -w 2 --tun-type gue --tun-port 6080 --tun-csum
-a -t 192.0.2.1:80 -r [2001:db8::5]:80 -i -w 0 --tun-type ipip
-A -u 192.0.2.2:53 -s rr -o
-a -u 192.0.2.2:53 -r 10.0.0.3:53 -m -w 70000 -x 10
-a -u 192.0.2.2:53 -r 10.0.0.4:53 -m -w 1
-A -f 7 -6 -s sh -b sh-port -p 60 -M 64
-a -f 7 -6 -r 2001:db8::7 -g -w 5
-A --sctp-service 192.0.2.3:3868 -s mh -b mh-fallback
-a --sctp-service 192.0.2.3:3868 -r 10.0.0.8:3868 -i --tun-type gre --tun-csum
EOF
ipvsadm -C
ipvsadm -R <"$W/base.rules" || { echo "FAIL: ipvsadm -R rejects the base table"; exit 2; }
ipvsadm --set 900 120 300

snapshot() {
	ipvsadm -Sn
	ipvsadm -Ln --thresholds
	ipvsadm -Ln --tun-info
	ipvsadm -Ln --persistent-conn
	ipvsadm -Ln --timeout
}
snapshot >"$W/base.snap"

# expect_error LABEL STDIN RUNAS PATTERN... -- ARGS...: run `ipvs-tui ARGS` (stdin from the file
# STDIN or /dev/null; RUNAS "root" or "nobody"), then check status, message and table.
# PATTERNs are bash EREs matched against the lower-cased output lines; one line must match all.
expect_error() {
	local label=$1 stdin=$2 runas=$3 pats=() line lower ok p rc=0 problems=()
	shift 3
	while [ "$1" != -- ]; do pats+=("$1"); shift; done
	shift
	ncase=$((ncase + 1))
	if [ "$runas" = nobody ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$TUI" "$@" <"$stdin" >"$W/out" 2>&1 || rc=$?
	else
		"$TUI" "$@" <"$stdin" >"$W/out" 2>&1 || rc=$?
	fi
	[ "$rc" -ne 0 ] || problems+=("exit status 0, expected non-zero")
	ok=no
	while IFS= read -r line; do
		lower=${line,,}
		ok=yes
		for p in "${pats[@]}"; do [[ $lower =~ $p ]] || { ok=no; break; }; done
		[ $ok = yes ] && break
	done <"$W/out"
	[ $ok = yes ] || problems+=("no output line matches all of: ${pats[*]}")
	if [ "$runas" = nobody ]; then
		# "one sentence": exactly one non-empty line
		local n
		n=$(grep -c . "$W/out" || true)
		[ "$n" = 1 ] || problems+=("$n output lines, expected exactly one")
	fi
	snapshot >"$W/after.snap"
	if ! cmp -s "$W/base.snap" "$W/after.snap"; then
		problems+=("the table changed")
		diff -u --label "table before" --label "table after" "$W/base.snap" "$W/after.snap" >"$W/table.diff" || true
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		echo "errors: $label: ok (exit $rc): $line"
	else
		nfail=$((nfail + 1))
		echo "  FAIL $label: ipvs-tui $*$([ "$stdin" != /dev/null ] && echo " < $(basename "$stdin")")$([ "$runas" = nobody ] && echo " (as nobody)")"
		for p in "${problems[@]}"; do echo "    - $p"; done
		echo "    output (exit status $rc):"
		sed 's/^/    | /' "$W/out"
		if [[ " ${problems[*]} " == *"table changed"* ]]; then
			sed 's/^/    | /' "$W/table.diff"
			# put the base table back so that the next cases start from it
			ipvsadm -C
			ipvsadm -R <"$W/base.rules"
			ipvsadm --set 900 120 300
		fi
	fi
}

# restore_error LABEL RULES_TEXT PATTERN...: the rules as a file and on stdin, each must fail so.
restore_error() {
	local label=$1 text=$2 f
	shift 2
	f=$W/case$ncase.rules
	printf '%s\n' "$text" >"$f"
	chmod 644 "$f"
	expect_error "$label (restore FILE)" /dev/null root "$@" -- restore "$f"
	expect_error "$label (restore < stdin)" "$f" root "$@" -- restore
}
L() { echo "(line $1([^0-9]|$)|:$1:)"; } # how a line number may be named

# --- one bad change --------------------------------------------------------------------------
restore_error "duplicate service" "-A -t 192.0.2.1:80 -s rr" "exist" "192\.0\.2\.1:80" "$(L 1)"
restore_error "duplicate fwmark service" "-A -f 7 -6 -s rr" "exist" "(fwmark|fwm|-f) 7" "$(L 1)"
restore_error "duplicate service within the file" "$(printf -- '-A -t 192.0.2.50:80 -s rr\n-A -t 192.0.2.50:80 -s wlc')" \
	"exist" "192\.0\.2\.50:80" "$(L 2)"
restore_error "duplicate real server" "-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m" "exist" "10\.0\.0\.1:80" "$(L 1)"
restore_error "missing service (edit)" "-E -t 192.0.2.99:80 -s rr" "(no such|not exist|does not exist|not found|missing)" "service" "192\.0\.2\.99:80" "$(L 1)"
restore_error "missing service (delete)" "-D -u 192.0.2.99:53" "(no such|not exist|does not exist|not found|missing)" "service" "192\.0\.2\.99:53" "$(L 1)"
restore_error "missing fwmark service (delete)" "-D -f 99" "(no such|not exist|does not exist|not found|missing)" "service" "99" "$(L 1)"
restore_error "missing service (add real server)" "-a -t 192.0.2.99:80 -r 10.0.0.1:80 -m" "(no such|not exist|does not exist|not found|missing)" "service" "192\.0\.2\.99:80" "$(L 1)"
restore_error "missing real server (edit)" "-e -t 192.0.2.1:80 -r 10.0.0.99:80 -m -w 2" "(no such|not exist|does not exist|not found|missing)" "server" "10\.0\.0\.99:80" "$(L 1)"
restore_error "missing real server (delete)" "-d -u 192.0.2.2:53 -r 10.0.0.99:53" "(no such|not exist|does not exist|not found|missing)" "server" "10\.0\.0\.99:53" "$(L 1)"
restore_error "unknown scheduler (add)" "-A -t 192.0.2.60:80 -s nosuch" "scheduler" "nosuch" "$(L 1)"
restore_error "unknown scheduler (edit)" "-E -t 192.0.2.1:80 -s nosuch" "scheduler" "nosuch" "$(L 1)"
restore_error "weight -1" "-a -t 192.0.2.1:80 -r 10.0.0.9:80 -m -w -1" "weight" "-1" "$(L 1)"
restore_error "weight 2147483648" "-a -t 192.0.2.1:80 -r 10.0.0.9:80 -m -w 2147483648" "weight" "2147483648" "$(L 1)"
restore_error "weight 2147483648 (edit)" "-e -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 2147483648" "weight" "2147483648" "$(L 1)"

# Other command paths that name a service.
expect_error "missing service (zero)" /dev/null root "(no such|not exist|does not exist|not found|missing)" "service" "192\.0\.2\.99:80" -- zero -t 192.0.2.99:80
expect_error "missing fwmark service (zero)" /dev/null root "(no such|not exist|does not exist|not found|missing)" "service" "99" -- zero -f 99 -6
expect_error "missing service (list)" /dev/null root "(no such|not exist|does not exist|not found|missing)" "service" -- list -t 192.0.2.99:80

# --- not root ----------------------------------------------------------------------------------
cp "$W/base.rules" "$W/valid.rules"
chmod 644 "$W/valid.rules"
ROOT_PATS=("root" "cap_net_admin")
expect_error "not root: list" /dev/null nobody "${ROOT_PATS[@]}" -- list
expect_error "not root: list --stats" /dev/null nobody "${ROOT_PATS[@]}" -- list --stats
expect_error "not root: list --json" /dev/null nobody "${ROOT_PATS[@]}" -- list --json
expect_error "not root: save" /dev/null nobody "${ROOT_PATS[@]}" -- save
expect_error "not root: restore FILE" /dev/null nobody "${ROOT_PATS[@]}" -- restore "$W/valid.rules"
expect_error "not root: restore < stdin" "$W/valid.rules" nobody "${ROOT_PATS[@]}" -- restore
expect_error "not root: zero" /dev/null nobody "${ROOT_PATS[@]}" -- zero
expect_error "not root: flush --yes" /dev/null nobody "${ROOT_PATS[@]}" -- flush --yes
expect_error "not root: timeouts --set" /dev/null nobody "${ROOT_PATS[@]}" -- timeouts --set 1 1 1
expect_error "not root: daemon list" /dev/null nobody "${ROOT_PATS[@]}" -- daemon list

# --- a file with three bad lines: all three reported with their numbers, nothing applied -------
three_bad='-A -t 192.0.2.40:80 -s rr
-a -t 192.0.2.40:80 -r 10.0.40.1:80 -m -w lots
-A -u 192.0.2.41:53 -s rr
-A -t 192.0.2.300:80 -s rr
-a -u 192.0.2.41:53 -r 10.0.40.2:53 -m
-A -t 192.0.2.42:80 -s rr --bogus-option
-A -t 192.0.2.43:80 -s wlc'
printf '%s\n' "$three_bad" >"$W/three-bad.rules"
for mode in file stdin; do
	if [ $mode = file ]; then args=(restore "$W/three-bad.rules"); in=/dev/null; else args=(restore); in=$W/three-bad.rules; fi
	expect_error "3 bad lines: line 2 named ($mode)" "$in" root "$(L 2)" "(weight|lots)" -- "${args[@]}"
	expect_error "3 bad lines: line 4 named ($mode)" "$in" root "$(L 4)" "192\.0\.2\.300" -- "${args[@]}"
	expect_error "3 bad lines: line 6 named ($mode)" "$in" root "$(L 6)" "bogus" -- "${args[@]}"
	# and no good line is reported as bad
	ncase=$((ncase + 1))
	"$TUI" "${args[@]}" <"$in" >"$W/out" 2>&1 || true
	reported=$(tr 'A-Z' 'a-z' <"$W/out" | grep -Eo '(line [0-9]+|:[0-9]+:)' | grep -Eo '[0-9]+' | sort -un | tr '\n' ' ')
	if [ "$reported" = "2 4 6 " ]; then
		echo "errors: 3 bad lines ($mode): exactly lines 2 4 6 reported"
	else
		nfail=$((nfail + 1))
		echo "  FAIL 3 bad lines ($mode): lines reported: '${reported}', expected '2 4 6 '; output:"
		sed 's/^/    | /' "$W/out"
	fi
done

# --- the 5th line fails in the kernel: the 4 changes before it are undone, line 5 is named ------
# Lines 1-4 touch every kind of object (new service + server, edited service, edited and deleted
# servers with thresholds and tunnels, a deleted service with its servers), so that the undo has
# to put back every field.
restore_error "line 5 duplicate service, rollback" "-A -t 192.0.2.70:80 -s rr
-a -t 192.0.2.70:80 -r 10.0.70.1:80 -m -w 4
-E -t 192.0.2.1:80 -s rr -p 60
-d -t 192.0.2.1:80 -r 10.0.0.1:80
-A -u 192.0.2.2:53 -s wlc
-A -t 192.0.2.71:80 -s rr" "exist" "192\.0\.2\.2:53" "$(L 5)"
restore_error "line 5 unknown scheduler, rollback" "-D -u 192.0.2.2:53
-e -t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 9
-e -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 1 -x 0 -y 0
-E -f 7 -6 -s wrr
-A -t 192.0.2.72:80 -s nosuch
-A -t 192.0.2.73:80 -s rr" "scheduler" "nosuch" "$(L 5)"
restore_error "line 5 missing real server, rollback" "-d --sctp-service 192.0.2.3:3868 -r 10.0.0.8:3868
-D -f 7 -6
-a -t 192.0.2.1:80 -r 10.0.0.5:80 -g -w 7 -x 3
-E --sctp-service 192.0.2.3:3868 -s sh -b sh-port
-e -u 192.0.2.2:53 -r 10.0.0.99:53 -m" "(no such|not exist|does not exist|not found|missing)" "10\.0\.0\.99:53" "$(L 5)"

echo "errors: $ncase cases, $nfail failed"
if [ "$nfail" -ne 0 ]; then
	exit 1
fi
echo "errors OK"
