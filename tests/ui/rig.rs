//! The one rig of the console's tests: keys into `update`, the effects it returns carried out by
//! the console's executor (changes, the doctor, persist) on the simulator and an in-memory demo
//! director, audited, each change followed by a poll; and whole screens.

#![allow(dead_code, unused_imports)]

use crate::screen;

pub use crate::keys::keys;
pub use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
pub use ipvs_tui::backend::{Backend, Sim};
pub use ipvs_tui::console::app::{Modal, Screen};
pub use ipvs_tui::console::change::{self, Policy};
pub use ipvs_tui::console::keys::input::action_for;
pub use ipvs_tui::console::keys::keymap::Layer;
pub use ipvs_tui::console::panes::hostpanes::rows;
pub use ipvs_tui::console::{Action, App, Command, Effect, Keymap, Source, update};
pub use ipvs_tui::host::{self, HostState, MemoryHost};
pub use ipvs_tui::ipvs::model::Snapshot;
pub use ipvs_tui::ipvs::sim::SimBackend;
pub use ipvs_tui::operation::audit::{AuditLog, Context, Source as AuditSource, read_last};
pub use ipvs_tui::runtime::executor::Executor;
pub use ipvs_tui::ui::{self, theme::Theme};
pub use ratatui::Terminal;
pub use ratatui::backend::TestBackend;
pub use ratatui::layout::Rect;
pub use screen::{render, screen, text};
pub use std::rc::Rc;
pub use std::sync::Arc;
pub use std::time::{Duration, Instant};

pub struct Rig {
    pub app: App,
    /// The simulator and the demo host, as the console's demo has them.
    pub director: Rc<Sim>,
    /// The director's simulator.
    pub sim: Arc<SimBackend>,
    pub policy: Policy,
    pub log: AuditLog,
    /// Whether a poll reads the host too (not for [`Rig::bare`]).
    reads_host: bool,
    _dir: tempfile::TempDir,
}

impl Rig {
    pub fn new() -> Rig {
        Rig::with_host(|_| {})
    }

    /// The demo director, changed by `tweak` first.
    pub fn with_host(tweak: impl FnOnce(&mut HostState)) -> Rig {
        let sim = SimBackend::demo(3);
        let mut state = host::demo::state(&futures::executor::block_on(sim.snapshot()).unwrap());
        tweak(&mut state);
        Rig::build(sim, MemoryHost::new(state), true)
    }

    /// The demo table alone: an empty host that polls never read (the tests of IPVS changes).
    pub fn bare() -> Rig {
        Rig::build(SimBackend::demo(3), MemoryHost::default(), false)
    }

