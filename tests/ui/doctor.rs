//! The doctor pane (`H`) from the keyboard, end to end without a terminal (see rig.rs), its
//! screens, the poller that reads the host, and the executor that runs the doctor.

use crate::rig::*;

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
    assert!(
        !healthy.iter().any(|f| f.starts_with("ip_forward_off")),
        "{healthy:?}"
    );
    rig.key('H');
    assert_eq!(rig.app.layers(), [Layer::Doctor]);
    let findings = rig.findings();
    let at = findings
        .iter()
        .position(|f| f.starts_with("ip_forward_off"))
        .unwrap_or_else(|| panic!("{findings:?}"));
    assert_eq!(
        findings[at],
        "ip_forward_off: sysctl -w net.ipv4.ip_forward=1"
    );
    rig.key('g');
    for _ in 0..at {
        rig.key('j');
    }
    rig.press(KeyCode::Enter);
    let Some(Modal::Confirm(confirm)) = rig.app.stack.modal() else {
        panic!("no confirmation")
    };
    assert_eq!(confirm.commands(), ["sysctl -w net.ipv4.ip_forward=1"]);
    rig.press(KeyCode::Esc);
    assert_eq!(
        rig.state().sysctls["net.ipv4.ip_forward"],
        "0",
        "Esc changes nothing"
    );
    rig.press(KeyCode::Enter);
    rig.press(KeyCode::Enter);
    assert_eq!(rig.state().sysctls["net.ipv4.ip_forward"], "1");
    assert_eq!(
        rig.findings(),
        healthy,
        "the doctor looked again after the fix"
    );
    rig.key('u');
    assert_eq!(rig.state().sysctls["net.ipv4.ip_forward"], "0");
    assert!(
        rig.findings()
            .iter()
            .any(|f| f.starts_with("ip_forward_off"))
    );
    assert_eq!(
        rig.audit(),
        [
            "ok sysctl -w net.ipv4.ip_forward=1",
            "ok sysctl -w net.ipv4.ip_forward=0 (undo)"
        ]
    );

    // Read-only: the doctor looks, but no fix is offered or applied.
    let mut ro = Rig::with_host(|h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    });
    ro.app.set_read_only();
    ro.policy.read_only = true;
    assert!(
        ro.app
            .keymap
            .bindings(Layer::Doctor)
            .iter()
            .all(|b| !b.command.is_change())
    );
    ro.key('H');
    assert!(
        ro.findings()
            .iter()
            .any(|f| f.starts_with("ip_forward_off"))
    );
    for _ in 0..10 {
        ro.press(KeyCode::Enter);
        ro.key('F');
        ro.key('j');
    }
    assert!(ro.app.stack.modal().is_none());
    assert_eq!(ro.state().sysctls["net.ipv4.ip_forward"], "0");
}

#[test]
fn doctor_80x24() {
    let mut app = screen_app(|h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
        unbind_first_vip(h);
    });
    keys(&mut app, "H");
    assert!(
        matches!(app.stack.doctor().map(|d| &d.findings), Some(None)),
        "waiting for the doctor"
    );
    let sim = SimBackend::demo(7);
    sim.advance(Duration::from_secs(30));
    let director = Sim::new(
        sim,
        MemoryHost::new(app.director.host_state.clone().unwrap()),
    );
    let findings = futures::executor::block_on(ipvs_tui::setup::gather::findings(
        &director,
        &Default::default(),
    ));
    update(&mut app, Action::DoctorRead(findings));
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

/// On a director elsewhere the pane says that its real servers were not probed from here (the
/// backend says it is not this host: `is_live`), and only there.
#[test]
fn the_doctor_of_a_director_elsewhere_says_it_skipped_the_probes() {
    use ipvs_tui::ui::panes::doctor::REMOTE_SKIPPED;
    for (source, said) in [(Source::Simulated, false), (Source::Remote, true)] {
        let mut app = screen_app(|_| {});
        app.director.source = source;
        keys(&mut app, "H");
        let director = Sim::new(
            SimBackend::demo(7),
            MemoryHost::new(app.director.host_state.clone().unwrap()),
        );
        let findings = futures::executor::block_on(ipvs_tui::setup::gather::findings(
            &director,
            &Default::default(),
        ));
        update(&mut app, Action::DoctorRead(findings));
        let text = screen(&mut app, 120, 30);
        assert_eq!(text.contains(REMOTE_SKIPPED), said, "{source:?}:\n{text}");
    }
}

#[test]
fn doctor_160x48() {
    let mut app = screen_app(|h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    });
    keys(&mut app, "H");
    let sim = SimBackend::demo(7);
    sim.advance(Duration::from_secs(30));
    let director = Sim::new(
        sim,
        MemoryHost::new(app.director.host_state.clone().unwrap()),
    );
    let findings = futures::executor::block_on(ipvs_tui::setup::gather::findings(
        &director,
        &Default::default(),
    ));
    update(&mut app, Action::DoctorRead(findings));
    keys(&mut app, "j");
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}
// ---------------------------------------------------------------- the poller

/// The poller reads the host on its first poll, then every HOST_EVERY polls, and when asked
/// after a host change (as the loop asks); the executor runs the doctor on the same director.
#[test]
fn the_poller_reads_the_host_now_and_then_and_after_a_host_change() {
    use ipvs_tui::runtime::poller::{HOST_EVERY, Poller};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tokio::task::LocalSet::new().block_on(&runtime, async {
        let sim = SimBackend::demo(3);
        let state = host::demo::state(&sim.snapshot().await.unwrap());
        let director: Rc<dyn Backend> = Rc::new(Sim::new(sim, MemoryHost::new(state)));
        let poller = Poller::spawn(director.clone(), Duration::from_millis(150));
        let mut executor = Executor::new(director, Policy::default());
        let mut seen = Vec::new();
        for _ in 0..(2 * HOST_EVERY + 1) {
            seen.push(poller.results.next().await.host.is_some());
        }
        let every: Vec<bool> = (0..2 * HOST_EVERY + 1)
            .map(|n| n % HOST_EVERY == 0)
            .collect();
        assert_eq!(
            seen,
            every,
            "read on polls 0, {HOST_EVERY}, {}",
            2 * HOST_EVERY
        );

        let op = host::parse::sysctl_assignment("net.ipv4.ip_forward=0").unwrap();
        assert!(
            executor
                .start(Effect::Apply(change::Change {
                    id: 1,
                    origin: change::Origin::Key,
                    ops: vec![op.into()],
                    expect: None,
                    undo_of: None,
                }))
                .is_none()
        );
        let Some(Action::Applied(outcome)) = executor.next().await else {
            panic!("not a change's outcome")
        };
        assert!(outcome.result.is_ok());
        poller.poll_now(true);
        // The poll right after the change reads the host (a poll before it may still be unseen).
        let mut after = None;
        for _ in 0..2 {
            after = poller
                .results
                .next()
                .await
                .host
                .filter(|h| h.sysctls["net.ipv4.ip_forward"] == "0");
            if after.is_some() {
                break;
            }
        }
        assert!(
            after.is_some(),
            "the host was not read right after the change"
        );

        executor.start(Effect::RunDoctor(Default::default()));
        let Some(Action::DoctorRead(findings)) = executor.next().await else {
            panic!("not the doctor's findings")
        };
        let findings = findings.unwrap();
        assert!(
            findings.iter().any(|f| f.check == "ip_forward_off"),
            "{findings:?}"
        );
    });
}
