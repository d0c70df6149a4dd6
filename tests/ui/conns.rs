//! The connections pane (`c`) on the simulator: `update` driven by keys (open, scope, group-by,
//! filter mistakes, cancel, close, refresh), reads run through the demo's connection source, and
//! screens at 80x24 and 160x48 (rows, groups, templates, NO_COLOR).

use crate::keys::{keys, press_with as key};
use crate::screen;

use crossterm::event::{KeyCode, KeyModifiers};
use ipvs_tui::console::keys::keymap::Layer;
use ipvs_tui::console::panes::conns::{ConnsRequest, Scope};
use ipvs_tui::console::{Action, App, Effect, Keymap, Source, update};
use ipvs_tui::ipvs::conns::GroupBy;
use ipvs_tui::ipvs::model::ServiceKey;
use ipvs_tui::ipvs::sim::SimBackend;
use ipvs_tui::runtime::conn_source::ConnSource;
use ipvs_tui::ui::theme::Theme;
use screen::{render, screen, text};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The demo after 90 simulated seconds, polled, and the simulator it polled.
fn demo() -> (App, Arc<SimBackend>) {
    let sim = Arc::new(SimBackend::demo(7));
    sim.advance(Duration::from_secs(90));
    let t0 = Instant::now();
    let mut app = App::new(Source::Simulated, "demo-lb", Keymap::builtin(), t0);
    let snapshot = futures::executor::block_on(sim.snapshot()).unwrap();
    update(
        &mut app,
        Action::Snapshot {
            snapshot: Box::new(snapshot),
            at: t0,
        },
    );
    (app, sim)
}

fn request(effects: &[Effect]) -> ConnsRequest {
    match effects.iter().rev().find_map(|e| {
        if let Effect::ReadConns(r) = e {
            Some(r.clone())
        } else {
            None
        }
    }) {
        Some(r) => r,
        None => panic!("no ReadConns in {effects:?}"),
    }
}

/// Runs a read as the event loop does, on the demo's connection source; it comes back one
/// second after it started.
fn complete(app: &mut App, sim: &Arc<SimBackend>, req: &ConnsRequest) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let result = rt
        .block_on(ConnSource::Sim(sim.clone()).read(req))
        .map(Box::new);
    let at = app.now + Duration::from_secs(1);
    update(
        app,
        Action::ConnsRead {
            id: req.id,
            result,
            took: Duration::from_millis(1500),
            at,
        },
    );
    update(app, Action::Tick(at));
}

/// Presses `text`, then completes the read it asked for.
fn read_after(app: &mut App, sim: &Arc<SimBackend>, text: &str) {
    let req = request(&keys(app, text));
    complete(app, sim, &req);
}

#[test]
fn c_opens_on_the_selected_service_and_reads_only_its_connections() {
    let (mut app, sim) = demo();
    let key0 = app.current_service().unwrap().config.key;
    let effects = keys(&mut app, "c");
    let pane = app.stack.conns().expect("the pane is open");
    assert_eq!(pane.scope, Scope::Service(key0));
    assert!(pane.reading.is_some());
    assert_eq!(
        app.layers(),
        vec![Layer::Conns],
        "only the pane's keys apply"
    );
    let req = request(&effects);
    complete(&mut app, &sim, &req);
    let pane = app.stack.conns().unwrap();
    assert!(pane.reading.is_none());
    let t = pane.table.as_ref().unwrap();
    assert!(t.counts.matched > 100, "{:?}", t.counts);
    assert!(
        t.counts.matched < t.counts.lines,
        "other services' lines are read but not matched"
    );
    assert!(
        t.rows
            .iter()
            .all(|r| t.view(r).virt.to_string() == "192.0.2.10:80")
    );
    // Sorted by expiry, soonest first.
    assert!(t.rows.windows(2).all(|w| w[0].expires() <= w[1].expires()));
    // `a`: every service, read again.
    let req = request(&keys(&mut app, "a"));
    assert!(req.filter.within.is_empty());
    complete(&mut app, &sim, &req);
    let t = app.stack.conns().unwrap().table.as_ref().unwrap();
    assert_eq!(t.counts.matched, t.counts.lines);
    assert_eq!(t.counts.lines as usize, sim.conn_entries());
    // And back.
    assert_eq!(request(&keys(&mut app, "a")).filter.within.len(), 1);
}

