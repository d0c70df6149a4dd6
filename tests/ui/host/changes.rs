//! VIPs bound and sysctls set by keys: checked as typed, applied, audited and undone; read-only.

use super::*;

#[test]
fn a_vip_bound_and_unbound_by_keys_is_audited_and_undone() {
    let mut rig = Rig::new();
    rig.key('i');
    assert_eq!(rig.app.layers(), [Layer::Interfaces]);
    rig.select_addr("eth1", None);
    rig.key('b');
    assert_eq!(
        rig.form_values(),
        ["", "eth1", ""],
        "the interface is the selected one"
    );
    rig.typed("192.0.2.99");
    rig.press(KeyCode::Tab);
    rig.clear_field();
    rig.typed("eth0");
    rig.press(KeyCode::Tab);
    rig.typed("eth0:99");
    rig.press(KeyCode::Enter);
    assert!(rig.app.stack.modal().is_none(), "{:?}", rig.flash());
    assert_eq!(
        bound(&rig.state(), "eth0", "192.0.2.99"),
        Some((32, Some("eth0:99".into())))
    );
    assert_eq!(
        rig.flash(),
        "applied: ip addr add 192.0.2.99/32 dev eth0 label eth0:99; u undoes it"
    );
    assert!(
        rig.app
            .director
            .host_state
            .as_ref()
            .is_some_and(|h| host::vips::is_bound(h, "192.0.2.99".parse().unwrap())),
        "read again after the change"
    );

    // Unbinding asks, showing the command; Esc keeps it.
    rig.select_addr("eth0", Some("192.0.2.99"));
    rig.key('x');
    let Some(Modal::Confirm(confirm)) = rig.app.stack.modal() else {
        panic!("no confirmation")
    };
    assert_eq!(confirm.commands(), ["ip addr del 192.0.2.99/32 dev eth0"]);
    rig.press(KeyCode::Esc);
    assert!(bound(&rig.state(), "eth0", "192.0.2.99").is_some());
    rig.key('x');
    rig.press(KeyCode::Enter);
    assert_eq!(bound(&rig.state(), "eth0", "192.0.2.99"), None);

    // u in the pane undoes the unbind (the label comes back), then the bind.
    rig.key('u');
    assert_eq!(
        bound(&rig.state(), "eth0", "192.0.2.99"),
        Some((32, Some("eth0:99".into())))
    );
    rig.key('u');
    assert_eq!(bound(&rig.state(), "eth0", "192.0.2.99"), None);
    assert_eq!(rig.state(), Rig::new().state(), "the host is as it was");
    assert_eq!(
        rig.audit(),
        [
            "ok ip addr add 192.0.2.99/32 dev eth0 label eth0:99",
            "ok ip addr del 192.0.2.99/32 dev eth0",
            "ok ip addr add 192.0.2.99/32 dev eth0 label eth0:99 (undo)",
            "ok ip addr del 192.0.2.99/32 dev eth0 (undo)",
        ]
    );
    rig.press(KeyCode::Esc);
    assert!(rig.app.stack.host_pane().is_none());
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
    assert_eq!(
        fields[0].as_deref(),
        Some(
            r#"VIP "192.0.2.1/33": the prefix must be a whole number from 1 to 32 for an IPv4 address"#
        ),
        "as you type"
    );
    rig.press(KeyCode::Enter);
    assert!(
        matches!(rig.app.stack.modal(), Some(Modal::Host(_))),
        "the form stays"
    );
    assert_eq!(
        rig.form_values(),
        ["192.0.2.1/33", "eth0", ""],
        "typed text stays"
    );

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
    assert_eq!(
        fields[1].as_deref(),
        Some("interface eth9 does not exist here; the interfaces are lo, eth0, eth1")
    );
    assert_eq!(
        fields[2].as_deref(),
        Some(
            r#"label "lo:1": must be the interface name, ':' and a suffix, 15 characters at most, e.g. eth9:0"#
        )
    );

    // A VIP already bound there: refused for the whole form before anything is sent.
    let vip = rig
        .table()
        .services
        .iter()
        .find_map(|s| match s.config.key {
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
    assert_eq!(
        rig.form_errors(),
        (
            vec![None, None, None],
            Some(format!("address {vip}/32 is already on eth0"))
        )
    );
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
    assert_eq!(
        rig.form_errors().0[0].as_deref(),
        Some(r#"sysctl "net.ipv4.ip_forward=2": the value must be 0 or 1"#)
    );
    rig.press(KeyCode::Enter);
    assert_eq!(rig.form_values(), ["2"]);
    assert_eq!(rig.state().sysctls["net.ipv4.ip_forward"], "1");
    rig.clear_field();
    rig.typed("0");
    rig.press(KeyCode::Enter);
    assert!(rig.app.stack.modal().is_none());
    assert_eq!(rig.state().sysctls["net.ipv4.ip_forward"], "0");
    assert_eq!(
        rig.flash(),
        "applied: sysctl -w net.ipv4.ip_forward=0; u undoes it"
    );

    // A two-number value, and one of an interface.
    rig.select_sysctl("net.ipv4.vs.sync_threshold");
    rig.press(KeyCode::Enter);
    rig.clear_field();
    rig.typed("50 50");
    rig.press(KeyCode::Enter);
    assert!(
        rig.form_errors().0[0]
            .as_deref()
            .is_some_and(|e| e.contains("the threshold below the period"))
    );
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
    assert_eq!(
        rig.audit(),
        [
            "ok sysctl -w net.ipv4.ip_forward=0",
            "ok sysctl -w 'net.ipv4.vs.sync_threshold=3 60'",
            "ok sysctl -w net.ipv4.conf.lo.arp_ignore=1",
            "ok sysctl -w net.ipv4.conf.lo.arp_ignore=0 (undo)",
            "ok sysctl -w 'net.ipv4.vs.sync_threshold=3 50' (undo)",
            "ok sysctl -w net.ipv4.ip_forward=1 (undo)",
        ]
    );
}

#[test]
fn a_sysctl_this_host_lacks_is_listed_and_cannot_be_set() {
    let mut rig = Rig::with_host(|h| {
        h.sysctls
            .retain(|name, _| !name.starts_with("net.ipv4.vs."))
    });
    rig.key('s');
    rig.select_sysctl("net.ipv4.vs.conntrack");
    rig.press(KeyCode::Enter);
    assert!(rig.app.stack.modal().is_none());
    assert_eq!(
        rig.flash(),
        "sysctl net.ipv4.vs.conntrack does not exist on this host (is the ip_vs module loaded?)"
    );
}

#[test]
fn read_only_opens_the_panes_but_offers_no_host_change() {
    let mut rig = Rig::new();
    rig.app.set_read_only();
    rig.policy.read_only = true;
    let before = rig.state();
    for layer in [Layer::Interfaces, Layer::Sysctls, Layer::Global] {
        assert!(
            rig.app
                .keymap
                .bindings(layer)
                .iter()
                .all(|b| !b.command.is_change()),
            "{layer:?} binds a change"
        );
    }
    rig.key('i');
    assert!(rig.app.stack.host_pane().is_some(), "the pane opens");
    rig.select_addr("eth0", Some("198.51.100.2"));
    for c in "bxdu".chars() {
        rig.key(c);
    }
    rig.press(KeyCode::Enter);
    assert!(rig.app.stack.modal().is_none());
    rig.key('i');
    rig.key('s');
    assert!(rig.app.stack.host_pane().is_some());
    rig.press(KeyCode::Enter);
    rig.key('e');
    assert!(rig.app.stack.modal().is_none());
    for c in [Command::BindVip, Command::UnbindVip, Command::EditSysctl] {
        let effects = update(&mut rig.app, Action::Command(c));
        assert!(
            effects.is_empty() && rig.app.stack.modal().is_none(),
            "{c:?}"
        );
        assert!(rig.flash().starts_with("read-only"), "{}", rig.flash());
    }
    assert_eq!(rig.state(), before);
    let help = ipvs_tui::ui::help::lines(&rig.app, &Theme::builtin(), 100);
    let help: String = help.iter().map(|l| l.to_string() + "\n").collect();
    assert!(
        !help.contains("Bind a VIP") && !help.contains("Set the selected sysctl"),
        "{help}"
    );
    assert!(help.contains("Interfaces and their addresses"));
}
