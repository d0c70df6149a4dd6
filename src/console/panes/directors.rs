//! The directors page (`V`): one row per director of the console, Enter takes the console to
//! one, space marks one and `c` compares the marked one's rules with the selected one's. What
//! the rows, alarms and sync health say is computed by `crate::directors` from each director's
//! last table, host and keepalived state (see `seen`).

use crate::console::action::{Command, Effect};
use crate::console::app::{App, Nav};
use crate::console::fleet;
use crate::console::stack::Page;
use crate::directors::Seen;
use crate::directors::alarms::{Alarm, alarms};
use crate::directors::sync::{PairSync, health};

/// The page while open: the selected row and the director marked for a comparison (by id).
#[derive(Debug, Clone, Default)]
pub struct DirectorsView {
    pub nav: Nav,
    pub mark: Option<usize>,
}

/// Two directors compared (by id), and how far the text is scrolled; the page it came from.
#[derive(Debug, Clone)]
pub struct CompareView {
    pub a: usize,
    pub b: usize,
    pub scroll: u16,
    pub from: DirectorsView,
}

/// Lines a page key scrolls in the comparison.
const PAGE: isize = 10;

/// Each director as the functions of `crate::directors` see it, by id.
pub fn seen(app: &App) -> Vec<Seen<'_>> {
    app.directors()
        .into_iter()
        .map(|d| Seen {
            name: &d.host,
            table: d.listed(),
            host: d.host_state.as_ref(),
            vrrp: d
                .owners
                .keepalived
                .as_ref()
                .and_then(|(k, _)| k.vrrp.as_ref())
                .map_or(&[][..], |v| &v.instances[..]),
        })
        .collect()
}

/// The alarms across the console's directors (none with one director).
pub fn console_alarms(app: &App) -> Vec<Alarm> {
    if !app.is_fleet() {
        return vec![];
    }
    alarms(&seen(app))
}

/// Sync health of every master/backup pair among the console's directors.
pub fn console_sync(app: &App) -> Vec<PairSync> {
    if !app.is_fleet() {
        return vec![];
    }
    health(&seen(app))
}

pub fn command(app: &mut App, c: Command) -> Vec<Effect> {
    match (c, &app.stack.page) {
        (Command::Directors, Page::Directors(_)) => app.stack.close_page(),
        (Command::Directors, _) => {
            let selected = app
                .directors()
                .iter()
                .position(|d| d.id == app.director.id)
                .unwrap_or(0);
            app.stack.overlays.clear();
            app.stack.show(Page::Directors(DirectorsView {
                nav: Nav {
                    selected,
                    offset: 0,
                },
                mark: None,
            }))
        }
        (Command::OpenDirector, Page::Directors(view)) => {
            match app.directors().get(view.nav.selected).map(|d| d.id) {
                Some(id) => fleet::switch(app, id),
                None => vec![],
            }
        }
        (Command::MarkDirector, Page::Directors(view)) => {
            let id = app.directors().get(view.nav.selected).map(|d| d.id);
            if let Page::Directors(view) = &mut app.stack.page {
                view.mark = if view.mark == id { None } else { id };
            }
            vec![]
        }
        (Command::Compare, Page::Compare(view)) => {
            let from = view.from.clone();
            app.stack.show(Page::Directors(from))
        }
        (Command::Compare, Page::Directors(view)) => {
            let view = view.clone();
            let ids: Vec<usize> = app.directors().iter().map(|d| d.id).collect();
            let Some(&selected) = ids.get(view.nav.selected) else {
                return vec![];
            };
            // The marked one first; of two directors, in their order.
            let (a, b) = match view.mark {
                Some(a) if a != selected => (a, selected),
                None if ids.len() == 2 => (ids[0], ids[1]),
                _ => {
                    app.flash_error(
                        "mark a director with space, then select another and press c again",
                    );
                    return vec![];
                }
            };
            app.stack.show(Page::Compare(CompareView {
                a,
                b,
                scroll: 0,
                from: view,
            }))
        }
        _ => vec![],
    }
}

pub fn movement(app: &mut App, c: Command) {
    let n = app.directors().len();
    match &mut app.stack.page {
        Page::Directors(view) => view.nav.step(c.rows(PAGE), n),
        Page::Compare(view) => {
            view.scroll = (view.scroll as isize + c.rows(PAGE)).clamp(0, u16::MAX as isize) as u16
        }
        _ => {}
    }
}
