//! The host panes from the keyboard, end to end without a terminal: keys through the keymap into
//! `update`, host changes executed as the poller would (on the simulator and an in-memory host
//! around the demo table, audited), the outcome fed back and table and host read again. Then
//! the panes and the bind form as screens.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ipvs_tui::console::app::{Modal, Screen};
use ipvs_tui::console::changes::{self, Policy};
use ipvs_tui::console::hostpanes::rows;
use ipvs_tui::console::input::action_for;
use ipvs_tui::console::keymap::Layer;
use ipvs_tui::console::{Action, App, Command, Effect, Keymap, Source, update};
use ipvs_tui::host::{self, HostBackend, HostState, MemoryHost};
use ipvs_tui::ipvs::audit::{AuditLog, Context, Source as AuditSource, read_last};
use ipvs_tui::ipvs::model::Snapshot;
use ipvs_tui::ipvs::sim::SimBackend;
use ipvs_tui::ipvs::Backend;
use ipvs_tui::ui::{self, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use std::time::{Duration, Instant};

struct Rig {
    app: App,
    sim: SimBackend,
    host: MemoryHost,
    policy: Policy,
    log: AuditLog,
    _dir: tempfile::TempDir,
}

impl Rig {
    fn new() -> Rig {
        Rig::with_host(|_| {})
    }

    /// The demo director, changed by `tweak` first.
    fn with_host(tweak: impl FnOnce(&mut HostState)) -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("audit.log"));
        let sim = SimBackend::demo(3);
        let mut state = host::demo::state(&futures::executor::block_on(sim.snapshot()).unwrap());
        tweak(&mut state);
        let mut rig = Rig {
            app: App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now()),
            sim,
            host: MemoryHost::new(state),
            policy: Policy { read_only: false, audit: Some((log.clone(), Context::current(AuditSource::Console))) },
            log,
            _dir: dir,
        };
        rig.poll();
        rig.app.drawn(Screen { services: Rect::new(0, 5, 160, 10), servers: Rect::new(0, 17, 160, 5), ..Screen::default() });
        rig
    }

    fn table(&self) -> Snapshot {
        futures::executor::block_on(self.sim.snapshot()).unwrap()
    }

    fn state(&self) -> HostState {
        self.host.current()
    }

    /// A poll as the poller makes it after a change: the table and the host.
    fn poll(&mut self) {
        let snapshot = Box::new(self.table());
        let mut effects = update(&mut self.app, Action::Snapshot { snapshot, at: Instant::now() });
        let host = futures::executor::block_on(self.host.state()).unwrap();
        effects.extend(update(&mut self.app, Action::HostRead(Box::new(host))));
        self.run(effects);
    }

    fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Apply(change) => {
                    let outcome = futures::executor::block_on(changes::execute(&self.sim, &self.host, change, &self.policy));
                    let more = update(&mut self.app, Action::Applied(Box::new(outcome)));
                    self.poll();
                    self.run(more);
                }
                // As the poller does it: on the same table and host.
                Effect::RunDoctor => {
                    let findings = futures::executor::block_on(ipvs_tui::console::doctor::run(&self.sim, &self.host));
                    let more = update(&mut self.app, Action::DoctorRead(findings));
                    self.run(more);
                }
                _ => {}
            }
        }
    }

    /// The doctor's findings as shown: "check: fix commands".
    fn findings(&self) -> Vec<String> {
        let view = self.app.doctor.as_ref().expect("the doctor is open");
        let findings = view.findings.as_ref().expect("the doctor answered").as_ref().expect("the doctor could look");
        findings.iter().map(|f| format!("{}: {}", f.check, f.fix.iter().map(|o| o.to_command()).collect::<Vec<_>>().join("; "))).collect()
    }

    fn press_with(&mut self, code: KeyCode, mods: KeyModifiers) {
        if let Some(action) = action_for(&self.app, &Event::Key(KeyEvent::new(code, mods))) {
            let effects = update(&mut self.app, action);
            self.run(effects);
        }
    }

    fn press(&mut self, code: KeyCode) {
        self.press_with(code, KeyModifiers::NONE);
    }

    fn key(&mut self, c: char) {
        self.press(KeyCode::Char(c));
    }

    fn typed(&mut self, text: &str) {
        text.chars().for_each(|c| self.key(c));
    }

    /// Empties the focused field (Ctrl-U).
    fn clear_field(&mut self) {
        self.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    }

    fn flash(&self) -> String {
        self.app.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
    }

    fn audit(&self) -> Vec<String> {
        let entries = read_last(self.log.path(), 100).map(|t| t.entries).unwrap_or_default();
        entries
            .iter()
            .map(|e| format!("{} {}{}", if e.is_ok() { "ok" } else { "failed" }, e.command, if e.undo_of.is_some() { " (undo)" } else { "" }))
            .collect()
    }

    /// The host form's field errors and its own, as drawn.
    fn form_errors(&self) -> (Vec<Option<String>>, Option<String>) {
        match &self.app.modal {
            Some(Modal::Host(form)) => (form.fields.iter().map(|f| f.error.clone()).collect(), form.error.clone()),
            _ => panic!("no host form open"),
        }
    }

    fn form_values(&self) -> Vec<String> {
        match &self.app.modal {
            Some(Modal::Host(form)) => form.fields.iter().map(|f| f.input.value().to_string()).collect(),
            _ => panic!("no host form open"),
        }
    }

    /// In the interfaces pane: moves to the row of `dev` holding `addr` (or its first row).
    fn select_addr(&mut self, dev: &str, addr: Option<&str>) {
        self.key('g');
        loop {
            let state = self.app.host_state.clone().unwrap();
            let rows = rows::interface_rows(&state);
            let row = rows[self.app.host_pane.unwrap().nav.selected];
            if row.link.name == dev && addr.is_none_or(|a| row.addr.is_some_and(|x| x.addr.to_string() == a)) {
                return;
            }
            let before = self.app.host_pane.unwrap().nav.selected;
            self.key('j');
            assert_ne!(before, self.app.host_pane.unwrap().nav.selected, "{dev} {addr:?} not listed");
        }
    }

    /// In the sysctls pane: moves to the row of `name`.
    fn select_sysctl(&mut self, name: &str) {
        self.key('g');
        while rows::sysctl_rows(self.app.host_state.as_ref().unwrap())[self.app.host_pane.unwrap().nav.selected].name != name {
            let before = self.app.host_pane.unwrap().nav.selected;
            self.key('j');
            assert_ne!(before, self.app.host_pane.unwrap().nav.selected, "{name} not listed");
        }
    }
}

