//! The guided drain of a real server (`D`): the deadline prompt, the drains in progress fed with
//! every poll, and the changes they ask for. The state machine itself is `machine`.

pub mod machine;
pub mod prompt;

use crate::console::action::Effect;
use crate::console::app::{App, Focus, Modal, UndoStep};
use crate::console::change::{Change, ChangeOutcome, Origin};
use crate::console::drain::machine::{Drain, DrainPhase};
use crate::console::form::Seen;
use crate::ipvs::IpvsOp;
use crate::ipvs::model::{DestKey, ServiceKey, Snapshot};
use crate::operation::Operation;
pub use prompt::DrainPrompt;
use std::time::Instant;

/// `D`: cancels the drain of the selected real server, or asks for the deadline of a new one.
pub fn command(app: &mut App) -> Vec<Effect> {
    let (Some(svc), Some(dest)) = (
        app.current_service().map(|s| s.config.key),
        app.current_dest().map(|d| d.config),
    ) else {
        app.flash_error("select a real server first");
        return vec![];
    };
    if app.tables.focus != Focus::Servers {
        app.flash_error("select a real server first");
        return vec![];
    }
    if let Some(drain) = app
        .director
        .drains
        .iter_mut()
        .find(|d| d.is_active() && *d.service() == svc && d.dest().key() == dest.key())
    {
        let ops = drain.cancel();
        let text = drain.status().description;
        app.flash(text);
        return submit(app, ops);
    }
    app.stack
        .set_modal(Modal::Drain(DrainPrompt::deadline(svc, dest)));
    vec![]
}

/// Enter in the prompt: the drain starts (weight 0 now), or the prompt says what is wrong.
pub fn start(app: &mut App, mut prompt: DrainPrompt) -> Vec<Effect> {
    let Some(deadline) = prompt.submit_with(&Seen::default()) else {
        app.stack.set_modal(Modal::Drain(prompt));
        return vec![];
    };
    let what = prompt.validator();
    let (drain, ops) = Drain::start(what.service, &what.dest, deadline, app.now);
    // A drain of an owned real server asks first, as any change does (see `guard`).
    let change: Vec<Operation> = ops.iter().cloned().map(Into::into).collect();
    app.stack.set_modal(Modal::Drain(prompt));
    if crate::console::guard::stops(app, &change, None) {
        return vec![];
    }
    app.stack.close_modal();
    app.flash(drain.status().description);
    app.director.drains.push(drain);
    submit(app, ops)
}

/// Each poll moves the drains on; a drain that is done asks for the removal.
pub fn observe(app: &mut App, table: &Snapshot, at: Instant) -> Vec<Effect> {
    let mut ops = Vec::new();
    let mut stopped = Vec::new();
    for drain in app.director.drains.iter_mut().filter(|d| d.is_active()) {
        ops.extend(drain.observe(table, at));
        if let DrainPhase::Stopped(_) = drain.status().phase {
            stopped.push(drain.status().description);
        }
    }
    app.director
        .drains
        .retain(|d| !matches!(d.status().phase, DrainPhase::Stopped(_)));
    if !stopped.is_empty() {
        app.flash_error(stopped.join("\n"));
    }
    submit(app, ops)
}

/// The outcome of a drain's change: done, or stopped with the reason. A drain is one change for
/// undo: while it runs, `u` cancels it; once the real server is removed, `u` adds it back.
pub fn applied(app: &mut App, outcome: &ChangeOutcome) {
    let op = &outcome.change.ops;
    let Some(drain) = app.director.drains.iter_mut().find(|d| {
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
                app.director.drains.retain(|d| d.is_active());
                app.director.undo.retain(|step| step.drain != id);
            }
            if active && original.weight != 0 {
                let restore = IpvsOp::EditDest {
                    service,
                    dest: original,
                };
                app.director.undo.push(UndoStep {
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
                app.director.undo.push(UndoStep {
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
            app.director.drains.retain(|d| d.is_active());
            app.flash_error(text);
        }
    }
}

/// Undo of a drain's start: the drain ends without a word (the undo says what it does).
pub fn cancel_quietly(app: &mut App, service: &ServiceKey, dest: DestKey) {
    for drain in app
        .director
        .drains
        .iter_mut()
        .filter(|d| d.is_active() && d.service() == service && d.dest().key() == dest)
    {
        drain.cancel();
    }
    app.director.drains.retain(|d| d.is_active());
}

/// Drains' changes go out at once, beside any other change in flight: they carry no stale
/// check and the backend applies changes one at a time anyway.
fn submit(app: &mut App, ops: Vec<IpvsOp>) -> Vec<Effect> {
    if ops.is_empty() {
        return vec![];
    }
    let change = Change {
        id: app.director.next_change,
        origin: Origin::Drain,
        ops: ops.into_iter().map(Into::into).collect(),
        expect: None,
        undo_of: None,
    };
    app.director.next_change += 1;
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
