//! A real server: address, forwarding method (with tunnel options), weight and thresholds.

use super::Stats;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Tunnel encapsulation of a tunnelling real server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TunnelType {
    Ipip,
    Gue,
    Gre,
}

impl TunnelType {
    pub fn number(self) -> u8 {
        match self {
            TunnelType::Ipip => 0,
            TunnelType::Gue => 1,
            TunnelType::Gre => 2,
        }
    }

    pub fn from_number(n: u8) -> Option<TunnelType> {
        [TunnelType::Ipip, TunnelType::Gue, TunnelType::Gre]
            .into_iter()
            .find(|t| t.number() == n)
    }

    pub fn name(self) -> &'static str {
        match self {
            TunnelType::Ipip => "ipip",
            TunnelType::Gue => "gue",
            TunnelType::Gre => "gre",
        }
    }
}

/// Checksum option of a GUE or GRE tunnel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TunnelCsum {
    #[default]
    NoCsum,
    Csum,
    RemCsum,
}

impl TunnelCsum {
    pub fn bits(self) -> u16 {
        match self {
            TunnelCsum::NoCsum => 0,
            TunnelCsum::Csum => 1,
            TunnelCsum::RemCsum => 2,
        }
    }

    pub fn from_bits(bits: u16) -> TunnelCsum {
        if bits & 2 != 0 {
            TunnelCsum::RemCsum
        } else if bits & 1 != 0 {
            TunnelCsum::Csum
        } else {
            TunnelCsum::NoCsum
        }
    }

    /// The ipvsadm option.
    pub fn option(self) -> &'static str {
        match self {
            TunnelCsum::NoCsum => "--tun-nocsum",
            TunnelCsum::Csum => "--tun-csum",
            TunnelCsum::RemCsum => "--tun-remcsum",
        }
    }

    /// The short form ipvsadm shows in `--tun-info`.
    pub fn short(self) -> &'static str {
        match self {
            TunnelCsum::NoCsum => "-c",
            TunnelCsum::Csum => "+c",
            TunnelCsum::RemCsum => "r+c",
        }
    }
}

/// How the director forwards packets to a real server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Forward {
    /// LVS-NAT (`-m`).
    Masq,
    /// LVS-DR, direct routing (`-g`, ipvsadm's default).
    Route,
    /// LVS-TUN (`-i`). `port` is used by GUE only; `csum` by GUE and GRE.
    Tunnel {
        tun_type: TunnelType,
        port: u16,
        csum: TunnelCsum,
    },
    /// The kernel's internal "local node" method; only ever read back, never set.
    Local,
}

impl Forward {
    pub const MASQ: u32 = 0;
    pub const LOCALNODE: u32 = 1;
    pub const TUNNEL: u32 = 2;
    pub const DROUTE: u32 = 3;

    pub fn method_number(&self) -> u32 {
        match self {
            Forward::Masq => Self::MASQ,
            Forward::Local => Self::LOCALNODE,
            Forward::Tunnel { .. } => Self::TUNNEL,
            Forward::Route => Self::DROUTE,
        }
    }

    /// The name ipvsadm lists (`Masq`, `Route`, `Tunnel`, `Local`).
    pub fn name(&self) -> &'static str {
        match self {
            Forward::Masq => "Masq",
            Forward::Route => "Route",
            Forward::Tunnel { .. } => "Tunnel",
            Forward::Local => "Local",
        }
    }

    /// The ipvsadm switch (`-m`, `-g`, `-i`); the local method is saved as `-g`, as ipvsadm does.
    pub fn switch(&self) -> &'static str {
        match self {
            Forward::Masq => "-m",
            Forward::Route | Forward::Local => "-g",
            Forward::Tunnel { .. } => "-i",
        }
    }

    pub fn ipip() -> Forward {
        Forward::Tunnel {
            tun_type: TunnelType::Ipip,
            port: 0,
            csum: TunnelCsum::NoCsum,
        }
    }
}

