//! Lab tests of `ipvs-tui sandbox` (issue 15 point 5) on a real IPVS: each lab is built in
//! namespaces, spreads traffic rr over both real servers, is refused a second time, leaves the
//! guest's own table and links alone, and `down` removes every namespace and responder.
use crate::lab;

/// LVS-NAT, plus the one-line errors: not root, nothing up, a crashed build's leftovers.
#[test]
fn nat_sandbox_up_traffic_down_and_errors() {
    lab::Lab::new(&lab::script("sandbox.sh"))
        .args(&["nat", "errors"])
        .check("sandbox OK");
}

/// LVS-DR (VIP on the real servers' lo, ARP sysctls) and LVS-TUN (ipip, tunl0) in one guest.
#[test]
fn dr_and_tun_sandboxes_up_traffic_down() {
    lab::Lab::new(&lab::script("sandbox.sh"))
        .args(&["dr", "tun"])
        .check("sandbox OK");
}
