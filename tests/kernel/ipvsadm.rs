//! Kernel tests: the ipvs-tui binary against ipvsadm 1.31 on a real IPVS (user-mode Linux 6.1, see
//! tests/lab). Each test boots one VM and runs one guest script from tests/lab/ that prints a line
//! per check group and, on a mismatch, a unified diff (ipvsadm's text first).
use crate::lab;

use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// The corpus rule sets (file names), sorted.
fn corpus_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus")
        .map(|e| {
            e.expect("tests/corpus entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".rules"))
        .collect();
    files.sort();
    files
}

/// Runs a guest script with `args` and checks it (see `lab::Lab::check`); returns its output.
fn run_guest(script: &str, args: &[&str], ok_marker: &str) -> String {
    lab::Lab::new(&lab::script(script))
        .args(args)
        .check(ok_marker)
}

/// The corpus is split in two halves so that the two VMs run in parallel.
fn corpus_half(second: bool) -> Vec<String> {
    let files = corpus_files();
    let mid = files.len() / 2;
    if second {
        files[mid..].to_vec()
    } else {
        files[..mid].to_vec()
    }
}

#[test]
fn corpus_covers_forty_rule_sets_each_described_in_readme() {
    let files = corpus_files();
    assert!(
        files.len() >= 40,
        "tests/corpus has {} rule sets, expected at least 40",
        files.len()
    );
    let readme =
        std::fs::read_to_string(corpus_dir().join("README.md")).expect("tests/corpus/README.md");
    let missing: Vec<&String> = files
        .iter()
        .filter(|f| !readme.contains(&format!("`{f}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "tests/corpus/README.md does not describe {missing:?}"
    );
}

/// Every corpus file, first half: restore/save/list/--json compared with ipvsadm (tests/lab/corpus.sh).
#[test]
fn corpus_first_half_matches_ipvsadm() {
    let files = corpus_half(false);
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let out = run_guest("corpus.sh", &args, "corpus OK");
    for f in &files {
        assert!(
            out.contains(&format!("corpus: {f}: ok")),
            "no result line for {f}"
        );
    }
}

/// Every corpus file, second half, then flush, timeouts and the sync daemon commands.
#[test]
fn corpus_second_half_and_commands_match_ipvsadm() {
    let files = corpus_half(true);
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.push("commands");
    let out = run_guest("corpus.sh", &args, "corpus OK");
    for f in &files {
        assert!(
            out.contains(&format!("corpus: {f}: ok")),
            "no result line for {f}"
        );
    }
    assert!(
        out.contains("corpus: commands: ok"),
        "no result line for the commands"
    );
}

/// Real TCP and UDP traffic through LVS-NAT; counters, rates and connections (text and --json)
/// equal ipvsadm's in the same estimator window; zero SERVICE and zero (tests/lab/traffic.sh).
#[test]
fn traffic_counters_and_rates_match_ipvsadm() {
    run_guest("traffic.sh", &[], "traffic OK");
}

/// Error cases: one clear line with the key words, non-zero exit, table unchanged; three bad
/// lines all reported; a kernel failure on line 5 rolled back (tests/lab/errors.sh).
#[test]
fn errors_are_reported_and_change_nothing() {
    run_guest("errors.sh", &[], "errors OK");
}

/// 1,000 services x 10 real servers: list (plain, --stats --exact, --rate), save and restore are
/// identical to ipvsadm at that scale. Also times `list --stats --exact` against ipvsadm and prints
/// the medians and the ratio (not asserted); tests/bench.sh runs this on a release build.
#[test]
fn list_at_scale_matches_ipvsadm() {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let mut lab = lab::Lab::new(&lab::script("bench.sh")).env("BENCH_PROFILE", profile);
    // tests/bench.sh passes these through for the 10,000 x 5 figures.
    for var in ["BENCH_SERVICES", "BENCH_DESTS", "BENCH_RUNS"] {
        if let Ok(v) = std::env::var(var) {
            lab = lab.env(var, &v);
        }
    }
    let out = lab.check("bench OK");
    for line in out
        .lines()
        .filter(|l| l.starts_with("bench: ") && l.contains("median"))
    {
        eprintln!("{line}");
    }
}
