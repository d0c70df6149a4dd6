#!/usr/bin/env bash
# Lab test (guest side): every rule set in tests/corpus is loaded by ipvs-tui and by ipvsadm in the
# same kernel, and everything ipvs-tui prints is compared with what ipvsadm prints.
# Per file (each check prints a unified diff, ipvsadm's text first, when it fails):
#   ref   ipvsadm -C; ipvsadm -R < FILE  -> REF_S = ipvsadm -Sn, REF_T = ipvsadm -Ln --thresholds
#   (b)   on that table: ipvs-tui save = ipvsadm -Sn; ipvs-tui list X = ipvsadm -Ln X for every flag
#         combination X and for every service in the file; ipvs-tui list --json agrees with -Sn,
#         -Ln --thresholds, -Ln --timeout and the version header
#   (c)   ipvs-tui save > S; ipvsadm -C; ipvs-tui restore < S  -> ipvsadm -Sn = REF_S
#   (a)   ipvsadm -C; ipvs-tui restore FILE  -> ipvsadm -Sn = REF_S, ipvsadm -Ln --thresholds = REF_T
# Then the table commands: flush (with and without --yes), timeouts, sync daemons.
# Args: corpus file names and/or the word "commands" (default: every tests/corpus/*.rules, then the
# commands). Exit status 1 if any check failed, 2 if the lab itself is broken.
set -euo pipefail

TUI=${IPVS_TUI:?IPVS_TUI is not set}
CORPUS=$LAB_REPO/tests/corpus
W=$(mktemp -d /tmp/corpus.XXXXXX)
cur=setup        # what is being checked, for messages
checks=0         # checks run
nfail=0          # checks failed in the current group (file)
total_fail=0     # checks failed overall
failed_files=()
LOG=$W/setup.log # failure details of the current group, printed under its summary line

die() { echo "corpus: FATAL: $*" >&2; exit 2; }
[ -x "$TUI" ] || die "IPVS_TUI=$TUI is not executable"

# check LABEL EXPECTED_FILE GOT_FILE: identical bytes, or a failure with a diff.
# (Files are compared with bash's read, which keeps every byte but NUL: a fork per check costs.)
check() {
	local a b
	checks=$((checks + 1))
	IFS= read -r -d '' a <"$2" || true
	IFS= read -r -d '' b <"$3" || true
	[[ "$a" == "$b" ]] && return 0
	nfail=$((nfail + 1))
	{
		echo "  FAIL [$cur] $1"
		diff -u --label "expected: ipvsadm ($1)" --label "got: ipvs-tui ($1)" "$2" "$3" | head -n 60 | sed 's/^/    | /' || true
	} >>"$LOG"
}

# bad LABEL MESSAGE: a failed check that has no diff.
bad() {
	checks=$((checks + 1))
	nfail=$((nfail + 1))
	echo "  FAIL [$cur] $1: $2" >>"$LOG"
}

# tui OUT ARGS...: ipvs-tui ARGS > OUT (stderr to OUT.err). A non-zero exit is a failed check
# (returns 1); the output is kept either way so the comparison that follows shows what came out.
tui() {
	local out=$1 rc=0
	shift
	"$TUI" "$@" >"$out" 2>"$out.err" </dev/null || rc=$?
	if [ "$rc" -ne 0 ]; then
		bad "ipvs-tui $*" "exit status $rc, stderr: $(head -c 400 "$out.err")"
		return 1
	fi
}

# tui_in IN OUT ARGS...: like tui, with IN as standard input.
tui_in() {
	local in=$1 out=$2 rc=0
	shift 2
	"$TUI" "$@" <"$in" >"$out" 2>"$out.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		bad "ipvs-tui $* < $(basename "$in")" "exit status $rc, stderr: $(head -c 400 "$out.err")"
		return 1
	fi
}

# ref_load FILE: clean table loaded by ipvsadm itself (the reference); a failure is a corpus bug.
ref_load() {
	ipvsadm -C
	ipvsadm -R <"$1" || die "ipvsadm -R rejects corpus file $1: fix the corpus"
}

