//! Several directors in one console (`--on sim:lb1 --on sim:lb2:backup`): the directors page,
//! Enter and back, the header naming the director shown, a change applied, audited and undone
//! on the director it was made on (even when the operator moved on while it was in flight),
//! the alarms, the compare view and a director that cannot be reached.

pub mod rig;

use crate::rig::{Action, KeyCode};
use ipvs_tui::console::stack::Page;
use ipvs_tui::ipvs::args::parse_args;
use ipvs_tui::owners::keepalived::VrrpState;
use rig::Fleet;

const PAIR: &[&str] = &["sim:lb1", "sim:lb2:backup"];

fn header(fleet: &mut Fleet) -> String {
    fleet
        .screen(160, 40)
        .lines()
        .take(4)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_directors_page_has_a_row_per_director_and_the_pairs_sync() {
    let mut fleet = Fleet::new(PAIR);
    let screen = fleet.screen(160, 40);
    insta::assert_snapshot!(screen);
    assert!(
        screen.contains("lb1 (sim:lb1, director 1 of 2)"),
        "{screen}"
    );
    assert!(screen.contains("sync master syncid 1 eth1"), "{screen}");
    assert!(screen.contains("sync backup syncid 1 eth1"), "{screen}");
    assert!(screen.contains("sync (syncid 1): lb2 holds "), "{screen}");
    assert!(screen.contains("no alarm across directors"), "{screen}");
}

#[test]
fn enter_takes_the_console_to_a_director_and_v_comes_back() {
    let mut fleet = Fleet::new(PAIR);
    fleet.key('j');
    fleet.press(KeyCode::Enter);
    assert_eq!(fleet.app.director.host, "lb2");
    assert!(matches!(fleet.app.stack.page, Page::Tables));
    assert!(
        header(&mut fleet).contains("ipvs-tui lb2 (sim:lb2:backup, director 2 of 2)"),
        "{}",
        header(&mut fleet)
    );
    // Polls keep reaching both, whichever is shown.
    fleet.advance(2);
    assert_eq!(fleet.app.fleet[0].director.host, "lb1");
    assert_eq!(fleet.app.fleet[0].director.last_ok, Some(fleet.now()));
    fleet.key('V');
    assert!(matches!(fleet.app.stack.page, Page::Directors(_)));
    fleet.press(KeyCode::Backspace);
    assert!(matches!(fleet.app.stack.page, Page::Tables));
    assert_eq!(fleet.app.director.host, "lb2");
}

/// The first real server of the first service, on the director shown, focused.
fn first_server(fleet: &mut Fleet) -> (String, u32) {
    fleet.key('g');
    fleet.press(KeyCode::Enter);
    let service = fleet.app.current_service().unwrap().config.key;
    let dest = fleet.app.current_dest().unwrap().config;
    (
        format!(
            "{service} -r {}",
            ipvs_tui::ipvs::model::AddrPort(dest.addr, dest.port)
        ),
        dest.weight,
    )
}

fn weight(fleet: &Fleet, id: usize, at: &str) -> u32 {
    let lines = ipvs_tui::ipvs::rules::save(&fleet.table(id));
    let line = lines
        .lines()
        .find(|l| l.contains(at))
        .unwrap_or_else(|| panic!("{at} not in\n{lines}"));
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn a_change_on_lb2_is_applied_audited_and_undone_on_lb2_only() {
    let mut fleet = Fleet::new(PAIR);
    fleet.key('j');
    fleet.press(KeyCode::Enter);
    let (at, before) = first_server(&mut fleet);
    // `+` on lb2; the operator goes back to lb1 before the change comes back.
    let effects = crate::keys::press(&mut fleet.app, KeyCode::Char('+'));
    assert!(matches!(
        &effects[..],
        [ipvs_tui::console::Effect::Apply(_)]
    ));
    fleet.key('V');
    fleet.key('k');
    fleet.press(KeyCode::Enter);
    assert_eq!(fleet.app.director.host, "lb1");
    // The untagged effect was made on lb2: the loop tags it when it is made.
    let tagged = effects
        .into_iter()
        .map(|e| ipvs_tui::console::Effect::On(1, Box::new(e)))
        .collect();
    fleet.run(tagged);
    assert_eq!(weight(&fleet, 1, &at), before + 1);
    assert_eq!(weight(&fleet, 0, &at), before);
    assert_eq!(fleet.audit(1).len(), 1, "{:?}", fleet.audit(1));
    assert_eq!(fleet.audit(0), Vec::<String>::new());
    assert!(
        fleet.flash().starts_with("lb2: applied: ipvsadm -e"),
        "{}",
        fleet.flash()
    );
    // lb1 has nothing to undo; lb2's undo stack holds the change.
    assert!(fleet.app.director.undo.is_empty());
    assert_eq!(fleet.app.fleet[0].director.undo.len(), 1);
    fleet.key('u');
    assert_eq!(weight(&fleet, 1, &at), before + 1);
    fleet.key('V');
    fleet.key('j');
    fleet.press(KeyCode::Enter);
    fleet.key('u');
    assert_eq!(weight(&fleet, 1, &at), before);
    assert_eq!(weight(&fleet, 0, &at), before);
    let audit = fleet.audit(1);
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert!(audit[1].ends_with("(undo)"), "{audit:?}");
    assert_eq!(fleet.audit(0), Vec::<String>::new());
}

#[test]
fn two_masters_and_a_vip_bound_twice_are_alarms_in_every_header() {
    // Two masters: both bind every VIP.
    let mut fleet = Fleet::new(&["sim:lb1", "sim:lb2"]);
    fleet.vrrp(0, VrrpState::Master);
    fleet.vrrp(1, VrrpState::Master);
    let page = fleet.screen(160, 40);
    assert!(
        page.contains("TWO MASTERS: VRRP instance VI_LAB is MASTER on lb1 and lb2"),
        "{page}"
    );
    assert!(
        page.contains(
            "VIP TWICE: 192.0.2.10, 192.0.2.20, 192.0.2.30 and 2 more are bound on lb1 and lb2"
        ),
        "{page}"
    );
    insta::assert_snapshot!(page);
    fleet.press(KeyCode::Enter);
    let tables = header(&mut fleet);
    assert!(
        tables.contains("ALARM TWO MASTERS: VRRP instance VI_LAB is MASTER on lb1 and lb2 (+"),
        "{tables}"
    );
}

#[test]
fn a_backup_that_receives_nothing_is_an_alarm() {
    let mut fleet = Fleet::new(PAIR);
    // lb2's table as a backup whose daemon hears nothing has it: no connection entry at all.
    let mut silent = fleet.table(1);
    for d in silent.services.iter_mut().flat_map(|s| &mut s.dests) {
        (d.active_conns, d.inact_conns) = (0, 0);
    }
    let at = fleet.now();
    fleet.on(
        1,
        Action::Snapshot {
            snapshot: Box::new(silent),
            at,
        },
    );
    let page = fleet.screen(160, 40);
    assert!(
        page.contains("SYNC SILENT: backup lb2 holds no connection while master lb1 holds 12881"),
        "{page}"
    );
    assert!(
        page.contains("sync (syncid 1): lb2 holds 0% of lb1's connections (0 of 12881)"),
        "{page}"
    );
}

trait NowOrNever {
    fn now_or_never_ok(self);
}

impl<F: std::future::Future<Output = ipvs_tui::ipvs::Result<()>>> NowOrNever for F {
    fn now_or_never_ok(self) {
        futures::executor::block_on(self).unwrap();
    }
}

#[test]
fn compare_shows_the_rules_that_differ_as_ipvsadm_lines() {
    let mut fleet = Fleet::new(PAIR);
    let at = {
        let t = fleet.table(1);
        let s = &t.services[0];
        format!(
            "{} -r {}",
            s.config.key,
            ipvs_tui::ipvs::model::AddrPort(s.dests[0].config.addr, s.dests[0].config.port)
        )
    };
    let line = format!("-e {at} -m -w 9");
    let op = parse_args(&line.split_whitespace().collect::<Vec<_>>()).unwrap();
    fleet.backends[1].table.apply(&op).now_or_never_ok();
    fleet.poll(1);
    fleet.key('c');
    assert!(matches!(fleet.app.stack.page, Page::Compare(_)));
    let screen = fleet.screen(160, 40);
    assert!(screen.contains("compare lb1 with lb2"), "{screen}");
    assert!(screen.contains("different settings:"), "{screen}");
    assert!(
        screen.contains(&format!("lb2  -a {at} -m -w 9")),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
    fleet.key('c');
    assert!(matches!(fleet.app.stack.page, Page::Directors(_)));
    // Of three directors, one is marked first.
    let mut three = Fleet::new(&["sim:a", "sim:b", "sim:c"]);
    three.key('c');
    assert!(matches!(three.app.stack.page, Page::Directors(_)));
    assert!(
        three.flash().contains("mark a director with space"),
        "{}",
        three.flash()
    );
    three.key(' ');
    three.key('j');
    three.key('j');
    three.key('c');
    let screen = three.screen(160, 40);
    assert!(screen.contains("compare a with c"), "{screen}");
    assert!(screen.contains("a and c hold the same rules"), "{screen}");
}

#[test]
fn an_unreachable_director_says_why_and_the_others_keep_working() {
    let mut fleet = Fleet::new(PAIR);
    let dropped = || {
        ipvs_tui::ipvs::Error::io(
            "the link to lb1 closed",
            std::io::Error::other("ssh exited with status 255"),
        )
    };
    // Two seconds on: lb2 answers, lb1 does not.
    fleet.secs += 2;
    fleet.poll(1);
    fleet.poll_fails(0, dropped());
    let page = fleet.screen(160, 40);
    assert!(
        page.contains("UNREACHABLE 0s ago: the link to lb1 closed: ssh exited with status 255"),
        "{page}"
    );
    assert_eq!(fleet.app.fleet[0].director.last_ok, Some(fleet.now()));
    assert_eq!(fleet.app.fleet[0].director.poll_error, None);
    // It comes back with the next good poll.
    fleet.advance(2);
    let page = fleet.screen(160, 40);
    assert!(!page.contains("UNREACHABLE"), "{page}");
    assert!(
        page.contains("lb1          sim:lb1            reachable"),
        "{page}"
    );
}

#[test]
fn a_change_whose_link_drops_is_unknown_never_done_nor_undoable() {
    let mut fleet = Fleet::new(PAIR);
    fleet.dropping.push(1);
    fleet.key('j');
    fleet.press(KeyCode::Enter);
    let (at, before) = first_server(&mut fleet);
    fleet.key('+');
    assert!(
        fleet.flash().starts_with(
            "UNKNOWN whether it was applied: the link to lb2 dropped with the change in flight"
        ),
        "{}",
        fleet.flash()
    );
    assert!(
        fleet
            .flash()
            .ends_with("the table is read again as soon as the director answers"),
        "{}",
        fleet.flash()
    );
    assert!(fleet.app.director.undo.is_empty());
    assert!(fleet.app.director.in_flight.is_none());
    // The table shown is the one read after it (the rig polls after each change).
    assert_eq!(fleet.app.director.last_ok, Some(fleet.now()));
    assert_eq!(weight(&fleet, 1, &at), before);
}

#[test]
fn a_parked_directors_outcome_leaves_the_shown_ones_dialog_alone() {
    use ipvs_tui::console::app::Modal;
    use ipvs_tui::console::change::{Change, ChangeOutcome, Origin};
    let mut fleet = Fleet::new(PAIR);
    fleet.press(KeyCode::Enter);
    // A form open on lb1 ...
    fleet.key('a');
    assert!(matches!(fleet.app.stack.modal(), Some(Modal::Form { .. })));
    // ... when a form's change made earlier on lb2 comes back.
    let op = parse_args(&["-A", "-t", "192.0.2.99:80", "-s", "rr"]).unwrap();
    let outcome = ChangeOutcome {
        change: Change {
            id: 1,
            origin: Origin::Form,
            ops: vec![op.into()],
            expect: None,
            undo_of: None,
        },
        before: None,
        result: Ok(()),
        audit_problem: None,
    };
    fleet.on(1, Action::Applied(Box::new(outcome)));
    assert!(matches!(fleet.app.stack.modal(), Some(Modal::Form { .. })));
    assert_eq!(fleet.app.director.host, "lb1");
    assert_eq!(
        fleet.flash(),
        "lb2: applied: ipvsadm -A -t 192.0.2.99:80 -s rr"
    );
}
