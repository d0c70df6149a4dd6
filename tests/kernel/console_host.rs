//! Lab test: the host panes on a real kernel (tests/lab/hostpanes.sh), driven by keys in tmux in
//! the director netns of the NAT topology.
use crate::lab;

/// The service of an unbound VIP is marked ✗; i, b binds the VIP (as `ip -o addr` shows) and the
/// mark goes; s, Enter sets ip_forward (as `sysctl -n` reads it); HTTP then flows through the VIP.
/// P writes the bytes `ipvs-tui persist` writes, overwriting a changed file only once named; on a
/// TUN real server the doctor's fix brings tunl0 up and u takes it down (as `ip link` shows).
#[test]
fn the_console_binds_a_vip_and_sets_ip_forward_by_keys() {
    lab::check("hostpanes.sh", "hostpanes OK");
}
