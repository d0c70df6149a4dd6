//! `IPVS_DEST_ATTR_*`: the attributes inside a CMD_ATTR_DEST nest, with their exact wire types.

use super::stats_attrs::StatsAttr;
use super::wire::*;
use netlink_packet_core::{DecodeError, DefaultNla, Nla, NlaBuffer, Parseable};

pub const DEST_ATTR_ADDR: u16 = 1;
pub const DEST_ATTR_PORT: u16 = 2;
pub const DEST_ATTR_FWD_METHOD: u16 = 3;
pub const DEST_ATTR_WEIGHT: u16 = 4;
pub const DEST_ATTR_U_THRESH: u16 = 5;
pub const DEST_ATTR_L_THRESH: u16 = 6;
pub const DEST_ATTR_ACTIVE_CONNS: u16 = 7;
pub const DEST_ATTR_INACT_CONNS: u16 = 8;
pub const DEST_ATTR_PERSIST_CONNS: u16 = 9;
pub const DEST_ATTR_STATS: u16 = 10;
pub const DEST_ATTR_ADDR_FAMILY: u16 = 11;
pub const DEST_ATTR_STATS64: u16 = 12;
pub const DEST_ATTR_TUN_TYPE: u16 = 13;
pub const DEST_ATTR_TUN_PORT: u16 = 14;
pub const DEST_ATTR_TUN_FLAGS: u16 = 15;

/// The kernel keeps only these bits of FWD_METHOD.
pub const CONN_F_FWD_MASK: u32 = 0x0007;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DestAttr {
    /// 16 raw bytes, interpreted by `AddrFamily` (or the service's family when absent).
    Addr([u8; 16]),
    /// Held in host order, sent big-endian.
    Port(u16),
    FwdMethod(u32),
    Weight(u32),
    UThresh(u32),
    LThresh(u32),
    ActiveConns(u32),
    InactConns(u32),
    PersistConns(u32),
    Stats(Vec<StatsAttr>),
    AddrFamily(u16),
    Stats64(Vec<StatsAttr>),
    TunType(u8),
    /// Held in host order, sent big-endian.
    TunPort(u16),
    /// Host order (unlike the port).
    TunFlags(u16),
    Other(DefaultNla),
}

impl Nla for DestAttr {
    fn value_len(&self) -> usize {
        match self {
            DestAttr::Addr(_) => 16,
            DestAttr::Port(_)
            | DestAttr::AddrFamily(_)
            | DestAttr::TunPort(_)
            | DestAttr::TunFlags(_) => 2,
            DestAttr::TunType(_) => 1,
            DestAttr::FwdMethod(_)
            | DestAttr::Weight(_)
            | DestAttr::UThresh(_)
            | DestAttr::LThresh(_)
            | DestAttr::ActiveConns(_)
            | DestAttr::InactConns(_)
            | DestAttr::PersistConns(_) => 4,
            DestAttr::Stats(v) | DestAttr::Stats64(v) => nest_len(v),
            DestAttr::Other(nla) => nla.value_len(),
        }
    }