# The service options (-t A:P, -u A:P, --sctp-service A:P, -f M [-6]) of every service in -Sn text.
# (-Sn prints marks above 2147483647 as negative numbers, which -L -f does not take: unsign them.)
service_keys() {
	awk '$1 == "-A" { m = $3; if ($2 == "-f" && m < 0) m = sprintf("%.0f", m + 4294967296)
		k = $2 " " m; if ($2 == "-f" && $4 == "-6") k = k " -6"; print k }' "$1"
}

# blocks FILE: -Sn text with its service blocks (an -A line and its -a lines, in their order) sorted.
# The same table loaded in another order can list in another order when ipvsadm's sort is not a
# total order (fwmarks above 2147483647 compare with a wrapping subtraction), so the round trip
# compares contents this way; the order itself is checked by "save vs -Sn".
blocks() {
	awk '/^-A/ { k = $0; n = 0 } { printf "%s\t%06d\t%s\n", k, n++, $0 }' "$1" | sort -t $'\t' -k1,1 -k2,2n | cut -f3-
}

# without_n WORDS...: the words without "-n" (ipvs-tui accepts it; ipvsadm -Ln -n says "multiple").
without_n() {
	local w
	for w in "$@"; do [ "$w" = -n ] || printf '%s ' "$w"; done
}

# List flag combinations compared with ipvsadm -Ln (-n is implied; "-n" itself must be accepted).
LIST_FLAGS=(
	""
	"-n"
	"-n --stats --exact"
	"--stats"
	"--rate"
	"--thresholds"
	"--persistent-conn"
	"--exact"
	"--stats --exact"
	"--rate --exact"
	"--thresholds --exact"
	"--persistent-conn --exact"
	"--tun-info"
	"--tun-info --exact"
	"--nosort"
	"--nosort --stats --exact"
	"--nosort --tun-info"
	"--nosort --thresholds"
)

cat >"$W/check_json.py" <<'PY'
# check_json.py DIR...: in each DIR, ipvs-tui list --json (json) against ipvsadm's texts (ref.S = -Sn,
# ref.T = -Ln --thresholds, timeout = -Ln --timeout, header = -Ln's first line); the
# disagreements go to DIR/json.err (empty when there are none).
import ipaddress, json, shlex, sys


