//! Which services a poll dumps the real servers of, from the service dump, /proc/net/ip_vs and
//! what the last dumps held (the reasons are in the parent module's comment).

use crate::ipvs::model::{Dests, Service, ServiceKey, Snapshot, Stats, Watched};
use crate::ipvs::procfs::{DestLine, Line, ProcKey, parse_header, parse_line};
use std::collections::HashMap;
use std::io::BufRead;
use std::ops::Range;
use std::time::{Duration, Instant};

/// Every service's real servers are dumped again at least this often, for what /proc does not
/// print (thresholds, persistent connections, tunnel settings). Only the servers pane shows
/// those, and drains wait on persistent connections: those services are watched, dumped at
/// every poll. The bound keeps the rest from growing old, at a 120th of the table per poll;
/// at 30 s these dumps were a third of the console's system calls with 1,000 services.
pub const REFRESH: Duration = Duration::from_secs(120);

/// At most this many refreshes per poll: in a table of 10,000 services the bound would take
/// 83 dumps at every 1 s poll, for values no pane shows. Past 6,000 services (at 1 s) the bound
/// stretches to one pass over the table at this pace.
pub const REFRESH_PER_POLL: usize = 50;

/// The real servers of each service in /proc/net/ip_vs, as the file gives them (no counters,
/// thresholds or tunnel settings): one list of lines, and where each service's are in it.
#[derive(Debug, Default, PartialEq)]
pub struct ProcRows {
    lines: Vec<DestLine>,
    services: HashMap<ProcKey, Range<u32>>,
}

impl ProcRows {
    /// Reads the file line by line into the room the last read made: a poll of a large table
    /// does not allocate megabytes for the rows anew each time (glibc keeps such peaks, and
    /// they fragment the heap). False, and no rows, when it cannot be read or a line does not
    /// parse: then nothing in it is trusted.
    pub fn read_again(&mut self, input: impl BufRead) -> bool {
        self.lines.clear();
        self.services.clear();
        let read = self.fill(input).is_some();
        if !read {
            self.lines.clear();
            self.services.clear();
        }
        read
    }

    fn fill(&mut self, mut input: impl BufRead) -> Option<()> {
        let mut line = String::new();
        input.read_line(&mut line).ok()?;
        parse_header(&line)?;
        let mut current: Option<(ProcKey, u32)> = None;
        let mut twice = Vec::new();
        loop {
            line.clear();
            if input.read_line(&mut line).ok()? == 0 {
                break;
            }
            match parse_line(&line) {
                Line::Blank => {}
                Line::Dest(dest) if current.is_some() => self.lines.push(dest),
                Line::Service(service) => {
                    if let Some(done) = current.replace((service.key, self.end())) {
                        self.file(done, &mut twice);
                    }
                }
                Line::Dest(_) | Line::BadDest | Line::BadService => return None,
            }
        }
        if let Some(done) = current {
            self.file(done, &mut twice);
        }
        // A mark of both families: which lines are whose is a guess, so neither is known.
        for key in twice {
            self.services.remove(&key);
        }
        Some(())
    }

    fn end(&self) -> u32 {
        u32::try_from(self.lines.len()).unwrap_or(u32::MAX)
    }

    fn file(&mut self, (key, start): (ProcKey, u32), twice: &mut Vec<ProcKey>) {
        if self.services.insert(key, start..self.end()).is_some() {
            twice.push(key);
        }
    }

    /// The lines of `key`; None when the file has none for it or cannot say whose they are.
    pub fn of(&self, key: &ServiceKey) -> Option<&[DestLine]> {
        let range = self.services.get(&ProcKey::of(key))?;
        self.lines.get(range.start as usize..range.end as usize)
    }
}

/// What a service's last destination dump held.
#[derive(Debug, Clone)]
struct Entry {
    /// The service's counters and rates in the service dump of that poll.
    stats: Stats,
    /// Shared with the snapshots that hold it.
    dests: Dests,
    at: Instant,
}

