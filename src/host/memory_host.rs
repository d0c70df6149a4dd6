//! A host held in memory, for the demo console's director and for tests: changes are checked by
//! the parsers' rules and applied by `memory::apply`, refusing what the kernel would refuse.

use super::error::HostError;
use super::op::HostOp;
use super::{HostState, memory};
use std::sync::Mutex;

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

impl MemoryHost {
    /// Applies one change. On error nothing of this change is left applied.
    pub async fn apply(&self, op: &HostOp) -> Result<(), HostError> {
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
