//! Moving around: the selection keys in whichever list is on top, the mouse wheel and clicks.
//! The tables keep their selection by identity (see `select`) so that polls do not move it.

use super::action::{Command, Effect};
use super::app::{App, Focus, Nav};
use super::conns;
use super::keymap::Layer;
use super::keys::Key;
use super::palette;
use super::update::command;
use super::view;
use crossterm::event::KeyCode;
use ratatui::layout::{Position, Rect};

/// Rows the mouse wheel moves.
const WHEEL_ROWS: isize = 3;
/// Lines a page of help scrolls (help is drawn in most of the window, at least 24 lines).
const HELP_PAGE: u16 = 15;

/// The wheel over `at`: help, the connections pane, the table under the pointer, or the pane on top.
pub fn scroll(app: &mut App, down: bool, at: Position) -> Vec<Effect> {
    let delta = if down { WHEEL_ROWS } else { -WHEEL_ROWS };
    if app.help.is_some() {
        scroll_help(app, delta);
    } else if app.conns.is_some() {
        conns::scroll(app, delta);
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
    } else {
        return wheel_in_pane(app, down);
    }
    vec![]
}

/// Up, down, page and top/bottom keys in whichever list is on top.
pub fn movement(app: &mut App, c: Command) {
    let page = match (app.help.is_some(), app.focus) {
        (true, _) => HELP_PAGE,
        (false, _) if app.conns.is_some() => app.screen.conns.height,
        (false, Focus::Services) => app.screen.services.height,
        (false, Focus::Servers) => app.screen.servers.height,
    }
    .max(1) as isize;
    let delta = c.rows(page);
    if app.palette.is_some() {
        palette::step(app, delta);
    } else if let Some(view) = &mut app.audit_view {
        // Drawing keeps it within the entries.
        view.selected = (view.selected as isize).saturating_add(delta).max(0) as usize;
    } else if app.help.is_some() {
        scroll_help(app, delta);
    } else if app.conns.is_some() {
        conns::scroll(app, delta);
    } else if app.host_pane.is_some() {
        super::hostpanes::movement(app, c);
    } else if app.doctor.is_some() {
        super::doctor::movement(app, c);
    } else if app.persist.is_some() {
        super::persist::movement(app, c);
    } else {
        move_in(app, app.focus, delta);
    }
}

fn scroll_help(app: &mut App, delta: isize) {
    if let Some(offset) = app.help.as_mut() {
        *offset = (*offset as isize + delta).clamp(0, u16::MAX as isize) as u16;
    }
}

/// Moves the selection of one table by `delta` rows, clamped, keeping it on screen.
fn move_in(app: &mut App, focus: Focus, delta: isize) {
    let (len, area) = match focus {
        Focus::Services => (app.view.len(), app.screen.services),
        Focus::Servers => (app.dest_view.len(), app.screen.servers),
    };
    if len == 0 {
        return;
    }
    let nav = match focus {
        Focus::Services => &mut app.services_nav,
        Focus::Servers => &mut app.servers_nav,
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
            if key != app.selected_service {
                app.selected_service = key;
                app.selected_dest = None;
                app.servers_nav = Nav::default();
                view::rebuild_dests(app);
            }
        }
        Focus::Servers => {
            app.selected_dest = app.current_dest().map(|d| d.config.key());
        }
    }
}

/// Whether the mouse reaches the tables: nothing covers them but the filter or the palette line.
fn tables_reachable(app: &App) -> bool {
    let top = app.layers();
    top == app.base_layers() || top == [Layer::Filter] || top == [Layer::Palette]
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
            Focus::Services => (app.screen.services, app.services_nav, app.view.len()),
            Focus::Servers => (app.screen.servers, app.servers_nav, app.dest_view.len()),
        };
        if area.contains(at) {
            let row = nav.offset + usize::from(at.y - area.y);
            if row < len {
                app.focus = focus;
                let delta = row as isize - nav.selected as isize;
                move_in(app, focus, delta);
            }
        }
    }
}