    fn kind(&self) -> u16 {
        match self {
            DestAttr::Addr(_) => DEST_ATTR_ADDR,
            DestAttr::Port(_) => DEST_ATTR_PORT,
            DestAttr::FwdMethod(_) => DEST_ATTR_FWD_METHOD,
            DestAttr::Weight(_) => DEST_ATTR_WEIGHT,
            DestAttr::UThresh(_) => DEST_ATTR_U_THRESH,
            DestAttr::LThresh(_) => DEST_ATTR_L_THRESH,
            DestAttr::ActiveConns(_) => DEST_ATTR_ACTIVE_CONNS,
            DestAttr::InactConns(_) => DEST_ATTR_INACT_CONNS,
            DestAttr::PersistConns(_) => DEST_ATTR_PERSIST_CONNS,
            DestAttr::Stats(_) => DEST_ATTR_STATS,
            DestAttr::AddrFamily(_) => DEST_ATTR_ADDR_FAMILY,
            DestAttr::Stats64(_) => DEST_ATTR_STATS64,
            DestAttr::TunType(_) => DEST_ATTR_TUN_TYPE,
            DestAttr::TunPort(_) => DEST_ATTR_TUN_PORT,
            DestAttr::TunFlags(_) => DEST_ATTR_TUN_FLAGS,
            DestAttr::Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        match self {
            DestAttr::Addr(a) => buffer.copy_from_slice(a),
            DestAttr::Port(v) | DestAttr::TunPort(v) => buffer.copy_from_slice(&v.to_be_bytes()),
            DestAttr::AddrFamily(v) | DestAttr::TunFlags(v) => {
                buffer.copy_from_slice(&v.to_ne_bytes())
            }
            DestAttr::TunType(v) => buffer[0] = *v,
            DestAttr::FwdMethod(v)
            | DestAttr::Weight(v)
            | DestAttr::UThresh(v)
            | DestAttr::LThresh(v)
            | DestAttr::ActiveConns(v)
            | DestAttr::InactConns(v)
            | DestAttr::PersistConns(v) => buffer.copy_from_slice(&v.to_ne_bytes()),
            DestAttr::Stats(v) | DestAttr::Stats64(v) => emit_nest(buffer, v),
            DestAttr::Other(nla) => nla.emit_value(buffer),
        }
    }
}

impl DestAttr {
    pub fn parse(buf: &NlaBuffer<&[u8]>) -> Result<DestAttr, DecodeError> {
        let p = buf.value();
        Ok(match buf.kind() {
            DEST_ATTR_ADDR => DestAttr::Addr(parse_addr16(p)?),
            DEST_ATTR_PORT => DestAttr::Port(u16_be_of(p, "DEST_ATTR_PORT")?),
            DEST_ATTR_FWD_METHOD => DestAttr::FwdMethod(u32_of(p, "DEST_ATTR_FWD_METHOD")?),
            DEST_ATTR_WEIGHT => DestAttr::Weight(u32_of(p, "DEST_ATTR_WEIGHT")?),
            DEST_ATTR_U_THRESH => DestAttr::UThresh(u32_of(p, "DEST_ATTR_U_THRESH")?),
            DEST_ATTR_L_THRESH => DestAttr::LThresh(u32_of(p, "DEST_ATTR_L_THRESH")?),
            DEST_ATTR_ACTIVE_CONNS => DestAttr::ActiveConns(u32_of(p, "DEST_ATTR_ACTIVE_CONNS")?),
            DEST_ATTR_INACT_CONNS => DestAttr::InactConns(u32_of(p, "DEST_ATTR_INACT_CONNS")?),
            DEST_ATTR_PERSIST_CONNS => {
                DestAttr::PersistConns(u32_of(p, "DEST_ATTR_PERSIST_CONNS")?)
            }
            DEST_ATTR_STATS => DestAttr::Stats(parse_nest(p, |n| StatsAttr::parse_in(n, false))?),
            DEST_ATTR_ADDR_FAMILY => DestAttr::AddrFamily(u16_of(p, "DEST_ATTR_ADDR_FAMILY")?),
            DEST_ATTR_STATS64 => {
                DestAttr::Stats64(parse_nest(p, |n| StatsAttr::parse_in(n, true))?)
            }
            DEST_ATTR_TUN_TYPE => DestAttr::TunType(u8_of(p, "DEST_ATTR_TUN_TYPE")?),
            DEST_ATTR_TUN_PORT => DestAttr::TunPort(u16_be_of(p, "DEST_ATTR_TUN_PORT")?),
            DEST_ATTR_TUN_FLAGS => DestAttr::TunFlags(u16_of(p, "DEST_ATTR_TUN_FLAGS")?),
            _ => DestAttr::Other(DefaultNla::parse(buf)?),
        })
    }
}