def check_one(sn, thr, tmo, header, js):
    errors = []
    def err(msg):
        errors.append(msg)

    def addr_port(s):
        if s.startswith("["):
            a, _, p = s[1:].partition("]:")
        else:
            a, _, p = s.rpartition(":")
        return ipaddress.ip_address(a), int(p)

    FLAG = {"sh-fallback": "flag1", "mh-fallback": "flag1", "flag-1": "flag1",
            "sh-port": "flag2", "mh-port": "flag2", "flag-2": "flag2", "flag-3": "flag3"}

    def sn_key(tok):
        if tok[0] == "-f":
            fam = "ipv6" if len(tok) > 2 and tok[2] == "-6" else "ipv4"
            return ("fwmark", int(tok[1]) & 0xffffffff, fam), (3 if fam == "ipv6" else 2)
        proto = {"-t": "tcp", "-u": "udp", "--sctp-service": "sctp"}[tok[0]]
        a, p = addr_port(tok[1])
        return ("addr", proto, a, p), 2

    # Expected services from ipvsadm -Sn.
    want = {}
    order = []
    for line in open(sn):
        tok = shlex.split(line)
        if not tok:
            continue
        cmd, rest = tok[0], tok[1:]
        key, n = sn_key(rest)
        opts = rest[n:]
        if cmd == "-A":
            fam = "ipv6" if (key[0] == "fwmark" and key[2] == "ipv6") or (key[0] == "addr" and key[2].version == 6) else "ipv4"
            s = {"scheduler": None, "flags": {"flag1": False, "flag2": False, "flag3": False},
                 "persistence": None, "netmask": 128 if fam == "ipv6" else "255.255.255.255",
                 "one_packet": False, "pe": None, "dests": {}}
            i = 0
            while i < len(opts):
                o = opts[i]
                if o == "-s": s["scheduler"] = opts[i + 1]; i += 2
                elif o == "-b":
                    for f in filter(None, opts[i + 1].split(",")):
                        s["flags"][FLAG[f]] = True
                    i += 2
                elif o == "-p": s["persistence"] = int(opts[i + 1]); i += 2
                elif o == "-M":
                    s["netmask"] = int(opts[i + 1]) if fam == "ipv6" else opts[i + 1]; i += 2
                elif o == "-o": s["one_packet"] = True; i += 1
                elif o == "--pe": s["pe"] = opts[i + 1]; i += 2
                else: err(f"checker: unknown -Sn service option {o!r} in {line.strip()!r}"); i += 1
            want[key] = s
            order.append(key)
        elif cmd == "-a":
            d = {"forward": None, "weight": None, "tun_type": None, "tun_port": None, "csum": None,
                 "u": 0, "l": 0}
            i = 0
            dkey = None
            while i < len(opts):
                o = opts[i]
                if o == "-r": dkey = addr_port(opts[i + 1]); i += 2
                elif o in ("-m", "-g", "-i"): d["forward"] = {"-m": "masq", "-g": "route", "-i": "tunnel"}[o]; i += 1
                elif o == "-w": d["weight"] = int(opts[i + 1]); i += 2
                elif o == "--tun-type": d["tun_type"] = opts[i + 1]; i += 2
                elif o == "--tun-port": d["tun_port"] = int(opts[i + 1]); i += 2
                elif o in ("--tun-nocsum", "--tun-csum", "--tun-remcsum"): d["csum"] = o[6:]; i += 1
                else: err(f"checker: unknown -Sn server option {o!r} in {line.strip()!r}"); i += 1
            want[key]["dests"][dkey] = d

    # Thresholds from ipvsadm -Ln --thresholds.
    svc = None
    for line in open(thr):
        tok = line.split()
        if not tok:
            continue
        if tok[0] in ("TCP", "UDP", "SCTP"):
            a, p = addr_port(tok[1])
            svc = ("addr", tok[0].lower(), a, p)
        elif tok[0] == "FWM":
            svc = ("fwmark", int(tok[1]) & 0xffffffff, "ipv6" if len(tok) > 2 and tok[2] == "IPv6" else "ipv4")
        elif tok[0] == "->" and svc is not None and ":" in tok[1]:
            dk = addr_port(tok[1])
            if svc in want and dk in want[svc]["dests"]:
                want[svc]["dests"][dk]["u"] = int(tok[2])
                want[svc]["dests"][dk]["l"] = int(tok[3])

    try:
        doc = json.load(open(js))
    except Exception as e:
        return [f"list --json is not JSON: {e}; it starts: {open(js).read(300)!r}"]

    def get(obj, field, where):
        if not isinstance(obj, dict) or field not in obj:
            err(f"{where}: no field {field!r}")
            return None
        return obj[field]

    for f in ("info", "services", "timeouts", "daemons"):
        get(doc, f, "top level")

    # Header: "IP Virtual Server version 1.2.1 (size=4096)".
    h = open(header).read().split()
    if len(h) >= 6 and isinstance(doc.get("info"), dict):
        maj, mnr, pat = (int(x) for x in h[4].split("."))
        size = int(h[5].strip("()").split("=")[1])
        if doc["info"].get("version") != (maj << 16) | (mnr << 8) | pat:
            err(f"info.version = {doc['info'].get('version')!r}, ipvsadm says {h[4]}")
        if doc["info"].get("conn_tab_size") != size:
            err(f"info.conn_tab_size = {doc['info'].get('conn_tab_size')!r}, ipvsadm says size={size}")

    # Timeouts: "Timeout (tcp tcpfin udp): 900 120 300".
    t = open(tmo).read().split(":")[-1].split()
    if isinstance(doc.get("timeouts"), dict) and len(t) == 3:
        got = [doc["timeouts"].get(k) for k in ("tcp", "tcp_fin", "udp")]
        if got != [int(x) for x in t]:
            err(f"timeouts (tcp, tcp_fin, udp) = {got}, ipvsadm says {t}")
    if doc.get("daemons") not in ([], None):
        err(f"daemons = {doc.get('daemons')!r}, expected [] (no sync daemon running)")

    def jkey(k, where):
        kind = get(k, "kind", where)
        if kind == "addr":
            return ("addr", get(k, "protocol", where), ipaddress.ip_address(get(k, "addr", where)), get(k, "port", where))
        if kind == "fwmark":
            return ("fwmark", get(k, "mark", where), get(k, "family", where))
        err(f"{where}: key kind {kind!r}")
        return None

    def show(k):
        if k[0] == "fwmark":
            return f"-f {k[1]}" + (" -6" if k[2] == "ipv6" else "")
        return f"{k[1]} {k[2]}:{k[3]}"

    services = doc.get("services") if isinstance(doc.get("services"), list) else []
    seen = set()
    for i, s in enumerate(services):
        where = f"services[{i}]"
        k = jkey(get(s, "key", where) or {}, where)
        if k is None:
            continue
        where = f"service {show(k)}"
        if k in seen:
            err(f"{where}: listed twice")
        seen.add(k)
        w = want.get(k)
        if w is None:
            err(f"{where}: in --json but not in ipvsadm -Sn")
            continue
        for field, exp in (("scheduler", w["scheduler"]), ("sched_flags", w["flags"]),
                           ("persistence", w["persistence"]), ("one_packet", w["one_packet"]),
                           ("pe", w["pe"]), ("netmask", w["netmask"])):
            got = get(s, field, where)
            if field == "netmask" and w["persistence"] is None:
                continue  # the kernel keeps -M without -p, but ipvsadm shows it only with -p
            if field in s and got != exp:
                err(f"{where}: {field} = {got!r}, ipvsadm says {exp!r}")
        for f in ("stats", "dests"):
            get(s, f, where)
        dseen = set()
        for j, d in enumerate(s.get("dests") or []):
            dw = f"{where} dests[{j}]"
            try:
                dk = (ipaddress.ip_address(get(d, "addr", dw)), get(d, "port", dw))
            except Exception:
                err(f"{dw}: bad addr {d.get('addr')!r}")
                continue
            dw = f"{where} real server {dk[0]}:{dk[1]}"
            dseen.add(dk)
            e = w["dests"].get(dk)
            if e is None:
                err(f"{dw}: in --json but not in ipvsadm -Sn")
                continue
            fw = get(d, "forward", dw) or {}
            if fw.get("method") != e["forward"]:
                err(f"{dw}: forward.method = {fw.get('method')!r}, ipvsadm says {e['forward']!r}")
            if e["forward"] == "tunnel":
                if fw.get("tun_type") != e["tun_type"]:
                    err(f"{dw}: forward.tun_type = {fw.get('tun_type')!r}, ipvsadm says {e['tun_type']!r}")
                if e["tun_port"] is not None and fw.get("port") != e["tun_port"]:
                    err(f"{dw}: forward.port = {fw.get('port')!r}, ipvsadm says --tun-port {e['tun_port']}")
                if e["csum"] is not None and fw.get("csum") != e["csum"]:
                    err(f"{dw}: forward.csum = {fw.get('csum')!r}, ipvsadm says --tun-{e['csum']}")
            for field, exp in (("weight", e["weight"]), ("u_threshold", e["u"]), ("l_threshold", e["l"]),
                               ("active_conns", 0), ("inact_conns", 0), ("persist_conns", 0)):
                got = get(d, field, dw)
                if field in d and got != exp:
                    err(f"{dw}: {field} = {got!r}, ipvsadm says {exp!r}")
            get(d, "stats", dw)
        for dk in w["dests"]:
            if dk not in dseen:
                err(f"{where}: real server {dk[0]}:{dk[1]} from ipvsadm -Sn missing in --json")
    for k in order:
        if k not in seen:
            err(f"service {show(k)} from ipvsadm -Sn missing in --json")
    if len(services) != len(want):
        err(f"--json has {len(services)} services, ipvsadm -Sn {len(want)}")
    ndests = sum(len(s.get("dests") or []) for s in services if isinstance(s, dict))
    wdests = sum(len(w["dests"]) for w in want.values())
    if ndests != wdests:
        err(f"--json has {ndests} real servers, ipvsadm -Sn {wdests}")
    return errors

