//! The setup wizard (`W`) from the keyboard, end to end without a terminal (see rig.rs): every
//! role chosen by digit or arrows, its questions answered, the plan shown as commands, applied
//! as one change on the simulator and an in-memory host, the doctor opened, and one `u` undoing
//! it all; bad answers named under their field with nothing applied; a failing step rolled back;
//! read-only; the three pages as screens; random keys.

use crate::rig::*;
use ipvs_tui::console::wizard::{Page, Wizard};
use ipvs_tui::setup::answers::Question;

fn wizard(rig: &Rig) -> &Wizard {
    match rig.app.stack.modal() {
        Some(Modal::Wizard(w)) => w,
        _ => panic!("the wizard is not open (flash: {})", rig.flash()),
    }
}

/// The commands page 3 lists.
fn plan_commands(rig: &Rig) -> Vec<String> {
    match &wizard(rig).page {
        Page::Plan { preview, .. } => preview.ops.iter().map(|o| o.to_command()).collect(),
        _ => panic!("not on the plan page"),
    }
}

fn plan_advice(rig: &Rig) -> Vec<String> {
    match &wizard(rig).page {
        Page::Plan { preview, .. } => preview.advice.clone(),
        _ => panic!("not on the plan page"),
    }
}

fn plan_error(rig: &Rig) -> Option<String> {
    match &wizard(rig).page {
        Page::Plan { preview, .. } => preview.error.clone(),
        _ => panic!("not on the plan page"),
    }
}

fn form(rig: &Rig) -> &ipvs_tui::console::wizard::form::WizardForm {
    match &wizard(rig).page {
        Page::Form(form) | Page::Plan { form, .. } => form,
        Page::Role(_) => panic!("still on the roles"),
    }
}

/// Every field's text, in order.
fn values(rig: &Rig) -> Vec<String> {
    let form = form(rig);
    form.fields()
        .iter()
        .map(|f| form.value(f.id).unwrap_or_default())
        .collect()
}

/// Answers the questions in order: `None` leaves a field as prefilled, `Some` replaces it.
fn answer(rig: &mut Rig, answers: &[Option<&str>]) {
    for (i, a) in answers.iter().enumerate() {
        if let Some(text) = a {
            rig.clear_field();
            rig.typed(text);
        }
        if i + 1 < answers.len() {
            rig.press(KeyCode::Tab);
        }
    }
}

/// The table as configured (no counters): services and their real servers.
fn shape(table: &Snapshot) -> Vec<String> {
    table
        .services
        .iter()
        .map(|s| {
            format!(
                "{:?} {:?}",
                s.config,
                s.dests.iter().map(|d| d.config).collect::<Vec<_>>()
            )
        })
        .collect()
}

/// How a role is chosen on page 1.
#[derive(Clone, Copy)]
enum Choose {
    Digit(char),
    Arrows(usize),
}

/// W, the role, the answers, Enter: page 3 lists `commands`; Enter applies them as one change,
/// the doctor opens and answers, and one `u` puts host and table back as they were.
fn set_up(rig: &mut Rig, choose: Choose, answers: &[Option<&str>], commands: &[&str]) {
    let (host_before, table_before) = (rig.state(), shape(&rig.table()));
    rig.key('W');
    assert_eq!(rig.app.layers(), [Layer::WizardRole]);
    match choose {
        Choose::Digit(c) => rig.key(c),
        Choose::Arrows(down) => {
            for _ in 0..down {
                rig.press(KeyCode::Down);
            }
            rig.press(KeyCode::Enter);
        }
    }
    assert_eq!(rig.app.layers(), [Layer::WizardForm]);
    answer(rig, answers);
    rig.press(KeyCode::Enter);
    let errors: Vec<Option<&str>> = form(rig).fields().iter().map(|f| f.error).collect();
    assert!(
        matches!(wizard(rig).page, Page::Plan { .. }),
        "still on the form: {errors:?} {:?}",
        form(rig).error()
    );
    assert_eq!(rig.app.layers(), [Layer::WizardPlan]);
    assert_eq!(plan_commands(rig), commands);
    assert_eq!(rig.state(), host_before, "showing the plan changes nothing");
    assert_eq!(shape(&rig.table()), table_before);
    rig.press(KeyCode::Enter);
    assert!(
        rig.app.stack.modal().is_none(),
        "the wizard closed: {}",
        rig.flash()
    );
    assert!(rig.app.stack.doctor().is_some(), "the doctor is open");
    rig.findings();
    let audited: Vec<String> = commands.iter().map(|c| format!("ok {c}")).collect();
    assert_eq!(rig.audit(), audited, "each step audited");
    if commands.is_empty() {
        assert_eq!(rig.app.director.undo.len(), 0);
        return;
    }
    assert_eq!(
        rig.app.director.undo.len(),
        1,
        "one undo step for the whole plan"
    );
    assert_ne!(rig.state(), host_before);
    rig.key('u');
    assert_eq!(rig.state(), host_before, "u undid the whole setup");
    assert_eq!(shape(&rig.table()), table_before);
    assert!(rig.app.director.undo.is_empty());
}

