//! ipvsadm's command arguments (`-a -t 192.0.2.1:80 -r 10.0.0.2 -m -w 3`) -> one checked IpvsOp.
//!
//! This is what `ipvsadm -R` reads line by line. The rules are ipvsadm 1.31's: which options each
//! command allows, the defaults, and its quiet fix-ups (a DR or TUN real server takes the
//! service's port), so a file ipvsadm accepts means the same change here.

use super::model::*;
use super::op::IpvsOp;
use super::parse::{self, ParseError, Parsed};
use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    AddService,
    EditService,
    DeleteService,
    AddDest,
    EditDest,
    DeleteDest,
    Flush,
    Zero,
    SetTimeouts,
    StartDaemon(SyncState),
    StopDaemon(SyncState),
}

impl Command {
    fn name(self) -> &'static str {
        match self {
            Command::AddService => "add-service",
            Command::EditService => "edit-service",
            Command::DeleteService => "delete-service",
            Command::AddDest => "add-server",
            Command::EditDest => "edit-server",
            Command::DeleteDest => "delete-server",
            Command::Flush => "clear",
            Command::Zero => "zero",
            Command::SetTimeouts => "set",
            Command::StartDaemon(_) => "start-daemon",
            Command::StopDaemon(_) => "stop-daemon",
        }
    }
}

/// The options seen on one line, still as text, by their long names.
#[derive(Default)]
struct Seen<'a> {
    command: Option<Command>,
    options: Vec<(&'static str, Option<&'a str>)>,
    positional: Vec<&'a str>,
}

impl<'a> Seen<'a> {
    fn get(&self, name: &str) -> Option<Option<&'a str>> {
        self.options.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    fn value(&self, name: &str) -> Option<&'a str> {
        self.get(name).flatten()
    }
}

/// (long name, short letter, takes a value). `persistent` takes an optional one.
const OPTIONS: &[(&str, Option<char>, Arity)] = &[
    ("tcp-service", Some('t'), Arity::One),
    ("udp-service", Some('u'), Arity::One),
    ("sctp-service", None, Arity::One),
    ("fwmark-service", Some('f'), Arity::One),
    ("ipv6", Some('6'), Arity::None),
    ("scheduler", Some('s'), Arity::One),
    ("persistent", Some('p'), Arity::Optional),
    ("netmask", Some('M'), Arity::One),
    ("pe", None, Arity::One),
    ("sched-flags", Some('b'), Arity::One),
    ("ops", Some('o'), Arity::None),
    ("real-server", Some('r'), Arity::One),
    ("masquerading", Some('m'), Arity::None),
    ("gatewaying", Some('g'), Arity::None),
    ("ipip", Some('i'), Arity::None),
    ("weight", Some('w'), Arity::One),
    ("u-threshold", Some('x'), Arity::One),
    ("l-threshold", Some('y'), Arity::One),
    ("tun-type", None, Arity::One),
    ("tun-port", None, Arity::One),
    ("tun-nocsum", None, Arity::None),
    ("tun-csum", None, Arity::None),
    ("tun-remcsum", None, Arity::None),
    ("mcast-interface", None, Arity::One),
    ("syncid", None, Arity::One),
    ("sync-maxlen", None, Arity::One),
    ("mcast-group", None, Arity::One),
    ("mcast-port", None, Arity::One),
    ("mcast-ttl", None, Arity::One),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Arity {
    None,
    One,
    Optional,
}

/// The options each command accepts besides the service (as ipvsadm's option table).
fn allowed(cmd: Command) -> &'static [&'static str] {
    const SERVICE: &[&str] = &["scheduler", "persistent", "netmask", "pe", "sched-flags", "ops", "ipv6"];
    const DEST: &[&str] = &[
        "real-server", "masquerading", "gatewaying", "ipip", "weight", "u-threshold", "l-threshold",
        "tun-type", "tun-port", "tun-nocsum", "tun-csum", "tun-remcsum", "ipv6",
    ];
    match cmd {
        Command::AddService | Command::EditService => SERVICE,
        Command::AddDest | Command::EditDest => DEST,
        Command::DeleteDest => &["real-server", "ipv6"],
        Command::DeleteService | Command::Zero => &["ipv6"],
        Command::Flush | Command::SetTimeouts => &[],
        Command::StartDaemon(_) => &["mcast-interface", "syncid", "sync-maxlen", "mcast-group", "mcast-port", "mcast-ttl"],
        Command::StopDaemon(_) => &["syncid", "mcast-interface"],
    }
}

