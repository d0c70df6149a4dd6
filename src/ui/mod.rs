//! Drawing the console: the layout of the panes (one file each under `panes/`), the help
//! overlay, the command palette, forms and dialogs over the tables, and the "window too small"
//! message. Reads `console::App` and never changes it; what is drawn, and in which order, comes
//! from its page and overlay stack (`console::stack`).

pub mod form;
pub mod format;
pub mod help;
pub mod palette;
pub mod panes;
pub mod table;
pub mod theme;
pub mod wizard;

use crate::console::app::{App, Modal, Screen};
use crate::console::panes::hostpanes::PaneKind;
use crate::console::stack::{Overlay, Page};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use theme::Theme;

/// The smallest window the console lays out in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Draws one frame; returns where the tables landed and which rows they show.
pub fn draw(f: &mut Frame, app: &App, theme: &Theme) -> Screen {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(f, area, theme);
        return Screen::default();
    }
    let [header, main, footer] = Layout::vertical([
        Constraint::Length(panes::header::height(app, area.width)),
        Constraint::Fill(1),
        Constraint::Length(panes::footer::height(app, area.width)),
    ])
    .areas(area);
    panes::header::draw(f, header, app, theme);
    let mut screen = Screen::default();
    // Bottom-up: the page, the footer, then each overlay in the order it was opened.
    match &app.stack.page {
        Page::Tables if app.offline() && app.director.snapshot.is_none() => {
            panes::offline::draw(f, main, app, theme)
        }
        Page::Tables => {
            let [services, servers, detail] = Layout::vertical([
                Constraint::Fill(3),
                Constraint::Fill(2),
                Constraint::Length(panes::detail::height(area.height)),
            ])
            .spacing(1)
            .areas(main);
            (screen.services, screen.services_offset) =
                panes::services::draw(f, services, app, theme);
            (screen.servers, screen.servers_offset) = panes::servers::draw(f, servers, app, theme);
            panes::detail::draw(f, detail, app, theme);
        }
        Page::Audit(view) => match (&view.tail, &app.director.audit_path) {
            (Some(tail), Some(path)) => {
                screen.audit_selected = panes::audit::draw(
                    f,
                    main,
                    path,
                    tail.as_ref().map_err(|e| &**e),
                    view.selected,
                    theme,
                )
            }
            (None, Some(path)) => {
                f.render_widget(Paragraph::new(format!("reading {}…", path.display())), main)
            }
            (_, None) => {}
        },
        Page::Conns(pane) => {
            (screen.conns, screen.conns_scroll) = panes::conns::draw(f, main, pane, app.now, theme)
        }
        Page::Host(pane) => {
            screen.pane_offset = match pane.kind {
                PaneKind::Interfaces => panes::interfaces::draw(f, main, app, theme),
                PaneKind::Sysctls => panes::sysctls::draw(f, main, app, theme),
            }
        }
        Page::Doctor(_) => screen.pane_offset = panes::doctor::draw(f, main, app, theme),
        Page::Persist(view) => panes::persist::draw(f, main, view, theme),
        Page::Keepalived(_) => panes::keepalived::draw(f, main, app, theme),
        Page::Directors(_) => screen.pane_offset = panes::directors::draw(f, main, app, theme),
        Page::Compare(_) => panes::directors::draw_compare(f, main, app, theme),
    }
    panes::footer::draw(f, footer, app, theme);
    for overlay in &app.stack.overlays {
        match overlay {
            Overlay::Help { scroll } => help::draw(f, area, app, *scroll, theme),
            Overlay::Palette(p) => palette::draw(f, footer, p, &app.palette_entries(), theme),
            Overlay::Filter => panes::footer::draw_filter(f, footer, &app.tables.filter, theme),
            Overlay::Modal(Modal::Form { form, .. }) => form::draw(f, main, form, theme),
            Overlay::Modal(Modal::Confirm(confirm)) => form::draw_confirm(f, main, confirm, theme),
            Overlay::Modal(Modal::Drain(prompt)) => form::draw(f, main, prompt, theme),
            Overlay::Modal(Modal::Host(form)) => form::draw(f, main, form, theme),
            Overlay::Modal(Modal::Wizard(wizard)) => wizard::draw(f, main, wizard, theme),
        }
    }
    screen
}

fn too_small(f: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::styled("Window too small", theme.warning),
        Line::from(format!(
            "{}x{} here; ipvs-tui needs at least {MIN_WIDTH}x{MIN_HEIGHT}.",
            area.width, area.height
        )),
        Line::from("Enlarge the window, or press q to quit."),
    ];
    f.render_widget(Clear, area);
    let y = area.height.saturating_sub(3) / 2;
    f.render_widget(
        Paragraph::new(text).centered().wrap(Wrap { trim: true }),
        Rect {
            y,
            height: area.height - y,
            ..area
        },
    );
}
