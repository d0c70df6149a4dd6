//! Lab benchmark test: the console at 1 s refresh against `watch -n1 ipvsadm` in user-mode Linux (tests/lab/console_bench.sh); prints the figures, asserts the table and a CPU bound.
use crate::lab;

/// Runs tests/lab/console_bench.sh: bytes/s written to a tmux pane for 20 services under real traffic
/// (at random, then in turn)
/// and CPU with 1,000 services, each against `watch -n1 ipvsadm` in the same run. The figures are printed
/// (tests/console_bench.sh shows them); asserted: the console shows all 20 services and then 1,000, both
/// measurements are there, and the console used less than one whole core.
#[test]
fn console_bytes_and_cpu_against_watch_ipvsadm() {
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let output = lab::check("console_bench.sh", "console_bench OK");
    let figure = |prefix: &str| -> f64 {
        let line = output
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line {prefix:?}:\n{}", output));
        line[prefix.len()..]
            .trim_start()
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|e| panic!("{line:?}: {e}"))
    };
    let cpu = figure("console_bench: cpu console");
    let bytes = figure("console_bench: bytes random console");
    let watch_bytes = figure("console_bench: bytes random watch -n1 ipvsadm -Ln --rate");
    let turn = figure("console_bench: bytes turn console");
    assert!(
        bytes > 0.0 && watch_bytes > 0.0 && turn > 0.0,
        "no bytes measured: console {bytes}, watch {watch_bytes}"
    );
    assert!(
        cpu < 100.0,
        "the console used {cpu}% of one core at 1 s refresh with 1,000 services"
    );
    for line in output
        .lines()
        .filter(|l| l.starts_with("console_bench: ") && !l.contains("not on the screen"))
    {
        eprintln!("{line} [{profile} build]");
    }
}
