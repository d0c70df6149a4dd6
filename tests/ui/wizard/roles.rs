//! Every role chosen by digit or arrows, answered, applied as one change and undone by one `u`.

use super::*;

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
