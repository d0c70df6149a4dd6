//! The connections pane on a director elsewhere: the demo's agent started through `exec:`
//! counts its table there; the pane shows the aggregates and at most a bounded number of rows,
//! scoped as for a local director; an agent too old for a scope says so.

use crate::keys::keys;
use crate::screen::screen;

use ipvs_tui::console::panes::conns::ConnsRequest;
use ipvs_tui::console::{Action, App, Effect, Keymap, Source, update};
use ipvs_tui::ipvs::conns::ConnTable;
use ipvs_tui::ipvs::model::ServiceKey;
use ipvs_tui::ipvs::sim::SimBackend;
use ipvs_tui::remote::{DirectorSpec, Remote};
use ipvs_tui::runtime::conn_source::{ConnSource, REMOTE_ROWS};
use std::rc::Rc;
use std::time::{Duration, Instant};

const EXE: &str = env!("CARGO_BIN_EXE_ipvs-tui");

/// The console on a remote director whose table is the demo's (the agent's is the same demo).
fn remote_app() -> App {
    let sim = SimBackend::demo(1);
    sim.advance(Duration::from_secs(60));
    let t0 = Instant::now();
    let mut app = App::new(Source::Remote, "lb9", Keymap::builtin(), t0);
    let snapshot = futures::executor::block_on(sim.snapshot()).unwrap();
    update(
        &mut app,
        Action::Snapshot {
            snapshot: Box::new(snapshot),
            at: t0,
        },
    );
    app
}

fn exec(command: &str) -> Rc<Remote> {
    let spec = DirectorSpec::of(format!("exec:{command}").parse().unwrap());
    Remote::unopened(&spec)
}

fn request(effects: &[Effect]) -> ConnsRequest {
    effects
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::ReadConns(r) => Some(r.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no ReadConns in {effects:?}"))
}

/// The loop's thread: one runtime, on which the agents' links live.
struct Loop(tokio::runtime::Runtime, tokio::task::LocalSet);

impl Loop {
    fn new() -> Loop {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        Loop(runtime, tokio::task::LocalSet::new())
    }
}

/// Presses `text` and runs the read it asks for through `remote`, as the executor does.
fn read_after(rt: &Loop, app: &mut App, remote: &Rc<Remote>, text: &str) {
    let req = request(&keys(app, text));
    let source = ConnSource::Remote(remote.clone());
    let result = rt.1.block_on(&rt.0, source.read(&req)).map(Box::new);
    let at = app.now + Duration::from_secs(1);
    update(
        app,
        Action::ConnsRead {
            id: req.id,
            result,
            took: Duration::from_millis(40),
            at,
        },
    );
    update(app, Action::Tick(at));
}

fn table(app: &App) -> &ConnTable {
    let pane = app.stack.conns().expect("the pane is open");
    assert_eq!(pane.error, None);
    pane.table.as_ref().expect("a table read")
}

#[test]
fn the_pane_counts_on_the_director_and_brings_a_bounded_number_of_rows() {
    let dir = tempfile::tempdir().unwrap();
    let remote = exec(&format!(
        "{EXE} --demo agent --audit-log {}",
        dir.path().join("agent.log").display()
    ));
    let (rt, mut app) = (Loop::new(), remote_app());
    // `c`: the selected service only, counted there.
    read_after(&rt, &mut app, &remote, "c");
    let t = table(&app);
    assert!(t.counts.matched > 0, "{:?}", t.counts);
    assert!(t.counts.matched < t.counts.lines, "other services' lines");
    assert!(
        t.rows
            .iter()
            .all(|r| t.view(r).virt.to_string() == "192.0.2.10:80")
    );
    let text = screen(&mut app, 120, 30);
    assert!(!text.contains("does not read"), "{text}");
    assert!(text.contains("192.0.2.10:80"), "{text}");
    // `a`: every service; past the bound, the rest stay on the director, counted.
    read_after(&rt, &mut app, &remote, "a");
    let t = table(&app);
    assert_eq!(t.counts.matched, t.counts.lines);
    assert!(t.counts.matched > REMOTE_ROWS as u64, "{:?}", t.counts);
    assert_eq!(t.rows.len(), REMOTE_ROWS);
    assert!(t.counts.dropped_rows > 0);
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("rows not shown"), "{text}");
    // `g`: the groups cover every connection, held here or not.
    keys(&mut app, "g");
    let t = table(&app);
    let grouped: u64 = t.route_states.iter().flatten().sum();
    assert_eq!(grouped, t.counts.matched);
}

/// A fwmark service is a scope of two alternatives, which only an agent that lists the
/// capability is sent; an older one is told why not instead of counting every service.
#[test]
fn a_scope_goes_only_to_an_agent_that_knows_it() {
    let dir = tempfile::tempdir().unwrap();
    let remote = exec(&format!(
        "{EXE} --demo agent --audit-log {}",
        dir.path().join("agent.log").display()
    ));
    let (rt, mut app) = (Loop::new(), remote_app());
    keys(&mut app, "G");
    while !matches!(
        app.current_service().unwrap().config.key,
        ServiceKey::Fwmark { .. }
    ) {
        keys(&mut app, "k");
    }
    read_after(&rt, &mut app, &remote, "c");
    let t = table(&app);
    assert!(t.counts.matched > 0 && t.counts.matched < t.counts.lines);

    let hello = r#"{"hello":{"protocol":1,"program":"ipvs-tui 0.0.9","host":"old","ipvs":null,"read_only":false,"capabilities":["snapshot","poll","host","apply","apply_batch","conns","keepalived"]}}"#;
    let old = exec(&format!("echo '{hello}'; cat > /dev/null"));
    keys(&mut app, "\x1b");
    read_after(&rt, &mut app, &old, "c");
    let pane = app.stack.conns().unwrap();
    let error = pane.error.clone().unwrap_or_default();
    assert!(
        error.contains("cannot count one service's connections"),
        "{error:?}"
    );
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("cannot count one service"), "{text}");
}
