//! keepalived_check.data (written by the checker process on SIGUSR1, keepalived 2.0.14 and
//! later): every virtual server and real server it manages, with weights and checker verdicts.

use super::dump::{Dump, DumpError, Line, blocks, boolean, value, value_is};
use super::model::{CheckData, Checker, LbKind, Proto, RealServer, VirtualServer, VsKey};
use std::net::IpAddr;

pub const FILE: &str = "keepalived_check.data";
const TOPOLOGY: &str = "LVS Topology";
const CHECKERS: &str = "Health checkers";

pub fn parse(text: &str) -> Result<CheckData, DumpError> {
    let dump = Dump::parse(FILE, text)?;
    let Some(lines) = dump.section(TOPOLOGY) else {
        return Err(DumpError::MissingSection {
            file: FILE.into(),
            section: TOPOLOGY.into(),
        });
    };
    let found = blocks(lines, |l| l.banner() == Some("Virtual server"));
    let at_end = dump.is_last(TOPOLOGY);
    let last = found.len().saturating_sub(1);
    let mut virtual_servers = found
        .iter()
        .enumerate()
        .map(|(n, b)| virtual_server(&dump, b, at_end && n == last))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(lines) = dump.section(CHECKERS) {
        attach_checkers(&dump, lines, &mut virtual_servers)?;
    }
    Ok(CheckData {
        router_id: dump.router_id(),
        virtual_servers,
    })
}

fn virtual_server(dump: &Dump, block: &[Line], at_end: bool) -> Result<VirtualServer, DumpError> {
    let banner = &block[0];
    let Some(head) = block.get(1) else {
        return Err(dump.missing(at_end, banner, "VS line"));
    };
    let key = vs_key(
        head.text,
        value(block, "protocol"),
        value(block, "Address family"),
    )
    .ok_or_else(|| dump.unreadable(head, format!("unreadable virtual server {:?}", head.text)))?;
    let rs_blocks = blocks(block, |l| l.banner() == Some("Real server"));
    let last = rs_blocks.len().saturating_sub(1);
    let own = &block[..block
        .iter()
        .position(|l| l.banner() == Some("Real server"))
        .unwrap_or(block.len())];
    let real_servers = rs_blocks
        .iter()
        .enumerate()
        .map(|(n, b)| real_server(dump, b, at_end && n == last))
        .collect::<Result<_, _>>()?;
    Ok(VirtualServer {
        key,
        // keepalived 2.2: `lvs_sched = rr`; 2.0: `delay_loop = 6, lb_algo = rr`.
        scheduler: value(own, "lvs_sched")
            .or_else(|| {
                own.iter()
                    .find_map(|l| l.text.split_once("lb_algo = ").map(|p| p.1))
            })
            .map(str::to_string),
        forward: value(own, "default forwarding method").and_then(lb_kind),
        quorum_up: value(own, "quorum_state_up").and_then(boolean),
        real_servers,
        sorry_server: value(own, "sorry server").map(str::to_string),
    })
}

/// `VS VIP = 203.0.113.100, VPORT = 80` | `VS FWMARK = 7` | `VS GROUP = name`.
fn vs_key(head: &str, protocol: Option<&str>, family: Option<&str>) -> Option<VsKey> {
    let rest = head.strip_prefix("VS ")?;
    if let Some(mark) = rest.strip_prefix("FWMARK = ") {
        return Some(VsKey::Fwmark {
            mark: mark.trim().parse().ok()?,
            ipv6: family == Some("inet6"),
        });
    }
    if let Some(name) = rest.strip_prefix("GROUP = ") {
        return Some(VsKey::Group {
            name: name.trim().to_string(),
        });
    }
    let (addr, port) = rest.strip_prefix("VIP = ")?.split_once(", VPORT = ")?;
    Some(VsKey::Addr {
        protocol: match protocol? {
            "TCP" => Proto::Tcp,
            "UDP" => Proto::Udp,
            "SCTP" => Proto::Sctp,
            _ => return None,
        },
        addr: addr.trim().parse().ok()?,
        port: port.trim().parse().ok()?,
    })
}

fn lb_kind(v: &str) -> Option<LbKind> {
    match v {
        "NAT" => Some(LbKind::Nat),
        "DR" => Some(LbKind::Dr),
        "TUN" => Some(LbKind::Tun),
        _ => None,
    }
}