for d in sys.argv[1:]:
    try:
        errors = check_one(*(f"{d}/{n}" for n in ("ref.S", "ref.T", "timeout", "header", "json")))
    except Exception as e:
        errors = [f"checker crashed: {type(e).__name__}: {e}"]
    if len(errors) > 40:
        errors = errors[:40] + [f"... and {len(errors) - 40} more"]
    with open(f"{d}/json.err", "w") as out:
        out.write("".join(e + "\n" for e in errors))
PY

# Fail early and clearly if python3 cannot run here (the JSON check needs it).
python3 -c 'import json' || die "python3 does not run in the guest (GLIBC_TUNABLES=$GLIBC_TUNABLES)"

files=()
run_commands=no
if [ $# -gt 0 ]; then
	for f in "$@"; do
		if [ "$f" = commands ]; then
			run_commands=yes
		else
			[ -f "$CORPUS/$f" ] || die "no corpus file $CORPUS/$f"
			files+=("$CORPUS/$f")
		fi
	done
else
	files=("$CORPUS"/*.rules)
	[ -f "${files[0]}" ] || die "no corpus files in $CORPUS"
	run_commands=yes
fi

# group_done NAME DETAILS: the summary line of a group, then its failures.
group_done() {
	if [ "$nfail" -eq 0 ]; then
		echo "corpus: $1: ok, $((checks - first)) checks${2:+ ($2)}"
	else
		echo "corpus: $1: FAILED $nfail of $((checks - first)) checks${2:+ ($2)}"
		failed_files+=("$1")
		total_fail=$((total_fail + nfail))
	fi
	[ -s "$LOG" ] && cat "$LOG"
	return 0
}

# Pass 1, per file: everything but the JSON check, whose python runs once for all files in pass 2.
declare -A file_checks file_fails
json_dirs=()
for f in "${files[@]}"; do
	name=$(basename "$f")
	nfail=0
	first=$checks
	D=$W/$name
	LOG=$D/log
	mkdir -p "$D"

	# Reference: the file as ipvsadm itself loads and normalises it.
	cur="$name ref"
	ref_load "$f"
	ipvsadm -Sn >"$D/ref.S"
	ipvsadm -Ln --thresholds >"$D/ref.T"

	# (b) ipvs-tui reads the table ipvsadm loaded.
	cur="$name (b) save/list"
	tui "$D/save" save || true
	check "save vs -Sn" "$D/ref.S" "$D/save"
	for flags in "${LIST_FLAGS[@]}"; do
		# shellcheck disable=SC2086
		ipvsadm -Ln $(without_n $flags) >"$D/exp" 2>&1 || true
		# shellcheck disable=SC2086
		tui "$D/got" list $flags || true
		check "list ${flags:-(no flags)}" "$D/exp" "$D/got"
	done
	# Each service alone; the first and the last one also with counters and with thresholds.
	service_keys "$D/ref.S" >"$D/keys"
	mapfile -t keys <"$D/keys"
	for i in "${!keys[@]}"; do
		key=${keys[$i]}
		more=()
		if [ "$i" -eq 0 ] || [ "$i" -eq $((${#keys[@]} - 1)) ]; then more=("--stats --exact" "--thresholds"); fi
		for flags in "" "${more[@]}"; do
			# shellcheck disable=SC2086
			ipvsadm -Ln $key $flags >"$D/exp" 2>&1 || true
			# shellcheck disable=SC2086
			tui "$D/got" list $key $flags || true
			check "list $key${flags:+ $flags}" "$D/exp" "$D/got"
		done
	done

	cur="$name (b) json"
	ipvsadm -Ln --timeout >"$D/timeout"
	ipvsadm -Ln >"$D/full"
	IFS= read -r header <"$D/full" || true
	echo "$header" >"$D/header"
	if tui "$D/json" list --json; then
		checks=$((checks + 1))
		json_dirs+=("$D")
	fi

	# (c) save -> flush -> restore from stdin leaves the table as it was.
	cur="$name (c) round trip"
	if tui "$D/saved" save; then
		ipvsadm -C
		tui_in "$D/saved" "$D/restore-out" restore || true
		ipvsadm -Sn >"$D/after"
		blocks "$D/ref.S" >"$D/ref.blocks"
		blocks "$D/after" >"$D/after.blocks"
		check "ipvs-tui save | ipvs-tui restore, then -Sn (service blocks sorted)" "$D/ref.blocks" "$D/after.blocks"
	fi

	# (a) ipvs-tui restore FILE into a clean table loads what ipvsadm -R loads.
	cur="$name (a) restore"
	ipvsadm -C
	tui "$D/restore-out" restore "$f" || true
	ipvsadm -Sn >"$D/a.S"
	ipvsadm -Ln --thresholds >"$D/a.T"
	check "ipvs-tui restore FILE, then -Sn" "$D/ref.S" "$D/a.S"
	check "ipvs-tui restore FILE, then -Ln --thresholds" "$D/ref.T" "$D/a.T"

	file_checks[$name]=$((checks - first))
	file_fails[$name]=$nfail
done

# Pass 2: the JSON checks, then a summary line per file.
[ "${#json_dirs[@]}" -eq 0 ] || python3 "$W/check_json.py" "${json_dirs[@]}" || die "the JSON checker itself failed"
for f in "${files[@]}"; do
	name=$(basename "$f")
	D=$W/$name
	LOG=$D/log
	nfail=${file_fails[$name]}
	first=$((checks - ${file_checks[$name]}))
	if [ -s "$D/json.err" ]; then
		nfail=$((nfail + 1))
		{
			echo "  FAIL [$name (b) json] list --json disagrees with ipvsadm:"
			sed 's/^/    | /' "$D/json.err"
		} >>"$LOG"
	fi
	nsvc=0 ndst=0
	while read -r cmd _; do
		case $cmd in -A) nsvc=$((nsvc + 1)) ;; -a) ndst=$((ndst + 1)) ;; esac
	done <"$D/ref.S"
	group_done "$name" "$nsvc services, $ndst real servers"
done

# daemons_json LABEL: list --json's daemons equal what ipvsadm -Ln --daemon (in $W/exp) says.
daemons_json() {
	tui "$W/json" list --json || return 0
	checks=$((checks + 1))
	python3 - "$W/exp" "$W/json" >"$W/daemons.err" 2>&1 <<'PY' && return 0
import ipaddress, json, re, sys
want = {}
for line in open(sys.argv[1]):
    m = re.match(r"(master|backup) sync daemon \((.*)\)", line.strip())
    if m:
        kv = dict(x.split("=", 1) for x in m.group(2).split(", "))
        want[m.group(1)] = {"mcast_ifn": kv["mcast"], "sync_id": int(kv["syncid"]),
                            "sync_maxlen": int(kv["maxlen"]), "mcast_group": str(ipaddress.ip_address(kv["group"])),
                            "mcast_port": int(kv["port"]), "mcast_ttl": int(kv["ttl"])}
got = {}
for d in json.load(open(sys.argv[2]))["daemons"]:
    g = dict(d)
    if g.get("mcast_group") is not None:
        g["mcast_group"] = str(ipaddress.ip_address(g["mcast_group"]))
    got[g.pop("state", None)] = g
bad = []
for state in sorted(set(want) | set(got)):
    w, g = want.get(state), got.get(state)
    if w is None or g is None:
        bad.append(f"{state} daemon: ipvsadm {'shows' if w else 'does not show'} it, --json {'has' if g else 'has not'}")
        continue
    for f, v in w.items():
        if g.get(f) != v:
            bad.append(f"{state} daemon: {f} = {g.get(f)!r}, ipvsadm says {v!r}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
	nfail=$((nfail + 1))
	{
		echo "  FAIL [$cur] list --json daemons ($1) disagree with ipvsadm -Ln --daemon:"
		sed 's/^/    | /' "$W/daemons.err"
	} >>"$LOG"
}

# Table commands: flush, timeouts, sync daemons.
commands() {
	nfail=0
	first=$checks
	LOG=$W/commands.log
	cur="commands flush"
	ref_load "$CORPUS/mixed-everything.rules"
	ipvsadm -Sn >"$W/before"
	"$TUI" flush </dev/null >"$W/out" 2>&1 || true
	ipvsadm -Sn >"$W/after"
	check "flush without --yes must not change the table" "$W/before" "$W/after"
	tui "$W/out" flush --yes || true
	ipvsadm -Sn >"$W/after"
	[ -s "$W/after" ] && bad "flush --yes" "table not empty afterwards: $(head -n3 "$W/after")"
	checks=$((checks + 1))

	cur="commands timeouts"
	ipvsadm -Ln --timeout >"$W/exp"
	tui "$W/got" list --timeout || true
	check "list --timeout" "$W/exp" "$W/got"
	tui "$W/got" timeouts --set 1000 100 200 || true
	ipvsadm -Ln --timeout >"$W/got"
	echo "Timeout (tcp tcpfin udp): 1000 100 200" >"$W/exp"
	check "timeouts --set 1000 100 200, then ipvsadm -Ln --timeout" "$W/exp" "$W/got"
	tui "$W/got" timeouts --set 0 50 0 || true
	ipvsadm -Ln --timeout >"$W/got"
	echo "Timeout (tcp tcpfin udp): 1000 50 200" >"$W/exp"
	check "timeouts --set 0 50 0 (0 = unchanged), then ipvsadm -Ln --timeout" "$W/exp" "$W/got"
	tui "$W/got" timeouts || true
	checks=$((checks + 1))
	grep -q '1000' "$W/got" && grep -q '50' "$W/got" && grep -q '200' "$W/got" ||
		bad "timeouts (show)" "does not show 1000 50 200: $(cat "$W/got")"
	tui "$W/got" list --timeout || true
	ipvsadm -Ln --timeout >"$W/exp"
	check "list --timeout after --set" "$W/exp" "$W/got"

	cur="commands daemon"
	# A multicast-capable interface for the sync daemons (veth has IFF_MULTICAST, lo has not).
	ip link add sync0 type veth peer name sync1
	ip link set sync0 up
	ip link set sync1 up
	ip addr add 192.168.77.1/24 dev sync0
	ip addr add 192.168.77.2/24 dev sync1
	ipvsadm -Ln --daemon >"$W/exp"
	tui "$W/got" list --daemon || true
	check "list --daemon (none running)" "$W/exp" "$W/got"
	tui "$W/out" daemon start master --mcast-interface sync0 --syncid 7 || true
	ipvsadm -Ln --daemon >"$W/exp"
	checks=$((checks + 1))
	grep -q 'master sync daemon (mcast=sync0, syncid=7,' "$W/exp" ||
		bad "daemon start master --mcast-interface sync0 --syncid 7" "ipvsadm -Ln --daemon shows: $(cat "$W/exp")"
	tui "$W/got" list --daemon || true
	check "list --daemon (master)" "$W/exp" "$W/got"
	ipvsadm --start-daemon backup --mcast-interface sync1 --syncid 9
	ipvsadm -Ln --daemon >"$W/exp"
	tui "$W/got" list --daemon || true
	check "list --daemon (master + backup)" "$W/exp" "$W/got"
	daemons_json "master + backup"
	tui "$W/got" daemon list || true
	checks=$((checks + 1))
	grep -q 'master' "$W/got" && grep -q 'backup' "$W/got" && grep -q 'sync0' "$W/got" && grep -q 'sync1' "$W/got" ||
		bad "daemon list" "does not show the master on sync0 and the backup on sync1: $(cat "$W/got")"
	tui "$W/out" daemon stop master || true
	ipvsadm -Ln --daemon >"$W/exp"
	checks=$((checks + 1))
	grep -q master "$W/exp" && bad "daemon stop master" "ipvsadm still shows it: $(cat "$W/exp")"
	grep -q 'backup sync daemon (mcast=sync1, syncid=9,' "$W/exp" ||
		bad "daemon stop master" "the backup daemon went too: $(cat "$W/exp")"
	tui "$W/out" daemon stop backup || true
	ipvsadm -Ln --daemon >"$W/exp"
	checks=$((checks + 1))
	[ -s "$W/exp" ] && bad "daemon stop backup" "ipvsadm still shows: $(cat "$W/exp")"
	tui "$W/out" daemon start backup --mcast-interface sync1 --syncid 3 --sync-maxlen 1400 --mcast-group 239.1.2.3 --mcast-port 8850 --mcast-ttl 2 || true
	ipvsadm -Ln --daemon >"$W/exp"
	tui "$W/got" list --daemon || true
	check "list --daemon (backup with every option)" "$W/exp" "$W/got"
	daemons_json "backup with every option"
	checks=$((checks + 1))
	grep -q 'backup sync daemon (mcast=sync1, syncid=3, maxlen=1400, group=239.1.2.3, port=8850, ttl=2)' "$W/exp" ||
		bad "daemon start backup with every option" "ipvsadm -Ln --daemon shows: $(cat "$W/exp")"
	ipvsadm --stop-daemon backup || true
	group_done commands ""
}
[ "$run_commands" = yes ] && commands

echo "corpus: ${#files[@]} files$([ "$run_commands" = yes ] && echo " + commands"), $checks checks, $total_fail failed"
if [ "$total_fail" -ne 0 ]; then
	echo "corpus: FAILED: ${failed_files[*]}"
	exit 1
fi
echo "corpus OK"