fn dev_addr(rig: &Rig, dev: &str, addr: &str) -> Option<(u8, Option<String>)> {
    bound(&rig.state(), dev, addr)
}

#[test]
fn a_nat_director_by_digit_sets_ip_forward_binds_the_vip_and_adds_the_service() {
    let mut rig = Rig::with_host(|h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    });
    rig.key('W');
    rig.key('1');
    assert_eq!(
        values(&rig),
        ["", "eth0", "", "tcp", "80", "wlc", "0", ""],
        "prefilled: the default route's interface, tcp, 80, wlc, 0"
    );
    rig.press(KeyCode::Esc);
    rig.press(KeyCode::Esc);
    assert!(rig.app.stack.modal().is_none());
    let answers = [
        Some("198.51.100.50"),
        None,
        Some("eth0:web"),
        None,
        None,
        None,
        None,
        Some("10.0.0.11, 10.0.0.12:8080 3"),
    ];
    let commands = [
        "sysctl -w net.ipv4.ip_forward=1",
        "ip addr add 198.51.100.50/32 dev eth0 label eth0:web",
        "ipvsadm -A -t 198.51.100.50:80 -s wlc",
        "ipvsadm -a -t 198.51.100.50:80 -r 10.0.0.11:80 -m -w 1",
        "ipvsadm -a -t 198.51.100.50:80 -r 10.0.0.12:8080 -m -w 3",
    ];
    // Applied, then looked at before the undo.
    let mut probe = Rig::with_host(|h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    });
    set_up_and_keep(&mut probe, Choose::Digit('1'), &answers, &commands);
    assert_eq!(probe.state().sysctls["net.ipv4.ip_forward"], "1");
    assert_eq!(
        dev_addr(&probe, "eth0", "198.51.100.50"),
        Some((32, Some("eth0:web".into())))
    );
    let table = probe.table();
    let service = table
        .services
        .iter()
        .find(|s| s.config.key.to_string() == "-t 198.51.100.50:80")
        .expect("the service");
    let dests: Vec<String> = service
        .dests
        .iter()
        .map(|d| {
            format!(
                "{}:{} {:?} {}",
                d.config.addr, d.config.port, d.config.forward, d.config.weight
            )
        })
        .collect();
    assert_eq!(dests, ["10.0.0.11:80 Masq 1", "10.0.0.12:8080 Masq 3"]);
    assert!(probe.flash().ends_with("u undoes it"), "{}", probe.flash());
    set_up(&mut rig, Choose::Digit('1'), &answers, &commands);
}

/// As `set_up`, without the undo at the end.
fn set_up_and_keep(rig: &mut Rig, choose: Choose, answers: &[Option<&str>], commands: &[&str]) {
    rig.key('W');
    match choose {
        Choose::Digit(c) => rig.key(c),
        Choose::Arrows(down) => {
            (0..down).for_each(|_| rig.press(KeyCode::Down));
            rig.press(KeyCode::Enter);
        }
    }
    answer(rig, answers);
    rig.press(KeyCode::Enter);
    assert_eq!(plan_commands(rig), commands);
    rig.press(KeyCode::Enter);
    assert!(rig.app.stack.modal().is_none() && rig.app.stack.doctor().is_some());
}