/// ipvsadm's default weight.
pub const DEFAULT_WEIGHT: u32 = 1;
/// The largest weight the kernel stores (an `int`).
pub const MAX_WEIGHT: u32 = i32::MAX as u32;
/// The largest connection threshold the kernel accepts.
pub const MAX_THRESHOLD: u32 = i32::MAX as u32;

/// Which real server of a service: its address and port, what `-d -r ADDR:PORT` names. Shown
/// as ipvsadm writes it (`10.0.0.2:80`, `[2001:db8::2]:80`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DestKey {
    pub addr: IpAddr,
    pub port: u16,
}

impl DestKey {
    pub fn new(addr: IpAddr, port: u16) -> DestKey {
        DestKey { addr, port }
    }
}

impl std::fmt::Display for DestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        super::AddrPort(self.addr, self.port).fmt(f)
    }
}

/// Everything the user sets on a real server (what `-a`/`-e` carry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DestConfig {
    pub addr: IpAddr,
    pub port: u16,
    pub forward: Forward,
    /// 0..=MAX_WEIGHT; 0 quiesces the server (no new connections).
    pub weight: u32,
    /// Upper connection threshold, 0 = none.
    pub u_threshold: u32,
    /// Lower connection threshold, 0 = none; never above the upper one.
    pub l_threshold: u32,
}

impl DestConfig {
    /// Which real server this is.
    pub fn key(&self) -> DestKey {
        DestKey::new(self.addr, self.port)
    }

    /// A real server with ipvsadm's defaults: direct routing, weight 1, no thresholds.
    pub fn new(addr: IpAddr, port: u16) -> DestConfig {
        DestConfig {
            addr,
            port,
            forward: Forward::Route,
            weight: DEFAULT_WEIGHT,
            u_threshold: 0,
            l_threshold: 0,
        }
    }
}

/// A real server as the kernel reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dest {
    #[serde(flatten)]
    pub config: DestConfig,
    pub active_conns: u32,
    pub inact_conns: u32,
    pub persist_conns: u32,
    pub stats: Stats,
}

/// A service's real servers, shared between snapshots while unchanged: a poll of a large table
/// hands on the lists it did not read again instead of copying them (megabytes at 10,000
/// services), and a screen's old table and its new one share them. Reads as a `Vec`; a change
/// copies a list still shared first (`Arc::make_mut`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Dests(std::sync::Arc<Vec<Dest>>);

impl std::ops::Deref for Dests {
    type Target = Vec<Dest>;
    fn deref(&self) -> &Vec<Dest> {
        &self.0
    }
}

impl std::ops::DerefMut for Dests {
    fn deref_mut(&mut self) -> &mut Vec<Dest> {
        std::sync::Arc::make_mut(&mut self.0)
    }
}

impl From<Vec<Dest>> for Dests {
    fn from(dests: Vec<Dest>) -> Dests {
        Dests(std::sync::Arc::new(dests))
    }
}

impl FromIterator<Dest> for Dests {
    fn from_iter<I: IntoIterator<Item = Dest>>(iter: I) -> Dests {
        Dests::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a Dests {
    type Item = &'a Dest;
    type IntoIter = std::slice::Iter<'a, Dest>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a mut Dests {
    type Item = &'a mut Dest;
    type IntoIter = std::slice::IterMut<'a, Dest>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl Serialize for Dests {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Dests {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Dests, D::Error> {
        Vec::deserialize(d).map(Dests::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_shares_the_list_until_one_of_them_changes_it() {
        let one = Dest {
            config: DestConfig::new("10.0.0.1".parse().unwrap(), 80),
            active_conns: 0,
            inact_conns: 0,
            persist_conns: 0,
            stats: Stats::default(),
        };
        let a = Dests::from(vec![one.clone()]);
        let mut b = a.clone();
        assert!(std::ptr::eq(a.as_ptr(), b.as_ptr()));
        b[0].config.weight = 7;
        assert!(!std::ptr::eq(a.as_ptr(), b.as_ptr()));
        assert_eq!(
            (a[0].config.weight, b[0].config.weight),
            (one.config.weight, 7)
        );
        assert_ne!(a, b);
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(serde_json::from_str::<Dests>(&json).unwrap(), b);
    }
}
