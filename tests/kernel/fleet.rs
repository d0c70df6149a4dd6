//! Lab test: two directors as network namespaces in one console and compared (tests/lab/fleet.sh).
use crate::lab;

/// `compare` finds a planted weight and a missing real server (exit 1); the console on both
/// shows the directors page, changes and undoes a weight on lb2 only (audited on lb2), and shows
/// lb1 unreachable with the reason while lb2 stays live, then lb1 back.
#[test]
fn two_directors_compared_changed_and_one_lost() {
    lab::check("fleet.sh", "fleet OK");
}

/// A master sync daemon on the NAT director and a backup on lb2: connections held open through
/// the VIP are synced, and the directors page's sync health agrees with `ipvsadm -Lnc` on each
/// side (tests/lab/fleet_sync.sh).
#[test]
fn the_pairs_sync_health_agrees_with_ipvsadm() {
    lab::check("fleet_sync.sh", "fleet_sync OK");
}

/// Two real keepalived MASTER for the same VRRP instance, each binding the VIP: both alarms on
/// the directors page and in the tables' header (tests/lab/fleet_alarms.sh).
#[test]
fn a_split_brain_raises_both_alarms() {
    lab::check("fleet_alarms.sh", "fleet_alarms OK");
}

/// The console on two directors over real OpenSSH: a change on lb2 only, audited and undone
/// there; lb1's sshd killed: unreachable with ssh's reason while lb2 stays live, then back; no
/// agent left after quitting (tests/lab/fleet_ssh.sh).
#[test]
fn two_directors_over_ssh_and_one_sshd_killed() {
    lab::check("fleet_ssh.sh", "fleet_ssh OK");
}

/// Console CPU with two remote directors of 1,000 services against one local director of the
/// same size, same run (tests/lab/fleet_bench.sh). The figures are printed; asserted: both
/// consoles show their tables and the measurement is there.
#[test]
fn fleet_bench_console_cpu_two_remote_against_one_local() {
    let output = lab::check("fleet_bench.sh", "fleet_bench OK");
    for line in output.lines().filter(|l| l.starts_with("fleet_bench:")) {
        println!("{line}");
    }
    assert!(output.contains("fleet_bench: cpu ratio two remote / one local"));
}
