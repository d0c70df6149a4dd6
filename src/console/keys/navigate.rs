//! Moving around: the selection keys in whichever list is on top, the mouse wheel and clicks.
//! The tables keep their selection by identity (see `select`) so that polls do not move it.

use crate::console::action::{Command, Effect};
use crate::console::app::{App, Focus, Nav};
use crate::console::keys::Key;
use crate::console::keys::palette;
use crate::console::panes::conns;
use crate::console::stack::{Overlay, Page};
use crate::console::update::command;
use crate::console::view;
use crossterm::event::KeyCode;
use ratatui::layout::{Position, Rect};

/// Rows the mouse wheel moves.
const WHEEL_ROWS: isize = 3;
/// Lines a page of help scrolls (help is drawn in most of the window, at least 24 lines).
const HELP_PAGE: u16 = 15;

/// The wheel over `at`: help, the connections pane, the table under the pointer, or the pane on top.
pub fn scroll(app: &mut App, down: bool, at: Position) -> Vec<Effect> {
    let delta = if down { WHEEL_ROWS } else { -WHEEL_ROWS };
    if matches!(app.stack.top(), Some(Overlay::Help { .. })) {
        scroll_help(app, delta);
    } else if tables_reachable(app) {
        let over_servers = app.screen.servers.contains(at);
        move_in(
            app,
            if over_servers {
                Focus::Servers
            } else {
                Focus::Services
            },
            delta,
        );
    } else if app.stack.top().is_none() && app.stack.conns().is_some() {
        conns::scroll(app, delta);
    } else {
        return wheel_in_pane(app, down);
    }
    vec![]
}

/// Up, down, page and top/bottom keys in whatever is on top: the top overlay, else the page.
pub fn movement(app: &mut App, c: Command) {
    let page = match app.stack.top() {
        Some(Overlay::Help { .. }) => HELP_PAGE,
        _ if app.stack.conns().is_some() => app.screen.conns.height,
        _ => match app.tables.focus {
            Focus::Services => app.screen.services.height,
            Focus::Servers => app.screen.servers.height,
        },
    }
    .max(1) as isize;
    let delta = c.rows(page);
    match app.stack.top() {
        Some(Overlay::Help { .. }) => return scroll_help(app, delta),
        Some(Overlay::Palette(_)) => return palette::step(app, delta),
        // Typing the filter, ↑/↓ move in the table it filters.
        Some(Overlay::Filter) => return move_in(app, app.tables.focus, delta),
        // A dialog moves nothing under it (the wizard takes its own movement keys).
        Some(Overlay::Modal(_)) => return,
        None => {}
    }
    match &mut app.stack.page {
        Page::Tables => move_in(app, app.tables.focus, delta),
        // Drawing keeps it within the entries.
        Page::Audit(view) => {
            view.selected = (view.selected as isize).saturating_add(delta).max(0) as usize
        }
        Page::Conns(_) => conns::scroll(app, delta),
        Page::Host(_) => crate::console::panes::hostpanes::movement(app, c),
        Page::Doctor(_) => crate::console::panes::doctor::movement(app, c),
        Page::Persist(_) => crate::console::panes::persist::movement(app, c),
        Page::Keepalived(_) => crate::console::panes::keepalived::movement(app, c),
        Page::Directors(_) | Page::Compare(_) => crate::console::panes::directors::movement(app, c),
    }
}

fn scroll_help(app: &mut App, delta: isize) {
    if let Some(offset) = app.stack.help_mut() {
        *offset = (*offset as isize + delta).clamp(0, u16::MAX as isize) as u16;
    }
}

/// Moves the selection of one table by `delta` rows, clamped, keeping it on screen.
fn move_in(app: &mut App, focus: Focus, delta: isize) {
    let (len, area) = match focus {
        Focus::Services => (app.tables.view.len(), app.screen.services),
        Focus::Servers => (app.tables.dest_view.len(), app.screen.servers),
    };
    if len == 0 {
        return;
    }
    let nav = match focus {
        Focus::Services => &mut app.tables.services_nav,
        Focus::Servers => &mut app.tables.servers_nav,
    };
    nav.selected = (nav.selected as isize)
        .saturating_add(delta)
        .clamp(0, len as isize - 1) as usize;
    keep_visible(nav, area);
    select(app, focus);
}

fn keep_visible(nav: &mut Nav, area: Rect) {
    // Before the first frame the height is unknown: drawing will scroll as needed.
    if area.height == 0 {
        return;
    }
    let height = usize::from(area.height);
    if nav.selected < nav.offset {
        nav.offset = nav.selected;
    } else if nav.selected >= nav.offset + height {
        nav.offset = nav.selected + 1 - height;
    }
}

/// Records the identity of the new selection; a new service starts its servers from the top.
fn select(app: &mut App, focus: Focus) {
    match focus {
        Focus::Services => {
            let key = app.current_service().map(|s| s.config.key);
            if key != app.tables.selected_service {
                app.tables.selected_service = key;
                app.tables.selected_dest = None;
                app.tables.servers_nav = Nav::default();
                view::rebuild_dests(app);
            }
        }
        Focus::Servers => {
            app.tables.selected_dest = app.current_dest().map(|d| d.config.key());
        }
    }
}

/// Whether the mouse reaches the tables: they are the page, and nothing covers them but the
/// filter or the palette line.
fn tables_reachable(app: &App) -> bool {
    app.stack.tables()
        && app
            .stack
            .overlays
            .iter()
            .all(|o| matches!(o, Overlay::Filter | Overlay::Palette(_)))
}

/// The wheel over a pane that covers the tables moves it as its ↑/↓ keys do; forms and
/// confirmations ignore it (a wheel must not change which field or answer is chosen).
fn wheel_in_pane(app: &mut App, down: bool) -> Vec<Effect> {
    let key = Key::plain(if down { KeyCode::Down } else { KeyCode::Up });
    match app.keymap.lookup(&app.layers(), key) {
        Some(c @ (Command::Up | Command::Down)) => {
            (0..WHEEL_ROWS).flat_map(|_| command(app, c)).collect()
        }
        _ => vec![],
    }
}

/// A click on a table row selects it (and focuses that table).
pub fn click(app: &mut App, at: Position) {
    if !tables_reachable(app) {
        return;
    }
    for focus in [Focus::Services, Focus::Servers] {
        let (area, nav, len) = match focus {
            Focus::Services => (
                app.screen.services,
                app.tables.services_nav,
                app.tables.view.len(),
            ),
            Focus::Servers => (
                app.screen.servers,
                app.tables.servers_nav,
                app.tables.dest_view.len(),
            ),
        };
        if area.contains(at) {
            let row = nav.offset + usize::from(at.y - area.y);
            if row < len {
                app.tables.focus = focus;
                let delta = row as isize - nav.selected as isize;
                move_in(app, focus, delta);
            }
        }
    }
}
