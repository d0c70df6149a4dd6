//! Applying a list of Operations all or nothing: in order, and on the first failure every step
//! already applied is undone in reverse, so the host and the table are left as they were.

use crate::host::{Addr, HostOp, HostState};
use crate::ipvs::model::Snapshot;
use crate::ipvs::table;
use crate::operation::Operation;

/// Whatever applies one Operation: the kernel and the host (with the audit log), or a test double.
#[allow(async_fn_in_trait)]
pub trait Apply {
    async fn apply(&self, op: &Operation) -> Result<(), String>;
}

/// Why a list stopped: the step that failed and why, and any undo step that failed too (then
/// the host is NOT as it was, and the operator must be told exactly that).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyFailure {
    pub step: usize,
    pub error: String,
    pub rollback_errors: Vec<(Operation, String)>,
}

/// Applies `ops` in order from the state `ipvs`/`host` (read just before).
pub async fn apply_all<A: Apply>(applier: &A, mut ipvs: Snapshot, mut host: HostState, ops: &[Operation]) -> Result<(), ApplyFailure> {
    let mut undo: Vec<Vec<Operation>> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        let inverse = op.inverse(&ipvs, &host).unwrap_or_default();
        if let Err(error) = applier.apply(op).await {
            let mut rollback_errors = Vec::new();
            for undo_op in undo.into_iter().rev().flatten() {
                if let Err(e) = applier.apply(&undo_op).await {
                    rollback_errors.push((undo_op, e));
                }
            }
            return Err(ApplyFailure { step, error, rollback_errors });
        }
        undo.push(inverse);
        follow(&mut ipvs, &mut host, op);
    }
    Ok(())
}

/// The state after `op`, kept in memory so inverses need no re-read between steps.
pub fn follow(ipvs: &mut Snapshot, host: &mut HostState, op: &Operation) {
    match op {
        Operation::Ipvs(op) => {
            let _ = table::apply(ipvs, op);
        }
        Operation::Host(HostOp::SetSysctl { name, value }) => {
            host.sysctls.insert(name.clone(), value.clone());
        }
        Operation::Host(HostOp::AddAddr { dev, addr, prefix, label }) => {
            if let Some(l) = host.links.iter_mut().find(|l| &l.name == dev) {
                l.addrs.push(Addr { addr: *addr, prefix: *prefix, label: label.clone() });
            }
        }
        Operation::Host(HostOp::DelAddr { dev, addr, prefix }) => {
            if let Some(l) = host.links.iter_mut().find(|l| &l.name == dev) {
                l.addrs.retain(|a| !(a.addr == *addr && a.prefix == *prefix));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::Link;
    use std::cell::RefCell;

    /// The host and table in memory; the step numbered `fail_at` fails once.
    struct Memory {
        ipvs: RefCell<Snapshot>,
        host: RefCell<HostState>,
        fail_at: usize,
        calls: RefCell<usize>,
    }

    impl Apply for Memory {
        async fn apply(&self, op: &Operation) -> Result<(), String> {
            let n = self.calls.replace_with(|n| *n + 1);
            if n == self.fail_at {
                return Err("refused".into());
            }
            if let Operation::Ipvs(i) = op {
                table::apply(&mut self.ipvs.borrow_mut(), i).map_err(|e| format!("errno {e}"))?;
                return Ok(());
            }
            follow(&mut self.ipvs.borrow_mut(), &mut self.host.borrow_mut(), op);
            Ok(())
        }
    }

    #[test]
    fn a_failure_in_the_middle_leaves_host_and_table_as_they_were() {
        let host = HostState {
            links: vec![Link { index: 2, name: "eth0".into(), up: true, kind: None, addrs: vec![] }],
            sysctls: [("net.ipv4.ip_forward".to_string(), "0".to_string())].into(),
            ..HostState::default()
        };
        let plan = crate::setup::Plan::parse(
            "role = \"nat-director\"\nvip = \"192.0.2.100\"\ninterface = \"eth0\"\n[[service]]\nport = 80\n[[service.real_server]]\naddress = \"192.0.2.11\"\n",
        )
        .unwrap();
        let host = HostState { links: vec![Link { addrs: vec![Addr { addr: "192.0.2.1".parse().unwrap(), prefix: 24, label: None }], ..host.links[0].clone() }], ..host };
        let ops = crate::setup::plan_operations(&plan, &host, &Snapshot::default()).unwrap();
        assert_eq!(ops.len(), 4, "{ops:?}");
        for fail_at in 0..ops.len() {
            let m = Memory { ipvs: RefCell::new(Snapshot::default()), host: RefCell::new(host.clone()), fail_at, calls: RefCell::new(0) };
            let failure = futures::executor::block_on(apply_all(&m, Snapshot::default(), host.clone(), &ops)).unwrap_err();
            assert_eq!(failure.step, fail_at);
            assert!(failure.rollback_errors.is_empty());
            assert_eq!(*m.host.borrow(), host, "failing at step {fail_at}");
            assert_eq!(*m.ipvs.borrow(), Snapshot::default(), "failing at step {fail_at}");
        }
        let m = Memory { ipvs: RefCell::new(Snapshot::default()), host: RefCell::new(host.clone()), fail_at: usize::MAX, calls: RefCell::new(0) };
        futures::executor::block_on(apply_all(&m, Snapshot::default(), host.clone(), &ops)).unwrap();
        let again = crate::setup::plan_operations(&plan, &m.host.borrow(), &m.ipvs.borrow()).unwrap();
        assert_eq!(again, vec![], "a plan applied needs nothing more");
    }
}