fn bound(state: &HostState, dev: &str, addr: &str) -> Option<(u8, Option<String>)> {
    let addr: std::net::IpAddr = addr.parse().unwrap();
    state.link(dev)?.addrs.iter().find(|a| a.addr == addr).map(|a| (a.prefix, a.label.clone()))
}

#[test]
fn a_vip_bound_and_unbound_by_keys_is_audited_and_undone() {
    let mut rig = Rig::new();
    rig.key('i');
    assert_eq!(rig.app.layers(), [Layer::Interfaces]);
    rig.select_addr("eth1", None);
    rig.key('b');
    assert_eq!(rig.form_values(), ["", "eth1", ""], "the interface is the selected one");
    rig.typed("192.0.2.99");
    rig.press(KeyCode::Tab);
    rig.clear_field();
    rig.typed("eth0");
    rig.press(KeyCode::Tab);
    rig.typed("eth0:99");
    rig.press(KeyCode::Enter);
    assert!(rig.app.modal.is_none(), "{:?}", rig.flash());
    assert_eq!(bound(&rig.state(), "eth0", "192.0.2.99"), Some((32, Some("eth0:99".into()))));
    assert_eq!(rig.flash(), "applied: ip addr add 192.0.2.99/32 dev eth0 label eth0:99; u undoes it");
    assert!(rig.app.host_state.as_ref().is_some_and(|h| host::vips::is_bound(h, "192.0.2.99".parse().unwrap())), "read again after the change");

    // Unbinding asks, showing the command; Esc keeps it.
    rig.select_addr("eth0", Some("192.0.2.99"));
    rig.key('x');
    let Some(Modal::Confirm(confirm)) = &rig.app.modal else { panic!("no confirmation") };
    assert_eq!(confirm.commands(), ["ip addr del 192.0.2.99/32 dev eth0"]);
    rig.press(KeyCode::Esc);
    assert!(bound(&rig.state(), "eth0", "192.0.2.99").is_some());
    rig.key('x');
    rig.press(KeyCode::Enter);
    assert_eq!(bound(&rig.state(), "eth0", "192.0.2.99"), None);

    // u in the pane undoes the unbind (the label comes back), then the bind.
    rig.key('u');
    assert_eq!(bound(&rig.state(), "eth0", "192.0.2.99"), Some((32, Some("eth0:99".into()))));
    rig.key('u');
    assert_eq!(bound(&rig.state(), "eth0", "192.0.2.99"), None);
    assert_eq!(rig.state(), Rig::new().state(), "the host is as it was");
    assert_eq!(rig.audit(), [
        "ok ip addr add 192.0.2.99/32 dev eth0 label eth0:99",
        "ok ip addr del 192.0.2.99/32 dev eth0",
        "ok ip addr add 192.0.2.99/32 dev eth0 label eth0:99 (undo)",
        "ok ip addr del 192.0.2.99/32 dev eth0 (undo)",
    ]);
    rig.press(KeyCode::Esc);
    assert!(rig.app.host_pane.is_none());
}