    fn build(sim: SimBackend, host: MemoryHost, reads_host: bool) -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("audit.log"));
        let director = Rc::new(Sim::new(sim, host));
        let mut rig = Rig {
            app: App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now()),
            sim: director.table.clone(),
            director,
            policy: Policy {
                read_only: false,
                audit: Some((log.clone(), Context::current(AuditSource::Console))),
            },
            log,
            reads_host,
            _dir: dir,
        };
        rig.poll();
        rig.app.drawn(Screen {
            services: Rect::new(0, 5, 160, 10),
            servers: Rect::new(0, 17, 160, 5),
            ..Screen::default()
        });
        rig
    }

    pub fn table(&self) -> Snapshot {
        futures::executor::block_on(self.sim.snapshot()).unwrap()
    }

    pub fn state(&self) -> HostState {
        self.director.host.current()
    }

    /// A poll as the poller makes it after a change: the table and the host.
    pub fn poll(&mut self) {
        let snapshot = Box::new(self.table());
        let mut effects = update(
            &mut self.app,
            Action::Snapshot {
                snapshot,
                at: Instant::now(),
            },
        );
        if !self.reads_host {
            return self.run(effects);
        }
        let host = futures::executor::block_on(self.director.host()).unwrap();
        effects.extend(update(&mut self.app, Action::HostRead(Box::new(host))));
        self.run(effects);
    }

    /// Carries out changes, the doctor and the persist pane's files as the event loop does, with
    /// the console's executor; a poll follows each change. The one place the rig executes effects.
    pub fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            let applied = matches!(effect, Effect::Apply(_));
            if !(applied
                || matches!(
                    effect,
                    Effect::RunDoctor(_) | Effect::PlanPersist(_) | Effect::WritePersist(_)
                ))
            {
                continue;
            }
            let mut executor = Executor::new(self.director.clone(), self.policy.clone());
            let Some(action) = futures::executor::block_on(executor.run(effect)) else {
                continue;
            };
            let more = update(&mut self.app, action);
            if applied {
                self.poll();
            }
            self.run(more);
        }
    }

    /// The doctor's findings as shown: "check: fix commands".
    pub fn findings(&self) -> Vec<String> {
        let view = self.app.stack.doctor().expect("the doctor is open");
        let findings = view
            .findings
            .as_ref()
            .expect("the doctor answered")
            .as_ref()
            .expect("the doctor could look");
        findings
            .iter()
            .map(|f| {
                format!(
                    "{}: {}",
                    f.check,
                    f.fix
                        .iter()
                        .map(|o| o.to_command())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })
            .collect()
    }

    pub fn press_with(&mut self, code: KeyCode, mods: KeyModifiers) {
        let effects = crate::keys::press_with(&mut self.app, code, mods);
        self.run(effects);
    }

    pub fn press(&mut self, code: KeyCode) {
        self.press_with(code, crate::keys::mods(code));
    }

    pub fn key(&mut self, c: char) {
        self.press(KeyCode::Char(c));
    }

    pub fn typed(&mut self, text: &str) {
        text.chars().for_each(|c| self.key(c));
    }

    /// Empties the focused field (Ctrl-U).
    pub fn clear_field(&mut self) {
        self.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    }

    pub fn flash(&self) -> String {
        self.app
            .flash
            .as_ref()
            .map(|f| f.text.clone())
            .unwrap_or_default()
    }

    pub fn audit(&self) -> Vec<String> {
        audit_lines(self.log.path())
    }

    /// The host form's field errors and its own, as drawn.
    pub fn form_errors(&self) -> (Vec<Option<String>>, Option<String>) {
        match self.app.stack.modal() {
            Some(Modal::Host(form)) => (
                form.fields()
                    .iter()
                    .map(|f| f.error.map(String::from))
                    .collect(),
                form.error().map(String::from),
            ),
            _ => panic!("no host form open"),
        }
    }

    pub fn form_values(&self) -> Vec<String> {
        match self.app.stack.modal() {
            Some(Modal::Host(form)) => form
                .fields()
                .iter()
                .map(|f| form.value(f.id).unwrap_or_default())
                .collect(),
            _ => panic!("no host form open"),
        }
    }

    /// In the interfaces pane: moves to the row of `dev` holding `addr` (or its first row).
    pub fn select_addr(&mut self, dev: &str, addr: Option<&str>) {
        self.key('g');
        loop {
            let state = self.app.director.host_state.clone().unwrap();
            let rows = rows::interface_rows(&state);
            let row = rows[self.app.stack.host_pane().unwrap().nav.selected];
            if row.link.name == dev
                && addr.is_none_or(|a| row.addr.is_some_and(|x| x.addr.to_string() == a))
            {
                return;
            }
            let before = self.app.stack.host_pane().unwrap().nav.selected;
            self.key('j');
            assert_ne!(
                before,
                self.app.stack.host_pane().unwrap().nav.selected,
                "{dev} {addr:?} not listed"
            );
        }
    }

    /// In the sysctls pane: moves to the row of `name`.
    pub fn select_sysctl(&mut self, name: &str) {
        self.key('g');
        while rows::sysctl_rows(self.app.director.host_state.as_ref().unwrap())
            [self.app.stack.host_pane().unwrap().nav.selected]
            .name
            != name
        {
            let before = self.app.stack.host_pane().unwrap().nav.selected;
            self.key('j');
            assert_ne!(
                before,
                self.app.stack.host_pane().unwrap().nav.selected,
                "{name} not listed"
            );
        }
    }
}

/// The commands in the audit log at `path`: "ok COMMAND" or "failed COMMAND", undos marked.
pub fn audit_lines(path: &std::path::Path) -> Vec<String> {
    read_last(path, 100)
        .map(|t| t.entries)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            format!(
                "{} {}{}",
                if e.is_ok() { "ok" } else { "failed" },
                e.command,
                if e.undo_of.is_some() { " (undo)" } else { "" }
            )
        })
        .collect()
}

pub fn bound(state: &HostState, dev: &str, addr: &str) -> Option<(u8, Option<String>)> {
    let addr: std::net::IpAddr = addr.parse().unwrap();
    state
        .link(dev)?
        .addrs
        .iter()
        .find(|a| a.addr == addr)
        .map(|a| (a.prefix, a.label.clone()))
}

// ---------------------------------------------------------------- screens

/// The demo table (seed 7, as console_screens) polled for a minute, and its director host with
/// `tweak` applied.
pub fn screen_app(tweak: impl FnOnce(&mut HostState)) -> App {
    let sim = SimBackend::demo(7);
    sim.advance(Duration::from_secs(30));
    let t0 = Instant::now();
    let mut app = App::new(Source::Simulated, "demo-lb", Keymap::builtin(), t0);
    let mut at = t0;
    for k in 0..30u64 {
        sim.advance(Duration::from_secs(2));
        at = t0 + Duration::from_secs(2 * k);
        let snapshot = futures::executor::block_on(sim.snapshot()).unwrap();
        update(
            &mut app,
            Action::Snapshot {
                snapshot: Box::new(snapshot),
                at,
            },
        );
    }
    let mut state = host::demo::state(app.director.snapshot.as_ref().unwrap());
    tweak(&mut state);
    update(&mut app, Action::HostRead(Box::new(state)));
    update(&mut app, Action::Tick(at + Duration::from_secs(1)));
    app
}

/// The first IPv4 VIP of the demo, unbound.
pub fn unbind_first_vip(state: &mut HostState) -> std::net::IpAddr {
    let eth0 = state.links.iter_mut().find(|l| l.name == "eth0").unwrap();
    let at = eth0.addrs.iter().position(|a| a.prefix == 32).unwrap();
    eth0.addrs.remove(at).addr
}
