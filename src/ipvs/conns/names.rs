//! Protocol and state names as the kernel prints them in /proc/net/ip_vs_conn
//! (`ip_vs_proto_name`, `ip_vs_state_name`; reference §6.2), each held in one byte.

use std::fmt;

/// Every state name the kernel can print: TCP, UDP, SCTP, template states and the error marks.
/// A state is its index here, so a row spends one byte on it.
const STATE_NAMES: [&str; 28] = [
    "NONE",
    "ESTABLISHED",
    "SYN_SENT",
    "SYN_RECV",
    "FIN_WAIT",
    "TIME_WAIT",
    "CLOSE",
    "CLOSE_WAIT",
    "LAST_ACK",
    "LISTEN",
    "SYNACK",
    "UDP",
    "INIT1",
    "INIT",
    "C-SENT",
    "C-REPLIED",
    "C-WAIT",
    "COOKIE",
    "C-ECHOED",
    "S-SENT",
    "S-RECEIVED",
    "S-ACK-SENT",
    "REJECTED",
    "CLOSED",
    "ASSURED",
    "ERR!",
    "BUG!",
    "?",
];

/// How many distinct states there are (the width of a per-state count array).
pub const STATE_COUNT: usize = STATE_NAMES.len();

/// A connection's state, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct State(u8);

impl State {
    pub const NONE: State = State(0);
    pub const ASSURED: State = State(24);

    /// The state printed as `name` (exactly as the kernel spells it).
    pub fn from_bytes(name: &[u8]) -> Option<State> {
        // The common states first, without a scan of the whole list.
        let i = match name {
            b"ESTABLISHED" => 1,
            b"TIME_WAIT" => 5,
            b"UDP" => 11,
            b"FIN_WAIT" => 4,
            b"SYN_RECV" => 3,
            b"NONE" => 0,
            b"ASSURED" => 24,
            _ => STATE_NAMES.iter().position(|s| s.as_bytes() == name)?,
        };
        Some(State(i as u8))
    }

    /// As typed by a user: any case, `-` or `_` alike where the kernel's names differ only so.
    pub fn from_user(name: &str) -> Option<State> {
        let norm = |s: &str| s.to_ascii_uppercase().replace('_', "-");
        let want = norm(name);
        STATE_NAMES
            .iter()
            .position(|s| norm(s) == want)
            .map(|i| State(i as u8))
    }

    pub fn name(self) -> &'static str {
        STATE_NAMES[usize::from(self.0)]
    }

    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    pub fn from_index(i: usize) -> Option<State> {
        (i < STATE_COUNT).then_some(State(i as u8))
    }

    /// Every state name, for messages that say what is allowed.
    pub fn all_names() -> &'static [&'static str] {
        &STATE_NAMES
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// IP protocol numbers the kernel names (`ip_vs_proto_name`); others print as `IP_<n>`.
const PROTO_NAMES: [(u8, &str); 8] = [
    (0, "IP"),
    (1, "ICMP"),
    (6, "TCP"),
    (17, "UDP"),
    (50, "ESP"),
    (51, "AH"),
    (58, "ICMPv6"),
    (132, "SCTP"),
];

/// The protocol number a name stands for (`TCP`, `IP_47`, ...).
pub fn proto_from_bytes(name: &[u8]) -> Option<u8> {
    match name {
        b"TCP" => return Some(6),
        b"UDP" => return Some(17),
        _ => {}
    }
    if let Some((n, _)) = PROTO_NAMES.iter().find(|(_, s)| s.as_bytes() == name) {
        return Some(*n);
    }
    let digits = name.strip_prefix(b"IP_")?;
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// As typed by a user: `tcp`, `UDP`, `sctp`, `ip`, or a number.
pub fn proto_from_user(name: &str) -> Option<u8> {
    PROTO_NAMES
        .iter()
        .find(|(_, s)| s.eq_ignore_ascii_case(name))
        .map(|(n, _)| *n)
        .or_else(|| name.parse().ok())
}

/// The kernel's name for a protocol number.
pub fn proto_name(proto: u8) -> std::borrow::Cow<'static, str> {
    match PROTO_NAMES.iter().find(|(n, _)| *n == proto) {
        Some((_, s)) => (*s).into(),
        None => format!("IP_{proto}").into(),
    }
}

/// Protocol 0: the kernel's name for the templates of fwmark services, whose ToIP is the mark.
pub const PROTO_FWMARK_TEMPLATE: u8 = 0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_user_spelling() {
        for name in State::all_names() {
            let s = State::from_bytes(name.as_bytes()).unwrap();
            assert_eq!(s.name(), *name);
        }
        assert_eq!(State::from_user("syn_recv"), State::from_bytes(b"SYN_RECV"));
        assert_eq!(State::from_user("c_sent"), State::from_bytes(b"C-SENT"));
        assert_eq!(State::from_bytes(b"syn_recv"), None);
        assert_eq!(State::from_bytes(b"ASSURED"), Some(State::ASSURED));
    }

    #[test]
    fn protocols() {
        assert_eq!(proto_from_bytes(b"SCTP"), Some(132));
        assert_eq!(proto_from_bytes(b"IP_47"), Some(47));
        assert_eq!(proto_from_bytes(b"IP_999"), None);
        assert_eq!(proto_name(47), "IP_47");
        assert_eq!(proto_from_user("tcp"), Some(6));
    }
}