const SERVICE_OPTIONS: [&str; 4] = ["tcp-service", "udp-service", "sctp-service", "fwmark-service"];

/// Parse one ipvsadm command given as words (a leading `ipvsadm` is allowed).
pub fn parse_args(words: &[&str]) -> Parsed<IpvsOp> {
    let words = match words.first() {
        Some(&"ipvsadm") => &words[1..],
        _ => words,
    };
    let seen = scan(words)?;
    let cmd = seen.command.ok_or_else(|| {
        ParseError::new("command", &words.join(" "), "must start with a command: -A, -E, -D, -a, -e, -d, -C, -Z, --set, --start-daemon or --stop-daemon")
    })?;
    check_allowed(cmd, &seen)?;
    if cmd != Command::SetTimeouts && !seen.positional.is_empty() {
        return Err(ParseError::new("argument", seen.positional[0], "is not expected here"));
    }
    match cmd {
        Command::AddService | Command::EditService => {
            let config = service_config(&seen)?;
            parse::validate_service(&config)?;
            Ok(if cmd == Command::AddService { IpvsOp::AddService(config) } else { IpvsOp::EditService(config) })
        }
        Command::DeleteService => Ok(IpvsOp::DeleteService(required_key(cmd, &seen)?)),
        Command::AddDest | Command::EditDest => {
            let service = required_key(cmd, &seen)?;
            let dest = dest_config(&service, &seen, cmd)?;
            parse::validate_dest(&service, &dest)?;
            Ok(if cmd == Command::AddDest { IpvsOp::AddDest { service, dest } } else { IpvsOp::EditDest { service, dest } })
        }
        Command::DeleteDest => {
            let service = required_key(cmd, &seen)?;
            let (addr, port) = dest_addr(&service, &seen, cmd)?;
            Ok(IpvsOp::DeleteDest { service, addr, port })
        }
        Command::Flush => Ok(IpvsOp::Flush),
        Command::Zero => Ok(IpvsOp::Zero(service_key(&seen)?)),
        Command::SetTimeouts => {
            let [tcp, tcp_fin, udp] = seen.positional[..] else {
                return Err(ParseError::new("--set", &seen.positional.join(" "), "needs exactly three timeouts in seconds: tcp tcpfin udp"));
            };
            Ok(IpvsOp::SetTimeouts(Timeouts {
                tcp: parse::connection_timeout("tcp timeout", tcp)?,
                tcp_fin: parse::connection_timeout("tcpfin timeout", tcp_fin)?,
                udp: parse::connection_timeout("udp timeout", udp)?,
            }))
        }
        Command::StartDaemon(state) => {
            let daemon = SyncDaemon {
                state,
                mcast_ifn: parse::interface(seen.value("mcast-interface").unwrap_or(DEFAULT_MCAST_IFN))?,
                sync_id: seen.value("syncid").map(parse::sync_id).transpose()?.unwrap_or(DEFAULT_SYNC_ID),
                sync_maxlen: seen.value("sync-maxlen").map(parse::sync_maxlen).transpose()?.unwrap_or(0),
                mcast_group: seen.value("mcast-group").map(parse::mcast_group).transpose()?,
                mcast_port: seen.value("mcast-port").map(parse::mcast_port).transpose()?.unwrap_or(0),
                mcast_ttl: seen.value("mcast-ttl").map(parse::mcast_ttl).transpose()?.unwrap_or(0),
            };
            Ok(IpvsOp::StartDaemon(daemon))
        }
        Command::StopDaemon(state) => Ok(IpvsOp::StopDaemon(state)),
    }
}

