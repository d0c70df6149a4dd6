//! Addresses as ipvsadm prints them: glibc's `inet_ntop`, which differs from Rust's `Display` for
//! IPv4-compatible IPv6 addresses (`::0.2.0.3`, where Rust writes `::2:3`).

use std::fmt::Write;
use std::net::{IpAddr, Ipv6Addr};

/// `inet_ntop(af, addr)` as glibc writes it.
pub fn inet_ntop(addr: &IpAddr) -> String {
    match addr {
        IpAddr::V4(a) => a.to_string(),
        IpAddr::V6(a) => inet_ntop6(a),
    }
}

/// ipvsadm's numeric `addrport_to_anyname`: `a.b.c.d:port` or `[v6]:port`.
pub fn addr_port(addr: &IpAddr, port: u16) -> String {
    match addr {
        IpAddr::V4(a) => format!("{a}:{port}"),
        IpAddr::V6(a) => format!("[{}]:{port}", inet_ntop6(a)),
    }
}

/// A port of glibc `resolv/inet_ntop.c` `inet_ntop6`: compress the first longest run of two or
/// more zero words; write the last 32 bits dotted when the first 96 are zero (or `::ffff:`-mapped).
fn inet_ntop6(addr: &Ipv6Addr) -> String {
    let words = addr.segments();
    // (base, len) of the first longest run of zero words.
    let mut best: Option<(usize, usize)> = None;
    let mut cur: Option<(usize, usize)> = None;
    for (i, w) in words.iter().enumerate() {
        if *w == 0 {
            cur = Some(cur.map_or((i, 1), |(b, l)| (b, l + 1)));
        } else if let Some(run) = cur.take()
            && best.is_none_or(|b| run.1 > b.1)
        {
            best = Some(run);
        }
    }
    if let Some(run) = cur
        && best.is_none_or(|b| run.1 > b.1)
    {
        best = Some(run);
    }
    let best = best.filter(|(_, len)| *len >= 2);
    let embedded_v4 = match best {
        Some((0, 6)) => true,
        Some((0, 5)) => words[5] == 0xffff,
        _ => false,
    };

    let mut out = String::new();
    let mut i = 0;
    while i < 8 {
        if let Some((base, len)) = best
            && (base..base + len).contains(&i)
        {
            if i == base {
                out.push(':');
            }
            i += 1;
            continue;
        }
        if i != 0 {
            out.push(':');
        }
        if i == 6 && embedded_v4 {
            let o = addr.octets();
            write!(out, "{}.{}.{}.{}", o[12], o[13], o[14], o[15]).unwrap();
            break;
        }
        write!(out, "{:x}", words[i]).unwrap();
        i += 1;
    }
    if let Some((base, len)) = best
        && base + len == 8
    {
        out.push(':');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v6(s: &str) -> String {
        inet_ntop(&s.parse().unwrap())
    }

    #[test]
    fn ipv6_as_glibc_writes_it() {
        // Seen in the lab: ipvsadm lists the real server [::2:3]:80 as [::0.2.0.3]:80.
        assert_eq!(v6("::2:3"), "::0.2.0.3");
        assert_eq!(v6("::ffff:10.9.9.9"), "::ffff:10.9.9.9");
        assert_eq!(v6("::ffff:0:0"), "::ffff:0.0.0.0");
        assert_eq!(v6("::"), "::");
        assert_eq!(v6("::1"), "::1");
        assert_eq!(v6("1::"), "1::");
        assert_eq!(v6("2001:db8::1"), "2001:db8::1");
        assert_eq!(v6("2001:db8:0:1:0:0:0:1"), "2001:db8:0:1::1");
        // A single zero word is not compressed; of two equal runs the first wins.
        assert_eq!(v6("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
        assert_eq!(v6("1:0:0:1:0:0:1:1"), "1::1:0:0:1:1");
        assert_eq!(v6("1:0:0:1:0:0:0:1"), "1:0:0:1::1");
        // Five zero words followed by something other than ffff: plain hex.
        assert_eq!(v6("::1:0:1"), "::1:0:1");
        assert_eq!(
            v6("2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"),
            "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"
        );
    }

    #[test]
    fn addr_port_brackets_ipv6_only() {
        assert_eq!(addr_port(&"10.0.0.1".parse().unwrap(), 80), "10.0.0.1:80");
        assert_eq!(addr_port(&"::2:3".parse().unwrap(), 0), "[::0.2.0.3]:0");
    }
}
