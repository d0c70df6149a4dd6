//! Lab test: the command line's changes (restore, zero, flush, timeouts --set, daemon start and
//! stop) land in the audit log on a real IPVS, one JSON line each (tests/lab/audit_cli.sh).
use crate::lab;

/// Each change: its ipvsadm command, ok or the kernel's error, user (SUDO_USER first), host,
/// source "cli" and the state before; a restore that fails logs its rollback too. A log that
/// cannot be written warns on stderr and changes nothing else.
#[test]
fn cli_changes_are_audited_one_json_line_each() {
    lab::check("audit_cli.sh", "audit-cli OK");
}
