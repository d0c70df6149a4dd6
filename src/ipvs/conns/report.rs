//! Views of a [`ConnTable`]: group-by counts (real server × state, state, client, service ×
//! state), rows in a chosen order, and persistence affinity (client → real server).

use super::line;
use super::names::{self, STATE_COUNT, State};
use super::row::{Route, Row};
use super::table::ConnTable;
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

/// What to group connections by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Server,
    State,
    Client,
    Service,
}

impl GroupBy {
    pub const NAMES: &str = "rs, state, client or service";

    pub fn from_name(s: &str) -> Option<GroupBy> {
        match s {
            "rs" | "server" => Some(GroupBy::Server),
            "state" => Some(GroupBy::State),
            "client" => Some(GroupBy::Client),
            "service" | "svc" => Some(GroupBy::Service),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Server => "rs",
            GroupBy::State => "state",
            GroupBy::Client => "client",
            GroupBy::Service => "service",
        }
    }
}

/// Orders of the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// The kernel's order (hash buckets).
    Kernel,
    /// Soonest to expire first.
    Expiry,
    Client,
    State,
}

impl SortBy {
    pub fn from_name(s: &str) -> Option<SortBy> {
        match s {
            "expiry" | "expires" => Some(SortBy::Expiry),
            "client" => Some(SortBy::Client),
            "state" => Some(SortBy::State),
            "kernel" | "none" => Some(SortBy::Kernel),
            _ => None,
        }
    }
}

/// A virtual service as connection lines name it: protocol, address and port, or a fwmark
/// (templates of fwmark services; their connections carry the address the client used).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceId {
    Addr { proto: u8, addr: IpAddr, port: u16 },
    Fwmark(u32),
}

impl ServiceId {
    pub fn of(route: &Route) -> ServiceId {
        if route.proto == names::PROTO_FWMARK_TEMPLATE {
            ServiceId::Fwmark(line::fwmark_of(route.virt))
        } else {
            ServiceId::Addr {
                proto: route.proto,
                addr: route.virt,
                port: route.vport,
            }
        }
    }
}

impl fmt::Display for ServiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceId::Addr { proto, addr, port } => write!(
                f,
                "{} {}",
                names::proto_name(*proto),
                AddrPort(*addr, *port)
            ),
            ServiceId::Fwmark(m) => write!(f, "FWM {m}"),
        }
    }
}

/// `a.b.c.d:port` or `[v6]:port`, as ipvsadm writes them.
pub use crate::ipvs::model::AddrPort;

/// One group: its key, its total, and its count per state (states with none left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub key: String,
    pub total: u64,
    pub states: Vec<(State, u64)>,
}

fn group(key: String, counts: &[u64; STATE_COUNT]) -> Group {
    let states: Vec<(State, u64)> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .filter_map(|(i, c)| Some((State::from_index(i)?, *c)))
        .collect();
    Group {
        key,
        total: counts.iter().sum(),
        states,
    }
}

/// Sums route counts under a key; keys sort as given.
fn by<K: Ord + fmt::Display>(t: &ConnTable, key: impl Fn(&Route) -> K) -> Vec<Group> {
    let mut sums: BTreeMap<K, [u64; STATE_COUNT]> = BTreeMap::new();
    for (route, counts) in t.routes.iter().zip(&t.route_states) {
        if counts.iter().all(|c| *c == 0) {
            continue;
        }
        let s = sums.entry(key(route)).or_insert([0; STATE_COUNT]);
        for (a, b) in s.iter_mut().zip(counts) {
            *a += b;
        }
    }
    sums.into_iter()
        .map(|(k, c)| group(k.to_string(), &c))
        .collect()
}

impl ConnTable {
    /// Real server × state, by address.
    pub fn by_server(&self) -> Vec<Group> {
        by(self, |r| AddrPort(r.dest, r.dport))
    }

    /// Service × state, by protocol and address (fwmark templates last).
    pub fn by_service(&self) -> Vec<Group> {
        by(self, ServiceId::of)
    }

    /// Counts per state, most first.
    pub fn by_state(&self) -> Vec<Group> {
        let mut sums = [0u64; STATE_COUNT];
        for counts in &self.route_states {
            for (a, b) in sums.iter_mut().zip(counts) {
                *a += b;
            }
        }
        let mut v: Vec<Group> = sums
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .filter_map(|(i, c)| {
                let s = State::from_index(i)?;
                Some(Group {
                    key: s.name().to_string(),
                    total: *c,
                    states: vec![(s, *c)],
                })
            })
            .collect();
        v.sort_by(|a, b| b.total.cmp(&a.total).then(a.key.cmp(&b.key)));
        v
    }

