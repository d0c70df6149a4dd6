//! Lines in, a bounded table out: every line is parsed and filtered; every matching line is
//! counted in the aggregates; at most `max_rows` rows (and `max_templates` templates) are held,
//! and the rest are counted as dropped.

use super::clients::TopClients;
use super::filter::Filter;
use super::fixed;
use super::line::{self, ConnLine};
use super::names::{STATE_COUNT, State};
use super::row::{Route, Row};
use foldhash::fast::FixedState;
use std::collections::HashMap;
use std::net::IpAddr;

/// How much to hold. Memory for the aggregates depends on the distinct routes and on
/// `max_clients`, never on the number of lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Rows held for display (0: aggregates only).
    pub max_rows: usize,
    /// Persistence templates held for the affinity view and lookups.
    pub max_templates: usize,
    /// Distinct clients counted exactly before the top-clients summary becomes approximate
    /// (0: clients are not counted, for a caller that does not show them).
    pub max_clients: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_rows: 100_000,
            max_templates: 100_000,
            max_clients: 100_000,
        }
    }
}

/// What happened to the lines read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    /// Entry lines read (the header excluded).
    pub lines: u64,
    pub matched: u64,
    pub malformed: u64,
    /// Matching lines not held because `max_rows` were held already (counted in the aggregates).
    pub dropped_rows: u64,
    pub dropped_templates: u64,
}

/// The first malformed line: its number in the file (1 = header) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstMalformed {
    pub line: u64,
    pub reason: String,
}

/// Builds a [`ConnTable`] from lines.
#[derive(Debug)]
pub struct Collector {
    filter: Filter,
    limits: Limits,
    table: ConnTable,
    route_index: HashMap<Route, u32, FixedState>,
    /// The same routes for IPv4 lines, by [`fixed::V4Line::route_key`]: the fast path.
    v4_routes: HashMap<u128, u32, FixedState>,
    /// Per route: does the filter's route part match it, and the prefix its templates' clients
    /// were masked with (decided once).
    route_matches: Vec<bool>,
    route_prefix: Vec<u8>,
    line_no: u64,
}

/// The result: counts, aggregates over every matching line, and the rows held.
#[derive(Debug, Clone)]
pub struct ConnTable {
    pub counts: Counts,
    pub first_malformed: Option<FirstMalformed>,
    /// Distinct routes seen (matching or not); rows and `route_states` index into it.
    pub routes: Vec<Route>,
    /// Matching lines per route and state.
    pub route_states: Vec<[u64; STATE_COUNT]>,
    pub clients: TopClients,
    pub rows: Vec<Row>,
    pub templates: Vec<Row>,
}

impl Collector {
    pub fn new(filter: Filter, limits: Limits) -> Collector {
        let table = ConnTable {
            counts: Counts::default(),
            first_malformed: None,
            routes: Vec::new(),
            route_states: Vec::new(),
            clients: TopClients::new(limits.max_clients),
            rows: Vec::new(),
            templates: Vec::new(),
        };
        Collector {
            filter,
            limits,
            table,
            route_index: HashMap::with_hasher(FixedState::default()),
            v4_routes: HashMap::with_hasher(FixedState::default()),
            route_matches: Vec::new(),
            route_prefix: Vec::new(),
            line_no: 0,
        }
    }

    /// One line of the file, without its newline. The header and blank lines are skipped.
    pub fn line(&mut self, text: &[u8]) {
        self.line_no += 1;
        if text.starts_with(b"Pro ") || text.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        self.table.counts.lines += 1;
        if let Some(v4) = fixed::fixed_ipv4(text) {
            return self.v4_entry(&v4);
        }
        let t = &mut self.table;
        match line::parse_line(text) {
            Ok(e) => self.entry(&e),
            Err(why) => {
                t.counts.malformed += 1;
                if t.first_malformed.is_none() {
                    t.first_malformed = Some(FirstMalformed {
                        line: self.line_no,
                        reason: why.to_string(),
                    });
                }
            }
        }
    }

    /// The route's index, added if new.
    fn route_id(&mut self, route: Route) -> u32 {
        if let Some(id) = self.route_index.get(&route) {
            return *id;
        }
        let id = self.table.routes.len() as u32;
        self.route_index.insert(route, id);
        self.table.routes.push(route);
        self.table.route_states.push([0; STATE_COUNT]);
        self.route_matches.push(self.filter.matches_route(
            route.proto,
            route.virt,
            route.vport,
            route.dest,
            route.dport,
        ));
        self.route_prefix.push(self.filter.template_prefix(&route));
        id
    }

