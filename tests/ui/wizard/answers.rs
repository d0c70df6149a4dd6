//! Bad answers named under their field, with nothing applied; errors shown as typed.

use super::*;

/// A nat-director's answers with `changes` made (field index, text): Enter keeps the form with
/// `expected` under its field and no other error, every typed value kept, nothing applied.
fn refused(role: char, base: &[&str], changes: &[(usize, &str)], expected: (Question, &str)) {
    let mut rig = Rig::new();
    let (host_before, table_before) = (rig.state(), shape(&rig.table()));
    rig.key('W');
    rig.key(role);
    let mut texts: Vec<&str> = base.to_vec();
    for (i, t) in changes {
        texts[*i] = t;
    }
    answer(
        &mut rig,
        &texts.iter().map(|t| Some(*t)).collect::<Vec<_>>(),
    );
    rig.press(KeyCode::Enter);
    assert!(
        matches!(wizard(&rig).page, Page::Form(_)),
        "{changes:?}: the form stays"
    );
    assert_eq!(values(&rig), texts, "typed text stays");
    let errors: Vec<(Question, String)> = form(&rig)
        .fields()
        .iter()
        .filter_map(|f| f.error.map(|e| (f.id, e.to_string())))
        .collect();
    assert_eq!(
        errors,
        [(expected.0, expected.1.to_string())],
        "{changes:?}"
    );
    assert_eq!(form(&rig).error(), None);
    rig.press(KeyCode::Enter);
    rig.press(KeyCode::Esc);
    assert_eq!(
        rig.app.layers(),
        [Layer::WizardRole],
        "Esc goes back to the roles"
    );
    rig.press(KeyCode::Esc);
    assert_eq!(rig.state(), host_before, "{changes:?}: nothing applied");
    assert_eq!(shape(&rig.table()), table_before);
    assert!(rig.audit().is_empty());
}

/// Changes to the nat-director's answers, the question expected to object, and its words.
type Case<'a> = (&'a [(usize, &'a str)], Question, &'a str);

#[test]
fn bad_answers_are_named_under_their_field_with_the_command_lines_words() {
    use Question::*;
    let cases: &[Case] = &[
        (
            &[(0, "192.0.2.300")],
            Vip,
            r#"vip "192.0.2.300": must be an IPv4 or IPv6 address such as 192.0.2.100"#,
        ),
        (
            &[(0, "2001:db8::50")],
            RealServers,
            "real server 10.0.0.11: must be of the VIP's family (IPv6)",
        ),
        (
            &[(4, "0")],
            Port,
            "port: port 0 (any port) is allowed only for a persistent service",
        ),
        (
            &[(4, "70000")],
            Port,
            r#"port "70000": must be a whole number from 0 to 65535"#,
        ),
        (
            &[(5, "round robin")],
            Scheduler,
            r#"scheduler "round robin": must be a scheduler name such as rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos (1 to 15 letters, digits or _)"#,
        ),
        (
            &[(6, "-1")],
            Persistence,
            r#"persistence timeout "-1": must be a whole number from 1 to 2678400 (0: none)"#,
        ),
        (
            &[(7, "10.0.0.11 2147483648")],
            RealServers,
            r#"weight "2147483648": must be a whole number from 0 to 2147483647"#,
        ),
        (
            &[(7, "")],
            RealServers,
            "this service has no [[service.real_server]]: it could take no connection",
        ),
        (
            &[(7, "10.0.0.11, 10.0.0.11:80")],
            RealServers,
            "real server 10.0.0.11:80: already listed as entry 1",
        ),
        (
            &[(1, "eth9")],
            Interface,
            r#"interface "eth9": no such interface on this host (here: lo, eth0, eth1)"#,
        ),
        (
            &[(2, "eth1:x")],
            Label,
            r#"label "eth1:x": must start with the interface name (eth0), e.g. eth0:0, and be at most 15 characters"#,
        ),
        (
            &[(3, "icmp")],
            Protocol,
            r#"protocol "icmp": must be tcp, udp or sctp"#,
        ),
    ];
    for (changes, question, message) in cases {
        refused('1', &NAT, changes, (*question, message));
    }
    refused(
        '4',
        &["2001:db8::90", "eth0", ""],
        &[],
        (
            Question::Vip,
            "vip: a dr-real-server plan takes an IPv4 VIP (its ARP and rp_filter settings are IPv4)",
        ),
    );
    refused(
        '6',
        &["10.0.0"],
        &[],
        (
            Question::Director,
            r#"director "10.0.0": must be an IPv4 or IPv6 address such as 192.0.2.100"#,
        ),
    );
    refused(
        '6',
        &["192.0.2.1"],
        &[],
        (
            Question::Director,
            "director 192.0.2.1: not on a subnet of this host; a NAT real server needs the director's inside address on its own link",
        ),
    );
}

#[test]
fn errors_show_as_you_type_on_the_fields_touched_and_go_when_fixed() {
    let mut rig = Rig::new();
    rig.key('W');
    rig.key('2');
    rig.typed("198.51.100.");
    assert_eq!(
        form(&rig).field_error(Question::Vip),
        Some(r#"vip "198.51.100.": must be an IPv4 or IPv6 address such as 192.0.2.100"#)
    );
    assert_eq!(
        form(&rig).field_error(Question::RealServers),
        None,
        "untouched fields are quiet"
    );
    rig.typed("9");
    assert_eq!(form(&rig).field_error(Question::Vip), None);
    rig.press(KeyCode::Backspace);
    assert!(form(&rig).field_error(Question::Vip).is_some());
}