#[test]
fn a_dr_director_by_arrows() {
    let answers = [
        Some("198.51.100.60"),
        None,
        None,
        None,
        None,
        Some("rr"),
        Some("300"),
        Some("198.51.100.21, 198.51.100.22 2"),
    ];
    let commands = [
        "ip addr add 198.51.100.60/32 dev eth0",
        "ipvsadm -A -t 198.51.100.60:80 -s rr -p 300",
        "ipvsadm -a -t 198.51.100.60:80 -r 198.51.100.21:80 -g -w 1",
        "ipvsadm -a -t 198.51.100.60:80 -r 198.51.100.22:80 -g -w 2",
    ];
    let mut kept = Rig::new();
    set_up_and_keep(&mut kept, Choose::Arrows(1), &answers, &commands);
    assert_eq!(dev_addr(&kept, "eth0", "198.51.100.60"), Some((32, None)));
    let table = kept.table();
    let service = table
        .services
        .iter()
        .find(|s| s.config.key.to_string() == "-t 198.51.100.60:80")
        .expect("the service");
    assert_eq!(
        (
            service.config.scheduler.as_str(),
            service.config.persistence,
            service.dests.len()
        ),
        ("rr", Some(300), 2)
    );
    set_up(&mut Rig::new(), Choose::Arrows(1), &answers, &commands);
}

#[test]
fn a_tun_director_by_digit_on_udp() {
    let answers = [
        Some("198.51.100.70"),
        None,
        None,
        Some("udp"),
        Some("53"),
        None,
        None,
        Some("192.0.2.21, 192.0.2.22 5"),
    ];
    let commands = [
        "ip addr add 198.51.100.70/32 dev eth0",
        "ipvsadm -A -u 198.51.100.70:53 -s wlc",
        "ipvsadm -a -u 198.51.100.70:53 -r 192.0.2.21:53 -i -w 1 --tun-type ipip",
        "ipvsadm -a -u 198.51.100.70:53 -r 192.0.2.22:53 -i -w 5 --tun-type ipip",
    ];
    let mut kept = Rig::new();
    set_up_and_keep(&mut kept, Choose::Digit('3'), &answers, &commands);
    let table = kept.table();
    let service = table
        .services
        .iter()
        .find(|s| s.config.key.to_string() == "-u 198.51.100.70:53")
        .expect("the service");
    assert!(service.dests.iter().all(|d| matches!(
        d.config.forward,
        ipvs_tui::ipvs::model::Forward::Tunnel { .. }
    )));
    set_up(&mut Rig::new(), Choose::Digit('3'), &answers, &commands);
}

const ARP: [&str; 6] = [
    "sysctl -w net.ipv4.conf.all.arp_ignore=1",
    "sysctl -w net.ipv4.conf.all.arp_announce=2",
    "sysctl -w net.ipv4.conf.lo.arp_ignore=1",
    "sysctl -w net.ipv4.conf.lo.arp_announce=2",
    "sysctl -w net.ipv4.conf.eth0.arp_ignore=1",
    "sysctl -w net.ipv4.conf.eth0.arp_announce=2",
];

#[test]
fn a_dr_real_server_by_arrows_sets_the_arp_sysctls_and_the_vip_on_lo() {
    let answers = [Some("192.0.2.80"), None, None];
    let mut commands: Vec<&str> = ARP.to_vec();
    commands.push("ip addr add 192.0.2.80/32 dev lo label lo:0");
    let mut kept = Rig::new();
    set_up_and_keep(&mut kept, Choose::Arrows(3), &answers, &commands);
    assert_eq!(
        dev_addr(&kept, "lo", "192.0.2.80"),
        Some((32, Some("lo:0".into())))
    );
    // The doctor is told the role: on this host, which also holds services, it looks at what a
    // DR real server needs (here: arp_ignore, turned off behind the console's back).
    let ask = kept.app.stack.doctor().unwrap().ask.clone();
    assert_eq!(ask.role, Some(ipvs_tui::setup::Role::DrRealServer));
    let off = host::parse::sysctl_assignment("net.ipv4.conf.all.arp_ignore=0").unwrap();
    futures::executor::block_on(kept.director.host.apply(&off)).unwrap();
    let checks = |ask: &ipvs_tui::setup::gather::Ask| -> Vec<String> {
        let findings =
            futures::executor::block_on(ipvs_tui::setup::gather::findings(&*kept.director, ask))
                .unwrap();
        findings.iter().map(|f| f.check.to_string()).collect()
    };
    assert!(
        checks(&ask).iter().any(|c| c.contains("arp_ignore")),
        "{:?}",
        checks(&ask)
    );
    assert!(
        !checks(&Default::default())
            .iter()
            .any(|c| c.contains("arp_ignore")),
        "untold, the doctor sees a director"
    );
    assert_eq!(kept.state().sysctls["net.ipv4.conf.eth0.arp_announce"], "2");
    set_up(&mut Rig::new(), Choose::Arrows(3), &answers, &commands);
}