fn scan<'a>(words: &[&'a str]) -> Parsed<Seen<'a>> {
    let mut seen = Seen::default();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        i += 1;
        let (name, inline): (String, Option<&'a str>) = if let Some(long) = word.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v)),
                None => (long.to_string(), None),
            }
        } else if word.len() >= 2 && word.starts_with('-') && !word[1..].starts_with(|c: char| c.is_ascii_digit() && word.len() > 2) {
            // Short options may be bundled (`-At`); a value may follow in the same word (`-w3`).
            let chars = word[1..].char_indices();
            let mut last = None;
            for (at, c) in chars {
                if let Some(cmd) = short_command(c) {
                    set_command(&mut seen, cmd, word)?;
                    continue;
                }
                let Some((long, arity)) = OPTIONS.iter().find(|o| o.1 == Some(c)).map(|o| (o.0, o.2)) else {
                    return Err(ParseError::new("option", word, format!("unknown option -{c}")));
                };
                let rest = &word[1 + at + c.len_utf8()..];
                if arity != Arity::None && !rest.is_empty() {
                    last = Some((long, Some(rest)));
                    break;
                }
                last = Some((long, None));
                if arity == Arity::None {
                    push_option(&mut seen, long, None, word)?;
                    last = None;
                }
            }
            match last {
                Some((long, Some(v))) => {
                    push_option(&mut seen, long, Some(v), word)?;
                    continue;
                }
                Some((long, None)) => (long.to_string(), None),
                None => continue,
            }
        } else {
            seen.positional.push(word);
            continue;
        };
        if let Some(cmd) = long_command(&name) {
            let cmd = match cmd {
                LongCommand::Plain(c) => c,
                LongCommand::Daemon(start) => {
                    let text = inline.or_else(|| words.get(i).copied().inspect(|_| i += 1)).unwrap_or("");
                    let state = parse::sync_state(text)?;
                    if start { Command::StartDaemon(state) } else { Command::StopDaemon(state) }
                }
            };
            set_command(&mut seen, cmd, word)?;
            continue;
        }
        let Some(&(long, _, arity)) = OPTIONS.iter().find(|o| o.0 == name) else {
            return Err(ParseError::new("option", word, "is not an ipvsadm option"));
        };
        let value = match arity {
            Arity::None => {
                if inline.is_some() {
                    return Err(ParseError::new("option", word, format!("--{long} takes no value")));
                }
                None
            }
            Arity::One => match inline {
                Some(v) => Some(v),
                None => {
                    let v = words.get(i).copied().ok_or_else(|| ParseError::new("option", word, "needs a value"))?;
                    i += 1;
                    Some(v)
                }
            },
            // `-p` takes the next word only when it is not another option, as popt does.
            Arity::Optional => match inline {
                Some(v) => Some(v),
                None => match words.get(i) {
                    Some(v) if !v.starts_with('-') => {
                        i += 1;
                        Some(*v)
                    }
                    _ => None,
                },
            },
        };
        push_option(&mut seen, long, value, word)?;
    }
    Ok(seen)
}

enum LongCommand {
    Plain(Command),
    Daemon(bool),
}

fn long_command(name: &str) -> Option<LongCommand> {
    Some(LongCommand::Plain(match name {
        "add-service" => Command::AddService,
        "edit-service" => Command::EditService,
        "delete-service" => Command::DeleteService,
        "add-server" => Command::AddDest,
        "edit-server" => Command::EditDest,
        "delete-server" => Command::DeleteDest,
        "clear" => Command::Flush,
        "zero" => Command::Zero,
        "set" => Command::SetTimeouts,
        "start-daemon" => return Some(LongCommand::Daemon(true)),
        "stop-daemon" => return Some(LongCommand::Daemon(false)),
        _ => return None,
    }))
}