#[test]
fn a_fwmark_service_is_its_templates_or_its_real_servers() {
    let (mut app, sim) = demo();
    keys(&mut app, "G");
    while !matches!(
        app.current_service().unwrap().config.key,
        ServiceKey::Fwmark { .. }
    ) {
        keys(&mut app, "k");
    }
    let dests = app.current_service().unwrap().dests.len();
    let req = request(&keys(&mut app, "c"));
    assert_eq!(req.filter.within.len(), 2);
    assert_eq!(req.filter.within[1].servers.len(), dests);
    complete(&mut app, &sim, &req);
    let pane = app.stack.conns().unwrap();
    assert!(
        pane.scope_label
            .starts_with("FWM 1: its templates and connections to its"),
        "{}",
        pane.scope_label
    );
    let t = pane.table.as_ref().unwrap();
    assert!(
        !t.templates.is_empty() && t.rows.len() > t.templates.len(),
        "templates and connections: {:?}",
        t.counts
    );
}

#[test]
fn g_cycles_the_groupings_and_s_the_orders() {
    let (mut app, sim) = demo();
    read_after(&mut app, &sim, "c");
    let mut seen = Vec::new();
    for _ in 0..5 {
        assert!(keys(&mut app, "g").is_empty(), "grouping needs no new read");
        seen.push(app.stack.conns().unwrap().group_by);
    }
    assert_eq!(
        seen,
        [
            Some(GroupBy::Server),
            Some(GroupBy::State),
            Some(GroupBy::Client),
            Some(GroupBy::Service),
            None
        ]
    );
    keys(&mut app, "s");
    let t = app.stack.conns().unwrap().table.as_ref().unwrap();
    assert!(
        t.rows
            .windows(2)
            .all(|w| w[0].client_key() <= w[1].client_key()),
        "sorted by client"
    );
}

#[test]
fn a_filter_mistake_is_shown_and_keeps_the_text() {
    let (mut app, sim) = demo();
    read_after(&mut app, &sim, "c");
    keys(&mut app, "/");
    assert_eq!(app.layers(), vec![Layer::ConnsFilter]);
    // Letters are text now, not keys of the pane.
    assert!(keys(&mut app, "rs:10.0.0").is_empty());
    assert!(
        keys(&mut app, "\n").is_empty(),
        "a bad filter reads nothing"
    );
    let pane = app.stack.conns().unwrap();
    assert!(pane.editing);
    assert_eq!(pane.input.value(), "rs:10.0.0");
    assert!(
        pane.input_error
            .as_deref()
            .unwrap()
            .contains("rs:10.0.0.2:80"),
        "{:?}",
        pane.input_error
    );
    // Corrected, it applies and reads again.
    let req = request(&keys(&mut app, ".11 state:established\n"));
    assert_eq!(req.filter.servers.len(), 1);
    assert_eq!(req.filter.states.len(), 1);
    assert_eq!(req.filter.within.len(), 1, "the scope stays");
    complete(&mut app, &sim, &req);
    let pane = app.stack.conns().unwrap();
    assert!(!pane.editing && pane.input_error.is_none());
    let t = pane.table.as_ref().unwrap();
    assert!(t.counts.matched > 0);
    assert!(
        t.rows
            .iter()
            .all(|r| t.view(r).dest.to_string() == "10.0.0.11:80"
                && t.view(r).state == "ESTABLISHED")
    );
    // Esc while typing leaves the filter as it was applied.
    keys(&mut app, "/ client:x");
    assert!(
        app.stack.conns().unwrap().input_error.is_some(),
        "checked as it is typed"
    );
    assert!(keys(&mut app, "\x1b").is_empty());
    let pane = app.stack.conns().unwrap();
    assert_eq!(
        (pane.editing, pane.input.value()),
        (false, "rs:10.0.0.11 state:established")
    );
}

