//! The guided drain of a real server (`D`): the deadline prompt, the drains in progress fed with
//! every poll, and the changes they ask for. The state machine itself is `ipvs::drain`.

use super::action::Effect;
use super::app::{App, Focus, Modal, UndoStep};
use super::changes::{Change, Origin, Outcome};
use crate::ipvs::IpvsOp;
use crate::ipvs::drain::{Drain, DrainPhase};
use crate::ipvs::model::{AddrPort, DestConfig, DestKey, ServiceKey, Snapshot};
use crate::operation::Operation;
use std::time::{Duration, Instant};
use tui_input::{Input, InputRequest};

/// Asking for the deadline of a new drain.
#[derive(Debug, Clone)]
pub struct DrainPrompt {
    pub service: ServiceKey,
    pub dest: DestConfig,
    pub deadline: Input,
    pub error: Option<String>,
}

impl DrainPrompt {
    pub fn title(&self) -> String {
        format!(
            "Drain {} of {}",
            AddrPort(self.dest.addr, self.dest.port),
            self.service
        )
    }
}

/// `D`: cancels the drain of the selected real server, or asks for the deadline of a new one.
pub fn command(app: &mut App) -> Vec<Effect> {
    let (Some(svc), Some(dest)) = (
        app.current_service().map(|s| s.config.key),
        app.current_dest().map(|d| d.config),
    ) else {
        app.flash_error("select a real server first");
        return vec![];
    };
    if app.focus != Focus::Servers {
        app.flash_error("select a real server first");
        return vec![];
    }
    if let Some(drain) = app
        .drains
        .iter_mut()
        .find(|d| d.is_active() && *d.service() == svc && d.dest().key() == dest.key())
    {
        let ops = drain.cancel();
        let text = drain.status().description;
        app.flash(text);
        return submit(app, ops);
    }
    app.modal = Some(Modal::Drain(DrainPrompt {
        service: svc,
        dest,
        deadline: Input::default(),
        error: None,
    }));
    vec![]
}

pub fn edit(prompt: &mut DrainPrompt, req: InputRequest) {
    prompt.deadline.handle(req);
    prompt.error = parse_deadline(prompt.deadline.value()).err();
}

/// Enter in the prompt: the drain starts (weight 0 now), or the prompt says what is wrong.
pub fn start(app: &mut App, mut prompt: DrainPrompt) -> Vec<Effect> {
    let deadline = match parse_deadline(prompt.deadline.value()) {
        Ok(d) => d,
        Err(e) => {
            prompt.error = Some(e);
            app.modal = Some(Modal::Drain(prompt));
            return vec![];
        }
    };
    let (drain, ops) = Drain::start(prompt.service, &prompt.dest, deadline, app.now);
    app.flash(drain.status().description);
    app.drains.push(drain);
    submit(app, ops)
}

/// Each poll moves the drains on; a drain that is done asks for the removal.
pub fn observe(app: &mut App, table: &Snapshot, at: Instant) -> Vec<Effect> {
    let mut ops = Vec::new();
    let mut stopped = Vec::new();
    for drain in app.drains.iter_mut().filter(|d| d.is_active()) {
        ops.extend(drain.observe(table, at));
        if let DrainPhase::Stopped(_) = drain.status().phase {
            stopped.push(drain.status().description);
        }
    }
    app.drains
        .retain(|d| !matches!(d.status().phase, DrainPhase::Stopped(_)));
    if !stopped.is_empty() {
        app.flash_error(stopped.join("\n"));
    }
    submit(app, ops)
}

