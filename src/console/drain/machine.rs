//! Draining a real server: weight 0 so it takes no new connections, then removal once its
//! connections have gone (or at a deadline the operator chose). A pure state machine driven by
//! snapshots: it returns the changes to apply and never applies anything itself.

use crate::ipvs::model::{AddrPort, Dest, DestConfig, ServiceKey, Snapshot};
use crate::ipvs::op::IpvsOp;
use std::time::{Duration, Instant};

/// Where a drain is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrainPhase {
    /// Weight 0 asked for; waiting for the connections to reach 0 (or the deadline).
    Draining,
    /// The removal was returned to the caller.
    Removed { forced: bool },
    /// Cancelled by the operator: the original weight was returned to the caller.
    Cancelled,
    /// Stopped because someone else acted on the real server, or a change failed; the reason
    /// in words. Nothing more is done: a drain never fights another operator.
    Stopped(String),
}

/// The last connection counts seen for the real server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub active: u32,
    pub inactive: u32,
    pub persistent: u32,
}

impl Counts {
    fn of(d: &Dest) -> Counts {
        Counts {
            active: d.active_conns,
            inactive: d.inact_conns,
            persistent: d.persist_conns,
        }
    }

    pub fn total(&self) -> u64 {
        u64::from(self.active) + u64::from(self.inactive) + u64::from(self.persistent)
    }
}

/// What the UI shows of a drain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainStatus {
    pub phase: DrainPhase,
    /// None until the first snapshot after the start.
    pub counts: Option<Counts>,
    pub elapsed: Duration,
    /// Until the forced removal; None without a deadline.
    pub time_left: Option<Duration>,
    /// One line, e.g. `draining 203.0.113.2:80: 12 active, 3 inactive, 0 persistent; 45 s;
    /// removal at 0 connections`.
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Drain {
    service: ServiceKey,
    /// The real server as it was before the drain.
    original: DestConfig,
    /// As last seen: what a cancel restores, with the original weight.
    current: DestConfig,
    deadline: Option<Duration>,
    started: Instant,
    /// The time of the last observation or action, for `elapsed`.
    now: Instant,
    /// Weight 0 has been seen in a snapshot: until then an old snapshot may still show the
    /// original weight, which is not someone else's change.
    quiesced_seen: bool,
    counts: Option<Counts>,
    phase: DrainPhase,
}

impl Drain {
    /// Starts draining `dest` of `service`: returns the drain and the change that sets weight 0
    /// (none when the weight is already 0). `deadline`: remove even with connections left once
    /// this long has passed; None waits for 0 connections however long it takes.
    pub fn start(
        service: ServiceKey,
        dest: &DestConfig,
        deadline: Option<Duration>,
        now: Instant,
    ) -> (Drain, Vec<IpvsOp>) {
        let quiesced = DestConfig { weight: 0, ..*dest };
        let ops = if dest.weight == 0 {
            Vec::new()
        } else {
            vec![IpvsOp::EditDest {
                service,
                dest: quiesced,
            }]
        };
        let drain = Drain {
            service,
            original: *dest,
            current: quiesced,
            deadline,
            started: now,
            now,
            quiesced_seen: dest.weight == 0,
            counts: None,
            phase: DrainPhase::Draining,
        };
        (drain, ops)
    }

    pub fn service(&self) -> &ServiceKey {
        &self.service
    }

    /// The real server being drained, as it was before.
    pub fn dest(&self) -> &DestConfig {
        &self.original
    }

    pub fn is_active(&self) -> bool {
        self.phase == DrainPhase::Draining
    }

