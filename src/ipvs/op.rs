//! IPVS changes as values: each one is applied by a backend, shown as its ipvsadm command, and
//! knows how to undo itself given the state it replaces.

use super::model::{
    DestConfig, DestKey, ServiceConfig, ServiceKey, Snapshot, SyncDaemon, SyncState, Timeouts,
};
use super::rules;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// One change to the IPVS table: the kernel backend and the simulator accept the same set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum IpvsOp {
    AddService(ServiceConfig),
    EditService(ServiceConfig),
    DeleteService(ServiceKey),
    AddDest {
        service: ServiceKey,
        dest: DestConfig,
    },
    EditDest {
        service: ServiceKey,
        dest: DestConfig,
    },
    DeleteDest {
        service: ServiceKey,
        /// Flattened: the audit log's JSON keeps `addr` and `port` beside `service`.
        #[serde(flatten)]
        dest: DestKey,
    },
    /// Zero the counters of one service, or of everything. As JSON `{"op":"zero","service":...}`
    /// (null for everything): a bare option cannot sit beside the tag.
    Zero(#[serde(with = "zero_service")] Option<ServiceKey>),
    Flush,
    /// 0 in a field leaves that timeout unchanged.
    SetTimeouts(Timeouts),
    StartDaemon(SyncDaemon),
    /// As JSON `{"op":"stop_daemon","state":"master"}`.
    StopDaemon(#[serde(with = "stop_state")] SyncState),
}

impl IpvsOp {
    /// True for changes that destroy state the user may want (they ask for confirmation).
    pub fn is_destructive(&self) -> bool {
        matches!(
            self,
            IpvsOp::DeleteService(_) | IpvsOp::DeleteDest { .. } | IpvsOp::Zero(_) | IpvsOp::Flush
        )
    }

    /// The equivalent ipvsadm command line.
    pub fn to_command(&self) -> String {
        let args = match self {
            IpvsOp::AddService(s) => format!("-A {}", rules::service_options(s)),
            IpvsOp::EditService(s) => format!("-E {}", rules::service_options(s)),
            IpvsOp::DeleteService(k) => format!("-D {k}"),
            IpvsOp::AddDest { service, dest } => {
                format!("-a {}", rules::dest_options(service, dest, true))
            }
            IpvsOp::EditDest { service, dest } => {
                format!("-e {}", rules::dest_options(service, dest, true))
            }
            IpvsOp::DeleteDest {
                service,
                dest: DestKey { addr, port },
            } => {
                format!("-d {service} -r {}", super::model::AddrPort(*addr, *port))
            }
            IpvsOp::Zero(None) => "-Z".to_string(),
            IpvsOp::Zero(Some(k)) => format!("-Z {k}"),
            IpvsOp::Flush => "-C".to_string(),
            IpvsOp::SetTimeouts(t) => format!("--set {} {} {}", t.tcp, t.tcp_fin, t.udp),
            IpvsOp::StartDaemon(d) => rules::daemon_start_options(d),
            IpvsOp::StopDaemon(state) => format!("--stop-daemon {}", state.name()),
        };
        format!("ipvsadm {args}")
    }

    /// The changes that undo this one, given the snapshot taken just before it was applied.
    /// `None` when it cannot be undone (zeroed counters are gone).
    pub fn inverse(&self, before: &Snapshot) -> Option<Vec<IpvsOp>> {
        let readd = |key: &ServiceKey| -> Option<Vec<IpvsOp>> {
            let svc = before.service(key)?;
            let mut ops = vec![IpvsOp::AddService(svc.config.clone())];
            ops.extend(svc.dests.iter().map(|d| IpvsOp::AddDest {
                service: *key,
                dest: d.config,
            }));
            Some(ops)
        };
        match self {
            IpvsOp::AddService(s) => Some(vec![IpvsOp::DeleteService(s.key)]),
            IpvsOp::EditService(s) => Some(vec![IpvsOp::EditService(
                before.service(&s.key)?.config.clone(),
            )]),
            IpvsOp::DeleteService(k) => readd(k),
            IpvsOp::AddDest { service, dest } => Some(vec![IpvsOp::DeleteDest {
                service: *service,
                dest: dest.key(),
            }]),
            IpvsOp::EditDest { service, dest } => {
                let old = find_dest(before, service, &dest.addr, dest.port)?;
                Some(vec![IpvsOp::EditDest {
                    service: *service,
                    dest: old,
                }])
            }
            IpvsOp::DeleteDest {
                service,
                dest: DestKey { addr, port },
            } => {
                let old = find_dest(before, service, addr, *port)?;
                Some(vec![IpvsOp::AddDest {
                    service: *service,
                    dest: old,
                }])
            }
            IpvsOp::Zero(_) => None,
            IpvsOp::Flush => {
                let mut ops = Vec::new();
                for s in &before.services {
                    ops.extend(readd(&s.config.key)?);
                }
                Some(ops)
            }
            IpvsOp::SetTimeouts(_) => Some(vec![IpvsOp::SetTimeouts(before.timeouts)]),
            IpvsOp::StartDaemon(d) => Some(vec![IpvsOp::StopDaemon(d.state)]),
            IpvsOp::StopDaemon(state) => {
                let old = before.daemons.iter().find(|d| d.state == *state)?;
                Some(vec![IpvsOp::StartDaemon(old.clone())])
            }
        }
    }
}

fn find_dest(
    snap: &Snapshot,
    service: &ServiceKey,
    addr: &IpAddr,
    port: u16,
) -> Option<DestConfig> {
    snap.service(service)?
        .dests
        .iter()
        .find(|d| d.config.addr == *addr && d.config.port == port)
        .map(|d| d.config)
}

/// `IpvsOp::Zero`'s service as a field of its own, so that the op is a map beside its tag.
mod zero_service {
    use super::ServiceKey;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Zero {
        service: Option<ServiceKey>,
    }

    pub fn serialize<S: Serializer>(service: &Option<ServiceKey>, s: S) -> Result<S::Ok, S::Error> {
        Zero { service: *service }.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ServiceKey>, D::Error> {
        Ok(Zero::deserialize(d)?.service)
    }
}

/// `IpvsOp::StopDaemon`'s state as a field of its own (see `zero_service`).
mod stop_state {
    use super::SyncState;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Stop {
        state: SyncState,
    }

    pub fn serialize<S: Serializer>(state: &SyncState, s: S) -> Result<S::Ok, S::Error> {
        Stop { state: *state }.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SyncState, D::Error> {
        Ok(Stop::deserialize(d)?.state)
    }
}