    /// The `n` clients with the most connections (see [`super::clients::TopClients`] for when
    /// the counts are exact).
    pub fn by_client(&self, n: usize) -> Vec<Group> {
        self.clients
            .top(n)
            .into_iter()
            .map(|(a, c)| Group {
                key: a.to_string(),
                total: c,
                states: Vec::new(),
            })
            .collect()
    }

    pub fn groups(&self, by: GroupBy, limit: usize) -> Vec<Group> {
        match by {
            GroupBy::Server => self.by_server(),
            GroupBy::State => self.by_state(),
            GroupBy::Client => self.by_client(limit),
            GroupBy::Service => self.by_service(),
        }
    }

    /// Sorts the held rows and templates.
    pub fn sort_rows(&mut self, order: SortBy) {
        sort(&mut self.rows, order);
        sort(&mut self.templates, order);
    }

    /// Everything a row says, with its route resolved.
    pub fn view(&self, row: &Row) -> ConnView {
        let r = self.route_of(row);
        ConnView {
            proto: names::proto_name(r.proto).into_owned(),
            client: AddrPort(row.client(), row.cport()),
            virt: AddrPort(r.virt, r.vport),
            dest: AddrPort(r.dest, r.dport),
            service: ServiceId::of(r).to_string(),
            state: row.state().name(),
            expires: row.expires(),
            template: row.is_template(),
        }
    }
}

fn sort(rows: &mut [Row], order: SortBy) {
    match order {
        SortBy::Kernel => {}
        SortBy::Expiry => rows.sort_by_key(|r| r.expires()),
        SortBy::Client => rows.sort_by_key(|r| r.client_key()),
        SortBy::State => rows.sort_by(|a, b| {
            a.state()
                .name()
                .cmp(b.state().name())
                .then(a.client_key().cmp(&b.client_key()))
        }),
    }
}

/// One row, for printing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnView {
    pub proto: String,
    pub client: AddrPort,
    pub virt: AddrPort,
    pub dest: AddrPort,
    pub service: String,
    pub state: &'static str,
    pub expires: u32,
    pub template: bool,
}

impl ConnView {
    /// As `ipvsadm -Lnc` prints a line: `%-3s %-6s %-11s %-18s %-18s %s` with mm:ss.
    pub fn ipvsadm_line(&self) -> String {
        let expire = format!("{:02}:{:02}", self.expires / 60, self.expires % 60);
        format!(
            "{:<3} {:<6} {:<11} {:<18} {:<18} {}",
            self.proto,
            expire,
            self.state,
            self.client.to_string(),
            self.virt.to_string(),
            self.dest
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::filter::Filter;
    use super::super::table::Limits;
    use super::*;

    const TEXT: &str = "TCP CB007102 AD74 CB007164 0051 0A0A000C 0051 ESTABLISHED     894
TCP CB007103 AD78 CB007164 0051 0A0A000B 0051 CLOSE_WAIT       54
TCP CB007102 AD7A CB007164 0051 0A0A000C 0051 CLOSE_WAIT       50
IP  CB007102 0000 00000007 0000 0A0A000C 0000 ASSURED         114
";

    #[test]
    fn groupings() {
        let t = ConnTable::from_text(TEXT, Filter::default(), Limits::default());
        let rs = t.by_server();
        assert_eq!(
            rs.iter()
                .map(|g| (g.key.as_str(), g.total))
                .collect::<Vec<_>>(),
            [
                ("10.10.0.11:81", 1),
                ("10.10.0.12:0", 1),
                ("10.10.0.12:81", 2)
            ]
        );
        let st = t.by_state();
        assert_eq!((st[0].key.as_str(), st[0].total), ("CLOSE_WAIT", 2));
        let svc = t.by_service();
        assert_eq!(
            svc.iter().map(|g| g.key.as_str()).collect::<Vec<_>>(),
            ["TCP 203.0.113.100:81", "FWM 7"]
        );
        assert_eq!(
            t.by_client(1),
            vec![Group {
                key: "203.0.113.2".into(),
                total: 3,
                states: vec![]
            }]
        );
    }

    #[test]
    fn sorting_and_ipvsadm_line() {
        let mut t = ConnTable::from_text(TEXT, Filter::default(), Limits::default());
        t.sort_rows(SortBy::Expiry);
        assert_eq!(
            t.rows.iter().map(|r| r.expires()).collect::<Vec<_>>(),
            [50, 54, 114, 894]
        );
        let first = t.view(&t.rows[0]);
        assert_eq!(
            first.ipvsadm_line(),
            "TCP 00:50  CLOSE_WAIT  203.0.113.2:44410  203.0.113.100:81   10.10.0.12:81"
        );
        t.sort_rows(SortBy::Client);
        assert_eq!(t.rows.last().unwrap().client().to_string(), "203.0.113.3");
    }
}
