//! The task that follows keepalived's notify FIFOs: reads its configuration, opens the FIFOs
//! read-only and non-blocking, drops what waited in them, then looks every `LOOK` for new lines
//! (a read that finds nothing returns at once: no poll ever waits on keepalived) and reports
//! them, until a FIFO closes or the console is gone.

use crate::console::action::Action;
use crate::owners::keepalived::follow::{self, Fifo, FollowReport, Followed};
use crate::owners::keepalived::process::Process;
use jiff::Timestamp;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;

/// How often the FIFOs are looked at: events show within this.
const LOOK: Duration = Duration::from_millis(200);

/// Starts following `process`'s FIFOs as session `session`.
pub fn spawn(session: u64, process: Process, reports: UnboundedSender<Action>) {
    tokio::spawn(async move {
        let send = |what: Followed| {
            let report = FollowReport {
                session,
                at: Instant::now(),
                what,
            };
            reports
                .send(Action::KeepalivedFollow(Box::new(report)))
                .is_ok()
        };
        let opened = tokio::task::spawn_blocking(move || open(&process)).await;
        let (mut fifos, started) = match opened {
            Ok(Ok(opened)) => opened,
            Ok(Err(why)) => {
                tracing::info!(reason = %why, "keepalived FIFOs not followed");
                send(Followed::NotFollowed(why));
                return;
            }
            Err(e) => {
                let why =
                    follow::NotFollowed::Config(format!("reading the configuration failed: {e}"));
                send(Followed::NotFollowed(why));
                return;
            }
        };
        if !send(started) {
            return;
        }
        let mut look = tokio::time::interval(LOOK);
        look.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            look.tick().await;
            for fifo in &mut fifos {
                let read = fifo.read();
                if !read.lines.is_empty() || read.overlong > 0 {
                    let parsed = follow::parse_lines(&read.lines, read.overlong);
                    tracing::debug!(
                        path = %fifo.path.display(),
                        lines = ?read.lines,
                        unknown = parsed.unknown,
                        "keepalived FIFO lines"
                    );
                    let when = Timestamp::now();
                    if !send(Followed::Lines { parsed, when }) {
                        return;
                    }
                }
                if read.closed {
                    tracing::info!(path = %fifo.path.display(), "keepalived closed its FIFO");
                    send(Followed::Closed {
                        path: fifo.path.clone(),
                    });
                    return;
                }
            }
        }
    });
}

/// Reads the configuration and opens its FIFOs, dropping the lines that waited in them.
fn open(process: &Process) -> Result<(Vec<Fifo>, Followed), follow::NotFollowed> {
    let config = follow::plan(process)?;
    let mut fifos = Vec::new();
    for (_, path) in &config.fifos {
        let fifo = Fifo::open(path)?;
        if let Some((pid, reader)) = follow::other_reader(&fifo) {
            return Err(follow::NotFollowed::OtherReader {
                path: path.clone(),
                pid,
                reader,
            });
        }
        fifos.push(fifo);
    }
    let mut backlog = 0;
    for fifo in &mut fifos {
        let read = fifo.read();
        backlog += read.lines.len() + read.overlong;
        if read.closed {
            return Err(follow::NotFollowed::Open {
                path: fifo.path.clone(),
                reason: "no keepalived holds it open".into(),
            });
        }
    }
    let (vrrp, checker) = config.carries();
    let started = Followed::Started {
        fifos: fifos.iter().map(|f| f.path.clone()).collect(),
        vrrp,
        checker,
        backlog,
    };
    Ok((fifos, started))
}
