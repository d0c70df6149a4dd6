//! ipvsadm's command arguments (`-a -t 192.0.2.1:80 -r 10.0.0.2 -m -w 3`) -> one checked IpvsOp.
//!
//! This is what `ipvsadm -R` reads line by line. The rules are ipvsadm 1.31's: which options each
//! command allows, the defaults, and its quiet fix-ups (a DR or TUN real server takes the
//! service's port), so a file ipvsadm accepts means the same change here.

use super::model::*;
use super::names;
use super::op::IpvsOp;
use super::parse::{self, ParseError, Parsed};
use scan::{Command, Seen, check_allowed, scan};
use std::net::IpAddr;

mod scan;

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
        return Err(ParseError::new(
            "argument",
            seen.positional[0],
            "is not expected here",
        ));
    }
    match cmd {
        Command::AddService | Command::EditService => {
            let config = service_config(&seen)?;
            parse::validate_service(&config)?;
            Ok(if cmd == Command::AddService {
                IpvsOp::AddService(config)
            } else {
                IpvsOp::EditService(config)
            })
        }
        Command::DeleteService => Ok(IpvsOp::DeleteService(required_key(cmd, &seen)?)),
        Command::AddDest | Command::EditDest => {
            let service = required_key(cmd, &seen)?;
            let dest = dest_config(&service, &seen, cmd)?;
            parse::validate_dest(&service, &dest)?;
            Ok(if cmd == Command::AddDest {
                IpvsOp::AddDest { service, dest }
            } else {
                IpvsOp::EditDest { service, dest }
            })
        }
        Command::DeleteDest => {
            let service = required_key(cmd, &seen)?;
            let (addr, port) = dest_addr(&service, &seen, cmd)?;
            Ok(IpvsOp::DeleteDest {
                service,
                dest: DestKey { addr, port },
            })
        }
        Command::Flush => Ok(IpvsOp::Flush),
        Command::Zero => Ok(IpvsOp::Zero(service_key(&seen)?)),
        Command::SetTimeouts => {
            let [tcp, tcp_fin, udp] = seen.positional[..] else {
                return Err(ParseError::new(
                    "--set",
                    &seen.positional.join(" "),
                    "needs exactly three timeouts in seconds: tcp tcpfin udp",
                ));
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
                mcast_ifn: parse::interface(
                    seen.value("mcast-interface").unwrap_or(DEFAULT_MCAST_IFN),
                )?,
                sync_id: seen
                    .value("syncid")
                    .map(parse::sync_id)
                    .transpose()?
                    .unwrap_or(DEFAULT_SYNC_ID),
                sync_maxlen: seen
                    .value("sync-maxlen")
                    .map(parse::sync_maxlen)
                    .transpose()?
                    .unwrap_or(0),
                mcast_group: seen
                    .value("mcast-group")
                    .map(parse::mcast_group)
                    .transpose()?,
                mcast_port: seen
                    .value("mcast-port")
                    .map(parse::mcast_port)
                    .transpose()?
                    .unwrap_or(0),
                mcast_ttl: seen
                    .value("mcast-ttl")
                    .map(parse::mcast_ttl)
                    .transpose()?
                    .unwrap_or(0),
            };
            Ok(IpvsOp::StartDaemon(daemon))
        }
        Command::StopDaemon(state) => Ok(IpvsOp::StopDaemon(state)),
    }
}

fn service_key(seen: &Seen) -> Parsed<Option<ServiceKey>> {
    let protocols = [
        ("tcp-service", Protocol::Tcp),
        ("udp-service", Protocol::Udp),
        ("sctp-service", Protocol::Sctp),
    ];
    for (name, protocol) in protocols {
        if let Some(text) = seen.value(name) {
            if seen.has("ipv6") {
                return Err(ParseError::combo(
                    "-6",
                    "is only for fwmark services; an address-based service takes its family from the address",
                ));
            }
            let (addr, port) = names::addr_port("virtual service", text, Some(protocol))?;
            return Ok(Some(ServiceKey::Addr {
                protocol,
                addr,
                port: port.unwrap_or(0),
            }));
        }
    }
    match seen.value("fwmark-service") {
        Some(text) => {
            let family = if seen.has("ipv6") {
                Family::Inet6
            } else {
                Family::Inet
            };
            Ok(Some(ServiceKey::Fwmark {
                mark: saved_fwmark(text)?,
                family,
            }))
        }
        None if seen.has("ipv6") => {
            Err(ParseError::combo("-6", "is only for fwmark services (-f)"))
        }
        None => Ok(None),
    }
}

