//! The trend of the selected service (or real server, when the real servers have focus):
//! sparklines of connections, packets and bytes per second, newest at the right.

use crate::console::app::{App, Focus};
use crate::console::view::{dest_label, service_label};
use crate::ipvs::rates::{RateSource, Sample};
use crate::ui::format;
use crate::ui::table::pane_title;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Sparkline;

/// A title line and one line per sparkline; two per sparkline in tall windows.
pub fn height(window_height: u16) -> u16 {
    if window_height >= 40 { 7 } else { 4 }
}
const LABEL: u16 = 8;
const VALUE: u16 = 10;

type Pick = fn(&Sample) -> f32;

pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(service) = app.current_service() else {
        pane_title(f, area, "Trend".into(), vec![], false, theme);
        return;
    };
    let name = match (app.focus, app.current_dest()) {
        (Focus::Servers, Some(d)) => format!("{} of {}", dest_label(d), service_label(&service.config.key)),
        _ => service_label(&service.config.key),
    };
    let history = app.selected_history();
    let points = history.map_or(0, |h| h.len());
    // The time the current rate covers: counters move only on the kernel's 2 s estimator ticks.
    let source = match (app.rate_source, app.selected_rate()) {
        (RateSource::Own, Some(r)) => format!("own rates over {:.1}s", r.window.as_secs_f64()),
        (RateSource::Own, None) => "own rates: none yet".to_string(),
        (RateSource::Kernel, _) => "kernel rates, 8s average".to_string(),
    };
    let about = Span::styled(format!("{source}, {points} {}", if points == 1 { "point" } else { "points" }), theme.dim);
    pane_title(f, area, "Trend".into(), vec![Span::raw(name), about], false, theme);
    let rows: [(&str, Pick, bool); 3] = [
        ("conn/s", |s| s.conns_per_s, false),
        ("pkt/s", |s| s.packets_per_s, false),
        ("B/s", |s| s.bytes_per_s, true),
    ];
    let each = (area.height.saturating_sub(1) / 3).max(1);
    for (n, (label, pick, bytes)) in rows.into_iter().enumerate() {
        let y = area.y + 1 + n as u16 * each;
        if y + each > area.bottom() {
            break;
        }
        let line = Rect { y, height: each, ..area };
        let [label_area, spark_area, value_area] =
            Layout::horizontal([Constraint::Length(LABEL), Constraint::Fill(1), Constraint::Length(VALUE)]).areas(line);
        f.render_widget(Line::styled(format!(" {label}"), theme.column), Rect { y: label_area.bottom() - 1, height: 1, ..label_area });
        let samples: Vec<f32> = history.map(|h| h.iter().map(pick).collect()).unwrap_or_default();
        let shown = &samples[samples.len().saturating_sub(usize::from(spark_area.width))..];
        // Sparklines take integers: hundredths keep slow rates (0.25 conn/s) visible.
        let data: Vec<u64> = shown.iter().map(|v| (f64::from(*v).max(0.0) * 100.0).round() as u64).collect();
        // Newest at the right, next to its value, however few points there are yet.
        let width = (data.len() as u16).min(spark_area.width);
        let spark_area = Rect { x: spark_area.right() - width, width, ..spark_area };
        f.render_widget(Sparkline::default().data(&data).style(theme.spark), spark_area);
        let latest = samples.last().map(|v| f64::from(*v));
        let value = match latest {
            Some(v) if bytes => format::bytes(v, app.exact),
            Some(v) => format::number(v, app.exact),
            None => "-".into(),
        };
        f.render_widget(Line::from(value).right_aligned(), Rect { y: value_area.bottom() - 1, height: 1, ..value_area });
    }
}
