//! `IPVS_DAEMON_ATTR_*`: the attributes inside a CMD_ATTR_DAEMON nest (sync daemons).

use super::wire::*;
use netlink_packet_core::{DecodeError, DefaultNla, Nla, NlaBuffer, Parseable};

pub const DAEMON_ATTR_STATE: u16 = 1;
pub const DAEMON_ATTR_MCAST_IFN: u16 = 2;
pub const DAEMON_ATTR_SYNC_ID: u16 = 3;
pub const DAEMON_ATTR_SYNC_MAXLEN: u16 = 4;
pub const DAEMON_ATTR_MCAST_GROUP: u16 = 5;
pub const DAEMON_ATTR_MCAST_GROUP6: u16 = 6;
pub const DAEMON_ATTR_MCAST_PORT: u16 = 7;
pub const DAEMON_ATTR_MCAST_TTL: u16 = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DaemonAttr {
    /// 1 master, 2 backup.
    State(u32),
    McastIfn(String),
    SyncId(u32),
    SyncMaxlen(u16),
    /// IPv4 group octets, as sent (big-endian).
    McastGroup([u8; 4]),
    McastGroup6([u8; 16]),
    /// Host order, unlike every other port in IPVS.
    McastPort(u16),
    McastTtl(u8),
    Other(DefaultNla),
}

impl Nla for DaemonAttr {
    fn value_len(&self) -> usize {
        match self {
            DaemonAttr::State(_) | DaemonAttr::SyncId(_) | DaemonAttr::McastGroup(_) => 4,
            DaemonAttr::McastIfn(s) => nul_string_len(s),
            DaemonAttr::SyncMaxlen(_) | DaemonAttr::McastPort(_) => 2,
            DaemonAttr::McastGroup6(_) => 16,
            DaemonAttr::McastTtl(_) => 1,
            DaemonAttr::Other(nla) => nla.value_len(),
        }
    }

    fn kind(&self) -> u16 {
        match self {
            DaemonAttr::State(_) => DAEMON_ATTR_STATE,
            DaemonAttr::McastIfn(_) => DAEMON_ATTR_MCAST_IFN,
            DaemonAttr::SyncId(_) => DAEMON_ATTR_SYNC_ID,
            DaemonAttr::SyncMaxlen(_) => DAEMON_ATTR_SYNC_MAXLEN,
            DaemonAttr::McastGroup(_) => DAEMON_ATTR_MCAST_GROUP,
            DaemonAttr::McastGroup6(_) => DAEMON_ATTR_MCAST_GROUP6,
            DaemonAttr::McastPort(_) => DAEMON_ATTR_MCAST_PORT,
            DaemonAttr::McastTtl(_) => DAEMON_ATTR_MCAST_TTL,
            DaemonAttr::Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        match self {
            DaemonAttr::State(v) | DaemonAttr::SyncId(v) => {
                buffer.copy_from_slice(&v.to_ne_bytes())
            }
            DaemonAttr::McastIfn(s) => emit_nul_string(buffer, s),
            DaemonAttr::SyncMaxlen(v) | DaemonAttr::McastPort(v) => {
                buffer.copy_from_slice(&v.to_ne_bytes())
            }
            DaemonAttr::McastGroup(a) => buffer.copy_from_slice(a),
            DaemonAttr::McastGroup6(a) => buffer.copy_from_slice(a),
            DaemonAttr::McastTtl(v) => buffer[0] = *v,
            DaemonAttr::Other(nla) => nla.emit_value(buffer),
        }
    }
}

impl DaemonAttr {
    pub fn parse(buf: &NlaBuffer<&[u8]>) -> Result<DaemonAttr, DecodeError> {
        let p = buf.value();
        Ok(match buf.kind() {
            DAEMON_ATTR_STATE => DaemonAttr::State(u32_of(p, "DAEMON_ATTR_STATE")?),
            DAEMON_ATTR_MCAST_IFN => DaemonAttr::McastIfn(parse_nul_string(p)),
            DAEMON_ATTR_SYNC_ID => DaemonAttr::SyncId(u32_of(p, "DAEMON_ATTR_SYNC_ID")?),
            DAEMON_ATTR_SYNC_MAXLEN => {
                DaemonAttr::SyncMaxlen(u16_of(p, "DAEMON_ATTR_SYNC_MAXLEN")?)
            }
            DAEMON_ATTR_MCAST_GROUP => DaemonAttr::McastGroup(fixed(p, "DAEMON_ATTR_MCAST_GROUP")?),
            DAEMON_ATTR_MCAST_GROUP6 => {
                DaemonAttr::McastGroup6(fixed(p, "DAEMON_ATTR_MCAST_GROUP6")?)
            }
            DAEMON_ATTR_MCAST_PORT => DaemonAttr::McastPort(u16_of(p, "DAEMON_ATTR_MCAST_PORT")?),
            DAEMON_ATTR_MCAST_TTL => DaemonAttr::McastTtl(u8_of(p, "DAEMON_ATTR_MCAST_TTL")?),
            _ => DaemonAttr::Other(DefaultNla::parse(buf)?),
        })
    }
}
