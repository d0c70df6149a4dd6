//! The directors page (`V`): two lines per director (name, target, reachability, VRRP role,
//! sync daemon, poll age; then counts, connections and rates), the alarms across directors and
//! the sync health of each master/backup pair. And the comparison of two directors' rules.

use crate::console::app::{App, Source};
use crate::console::director::Director;
use crate::console::panes::directors::{console_alarms, console_sync};
use crate::console::stack::Page;
use crate::directors::compare::compare;
use crate::directors::sync::percent;
use crate::ipvs::label::service_conns;
use crate::ui::format;
use crate::ui::table;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Services of a pair listed under its sync health, busiest first.
const SYNC_SERVICES: usize = 5;

/// Draws the page; returns the first director row shown (kept so the selection is visible).
pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) -> usize {
    let Page::Directors(view) = &app.stack.page else {
        return 0;
    };
    let directors = app.directors();
    table::pane_title(
        f,
        area,
        "directors".into(),
        vec![Span::styled(
            format!("{} in this console", directors.len()),
            theme.dim,
        )],
        true,
        theme,
    );
    let mut lines = Vec::new();
    for (i, d) in directors.iter().enumerate() {
        let selected = i == view.nav.selected;
        let marked = view.mark == Some(d.id);
        let [first, second] = rows(app, d, marked, theme);
        let style = |l: Line<'static>| {
            if selected {
                l.patch_style(theme.selected)
            } else {
                l
            }
        };
        lines.push(style(first));
        lines.push(style(second));
    }
    lines.push(Line::raw(""));
    let alarms = console_alarms(app);
    if alarms.is_empty() {
        lines.push(Line::styled(" no alarm across directors", theme.dim));
    }
    for alarm in alarms {
        lines.push(Line::styled(format!(" {alarm}"), theme.warning));
    }
    for pair in console_sync(app) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(" sync (syncid {}): {}", pair.sync_id, pair.summary()),
            theme.title,
        ));
        let mut services: Vec<_> = pair.services.iter().collect();
        services.sort_by_key(|s| std::cmp::Reverse(s.master));
        for s in services.into_iter().take(SYNC_SERVICES) {
            let backup = match s.backup {
                Some(b) => match percent(b, s.master) {
                    Some(p) => format!("{b:>7} ({p}%)"),
                    None => format!("{b:>7}"),
                },
                None => "  (no such service)".into(),
            };
            lines.push(Line::raw(format!(
                "   {:<28} {} {:>7}   {} {backup}",
                s.service.to_string(),
                pair.master,
                s.master,
                pair.backup
            )));
        }
    }
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    // Two lines a director: scroll by whole directors to keep the selected one in view.
    let rows = usize::from(body.height / 2).max(1);
    let offset = table::visible_offset(view.nav, rows, directors.len());
    f.render_widget(Paragraph::new(lines).scroll(((offset * 2) as u16, 0)), body);
    offset
}

/// A director's two lines.
fn rows(app: &App, d: &Director, marked: bool, theme: &Theme) -> [Line<'static>; 2] {
    let shown = d.id == app.director.id;
    let mut first = vec![
        Span::raw(if shown { " ▸ " } else { "   " }),
        Span::raw(if marked { "* " } else { "  " }),
        Span::styled(format!("{:<12}", d.host), theme.title),
        Span::raw(format!(" {:<18}", d.target.clone().unwrap_or_default())),
    ];
    let age = |t: std::time::Instant| format::age(app.now.saturating_duration_since(t));
    match (&d.poll_error, d.last_ok) {
        (Some((e, at)), _) => first.push(Span::styled(
            format!(" UNREACHABLE {} ago: {e}", age(*at)),
            theme.warning,
        )),
        (None, Some(t)) => first.push(Span::raw(format!(" reachable, polled {} ago", age(t)))),
        (None, None) => first.push(Span::styled(" connecting…", theme.dim)),
    }
    if let Some(vrrp) = vrrp(d) {
        first.push(Span::raw(format!(" · VRRP {vrrp}")));
    }
    for daemon in d.snapshot.iter().flat_map(|s| &s.daemons) {
        first.push(Span::raw(format!(
            " · sync {} syncid {} {}",
            daemon.state.name(),
            daemon.sync_id,
            daemon.mcast_ifn
        )));
    }
    let second = match &d.snapshot {
        None => Line::styled("       no table read yet", theme.dim),
        Some(s) => {
            let servers: usize = s.services.iter().map(|s| s.dests.len()).sum();
            let conns: u64 = s
                .services
                .iter()
                .map(|s| {
                    let (a, i) = service_conns(s);
                    a + i
                })
                .sum();
            // As the header shows them: held within their noise, unless exact (`x`).
            let rate = (d.source != Source::ReadOnly)
                .then(|| {
                    if app.exact {
                        d.rates.total_rate(app.rate_source)
                    } else {
                        d.rates.total_shown(app.rate_source)
                    }
                })
                .flatten();
            let n = |v: f64| format::number(v, app.exact);
            let r = |v: f64| format::rate(v, app.exact);
            let b = |v: f64| format::bytes(v, app.exact);
            let rates = match rate {
                Some(rate) => format!(
                    "{} conn/s · in {} pkt/s {}/s · out {} pkt/s {}/s",
                    r(rate.conns_per_s),
                    r(rate.inpkts_per_s),
                    b(rate.inbytes_per_s),
                    r(rate.outpkts_per_s),
                    b(rate.outbytes_per_s)
                ),
                None => "no rates yet".into(),
            };
            Line::raw(format!(
                "       {} services, {servers} real servers · {} conns · {rates}",
                s.services.len(),
                n(conns as f64)
            ))
        }
    };
    [Line::from(first), second]
}

/// keepalived's VRRP roles there: `MASTER VI_1, BACKUP VI_2` (None where it is not read).
fn vrrp(d: &Director) -> Option<String> {
    let (state, _) = d.owners.keepalived.as_ref()?;
    let instances = &state.vrrp.as_ref()?.instances;
    (!instances.is_empty()).then(|| {
        instances
            .iter()
            .map(|i| format!("{} {}", i.state, i.name))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// The comparison page: the two directors' rules, as ipvsadm lines.
pub fn draw_compare(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Page::Compare(view) = &app.stack.page else {
        return;
    };
    let directors = app.directors();
    let find = |id| directors.iter().find(|d| d.id == id);
    let (Some(a), Some(b)) = (find(view.a), find(view.b)) else {
        return;
    };
    table::pane_title(
        f,
        area,
        format!("compare {} with {}", a.host, b.host),
        vec![Span::styled("rules as ipvsadm -Sn writes them", theme.dim)],
        true,
        theme,
    );
    let lines: Vec<Line> = match (a.listed(), b.listed()) {
        (Some(ta), Some(tb)) => compare(ta, tb)
            .render(&a.host, &b.host)
            .lines()
            .map(|l| {
                if l.starts_with(' ') {
                    Line::raw(format!(" {l}"))
                } else {
                    Line::styled(format!(" {l}"), theme.title)
                }
            })
            .collect(),
        _ => {
            let missing = if a.listed().is_none() { a } else { b };
            vec![Line::styled(
                format!(
                    " {}'s table has not been read: nothing to compare",
                    missing.host
                ),
                theme.warning,
            )]
        }
    };
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    let max = (lines.len() as u16).saturating_sub(body.height);
    f.render_widget(
        Paragraph::new(lines).scroll((view.scroll.min(max), 0)),
        body,
    );
}
