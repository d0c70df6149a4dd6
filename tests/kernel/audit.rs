//! Lab test: the command line's changes (restore, zero, flush, timeouts --set, daemon start and
//! stop) land in the audit log on a real IPVS, one JSON line each (tests/lab/audit_cli.sh).
use crate::lab;

/// Each change: its ipvsadm command, ok or the kernel's error, user (SUDO_USER first), host,
/// source "cli" and the state before; a restore that fails logs its rollback too. A log that
/// cannot be written warns on stderr and changes nothing else.
#[test]
fn cli_changes_are_audited_one_json_line_each() {
    let r = lab::Lab::new(&lab::script("audit_cli.sh")).run();
    println!("{}", r.output);
    if r.status != 0 || !r.output.contains("audit-cli OK") {
        let fails: Vec<&str> = r.output.lines().filter(|l| l.contains("FAIL")).collect();
        panic!(
            "audit_cli.sh failed (exit status {}); failing checks:\n{}\n\nwhole guest output:\n{}",
            r.status,
            fails.join("\n"),
            r.output
        );
    }
}