fn with_tunl0(h: &mut HostState) {
    h.links.push(host::Link {
        index: 9,
        name: "tunl0".into(),
        up: true,
        kind: Some("ipip".into()),
        addrs: vec![],
    });
    for (key, value) in [
        ("arp_ignore", "0"),
        ("arp_announce", "0"),
        ("rp_filter", "1"),
    ] {
        h.sysctls
            .insert(format!("net.ipv4.conf.tunl0.{key}"), value.into());
    }
}

#[test]
fn a_tun_real_server_by_digit_sets_rp_filter_off_on_tunl0_and_the_vip_there() {
    let answers = [Some("192.0.2.90"), None, None];
    let mut commands: Vec<&str> = ARP.to_vec();
    commands.extend([
        "sysctl -w net.ipv4.conf.tunl0.rp_filter=0",
        "ip addr add 192.0.2.90/32 dev tunl0",
    ]);
    let mut kept = Rig::with_host(with_tunl0);
    set_up_and_keep(&mut kept, Choose::Digit('5'), &answers, &commands);
    assert_eq!(dev_addr(&kept, "tunl0", "192.0.2.90"), Some((32, None)));
    assert_eq!(kept.state().sysctls["net.ipv4.conf.tunl0.rp_filter"], "0");
    set_up(
        &mut Rig::with_host(with_tunl0),
        Choose::Digit('5'),
        &answers,
        &commands,
    );

    // Without tunl0 the plan says what to do first, for the whole form.
    let mut rig = Rig::new();
    rig.key('W');
    rig.key('5');
    answer(&mut rig, &answers);
    rig.press(KeyCode::Enter);
    assert_eq!(
        form(&rig).error(),
        Some("tunl0 does not exist: load the ipip module (modprobe ipip), then run the plan again")
    );
}

#[test]
fn a_nat_real_server_by_arrows_changes_nothing_and_gives_the_gateway_advice() {
    let mut rig = Rig::new();
    rig.key('W');
    (0..5).for_each(|_| rig.key('j'));
    rig.key('k');
    rig.press(KeyCode::Down);
    rig.press(KeyCode::Enter);
    assert_eq!(values(&rig), [""]);
    rig.typed("10.0.0.254");
    rig.press(KeyCode::Enter);
    assert_eq!(plan_commands(&rig), Vec::<String>::new());
    assert_eq!(
        plan_advice(&rig),
        [
            "the default gateway is 198.51.100.1, not the director 10.0.0.254: replies would bypass the director and the clients would drop them; set it: ip route replace default via 10.0.0.254"
        ]
    );
    rig.press(KeyCode::Esc);
    rig.press(KeyCode::Esc);
    rig.press(KeyCode::Esc);
    assert!(rig.app.stack.modal().is_none());
    set_up(&mut rig, Choose::Arrows(5), &[Some("10.0.0.254")], &[]);
    // The doctor is told the role and the director: it names the gateway, as the advice did,
    // and its fix replaces the default route.
    assert_eq!(
        rig.findings(),
        ["nat_gateway: ip route replace default via 10.0.0.254"],
        "{:?}",
        rig.app.stack.doctor()
    );
    let findings = rig
        .app
        .stack
        .doctor()
        .and_then(|d| d.findings.clone())
        .unwrap()
        .unwrap();
    assert_eq!(
        findings[0].what,
        "the default gateway is 198.51.100.1, not the director 10.0.0.254"
    );
    rig.press(KeyCode::Enter);
    rig.press(KeyCode::Enter);
    let gateway = |rig: &Rig| {
        rig.state()
            .routes
            .iter()
            .find(|r| r.prefix == 0 && r.dst.is_ipv4())
            .and_then(|r| r.gateway)
            .map(|g| g.to_string())
    };
    assert_eq!(
        gateway(&rig).as_deref(),
        Some("10.0.0.254"),
        "{}",
        rig.flash()
    );
    assert_eq!(
        rig.findings(),
        Vec::<String>::new(),
        "the doctor looked again"
    );
    rig.key('u');
    assert_eq!(
        gateway(&rig).as_deref(),
        Some("198.51.100.1"),
        "u puts the old route back"
    );
}

