//! The header: which IPVS this is and how fresh the data is, why the view is read-only when it
//! is, the totals (on one line when the window is wide, two otherwise), and a warning line while
//! polling fails. The age of the table shows only when a poll is late. Where keepalived runs, a
//! line with this director's VRRP roles and the age of keepalived's state (see `owners`).

use crate::console::app::{App, Source};
use crate::ipvs::label::service_conns;
use crate::ipvs::rates::RateSource;
use crate::ui::format;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use std::time::Duration;

type Part = Vec<Span<'static>>;

/// Under the READ-ONLY badge: why, and what root would add.
pub const READ_ONLY_NOTE: &str =
    "not root: read-only view from /proc/net/ip_vs; run as root for counters and changes";

/// The note's lines: one, or split after its `;` when the window is narrower.
fn read_only_note(app: &App, width: u16) -> Vec<String> {
    if app.director.source != Source::ReadOnly {
        return vec![];
    }
    let whole = format!(" {READ_ONLY_NOTE}");
    match whole.split_once("; ") {
        Some((why, what)) if whole.chars().count() > usize::from(width) => {
            vec![format!("{why};"), format!(" {what}")]
        }
        _ => vec![whole],
    }
}

/// Lines the header needs in a window this wide.
pub fn height(app: &App, width: u16) -> u16 {
    let totals = match totals(app) {
        None => 0,
        Some((counts, traffic))
            if width_of(&counts) + 3 + width_of(&traffic) <= usize::from(width) =>
        {
            1
        }
        Some(_) => 2,
    };
    1 + read_only_note(app, width).len() as u16
        + u16::from(alarm(app).is_some())
        + totals
        + u16::from(warning(app).is_some())
        + u16::from(super::owners::freshness(app).is_some())
}

/// The first alarm across the console's directors, and how many more (on every page, so that
/// a split brain is seen from wherever the operator is).
fn alarm(app: &App) -> Option<String> {
    let alarms = crate::console::panes::directors::console_alarms(app);
    let first = alarms.first()?;
    let more = match alarms.len() - 1 {
        0 => String::new(),
        n => format!(" (+{n} more)"),
    };
    Some(format!(" ALARM {first}{more}: V shows the directors "))
}

/// What needs saying loudly: polling fails while an older table is shown, or the kernel's
/// estimator has stopped (counters and kernel rates frozen).
fn warning(app: &App) -> Option<String> {
    // Read-only, counters are always zero while connections come and go: that is no stall.
    if app.director.poll_error.is_none()
        && app.director.source != Source::ReadOnly
        && app.director.rates.estimator_stalled()
    {
        return Some(" ESTIMATOR STALLED: counters have not moved for over 6 s although traffic came; rates read 0 (is net.ipv4.vs.run_estimation 0?) ".into());
    }
    let (error, at) = app.director.poll_error.as_ref()?;
    app.director.snapshot.as_ref()?;
    let shown = app
        .director
        .last_ok
        .map(|t| {
            format!(
                "; the table shown is from {} ago",
                format::age(app.now.saturating_duration_since(t))
            )
        })
        .unwrap_or_default();
    Some(format!(
        " POLL FAILED {} ago: {error}{shown} ",
        format::age(app.now.saturating_duration_since(*at))
    ))
}

fn width_of(parts: &[Part]) -> usize {
    1 + parts
        .iter()
        .map(|p| p.iter().map(Span::width).sum::<usize>())
        .sum::<usize>()
        + 3 * parts.len().saturating_sub(1)
}

/// Parts joined by ` · `, dropping those at the end that do not fit.
fn line(parts: Vec<Part>, width: u16) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = vec![Span::raw(" ")];
    let mut used = 1;
    for (n, part) in parts.into_iter().enumerate() {
        let sep = if n == 0 { 0 } else { 3 };
        let w: usize = part.iter().map(Span::width).sum();
        if used + sep + w > usize::from(width) {
            break;
        }
        if sep > 0 {
            spans.push(Span::raw(" · "));
        }
        used += sep + w;
        spans.extend(part);
    }
    Line::from(spans)
}

