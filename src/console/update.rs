//! `update(app, action) -> effects`: every change of the console's state, as a plain function
//! that tests drive without a terminal.

use super::action::{Action, Command, Effect};
use super::app::{App, AuditView, FLASH_ERROR_FOR, FLASH_FOR, Focus, Modal, Nav, Source};
use super::change::READ_ONLY;
use super::drain;
use super::operate;
use super::stack::{Overlay, Page};
use super::view;
use crate::console::keys::navigate;
use crate::console::keys::palette::{self, Run};
use crate::console::panes::conns;
use ratatui::layout::Position;

mod display;

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Command(c) => command(app, c),
        Action::FilterEdit(req) => {
            if app
                .tables
                .filter
                .handle(req)
                .is_some_and(|changed| changed.value)
            {
                filter_changed(app);
            }
            vec![]
        }
        Action::PaletteEdit(req) => {
            palette::edit(app, req);
            vec![]
        }
        Action::ModalEdit(req) => {
            operate::edit(app, req);
            vec![]
        }
        Action::Applied(outcome) => {
            let wizard = super::wizard::outcome_of(&outcome);
            operate::applied(app, *outcome);
            if let Some(ended) = wizard {
                super::wizard::applied(app, ended);
            }
            // What the doctor found may have changed: it looks again.
            if let Some(view) = app.stack.doctor_mut() {
                view.findings = None;
                return vec![Effect::RunDoctor(view.ask.clone())];
            }
            vec![]
        }
        Action::DoctorRead(findings) => {
            crate::console::panes::doctor::read(app, findings);
            vec![]
        }
        Action::PersistPlanned(files) => {
            crate::console::panes::persist::planned(app, files);
            vec![]
        }
        Action::PersistWritten(written) => crate::console::panes::persist::written(app, written),
        Action::HostRead(host) => {
            crate::console::panes::hostpanes::observe(app, *host);
            // kube-proxy's and kube-router's services are known by their VIPs' interfaces.
            super::owners::recompute(app);
            vec![]
        }
        Action::LinksRead(host) => {
            let host = match app.director.host_state.take() {
                Some(last) => crate::host::HostState {
                    links: host.links,
                    ..last
                },
                None => *host,
            };
            crate::console::panes::hostpanes::observe(app, host);
            // kube-proxy's and kube-router's services are known by their VIPs' interfaces.
            super::owners::recompute(app);
            vec![]
        }
        Action::KeepalivedRead { result, at } => {
            let effects = super::owners::read(app, *result, at);
            app.rebuild();
            effects
        }
        Action::KeepalivedFollow(report) => super::follow::report(app, *report),
        Action::AuditRead(tail) => {
            if let Some(view) = app.stack.audit_mut() {
                view.tail = Some(tail);
            }
            vec![]
        }
        Action::Click { column, row } => {
            navigate::click(app, Position::new(column, row));
            vec![]
        }
        Action::Scroll { down, column, row } => {
            navigate::scroll(app, down, Position::new(column, row))
        }
        Action::Snapshot { snapshot, at } => {
            app.now = app.now.max(at);
            // A table whose real servers are not all listed is for the first screen only: it
            // never replaces one that was (a director's agent restarted), and no drain judges it.
            let listed = snapshot.unlisted == 0;
            if !listed && app.director.snapshot.is_some() {
                return vec![];
            }
            // Drains follow every poll, frozen or not: they act on the table, not on the screen.
            let effects = if listed {
                drain::observe(app, &snapshot, at)
            } else {
                vec![]
            };
            if !app.frozen {
                // Frozen polls are not fed either: rates then cover the whole pause, honestly.
                app.director.rates.observe(at, &snapshot);
                app.director.ipvsadm_rank = view::ipvsadm_rank(&snapshot);
                app.director.snapshot = Some(*snapshot);
                app.director.last_ok = Some(at);
                app.director.poll_error = None;
                super::owners::recompute(app);
                app.rebuild();
            }
            effects
        }
        Action::PollFailed { error, at } => {
            app.now = app.now.max(at);
            app.director.poll_error = Some((error, at));
            vec![]
        }
        Action::Tick(now) => {
            app.now = now;
            if app.flash.as_ref().is_some_and(|f| {
                now.duration_since(f.at) >= if f.error { FLASH_ERROR_FOR } else { FLASH_FOR }
            }) {
                app.flash = None;
            }
            let mut effects = conns::tick(app);
            effects.extend(super::owners::tick(app));
            effects.extend(super::fleet::tick_parked(app, &Action::Tick(now)));
            effects
        }
        Action::On(id, action) => super::fleet::on(app, id, *action),
        Action::Resize => vec![],
        Action::ConnsFilterEdit(req) => {
            conns::edit(app, req);
            vec![]
        }
        Action::ConnsRead {
            id,
            result,
            took,
            at,
        } => {
            conns::done(app, id, result, took, at);
            vec![]
        }
    }
}

