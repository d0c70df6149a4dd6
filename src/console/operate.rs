//! The change keys: forms, confirmations, weight steps, zeroing, undo, and what a change's outcome
//! does to the console (`outcome`). Every change leaves as `Effect::Apply` and comes back as
//! `Action::Applied`.

use super::action::{Command, Effect};
use super::app::{App, Focus, Modal};
use super::change::{Change, Origin};
use super::drain;
use super::form::{Confirm, Form, Seen};
use crate::console::stale::Expected;
use crate::ipvs::IpvsOp;
use crate::ipvs::model::{DestConfig, MAX_WEIGHT, ServiceConfig};
use crate::operation::Operation;
use tui_input::InputRequest;

mod outcome;

pub use outcome::applied;

pub fn command(app: &mut App, c: Command) -> Vec<Effect> {
    match c {
        Command::Add => match app.tables.focus {
            Focus::Services => open_form(app, Form::add_service()),
            Focus::Servers => match service(app) {
                Some(svc) => open_form(app, Form::add_dest(&svc)),
                None => app.flash_error("no service selected to add a real server to"),
            },
        },
        Command::Edit => match (app.tables.focus, service(app), dest(app)) {
            (Focus::Services, Some(svc), _) => open_form(app, Form::edit_service(&svc)),
            (Focus::Servers, Some(svc), Some(d)) => open_form(app, Form::edit_dest(&svc, &d)),
            _ => app.flash_error("nothing selected to edit"),
        },
        Command::Delete => match (app.tables.focus, service(app), dest(app)) {
            (Focus::Services, Some(svc), _) => {
                let n = app.current_service().map_or(0, |s| s.dests.len());
                let title = format!(
                    "Delete the service {} and its {n} real server{}?",
                    svc.key,
                    if n == 1 { "" } else { "s" }
                );
                app.stack.set_modal(Modal::Confirm(Confirm::new(
                    title,
                    vec![IpvsOp::DeleteService(svc.key)],
                    None,
                )));
            }
            (Focus::Servers, Some(svc), Some(d)) => {
                let title = format!(
                    "Delete the real server {} of {}?",
                    crate::ipvs::model::AddrPort(d.addr, d.port),
                    svc.key
                );
                let op = IpvsOp::DeleteDest {
                    service: svc.key,
                    dest: d.key(),
                };
                app.stack
                    .set_modal(Modal::Confirm(Confirm::new(title, vec![op], None)));
            }
            _ => app.flash_error("nothing selected to delete"),
        },
        Command::Weight => match (service(app), dest(app)) {
            (Some(svc), Some(d)) if app.tables.focus == Focus::Servers => {
                open_form(app, Form::weight(&svc, &d))
            }
            _ => app.flash_error(select_a_real_server(app)),
        },
        Command::WeightUp => return set_weight(app, |w| w.saturating_add(1).min(MAX_WEIGHT)),
        Command::WeightDown => return set_weight(app, |w| w.saturating_sub(1)),
        Command::Quiesce => return set_weight(app, |_| 0),
        Command::ZeroService => match service(app) {
            Some(svc) => {
                return submit(
                    app,
                    Origin::Key,
                    vec![IpvsOp::Zero(Some(svc.key)).into()],
                    None,
                    None,
                );
            }
            None => app.flash_error("no service selected to zero"),
        },
        Command::ZeroAll => {
            app.stack.set_modal(Modal::Confirm(Confirm::new(
                "Zero the counters of every service?",
                vec![IpvsOp::Zero(None)],
                None,
            )));
        }
        Command::Flush => {
            let title = "Delete EVERY service and real server? Type flush to confirm.";
            app.stack.set_modal(Modal::Confirm(Confirm::new(
                title,
                vec![IpvsOp::Flush],
                Some("flush"),
            )));
        }
        Command::Timeouts => match app.director.snapshot.as_ref().map(|s| s.timeouts) {
            Some(t) => open_form(app, Form::timeouts(&t)),
            None => app.flash_error("IPVS has not been read yet"),
        },
        Command::Daemon => match app.director.snapshot.as_ref().map(|s| s.daemons.clone()) {
            Some(daemons) => open_form(app, Form::daemon(&daemons)),
            None => app.flash_error("IPVS has not been read yet"),
        },
        Command::Undo => match app.director.undo.last().cloned() {
            Some(step) if app.director.in_flight.is_none() => {
                app.director.undo.pop();
                if let Some((service, dest)) = step.drain {
                    drain::cancel_quietly(app, &service, dest);
                }
                app.flash(format!("undoing: {}", step.commands));
                return submit(app, Origin::Undo, step.ops, None, Some(step.commands));
            }
            Some(_) => app.flash_error(busy(app)),
            None => app.flash("nothing to undo: no change was made in this console"),
        },
        Command::FormNext => match app.stack.modal_mut() {
            Some(Modal::Form { form, .. }) => form.next_field(),
            Some(Modal::Host(form)) => form.next_field(),
            _ => {}
        },
        Command::FormPrev => match app.stack.modal_mut() {
            Some(Modal::Form { form, .. }) => form.prev_field(),
            Some(Modal::Host(form)) => form.prev_field(),
            _ => {}
        },
        Command::FormSubmit => return form_submit(app),
        Command::FormCancel => {
            app.stack.close_modal();
            super::guard::forget(app);
            app.flash("cancelled: nothing was changed");
        }
        _ => {}
    }
    vec![]
}