    /// Follows the drain with a fresh `table`; returns the removal when the connections reached
    /// 0 or the deadline passed. Stops (returning nothing) when the real server or its service
    /// vanished, or when someone set a weight other than 0.
    pub fn observe(&mut self, table: &Snapshot, now: Instant) -> Vec<IpvsOp> {
        if !self.is_active() {
            return Vec::new();
        }
        self.now = now.max(self.now);
        let Some(service) = table.service(&self.service) else {
            return self.stop(format!(
                "its service {} is gone",
                crate::ipvs::label::service_label(&self.service)
            ));
        };
        let Some(dest) = service
            .dests
            .iter()
            .find(|d| d.config.key() == self.original.key())
        else {
            return self.stop("the real server is gone: someone else removed it".into());
        };
        self.counts = Some(Counts::of(dest));
        match dest.config.weight {
            0 => self.quiesced_seen = true,
            w if w == self.original.weight && !self.quiesced_seen => {} // weight 0 not applied yet
            w => {
                return self.stop(format!(
                    "someone set its weight to {w}; it is left as it is"
                ));
            }
        }
        self.current = dest.config;
        let drained = self.quiesced_seen && Counts::of(dest).total() == 0;
        let overdue = self
            .deadline
            .is_some_and(|d| self.now.duration_since(self.started) >= d);
        if !drained && !overdue {
            return Vec::new();
        }
        self.phase = DrainPhase::Removed { forced: !drained };
        vec![IpvsOp::DeleteDest {
            service: self.service,
            dest: self.original.key(),
        }]
    }

    /// Ends the drain; returns the change that puts the original weight back (keeping anything
    /// else someone changed meanwhile). Nothing once the drain has ended.
    pub fn cancel(&mut self) -> Vec<IpvsOp> {
        if !self.is_active() {
            return Vec::new();
        }
        self.phase = DrainPhase::Cancelled;
        if self.original.weight == 0 {
            return Vec::new();
        }
        vec![IpvsOp::EditDest {
            service: self.service,
            dest: DestConfig {
                weight: self.original.weight,
                ..self.current
            },
        }]
    }

    /// A change this drain returned failed: the drain stops with the reason.
    pub fn failed(&mut self, op: &IpvsOp, error: &str) {
        self.phase = DrainPhase::Stopped(format!("{} failed: {error}", op.to_command()));
    }

    pub fn status(&self) -> DrainStatus {
        let elapsed = self.now.duration_since(self.started);
        let time_left = self.deadline.map(|d| d.saturating_sub(elapsed));
        let who = AddrPort(self.original.addr, self.original.port);
        let counts = match self.counts {
            Some(c) => format!(
                "{} active, {} inactive, {} persistent",
                c.active, c.inactive, c.persistent
            ),
            None => "no reading yet".into(),
        };
        let description = match &self.phase {
            DrainPhase::Draining => {
                let removal = match time_left {
                    None => "removal at 0 connections".to_string(),
                    Some(left) => format!("removal at 0 connections or in {}", seconds(left)),
                };
                format!("draining {who}: {counts}; {}; {removal}", seconds(elapsed))
            }
            DrainPhase::Removed { forced: false } => format!(
                "drained {who}: removed at 0 connections after {}",
                seconds(elapsed)
            ),
            DrainPhase::Removed { forced: true } => {
                format!(
                    "drained {who}: removed at the deadline after {} with {counts}",
                    seconds(elapsed)
                )
            }
            DrainPhase::Cancelled => format!(
                "drain of {who} cancelled: weight back to {}",
                self.original.weight
            ),
            DrainPhase::Stopped(why) => format!("drain of {who} stopped: {why}; nothing removed"),
        };
        DrainStatus {
            phase: self.phase.clone(),
            counts: self.counts,
            elapsed,
            time_left,
            description,
        }
    }

    fn stop(&mut self, why: String) -> Vec<IpvsOp> {
        self.phase = DrainPhase::Stopped(why);
        Vec::new()
    }
}

/// `45 s`, `2 min 5 s`, `1 h 3 min`: whole seconds, for a line that is read at a glance.
fn seconds(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s} s"),
        60..3600 if s.is_multiple_of(60) => format!("{} min", s / 60),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

#[cfg(test)]
mod tests;
