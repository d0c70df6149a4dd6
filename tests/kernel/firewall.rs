//! Lab test of the doctor's firewall check on real nft and iptables rules in the NAT director's
//! netns (tests/lab/firewall.sh): each dropping rule named as a warning, nothing changed.
use crate::lab;

/// An nft rule, an nft drop policy and an iptables rule that really drop HTTP to the VIP are each
/// named by `ipvs-tui doctor --json`; without them the doctor finds nothing and traffic flows.
#[test]
fn doctor_names_firewall_rules_that_drop_traffic_to_the_vip() {
    lab::check("firewall.sh", "firewall OK");
}