/// The last destination dump of every service, and when the last poll was.
#[derive(Debug, Default)]
pub struct Cache {
    entries: HashMap<ServiceKey, Entry>,
    last_poll: Option<Instant>,
}

fn rates_zero(s: &Stats) -> bool {
    s.cps == 0 && s.inpps == 0 && s.outpps == 0 && s.inbps == 0 && s.outbps == 0
}

impl Cache {
    /// Forgets everything: the next poll dumps every service (after a change this process made,
    /// or a failed read).
    pub fn clear(&mut self) {
        *self = Cache::default();
    }

    /// How many services' real servers it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the real servers of `key` were ever dumped (since the last `clear`).
    pub fn knows(&self, key: &ServiceKey) -> bool {
        self.entries.contains_key(key)
    }

    /// The real servers of the last dump of `key`.
    pub fn dests(&self, key: &ServiceKey) -> Option<&Dests> {
        self.entries.get(key).map(|e| &e.dests)
    }

    /// For each of `services` (this poll's service dump, in order): whether to dump its real
    /// servers. Those that must be, then the oldest others: as many as spread a refresh of all of
    /// them over `REFRESH`, and at least those that have waited that long, at most
    /// `REFRESH_PER_POLL`.
    pub fn plan(
        &self,
        services: &[Service],
        proc: &ProcRows,
        watched: &Watched,
        now: Instant,
    ) -> Vec<bool> {
        let mut dump: Vec<bool> = services
            .iter()
            .map(|s| self.must_dump(s, proc, watched))
            .collect();
        let since = self
            .last_poll
            .map_or(REFRESH, |t| now.saturating_duration_since(t))
            .min(REFRESH);
        let quota = (services.len() as u128 * since.as_millis())
            .div_ceil(REFRESH.as_millis().max(1)) as usize;
        let mut rest: Vec<(Instant, usize)> = services
            .iter()
            .enumerate()
            .filter(|(i, _)| !dump[*i])
            .filter_map(|(i, s)| Some((self.entries.get(&s.config.key)?.at, i)))
            .collect();
        rest.sort();
        let due = rest
            .iter()
            .filter(|(at, _)| now.saturating_duration_since(*at) >= REFRESH)
            .count();
        for (_, i) in rest.into_iter().take(quota.max(due).min(REFRESH_PER_POLL)) {
            dump[i] = true;
        }
        dump
    }

    fn must_dump(&self, s: &Service, proc: &ProcRows, watched: &Watched) -> bool {
        let Some(last) = self.entries.get(&s.config.key) else {
            return true;
        };
        let rows_moved = || {
            proc.of(&s.config.key).is_none_or(|lines| {
                lines.len() != last.dests.len()
                    || !lines.iter().zip(last.dests.iter()).all(|(l, d)| l.shows(d))
            })
        };
        watched.contains(&s.config.key)
            || s.stats != last.stats
            || !rates_zero(&s.stats)
            || !last.dests.iter().all(|d| rates_zero(&d.stats))
            || rows_moved()
    }

    /// Takes in a poll's snapshot: the services marked in `redumped` were dumped at `now`; those
    /// neither dumped now nor before were not read (their lines are /proc's) and stay unknown.
    pub fn record(&mut self, snapshot: &Snapshot, redumped: &[bool], now: Instant) {
        let mut entries = HashMap::with_capacity(snapshot.services.len());
        for (s, dumped) in snapshot.services.iter().zip(redumped) {
            let key = s.config.key;
            let entry = match self.entries.remove(&key) {
                Some(old) if !dumped => old,
                None if !dumped => continue,
                _ => Entry {
                    stats: s.stats,
                    dests: s.dests.clone(),
                    at: now,
                },
            };
            entries.insert(key, entry);
        }
        self.entries = entries;
        self.last_poll = Some(now);
    }
}