fn short_command(c: char) -> Option<Command> {
    Some(match c {
        'A' => Command::AddService,
        'E' => Command::EditService,
        'D' => Command::DeleteService,
        'a' => Command::AddDest,
        'e' => Command::EditDest,
        'd' => Command::DeleteDest,
        'C' => Command::Flush,
        'Z' => Command::Zero,
        _ => return None,
    })
}

fn set_command(seen: &mut Seen, cmd: Command, word: &str) -> Parsed<()> {
    if seen.command.is_some() {
        return Err(ParseError::new("command", word, "only one command per line is allowed"));
    }
    seen.command = Some(cmd);
    Ok(())
}

fn push_option<'a>(seen: &mut Seen<'a>, long: &'static str, value: Option<&'a str>, word: &str) -> Parsed<()> {
    if seen.has(long) || (SERVICE_OPTIONS.contains(&long) && SERVICE_OPTIONS.iter().any(|s| seen.has(s))) {
        return Err(ParseError::new("option", word, format!("the {long} option is given twice")));
    }
    seen.options.push((long, value));
    Ok(())
}

fn check_allowed(cmd: Command, seen: &Seen) -> Parsed<()> {
    let allowed = allowed(cmd);
    for (name, _) in &seen.options {
        let service_ok = SERVICE_OPTIONS.contains(name) && !matches!(cmd, Command::Flush | Command::SetTimeouts | Command::StartDaemon(_) | Command::StopDaemon(_));
        if !service_ok && !allowed.contains(name) {
            return Err(ParseError::combo("option", format!("--{name} is not allowed with the {} command", cmd.name())));
        }
    }
    Ok(())
}

fn service_key(seen: &Seen) -> Parsed<Option<ServiceKey>> {
    let protocols = [("tcp-service", Protocol::Tcp), ("udp-service", Protocol::Udp), ("sctp-service", Protocol::Sctp)];
    for (name, protocol) in protocols {
        if let Some(text) = seen.value(name) {
            if seen.has("ipv6") {
                return Err(ParseError::combo("-6", "is only for fwmark services; an address-based service takes its family from the address"));
            }
            return parse::service_addr(protocol, text).map(Some);
        }
    }
    match seen.value("fwmark-service") {
        Some(text) => {
            let family = if seen.has("ipv6") { Family::Inet6 } else { Family::Inet };
            Ok(Some(ServiceKey::Fwmark { mark: saved_fwmark(text)?, family }))
        }
        None if seen.has("ipv6") => Err(ParseError::combo("-6", "is only for fwmark services (-f)")),
        None => Ok(None),
    }
}

/// ipvsadm 1.31 saves marks above 2^31 as negative numbers (`-f -1`); read those back as the
/// same 32-bit mark so that a saved table can always be restored.
fn saved_fwmark(text: &str) -> Parsed<u32> {
    match text.strip_prefix('-').map(|n| parse::number("fwmark", n, 1, 1 << 31)) {
        Some(Ok(n)) => Ok((n as u32).wrapping_neg()),
        _ => parse::fwmark(text),
    }
}

fn required_key(cmd: Command, seen: &Seen) -> Parsed<ServiceKey> {
    service_key(seen)?.ok_or_else(|| {
        ParseError::combo("virtual service", format!("the {} command needs a service: -t, -u, --sctp-service or -f", cmd.name()))
    })
}

fn service_config(seen: &Seen) -> Parsed<ServiceConfig> {
    let key = required_key(Command::AddService, seen)?;
    let mut config = ServiceConfig::new(key);
    if let Some(s) = seen.value("scheduler") {
        config.scheduler = parse::scheduler(s)?;
    }
    if let Some(p) = seen.get("persistent") {
        config.persistence = Some(parse::persistence_timeout(p)?);
    }
    if let Some(m) = seen.value("netmask") {
        config.netmask = parse::netmask(m, key.family())?;
    }
    if let Some(pe) = seen.value("pe") {
        config.pe = Some(parse::persistence_engine(pe)?);
    }
    if let Some(b) = seen.value("sched-flags") {
        config.sched_flags = parse::sched_flags(b, &config.scheduler)?;
    }
    config.one_packet = seen.has("ops");
    Ok(config)
}