#[test]
fn esc_cancels_a_read_then_closes_and_a_late_result_is_dropped() {
    let (mut app, sim) = demo();
    let req = request(&keys(&mut app, "c"));
    assert_eq!(keys(&mut app, "\x1b"), vec![Effect::CancelConns]);
    let pane = app
        .stack
        .conns()
        .expect("Esc cancels the read first; the pane stays");
    assert!(pane.reading.as_ref().unwrap().cancelling);
    // The loop sets the flag; the reader stops at once and says so.
    req.cancel.store(true, Ordering::Relaxed);
    complete(&mut app, &sim, &req);
    let pane = app.stack.conns().unwrap();
    assert!(pane.last.unwrap().cancelled);
    assert_eq!(pane.table.as_ref().unwrap().counts.lines, 0);
    assert!(keys(&mut app, "\x1b").is_empty());
    assert!(app.stack.conns().is_none(), "Esc without a read closes");
    // `c` closes too, cancelling its read; what comes back later is dropped.
    let req = request(&keys(&mut app, "c"));
    assert_eq!(keys(&mut app, "c"), vec![Effect::CancelConns]);
    assert!(app.stack.conns().is_none());
    complete(&mut app, &sim, &req);
    assert!(app.stack.conns().is_none());
    // q closes the pane, it does not quit; Ctrl-C quits.
    keys(&mut app, "c");
    assert_eq!(keys(&mut app, "q"), vec![Effect::CancelConns]);
    keys(&mut app, "c");
    assert_eq!(
        key(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL),
        vec![Effect::Quit]
    );
}

#[test]
fn a_replaced_read_is_ignored_and_refresh_follows_the_interval() {
    let (mut app, sim) = demo();
    let first = request(&keys(&mut app, "c"));
    let second = request(&keys(&mut app, "r"));
    assert_ne!(first.id, second.id);
    complete(&mut app, &sim, &first);
    assert!(
        app.stack.conns().unwrap().table.is_none(),
        "the replaced read's result is dropped"
    );
    complete(&mut app, &sim, &second);
    assert!(app.stack.conns().unwrap().table.is_some());
    // Off by default: ticks read nothing; `i` sets 2 s.
    let t = app.now;
    assert!(update(&mut app, Action::Tick(t + Duration::from_secs(60))).is_empty());
    keys(&mut app, "i");
    assert_eq!(
        app.stack.conns().unwrap().refresh,
        Some(Duration::from_secs(2))
    );
    let effects = update(&mut app, Action::Tick(t + Duration::from_secs(61)));
    assert!(
        matches!(effects.as_slice(), [Effect::ReadConns(_)]),
        "{effects:?}"
    );
    assert!(
        update(&mut app, Action::Tick(t + Duration::from_secs(62))).is_empty(),
        "not while reading"
    );
}

/// The pane open on the first service, read.
fn opened() -> (App, Arc<SimBackend>) {
    let (mut app, sim) = demo();
    read_after(&mut app, &sim, "c");
    (app, sim)
}

#[test]
fn rows_80x24() {
    insta::assert_snapshot!(screen(&mut opened().0, 80, 24));
}

#[test]
fn rows_scrolled_160x48() {
    let mut app = opened().0;
    screen(&mut app, 160, 48);
    keys(&mut app, "jjj");
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}

#[test]
fn groups_by_server_and_state_80x24() {
    let mut app = opened().0;
    keys(&mut app, "g");
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn all_services_by_service_160x48() {
    let (mut app, sim) = opened();
    read_after(&mut app, &sim, "a");
    keys(&mut app, "gggg");
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}

#[test]
fn persistence_lookup_160x48() {
    let (mut app, sim) = opened();
    read_after(&mut app, &sim, "a");
    let t = app.stack.conns().unwrap().table.as_ref().unwrap();
    let client = t
        .templates
        .first()
        .expect("the demo has persistent services")
        .client();
    read_after(&mut app, &sim, &format!("/client:{client}\n"));
    keys(&mut app, "p");
    let shown = screen(&mut app, 160, 48);
    assert!(shown.contains("Persistence templates"), "{shown}");
    assert!(
        shown
            .lines()
            .filter(|l| l.contains(&format!(" {client} ")))
            .count()
            >= 1,
        "{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn filter_mistake_and_reading_80x24() {
    let (mut app, _sim) = opened();
    keys(&mut app, "r/state:SYN_RECVD");
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn no_color_groups_80x24_same_text() {
    use ratatui::style::Color;
    let mut app = opened().0;
    keys(&mut app, "g");
    let coloured = screen(&mut app, 80, 24);
    let mono = render(&mut app, 80, 24, &Theme::builtin().monochrome());
    assert_eq!(text(&mono), coloured);
    assert!(
        mono.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "no colour at all"
    );
}
