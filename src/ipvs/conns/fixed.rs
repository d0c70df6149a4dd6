//! The fast path for the line most tables are made of: IPv4 in the kernel's exact layout, read
//! at fixed offsets with addresses kept as numbers (`%08X %04X %08X %04X %08X %04X %-11s %7u`
//! after the protocol). Anything else goes to [`super::line`]'s general parser.

use super::line::{ConnLine, HEX, decimal};
use super::names::{self, State};
use std::net::IpAddr;

/// An IPv4 line in the kernel's exact layout, addresses as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V4Line {
    pub proto: u8,
    pub client: u32,
    pub cport: u16,
    pub virt: u32,
    pub vport: u16,
    pub dest: u32,
    pub dport: u16,
    pub state: State,
    pub expires: u32,
}

impl V4Line {
    pub fn entry(&self) -> ConnLine {
        ConnLine {
            proto: self.proto,
            client: IpAddr::V4(self.client.into()),
            cport: self.cport,
            virt: IpAddr::V4(self.virt.into()),
            vport: self.vport,
            dest: IpAddr::V4(self.dest.into()),
            dport: self.dport,
            state: self.state,
            expires: self.expires,
            pe: false,
        }
    }

    /// Protocol, service and real server in one number (104 bits), for a cheap lookup.
    pub fn route_key(&self) -> u128 {
        u128::from(self.proto) << 96
            | u128::from(self.virt) << 64
            | u128::from(self.vport) << 48
            | u128::from(self.dest) << 16
            | u128::from(self.dport)
    }
}

/// The kernel's IPv4 layout at fixed offsets after the protocol: `%08X %04X %08X %04X %08X %04X
/// %-11s %7u`. Most lines are this, and reading them without looking for field boundaries is
/// what makes ten million lines a second; anything else (IPv6, PE data, a wider number, damage)
/// returns None and goes through the general path, which also says what is wrong.
pub fn fixed_ipv4(line: &[u8]) -> Option<V4Line> {
    let p = match line.get(3) {
        Some(b' ') => 3,
        _ => line.iter().position(|b| *b == b' ')?,
    };
    // `%-3s`: "IP" comes padded.
    let name = &line[..p];
    let proto = names::proto_from_bytes(name.strip_suffix(b" ").unwrap_or(name))?;
    let p = p + 1;
    let l = line.get(p..p + 61)?;
    if line.len() != p + 61
        || l[8] != b' '
        || l[13] != b' '
        || l[22] != b' '
        || l[27] != b' '
        || l[36] != b' '
        || l[41] != b' '
        || l[53] != b' '
    {
        return None;
    }
    let state = &l[42..53];
    let state_len = state.iter().position(|b| *b == b' ').unwrap_or(11);
    if state[state_len..].iter().any(|b| *b != b' ') {
        return None;
    }
    let expires = &l[54..61];
    let digits = expires.iter().position(|b| *b != b' ')?;
    Some(V4Line {
        proto,
        client: hex8(&l[0..8])?,
        cport: port4(&l[9..13])?,
        virt: hex8(&l[14..22])?,
        vport: port4(&l[23..27])?,
        dest: hex8(&l[28..36])?,
        dport: port4(&l[37..41])?,
        state: State::from_bytes(&state[..state_len])?,
        expires: decimal(&expires[digits..])?,
    })
}

/// Exactly 8 hex digits.
fn hex8(s: &[u8]) -> Option<u32> {
    let s: &[u8; 8] = s.try_into().ok()?;
    let hi = hex4(&[s[0], s[1], s[2], s[3]])?;
    let lo = hex4(&[s[4], s[5], s[6], s[7]])?;
    Some(u32::from(hi) << 16 | u32::from(lo))
}

/// Exactly 4 hex digits, without a loop or an early exit per digit.
fn hex4(s: &[u8; 4]) -> Option<u16> {
    let d = s.map(|b| HEX[usize::from(b)]);
    ((d[0] | d[1] | d[2] | d[3]) & 0xF0 == 0).then(|| {
        u16::from(d[0]) << 12 | u16::from(d[1]) << 8 | u16::from(d[2]) << 4 | u16::from(d[3])
    })
}

/// A port at a fixed offset: exactly 4 digits.
fn port4(s: &[u8]) -> Option<u16> {
    hex4(s.try_into().ok()?)
}

#[cfg(test)]
mod tests {
    use super::super::line::{parse_fields, parse_line};
    use super::*;

    /// The fast path reads the captured IPv4 lines exactly as the general one does.
    #[test]
    fn fixed_layout_agrees_with_the_general_path() {
        let fixture = include_str!("../../../tests/conns_fixture/ip_vs_conn.txt");
        let mut fast = 0;
        for l in fixture.lines().skip(1) {
            if let Some(v4) = fixed_ipv4(l.as_bytes()) {
                assert_eq!(Ok(v4.entry()), parse_fields(l.as_bytes()), "{l}");
                fast += 1;
            }
        }
        assert_eq!(
            fast, 27,
            "every IPv4 line takes the fast path (all but the 2 IPv6 ones)"
        );
        assert_eq!(
            fixed_ipv4(b"TCP CB007102 D728 CB007164 1F40 0A0A000C 1F40 ESTABLISHED     89"),
            None
        );
        assert_eq!(
            fixed_ipv4(b"TCP CB007102 D728 CB007164 1F40 0A0A000C 1F40 ESTABLISHED   12345678"),
            None
        );
        assert_eq!(
            parse_line(b"TCP CB007102 D728 CB007164 1F40 0A0A000C 1F40 ESTABLISHED 12345678")
                .unwrap()
                .expires,
            12_345_678
        );
    }
}