fn dest_addr(service: &ServiceKey, seen: &Seen, cmd: Command) -> Parsed<(IpAddr, u16)> {
    let text = seen
        .value("real-server")
        .ok_or_else(|| ParseError::combo("real server", format!("the {} command needs a real server: -r ADDRESS[:PORT]", cmd.name())))?;
    let (addr, port) = parse::addr_port("real server", text)?;
    Ok((addr, port.unwrap_or(service.port())))
}

fn dest_config(service: &ServiceKey, seen: &Seen, cmd: Command) -> Parsed<DestConfig> {
    let (addr, port) = dest_addr(service, seen, cmd)?;
    let mut d = DestConfig::new(addr, port);
    let methods: Vec<&str> = ["masquerading", "gatewaying", "ipip"].into_iter().filter(|m| seen.has(m)).collect();
    d.forward = match methods[..] {
        [] | ["gatewaying"] => Forward::Route,
        ["masquerading"] => Forward::Masq,
        ["ipip"] => tunnel(seen)?,
        _ => return Err(ParseError::combo("forwarding method", "give only one of -m, -g, -i")),
    };
    let tunnel_options = ["tun-type", "tun-port", "tun-nocsum", "tun-csum", "tun-remcsum"];
    if !matches!(d.forward, Forward::Tunnel { .. }) && tunnel_options.iter().any(|o| seen.has(o)) {
        return Err(ParseError::combo("tunnel options", "are only for tunnel forwarding (-i)"));
    }
    // ipvsadm gives DR and TUN real servers the service's port: they cannot rewrite it.
    if !service.is_fwmark() && matches!(d.forward, Forward::Route | Forward::Tunnel { .. }) {
        d.port = service.port();
    }
    if let Some(w) = seen.value("weight") {
        d.weight = parse::weight(w)?;
    }
    if let Some(x) = seen.value("u-threshold") {
        d.u_threshold = parse::u_threshold(x)?;
    }
    if let Some(y) = seen.value("l-threshold") {
        d.l_threshold = parse::l_threshold(y)?;
    }
    Ok(d)
}

fn tunnel(seen: &Seen) -> Parsed<Forward> {
    let tun_type = seen.value("tun-type").map(parse::tunnel_type).transpose()?.unwrap_or(TunnelType::Ipip);
    let csums: Vec<TunnelCsum> = [("tun-nocsum", TunnelCsum::NoCsum), ("tun-csum", TunnelCsum::Csum), ("tun-remcsum", TunnelCsum::RemCsum)]
        .into_iter()
        .filter(|(o, _)| seen.has(o))
        .map(|(_, c)| c)
        .collect();
    if csums.len() > 1 {
        return Err(ParseError::combo("tunnel checksum", "give only one of --tun-nocsum, --tun-csum, --tun-remcsum"));
    }
    let csum = csums.first().copied().unwrap_or_default();
    let port = match (tun_type, seen.value("tun-port")) {
        (TunnelType::Gue, Some(p)) => parse::tunnel_port(p)?,
        (TunnelType::Gue, None) => return Err(ParseError::combo("tunnel port", "a gue tunnel needs --tun-port PORT")),
        (_, Some(p)) => return Err(ParseError::new("tunnel port", p, format!("is only for gue tunnels, not {}", tun_type.name()))),
        (_, None) => 0,
    };
    if tun_type == TunnelType::Ipip && !csums.is_empty() {
        return Err(ParseError::combo("tunnel checksum", "checksum options are for gue and gre tunnels, not ipip"));
    }
    if tun_type == TunnelType::Gre && csum == TunnelCsum::RemCsum {
        return Err(ParseError::combo("tunnel checksum", "--tun-remcsum is for gue tunnels, not gre"));
    }
    Ok(Forward::Tunnel { tun_type, port, csum })
}

#[cfg(test)]
mod tests;
