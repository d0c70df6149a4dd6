//! Whole screens of the console on the simulator (fixed seed, time advanced deterministically),
//! drawn on ratatui's TestBackend at 80x24 and 160x48 and compared with insta snapshots.

use crate::keys::keys;
use crate::screen;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ipvs_tui::console::keys::input::action_for;
use ipvs_tui::console::{Action, App, Keymap, Source, update};
use ipvs_tui::ipvs::sim::SimBackend;
use ipvs_tui::ui::theme::Theme;
use screen::{render, screen, text};
use std::time::{Duration, Instant};

/// Polls `sim` every 2 simulated seconds, `polls` times, as the console would; the screen is
/// shown one second after the last poll.
fn polled_app(sim: &SimBackend, polls: u32) -> App {
    let t0 = Instant::now();
    let mut app = App::new(Source::Simulated, "demo-lb", Keymap::builtin(), t0);
    let mut at = t0;
    for k in 0..polls {
        sim.advance(Duration::from_secs(2));
        at = t0 + Duration::from_secs(2 * u64::from(k));
        let snapshot = futures::executor::block_on(sim.snapshot()).unwrap();
        update(
            &mut app,
            Action::Snapshot {
                snapshot: Box::new(snapshot),
                at,
            },
        );
    }
    update(&mut app, Action::Tick(at + Duration::from_secs(1)));
    app
}

/// The demo after 30 simulated seconds, then polled every 2 s for 60 s.
fn demo_app() -> App {
    let sim = SimBackend::demo(7);
    sim.advance(Duration::from_secs(30));
    polled_app(&sim, 30)
}

#[test]
fn demo_80x24() {
    insta::assert_snapshot!(screen(&mut demo_app(), 80, 24));
}

#[test]
fn demo_160x48() {
    insta::assert_snapshot!(screen(&mut demo_app(), 160, 48));
}

