//! The README's pictures (assets/screenshots/*.svg): the console on the demo (seed 7), the
//! wizard's plan page, the connections pane and the directors page of a simulated pair, drawn as the other screen tests draw them and
//! compared with the committed files. Regenerate them with
//! `UPDATE_SCREENSHOTS=1 cargo test --test ui screenshots`.

use crate::keys::keys;
use crate::screen::render;
use crate::svg::svg;

use ipvs_tui::console::{Action, App, Effect, Keymap, Source, update};
use ipvs_tui::host::{self, HostState};
use ipvs_tui::ipvs::sim::SimBackend;
use ipvs_tui::runtime::conn_source::ConnSource;
use ipvs_tui::ui::theme::Theme;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

const REGENERATE: &str = "UPDATE_SCREENSHOTS=1 cargo test --test ui screenshots";

/// The demo table (seed 7) after 30 simulated seconds, polled every 2 s `polls` times with its
/// host read, as the console shows it one second after the last poll; and its simulator.
fn demo(polls: u64, tweak: impl FnOnce(&mut HostState)) -> (App, Arc<SimBackend>) {
    let sim = Arc::new(SimBackend::demo(7));
    sim.advance(Duration::from_secs(30));
    let t0 = Instant::now();
    let mut app = App::new(Source::Simulated, "demo-lb", Keymap::builtin(), t0);
    let mut at = t0;
    for k in 0..polls {
        sim.advance(Duration::from_secs(2));
        at = t0 + Duration::from_secs(2 * k);
        let snapshot = futures::executor::block_on(sim.snapshot()).unwrap();
        let snapshot = Box::new(snapshot);
        update(&mut app, Action::Snapshot { snapshot, at });
    }
    let mut state = host::demo::state(app.director.snapshot.as_ref().unwrap());
    tweak(&mut state);
    update(&mut app, Action::HostRead(Box::new(state)));
    update(&mut app, Action::Tick(at + Duration::from_secs(1)));
    (app, sim)
}

/// The console's tables, a service's real servers and its trend, after five minutes.
fn console() -> App {
    let (mut app, _) = demo(150, |_| {});
    keys(&mut app, "j");
    app
}

/// The wizard's page 3: a NAT director for a new VIP with two real servers, on a host that does
/// not forward yet.
fn wizard_plan() -> App {
    let (mut app, _) = demo(150, |h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    });
    keys(
        &mut app,
        "W1198.51.100.50\t\t\t\t\t\t\t10.0.0.11, 10.0.0.12:8080 3\n",
    );
    app
}

/// The connections pane on the first service: its rows, soonest to expire first.
fn conns() -> App {
    let (mut app, sim) = demo(150, |_| {});
    let effects = keys(&mut app, "c");
    let Some(Effect::ReadConns(req)) = effects
        .into_iter()
        .rfind(|e| matches!(e, Effect::ReadConns(_)))
    else {
        panic!("c asked for no read")
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let result = rt.block_on(ConnSource::Sim(sim).read(&req)).map(Box::new);
    let at = app.now + Duration::from_secs(1);
    let took = Duration::from_millis(300);
    update(
        &mut app,
        Action::ConnsRead {
            id: req.id,
            result,
            took,
            at,
        },
    );
    update(&mut app, Action::Tick(at));
    app
}

/// The directors page of a simulated pair (lb1 master, lb2 backup, keepalived on both).
fn directors() -> App {
    use ipvs_tui::owners::keepalived::VrrpState;
    let mut fleet = crate::fleet::rig::Fleet::new(&["sim:lb1", "sim:lb2:backup"]);
    fleet.vrrp(0, VrrpState::Master);
    fleet.vrrp(1, VrrpState::Backup);
    fleet.app
}

/// Each picture: its file, what it shows, how it is made and its size in cells.
type Scene = (&'static str, &'static str, fn() -> App, u16, u16);
const SCENES: [Scene; 4] = [
    (
        "console.svg",
        "ipvs-tui: the console on the demo",
        console,
        120,
        34,
    ),
    (
        "wizard-plan.svg",
        "ipvs-tui: the setup wizard's plan",
        wizard_plan,
        100,
        30,
    ),
    (
        "conns.svg",
        "ipvs-tui: the connections pane",
        conns,
        100,
        30,
    ),
    (
        "directors.svg",
        "ipvs-tui: the directors page of a pair",
        directors,
        120,
        24,
    ),
];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/screenshots")
}

#[test]
fn screenshots_are_current() {
    let update = std::env::var_os("UPDATE_SCREENSHOTS").is_some();
    let mut stale = Vec::new();
    for (file, title, make, width, height) in SCENES {
        let picture = svg(
            &render(&mut make(), width, height, &Theme::builtin()),
            title,
        );
        let path = dir().join(file);
        if update {
            std::fs::create_dir_all(dir()).unwrap();
            std::fs::write(&path, picture).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(picture.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {}\nregenerate them: {REGENERATE}",
        stale.join(", ")
    );
}
