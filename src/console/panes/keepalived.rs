//! The keepalived page (`K`): keepalived's VRRP instances, virtual and real servers with their
//! checker state, and the drift from the kernel's table, scrolled as one text; `r` asks
//! keepalived again at once (unless a request is in flight).

use crate::console::action::{Command, Effect};
use crate::console::app::App;
use crate::console::owners;
use crate::console::stack::Page;

/// The page while open: how far it is scrolled.
#[derive(Debug, Clone, Default)]
pub struct KeepalivedPage {
    pub scroll: u16,
}

/// Rows a page key scrolls.
const PAGE: isize = 10;

pub fn command(app: &mut App, c: Command) -> Vec<Effect> {
    match c {
        Command::Keepalived if matches!(app.stack.page, Page::Keepalived(_)) => {
            app.stack.close_page()
        }
        Command::Keepalived => {
            let mut effects = app.stack.show(Page::Keepalived(KeepalivedPage::default()));
            // Opening it shows what was read; a read older than the cadence is renewed.
            effects.extend(owners::tick(app));
            effects
        }
        Command::KeepalivedRefresh => {
            if !app.director.owners.enabled {
                app.flash_error(off_reason(app));
                return vec![];
            }
            if app.director.owners.asking.is_some() {
                app.flash("keepalived is being read: one request at a time");
                return vec![];
            }
            app.flash("asking keepalived for its state…");
            owners::ask(app)
        }
        _ => vec![],
    }
}

/// Why keepalived is not read in this console.
pub fn off_reason(app: &App) -> &'static str {
    use crate::console::app::Source;
    if matches!(app.director.source, Source::Kernel | Source::Remote) {
        "reading keepalived is off (keepalived = false in config.toml)"
    } else {
        "keepalived is read only on real directors, as root (not in the demo or read-only)"
    }
}

pub fn movement(app: &mut App, c: Command) {
    if let Page::Keepalived(page) = &mut app.stack.page {
        page.scroll = (page.scroll as isize + c.rows(PAGE)).clamp(0, u16::MAX as isize) as u16;
    }
}
