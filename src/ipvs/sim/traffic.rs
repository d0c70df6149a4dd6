//! What clients offer a service (new connections per second, bytes each way, how long they last,
//! where they come from) and what one connection puts on the wire, headers included, since IPVS
//! counts whole IP packets.

use crate::ipvs::model::{Family, Protocol};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The offered load of one service.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Traffic {
    /// New connections per second (the mean of a Poisson process).
    pub conns_per_sec: f64,
    /// Payload bytes per connection, client to server and back.
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Mean seconds a connection carries traffic (exponentially distributed).
    pub duration: f64,
    /// Where clients come from; None = the family's default pool.
    pub clients: Option<ClientPool>,
    /// The (protocol, address, port) clients connect to, for fwmark and port-0 services, whose
    /// key does not say. Empty = the service's own address and port.
    pub targets: Vec<(Protocol, IpAddr, u16)>,
    /// Fraction of TCP connections whose client vanishes without closing: they stay ESTABLISHED
    /// until the tcp timeout, as dead peers do on a real director.
    pub abandoned: f64,
}

/// A network of client addresses, picked uniformly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ClientPool {
    /// The first client address.
    first: IpAddr,
    /// How many consecutive addresses from `first` (capped, so a /64 is not 2^64 clients).
    hosts: u64,
}

/// A client pool that is not a network of the right form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" must be a network such as 203.0.113.0/24 or 2001:db8:c::/64")]
pub struct BadClientPool(pub String);

/// The most distinct clients one pool offers.
const MAX_CLIENTS: u64 = 1 << 20;

impl ClientPool {
    /// `203.0.113.0/24`, `2001:db8:c::/64`.
    pub fn parse(text: &str) -> Result<ClientPool, BadClientPool> {
        let bad = || BadClientPool(text.to_string());
        let (addr, len) = text.split_once('/').ok_or_else(bad)?;
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let len: u32 = len.parse().map_err(|_| bad())?;
        let bits = match addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        if len > bits || len == 0 {
            return Err(bad());
        }
        let host_bits = bits - len;
        let network = match addr {
            IpAddr::V4(a) => IpAddr::V4(Ipv4Addr::from(
                u32::from(a) & (u32::MAX.checked_shl(host_bits).unwrap_or(0)),
            )),
            IpAddr::V6(a) => IpAddr::V6(Ipv6Addr::from(
                u128::from(a) & (u128::MAX.checked_shl(host_bits).unwrap_or(0)),
            )),
        };
        // Skip the network address (and a v4 broadcast), except in /31, /32, /127 and /128.
        let (skip, hosts) = match (addr, host_bits) {
            (_, 0 | 1) => (0, 1u64 << host_bits),
            (IpAddr::V4(_), b) => (1, (1u64 << b) - 2),
            (IpAddr::V6(_), b) if b >= 63 => (1, MAX_CLIENTS),
            (IpAddr::V6(_), b) => (1, (1u64 << b) - 1),
        };
        let first = offset(network, skip);
        Ok(ClientPool {
            first,
            hosts: hosts.min(MAX_CLIENTS),
        })
    }

    /// The pool clients of a service come from when its scenario names none.
    pub fn default_for(family: Family) -> ClientPool {
        match family {
            Family::Inet => ClientPool::parse("198.51.100.0/24"),
            Family::Inet6 => ClientPool::parse("2001:db8:c::/64"),
        }
        .expect("valid default pool")
    }

    pub fn family(&self) -> Family {
        Family::of(&self.first)
    }

    /// Client number `n`, 0..hosts.
    pub fn host(&self, n: u64) -> IpAddr {
        offset(self.first, n)
    }

    pub fn hosts(&self) -> u64 {
        self.hosts
    }
}

fn offset(addr: IpAddr, n: u64) -> IpAddr {
    match addr {
        IpAddr::V4(a) => IpAddr::V4(Ipv4Addr::from(u32::from(a).wrapping_add(n as u32))),
        IpAddr::V6(a) => IpAddr::V6(Ipv6Addr::from(u128::from(a).wrapping_add(n as u128))),
    }
}

/// Packets and bytes of one connection: inpkts, outpkts, inbytes, outbytes (the order of Flow).
pub(super) fn volume(
    protocol: Protocol,
    family: Family,
    bytes_in: u64,
    bytes_out: u64,
) -> [u64; 4] {
    let ip = match family {
        Family::Inet => 20,
        Family::Inet6 => 40,
    };
    match protocol {
        Protocol::Udp => {
            // One datagram per 1472 bytes each way, at least the query itself.
            let mtu_payload = 1500 - ip - 8;
            let inp = bytes_in.div_ceil(mtu_payload).max(1);
            let outp = bytes_out.div_ceil(mtu_payload);
            [
                inp,
                outp,
                bytes_in + inp * (ip + 8),
                bytes_out + outp * (ip + 8),
            ]
        }
        Protocol::Tcp | Protocol::Sctp => {
            // Handshake and close (SYN, ACK, FIN, ACK in; SYN-ACK, FIN, ACK out), full-size
            // segments with timestamps, and one delayed ACK for every two segments received.
            let header = ip + if protocol == Protocol::Tcp { 32 } else { 28 };
            let mss = 1500 - header;
            let (data_in, data_out) = (bytes_in.div_ceil(mss), bytes_out.div_ceil(mss));
            let inp = 4 + data_in + data_out.div_ceil(2);
            let outp = 3 + data_out + data_in.div_ceil(2);
            [
                inp,
                outp,
                bytes_in + inp * header,
                bytes_out + outp * header,
            ]
        }
    }
}
