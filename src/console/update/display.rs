//! How the tables are shown: frozen or live, exact numbers or K/M/G, whose rates, and how often
//! the director is polled.

use crate::console::action::{Command, Effect};
use crate::console::app::{App, INTERVALS};
use crate::ipvs::rates::RateSource;

/// Freeze, the refresh steps, exact numbers and the rate source; other commands are not for it.
pub(super) fn command(app: &mut App, c: Command) -> Vec<Effect> {
    match c {
        Command::Freeze => {
            app.frozen = !app.frozen;
            let resume = app
                .keymap
                .key_for(&app.layers(), Command::Freeze)
                .map(|k| format!("; {k} resumes"))
                .unwrap_or_default();
            if app.frozen {
                app.flash(format!("frozen: new polls are not shown{resume}"))
            } else {
                app.flash("resumed: the next poll is shown")
            }
        }
        Command::IntervalDown | Command::IntervalUp => {
            return interval_step(app, c == Command::IntervalUp);
        }
        Command::Exact => {
            app.exact = !app.exact;
            app.flash(if app.exact {
                "exact numbers"
            } else {
                "numbers in K/M/G"
            });
        }
        Command::Rates => {
            app.rate_source = app.rate_source.toggled();
            app.rebuild();
            app.flash(match app.rate_source {
                RateSource::Own => "own rates: counter deltas over the time they cover",
                RateSource::Kernel => "kernel rates: the kernel's estimator, an 8 s moving average",
            });
        }
        _ => {}
    }
    vec![]
}

fn interval_step(app: &mut App, up: bool) -> Vec<Effect> {
    let i = INTERVALS
        .iter()
        .position(|d| *d >= app.interval)
        .unwrap_or(INTERVALS.len() - 1);
    let i = if up {
        (i + 1).min(INTERVALS.len() - 1)
    } else {
        i.saturating_sub(1)
    };
    if INTERVALS[i] == app.interval {
        app.flash(format!(
            "refresh every {} s: the {} step",
            app.interval.as_secs(),
            if up { "longest" } else { "shortest" }
        ));
        return vec![];
    }
    app.interval = INTERVALS[i];
    app.flash(format!("refresh every {} s", app.interval.as_secs()));
    vec![Effect::SetInterval(app.interval)]
}
