//! Lab test: the host domain on a real kernel (tests/lab/host.sh): `vip add|del|list`, `sysctl`
//! and `host --json` (read_state) in the DR topology's namespaces, compared with ip and sysctl.
use crate::lab;

/// VIPs on a veth and on lo (with labels, IPv4 and IPv6) as `ip -o addr` shows them; sysctls as
/// `sysctl -n` reads them; read_state() equal to `ip -j addr` and `ip -j route` in three
/// namespaces; bad input refused with the exact message and nothing changed; each change in the
/// audit log with its result and what it replaced.
#[test]
fn vips_sysctls_and_host_state_on_a_real_kernel() {
    lab::check("host.sh", "host OK");
}
