//! The host panes from the keyboard, end to end without a terminal: keys through the keymap into
//! `update`, host changes carried out by the executor (on the simulator and an in-memory host
//! around the demo table, audited), the outcome fed back and table and host read again. Then
//! the panes and the bind form as screens.

use crate::rig::*;

// ---------------------------------------------------------------- screens

#[test]
fn services_whose_vip_is_not_bound_are_marked() {
    let mut vip = None;
    let mut app = screen_app(|h| vip = Some(unbind_first_vip(h)));
    let text = screen(&mut app, 80, 24);
    let vip = vip.unwrap().to_string();
    let marked: Vec<&str> = text.lines().filter(|l| l.contains('✗')).collect();
    assert!(
        !marked.is_empty() && marked.iter().all(|l| l.contains(&format!("{vip}:"))),
        "{text}"
    );
    insta::assert_snapshot!(text);
    let mut all_bound = screen_app(|_| {});
    assert!(!screen(&mut all_bound, 80, 24).contains('✗'));
}

#[test]
fn a_links_only_read_moves_the_marks_and_keeps_the_sysctls_last_read() {
    let mut app = screen_app(|_| {});
    let sysctls = app.director.host_state.as_ref().unwrap().sysctls.clone();
    assert!(!sysctls.is_empty());
    assert!(!app.stack.needs_whole_host(), "the tables show links only");
    let mut links = app.director.host_state.clone().unwrap();
    let vip = unbind_first_vip(&mut links);
    links.sysctls.clear();
    links.routes.clear();
    update(&mut app, Action::LinksRead(Box::new(links)));
    let host = app.director.host_state.as_ref().unwrap();
    assert_eq!(host.sysctls, sysctls, "sysctls stay as last read");
    assert!(!host.routes.is_empty(), "routes stay as last read");
    let text = screen(&mut app, 80, 24);
    assert!(
        text.lines()
            .any(|l| l.contains('✗') && l.contains(&format!("{vip}:"))),
        "{text}"
    );
    crate::keys::press_with(&mut app, KeyCode::Char('s'), KeyModifiers::NONE);
    assert!(app.stack.needs_whole_host(), "the sysctls page reads them");
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
        h.sysctls
            .insert("net.ipv4.conf.all.rp_filter".into(), "1".into());
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
fn sysctl_form_160x48() {
    let mut app = screen_app(|_| {});
    keys(&mut app, "s\n");
    insta::assert_snapshot!(screen(&mut app, 160, 48));
}

#[test]
fn a_long_pane_scrolls_only_as_far_as_the_selection_needs() {
    let mut app = screen_app(|_| {});
    keys(&mut app, "sG");
    screen(&mut app, 80, 24);
    let bottom = app.stack.host_pane().unwrap().nav;
    assert!(
        bottom.offset > 0 && bottom.selected > bottom.offset,
        "{bottom:?}"
    );
    keys(&mut app, "kkk");
    screen(&mut app, 80, 24);
    assert_eq!(
        app.stack.host_pane().unwrap().nav.offset,
        bottom.offset,
        "moving up within the view does not scroll"
    );
    keys(&mut app, "g");
    screen(&mut app, 80, 24);
    assert_eq!(app.stack.host_pane().unwrap().nav.offset, 0);
}

#[test]
fn the_wheel_moves_the_pane_on_top_and_clicks_do_not_reach_the_tables_under_it() {
    let mut rig = Rig::new();
    let services = rig.app.tables.services_nav;
    rig.key('s');
    let wheel = |rig: &mut Rig, down: bool| {
        let effects = update(
            &mut rig.app,
            Action::Scroll {
                down,
                column: 10,
                row: 8,
            },
        );
        rig.run(effects);
    };
    wheel(&mut rig, true);
    assert_eq!(
        rig.app.stack.host_pane().unwrap().nav.selected,
        3,
        "three rows, as in the tables"
    );
    wheel(&mut rig, false);
    assert_eq!(rig.app.stack.host_pane().unwrap().nav.selected, 0);
    update(&mut rig.app, Action::Click { column: 10, row: 9 });
    assert_eq!(
        rig.app.tables.services_nav, services,
        "the services table under the pane did not move"
    );
    assert_eq!(rig.app.tables.services_nav.selected, 0);
    // A form: the wheel changes neither its field nor the table under it.
    rig.press(KeyCode::Esc);
    rig.key('i');
    rig.key('b');
    let focus = |rig: &Rig| match rig.app.stack.modal() {
        Some(Modal::Host(form)) => form.focused(),
        _ => panic!("the bind form closed"),
    };
    let before = focus(&rig);
    wheel(&mut rig, true);
    update(&mut rig.app, Action::Click { column: 10, row: 9 });
    assert_eq!(focus(&rig), before, "the wheel is not Tab");
    assert_eq!(rig.app.tables.services_nav, services);
}

mod changes;