#[test]
fn bad_vip_input_keeps_the_form_names_the_problem_and_changes_nothing() {
    let mut rig = Rig::new();
    let before = rig.state();
    rig.key('i');
    rig.select_addr("eth0", None);
    rig.key('b');
    rig.typed("192.0.2.1/33");
    let (fields, _) = rig.form_errors();
    assert_eq!(fields[0].as_deref(), Some(r#"VIP "192.0.2.1/33": the prefix must be a whole number from 1 to 32 for an IPv4 address"#), "as you type");
    rig.press(KeyCode::Enter);
    assert!(matches!(rig.app.modal, Some(Modal::Host(_))), "the form stays");
    assert_eq!(rig.form_values(), ["192.0.2.1/33", "eth0", ""], "typed text stays");

    // An interface this host lacks, and a label of another interface.
    rig.press(KeyCode::Backspace);
    rig.press(KeyCode::Backspace);
    rig.press(KeyCode::Backspace);
    rig.press(KeyCode::Tab);
    rig.clear_field();
    rig.typed("eth9");
    rig.press(KeyCode::Tab);
    rig.typed("lo:1");
    rig.press(KeyCode::Enter);
    let (fields, _) = rig.form_errors();
    assert_eq!(fields[0], None);
    assert_eq!(fields[1].as_deref(), Some("interface eth9 does not exist here; the interfaces are lo, eth0, eth1"));
    assert_eq!(fields[2].as_deref(), Some(r#"label "lo:1": must be the interface name, ':' and a suffix, 15 characters at most, e.g. eth9:0"#));

    // A VIP already bound there: refused for the whole form before anything is sent.
    let vip = rig.table().services.iter().find_map(|s| match s.config.key {
        ipvs_tui::ipvs::model::ServiceKey::Addr { addr, .. } if addr.is_ipv4() => Some(addr),
        _ => None,
    });
    let vip = vip.unwrap();
    rig.press(KeyCode::Tab);
    rig.clear_field();
    rig.typed(&vip.to_string());
    rig.press(KeyCode::Tab);
    rig.clear_field();
    rig.typed("eth0");
    rig.press(KeyCode::Tab);
    rig.clear_field();
    rig.press(KeyCode::Enter);
    assert_eq!(rig.form_errors(), (vec![None, None, None], Some(format!("address {vip}/32 is already on eth0"))));
    rig.press(KeyCode::Esc);
    assert_eq!(rig.state(), before);
    assert!(rig.audit().is_empty(), "nothing was sent");
}

#[test]
fn a_sysctl_set_by_keys_is_checked_as_typed_applied_and_undone() {
    let mut rig = Rig::new();
    rig.key('s');
    assert_eq!(rig.app.layers(), [Layer::Sysctls]);
    rig.select_sysctl("net.ipv4.ip_forward");
    rig.press(KeyCode::Enter);
    assert_eq!(rig.form_values(), ["1"]);
    rig.clear_field();
    rig.typed("2");
    assert_eq!(rig.form_errors().0[0].as_deref(), Some(r#"sysctl "net.ipv4.ip_forward=2": the value must be 0 or 1"#));
    rig.press(KeyCode::Enter);
    assert_eq!(rig.form_values(), ["2"]);
    assert_eq!(rig.state().sysctls["net.ipv4.ip_forward"], "1");
    rig.clear_field();
    rig.typed("0");
    rig.press(KeyCode::Enter);
    assert!(rig.app.modal.is_none());
    assert_eq!(rig.state().sysctls["net.ipv4.ip_forward"], "0");
    assert_eq!(rig.flash(), "applied: sysctl -w net.ipv4.ip_forward=0; u undoes it");

    // A two-number value, and one of an interface.
    rig.select_sysctl("net.ipv4.vs.sync_threshold");
    rig.press(KeyCode::Enter);
    rig.clear_field();
    rig.typed("50 50");
    rig.press(KeyCode::Enter);
    assert!(rig.form_errors().0[0].as_deref().is_some_and(|e| e.contains("the threshold below the period")));
    rig.clear_field();
    rig.typed("3  60");
    rig.press(KeyCode::Enter);
    assert_eq!(rig.state().sysctls["net.ipv4.vs.sync_threshold"], "3 60");
    rig.select_sysctl("net.ipv4.conf.lo.arp_ignore");
    rig.press(KeyCode::Enter);
    rig.clear_field();
    rig.typed("1");
    rig.press(KeyCode::Enter);
    assert_eq!(rig.state().sysctls["net.ipv4.conf.lo.arp_ignore"], "1");

    for _ in 0..3 {
        rig.key('u');
    }
    assert_eq!(rig.state(), Rig::new().state());
    assert_eq!(rig.audit(), [
        "ok sysctl -w net.ipv4.ip_forward=0",
        "ok sysctl -w 'net.ipv4.vs.sync_threshold=3 60'",
        "ok sysctl -w net.ipv4.conf.lo.arp_ignore=1",
        "ok sysctl -w net.ipv4.conf.lo.arp_ignore=0 (undo)",
        "ok sysctl -w 'net.ipv4.vs.sync_threshold=3 50' (undo)",
        "ok sysctl -w net.ipv4.ip_forward=1 (undo)",
    ]);
}

#[test]
fn a_sysctl_this_host_lacks_is_listed_and_cannot_be_set() {
    let mut rig = Rig::with_host(|h| h.sysctls.retain(|name, _| !name.starts_with("net.ipv4.vs.")));
    rig.key('s');
    rig.select_sysctl("net.ipv4.vs.conntrack");
    rig.press(KeyCode::Enter);
    assert!(rig.app.modal.is_none());
    assert_eq!(rig.flash(), "sysctl net.ipv4.vs.conntrack does not exist on this host (is the ip_vs module loaded?)");
}

#[test]
fn read_only_opens_the_panes_but_offers_no_host_change() {
    let mut rig = Rig::new();
    rig.app.set_read_only();
    rig.policy.read_only = true;
    let before = rig.state();
    for layer in [Layer::Interfaces, Layer::Sysctls, Layer::Global] {
        assert!(rig.app.keymap.bindings(layer).iter().all(|b| !b.command.is_change()), "{layer:?} binds a change");
    }
    rig.key('i');
    assert!(rig.app.host_pane.is_some(), "the pane opens");
    rig.select_addr("eth0", Some("198.51.100.2"));
    for c in "bxdu".chars() {
        rig.key(c);
    }
    rig.press(KeyCode::Enter);
    assert!(rig.app.modal.is_none());
    rig.key('i');
    rig.key('s');
    assert!(rig.app.host_pane.is_some());
    rig.press(KeyCode::Enter);
    rig.key('e');
    assert!(rig.app.modal.is_none());
    for c in [Command::BindVip, Command::UnbindVip, Command::EditSysctl] {
        let effects = update(&mut rig.app, Action::Command(c));
        assert!(effects.is_empty() && rig.app.modal.is_none(), "{c:?}");
        assert!(rig.flash().starts_with("read-only"), "{}", rig.flash());
    }
    assert_eq!(rig.state(), before);
    let help = ipvs_tui::ui::help::lines(&rig.app, &Theme::builtin(), 100);
    let help: String = help.iter().map(|l| l.to_string() + "\n").collect();
    assert!(!help.contains("Bind a VIP") && !help.contains("Set the selected sysctl"), "{help}");
    assert!(help.contains("Interfaces and their addresses"));
}

#[test]
fn the_doctor_finds_ip_forward_off_and_its_fix_applies_after_a_confirmation() {
    let mut rig = Rig::with_host(|h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    });
    let healthy = {
        let mut r = Rig::new();
        r.key('H');
        r.findings()
    };
    assert!(!healthy.iter().any(|f| f.starts_with("ip_forward_off")), "{healthy:?}");
    rig.key('H');
    assert_eq!(rig.app.layers(), [Layer::Doctor]);
    let findings = rig.findings();
    let at = findings.iter().position(|f| f.starts_with("ip_forward_off")).unwrap_or_else(|| panic!("{findings:?}"));
    assert_eq!(findings[at], "ip_forward_off: sysctl -w net.ipv4.ip_forward=1");
    rig.key('g');
    for _ in 0..at {
        rig.key('j');
    }
    rig.press(KeyCode::Enter);
    let Some(Modal::Confirm(confirm)) = &rig.app.modal else { panic!("no confirmation") };
    assert_eq!(confirm.commands(), ["sysctl -w net.ipv4.ip_forward=1"]);
    rig.press(KeyCode::Esc);
    assert_eq!(rig.state().sysctls["net.ipv4.ip_forward"], "0", "Esc changes nothing");
    rig.press(KeyCode::Enter);
    rig.press(KeyCode::Enter);
    assert_eq!(rig.state().sysctls["net.ipv4.ip_forward"], "1");
    assert_eq!(rig.findings(), healthy, "the doctor looked again after the fix");
    rig.key('u');
    assert_eq!(rig.state().sysctls["net.ipv4.ip_forward"], "0");
    assert!(rig.findings().iter().any(|f| f.starts_with("ip_forward_off")));
    assert_eq!(rig.audit(), ["ok sysctl -w net.ipv4.ip_forward=1", "ok sysctl -w net.ipv4.ip_forward=0 (undo)"]);

    // Read-only: the doctor looks, but no fix is offered or applied.
    let mut ro = Rig::with_host(|h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    });
    ro.app.set_read_only();
    ro.policy.read_only = true;
    assert!(ro.app.keymap.bindings(Layer::Doctor).iter().all(|b| !b.command.is_change()));
    ro.key('H');
    assert!(ro.findings().iter().any(|f| f.starts_with("ip_forward_off")));
    for _ in 0..10 {
        ro.press(KeyCode::Enter);
        ro.key('F');
        ro.key('j');
    }
    assert!(ro.app.modal.is_none());
    assert_eq!(ro.state().sysctls["net.ipv4.ip_forward"], "0");
}

// ---------------------------------------------------------------- screens

/// The demo table (seed 7, as console_screens) polled for a minute, and its director host with
/// `tweak` applied.
fn screen_app(tweak: impl FnOnce(&mut HostState)) -> App {
    let sim = SimBackend::demo(7);
    sim.advance(Duration::from_secs(30));
    let t0 = Instant::now();
    let mut app = App::new(Source::Simulated, "demo-lb", Keymap::builtin(), t0);
    let mut at = t0;
    for k in 0..30u64 {
        sim.advance(Duration::from_secs(2));
        at = t0 + Duration::from_secs(2 * k);
        let snapshot = futures::executor::block_on(sim.snapshot()).unwrap();
        update(&mut app, Action::Snapshot { snapshot: Box::new(snapshot), at });
    }
    let mut state = host::demo::state(app.snapshot.as_ref().unwrap());
    tweak(&mut state);
    update(&mut app, Action::HostRead(Box::new(state)));
    update(&mut app, Action::Tick(at + Duration::from_secs(1)));
    app
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    for _ in 0..2 {
        let mut screen = Default::default();
        terminal.draw(|f| screen = ui::draw(f, app, &Theme::builtin())).unwrap();
        app.drawn(screen);
    }
    let buffer = terminal.backend().buffer().clone();
    let symbols: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
    symbols.chunks(usize::from(width)).map(|row| row.concat().trim_end().to_string()).collect::<Vec<_>>().join("\n")
}

fn keys(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        if let Some(action) = action_for(app, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE))) {
            update(app, action);
        }
    }
}

/// The first IPv4 VIP of the demo, unbound.
fn unbind_first_vip(state: &mut HostState) -> std::net::IpAddr {
    let eth0 = state.links.iter_mut().find(|l| l.name == "eth0").unwrap();
    let at = eth0.addrs.iter().position(|a| a.prefix == 32).unwrap();
    eth0.addrs.remove(at).addr
}

#[test]
fn services_whose_vip_is_not_bound_are_marked() {
    let mut vip = None;
    let mut app = screen_app(|h| vip = Some(unbind_first_vip(h)));
    let text = screen(&mut app, 80, 24);
    let vip = vip.unwrap().to_string();
    let marked: Vec<&str> = text.lines().filter(|l| l.contains('✗')).collect();
    assert!(!marked.is_empty() && marked.iter().all(|l| l.contains(&format!("{vip}:"))), "{text}");
    insta::assert_snapshot!(text);
    let mut all_bound = screen_app(|_| {});
    assert!(!screen(&mut all_bound, 80, 24).contains('✗'));
}

#[test]
fn interfaces_80x24() {
    let mut app = screen_app(|h| {
        unbind_first_vip(h);
    });
    keys(&mut app, "ijjj");
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn interfaces_160x48() {
    let mut app = screen_app(|_| {});
    keys(&mut app, "i");
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}

#[test]
fn sysctls_80x24() {
    let mut app = screen_app(|h| {
        h.sysctls.insert("net.ipv4.conf.all.rp_filter".into(), "1".into());
    });
    keys(&mut app, "sjjj");
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn sysctls_160x48() {
    let mut app = screen_app(|_| {});
    keys(&mut app, "s");
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}

#[test]
fn bind_form_with_an_error_80x24() {
    let mut app = screen_app(|_| {});
    keys(&mut app, "ijjjb192.0.2.300");
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn doctor_80x24() {
    let mut app = screen_app(|h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
        unbind_first_vip(h);
    });
    keys(&mut app, "H");
    assert!(matches!(app.doctor.as_ref().map(|d| &d.findings), Some(None)), "waiting for the doctor");
    let sim = SimBackend::demo(7);
    sim.advance(Duration::from_secs(30));
    let host = MemoryHost::new(app.host_state.clone().unwrap());
    let findings = futures::executor::block_on(ipvs_tui::console::doctor::run(&sim, &host));
    update(&mut app, Action::DoctorRead(findings));
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn doctor_160x48() {
    let mut app = screen_app(|h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    });
    keys(&mut app, "H");
    let sim = SimBackend::demo(7);
    sim.advance(Duration::from_secs(30));
    let host = MemoryHost::new(app.host_state.clone().unwrap());
    let findings = futures::executor::block_on(ipvs_tui::console::doctor::run(&sim, &host));
    update(&mut app, Action::DoctorRead(findings));
    keys(&mut app, "j");
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}

#[test]
fn sysctl_form_160x48() {
    let mut app = screen_app(|_| {});
    keys(&mut app, "s\n");
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}

// ---------------------------------------------------------------- the poller

/// The poller reads the host on its first poll, then every HOST_EVERY polls, and right after a
/// host change; the doctor runs in its task on the same table and host.
#[test]
fn the_poller_reads_the_host_now_and_then_and_after_a_host_change() {
    use ipvs_tui::console::poller::{HOST_EVERY, Poller};
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&runtime, async {
        let sim = SimBackend::demo(3);
        let state = host::demo::state(&sim.snapshot().await.unwrap());
        let mut poller = Poller::spawn(sim, MemoryHost::new(state), Duration::from_millis(150), Policy::default());
        let mut seen = Vec::new();
        for _ in 0..(2 * HOST_EVERY + 1) {
            poller.results.changed().await.unwrap();
            seen.push(poller.results.borrow_and_update().as_ref().unwrap().host.is_some());
        }
        let every: Vec<bool> = (0..2 * HOST_EVERY + 1).map(|n| n % HOST_EVERY == 0).collect();
        assert_eq!(seen, every, "read on polls 0, {HOST_EVERY}, {}", 2 * HOST_EVERY);

        let op = host::parse::sysctl_assignment("net.ipv4.ip_forward=0").unwrap();
        poller.submit(changes::Change { id: 1, origin: changes::Origin::Key, ops: vec![op.into()], expect: None, undo_of: None });
        let outcome = poller.outcomes.recv().await.unwrap();
        assert!(outcome.result.is_ok());
        // The poll right after the change reads the host (a poll before it may still be unseen).
        let mut after = None;
        for _ in 0..2 {
            poller.results.changed().await.unwrap();
            after = poller.results.borrow_and_update().clone().unwrap().host.filter(|h| h.sysctls["net.ipv4.ip_forward"] == "0");
            if after.is_some() {
                break;
            }
        }
        assert!(after.is_some(), "the host was not read right after the change");

        poller.run_doctor();
        let findings = poller.diagnoses.recv().await.unwrap().unwrap();
        assert!(findings.iter().any(|f| f.check == "ip_forward_off"), "{findings:?}");
    });
}
