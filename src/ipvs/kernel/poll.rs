//! The console's poll: a snapshot equal to a full one, read with one service dump, one read of
//! /proc/net/ip_vs and a destination dump only for the services that need one.
//!
//! Why this is exact. The kernel counts every packet and connection into the real server's stats
//! and its service's stats in the same place (ip_vs_core.c: `ip_vs_in_stats`, `ip_vs_out_stats`
//! and `ip_vs_conn_stats` add to `dest->stats` and to `dest->svc`'s stats together), and zeroing
//! a service zeroes its real servers with it. So while a service's five counters stay where they
//! were at its last destination dump, so do its real servers' counters. Rates: the estimator only
//! decays once traffic stops, and a rate at zero with no traffic stays at zero; a service whose
//! rates are all zero and whose real servers' rates were all zero at the last dump keeps them so.
//! Weights, forwarding methods, the set of real servers and the active and inactive connection
//! counts are printed in /proc/net/ip_vs, read every poll. What the file lacks (thresholds, the
//! persistent-connection count, tunnel settings) can change without traffic: every service is
//! dumped again at least every `plan::REFRESH` (a large table: at `plan::REFRESH_PER_POLL` a
//! poll), a few each poll. The one miss the counters cannot see, zeroing a service already at
//! zero whose real servers are not (a server re-added from the kernel's trash keeps its
//! counters), also waits for that bound.
//!
//! Any doubt means a dump: a service not seen before, or absent from /proc, or a fwmark whose
//! two families /proc cannot tell apart. If /proc/net/ip_vs cannot be read or has a line the
//! parser skips, every service is dumped, as in a full snapshot.
//!
//! A large table is read in steps: the services not seen before get their real servers dumped
//! for at most `FILL_BUDGET` of each poll (`FIRST_FILL_BUDGET` of the first; the watched ones
//! always), so that the first screen comes after one service dump; the others show /proc's
//! lines meanwhile and are counted in `Snapshot::unread`, which the screen states until it is
//! 0. The first poll reads no /proc:
//! every service is new, so the file would only supply those lines, and at 10,000 services its
//! read costs more than the rest of the poll (the kernel walks the table from its first service
//! at every 4 KB page of it). Those services come with no real servers, counted in
//! `Snapshot::unlisted`, and the next poll lists them.

use super::dump::{self, Failed};
use crate::ipvs::model::{Dests, Snapshot, Watched};
use crate::ipvs::netlink::socket::DumpSocket;
use crate::ipvs::procfs::DestLine;
use std::io::BufReader;
use std::time::{Duration, Instant};

mod plan;
#[cfg(test)]
mod tests;

pub use plan::REFRESH;

/// Per poll, the time spent dumping the real servers of services not read before, past which
/// the rest wait for the next poll (with /proc's lines). 10,000 services take ~25 s of dumps in
/// user-mode Linux and well over a second on hardware: the first screen does not wait for them.
pub const FILL_BUDGET: Duration = Duration::from_millis(300);
/// The same for the first poll, whose screen needs a screenful of services (hundreds fit) and
/// whose update gets slower with every real server it brings.
pub const FIRST_FILL_BUDGET: Duration = Duration::from_millis(100);
use plan::{Cache, ProcRows};

/// The blocking socket and what past polls learned, kept between polls.
pub struct Reader {
    sock: DumpSocket,
    cache: Cache,
    /// A poll has run: the next ones read /proc/net/ip_vs.
    polled: bool,
    /// The last read of /proc/net/ip_vs, its room reused.
    rows: ProcRows,
}

impl Reader {
    pub fn new(sock: DumpSocket) -> Reader {
        Reader {
            sock,
            cache: Cache::default(),
            polled: false,
            rows: ProcRows::default(),
        }
    }

    /// Services whose real servers past polls learned: a poll reads few others.
    pub fn known(&self) -> usize {
        self.cache.len()
    }

    /// Forgets what past polls learned: the next poll reads every service's real servers.
    pub fn forget(&mut self) {
        self.cache.clear();
    }

    /// A full snapshot; it also brings every service's cached real servers up to date.
    pub fn snapshot(&mut self) -> Result<Snapshot, Failed> {
        let result = dump::snapshot(&mut self.sock);
        if let Ok(s) = &result {
            tracing::debug!(
                service_dumps = 1,
                dest_dumps = s.services.len(),
                "kernel snapshot"
            );
        }
        match &result {
            Ok(snapshot) => self.cache.record(
                snapshot,
                &vec![true; snapshot.services.len()],
                Instant::now(),
            ),
            Err(_) => self.cache.clear(),
        }
        result
    }

    /// An incremental snapshot (see the module comment). `watched`: the services whose real
    /// servers are dumped every poll.
    pub fn poll(&mut self, watched: &Watched) -> Result<Snapshot, Failed> {
        let now = Instant::now();
        let first = !std::mem::replace(&mut self.polled, true);
        let Reader {
            sock, cache, rows, ..
        } = self;
        let rows = (!first && read_rows(rows)).then_some(&*rows);
        let mut redumped = Vec::new();
        let (mut unread, mut unlisted) = (0, 0);
        let budget = if first {
            FIRST_FILL_BUDGET
        } else {
            FILL_BUDGET
        };
        let expected = cache.len();
        let mut result = dump::snapshot_with(sock, expected, |sock, services| {
            let filling = Instant::now();
            redumped = match &rows {
                Some(rows) => cache.plan(services, rows, watched, now),
                None => vec![true; services.len()],
            };
            for (service, dump) in services.iter_mut().zip(redumped.iter_mut()) {
                let key = service.config.key;
                // Not read before, out of time and not on screen: /proc's lines for now (none
                // in the first poll).
                let waits =
                    !cache.knows(&key) && !watched.contains(&key) && filling.elapsed() > budget;
                service.dests = match cache.dests(&key) {
                    Some(dests) if !*dump => dests.clone(),
                    _ => match rows.map(|r| r.of(&key)) {
                        Some(Some(lines)) if waits => {
                            *dump = false;
                            unread += 1;
                            lines.iter().map(DestLine::dest).collect()
                        }
                        None if first && waits => {
                            *dump = false;
                            unread += 1;
                            unlisted += 1;
                            Dests::default()
                        }
                        _ => dump::dests(sock, &key)?.into(),
                    },
                };
            }
            Ok(())
        });
        if let Ok(s) = &mut result {
            s.unread = unread;
            s.unlisted = unlisted;
        }
        let dest_dumps = redumped.iter().filter(|d| **d).count();
        tracing::debug!(
            proc_read = rows.is_some(),
            service_dumps = 1,
            dest_dumps,
            dests_cached = redumped.len() - dest_dumps - unread,
            unread,
            unlisted,
            ok = result.is_ok(),
            "kernel poll"
        );
        match &result {
            Ok(snapshot) => cache.record(snapshot, &redumped, now),
            Err(_) => cache.clear(),
        }
        result
    }
}

/// /proc/net/ip_vs of this network namespace into `rows`; false when it cannot be read whole.
/// Read line by line: at 10,000 services the text is 3.5 MB, and the poll needs only its rows.
fn read_rows(rows: &mut ProcRows) -> bool {
    std::fs::File::open(crate::ipvs::procfs::IP_VS)
        .is_ok_and(|file| rows.read_again(BufReader::with_capacity(PAGE, file)))
}

/// The kernel hands out /proc/net/ip_vs a page at a time, whatever the read asks for.
const PAGE: usize = 4096;
