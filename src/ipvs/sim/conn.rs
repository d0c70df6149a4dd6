//! One simulated connection entry or persistence template, and its line in the exact format of
//! /proc/net/ip_vs_conn (ip_vs_conn_seq_show; reference §6.2).

use super::stats::Flow;
use std::fmt::Write;
use std::net::IpAddr;

/// The header line of /proc/net/ip_vs_conn, byte for byte.
pub(super) const HEADER: &str =
    "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n";

/// Protocol as ip_vs_proto_name() names it; `Ip` is a fwmark persistence template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Proto {
    Tcp,
    Udp,
    Sctp,
    Ip,
}

impl Proto {
    fn name(self) -> &'static str {
        match self {
            Proto::Tcp => "TCP",
            Proto::Udp => "UDP",
            Proto::Sctp => "SCTP",
            Proto::Ip => "IP",
        }
    }
}

/// The states the simulator uses, named as ip_vs_state_name() prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// TCP or SCTP carrying data (or abandoned by its client): counted in ActiveConn.
    Established,
    /// TCP closed by the client, seen in one direction only (DR, TUN): FIN_WAIT, tcpfin timeout.
    FinWait,
    /// TCP closed with both directions seen (NAT): TIME_WAIT, fixed 120 s.
    TimeWait,
    /// SCTP after shutdown: CLOSED, fixed 10 s.
    Closed,
    /// Any UDP entry: always InActConn, udp timeout after the last datagram.
    Udp,
    /// A persistence template.
    None,
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::Established => "ESTABLISHED",
            State::FinWait => "FIN_WAIT",
            State::TimeWait => "TIME_WAIT",
            State::Closed => "CLOSED",
            State::Udp => "UDP",
            State::None => "NONE",
        }
    }
}

/// The key the kernel finds a persistence template by: <protocol, masked client, 0, VIP or
/// fwmark, vport>, independent of the service object, so a re-created service finds old ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct TemplateKey {
    pub proto: Proto,
    pub caddr: IpAddr,
    pub vaddr: IpAddr,
    pub vport: u16,
}

/// Which gauge of its real server an entry is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gauge {
    Active,
    Inactive,
    Persist,
}

#[derive(Debug, Clone)]
pub(super) struct Conn {
    /// Unique over the run: tells a stale timer from the entry now in the same slot.
    pub id: u64,
    pub proto: Proto,
    pub caddr: IpAddr,
    pub cport: u16,
    pub vaddr: IpAddr,
    pub vport: u16,
    pub daddr: IpAddr,
    pub dport: u16,
    pub state: State,
    pub gauge: Gauge,
    /// The real server (slot in the dest slab) and service (slot, id) it belongs to.
    pub dest: usize,
    pub service: (usize, u64),
    /// When its timer fires: end of traffic, expiry, or (templates) a check of what it controls.
    pub next_us: u64,
    /// While carrying traffic: its flow, the rounding residual, when it started, and the gap
    /// between its packets (each packet re-arms the kernel's timer, which shows in Expires).
    pub carrying: Option<Carrying>,
    pub abandoned: bool,
    /// Replies pass the director (NAT), so the close is seen both ways and ends in TIME_WAIT.
    pub masq: bool,
    /// Templates: the key it is found by, its timeout, and how many entries it controls.
    pub template: Option<(TemplateKey, u64)>,
    pub n_control: u32,
    /// Entries: the template (slot, id) that controls it.
    pub controlled_by: Option<(usize, u64)>,
}

#[derive(Debug, Clone)]
pub(super) struct Carrying {
    pub flow: Flow,
    pub residual: Flow,
    pub start_us: u64,
    pub packet_gap_us: u64,
    /// The timeout each packet re-arms (tcp, udp or SCTP's 900 s), in seconds.
    pub timeout_s: u64,
}

/// IPv4 as `%08X` of the host-order address; IPv6 as `%pI6`: eight 4-digit lower-case groups.
fn addr(out: &mut String, a: &IpAddr) {
    match a {
        IpAddr::V4(v4) => write!(out, "{:08X}", u32::from(*v4)),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            write!(
                out,
                "{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}",
                s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
            )
        }
    }
    .expect("writing to a String");
}

impl Conn {
    /// Seconds left on its timer, as the kernel rounds them (down, never below 0).
    pub fn expires(&self, now_us: u64) -> u64 {
        match &self.carrying {
            Some(c) => {
                let since_packet = (now_us - c.start_us) % c.packet_gap_us.max(1);
                (c.timeout_s * 1_000_000).saturating_sub(since_packet) / 1_000_000
            }
            None => self.next_us.saturating_sub(now_us) / 1_000_000,
        }
    }

    /// `"%-3s %08X %04X %08X %04X %s %04X %-11s %7u\n"`, addresses by their own family.
    pub fn write_line(&self, out: &mut String, now_us: u64) {
        write!(out, "{:<3} ", self.proto.name()).expect("writing to a String");
        addr(out, &self.caddr);
        write!(out, " {:04X} ", self.cport).expect("writing to a String");
        addr(out, &self.vaddr);
        write!(out, " {:04X} ", self.vport).expect("writing to a String");
        addr(out, &self.daddr);
        writeln!(
            out,
            " {:04X} {:<11} {:>7}",
            self.dport,
            self.state.name(),
            self.expires(now_us)
        )
        .expect("writing to a String");
    }
}
