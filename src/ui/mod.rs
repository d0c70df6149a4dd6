//! Drawing the console: the layout of the panes (one file each under `panes/`), the help
//! overlay, the command palette, forms and dialogs over the tables, and the "window too small"
//! message. Reads `console::App`;
//! never changes it.

pub mod drain;
pub mod form;
pub mod format;
pub mod help;
pub mod palette;
pub mod panes;
pub mod table;
pub mod theme;
pub mod wizard;

use crate::console::app::{App, Modal, Screen};
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
    if app.offline() && app.director.snapshot.is_none() {
        panes::offline::draw(f, main, app, theme);
    } else {
        let [services, servers, detail] = Layout::vertical([
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(panes::detail::height(area.height)),
        ])
        .spacing(1)
        .areas(main);
        (screen.services, screen.services_offset) = panes::services::draw(f, services, app, theme);
        (screen.servers, screen.servers_offset) = panes::servers::draw(f, servers, app, theme);
        panes::detail::draw(f, detail, app, theme);
    }
    if let (Some(view), Some(path)) = (&app.audit_view, &app.director.audit_path) {
        f.render_widget(Clear, main);
        match &view.tail {
            Some(tail) => {
                screen.audit_selected = panes::audit::draw(
                    f,
                    main,
                    path,
                    tail.as_ref().map_err(|e| &**e),
                    view.selected,
                    theme,
                )
            }
            None => f.render_widget(Paragraph::new(format!("reading {}…", path.display())), main),
        }
    }
    if let Some(pane) = &app.conns {
        f.render_widget(Clear, main);
        (screen.conns, screen.conns_scroll) = panes::conns::draw(f, main, pane, app.now, theme);
    }
    if let Some(pane) = &app.host_pane {
        f.render_widget(Clear, main);
        match pane.kind {
            crate::console::panes::hostpanes::PaneKind::Interfaces => {
                screen.pane_offset = panes::interfaces::draw(f, main, app, theme)
            }
            crate::console::panes::hostpanes::PaneKind::Sysctls => {
                screen.pane_offset = panes::sysctls::draw(f, main, app, theme)
            }
        }
    }
    if app.doctor.is_some() {
        f.render_widget(Clear, main);
        screen.pane_offset = panes::doctor::draw(f, main, app, theme);
    }
    if let Some(view) = &app.persist {
        f.render_widget(Clear, main);
        panes::persist::draw(f, main, view, theme);
    }
    panes::footer::draw(f, footer, app, theme);
    palette::draw(f, footer, app, theme);
    match &app.modal {
        Some(Modal::Form { form, .. }) => form::draw(f, main, form, theme),
        Some(Modal::Confirm(confirm)) => form::draw_confirm(f, main, confirm, theme),
        Some(Modal::Drain(prompt)) => drain::draw(f, main, prompt, theme),
        Some(Modal::Host(form)) => form::host::draw(f, main, form, theme),
        Some(Modal::Wizard(wizard)) => wizard::draw(f, main, wizard, theme),
        None => {}
    }
    help::draw(f, area, app, theme);
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
