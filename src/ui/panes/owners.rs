//! What the header says of the director's owners: its VRRP role per instance (a role that just
//! changed stands out), and how fresh keepalived's state is, or why the last read failed.

use crate::console::app::App;
use crate::console::owners::recently_changed;
use crate::owners::keepalived::VrrpState;
use crate::ui::format;
use crate::ui::theme::Theme;
use jiff::Timestamp;
use ratatui::text::{Line, Span};

/// `05:36:25 UTC` on the day keepalived was read, else with the date.
pub fn since(t: Timestamp, read_at: Timestamp) -> String {
    let day = |t: Timestamp| t.as_second().div_euclid(86_400);
    if day(t) == day(read_at) {
        t.strftime("%H:%M:%S UTC").to_string()
    } else {
        t.strftime("%Y-%m-%d %H:%M UTC").to_string()
    }
}

/// How fresh keepalived's state is: `keepalived read 3s ago`, or, after a failed read, the
/// age of what is shown and the reason.
pub fn freshness(app: &App) -> Option<(String, bool)> {
    let k = &app.director.owners;
    let age = |t| format::age(app.now.saturating_duration_since(t));
    match (&k.keepalived, &k.error) {
        (Some((_, read)), Some((e, failed))) => Some((
            format!(
                "keepalived STALE, read {} ago; failed {} ago: {e}",
                age(*read),
                age(*failed)
            ),
            true,
        )),
        (Some((_, read)), None) => {
            // Events come at once from the FIFOs; the dump only refreshes weights and drift.
            let live = if k.following.fifos().is_some() {
                ", its notify FIFOs followed"
            } else {
                ""
            };
            Some((format!("keepalived read {} ago{live}", age(*read)), false))
        }
        (None, Some((e, failed))) if !k.absent() => Some((
            format!("keepalived cannot be read ({} ago): {e}", age(*failed)),
            true,
        )),
        _ => None,
    }
}

/// The header's owners line, when keepalived runs here or has been read.
pub fn header_line(app: &App, theme: &Theme) -> Option<Line<'static>> {
    let (fresh, bad) = freshness(app)?;
    let k = &app.director.owners;
    let read_at = k.keepalived.as_ref().map(|(s, _)| s.read_at);
    let mut spans = vec![Span::raw(" ")];
    if !k.view.vrrp.is_empty() {
        spans.push(Span::raw("VRRP "));
    }
    for vi in &k.view.vrrp {
        let mut text = format!("{} {}", vi.name, vi.state);
        if let (Some(t), Some(read)) = (vi.last_transition, read_at) {
            text.push_str(&format!(" since {}", since(t, read)));
        }
        let style = if recently_changed(app, &vi.name) {
            theme.badge
        } else if vi.state == VrrpState::Fault {
            theme.warning
        } else {
            theme.title
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(" · "));
    }
    spans.push(Span::styled(
        fresh,
        if bad { theme.warning } else { theme.dim },
    ));
    Some(Line::from(spans))
}
