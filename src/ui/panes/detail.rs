//! The trend of the selected service (or real server, when the real servers have focus):
//! sparklines of connections, packets and bytes per second, newest at the right.
//!
//! A column is the mean of a fixed group of samples (counted from the start of the history),
//! enough for the whole history to fit: the sparkline shifts once a group is complete instead of
//! on every sample, which over SSH is most of what a trend would otherwise cost. The scale tops
//! at a round number, for the same reason.

use crate::console::app::{App, Focus};
use crate::ipvs::label::{dest_label, service_label};
use crate::ipvs::rates::{History, RateSource, Sample};
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
    let name = match (app.tables.focus, app.current_dest()) {
        (Focus::Servers, Some(d)) => format!(
            "{} of {}",
            dest_label(d),
            service_label(&service.config.key)
        ),
        _ => service_label(&service.config.key),
    };
    let history = app.selected_history();
    let spark_width = area.width.saturating_sub(LABEL + VALUE).max(1);
    let group = history.map_or(1, |h| group_size(h, spark_width));
    // The time the current rate covers: counters move only on the kernel's 2 s estimator ticks.
    // Rounded rates are held while within their counting noise (`rates::hold`): say so.
    let held = if app.exact {
        ""
    } else {
        ", held within ±√count"
    };
    let source = match (app.rate_source, app.selected_rate()) {
        // Whole seconds: tenths would rewrite the title on nearly every poll for no decision.
        // Two places: a window going from 8 s to 10 s does not shift the rest of the title.
        (RateSource::Own, Some(r)) => {
            format!("own rates over {:>2.0}s{held}", r.window.as_secs_f64())
        }
        (RateSource::Own, None) => "own rates: none yet".to_string(),
        (RateSource::Kernel, _) => format!("kernel rates, 8s average{held}"),
    };
    // Samples come one per estimator period (2 s) at most.
    let period = crate::ipvs::rates::ESTIMATOR_PERIOD.as_secs() as usize;
    let columns_are = match history {
        Some(h) if !h.is_empty() => format!("; a column is {}s", group * period),
        _ => String::new(),
    };
    let about = Span::styled(format!("{source}{columns_are}"), theme.dim);
    pane_title(
        f,
        area,
        "Trend".into(),
        vec![Span::raw(name), about],
        false,
        theme,
    );
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
        let line = Rect {
            y,
            height: each,
            ..area
        };
        let [label_area, spark_area, value_area] = Layout::horizontal([
            Constraint::Length(LABEL),
            Constraint::Fill(1),
            Constraint::Length(VALUE),
        ])
        .areas(line);
        f.render_widget(
            Line::styled(format!(" {label}"), theme.column),
            Rect {
                y: label_area.bottom() - 1,
                height: 1,
                ..label_area
            },
        );
        let columns = history.map(|h| grouped(h, group, pick)).unwrap_or_default();
        let shown = &columns[columns.len().saturating_sub(usize::from(spark_area.width))..];
        // Sparklines take integers: hundredths keep slow rates (0.25 conn/s) visible.
        let data: Vec<u64> = shown
            .iter()
            .map(|v| (v.max(0.0) * 100.0).round() as u64)
            .collect();
        // Newest at the right, next to its value, however few points there are yet.
        let width = (data.len() as u16).min(spark_area.width);
        let spark_area = Rect {
            x: spark_area.right() - width,
            width,
            ..spark_area
        };
        let highest = data.iter().copied().max().unwrap_or(0);
        f.render_widget(
            Sparkline::default()
                .data(&data)
                .max(scale_top(highest))
                .style(theme.spark),
            spark_area,
        );
        // The rate the tables show (held within its noise), not the newest sample.
        let latest = app
            .selected_rate()
            .map(|r| f64::from(pick(&Sample::from(&r))));
        let value = match latest {
            Some(v) if bytes => format::bytes(v, app.exact),
            Some(v) => format::rate(v, app.exact),
            None => "-".into(),
        };
        f.render_widget(
            Line::from(value).right_aligned(),
            Rect {
                y: value_area.bottom() - 1,
                height: 1,
                ..value_area
            },
        );
    }
}

/// The top of a sparkline's scale: the first of 1, 1.5, 2, 3, 5, 7, 10, 15… at or above its
/// highest column. The bars keep their heights while the highest column stays within one step,
/// where scaled to the highest itself they all changed with it (for a sparse service, every few
/// seconds: a chart that cannot be compared with itself, and every bar sent again). Steps of at
/// most 1.7x keep the highest bar above 60% of the height.
fn scale_top(highest: u64) -> u64 {
    if highest > u64::MAX / 100 {
        return highest;
    }
    let mut decade: u64 = 1;
    loop {
        for tenths in [10, 15, 20, 30, 50, 70] {
            let top = (decade * tenths).div_ceil(10);
            if top >= highest {
                return top;
            }
        }
        decade *= 10;
    }
}

/// Samples a column holds so that a full history fits in `width` columns.
fn group_size(history: &History, width: u16) -> usize {
    history.capacity().div_ceil(usize::from(width)).max(1)
}

/// The mean of each group of `group` samples, groups counted from the first sample ever pushed;
/// the newest group may be partial (it fills in place), and so may the oldest.
fn grouped(history: &History, group: usize, pick: Pick) -> Vec<f64> {
    let first = history.pushed() - history.len() as u64;
    let mut columns: Vec<(f64, u32)> = Vec::new();
    let mut current = None;
    for (i, sample) in history.iter().enumerate() {
        let g = (first + i as u64) / group as u64;
        if current != Some(g) {
            columns.push((0.0, 0));
            current = Some(g);
        }
        let last = columns.last_mut().expect("pushed above");
        last.0 += f64::from(pick(sample));
        last.1 += 1;
    }
    columns
        .into_iter()
        .map(|(sum, n)| sum / f64::from(n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(capacity: usize, values: impl IntoIterator<Item = u8>) -> History {
        let mut h = History::new(capacity);
        for v in values {
            h.push(Sample {
                conns_per_s: f32::from(v),
                packets_per_s: 0.0,
                bytes_per_s: 0.0,
            });
        }
        h
    }

    #[test]
    fn a_scale_tops_at_the_next_round_step() {
        let tops: Vec<u64> = [0, 1, 2, 4, 8, 10, 11, 16, 26, 51, 71, 100, 101, 5200]
            .map(scale_top)
            .into();
        assert_eq!(
            tops,
            [1, 1, 2, 5, 10, 10, 15, 20, 30, 70, 100, 100, 150, 7000]
        );
        assert_eq!(scale_top(u64::MAX), u64::MAX);
    }

    #[test]
    fn columns_are_means_of_groups_counted_from_the_first_sample() {
        let conns: Pick = |s| s.conns_per_s;
        assert_eq!(group_size(&history(300, []), 100), 3);
        assert_eq!(group_size(&history(300, []), 62), 5);
        assert_eq!(
            grouped(&history(300, 1..=7), 3, conns),
            [2.0, 5.0, 7.0],
            "the newest group fills in place"
        );
        // Groups (1 2 3 | 4 5 6 | 7) stay the same as the ring turns: keeping 3..=7, the oldest is partial.
        assert_eq!(grouped(&history(5, 1..=7), 3, conns), [3.0, 5.0, 7.0]);
    }
}
