//! The errnos the kernel returns that depend on more than the table's contents (which
//! table::apply already answers): unknown scheduler or persistence engine, addresses the kernel
//! will not route to, mixed address families with a sync daemon, timeouts too large for jiffies,
//! unknown interfaces. Each check runs only where the kernel would reach it, so that a request
//! failing two ways gets the kernel's errno (a duplicate with a bad scheduler is EEXIST).

use crate::ipvs::model::{Family, KNOWN_SCHEDULERS, ServiceKey, Snapshot};
use crate::ipvs::op::IpvsOp;
use libc::{EINVAL, ENODEV, ENOENT};
use std::net::IpAddr;

/// The persistence engines shipped with Linux.
pub(super) const KNOWN_PES: [&str; 1] = ["sip"];

/// Seconds above which the kernel refuses a timeout: INT_MAX / HZ, with HZ = 1000.
const MAX_KERNEL_TIMEOUT: u32 = i32::MAX as u32 / 1000;

fn dest_exists(table: &Snapshot, service: &ServiceKey, addr: &IpAddr, port: u16) -> bool {
    table.service(service).is_some_and(|s| {
        s.dests
            .iter()
            .any(|d| d.config.addr == *addr && d.config.port == port)
    })
}

/// Real servers whose family is not their service's (ipvs->mixed_address_family_dests).
fn mixed_family_dests(table: &Snapshot) -> usize {
    table
        .services
        .iter()
        .map(|s| {
            s.dests
                .iter()
                .filter(|d| Family::of(&d.config.addr) != s.config.key.family())
                .count()
        })
        .sum()
}

/// Ok when the kernel would get as far as the table (which may still refuse); else the errno.
pub(super) fn kernel_checks(
    table: &Snapshot,
    op: &IpvsOp,
    interfaces: &[String],
) -> Result<(), i32> {
    match op {
        IpvsOp::AddService(s) | IpvsOp::EditService(s) => {
            let exists = table.service(&s.key).is_some();
            let reaches_lookup = if matches!(op, IpvsOp::AddService(_)) {
                !exists
            } else {
                exists
            };
            let known_pe =
                s.pe.as_ref()
                    .is_none_or(|pe| KNOWN_PES.contains(&pe.as_str()));
            if reaches_lookup && (!KNOWN_SCHEDULERS.contains(&s.scheduler.as_str()) || !known_pe) {
                return Err(ENOENT);
            }
        }
        IpvsOp::AddDest { service, dest } | IpvsOp::EditDest { service, dest } => {
            let Some(svc) = table.service(service) else {
                return Ok(());
            };
            // ip_vs_genl_set_cmd: another family needs tunnelling (validate checked) and no daemon.
            if Family::of(&dest.addr) != svc.config.key.family() && !table.daemons.is_empty() {
                return Err(EINVAL);
            }
            // ip_vs_new_dest: an IPv6 link-local real server is not one of our addresses.
            let is_add = matches!(op, IpvsOp::AddDest { .. });
            if is_add
                && !dest_exists(table, service, &dest.addr, dest.port)
                && matches!(dest.addr, IpAddr::V6(a) if a.is_unicast_link_local())
            {
                return Err(EINVAL);
            }
        }
        IpvsOp::SetTimeouts(t) => {
            if [t.tcp, t.tcp_fin, t.udp]
                .iter()
                .any(|&v| v > MAX_KERNEL_TIMEOUT)
            {
                return Err(EINVAL);
            }
        }
        IpvsOp::StartDaemon(d) => {
            if mixed_family_dests(table) > 0 {
                return Err(EINVAL);
            }
            if !interfaces.contains(&d.mcast_ifn) {
                return Err(ENODEV);
            }
        }
        IpvsOp::DeleteService(_)
        | IpvsOp::DeleteDest { .. }
        | IpvsOp::Zero(_)
        | IpvsOp::Flush
        | IpvsOp::StopDaemon(_) => {}
    }
    Ok(())
}
