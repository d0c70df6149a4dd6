//! What the main area says when IPVS cannot be read: why, what to do, and the demo offer.

use crate::console::action::Command;
use crate::console::app::App;
use crate::ipvs::Error;
use crate::ipvs::kernel::RECONNECT_EVERY;
use crate::ui::format;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some((error, _)) = &app.director.poll_error else {
        return;
    };
    let mut lines = vec![
        Line::styled(" IPVS cannot be read on this host ", theme.warning),
        Line::default(),
        Line::from(error.to_string()),
        Line::default(),
    ];
    // An unavailable IPVS is already explained with what to do (modprobe, CONFIG_IP_VS).
    if let Error::Permission = error {
        lines.push(Line::from(vec![
            Span::styled("What to do: ", theme.title),
            Span::raw("run it as root (sudo ipvs-tui), or give the binary CAP_NET_ADMIN: sudo setcap cap_net_admin+ep \"$(command -v ipvs-tui)\"."),
        ]));
    }
    let every = if let Error::Unavailable(_) = error {
        RECONNECT_EVERY
    } else {
        app.interval
    };
    lines.push(Line::styled(
        format!("The console tries again every {}.", format::interval(every)),
        theme.dim,
    ));
    if let Some(key) = app.keymap.key_for(&app.layers(), Command::Demo) {
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::raw("Or press "),
            Span::styled(format!(" {key} "), theme.hint_key),
            Span::raw(" for the demo: the same console on a simulated IPVS (also "),
            Span::styled("ipvs-tui --demo", theme.title),
            Span::raw(")."),
        ]));
    }
    let inner = Rect {
        x: area.x + 2,
        y: area.y + 1,
        width: area.width.saturating_sub(4),
        height: area.height.saturating_sub(1),
    };
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