// ---------------------------------------------------------------- bad answers

const NAT: [&str; 8] = [
    "198.51.100.50",
    "eth0",
    "",
    "tcp",
    "80",
    "wlc",
    "0",
    "10.0.0.11",
];

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

// ---------------------------------------------------------------- a failing step

#[test]
fn a_plan_whose_third_step_fails_leaves_host_and_table_as_they_were_and_says_why() {
    let mut rig = Rig::with_host(|h| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    });
    rig.key('W');
    rig.key('1');
    answer(&mut rig, &NAT.map(Some));
    rig.press(KeyCode::Enter);
    assert_eq!(
        plan_commands(&rig)[2],
        "ipvsadm -A -t 198.51.100.50:80 -s wlc"
    );
    // Meanwhile someone else (keepalived, a colleague) adds that service: step 3 is refused.
    let other =
        ipvs_tui::ipvs::args::parse_args(&["-A", "-t", "198.51.100.50:80", "-s", "rr"]).unwrap();
    futures::executor::block_on(rig.sim.apply(&other)).unwrap();
    let (host_before, table_before) = (rig.state(), shape(&rig.table()));
    rig.press(KeyCode::Enter);
    assert_eq!(
        rig.state(),
        host_before,
        "the sysctl and the VIP were undone"
    );
    assert_eq!(shape(&rig.table()), table_before);
    let error = plan_error(&rig).expect("the error on page 3");
    assert!(
        error.starts_with(
            "Not applied: step 3 of 4 (ipvsadm -A -t 198.51.100.50:80 -s wlc) failed: "
        ),
        "{error}"
    );
    assert!(error.ends_with("; the steps before it were undone. Nothing was changed: this host and the IPVS table are as they were."), "{error}");
    assert!(rig.app.director.undo.is_empty(), "nothing to undo");
    assert_eq!(
        rig.audit()
            .iter()
            .filter(|l| l.starts_with("failed"))
            .count(),
        1,
        "{:?}",
        rig.audit()
    );
    rig.press(KeyCode::Esc);
    assert_eq!(values(&rig), NAT, "Esc goes back to the answers");
}

/// Between Enter and the outcome page 3 says the plan is applying and holds its keys; the
/// wizard needs the host read first.
#[test]
fn while_applying_the_plan_page_says_so_and_waits() {
    let mut rig = Rig::new();
    rig.key('W');
    rig.key('2');
    answer(
        &mut rig,
        &[
            Some("198.51.100.60"),
            None,
            None,
            None,
            None,
            None,
            None,
            Some("198.51.100.21"),
        ],
    );
    rig.press(KeyCode::Enter);
    let effects = update(&mut rig.app, Action::Command(Command::WizardNext));
    assert!(
        matches!(effects.as_slice(), [Effect::Apply(_)]),
        "{effects:?}"
    );
    let Page::Plan { preview, .. } = &wizard(&rig).page else {
        panic!("not on the plan page")
    };
    assert!(preview.applying.is_some());
    assert!(screen(&mut rig.app, 80, 24).contains("applying 3 steps…"));
    assert!(update(&mut rig.app, Action::Command(Command::WizardBack)).is_empty());
    assert!(
        update(&mut rig.app, Action::Command(Command::WizardNext)).is_empty(),
        "no second apply"
    );
    assert!(
        matches!(wizard(&rig).page, Page::Plan { .. }),
        "Esc waits for the outcome"
    );
    rig.run(effects);
    assert!(rig.app.stack.modal().is_none() && rig.app.stack.doctor().is_some());
    assert_eq!(dev_addr(&rig, "eth0", "198.51.100.60"), Some((32, None)));

    let mut unread = App::new(Source::Simulated, "lb1", Keymap::builtin(), Instant::now());
    update(&mut unread, Action::Command(Command::Wizard));
    assert!(unread.stack.modal().is_none());
    assert!(
        unread
            .flash
            .as_ref()
            .is_some_and(|f| f.error && f.text.starts_with("the host has not been read yet"))
    );
}

// ---------------------------------------------------------------- read-only

