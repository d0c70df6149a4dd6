//! Checks of a form's operations against the table as it is now: adding what already exists,
//! editing what was deleted since the form opened, starting a daemon that runs, stopping one
//! that does not. The kernel would refuse these too; saying it first keeps the form open.
//! And for an edit, what another manager changed in the object since the form opened.

use super::FormKind;
use super::check::Problem;
use super::fields::FieldId;
use super::words::service_name;
use crate::ipvs::IpvsOp;
use crate::ipvs::model::{AddrPort, Forward, ServiceConfig, ServiceKey, Snapshot};

pub fn problems(ops: &[IpvsOp], table: &Snapshot) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut fail = |field: Option<FieldId>, message: String| out.push(Problem { field, message });
    let gone = |key: &ServiceKey| format!("{} no longer exists: it was deleted since this form opened", service_name(key));
    for op in ops {
        match op {
            IpvsOp::AddService(s) if table.service(&s.key).is_some() => {
                let field = if s.key.is_fwmark() { FieldId::Fwmark } else { FieldId::Address };
                fail(Some(field), format!("{} already exists: edit it instead", service_name(&s.key)));
            }
            IpvsOp::EditService(s) if table.service(&s.key).is_none() => fail(None, gone(&s.key)),
            IpvsOp::AddDest { service, dest } | IpvsOp::EditDest { service, dest } => {
                let Some(svc) = table.service(service) else {
                    fail(None, gone(service));
                    continue;
                };
                let server = AddrPort(&dest.addr, dest.port);
                let exists = svc.dests.iter().any(|d| d.config.addr == dest.addr && d.config.port == dest.port);
                match op {
                    IpvsOp::AddDest { .. } if exists => {
                        fail(Some(FieldId::Server), format!("real server {server} already exists in {}: edit it instead", service_name(service)));
                    }
                    IpvsOp::EditDest { .. } if !exists => {
                        fail(None, format!("real server {server} of {} no longer exists: it was deleted since this form opened", service_name(service)));
                    }
                    _ => {}
                }
            }
            IpvsOp::StartDaemon(d) if table.daemons.iter().any(|x| x.state == d.state) => {
                fail(Some(FieldId::DaemonRole), format!("a {} sync daemon is already running: stop it first", d.state.name()));
            }
            IpvsOp::StopDaemon(state) if !table.daemons.iter().any(|x| x.state == *state) => {
                fail(Some(FieldId::DaemonRole), format!("no {} sync daemon is running", state.name()));
            }
            _ => {}
        }
    }
    out
}

/// What changed in the table since an edit form opened on `kind`'s original, in words
/// (`scheduler wlc → rr, weight 1 → 5`); `None` when nothing did, or the form adds something.
/// A vanished object is `submit`'s to report.
pub fn changes(kind: &FormKind, table: &Snapshot) -> Option<String> {
    let mut diffs = Vec::new();
    let mut diff = |what: &str, was: String, now: String| {
        if was != now {
            diffs.push(format!("{what} {was} → {now}"));
        }
    };
    let subject = match kind {
        FormKind::EditService { original } => {
            let now = &table.service(&original.key)?.config;
            diff("scheduler", original.scheduler.clone(), now.scheduler.clone());
            diff("scheduler flags", flags(original), flags(now));
            let persistence = |s: &ServiceConfig| s.persistence.map_or("off".to_string(), |t| format!("{t} s"));
            diff("persistence", persistence(original), persistence(now));
            diff("netmask", original.netmask.to_string(), now.netmask.to_string());
            diff("engine", original.pe.clone().unwrap_or("none".into()), now.pe.clone().unwrap_or("none".into()));
            diff("one-packet", on_off(original.one_packet), on_off(now.one_packet));
            service_name(&original.key)
        }
        FormKind::EditDest { service, original } | FormKind::Weight { service, original } => {
            let now = &table.service(service)?.dests.iter().find(|d| d.config.addr == original.addr && d.config.port == original.port)?.config;
            diff("forwarding", forward(&original.forward), forward(&now.forward));
            diff("weight", original.weight.to_string(), now.weight.to_string());
            diff("upper threshold", original.u_threshold.to_string(), now.u_threshold.to_string());
            diff("lower threshold", original.l_threshold.to_string(), now.l_threshold.to_string());
            format!("real server {} of {}", AddrPort(&original.addr, original.port), service_name(service))
        }
        FormKind::Timeouts { original } => {
            let now = table.timeouts;
            diff("tcp", original.tcp.to_string(), now.tcp.to_string());
            diff("tcpfin", original.tcp_fin.to_string(), now.tcp_fin.to_string());
            diff("udp", original.udp.to_string(), now.udp.to_string());
            "the timeouts".to_string()
        }
        _ => return None,
    };
    (!diffs.is_empty()).then(|| format!("{subject} changed since this form opened: {}", diffs.join(", ")))
}

fn flags(s: &ServiceConfig) -> String {
    if s.sched_flags.is_empty() { "none".into() } else { s.sched_flags.names(&s.scheduler) }
}

fn on_off(on: bool) -> String {
    if on { "on" } else { "off" }.to_string()
}

fn forward(f: &Forward) -> String {
    match f {
        Forward::Tunnel { tun_type, port, csum } => {
            let port = if *port == 0 { String::new() } else { format!(" port {port}") };
            format!("tunnel {}{port} {}", tun_type.name(), csum.option().trim_start_matches("--tun-"))
        }
        other => other.name().to_lowercase(),
    }
}
