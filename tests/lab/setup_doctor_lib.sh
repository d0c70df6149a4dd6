# Bash helpers for the doctor's lab tests (sourced): run `ipvs-tui doctor --json` in a netns,
# compare the checks found, apply the fixes it offers.

# doctor_expect NS "CHECK..." [DOCTOR ARGS...]: the doctor in NS finds exactly these checks
# (sorted, space separated; "" for none) and exits 1 if any is an error or warning, else 0.
doctor_expect() {
	local ns=$1 want=$2 rc=0
	shift 2
	lab_ns "$ns" "$TUI" doctor --json "$@" >"$W/doctor.json" 2>"$W/doctor.err" || rc=$?
	python3 - "$W/doctor.json" "$want" "$rc" "$ns $*" <<'PY' || lab_fail "doctor in $ns $*: see above"
import json, sys
report = json.load(open(sys.argv[1]))
want = sorted(sys.argv[2].split())
rc, where = int(sys.argv[3]), sys.argv[4]
got = sorted(f["check"] for f in report["findings"])
for f in report["findings"]:
    print(f"  doctor {where}: {f['severity']} {f['check']}: {f['what']} | fix: {f['fix']} | advice: {f.get('advice')}")
problems = sum(f["severity"] != "hint" for f in report["findings"])
assert report["problems"] == problems, report
assert got == want, f"checks {got}, expected {want}"
assert rc == (1 if problems else 0), f"exit status {rc} with {problems} problem(s)"
print(f"doctor {where}: {got or 'no finding'} (exit {rc})")
PY
}

# doctor_fix NS: run, in NS, every fix command of the last doctor_expect.
doctor_fix() {
	local cmd
	python3 -c 'import json,sys; [print(c) for f in json.load(open(sys.argv[1]))["findings"] for c in f["fix"]]' "$W/doctor.json" >"$W/fixes"
	[ -s "$W/fixes" ] || lab_fail "the doctor offered no fix in $1"
	while read -r cmd; do
		echo "  fix in $1: $cmd"
		# The commands are plain words (no quoting needed): run them as the operator would.
		lab_ns "$1" $cmd >/dev/null || lab_fail "fix failed in $1: $cmd"
	done <"$W/fixes"
}
