//! `IPVS_CMD_ATTR_*` and `IPVS_INFO_ATTR_*`: the top level of every IPVS message.

use super::daemon_attrs::DaemonAttr;
use super::dest_attrs::DestAttr;
use super::message::cmd;
use super::service_attrs::SvcAttr;
use super::wire::{emit_nest, nest_len, parse_nest, u32_of};
use netlink_packet_core::{DecodeError, DefaultNla, NLA_F_NESTED, Nla, NlaBuffer, Parseable};

pub const CMD_ATTR_SERVICE: u16 = 1;
pub const CMD_ATTR_DEST: u16 = 2;
pub const CMD_ATTR_DAEMON: u16 = 3;
pub const CMD_ATTR_TIMEOUT_TCP: u16 = 4;
pub const CMD_ATTR_TIMEOUT_TCP_FIN: u16 = 5;
pub const CMD_ATTR_TIMEOUT_UDP: u16 = 6;
/// In GET_INFO replies (command SET_INFO) the top level holds these instead, reusing 1 and 2.
pub const INFO_ATTR_VERSION: u16 = 1;
pub const INFO_ATTR_CONN_TAB_SIZE: u16 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpvsAttr {
    Service(Vec<SvcAttr>),
    Dest(Vec<DestAttr>),
    Daemon(Vec<DaemonAttr>),
    TimeoutTcp(u32),
    TimeoutTcpFin(u32),
    TimeoutUdp(u32),
    InfoVersion(u32),
    InfoConnTabSize(u32),
    Other(DefaultNla),
}

impl IpvsAttr {
    /// Top-level attribute numbers mean different things in a GET_INFO reply, hence the command.
    pub fn parse_in(buf: &NlaBuffer<&[u8]>, command: u8) -> Result<IpvsAttr, DecodeError> {
        let payload = buf.value();
        if command == cmd::SET_INFO {
            return Ok(match buf.kind() {
                INFO_ATTR_VERSION => IpvsAttr::InfoVersion(u32_of(payload, "INFO_ATTR_VERSION")?),
                INFO_ATTR_CONN_TAB_SIZE => {
                    IpvsAttr::InfoConnTabSize(u32_of(payload, "INFO_ATTR_CONN_TAB_SIZE")?)
                }
                _ => IpvsAttr::Other(DefaultNla::parse(buf)?),
            });
        }
        Ok(match buf.kind() {
            CMD_ATTR_SERVICE => IpvsAttr::Service(parse_nest(payload, SvcAttr::parse)?),
            CMD_ATTR_DEST => IpvsAttr::Dest(parse_nest(payload, DestAttr::parse)?),
            CMD_ATTR_DAEMON => IpvsAttr::Daemon(parse_nest(payload, DaemonAttr::parse)?),
            CMD_ATTR_TIMEOUT_TCP => IpvsAttr::TimeoutTcp(u32_of(payload, "CMD_ATTR_TIMEOUT_TCP")?),
            CMD_ATTR_TIMEOUT_TCP_FIN => {
                IpvsAttr::TimeoutTcpFin(u32_of(payload, "CMD_ATTR_TIMEOUT_TCP_FIN")?)
            }
            CMD_ATTR_TIMEOUT_UDP => IpvsAttr::TimeoutUdp(u32_of(payload, "CMD_ATTR_TIMEOUT_UDP")?),
            _ => IpvsAttr::Other(DefaultNla::parse(buf)?),
        })
    }
}

impl Nla for IpvsAttr {
    fn value_len(&self) -> usize {
        match self {
            IpvsAttr::Service(v) => nest_len(v),
            IpvsAttr::Dest(v) => nest_len(v),
            IpvsAttr::Daemon(v) => nest_len(v),
            IpvsAttr::TimeoutTcp(_)
            | IpvsAttr::TimeoutTcpFin(_)
            | IpvsAttr::TimeoutUdp(_)
            | IpvsAttr::InfoVersion(_)
            | IpvsAttr::InfoConnTabSize(_) => 4,
            IpvsAttr::Other(nla) => nla.value_len(),
        }
    }

    /// Our nests carry NLA_F_NESTED (the kernel neither needs nor rejects it; its replies omit it).
    fn kind(&self) -> u16 {
        match self {
            IpvsAttr::Service(_) => CMD_ATTR_SERVICE | NLA_F_NESTED,
            IpvsAttr::Dest(_) => CMD_ATTR_DEST | NLA_F_NESTED,
            IpvsAttr::Daemon(_) => CMD_ATTR_DAEMON | NLA_F_NESTED,
            IpvsAttr::TimeoutTcp(_) => CMD_ATTR_TIMEOUT_TCP,
            IpvsAttr::TimeoutTcpFin(_) => CMD_ATTR_TIMEOUT_TCP_FIN,
            IpvsAttr::TimeoutUdp(_) => CMD_ATTR_TIMEOUT_UDP,
            IpvsAttr::InfoVersion(_) => INFO_ATTR_VERSION,
            IpvsAttr::InfoConnTabSize(_) => INFO_ATTR_CONN_TAB_SIZE,
            IpvsAttr::Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        match self {
            IpvsAttr::Service(v) => emit_nest(buffer, v),
            IpvsAttr::Dest(v) => emit_nest(buffer, v),
            IpvsAttr::Daemon(v) => emit_nest(buffer, v),
            IpvsAttr::TimeoutTcp(v)
            | IpvsAttr::TimeoutTcpFin(v)
            | IpvsAttr::TimeoutUdp(v)
            | IpvsAttr::InfoVersion(v)
            | IpvsAttr::InfoConnTabSize(v) => buffer.copy_from_slice(&v.to_ne_bytes()),
            IpvsAttr::Other(nla) => nla.emit_value(buffer),
        }
    }
}
