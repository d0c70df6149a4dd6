//! Kernel tests: `ipvs-tui restore` of a table the size of a real director's (12,700 lines), in
//! netlink batches, against `ipvsadm -R` (tests/lab/restore.sh).
use crate::lab;

/// 635 services x 19 real servers: the restore equals ipvsadm's; a bad line deep inside a batch,
/// in the first one and on the last line is named and leaves the table as it was. With
/// RESTORE_RUNS=N in the environment it also times N interleaved runs against `ipvsadm -R` and
/// prints the medians and their ratio (tests/restore_bench.sh; never asserted).
#[test]
fn restore_at_scale_equals_ipvsadm_and_is_all_or_nothing() {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let runs = std::env::var("RESTORE_RUNS").unwrap_or_else(|_| "0".into());
    let mut lab = lab::Lab::new(&lab::script("restore.sh"))
        .env("RESTORE_PROFILE", profile)
        .env("RESTORE_RUNS", &runs);
    // Another size for the benchmark (tests/restore_bench.sh), e.g. 10,000 x 5.
    for var in ["RESTORE_SERVICES", "RESTORE_DESTS"] {
        if let Ok(v) = std::env::var(var) {
            lab = lab.env(var, &v);
        }
    }
    let out = lab.check("restore OK");
    for line in out
        .lines()
        .filter(|l| l.starts_with("restore: ") && (l.contains("median") || l.contains("runs")))
    {
        eprintln!("{line}");
    }
}