#[test]
fn drill_in_80x24() {
    let mut app = demo_app();
    keys(&mut app, "j\n");
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn filter_typing_80x24() {
    let mut app = demo_app();
    keys(&mut app, "/tcp 10.0.0.3");
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn sorted_by_inactive_inverted_160x48() {
    let mut app = demo_app();
    keys(&mut app, ">>>>I");
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}

#[test]
fn help_80x24() {
    let mut app = demo_app();
    keys(&mut app, "?");
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn help_scrolled_160x48() {
    let mut app = demo_app();
    keys(&mut app, "?jjjjjjjjjj");
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}

#[test]
fn too_small_79x24() {
    insta::assert_snapshot!(screen(&mut demo_app(), 79, 24));
}

#[test]
fn exact_numbers_frozen_160x48() {
    let mut app = demo_app();
    keys(&mut app, "xf");
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}

/// The demo with one more service that has no real server: it is marked `!`.
fn demo_with_empty_service() -> App {
    use ipvs_tui::ipvs::IpvsOp;
    use ipvs_tui::ipvs::model::{Protocol, ServiceConfig, ServiceKey};
    let sim = SimBackend::demo(7);
    let key = ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: "192.0.2.99".parse().unwrap(),
        port: 8080,
    };
    futures::executor::block_on(sim.apply(&IpvsOp::AddService(ServiceConfig::new(key)))).unwrap();
    sim.advance(Duration::from_secs(30));
    polled_app(&sim, 30)
}

#[test]
fn no_available_real_server_80x24() {
    let mut app = demo_with_empty_service();
    keys(&mut app, "G");
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn no_color_80x24_selection_badges_and_markers_stay_visible() {
    use ratatui::style::{Color, Modifier};
    let mut app = demo_with_empty_service();
    keys(&mut app, "j");
    let buffer = render(&mut app, 80, 24, &Theme::builtin().monochrome());
    insta::assert_snapshot!(text(&buffer));
    assert!(
        buffer
            .content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "no colour at all"
    );
    let row_of = |needle: &str| {
        (0..24)
            .find(|&y| {
                text(&buffer)
                    .lines()
                    .nth(y)
                    .is_some_and(|l| l.contains(needle))
            })
            .unwrap() as u16
    };
    // The selected row (the second service) is reversed and bold across the table's width.
    let selected = row_of("TCP 192.0.2.20:81");
    for x in 0..70 {
        let m = buffer[(x, selected)].modifier;
        assert!(
            m.contains(Modifier::REVERSED | Modifier::BOLD),
            "cell {x},{selected}: {m:?}"
        );
    }
    let other = row_of("TCP 192.0.2.10:80");
    assert!(!buffer[(5, other)].modifier.contains(Modifier::REVERSED));
    // The SIMULATED badge is reversed; the `!` marker is bold.
    let (badge_x, _) = text(&buffer)
        .lines()
        .next()
        .unwrap()
        .char_indices()
        .find(|(_, c)| *c == 'S')
        .unwrap();
    assert!(
        buffer[(badge_x as u16, 0)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    let marked = row_of("TCP 192.0.2.99:8080");
    assert_eq!(buffer[(0, marked)].symbol(), "!");
    assert!(buffer[(0, marked)].modifier.contains(Modifier::BOLD));
}

#[test]
fn offline_without_permission_80x24() {
    let t0 = Instant::now();
    let mut app = App::new(Source::Kernel, "lb1", Keymap::builtin(), t0);
    update(
        &mut app,
        Action::PollFailed {
            error: ipvs_tui::ipvs::Error::Permission,
            at: t0,
        },
    );
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn polling_fails_after_good_polls_160x48() {
    let mut app = demo_app();
    let t0 = app.now;
    let error = ipvs_tui::ipvs::Error::Unavailable(
        "the IPVS interface is gone (was the ip_vs module unloaded?)".into(),
    );
    update(
        &mut app,
        Action::PollFailed {
            error,
            at: t0 + Duration::from_secs(4),
        },
    );
    update(&mut app, Action::Tick(t0 + Duration::from_secs(6)));
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}

#[test]
fn a_bad_keymap_file_is_named_with_its_line_80x24() {
    use ipvs_tui::config;
    let dir = std::env::temp_dir().join(format!("ipvs-tui-screens-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("keymap.toml");
    std::fs::write(
        &file,
        "[[global]]\non = \"q\"\nrun = \"quitt\"\ndesc = \"Quit\"\n",
    )
    .unwrap();
    let problem =
        config::load(Some(&file), "the default keys are used", Keymap::parse).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    let mut app = demo_app();
    app.flash_error(problem.replace(&dir.display().to_string(), "~/.config/ipvs-tui"));
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

/// This host's IPVS read from /proc/net/ip_vs without root (the text the kernel prints, HZ 100),
/// polled for 20 s while connections come: no counters, so no rates and no stall warning.
fn read_only_app() -> App {
    use ipvs_tui::ipvs::procfs::parse_ip_vs;
    let t0 = Instant::now();
    let mut app = App::new(Source::ReadOnly, "lb1", Keymap::builtin(), t0);
    for k in 0..10u64 {
        let text = format!(
            concat!(
                "IP Virtual Server version 1.2.1 (size=4096)\n",
                "Prot LocalAddress:Port Scheduler Flags\n",
                "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n",
                "TCP  C0000201:0050 rr  \n",
                "  -> C000020B:1F90      Masq    3      {:<10} 40        \n",
                "  -> C000020C:0050      Route   0      0          0         \n",
                "UDP  C0000202:0035 wlc ops persistent 6000 FFFFFF00\n",
                "  -> C000020D:0035      Tunnel  1      0          1         \n",
                "FWM  00000007 lc \n",
                "  -> C000020E:0000      Route   1      0          0         \n",
            ),
            12 + k
        );
        let snapshot = parse_ip_vs(&text, Some(100)).unwrap().snapshot;
        update(
            &mut app,
            Action::Snapshot {
                snapshot: Box::new(snapshot),
                at: t0 + Duration::from_secs(2 * k),
            },
        );
    }
    update(&mut app, Action::Tick(t0 + Duration::from_secs(19)));
    app
}

#[test]
fn read_only_from_proc_80x24() {
    let mut app = read_only_app();
    let shown = screen(&mut app, 80, 24);
    insta::assert_snapshot!(shown);
    assert!(!shown.contains("STALLED"), "{shown}");
    // The kernel's rates would be zeros, not unknowns: the header still shows none.
    keys(&mut app, "r");
    let header: Vec<String> = screen(&mut app, 160, 48)
        .lines()
        .take(3)
        .map(String::from)
        .collect();
    assert!(
        header[0].contains("READ-ONLY") && header[0].contains("no counters, no rates"),
        "{header:?}"
    );
    assert!(
        header[2].contains("- conn/s") && !header[2].contains(" 0 conn/s"),
        "{header:?}"
    );
}

#[test]
fn read_only_badge_is_reversed_without_colour() {
    use ratatui::style::Modifier;
    let mut app = read_only_app();
    let buffer = render(&mut app, 80, 24, &Theme::builtin().monochrome());
    let first = text(&buffer).lines().next().unwrap().to_string();
    let x = first.find("READ-ONLY").unwrap() as u16;
    assert!(
        buffer[(x, 0)]
            .modifier
            .contains(Modifier::REVERSED | Modifier::BOLD)
    );
}

#[test]
fn palette_80x24() {
    let mut app = demo_app();
    keys(&mut app, ":sort");
    let shown = screen(&mut app, 80, 24);
    insta::assert_snapshot!(shown);
    assert!(
        shown
            .lines()
            .last()
            .unwrap()
            .contains("Enter run  Tab complete  Esc close"),
        "{shown}"
    );
}

#[test]
fn palette_selection_is_reversed_and_bold_without_colour() {
    use ratatui::style::Modifier;
    let mut app = demo_app();
    keys(&mut app, ":in");
    let down = Event::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    let action = action_for(&app, &down).unwrap();
    update(&mut app, action);
    let buffer = render(&mut app, 80, 24, &Theme::builtin().monochrome());
    let shown = text(&buffer);
    let entries = ipvs_tui::console::keys::palette::entries(&app);
    let row_of = |needle: &str| {
        shown
            .lines()
            .position(|l| l.starts_with(&format!("│ {needle} ")))
            .unwrap() as u16
    };
    let selected = row_of(&entries[1].name);
    for x in 1..79 {
        let m = buffer[(x, selected)].modifier;
        assert!(
            m.contains(Modifier::REVERSED | Modifier::BOLD),
            "cell {x},{selected}: {m:?}\n{shown}"
        );
    }
    let other = row_of(&entries[0].name);
    assert!(
        !buffer[(3, other)].modifier.contains(Modifier::REVERSED),
        "{shown}"
    );
}

/// The table's age shows only once a poll is late (over two intervals and a second), then in the
/// warning style: an age ticking every second would be most of what an idle console writes.
#[test]
fn the_age_of_the_table_shows_only_when_a_poll_is_late() {
    let mut app = demo_app();
    let last = app.director.last_ok.unwrap();
    let theme = Theme::builtin();
    let header = |app: &mut App| {
        text(&render(app, 160, 48, &theme))
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    update(&mut app, Action::Tick(last + Duration::from_secs(5)));
    assert!(
        header(&mut app).contains("· every 2s ·"),
        "{}",
        header(&mut app)
    );
    update(&mut app, Action::Tick(last + Duration::from_secs(6)));
    assert!(
        header(&mut app).contains("· polled 6s ago, every 2s ·"),
        "{}",
        header(&mut app)
    );
    let buffer = render(&mut app, 160, 48, &theme);
    let first = text(&buffer).lines().next().unwrap().to_string();
    let x = first[..first.find("polled").unwrap()].chars().count() as u16;
    assert_eq!(
        buffer[(x, 0)].style().bg,
        theme.warning.bg,
        "a late poll is a warning"
    );
}