/// `RIP = 10.10.0.11, RPORT = 80, WEIGHT = 3 EFF WEIGHT = 3` and the lines below it.
fn real_server(dump: &Dump, block: &[Line], at_end: bool) -> Result<RealServer, DumpError> {
    let banner = &block[0];
    let Some(head) = block.get(1) else {
        return Err(dump.missing(at_end, banner, "RIP line"));
    };
    let bad = || dump.unreadable(head, format!("unreadable real server {:?}", head.text));
    let rest = head.text.strip_prefix("RIP = ").ok_or_else(bad)?;
    let (addr, rest) = rest.split_once(", RPORT = ").ok_or_else(bad)?;
    let (port, rest) = rest.split_once(", WEIGHT = ").ok_or_else(bad)?;
    let (weight, eff) = match rest.split_once(" EFF WEIGHT = ") {
        Some((w, e)) => (w, Some(e)),
        None => (rest, None),
    };
    let addr: IpAddr = addr.trim().parse().map_err(|_| bad())?;
    let port: u16 = port.trim().parse().map_err(|_| bad())?;
    let weight: i64 = weight.trim().parse().map_err(|_| bad())?;
    let eff = eff.or_else(|| value(block, "effective weight"));
    let effective_weight = match eff {
        Some(e) => e.trim().parse().map_err(|_| bad())?,
        None => weight,
    };
    let rs = format!("real server {addr} port {port}");
    let alive = value(block, "alive")
        .ok_or_else(|| dump.missing(at_end, head, &format!("alive line for {rs}")))?;
    let alive =
        boolean(alive).ok_or_else(|| dump.unreadable(head, format!("{rs}: alive = {alive:?}")))?;
    let failed = value(block, "num failed checkers")
        .ok_or_else(|| dump.missing(at_end, head, &format!("num failed checkers line for {rs}")))?;
    let failed_checkers = failed
        .parse()
        .map_err(|_| dump.unreadable(head, format!("{rs}: num failed checkers = {failed:?}")))?;
    Ok(RealServer {
        addr,
        port,
        forward: value(block, "forwarding method").and_then(lb_kind),
        weight,
        effective_weight,
        alive,
        failed_checkers,
        checkers: Vec::new(),
        inhibit_on_failure: value_is(block, "Inhibit on failure") == Some("ON"),
        set: value(block, "RS set").and_then(boolean),
    })
}

/// ` [203.0.113.100]:tcp:80 -> [10.10.0.11]:tcp:80` or ` FWM 7 -> [10.10.0.11]:none:80`, then
/// `Up = yes`, `Enabled = yes`, `Keepalive method = TCP_CHECK`: added to the matching real server.
fn attach_checkers(
    dump: &Dump,
    lines: &[Line],
    vss: &mut [VirtualServer],
) -> Result<(), DumpError> {
    let at_end = dump.is_last(CHECKERS);
    let found = blocks(lines, |l| l.indent == 1 && l.text.contains(" -> "));
    let last = found.len().saturating_sub(1);
    for (n, block) in found.iter().enumerate() {
        let head = &block[0];
        let (vs, rs) = head.text.split_once(" -> ").unwrap_or_default();
        let Some((addr, port)) = endpoint(rs) else {
            return Err(dump.unreadable(head, format!("unreadable checker {:?}", head.text)));
        };
        let Some(up) = value(block, "Up").and_then(boolean) else {
            return Err(dump.missing(at_end && n == last, head, "Up line for this checker"));
        };
        let checker = Checker {
            kind: value(block, "Keepalive method").map(str::to_string),
            up,
            enabled: value(block, "Enabled").and_then(boolean).unwrap_or(true),
        };
        let target = vss
            .iter_mut()
            .filter(|v| vs_matches(&v.key, vs))
            .flat_map(|v| v.real_servers.iter_mut())
            .find(|r| r.addr == addr && r.port == port);
        if let Some(rs) = target {
            rs.checkers.push(checker);
        }
    }
    Ok(())
}

/// `[10.10.0.11]:tcp:80` -> (address, port). Also how the notify FIFOs name them.
pub(super) fn endpoint(text: &str) -> Option<(IpAddr, u16)> {
    let (addr, rest) = text.trim().strip_prefix('[')?.split_once(']')?;
    let port = rest.rsplit(':').next()?;
    Some((addr.parse().ok()?, port.parse().ok()?))
}

/// Whether `[203.0.113.100]:tcp:80`, `FWM 7` or `[group]:80` names this virtual server.
pub(super) fn vs_matches(key: &VsKey, text: &str) -> bool {
    match key {
        VsKey::Fwmark { mark, .. } => text.strip_prefix("FWM ") == Some(&mark.to_string()),
        VsKey::Addr { addr, port, .. } => endpoint(text) == Some((*addr, *port)),
        VsKey::Group { name } => text.contains(name.as_str()),
    }
}
