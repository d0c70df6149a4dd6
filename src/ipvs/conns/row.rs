//! A held connection in 28 bytes: the client and its port, the timer, the state, and the index
//! of its route (protocol, virtual address and port, real server), which many rows share.

use super::names::State;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Protocol + service address + real server: what connections have in common. A table has few
/// distinct routes (services × real servers, × ports for port-0 services), so rows point to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Route {
    pub proto: u8,
    pub virt: IpAddr,
    pub vport: u16,
    pub dest: IpAddr,
    pub dport: u16,
}

/// One held line. Addresses are stored as 16 bytes (IPv4 in the first 4) and a family bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    client: [u8; 16],
    route: u32,
    expires: u32,
    cport: u16,
    state: State,
    flags: u8,
}

const CLIENT_V6: u8 = 1;
const TEMPLATE: u8 = 2;

impl Row {
    pub fn new(
        client: IpAddr,
        cport: u16,
        route: u32,
        state: State,
        expires: u32,
        template: bool,
    ) -> Row {
        let (bytes, v6) = match client {
            IpAddr::V4(a) => {
                let mut b = [0; 16];
                b[..4].copy_from_slice(&a.octets());
                (b, false)
            }
            IpAddr::V6(a) => (a.octets(), true),
        };
        let flags = if v6 { CLIENT_V6 } else { 0 } | if template { TEMPLATE } else { 0 };
        Row {
            client: bytes,
            route,
            expires,
            cport,
            state,
            flags,
        }
    }

    pub fn client(&self) -> IpAddr {
        if self.flags & CLIENT_V6 != 0 {
            IpAddr::V6(Ipv6Addr::from(self.client))
        } else {
            IpAddr::V4(Ipv4Addr::new(
                self.client[0],
                self.client[1],
                self.client[2],
                self.client[3],
            ))
        }
    }

    pub fn cport(&self) -> u16 {
        self.cport
    }

    /// Index into the table's routes.
    pub fn route(&self) -> usize {
        self.route as usize
    }

    pub fn state(&self) -> State {
        self.state
    }

    pub fn expires(&self) -> u32 {
        self.expires
    }

    pub fn is_template(&self) -> bool {
        self.flags & TEMPLATE != 0
    }

    /// Orders clients: IPv4 before IPv6, then by address (the bytes are big-endian).
    pub fn client_key(&self) -> (u8, [u8; 16], u16) {
        (self.flags & CLIENT_V6, self.client, self.cport)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_lossless() {
        assert!(
            std::mem::size_of::<Row>() <= 32,
            "Row is {} bytes",
            std::mem::size_of::<Row>()
        );
        for a in ["203.0.113.2", "2001:db8::2", "::ffff:1.2.3.4", "0.0.0.0"] {
            let a: IpAddr = a.parse().unwrap();
            let r = Row::new(a, 4242, 7, State::ASSURED, 99, true);
            assert_eq!(
                (
                    r.client(),
                    r.cport(),
                    r.route(),
                    r.state(),
                    r.expires(),
                    r.is_template()
                ),
                (a, 4242, 7, State::ASSURED, 99, true)
            );
        }
    }
}
