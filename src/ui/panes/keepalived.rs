//! The keepalived page (`K`): where and when keepalived's state was read (or why not), its VRRP
//! instances (role, priority, master), its virtual servers with each real server's checker
//! state beside the kernel's weight, and the drift with what keepalived will and will not do.

use crate::console::app::App;
use crate::console::follow::{FollowState, cadence};
use crate::console::panes::keepalived::off_reason;
use crate::console::stack::Page;
use crate::ipvs::model::AddrPort;
use crate::owners::keepalived::VrrpState;
use crate::owners::keepalived::reader::KeepalivedState;
use crate::ui::panes::owners::{freshness, since};
use crate::ui::table;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Page::Keepalived(page) = &app.stack.page else {
        return;
    };
    let k = &app.director.owners;
    let mut details = Vec::new();
    if k.asking.is_some() {
        details.push(Span::styled("reading…", theme.dim));
    }
    table::pane_title(f, area, "keepalived".into(), details, true, theme);
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    let lines = match &k.keepalived {
        Some((state, _)) => lines(app, state, theme),
        None => not_read(app, theme),
    };
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((page.scroll, 0)),
        body,
    );
}

/// Nothing read yet: why.
fn not_read(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let k = &app.director.owners;
    let text = if !k.enabled {
        off_reason(app).to_string()
    } else if let Some((e, _)) = &k.error {
        format!("keepalived could not be read: {e}")
    } else {
        "asking keepalived for its state…".to_string()
    };
    vec![Line::styled(format!(" {text}"), theme.dim)]
}

/// Which source is live: the notify FIFOs (and how much they brought), or dumps alone, and why.
fn source(app: &App) -> String {
    let k = &app.director.owners;
    let f = &k.following;
    let every = format!("dump every {} s", cadence(k).as_secs());
    let age = |t| crate::ui::format::age(app.now.saturating_duration_since(t));
    match &f.state {
        FollowState::Following {
            fifos,
            since,
            vrrp,
            checker,
            ..
        } => {
            let names: Vec<String> = fifos.iter().map(|p| p.display().to_string()).collect();
            let missing = match (vrrp, checker) {
                (false, _) => " (no FIFO carries VRRP events)",
                (_, false) => " (no FIFO carries checker events)",
                _ => "",
            };
            format!(
                "following {} for {}: {} events, {} lines not understood; {every}{missing}",
                names.join(", "),
                age(*since),
                f.events,
                f.unknown
            )
        }
        FollowState::Starting { .. } => format!("{every}; opening keepalived's notify FIFOs…"),
        FollowState::Not { why, .. } => format!("{every} ({why})"),
        FollowState::Closed { path, at, .. } => format!(
            "{every} ({} closed {} ago: followed again after the next dump)",
            path.display(),
            age(*at)
        ),
        FollowState::Off => every,
    }
}

fn heading(text: &str, theme: &Theme) -> Line<'static> {
    Line::styled(format!(" {text}"), theme.title)
}

fn lines(app: &App, state: &KeepalivedState, theme: &Theme) -> Vec<Line<'static>> {
    let k = &app.director.owners;
    let files: Vec<String> = state
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    let mut out = vec![Line::from(format!(
        " pid {} ({}), read {} from {}",
        state.process.pid,
        state.process.config.display(),
        state.read_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
        files.join(", ")
    ))];
    if let Some((text, bad)) = freshness(app) {
        out.push(Line::styled(
            format!(" {text}"),
            if bad { theme.warning } else { theme.dim },
        ));
    }
    out.push(Line::styled(format!(" {}", source(app)), theme.dim));
    out.push(Line::default());
    if let Some(vrrp) = &state.vrrp {
        out.push(heading("VRRP instances", theme));
        for vi in &vrrp.instances {
            let opt = |v: Option<String>| v.unwrap_or_else(|| "?".into());
            let style = match vi.state {
                VrrpState::Fault => theme.warning,
                _ => ratatui::style::Style::default(),
            };
            out.push(Line::from(vec![
                Span::raw(format!("   {} ", vi.name)),
                Span::styled(vi.state.to_string(), style),
                Span::raw(format!(
                    "{}  priority {} (configured {})  master {}  vrid {} on {}",
                    vi.last_transition
                        .map(|t| format!(" since {}", since(t, state.read_at)))
                        .unwrap_or_default(),
                    opt(vi.effective_priority.map(|p| p.to_string())),
                    opt(vi.priority.map(|p| p.to_string())),
                    match (vi.state, vi.master_router) {
                        (VrrpState::Master, _) => "this director".to_string(),
                        (_, Some(m)) => m.to_string(),
                        (_, None) => "?".to_string(),
                    },
                    opt(vi.vrid.map(|v| v.to_string())),
                    opt(vi.interface.clone()),
                )),
            ]));
        }
        out.push(Line::default());
    }
    if let Some(check) = &state.check {
        out.push(heading(
            "Virtual servers (keepalived's health; kernel's weight)",
            theme,
        ));
        for vs in &check.virtual_servers {
            let key = vs.key.service_key();
            let kernel = key
                .as_ref()
                .and_then(|k| app.director.snapshot.as_ref()?.service(k));
            out.push(Line::from(format!(
                "   {}{}{}",
                vs.key,
                vs.scheduler
                    .as_deref()
                    .map(|s| format!(" {s}"))
                    .unwrap_or_default(),
                if kernel.is_none() {
                    "  (not in the kernel)"
                } else {
                    ""
                }
            )));
            for rs in &vs.real_servers {
                let dest = kernel.and_then(|s| {
                    s.dests
                        .iter()
                        .find(|d| d.config.addr == rs.addr && d.config.port == rs.port)
                });
                let kernel_weight =
                    dest.map_or("absent".to_string(), |d| d.config.weight.to_string());
                let failed: Vec<&str> = rs
                    .checkers
                    .iter()
                    .filter(|c| !c.up)
                    .filter_map(|c| c.kind.as_deref())
                    .collect();
                let verdict = if rs.alive {
                    Span::raw("alive")
                } else {
                    Span::styled("DEAD", theme.marker)
                };
                out.push(Line::from(vec![
                    Span::raw(format!("     -> {:<22} ", AddrPort(rs.addr, rs.port).to_string())),
                    verdict,
                    Span::raw(format!(
                        "  {}/{} checkers failed{}  keepalived weight {}  kernel weight {kernel_weight}",
                        rs.failed_checkers,
                        rs.checkers.len(),
                        if failed.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", failed.join(", "))
                        },
                        rs.effective_weight,
                    )),
                ]));
            }
        }
        out.push(Line::default());
    }
    if k.view.drift.is_empty() {
        out.push(heading(
            "No drift: the kernel's table is keepalived's",
            theme,
        ));
    } else {
        out.push(heading(
            &format!(
                "Drift ({}): the kernel's table is not keepalived's",
                k.view.drift.len()
            ),
            theme,
        ));
    }
    for d in &k.view.drift {
        out.push(Line::styled(format!("   {}", d.what()), theme.warning));
        out.push(Line::styled(
            format!("     {}", d.keepalived_will()),
            theme.dim,
        ));
    }
    out
}