/// The outcome of a drain's change: done, or stopped with the reason. A drain is one change for
/// undo: while it runs, `u` cancels it; once the real server is removed, `u` adds it back.
pub fn applied(app: &mut App, outcome: &Outcome) {
    let op = &outcome.change.ops;
    let Some(drain) = app.drains.iter_mut().find(|d| {
        op.iter()
            .any(|o| matches!(o, Operation::Ipvs(o) if concerns(o, d)))
    }) else {
        return;
    };
    let (service, original) = (*drain.service(), *drain.dest());
    let id = Some((service, original.key()));
    let who = original.key().to_string();
    match &outcome.result {
        Ok(()) => {
            let status = drain.status();
            let removed = matches!(status.phase, DrainPhase::Removed { .. });
            let active = drain.is_active();
            if !active {
                app.flash(status.description);
                app.drains.retain(|d| d.is_active());
                app.undo.retain(|step| step.drain != id);
            }
            if active && original.weight != 0 {
                let restore = IpvsOp::EditDest {
                    service,
                    dest: original,
                };
                app.undo.push(UndoStep {
                    commands: format!("drain of {who} (weight 0)"),
                    ops: vec![restore.into()],
                    drain: id,
                });
            }
            if removed {
                let add = IpvsOp::AddDest {
                    service,
                    dest: original,
                };
                app.undo.push(UndoStep {
                    commands: format!("drain of {who} (removed)"),
                    ops: vec![add.into()],
                    drain: None,
                });
            }
        }
        Err(failure) => {
            let message = failure.message(op);
            if let Some(Operation::Ipvs(first)) = op.first() {
                drain.failed(first, &message);
            }
            let text = drain.status().description;
            app.drains.retain(|d| d.is_active());
            app.flash_error(text);
        }
    }
}

/// Undo of a drain's start: the drain ends without a word (the undo says what it does).
pub fn cancel_quietly(app: &mut App, service: &ServiceKey, dest: DestKey) {
    for drain in app
        .drains
        .iter_mut()
        .filter(|d| d.is_active() && d.service() == service && d.dest().key() == dest)
    {
        drain.cancel();
    }
    app.drains.retain(|d| d.is_active());
}

/// Drains' changes go out at once, beside any other change in flight: they carry no stale
/// check and the backend applies changes one at a time anyway.
fn submit(app: &mut App, ops: Vec<IpvsOp>) -> Vec<Effect> {
    if ops.is_empty() {
        return vec![];
    }
    let change = Change {
        id: app.next_change,
        origin: Origin::Drain,
        ops: ops.into_iter().map(Into::into).collect(),
        expect: None,
        undo_of: None,
    };
    app.next_change += 1;
    vec![Effect::Apply(change)]
}

fn concerns(op: &IpvsOp, drain: &Drain) -> bool {
    match op {
        IpvsOp::EditDest { service, dest } => {
            service == drain.service() && dest.key() == drain.dest().key()
        }
        IpvsOp::DeleteDest { service, dest } => {
            service == drain.service() && *dest == drain.dest().key()
        }
        _ => false,
    }
}

/// Empty: wait for 0 connections however long it takes. Otherwise seconds, or a number with
/// s, m or h.
pub fn parse_deadline(text: &str) -> Result<Option<Duration>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "s"),
    };
    let scale = match unit.trim() {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if n > 0 && scale > 0 && n <= 7 * 86400 / scale => {
            Ok(Some(Duration::from_secs(n * scale)))
        }
        _ => Err(format!(
            "deadline \"{text}\": must be a whole number of seconds, or with s, m or h (e.g. 90, 10m, 2h), up to 7 days; leave it empty to wait for 0 connections"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines() {
        assert_eq!(parse_deadline(""), Ok(None));
        assert_eq!(parse_deadline(" 90 "), Ok(Some(Duration::from_secs(90))));
        assert_eq!(parse_deadline("10m"), Ok(Some(Duration::from_secs(600))));
        assert_eq!(parse_deadline("2 h"), Ok(Some(Duration::from_secs(7200))));
        assert_eq!(
            parse_deadline("168h"),
            Ok(Some(Duration::from_secs(168 * 3600)))
        );
        for bad in ["0", "-5", "5d", "1.5m", "169h", "m", "99999999999999999999"] {
            let e = parse_deadline(bad).unwrap_err();
            assert!(
                e.starts_with(&format!("deadline \"{}\": must be", bad.trim())),
                "{e}"
            );
        }
    }
}
