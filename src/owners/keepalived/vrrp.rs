//! keepalived.data (written by the VRRP process on SIGUSR1): the VRRP instances, their state,
//! priority, master and last transition.

use super::dump::{Dump, DumpError, Line, blocks, value};
use super::model::{VrrpAddress, VrrpData, VrrpInstance, VrrpState};
use jiff::Timestamp;
use std::net::IpAddr;

pub const FILE: &str = "keepalived.data";
const SECTION: &str = "VRRP Topology";

/// Parses keepalived.data. A keepalived without VRRP instances writes no VRRP topology: that
/// reads as no instance.
pub fn parse(text: &str) -> Result<VrrpData, DumpError> {
    let dump = Dump::parse(FILE, text)?;
    let lines = dump.section(SECTION).unwrap_or(&[]);
    let found = blocks(lines, |l| {
        l.indent == 1 && l.kv().is_some_and(|(k, _)| k == "VRRP Instance")
    });
    let last = found.len().saturating_sub(1);
    let at_end = dump.is_last(SECTION);
    let instances = found
        .iter()
        .enumerate()
        .map(|(n, block)| instance(&dump, block, at_end && n == last))
        .collect::<Result<_, _>>()?;
    Ok(VrrpData {
        router_id: dump.router_id(),
        instances,
    })
}

fn instance(dump: &Dump, block: &[Line], at_end: bool) -> Result<VrrpInstance, DumpError> {
    let head = &block[0];
    let name = head.kv().map(|(_, v)| v.to_string()).unwrap_or_default();
    let state = |key: &str| -> Result<Option<VrrpState>, DumpError> {
        let Some((line, v)) = find(block, key) else {
            return Ok(None);
        };
        VrrpState::from_name(v)
            .map(Some)
            .ok_or_else(|| dump.unreadable(line, format!("unknown VRRP state {v:?}")))
    };
    let Some(current) = state("State")? else {
        return Err(dump.missing(at_end, head, &format!("State line for instance {name}")));
    };
    if value(block, "Virtual Router ID").is_none() {
        return Err(dump.missing(
            at_end,
            head,
            &format!("Virtual Router ID for instance {name}"),
        ));
    }
    Ok(VrrpInstance {
        state: current,
        want_state: state("Wantstate")?,
        interface: value(block, "Interface").map(str::to_string),
        vrid: parsed(dump, block, "Virtual Router ID")?,
        priority: parsed(dump, block, "Priority")?,
        effective_priority: parsed(dump, block, "Effective priority")?,
        master_router: parsed(dump, block, "Master router")?,
        master_priority: parsed(dump, block, "Master priority")?,
        last_transition: match find(block, "Last transition") {
            Some((line, v)) => Some(
                timestamp(v)
                    .ok_or_else(|| dump.unreadable(line, format!("unreadable time {v:?}")))?,
            ),
            None => None,
        },
        addresses: addresses(dump, block)?,
        name,
    })
}

fn find<'a, 'b>(block: &'b [Line<'a>], key: &str) -> Option<(&'b Line<'a>, &'a str)> {
    block.iter().find_map(|l| match l.kv() {
        Some((k, v)) if k == key => Some((l, v)),
        _ => None,
    })
}

fn parsed<T: std::str::FromStr>(
    dump: &Dump,
    block: &[Line],
    key: &str,
) -> Result<Option<T>, DumpError> {
    match find(block, key) {
        None => Ok(None),
        Some((line, v)) => v
            .parse()
            .map(Some)
            .map_err(|_| dump.unreadable(line, format!("{key}: unreadable value {v:?}"))),
    }
}

/// `1796621720.863475 (Mon Dec  7 05:35:20.863475 2026)`: seconds.microseconds since the epoch.
pub fn timestamp(v: &str) -> Option<Timestamp> {
    let num = v.split_whitespace().next()?;
    let (secs, frac) = num.split_once('.').unwrap_or((num, ""));
    let secs: i64 = secs.parse().ok()?;
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos = if frac.is_empty() {
        0
    } else {
        frac.parse::<i32>().ok()? * 10i32.pow(9 - frac.len() as u32)
    };
    Timestamp::new(secs, nanos).ok()
}

/// The lines under `Virtual IP (N):`, deeper than it: `ADDR[/PREFIX] [dev IFACE] ... [set]`.
fn addresses(dump: &Dump, block: &[Line]) -> Result<Vec<VrrpAddress>, DumpError> {
    let Some(i) = block
        .iter()
        .position(|l| l.text.starts_with("Virtual IP ("))
    else {
        return Ok(Vec::new());
    };
    let indent = block[i].indent;
    block[i + 1..]
        .iter()
        .take_while(|l| l.indent > indent)
        .map(|l| address(l.text).ok_or_else(|| dump.unreadable(l, "unreadable virtual IP")))
        .collect()
}

pub fn address(text: &str) -> Option<VrrpAddress> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    let (addr, prefix) = match first.split_once('/') {
        Some((a, p)) => (a, Some(p.parse().ok()?)),
        None => (first, None),
    };
    let addr: IpAddr = addr.parse().ok()?;
    let words: Vec<&str> = words.collect();
    let dev = words
        .iter()
        .position(|w| *w == "dev")
        .and_then(|i| words.get(i + 1))
        .map(|d| d.to_string());
    Some(VrrpAddress {
        addr,
        prefix,
        dev,
        set: words.last() == Some(&"set"),
    })
}
