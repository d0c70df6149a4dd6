//! Lab tests of `ipvs-tui conns` against real IPVS in user-mode Linux (tests/lab/conns*.sh).
use crate::lab;

/// Runs a guest script, prints its output, and fails with the failing lines first.
fn run_guest(script: &str, ok_marker: &str) -> String {
    let r = lab::Lab::new(&lab::script(script)).run();
    println!("{}", r.output);
    if r.status != 0 || !r.output.contains(ok_marker) {
        let fails: Vec<&str> = r.output.lines().filter(|l| l.contains("FAIL")).collect();
        panic!(
            "{script} failed (exit status {}); failing checks:\n{}\n\nwhole guest output:\n{}",
            r.status,
            fails.join("\n"),
            r.output
        );
    }
    r.output
}

/// Connections in every TCP state the kernel lets us produce, UDP, SCTP, IPv6, a fwmark service
/// and persistence templates: every line of /proc/net/ip_vs_conn is read, none malformed, and
/// the counts by state equal the file's.
#[test]
fn every_state_is_read() {
    run_guest("conns_states.sh", "conns_states OK");
}

/// At least 20,000 real connection entries through LVS-NAT: `ipvs-tui conns --group-by
/// rs|state|client --json` (and with a client filter) equal `ipvsadm -Lnc` aggregated by awk;
/// listing, --max-rows and the persistence lookup; the console's connections pane (`c`, `a`,
/// `g`: real server × state, read in tmux) equals ipvsadm the same way. Also times `conns --group-by rs` against
/// `ipvsadm -Lnc | awk` and prints the medians and ratio (not asserted; tests/conns_bench.sh
/// runs it on a release build).
#[test]
fn twenty_thousand_entries_group_like_ipvsadm() {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let r = lab::Lab::new(&lab::script("conns.sh"))
        .env("BENCH_PROFILE", profile)
        .run();
    println!("{}", r.output);
    if r.status != 0 || !r.output.contains("conns OK") {
        let fails: Vec<&str> = r.output.lines().filter(|l| l.contains("FAIL")).collect();
        panic!(
            "conns.sh failed (exit status {}); failing checks:\n{}\n\nwhole guest output:\n{}",
            r.status,
            fails.join("\n"),
            r.output
        );
    }
    for line in r
        .output
        .lines()
        .filter(|l| l.starts_with("conns: ") && l.contains("median"))
    {
        eprintln!("{line}");
    }
}
