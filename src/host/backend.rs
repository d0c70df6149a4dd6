//! Where host changes go: this machine (rtnetlink, /proc/sys), or an in-memory host for the demo
//! console and for tests. The same split as `ipvs::Backend` (kernel or simulator).

use super::error::HostError;
use super::op::HostOp;
use super::{HostState, memory};
use std::sync::Mutex;

#[allow(async_fn_in_trait)]
pub trait HostBackend {
    async fn state(&self) -> Result<HostState, HostError>;
    /// Apply one change. On error nothing of this change is left applied.
    async fn apply(&self, op: &HostOp) -> Result<(), HostError>;
    /// This machine, not a stand-in: what it reaches (real servers, the firewall) is real too.
    fn is_live(&self) -> bool {
        false
    }
}

/// The host this process runs on (its network namespace).
#[derive(Debug, Clone, Copy, Default)]
pub struct LiveHost;

impl HostBackend for LiveHost {
    async fn state(&self) -> Result<HostState, HostError> {
        super::read_state().await
    }
    async fn apply(&self, op: &HostOp) -> Result<(), HostError> {
        super::apply(op).await
    }
    fn is_live(&self) -> bool {
        true
    }
}

/// A host held in memory, refusing what the parsers and the kernel would refuse.
#[derive(Debug, Default)]
pub struct MemoryHost(Mutex<HostState>);

impl MemoryHost {
    pub fn new(state: HostState) -> MemoryHost {
        MemoryHost(Mutex::new(state))
    }

    pub fn current(&self) -> HostState {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl HostBackend for MemoryHost {
    async fn state(&self) -> Result<HostState, HostError> {
        Ok(self.current())
    }
    async fn apply(&self, op: &HostOp) -> Result<(), HostError> {
        super::parse::validate(op).map_err(|e| HostError::Invalid(e.to_string()))?;
        memory::apply(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()), op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_built_changes_are_checked_before_anything_is_written() {
        let mut state = HostState::default();
        state
            .sysctls
            .insert("net.ipv4.ip_forward".into(), "0".into());
        let host = MemoryHost::new(state.clone());
        let traversal = HostOp::SetSysctl {
            name: "net.//.//.//.etc.passwd".into(),
            value: "1".into(),
        };
        let live = futures::executor::block_on(super::super::apply(&traversal)).unwrap_err();
        assert_eq!(
            live.to_string(),
            r#"sysctl "net.//.//.//.etc.passwd": not an LVS sysctl that ipvs-tui knows; `ipvs-tui sysctl` lists them"#
        );
        let too_big = HostOp::SetSysctl {
            name: "net.ipv4.ip_forward".into(),
            value: "7".into(),
        };
        assert!(matches!(
            futures::executor::block_on(host.apply(&too_big)),
            Err(HostError::Invalid(_))
        ));
        assert_eq!(host.current(), state);
    }
}
