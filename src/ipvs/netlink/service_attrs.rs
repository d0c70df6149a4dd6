//! `IPVS_SVC_ATTR_*`: the attributes inside a CMD_ATTR_SERVICE nest, with their exact wire types.

use super::stats_attrs::StatsAttr;
use super::wire::*;
use netlink_packet_core::{DecodeError, DefaultNla, Nla, NlaBuffer, Parseable};

pub const SVC_ATTR_AF: u16 = 1;
pub const SVC_ATTR_PROTOCOL: u16 = 2;
pub const SVC_ATTR_ADDR: u16 = 3;
pub const SVC_ATTR_PORT: u16 = 4;
pub const SVC_ATTR_FWMARK: u16 = 5;
pub const SVC_ATTR_SCHED_NAME: u16 = 6;
pub const SVC_ATTR_FLAGS: u16 = 7;
pub const SVC_ATTR_TIMEOUT: u16 = 8;
pub const SVC_ATTR_NETMASK: u16 = 9;
pub const SVC_ATTR_STATS: u16 = 10;
pub const SVC_ATTR_PE_NAME: u16 = 11;
pub const SVC_ATTR_STATS64: u16 = 12;

pub const SVC_F_PERSISTENT: u32 = 0x0001;
/// Internal "in the hash table" bit: always set in replies, never a user setting.
pub const SVC_F_HASHED: u32 = 0x0002;
pub const SVC_F_ONEPACKET: u32 = 0x0004;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SvcAttr {
    /// Host order: 2 (AF_INET) or 10 (AF_INET6).
    Af(u16),
    /// Host order IP protocol number.
    Protocol(u16),
    /// 16 raw bytes; IPv4 uses the first four. Interpreted by `Af`, never by length.
    Addr([u8; 16]),
    /// Held in host order, sent big-endian.
    Port(u16),
    Fwmark(u32),
    SchedName(String),
    /// `struct ip_vs_flags`, host order; the kernel applies `flags` under `mask`.
    Flags {
        flags: u32,
        mask: u32,
    },
    /// Persistence timeout, seconds.
    Timeout(u32),
    /// The 4 raw bytes: IPv4 mask octets (big-endian), or the IPv6 prefix as a host-order u32.
    Netmask([u8; 4]),
    Stats(Vec<StatsAttr>),
    PeName(String),
    Stats64(Vec<StatsAttr>),
    Other(DefaultNla),
}

impl Nla for SvcAttr {
    fn value_len(&self) -> usize {
        match self {
            SvcAttr::Af(_) | SvcAttr::Protocol(_) | SvcAttr::Port(_) => 2,
            SvcAttr::Addr(_) => 16,
            SvcAttr::Fwmark(_) | SvcAttr::Timeout(_) | SvcAttr::Netmask(_) => 4,
            SvcAttr::SchedName(s) | SvcAttr::PeName(s) => nul_string_len(s),
            SvcAttr::Flags { .. } => 8,
            SvcAttr::Stats(v) | SvcAttr::Stats64(v) => nest_len(v),
            SvcAttr::Other(nla) => nla.value_len(),
        }
    }

    fn kind(&self) -> u16 {
        match self {
            SvcAttr::Af(_) => SVC_ATTR_AF,
            SvcAttr::Protocol(_) => SVC_ATTR_PROTOCOL,
            SvcAttr::Addr(_) => SVC_ATTR_ADDR,
            SvcAttr::Port(_) => SVC_ATTR_PORT,
            SvcAttr::Fwmark(_) => SVC_ATTR_FWMARK,
            SvcAttr::SchedName(_) => SVC_ATTR_SCHED_NAME,
            SvcAttr::Flags { .. } => SVC_ATTR_FLAGS,
            SvcAttr::Timeout(_) => SVC_ATTR_TIMEOUT,
            SvcAttr::Netmask(_) => SVC_ATTR_NETMASK,
            SvcAttr::Stats(_) => SVC_ATTR_STATS,
            SvcAttr::PeName(_) => SVC_ATTR_PE_NAME,
            SvcAttr::Stats64(_) => SVC_ATTR_STATS64,
            SvcAttr::Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        match self {
            SvcAttr::Af(v) | SvcAttr::Protocol(v) => buffer.copy_from_slice(&v.to_ne_bytes()),
            SvcAttr::Port(v) => buffer.copy_from_slice(&v.to_be_bytes()),
            SvcAttr::Addr(a) => buffer.copy_from_slice(a),
            SvcAttr::Fwmark(v) | SvcAttr::Timeout(v) => buffer.copy_from_slice(&v.to_ne_bytes()),
            SvcAttr::Netmask(m) => buffer.copy_from_slice(m),
            SvcAttr::SchedName(s) | SvcAttr::PeName(s) => emit_nul_string(buffer, s),
            SvcAttr::Flags { flags, mask } => {
                buffer[..4].copy_from_slice(&flags.to_ne_bytes());
                buffer[4..].copy_from_slice(&mask.to_ne_bytes());
            }
            SvcAttr::Stats(v) | SvcAttr::Stats64(v) => emit_nest(buffer, v),
            SvcAttr::Other(nla) => nla.emit_value(buffer),
        }
    }
}

impl SvcAttr {
    pub fn parse(buf: &NlaBuffer<&[u8]>) -> Result<SvcAttr, DecodeError> {
        let p = buf.value();
        Ok(match buf.kind() {
            SVC_ATTR_AF => SvcAttr::Af(u16_of(p, "SVC_ATTR_AF")?),
            SVC_ATTR_PROTOCOL => SvcAttr::Protocol(u16_of(p, "SVC_ATTR_PROTOCOL")?),
            SVC_ATTR_ADDR => SvcAttr::Addr(parse_addr16(p)?),
            SVC_ATTR_PORT => SvcAttr::Port(u16_be_of(p, "SVC_ATTR_PORT")?),
            SVC_ATTR_FWMARK => SvcAttr::Fwmark(u32_of(p, "SVC_ATTR_FWMARK")?),
            SVC_ATTR_SCHED_NAME => SvcAttr::SchedName(parse_nul_string(p)),
            SVC_ATTR_FLAGS => {
                let b: [u8; 8] = fixed(p, "SVC_ATTR_FLAGS")?;
                SvcAttr::Flags {
                    flags: u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
                    mask: u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
                }
            }
            SVC_ATTR_TIMEOUT => SvcAttr::Timeout(u32_of(p, "SVC_ATTR_TIMEOUT")?),
            SVC_ATTR_NETMASK => SvcAttr::Netmask(fixed(p, "SVC_ATTR_NETMASK")?),
            SVC_ATTR_STATS => SvcAttr::Stats(parse_nest(p, |n| StatsAttr::parse_in(n, false))?),
            SVC_ATTR_PE_NAME => SvcAttr::PeName(parse_nul_string(p)),
            SVC_ATTR_STATS64 => SvcAttr::Stats64(parse_nest(p, |n| StatsAttr::parse_in(n, true))?),
            _ => SvcAttr::Other(DefaultNla::parse(buf)?),
        })
    }
}