    fn v4_entry(&mut self, v4: &fixed::V4Line) {
        let key = v4.route_key();
        let id = match self.v4_routes.get(&key) {
            Some(id) => *id,
            None => {
                let e = v4.entry();
                let id = self.route_id(Route {
                    proto: e.proto,
                    virt: e.virt,
                    vport: e.vport,
                    dest: e.dest,
                    dport: e.dport,
                });
                self.v4_routes.insert(key, id);
                id
            }
        };
        let client = IpAddr::V4(v4.client.into());
        self.count(
            id,
            client,
            v4.cport,
            v4.state,
            v4.expires,
            line::is_template(v4.proto, v4.cport, v4.state),
        );
    }

    fn entry(&mut self, e: &ConnLine) {
        let id = self.route_id(Route {
            proto: e.proto,
            virt: e.virt,
            vport: e.vport,
            dest: e.dest,
            dport: e.dport,
        });
        self.count(id, e.client, e.cport, e.state, e.expires, e.is_template());
    }

    /// Filters, counts and holds one parsed line.
    fn count(
        &mut self,
        id: u32,
        client: IpAddr,
        cport: u16,
        state: State,
        expires: u32,
        template: bool,
    ) {
        let prefix = template.then(|| self.route_prefix[id as usize]);
        if !self.route_matches[id as usize] || !self.filter.matches_line(client, state, prefix) {
            return;
        }
        let t = &mut self.table;
        t.counts.matched += 1;
        t.route_states[id as usize][state.index()] += 1;
        t.clients.add(client);
        let row = || Row::new(client, cport, id, state, expires, template);
        if t.rows.len() < self.limits.max_rows {
            t.rows.push(row());
        } else {
            t.counts.dropped_rows += 1;
        }
        if template {
            if t.templates.len() < self.limits.max_templates {
                t.templates.push(row());
            } else {
                t.counts.dropped_templates += 1;
            }
        }
    }

    /// Lines read so far.
    pub fn lines(&self) -> u64 {
        self.table.counts.lines
    }

    pub fn finish(self) -> ConnTable {
        self.table
    }
}

impl ConnTable {
    /// Reads a whole text at once (tests, the simulator's table).
    pub fn from_text(text: &str, filter: Filter, limits: Limits) -> ConnTable {
        let mut c = Collector::new(filter, limits);
        for l in text.as_bytes().split(|b| *b == b'\n') {
            if !l.is_empty() {
                c.line(l);
            }
        }
        c.finish()
    }

    pub fn route_of(&self, row: &Row) -> &Route {
        &self.routes[row.route()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData
TCP CB007102 AD74 CB007164 0051 0A0A000C 0051 ESTABLISHED     894
TCP CB007102 AD78 CB007164 0051 0A0A000B 0051 ESTABLISHED     894
garbage line
TCP CB007102 EC2E CB007164 0055 0A0A000C 0051 ESTABLISHED     894
TCP CB007102 0000 CB007164 0055 0A0A000C 0051 ASSURED         114
";

    #[test]
    fn counts_hold_and_drop() {
        let t = ConnTable::from_text(
            TEXT,
            Filter::default(),
            Limits {
                max_rows: 2,
                max_templates: 0,
                max_clients: 10,
            },
        );
        assert_eq!(
            t.counts,
            Counts {
                lines: 5,
                matched: 4,
                malformed: 1,
                dropped_rows: 2,
                dropped_templates: 1
            }
        );
        assert_eq!(t.first_malformed.as_ref().unwrap().line, 4);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.routes.len(), 3);
        let total: u64 = t.route_states.iter().flatten().sum();
        assert_eq!(total, 4);
    }

    #[test]
    fn filter_applies_to_aggregates() {
        let f = Filter::parse(&["rs:10.10.0.12"]).unwrap();
        let t = ConnTable::from_text(TEXT, f, Limits::default());
        assert_eq!(t.counts.matched, 3);
        assert_eq!(t.templates.len(), 1);
        assert_eq!(t.clients.top(1)[0].1, 3);
    }
}
