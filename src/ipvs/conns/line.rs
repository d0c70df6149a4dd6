//! One line of /proc/net/ip_vs_conn to typed fields (reference §6.2):
//! `"%-3s %08X %04X %08X %04X %s %04X %-11s %7u[ PENAME PEDATA]"`, IPv6 addresses as full `%pI6`.
//!
//! Works on bytes, not `str`: a million lines a second must not pay for UTF-8 checks, and any
//! byte sequence gives a value or a [`Malformed`] reason, never a panic. procfs.rs's hex helpers
//! take `&str` one field at a time; this file reads the whole line in one pass instead.

use super::fixed;
use super::names::{self, State};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One connection entry or persistence template, as the line states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnLine {
    /// IP protocol number (0 = `IP`, a fwmark service's template).
    pub proto: u8,
    pub client: IpAddr,
    pub cport: u16,
    /// The virtual address; for a fwmark template, the mark (see [`ConnLine::fwmark`]).
    pub virt: IpAddr,
    pub vport: u16,
    pub dest: IpAddr,
    pub dport: u16,
    pub state: State,
    /// Seconds left on its timer.
    pub expires: u32,
    /// A persistence engine (e.g. sip) added its name and data.
    pub pe: bool,
}

impl ConnLine {
    /// A persistence template: protocol `IP` (fwmark), or client port 0 with a template state
    /// (`NONE`/`ASSURED`; a UDP entry always says `UDP`, a TCP entry is never from port 0).
    pub fn is_template(&self) -> bool {
        is_template(self.proto, self.cport, self.state)
    }

    /// The firewall mark of a fwmark template (`union nf_inet_addr fwmark = { .ip = htonl(mark) }`).
    pub fn fwmark(&self) -> Option<u32> {
        (self.proto == names::PROTO_FWMARK_TEMPLATE).then(|| fwmark_of(self.virt))
    }
}

pub(super) fn is_template(proto: u8, cport: u16, state: State) -> bool {
    proto == names::PROTO_FWMARK_TEMPLATE
        || (cport == 0 && (state == State::NONE || state == State::ASSURED))
}

/// The mark a fwmark template's ToIP holds, for either family.
pub fn fwmark_of(virt: IpAddr) -> u32 {
    match virt {
        IpAddr::V4(a) => u32::from(a),
        IpAddr::V6(a) => {
            let o = a.octets();
            u32::from_be_bytes([o[0], o[1], o[2], o[3]])
        }
    }
}