/// Text typed into the open form or confirmation.
pub fn edit(app: &mut App, req: InputRequest) {
    match app.stack.modal_mut() {
        Some(Modal::Form { form, .. }) => form.edit(req),
        Some(Modal::Confirm(confirm)) => confirm.edit(req),
        Some(Modal::Drain(prompt)) => prompt.edit(req),
        Some(Modal::Host(form)) => form.edit(req),
        Some(Modal::Wizard(_)) => super::wizard::edit(app, req),
        None => {}
    }
}

/// An edit form carries what it opened on, for the stale-edit check before applying.
fn open_form(app: &mut App, form: Form) {
    let expect = form.expected();
    app.stack.set_modal(Modal::Form { form, expect });
}

fn form_submit(app: &mut App) -> Vec<Effect> {
    if app.director.in_flight.is_some() {
        app.flash_error(busy(app));
        return vec![];
    }
    match app.stack.take_modal() {
        Some(Modal::Form { mut form, expect }) => {
            let ops = form.submit(app.director.snapshot.as_ref());
            app.stack.set_modal(Modal::Form {
                form,
                expect: expect.clone(),
            });
            match ops {
                Some(ops) => submit(
                    app,
                    Origin::Form,
                    ops.into_iter().map(Into::into).collect(),
                    expect,
                    None,
                ),
                None => vec![],
            }
        }
        Some(Modal::Confirm(confirm)) => {
            if !confirm.ready() {
                app.stack.set_modal(Modal::Confirm(confirm));
                return vec![];
            }
            submit(app, Origin::Key, confirm.ops, confirm.expect, None)
        }
        Some(Modal::Drain(prompt)) => drain::start(app, prompt),
        Some(wizard @ Modal::Wizard(_)) => {
            app.stack.set_modal(wizard);
            vec![]
        }
        Some(Modal::Host(mut form)) => {
            let op = form.submit_with(&Seen::default());
            app.stack.set_modal(Modal::Host(form));
            match op {
                Some(op) => submit(app, Origin::Form, vec![op.into()], None, None),
                None => vec![],
            }
        }
        None => vec![],
    }
}

/// Sends a change to the backend; one at a time, so that each starts from what the last one left.
pub(super) fn submit(
    app: &mut App,
    origin: Origin,
    ops: Vec<Operation>,
    expect: Option<Expected>,
    undo_of: Option<String>,
) -> Vec<Effect> {
    if app.director.in_flight.is_some() {
        app.flash_error(busy(app));
        return vec![];
    }
    // The operator's own changes to an owned object ask first (an undo puts back what was).
    if matches!(origin, Origin::Form | Origin::Key)
        && super::guard::stops(app, &ops, expect.as_ref())
    {
        return vec![];
    }
    let change = Change {
        id: app.director.next_change,
        origin,
        ops,
        expect,
        undo_of,
    };
    app.director.next_change += 1;
    if origin != Origin::Undo {
        app.flash(format!("applying: {}", commands(&change.ops)));
    }
    app.director.in_flight = Some(change.clone());
    vec![Effect::Apply(change)]
}

fn set_weight(app: &mut App, step: impl Fn(u32) -> u32) -> Vec<Effect> {
    let (Some(svc), Some(d)) = (service(app), dest(app)) else {
        app.flash_error(select_a_real_server(app));
        return vec![];
    };
    if app.tables.focus != Focus::Servers {
        app.flash_error(select_a_real_server(app));
        return vec![];
    }
    let weight = step(d.weight);
    if weight == d.weight {
        app.flash(format!("weight stays {weight}"));
        return vec![];
    }
    let op = IpvsOp::EditDest {
        service: svc.key,
        dest: DestConfig { weight, ..d },
    };
    submit(
        app,
        Origin::Key,
        vec![op.into()],
        Some(Expected::Dest {
            service: svc.key,
            dest: d,
        }),
        None,
    )
}

fn service(app: &App) -> Option<ServiceConfig> {
    app.current_service().map(|s| s.config.clone())
}

fn dest(app: &App) -> Option<DestConfig> {
    app.current_dest().map(|d| d.config)
}

/// The commands of a change, as ipvsadm would be told them (the first two of a long one).
fn commands(ops: &[Operation]) -> String {
    let all: Vec<String> = ops.iter().map(Operation::to_command).collect();
    match all.len() {
        0..=3 => all.join("; "),
        n => format!("{}; … ({n} commands)", all[..2].join("; ")),
    }
}

fn busy(app: &App) -> String {
    let what = app
        .director
        .in_flight
        .as_ref()
        .map(|c| commands(&c.ops))
        .unwrap_or_default();
    format!("one change at a time: still applying {what}")
}

fn select_a_real_server(app: &App) -> String {
    let key = app
        .keymap
        .key_for(&app.base_layers(), Command::Enter)
        .map(|k| format!(" ({k} shows them)"))
        .unwrap_or_default();
    format!("select a real server first{key}")
}
