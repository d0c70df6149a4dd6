//! What a change's outcome does to the console: the form or dialog that asked for it closes or
//! says why not, the undo stack grows, and the operator reads what happened where they look.

use super::commands;
use crate::console::action::Command;
use crate::console::app::{App, Modal, UndoStep};
use crate::console::change::{ChangeOutcome, Failure, Origin};
use crate::console::drain;
use crate::operation;

/// A change came back: close what asked for it, or show why it failed where the operator looks.
pub fn applied(app: &mut App, outcome: ChangeOutcome) {
    if app
        .director
        .in_flight
        .as_ref()
        .is_some_and(|c| c.id == outcome.change.id)
    {
        app.director.in_flight = None;
    }
    let change = &outcome.change;
    if change.origin == Origin::Drain {
        drain::applied(app, &outcome);
        audit_problem(app, &outcome);
        return;
    }
    let commands = commands(&change.ops);
    let from_open_form = change.origin == Origin::Form
        && matches!(app.stack.modal(), Some(Modal::Form { .. } | Modal::Host(_)));
    match &outcome.result {
        Ok(()) => {
            let undo = outcome
                .before
                .as_ref()
                .and_then(|before| operation::undo_steps(before, &change.ops));
            if from_open_form {
                app.stack.close_modal();
            }
            match (change.origin, undo) {
                (Origin::Undo, _) => app.flash(format!(
                    "undone: {}",
                    change.undo_of.as_deref().unwrap_or(&commands)
                )),
                (_, Some(ops)) => {
                    app.director.undo.push(UndoStep {
                        commands: commands.clone(),
                        ops,
                        drain: None,
                    });
                    let key = app
                        .keymap
                        .key_for(&app.base_layers(), Command::Undo)
                        .map(|k| format!("; {k} undoes it"))
                        .unwrap_or_default();
                    app.flash(format!("applied: {commands}{key}"));
                }
                (_, None) => app.flash(format!("applied: {commands}")),
            }
        }
        Err(failure) => {
            let message = failure.message(&change.ops);
            if change.origin == Origin::Undo {
                // Still undoable: keep it for another try.
                app.director.undo.push(UndoStep {
                    commands: change.undo_of.clone().unwrap_or_default(),
                    ops: change.ops.clone(),
                    drain: None,
                });
            }
            match (app.stack.modal_mut(), failure) {
                (Some(Modal::Form { form, expect }), Failure::Stale(stale)) if from_open_form => {
                    let mut text = stale.message.clone();
                    if let Some(current) = &stale.current {
                        // Seen now: a second Enter applies the form over the new values.
                        *expect = Some(current.clone());
                        text.push_str(". Enter applies your values over it; Esc cancels");
                    }
                    form.set_error(text);
                }
                (Some(Modal::Form { form, .. }), _) if from_open_form => form.set_error(message),
                (Some(Modal::Host(form)), _) if from_open_form => form.set_error(message),
                // Page 3 of the wizard says it (see `wizard::applied`).
                (Some(Modal::Wizard(_)), _) if change.origin == Origin::Wizard => {}
                // The link dropped with the change in flight: neither done nor undone. The
                // poller reads the table again as soon as the director answers.
                _ if unknown(failure) => app.flash_error(format!(
                    "{message}; the table is read again as soon as the director answers"
                )),
                _ => app.flash_error(format!("not applied: {message}")),
            }
        }
    }
    audit_problem(app, &outcome);
}

/// Whether a change's fate is unknown: the director's link dropped while it was in flight.
fn unknown(failure: &Failure) -> bool {
    matches!(
        failure,
        Failure::Failed(f) if matches!(
            f.error,
            crate::operation::OperationError::Ipvs(crate::ipvs::Error::Unknown(_))
        )
    )
}

/// The change stands even when the audit log could not be written; the operator must know.
fn audit_problem(app: &mut App, outcome: &ChangeOutcome) {
    if let Some(problem) = &outcome.audit_problem {
        app.flash_error(format!("audit log {problem}"));
    }
}