/// Why a line was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Malformed {
    /// Not 9 fields (11 with a persistence engine's name and data).
    #[error(
        "{0} fields, expected 9 (protocol, 3 address and port pairs, state, expires) or 11 with persistence engine data"
    )]
    Fields(usize),
    #[error("unknown protocol name")]
    Protocol,
    #[error("{0} address is neither 8 hex digits nor an IPv6 address")]
    Address(&'static str),
    #[error("{0} port is not 1 to 4 hex digits")]
    Port(&'static str),
    #[error("unknown state name")]
    State,
    #[error("expires is not a whole number of seconds")]
    Expires,
}

/// Parses one line (without its newline; a trailing `\r` or spaces are ignored).
pub fn parse_line(line: &[u8]) -> Result<ConnLine, Malformed> {
    match fixed::fixed_ipv4(line) {
        Some(e) => Ok(e.entry()),
        None => parse_fields(line),
    }
}

/// Any spacing, any address form, PE data; says what is wrong.
pub(super) fn parse_fields(line: &[u8]) -> Result<ConnLine, Malformed> {
    // Field boundaries, found in one pass (this is the hot loop of a million-line read).
    let mut f: [&[u8]; 11] = [&[]; 11];
    let mut n = 0;
    let mut i = 0;
    let len = line.len();
    while i < len {
        while i < len && is_space(line[i]) {
            i += 1;
        }
        if i == len {
            break;
        }
        let start = i;
        while i < len && !is_space(line[i]) {
            i += 1;
        }
        if n == f.len() {
            return Err(Malformed::Fields(n + 1));
        }
        f[n] = &line[start..i];
        n += 1;
    }
    if n < 9 {
        return Err(Malformed::Fields(n));
    }
    let proto = names::proto_from_bytes(f[0]).ok_or(Malformed::Protocol)?;
    Ok(ConnLine {
        proto,
        client: addr(f[1]).ok_or(Malformed::Address("client"))?,
        cport: port(f[2]).ok_or(Malformed::Port("client"))?,
        virt: addr(f[3]).ok_or(Malformed::Address("virtual"))?,
        vport: port(f[4]).ok_or(Malformed::Port("virtual"))?,
        dest: addr(f[5]).ok_or(Malformed::Address("destination"))?,
        dport: port(f[6]).ok_or(Malformed::Port("destination"))?,
        state: State::from_bytes(f[7]).ok_or(Malformed::State)?,
        expires: decimal(f[8]).ok_or(Malformed::Expires)?,
        pe: n > 9,
    })
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b'\r'
}

/// Hex digit values; 0xFF for bytes that are not hex digits.
pub(super) const HEX: [u8; 256] = {
    let mut t = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// 1 to `max` hex digits (max ≤ 8) as a number.
fn hex(s: &[u8], max: usize) -> Option<u32> {
    if s.is_empty() || s.len() > max {
        return None;
    }
    let mut v: u32 = 0;
    for b in s {
        let d = HEX[usize::from(*b)];
        if d == 0xFF {
            return None;
        }
        v = v << 4 | u32::from(d);
    }
    Some(v)
}

fn port(s: &[u8]) -> Option<u16> {
    hex(s, 4).map(|v| v as u16)
}

pub(super) fn decimal(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 10 {
        return None;
    }
    let mut v: u64 = 0;
    for b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    u32::try_from(v).ok()
}

/// `%08X` of the host-order IPv4 address, or `%pI6` (full form; other IPv6 spellings are taken too).
pub(super) fn addr(s: &[u8]) -> Option<IpAddr> {
    if s.len() == 8 {
        return hex(s, 8).map(|v| IpAddr::V4(Ipv4Addr::from(v)));
    }
    if s.len() == 39 {
        // Eight groups of four digits: the kernel's own form, read without std's general parser.
        let mut groups = [0u16; 8];
        for (i, g) in groups.iter_mut().enumerate() {
            let at = i * 5;
            if i < 7 && s[at + 4] != b':' {
                return v6_general(s);
            }
            *g = hex(&s[at..at + 4], 4)? as u16;
        }
        return Some(IpAddr::V6(Ipv6Addr::from(groups)));
    }
    v6_general(s)
}

fn v6_general(s: &[u8]) -> Option<IpAddr> {
    if !s.contains(&b':') {
        return None;
    }
    std::str::from_utf8(s)
        .ok()?
        .parse::<Ipv6Addr>()
        .ok()
        .map(IpAddr::V6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_line_with_padding() {
        let e = parse_line(b"TCP CB007102 D728 CB007164 1F40 0A0A000C 1F40 ESTABLISHED     894")
            .unwrap();
        assert_eq!(e.client, "203.0.113.2".parse::<IpAddr>().unwrap());
        assert_eq!((e.cport, e.vport, e.dport), (0xD728, 8000, 8000));
        assert_eq!(e.dest, "10.10.0.12".parse::<IpAddr>().unwrap());
        assert_eq!(
            (e.state.name(), e.expires, e.pe, e.is_template()),
            ("ESTABLISHED", 894, false, false)
        );
    }

    #[test]
    fn fwmark_template() {
        let e = parse_line(b"IP  CB007102 0000 00000007 0000 0A0A000C 0000 ASSURED         114")
            .unwrap();
        assert!(e.is_template());
        assert_eq!(e.fwmark(), Some(7));
        let v6 = parse_line(b"IP  2001:0db8:0000:0000:0000:0000:0000:0002 0000 0000:0007:0000:0000:0000:0000:0000:0000 0000 2001:0db8:0000:0000:0000:0000:0000:0011 0000 NONE 60").unwrap();
        assert_eq!(v6.fwmark(), Some(7));
    }

    #[test]
    fn pe_data_and_bad_lines() {
        let e = parse_line(b"UDP 0A000001 13C4 0A000064 13C4 0A000002 13C4 UDP 170 sip abc@host")
            .unwrap();
        assert!(e.pe);
        assert_eq!(parse_line(b"TCP 0A000001 13C4"), Err(Malformed::Fields(3)));
        assert_eq!(
            parse_line(b"XYZ 0A000001 13C4 0A000064 13C4 0A000002 13C4 UDP 170"),
            Err(Malformed::Protocol)
        );
        assert_eq!(
            parse_line(b"TCP 0A00000G 13C4 0A000064 13C4 0A000002 13C4 UDP 170"),
            Err(Malformed::Address("client"))
        );
        assert_eq!(
            parse_line(b"TCP 0A000001 113C4 0A000064 13C4 0A000002 13C4 UDP 170"),
            Err(Malformed::Port("client"))
        );
        assert_eq!(
            parse_line(b"TCP 0A000001 13C4 0A000064 13C4 0A000002 13C4 BOGUS 170"),
            Err(Malformed::State)
        );
        assert_eq!(
            parse_line(b"TCP 0A000001 13C4 0A000064 13C4 0A000002 13C4 UDP 99999999999"),
            Err(Malformed::Expires)
        );
        assert_eq!(
            parse_line(b"TCP 0A000001 13C4 0A000064 13C4 0A000002 13C4 UDP -1"),
            Err(Malformed::Expires)
        );
    }

    #[test]
    fn ipv6_compressed_is_taken_too() {
        let e = parse_line(
            b"TCP 2001:db8::2 E052 2001:db8::100 0051 2001:db8:2::11 0051 ESTABLISHED 894",
        )
        .unwrap();
        assert_eq!(e.virt, "2001:db8::100".parse::<IpAddr>().unwrap());
    }
}
