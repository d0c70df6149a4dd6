//! `IPVS_STATS_ATTR_*`: the counters inside a service's or real server's STATS / STATS64 nest.

use super::wire::{u32_of, u64_of};
use netlink_packet_core::{DecodeError, DefaultNla, Nla, NlaBuffer, Parseable};

/// Which counter a stats attribute carries (its attribute number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatKind {
    Conns = 1,
    InPkts = 2,
    OutPkts = 3,
    InBytes = 4,
    OutBytes = 5,
    Cps = 6,
    InPps = 7,
    OutPps = 8,
    InBps = 9,
    OutBps = 10,
}

impl StatKind {
    pub const ALL: [StatKind; 10] = [
        StatKind::Conns,
        StatKind::InPkts,
        StatKind::OutPkts,
        StatKind::InBytes,
        StatKind::OutBytes,
        StatKind::Cps,
        StatKind::InPps,
        StatKind::OutPps,
        StatKind::InBps,
        StatKind::OutBps,
    ];

    fn from_kind(kind: u16) -> Option<StatKind> {
        StatKind::ALL.into_iter().find(|k| *k as u16 == kind)
    }

    /// Byte counters are 64-bit even in the legacy 32-bit nest.
    fn is_wide_in_legacy_nest(self) -> bool {
        matches!(self, StatKind::InBytes | StatKind::OutBytes)
    }
}

/// Zero-length alignment filler the kernel may put before a u64 (`nla_put_u64_64bit`).
pub const STATS_ATTR_PAD: u16 = 11;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatsAttr {
    U32(StatKind, u32),
    U64(StatKind, u64),
    Pad,
    Other(DefaultNla),
}

impl StatsAttr {
    /// The counter, whatever its width on the wire.
    pub fn value(&self) -> Option<(StatKind, u64)> {
        match self {
            StatsAttr::U32(k, v) => Some((*k, u64::from(*v))),
            StatsAttr::U64(k, v) => Some((*k, *v)),
            StatsAttr::Pad | StatsAttr::Other(_) => None,
        }
    }

    /// `wide` is true inside STATS64 (every counter u64), false inside the legacy STATS nest.
    pub fn parse_in(buf: &NlaBuffer<&[u8]>, wide: bool) -> Result<StatsAttr, DecodeError> {
        let payload = buf.value();
        if buf.kind() == STATS_ATTR_PAD {
            return Ok(StatsAttr::Pad);
        }
        let Some(kind) = StatKind::from_kind(buf.kind()) else {
            return Ok(StatsAttr::Other(DefaultNla::parse(buf)?));
        };
        if wide || kind.is_wide_in_legacy_nest() {
            Ok(StatsAttr::U64(kind, u64_of(payload, "stats counter")?))
        } else {
            Ok(StatsAttr::U32(kind, u32_of(payload, "stats counter")?))
        }
    }
}

impl Nla for StatsAttr {
    fn value_len(&self) -> usize {
        match self {
            StatsAttr::U32(..) => 4,
            StatsAttr::U64(..) => 8,
            StatsAttr::Pad => 0,
            StatsAttr::Other(nla) => nla.value_len(),
        }
    }

    fn kind(&self) -> u16 {
        match self {
            StatsAttr::U32(k, _) | StatsAttr::U64(k, _) => *k as u16,
            StatsAttr::Pad => STATS_ATTR_PAD,
            StatsAttr::Other(nla) => nla.kind(),
        }
    }

    fn emit_value(&self, buffer: &mut [u8]) {
        match self {
            StatsAttr::U32(_, v) => buffer.copy_from_slice(&v.to_ne_bytes()),
            StatsAttr::U64(_, v) => buffer.copy_from_slice(&v.to_ne_bytes()),
            StatsAttr::Pad => {}
            StatsAttr::Other(nla) => nla.emit_value(buffer),
        }
    }
}
