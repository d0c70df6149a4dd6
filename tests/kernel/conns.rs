//! Lab tests of `ipvs-tui conns` against real IPVS in user-mode Linux (tests/lab/conns*.sh).
use crate::lab;

/// Connections in every TCP state the kernel lets us produce, UDP, SCTP, IPv6, a fwmark service
/// and persistence templates: every line of /proc/net/ip_vs_conn is read, none malformed, and
/// the counts by state equal the file's.
#[test]
fn every_state_is_read() {
    lab::check("conns_states.sh", "conns_states OK");
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
    let output = lab::Lab::new(&lab::script("conns.sh"))
        .env("BENCH_PROFILE", profile)
        .check("conns OK");
    for line in output
        .lines()
        .filter(|l| l.starts_with("conns: ") && l.contains("median"))
    {
        eprintln!("{line}");
    }
}