/// Counts and connections; traffic in and out.
fn totals(app: &App) -> Option<(Vec<Part>, Vec<Part>)> {
    let s = app.director.snapshot.as_ref()?;
    let servers: usize = s.services.iter().map(|s| s.dests.len()).sum();
    let (active, inactive) = s
        .services
        .iter()
        .map(service_conns)
        .fold((0, 0), |(a, i), (x, y)| (a + x, i + y));
    let total = app.total_rate();
    // Rounded numbers are right-aligned in slots as wide as the widest they can be, so that a
    // value changing width does not shift the rest of the line: the terminal then gets only the
    // changed digits. Exact numbers have no such bound and take their own width.
    let slot = |text: String, width: usize| {
        if app.exact {
            text
        } else {
            format!("{text:>width$}")
        }
    };
    let n = |v: f64| slot(format::number(v, app.exact), format::NUMBER_WIDTH);
    let rate = |pick: fn(&crate::ipvs::rates::Rate) -> f64| {
        total.as_ref().map_or_else(
            || slot("-".into(), format::NUMBER_WIDTH),
            |r| slot(format::rate(pick(r), app.exact), format::NUMBER_WIDTH),
        )
    };
    let bytes = |pick: fn(&crate::ipvs::rates::Rate) -> f64| match &total {
        Some(r) if app.exact => format!("{} B", format::bytes(pick(r), true)),
        Some(r) => slot(format::bytes(pick(r), false), format::BYTES_WIDTH),
        None => slot("- B".into(), format::BYTES_WIDTH),
    };
    let plural = |count: usize, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    let counts = vec![
        vec![Span::raw(format!(
            "{}, {}",
            plural(s.services.len(), "service", "services"),
            plural(servers, "real server", "real servers")
        ))],
        vec![Span::raw(format!(
            "conns {} active {} inactive",
            n(active as f64),
            n(inactive as f64)
        ))],
        vec![Span::raw(format!("{} conn/s", rate(|r| r.conns_per_s)))],
    ];
    let traffic = vec![
        vec![Span::raw(format!(
            "in {} pkt/s {}/s",
            rate(|r| r.inpkts_per_s),
            bytes(|r| r.inbytes_per_s)
        ))],
        vec![Span::raw(format!(
            "out {} pkt/s {}/s",
            rate(|r| r.outpkts_per_s),
            bytes(|r| r.outbytes_per_s)
        ))],
    ];
    Some((counts, traffic))
}

/// A poll is late when the table is older than two intervals and a second: a poll takes time,
/// and the age is counted in whole seconds.
pub fn late(app: &App, age: Duration) -> bool {
    age > app.interval * 2 + Duration::from_secs(1)
}

pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut first = vec![vec![
        Span::styled("ipvs-tui", theme.title),
        Span::raw(" "),
        Span::styled(app.director.host.clone(), theme.title),
    ]];
    // Several directors: which one this is, unmistakably (as k9s names its context).
    if app.is_fleet() {
        let all = app.directors();
        let n = all
            .iter()
            .position(|d| d.id == app.director.id)
            .unwrap_or(0)
            + 1;
        let target = app
            .director
            .target
            .as_ref()
            .map(|t| format!("{t}, "))
            .unwrap_or_default();
        first[0].push(Span::styled(
            format!(" ({target}director {n} of {})", all.len()),
            theme.title,
        ));
    }
    let mut badges = Vec::new();
    if app.director.source == Source::Simulated {
        badges.push(Span::styled(" SIMULATED ", theme.badge));
    }
    if app.director.read_only {
        badges.push(Span::styled(" READ-ONLY ", theme.badge));
    }
    if app.frozen {
        badges.push(Span::styled(" FROZEN ", theme.badge));
    }
    if !badges.is_empty() {
        first.push(badges);
    }
    let every = format::interval(app.interval);
    match app.director.last_ok {
        // The age only when the table is older than polling on time explains: a second that
        // ticks in a corner would be most of what an idle console writes to the terminal.
        Some(t) if late(app, app.now.saturating_duration_since(t)) => {
            let age = format::age(app.now.saturating_duration_since(t));
            let style = if app.frozen {
                Style::default()
            } else {
                theme.warning
            };
            first.push(vec![
                Span::styled(format!("polled {age} ago"), style),
                Span::raw(format!(", every {every}")),
            ]);
        }
        Some(_) => first.push(vec![Span::raw(format!("every {every}"))]),
        None if app.director.poll_error.is_some() => {
            first.push(vec![Span::styled(" NOT CONNECTED ", theme.warning)])
        }
        None => first.push(vec![Span::styled(
            format!("reading IPVS…, every {every}"),
            theme.dim,
        )]),
    }
    if app.director.snapshot.is_some() && app.director.source == Source::ReadOnly {
        first.push(vec![Span::raw("no counters, no rates")]);
    } else if app.director.snapshot.is_some() {
        // Which rates these are; the trend pane says what time the selected one covers.
        first.push(vec![Span::raw(match (app.rate_source, app.total_rate()) {
            (RateSource::Own, Some(_)) => "own rates",
            (RateSource::Own, None) => "own rates: waiting for counters to move",
            (RateSource::Kernel, _) => "kernel rates (8s average)",
        })]);
    }
    if let Some(s) = &app.director.snapshot {
        first.push(vec![Span::raw(format!("IPVS {}", s.info.version_string()))]);
        first.push(vec![Span::raw(format!(
            "conn table {}",
            s.info.conn_tab_size
        ))]);
    }
    let mut y = area.y;
    let mut put = |f: &mut Frame, l: Line<'static>| {
        f.render_widget(
            l,
            Rect {
                y,
                height: 1,
                ..area
            },
        );
        y += 1;
    };
    put(f, line(first, area.width));
    if let Some(owners) = super::owners::header_line(app, theme) {
        put(f, owners);
    }
    if let Some(text) = alarm(app) {
        put(f, Line::styled(text, theme.warning));
    }
    for note in read_only_note(app, area.width) {
        put(f, Line::styled(note, theme.dim));
    }
    if let Some((mut counts, traffic)) = totals(app) {
        if width_of(&counts) + 3 + width_of(&traffic) <= usize::from(area.width) {
            counts.extend(traffic);
            put(f, line(counts, area.width));
        } else {
            put(f, line(counts, area.width));
            put(f, line(traffic, area.width));
        }
    }
    if let Some(text) = warning(app) {
        put(f, Line::styled(text, theme.warning));
    }
}
