//! The state a change replaces, as `ipvsadm -S` lines: enough to see what was there and to put
//! it back by hand with `ipvsadm -R`.

use crate::ipvs::model::{DestKey, Service, ServiceKey, Snapshot, SyncState, Timeouts};
use crate::ipvs::op::IpvsOp;
use crate::ipvs::rules;
use std::net::IpAddr;

/// The objects `op` touches as they are in `before`:
/// - a service edit: its `-A` line; a service delete: its `-A` line and its real servers' `-a`;
/// - a real server edit or delete: its `-a` line;
/// - a flush: the whole table; `--set`: the timeouts; a daemon stop: the daemon's start line;
/// - nothing for what creates something new (adds, a daemon start when none runs) and for
///   zeroing (counters are not configuration).
///
/// Lines are byte for byte as `ipvsadm -Sn` writes them, so thresholds are left out, as there.
pub fn before_lines(op: &IpvsOp, before: &Snapshot) -> Vec<String> {
    match op {
        IpvsOp::AddService(s) | IpvsOp::EditService(s) => service_lines(before, &s.key, false),
        IpvsOp::DeleteService(key) => service_lines(before, key, true),
        IpvsOp::AddDest { service, dest } | IpvsOp::EditDest { service, dest } => {
            dest_lines(before, service, &dest.addr, dest.port)
        }
        IpvsOp::DeleteDest {
            service,
            dest: DestKey { addr, port },
        } => dest_lines(before, service, addr, *port),
        IpvsOp::Zero(_) => Vec::new(),
        IpvsOp::Flush => lines(&rules::save(before)),
        IpvsOp::SetTimeouts(_) => vec![timeouts_line(&before.timeouts)],
        IpvsOp::StartDaemon(d) => daemon_lines(before, d.state),
        IpvsOp::StopDaemon(state) => daemon_lines(before, *state),
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// `ipvsadm -S` of a table holding only `service` (with the real servers kept by `keep`).
fn saved(service: &Service, keep: impl Fn(&crate::ipvs::model::Dest) -> bool) -> Vec<String> {
    let only = Service {
        dests: service.dests.iter().filter(|d| keep(d)).cloned().collect(),
        ..service.clone()
    };
    lines(&rules::save(&Snapshot {
        services: vec![only],
        ..Snapshot::default()
    }))
}

fn service_lines(before: &Snapshot, key: &ServiceKey, with_dests: bool) -> Vec<String> {
    before
        .service(key)
        .map(|s| saved(s, |_| with_dests))
        .unwrap_or_default()
}

fn dest_lines(before: &Snapshot, key: &ServiceKey, addr: &IpAddr, port: u16) -> Vec<String> {
    let Some(service) = before.service(key) else {
        return Vec::new();
    };
    if !service
        .dests
        .iter()
        .any(|d| d.config.addr == *addr && d.config.port == port)
    {
        return Vec::new();
    }
    // Without its service line: the change touched the real server only.
    saved(service, |d| d.config.addr == *addr && d.config.port == port).split_off(1)
}

fn timeouts_line(t: &Timeouts) -> String {
    format!("--set {} {} {}", t.tcp, t.tcp_fin, t.udp)
}

fn daemon_lines(before: &Snapshot, state: SyncState) -> Vec<String> {
    before
        .daemons
        .iter()
        .filter(|d| d.state == state)
        .map(rules::daemon_start_options)
        .collect()
}