/// A command, from a key or the palette: where it becomes effects. Changes are refused here,
/// once for all, when the console is read-only (their keys are unbound then, but a user keymap
/// or the palette could still reach one).
pub(super) fn command(app: &mut App, c: Command) -> Vec<Effect> {
    if c.is_change() && app.director.read_only {
        app.flash_error(READ_ONLY);
        return vec![];
    }
    let wizard_on_top = matches!(app.stack.top(), Some(Overlay::Modal(Modal::Wizard(_))));
    if c == Command::Wizard || (wizard_on_top && super::wizard::takes(c)) {
        return super::wizard::command(app, c);
    }
    match c {
        Command::Quit => return vec![Effect::Quit],
        Command::Suspend => return vec![Effect::Suspend],
        Command::Redraw => return vec![Effect::ClearScreen],
        Command::Help => {
            if !app.stack.remove(|o| matches!(o, Overlay::Help { .. })) {
                app.stack.push(Overlay::Help { scroll: 0 });
            }
        }
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::Top
        | Command::Bottom => navigate::movement(app, c),
        Command::Enter => {
            if app.current_service().is_some() {
                app.tables.focus = Focus::Servers;
            }
        }
        Command::Back => match app.tables.focus {
            Focus::Servers => app.tables.focus = Focus::Services,
            Focus::Services if !app.tables.filter.value().is_empty() => {
                app.tables.filter.reset();
                app.rebuild();
                app.flash("filter cleared");
            }
            Focus::Services => {}
        },
        Command::FocusNext => {
            app.tables.focus = match app.tables.focus {
                Focus::Services if app.current_service().is_some() => Focus::Servers,
                _ => Focus::Services,
            }
        }
        Command::Filter => {
            if !app.stack.filtering() {
                app.stack.push(Overlay::Filter);
            }
        }
        Command::FilterDone => {
            app.stack.remove(|o| matches!(o, Overlay::Filter));
        }
        Command::FilterCancel => {
            app.stack.remove(|o| matches!(o, Overlay::Filter));
            if !app.tables.filter.value().is_empty() {
                app.tables.filter.reset();
                app.rebuild();
            }
        }
        Command::SortNext => view::sort_step(app, 1),
        Command::SortPrev => view::sort_step(app, -1),
        Command::SortInvert => {
            let spec = view::sort_spec(app);
            spec.descending = !spec.descending;
            app.rebuild();
        }
        Command::Freeze
        | Command::IntervalDown
        | Command::IntervalUp
        | Command::Exact
        | Command::Rates => return display::command(app, c),
        Command::Palette => palette::open(app),
        Command::PaletteClose => app.stack.close_palette(),
        Command::PaletteComplete => palette::complete(app),
        // The palette runs an entry exactly as its key would, effects included.
        Command::PaletteRun => match palette::take(app) {
            Some(Run::Command(c)) => return command(app, c),
            Some(Run::Sort(column)) => {
                *view::sort_spec(app) = view::SortSpec {
                    column,
                    descending: column.descending_first(),
                };
                app.rebuild();
            }
            Some(Run::Filter(text)) => {
                app.tables.filter = text.into();
                filter_changed(app);
            }
            Some(Run::Complete(_)) | None => {}
        },
        Command::Add
        | Command::Edit
        | Command::Delete
        | Command::Weight
        | Command::WeightUp
        | Command::WeightDown
        | Command::Quiesce
        | Command::ZeroService
        | Command::ZeroAll
        | Command::Flush
        | Command::Timeouts
        | Command::Daemon
        | Command::Undo
        | Command::FormNext
        | Command::FormPrev
        | Command::FormSubmit
        | Command::FormCancel => return operate::command(app, c),
        Command::AuditLog => {
            if app.stack.audit().is_some() {
                return app.stack.close_page();
            } else {
                match app.director.audit_path.clone() {
                    Some(path) => {
                        let mut effects = app.stack.show(Page::Audit(AuditView {
                            tail: None,
                            selected: 0,
                        }));
                        effects.push(Effect::ReadAudit(path));
                        return effects;
                    }
                    None => app
                        .flash("the demo's changes touch nothing on this host and are not audited"),
                }
            }
        }
        Command::Doctor | Command::DoctorFix => {
            return crate::console::panes::doctor::command(app, c);
        }
        // Taken by the wizard above while it is open.
        Command::Wizard | Command::WizardNext | Command::WizardBack => {}
        Command::Persist | Command::PersistWrite => {
            return crate::console::panes::persist::command(app, c);
        }
        Command::Interfaces
        | Command::Sysctls
        | Command::BindVip
        | Command::UnbindVip
        | Command::EditSysctl => {
            return crate::console::panes::hostpanes::command(app, c);
        }
        Command::Drain => return drain::command(app),
        Command::Keepalived | Command::KeepalivedRefresh => {
            return crate::console::panes::keepalived::command(app, c);
        }
        Command::Conns
        | Command::ConnsBack
        | Command::ConnsRefresh
        | Command::ConnsGroup
        | Command::ConnsSort
        | Command::ConnsFilter
        | Command::ConnsFilterDone
        | Command::ConnsFilterCancel
        | Command::ConnsScope
        | Command::ConnsTemplates
        | Command::ConnsInterval => return conns::command(app, c),
        Command::Directors | Command::OpenDirector | Command::MarkDirector | Command::Compare => {
            return crate::console::panes::directors::command(app, c);
        }
        Command::Demo => {
            if app.director.source == Source::Kernel {
                app.director.source = Source::Simulated;
                app.director.snapshot = None;
                app.director.poll_error = None;
                app.director.last_ok = None;
                app.director.rates = Default::default();
                // The simulator has no keepalived: nothing of this host's is shown over it.
                app.director.owners = Default::default();
                app.rebuild();
                app.flash("demo: a simulated IPVS, nothing on this host is read or changed");
                return vec![Effect::StartDemo];
            }
        }
    }
    vec![]
}

/// A new filter shows its first match, as filter-as-you-type lists do.
fn filter_changed(app: &mut App) {
    app.tables.services_nav = Nav::default();
    app.tables.selected_service = None;
    app.rebuild();
}
