//! A console of several simulated directors (`sim:lb1`, `sim:lb2:backup`...) on simulated time:
//! keys into `update`, each effect carried out by the executor of the director it is tagged
//! for, each on its own audit log, and polls of each director tagged with its id, as the event
//! loop does.

use crate::rig::*;
use ipvs_tui::backend::sim::named_parts;
use ipvs_tui::console::director::Director;
use ipvs_tui::console::stack::Page;
use ipvs_tui::owners::keepalived::reader::KeepalivedState;
use ipvs_tui::owners::keepalived::{VrrpState, process::Process, vrrp};
use ipvs_tui::remote::Target;
use std::path::PathBuf;

pub struct Fleet {
    pub app: App,
    pub backends: Vec<Rc<Sim>>,
    pub logs: Vec<AuditLog>,
    pub t0: Instant,
    /// Seconds of simulated time so far.
    pub secs: u64,
    /// Directors whose link drops with each change in flight (nothing applied, fate unknown).
    pub dropping: Vec<usize>,
    _dir: tempfile::TempDir,
}

impl Fleet {
    /// Directors of these targets (`sim:` only), polled for half a minute; the directors page shown.
    pub fn new(targets: &[&str]) -> Fleet {
        let dir = tempfile::tempdir().unwrap();
        let t0 = Instant::now();
        let mut app = App::new(Source::Simulated, "", Keymap::builtin(), t0);
        let (mut backends, mut logs) = (Vec::new(), Vec::new());
        for (i, text) in targets.iter().enumerate() {
            let target: Target = text.parse().unwrap();
            let Target::Sim { name, role } = &target else {
                panic!("{text}: the rig runs simulated directors only");
            };
            let (sim, host) = named_parts(name, *role);
            backends.push(Rc::new(Sim::new(sim, MemoryHost::new(host))));
            logs.push(AuditLog::at(dir.path().join(format!("{name}.log"))));
            let mut director = Director::new(Source::Simulated, name.clone());
            director.target = Some(target.to_string());
            if i == 0 {
                app.director = director;
            } else {
                app.add_director(director);
            }
        }
        app.stack.page = Page::Directors(Default::default());
        let mut fleet = Fleet {
            app,
            backends,
            logs,
            t0,
            secs: 0,
            dropping: Vec::new(),
            _dir: dir,
        };
        for _ in 0..15 {
            fleet.advance(2);
        }
        fleet
    }

    pub fn now(&self) -> Instant {
        self.t0 + Duration::from_secs(self.secs)
    }

    /// `secs` seconds pass: each director's traffic, then a poll of each, then the clock.
    pub fn advance(&mut self, secs: u64) {
        self.secs += secs;
        for b in &self.backends {
            b.table.advance(Duration::from_secs(secs));
        }
        for id in 0..self.backends.len() {
            self.poll(id);
        }
        let now = self.now();
        let effects = update(&mut self.app, Action::Tick(now));
        self.run(effects);
    }

    pub fn table(&self, id: usize) -> Snapshot {
        futures::executor::block_on(self.backends[id].snapshot()).unwrap()
    }

    /// A poll of director `id` as its poller makes it: the table and the host.
    pub fn poll(&mut self, id: usize) {
        let at = self.now();
        let snapshot = Box::new(self.table(id));
        let mut effects = self.on(id, Action::Snapshot { snapshot, at });
        let host = futures::executor::block_on(self.backends[id].host()).unwrap();
        effects.extend(self.on(id, Action::HostRead(Box::new(host))));
        self.run(effects);
    }

    /// A poll of director `id` that failed with `error`.
    pub fn poll_fails(&mut self, id: usize, error: ipvs_tui::ipvs::Error) {
        let at = self.now();
        let effects = self.on(id, Action::PollFailed { error, at });
        self.run(effects);
    }

    pub fn on(&mut self, id: usize, action: Action) -> Vec<Effect> {
        update(&mut self.app, Action::On(id, Box::new(action)))
    }

    /// Carries out changes on the director each is tagged for (untagged: the one shown), then
    /// polls that director, as the event loop does.
    pub fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            let (id, effect) = match effect {
                Effect::On(id, e) => (id, *e),
                e => (self.app.director.id, e),
            };
            if !matches!(effect, Effect::Apply(_)) {
                continue;
            }
            let policy = Policy {
                read_only: false,
                audit: Some((
                    self.logs[id].clone(),
                    Context::current(AuditSource::Console),
                )),
            };
            let backend: Rc<dyn Backend> = if self.dropping.contains(&id) {
                Rc::new(Dropping(self.backends[id].clone()))
            } else {
                self.backends[id].clone()
            };
            let mut executor = Executor::new(backend, policy);
            let Some(action) = futures::executor::block_on(executor.run(effect)) else {
                continue;
            };
            let more = self.on(id, action);
            self.poll(id);
            self.run(more);
        }
    }

    pub fn key(&mut self, c: char) {
        let effects = crate::keys::press(&mut self.app, crate::keys::code(c));
        self.run(effects);
    }

    pub fn press(&mut self, code: KeyCode) {
        let effects = crate::keys::press(&mut self.app, code);
        self.run(effects);
    }

    /// The commands in director `id`'s audit log: "ok COMMAND" or "failed COMMAND", undos marked.
    pub fn audit(&self, id: usize) -> Vec<String> {
        audit_lines(self.logs[id].path())
    }

    pub fn flash(&self) -> String {
        self.app
            .flash
            .as_ref()
            .map(|f| f.text.clone())
            .unwrap_or_default()
    }

    /// keepalived on director `id` says `state` for its VRRP instance VI_LAB.
    pub fn vrrp(&mut self, id: usize, state: VrrpState) {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/keepalived/2.2.7/director-keepalived.data"
        ))
        .unwrap();
        let mut data = vrrp::parse(&text).unwrap();
        data.instances.iter_mut().for_each(|i| i.state = state);
        let read = KeepalivedState {
            process: Process {
                pid: 4242,
                config: PathBuf::from("/etc/keepalived/keepalived.conf"),
                tmp_dir: PathBuf::from("/tmp"),
                vrrp: Some(true),
                checker: Some(false),
            },
            read_at: "2026-12-07T06:00:00Z".parse().unwrap(),
            vrrp: Some(data),
            check: None,
            files: vec![PathBuf::from("/tmp/keepalived.data")],
        };
        let at = self.now();
        let effects = self.on(
            id,
            Action::KeepalivedRead {
                result: Box::new(Ok(read)),
                at,
            },
        );
        self.run(effects);
    }

    pub fn screen(&mut self, width: u16, height: u16) -> String {
        crate::screen::screen(&mut self.app, width, height)
    }
}

/// A director whose link drops while a change is in flight: reads work, a change's fate is
/// unknown (as `remote::Remote` reports it), and nothing is applied.
struct Dropping(Rc<Sim>);

impl Backend for Dropping {
    fn snapshot(&self) -> ipvs_tui::backend::Reply<'_, ipvs_tui::ipvs::Result<Snapshot>> {
        self.0.snapshot()
    }
    fn host(&self) -> ipvs_tui::backend::Reply<'_, Result<HostState, ipvs_tui::host::HostError>> {
        self.0.host()
    }
    fn apply<'a>(
        &'a self,
        _: &'a ipvs_tui::operation::Operation,
    ) -> ipvs_tui::backend::Reply<'a, Result<(), ipvs_tui::operation::OperationError>> {
        Box::pin(async {
            Err(ipvs_tui::ipvs::Error::Unknown(
                "the link to lb2 dropped with the change in flight (ssh exited)".into(),
            )
            .into())
        })
    }
}