#[test]
fn read_only_has_no_wizard_and_applies_nothing() {
    let mut rig = Rig::new();
    rig.app.set_read_only();
    rig.policy.read_only = true;
    let before = rig.state();
    assert!(
        !rig.app
            .keymap
            .bindings(Layer::Global)
            .iter()
            .any(|b| b.command == Command::Wizard)
    );
    let help: Vec<String> = ui::help::lines(&rig.app, &Theme::builtin(), 120)
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert!(!help.iter().any(|l| l.contains("Setup wizard")), "{help:?}");
    rig.key('W');
    assert!(rig.app.stack.modal().is_none());
    let effects = update(&mut rig.app, Action::Command(Command::Wizard));
    assert!(effects.is_empty() && rig.app.stack.modal().is_none());
    assert_eq!(rig.flash(), changes::READ_ONLY);
    for c in "1198.51.100.50\t\t\t\t\t\t\t10.0.0.11\n\n".chars() {
        rig.press(match c {
            '\n' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        });
    }
    assert_eq!(rig.state(), before);
    assert!(rig.audit().is_empty());

    // The keymap in force everywhere else offers it, in help and the palette.
    let mut rw = Rig::new();
    let help: Vec<String> = ui::help::lines(&rw.app, &Theme::builtin(), 120)
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert!(
        help.iter()
            .any(|l| l.contains("W") && l.contains("Setup wizard")),
        "{help:?}"
    );
    rw.key(':');
    rw.typed("wizard");
    assert_eq!(
        ipvs_tui::console::keys::palette::entries(&rw.app)
            .first()
            .map(|e| e.name.clone())
            .as_deref(),
        Some("wizard")
    );
    rw.press(KeyCode::Enter);
    assert_eq!(
        rw.app.layers(),
        [Layer::WizardRole],
        "the palette opens it as W does"
    );
}

// ---------------------------------------------------------------- screens

fn wizard_screen(
    keys_typed: &str,
    tweak: impl FnOnce(&mut HostState),
    width: u16,
    height: u16,
) -> String {
    let mut app = screen_app(tweak);
    keys(&mut app, keys_typed);
    assert!(
        matches!(app.stack.modal(), Some(Modal::Wizard(_))),
        "the wizard is open"
    );
    screen(&mut app, width, height)
}

#[test]
fn roles_80x24() {
    insta::assert_snapshot!(wizard_screen("Wj", |_| {}, 80, 24));
}

#[test]
fn roles_160x48() {
    insta::assert_snapshot!(wizard_screen("W", |_| {}, 160, 48));
}

#[test]
fn form_with_errors_80x24() {
    insta::assert_snapshot!(wizard_screen(
        "W1198.51.100.300\t\t\t\t\t\t\t10.0.0.11 2147483648\n",
        |_| {},
        80,
        24
    ));
}

#[test]
fn form_dr_real_server_160x48() {
    insta::assert_snapshot!(wizard_screen("W4192.0.2.80\t", |_| {}, 160, 48));
}

#[test]
fn plan_nat_director_80x24() {
    let off = |h: &mut HostState| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    };
    insta::assert_snapshot!(wizard_screen(
        "W1198.51.100.50\t\t\t\t\t\t\t10.0.0.11, 10.0.0.12:8080 3\n",
        off,
        80,
        24
    ));
}

#[test]
fn plan_dr_real_server_160x48() {
    insta::assert_snapshot!(wizard_screen("W4192.0.2.80\n", |_| {}, 160, 48));
}

#[test]
fn plan_nat_real_server_advice_80x24() {
    insta::assert_snapshot!(wizard_screen("W610.0.0.254\n", |_| {}, 80, 24));
}

