//! What the kernel reports besides configuration: counters, timeouts, sync daemons, info.

use super::{Service, ServiceKey};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// 64-bit counters and the kernel's estimator rates (bytes, not bits, per second).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stats {
    pub conns: u64,
    pub inpkts: u64,
    pub outpkts: u64,
    pub inbytes: u64,
    pub outbytes: u64,
    pub cps: u64,
    pub inpps: u64,
    pub outpps: u64,
    pub inbps: u64,
    pub outbps: u64,
}

/// Connection timeouts in seconds; 0 in a change means "leave unchanged".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Timeouts {
    pub tcp: u32,
    pub tcp_fin: u32,
    pub udp: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SyncState {
    Master,
    Backup,
}

impl SyncState {
    pub fn number(self) -> u32 {
        match self {
            SyncState::Master => 1,
            SyncState::Backup => 2,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SyncState::Master => "master",
            SyncState::Backup => "backup",
        }
    }
}

/// ipvsadm's defaults for the sync daemon.
pub const DEFAULT_SYNC_ID: u8 = 255;
pub const DEFAULT_MCAST_IFN: &str = "eth0";

/// A connection-synchronisation daemon (`--start-daemon`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SyncDaemon {
    pub state: SyncState,
    pub mcast_ifn: String,
    pub sync_id: u8,
    /// 0 = derived from the MTU by the kernel.
    pub sync_maxlen: u16,
    pub mcast_group: Option<IpAddr>,
    /// 0 = the kernel's default (8848).
    pub mcast_port: u16,
    /// 0 = the kernel's default (1).
    pub mcast_ttl: u8,
}

/// Facts about the IPVS instance itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Info {
    /// Encoded as 0x00MMmmpp (1.2.1 = 0x010201).
    pub version: u32,
    pub conn_tab_size: u32,
}

impl Info {
    pub fn version_string(&self) -> String {
        format!(
            "{}.{}.{}",
            (self.version >> 16) & 0xff,
            (self.version >> 8) & 0xff,
            self.version & 0xff
        )
    }
}

/// Everything one poll of the kernel returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub info: Info,
    pub services: Vec<Service>,
    pub timeouts: Timeouts,
    pub daemons: Vec<SyncDaemon>,
    /// Services whose real servers were not read yet (the console's first polls of a large
    /// table): their `dests` are /proc/net/ip_vs's lines (weights, forwarding method, connection
    /// counts), without counters, thresholds or tunnel settings. 0 in a full snapshot.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unread: usize,
    /// Of those, the services whose real servers are not even listed (the console's first poll
    /// of a large table reads no /proc/net/ip_vs): their `dests` are empty, and nothing that
    /// judges real servers may judge them until this is 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unlisted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Snapshot {
    pub fn service(&self, key: &ServiceKey) -> Option<&Service> {
        // From the end: see `table::position`.
        self.services.iter().rfind(|s| s.config.key == *key)
    }

    /// Whether `service` of this snapshot is one whose real servers are not listed yet (see
    /// `unlisted`): its empty `dests` say nothing.
    pub fn unlisted(&self, service: &Service) -> bool {
        self.unlisted > 0 && service.dests.is_empty()
    }

    /// Whether `service` of this snapshot is known to drop every new connection: none of its
    /// real servers takes one, and they are listed (an empty list not read yet says nothing).
    pub fn drops_new_connections(&self, service: &Service) -> bool {
        service.has_no_available_dest() && !self.unlisted(service)
    }
}
