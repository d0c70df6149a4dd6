//! Lab test: operating a real IPVS (user-mode Linux, LVS-NAT) from the console's keys in tmux, each
//! step compared with ipvsadm -Sn; drain under real traffic; the audit log; --read-only
//! (tests/lab/operate.sh).
use crate::lab;

use std::time::Duration;

/// a/Enter/a/a add a service and two NAT real servers; w and + change a weight and u undoes it;
/// D drains a real server while HTTP requests flow and removes it once its connections are gone
/// (IPVS keeps TIME_WAIT entries 2 min, hence the long timeout), u brings it back; the audit log
/// has one JSON line per change; with --read-only no change key works or is offered.
#[test]
fn operate_by_keys_matches_ipvsadm_drains_under_traffic_and_read_only_refuses() {
    lab::Lab::new(&lab::script("operate.sh"))
        .timeout(Duration::from_secs(600))
        .check("operate OK");
}
