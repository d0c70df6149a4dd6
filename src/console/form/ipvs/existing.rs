//! Checks of a form's operations against the table as it is now: adding what already exists,
//! editing what was deleted since the form opened, starting a daemon that runs, stopping one
//! that does not. The kernel would refuse these too; saying it first keeps the form open.

use super::FieldId;
use super::words::service_name;
use crate::console::form::Problem;
use crate::ipvs::IpvsOp;
use crate::ipvs::model::{AddrPort, ServiceKey, Snapshot};

pub fn problems(ops: &[IpvsOp], table: &Snapshot) -> Vec<Problem<FieldId>> {
    let mut out = Vec::new();
    let mut fail = |field: Option<FieldId>, message: String| out.push(Problem { field, message });
    let gone = |key: &ServiceKey| {
        format!(
            "{} no longer exists: it was deleted since this form opened",
            service_name(key)
        )
    };
    for op in ops {
        match op {
            IpvsOp::AddService(s) if table.service(&s.key).is_some() => {
                let field = if s.key.is_fwmark() {
                    FieldId::Fwmark
                } else {
                    FieldId::Address
                };
                fail(
                    Some(field),
                    format!("{} already exists: edit it instead", service_name(&s.key)),
                );
            }
            IpvsOp::EditService(s) if table.service(&s.key).is_none() => fail(None, gone(&s.key)),
            IpvsOp::AddDest { service, dest } | IpvsOp::EditDest { service, dest } => {
                let Some(svc) = table.service(service) else {
                    fail(None, gone(service));
                    continue;
                };
                let server = AddrPort(dest.addr, dest.port);
                let exists = svc.dests.iter().any(|d| d.config.key() == dest.key());
                match op {
                    IpvsOp::AddDest { .. } if exists => {
                        fail(
                            Some(FieldId::Server),
                            format!(
                                "real server {server} already exists in {}: edit it instead",
                                service_name(service)
                            ),
                        );
                    }
                    IpvsOp::EditDest { .. } if !exists => {
                        fail(
                            None,
                            format!(
                                "real server {server} of {} no longer exists: it was deleted since this form opened",
                                service_name(service)
                            ),
                        );
                    }
                    _ => {}
                }
            }
            IpvsOp::StartDaemon(d) if table.daemons.iter().any(|x| x.state == d.state) => {
                fail(
                    Some(FieldId::DaemonRole),
                    format!(
                        "a {} sync daemon is already running: stop it first",
                        d.state.name()
                    ),
                );
            }
            IpvsOp::StopDaemon(state) if !table.daemons.iter().any(|x| x.state == *state) => {
                fail(
                    Some(FieldId::DaemonRole),
                    format!("no {} sync daemon is running", state.name()),
                );
            }
            _ => {}
        }
    }
    out
}
