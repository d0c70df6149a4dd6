//! Lab benchmark of issue 13 §4 (tests/lab/remote_bench.sh): bytes per quiet poll against a full
//! snapshot and poll times over SSH against a local agent, printed as ratios; asserted: the
//! figures are there and a quiet poll is smaller than a full snapshot.
use crate::lab;

#[test]
fn remote_poll_bytes_and_latency() {
    let output = lab::check("remote_bench.sh", "remote_bench OK");
    let line = |prefix: &str| {
        output
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line {prefix:?}:\n{output}"))
            .to_string()
    };
    let number = |text: &str, after: &str| -> f64 {
        let rest = &text[text.find(after).unwrap_or_else(|| panic!("{text}")) + after.len()..];
        rest.trim_start()
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let full = number(&line("remote_bench: full snapshot"), "full snapshot");
    let quiet = number(&line("remote_bench: quiet poll "), "quiet poll");
    assert!(
        quiet > 0.0 && quiet < full,
        "quiet poll {quiet} bytes, full {full}"
    );
    line("remote_bench: quiet poll over ssh");
}