/// ipvsadm 1.31 saves marks above 2^31 as negative numbers (`-f -1`); read those back as the
/// same 32-bit mark so that a saved table can always be restored.
fn saved_fwmark(text: &str) -> Parsed<u32> {
    match text
        .strip_prefix('-')
        .map(|n| parse::number("fwmark", n, 1, 1 << 31))
    {
        Some(Ok(n)) => Ok((n as u32).wrapping_neg()),
        _ => parse::fwmark(text),
    }
}

fn required_key(cmd: Command, seen: &Seen) -> Parsed<ServiceKey> {
    service_key(seen)?.ok_or_else(|| {
        ParseError::combo(
            "virtual service",
            format!(
                "the {} command needs a service: -t, -u, --sctp-service or -f",
                cmd.name()
            ),
        )
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
    let text = seen.value("real-server").ok_or_else(|| {
        ParseError::combo(
            "real server",
            format!(
                "the {} command needs a real server: -r ADDRESS[:PORT]",
                cmd.name()
            ),
        )
    })?;
    let (addr, port) = names::addr_port("real server", text, service.protocol())?;
    Ok((addr, port.unwrap_or(service.port())))
}

fn dest_config(service: &ServiceKey, seen: &Seen, cmd: Command) -> Parsed<DestConfig> {
    let (addr, port) = dest_addr(service, seen, cmd)?;
    let mut d = DestConfig::new(addr, port);
    let methods: Vec<&str> = ["masquerading", "gatewaying", "ipip"]
        .into_iter()
        .filter(|m| seen.has(m))
        .collect();
    d.forward = match methods[..] {
        [] | ["gatewaying"] => Forward::Route,
        ["masquerading"] => Forward::Masq,
        ["ipip"] => tunnel(seen)?,
        _ => {
            return Err(ParseError::combo(
                "forwarding method",
                "give only one of -m, -g, -i",
            ));
        }
    };
    let tunnel_options = [
        "tun-type",
        "tun-port",
        "tun-nocsum",
        "tun-csum",
        "tun-remcsum",
    ];
    if !matches!(d.forward, Forward::Tunnel { .. }) && tunnel_options.iter().any(|o| seen.has(o)) {
        return Err(ParseError::combo(
            "tunnel options",
            "are only for tunnel forwarding (-i)",
        ));
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
    let tun_type = seen
        .value("tun-type")
        .map(parse::tunnel_type)
        .transpose()?
        .unwrap_or(TunnelType::Ipip);
    let csums: Vec<TunnelCsum> = [
        ("tun-nocsum", TunnelCsum::NoCsum),
        ("tun-csum", TunnelCsum::Csum),
        ("tun-remcsum", TunnelCsum::RemCsum),
    ]
    .into_iter()
    .filter(|(o, _)| seen.has(o))
    .map(|(_, c)| c)
    .collect();
    if csums.len() > 1 {
        return Err(ParseError::combo(
            "tunnel checksum",
            "give only one of --tun-nocsum, --tun-csum, --tun-remcsum",
        ));
    }
    let csum = csums.first().copied().unwrap_or_default();
    let port = match (tun_type, seen.value("tun-port")) {
        (TunnelType::Gue, Some(p)) => parse::tunnel_port(p)?,
        (TunnelType::Gue, None) => {
            return Err(ParseError::combo(
                "tunnel port",
                "a gue tunnel needs --tun-port PORT",
            ));
        }
        (_, Some(p)) => {
            return Err(ParseError::new(
                "tunnel port",
                p,
                format!("is only for gue tunnels, not {}", tun_type.name()),
            ));
        }
        (_, None) => 0,
    };
    if tun_type == TunnelType::Ipip && !csums.is_empty() {
        return Err(ParseError::combo(
            "tunnel checksum",
            "checksum options are for gue and gre tunnels, not ipip",
        ));
    }
    if tun_type == TunnelType::Gre && csum == TunnelCsum::RemCsum {
        return Err(ParseError::combo(
            "tunnel checksum",
            "--tun-remcsum is for gue tunnels, not gre",
        ));
    }
    Ok(Forward::Tunnel {
        tun_type,
        port,
        csum,
    })
}

#[cfg(test)]
mod tests;