/// Without colour the role and the field under the cursor still stand out (reverse video), and
/// the text is the same as in colour.
#[test]
fn no_color_keeps_the_focused_role_and_field_visible() {
    use ratatui::style::{Color, Modifier};
    for (typed, marked) in [("Wj", "▶ 2 dr-director"), ("W1\t", "▶ interface")] {
        let mut app = screen_app(|_| {});
        keys(&mut app, typed);
        let coloured = screen(&mut app, 80, 24);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|f| {
                ui::draw(f, &app, &Theme::builtin().monochrome());
            })
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        let rows: Vec<String> = buffer
            .content
            .chunks(80)
            .map(|r| {
                r.iter()
                    .map(|c| c.symbol())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect();
        assert_eq!(rows.join("\n"), coloured, "{typed}: same text");
        assert!(
            buffer
                .content
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
            "no colour at all"
        );
        let y = rows
            .iter()
            .position(|r| r.contains(marked))
            .unwrap_or_else(|| panic!("{marked} not on screen:\n{coloured}"));
        let x = rows[y].chars().position(|_| true).unwrap_or(0);
        let reversed: Vec<usize> = (0..24)
            .filter(|&row| {
                (x..80).any(|col| {
                    buffer[(col as u16, row as u16)]
                        .modifier
                        .contains(Modifier::REVERSED)
                        && buffer[(col as u16, row as u16)].symbol() != " "
                })
            })
            .collect();
        assert!(
            reversed.contains(&y),
            "{typed}: the focused line is in reverse video: {reversed:?}\n{coloured}"
        );
        let inside: Vec<&usize> = reversed
            .iter()
            .filter(|r| rows[**r].contains('│'))
            .collect();
        assert_eq!(inside, [&y], "{typed}: only it, inside the wizard");
    }
}

// ---------------------------------------------------------------- random keys

mod random_keys {
    use super::*;
    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = KeyCode> {
        prop_oneof![
            4 => prop::sample::select(vec!['1', '2', '3', '4', '5', '6', '0', '9', '.', ':', ',', ' ', 'a', 'j', 'k', 'e', 't', 'h', '[', ']', 'u', 'W', 'q', '?']).prop_map(KeyCode::Char),
            3 => prop::sample::select(vec!["10.0.0.11", "198.51.100.50", "eth0", "2001:db8::5", "70000"]).prop_map(|_| KeyCode::Null),
            1 => prop::sample::select(vec![KeyCode::Tab, KeyCode::BackTab, KeyCode::Up, KeyCode::Down, KeyCode::Backspace, KeyCode::Left, KeyCode::Home, KeyCode::PageDown]),
            2 => Just(KeyCode::Enter),
            1 => Just(KeyCode::Esc),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
        /// Keys into the wizard (reopened with W whenever it closes) never panic, and nothing is
        /// applied unless Enter was pressed on the plan page.
        #[test]
        fn random_keys_apply_nothing_unless_the_plan_is_confirmed(keys in prop::collection::vec(key(), 1..60)) {
            let mut rig = Rig::new();
            let (host, table) = (rig.state(), shape(&rig.table()));
            let mut confirmed = false;
            for (n, code) in keys.into_iter().enumerate() {
                if !matches!(rig.app.stack.modal(), Some(Modal::Wizard(_))) {
                    rig.app.stack.overlays.clear();
                    let _ = rig.app.stack.close_page();
                    rig.key('W');
                }
                let on_plan = matches!(rig.app.stack.modal(), Some(Modal::Wizard(w)) if matches!(w.page, Page::Plan { .. }));
                match code {
                    KeyCode::Null => rig.typed(["10.0.0.11", "198.51.100.50", "eth0", "2001:db8::5", "70000"][n % 5]),
                    code => {
                        confirmed |= on_plan && code == KeyCode::Enter;
                        rig.press(code);
                    }
                }
                if !confirmed {
                    prop_assert_eq!(&rig.state(), &host);
                    prop_assert_eq!(&shape(&rig.table()), &table);
                    prop_assert!(rig.audit().is_empty());
                }
            }
            let mut app = rig.app;
            screen(&mut app, 80, 24);
        }
    }
}
/// A scheduler name of the right form that no module provides passes the checks (as with
/// `setup --plan`: modules are the kernel's to know) and is refused when applied: page 3 says
/// so in words, and the VIP bound before it is unbound again.
#[test]
fn a_scheduler_the_kernel_lacks_is_refused_on_apply_and_rolled_back() {
    let mut rig = Rig::new();
    let (host_before, table_before) = (rig.state(), shape(&rig.table()));
    rig.key('W');
    rig.key('1');
    let mut answers = NAT;
    answers[5] = "xyz";
    answer(&mut rig, &answers.map(Some));
    rig.press(KeyCode::Enter);
    rig.press(KeyCode::Enter);
    assert_eq!(
        plan_error(&rig).as_deref(),
        Some(
            "Not applied: step 2 of 3 (ipvsadm -A -t 198.51.100.50:80 -s xyz) failed: scheduler `xyz` or persistence engine not found (is the ip_vs_xyz module available?); the steps before it were undone. Nothing was changed: this host and the IPVS table are as they were."
        )
    );
    assert_eq!(rig.state(), host_before);
    assert_eq!(shape(&rig.table()), table_before);
}
