//! Each finding from crafted facts, and none on a correct setup.

use super::*;
use crate::host::{Addr, HostState, Link};
use crate::ipvs::args::parse_args;
use crate::ipvs::model::Snapshot;
use crate::ipvs::table;
use crate::setup::facts::{FirewallRules, Probe};

fn link(name: &str, addrs: &[&str]) -> Link {
    let addrs = addrs
        .iter()
        .map(|a| {
            let (addr, prefix) = a.split_once('/').unwrap();
            Addr {
                addr: addr.parse().unwrap(),
                prefix: prefix.parse().unwrap(),
                label: None,
            }
        })
        .collect();
    Link {
        index: 0,
        name: name.into(),
        up: true,
        kind: None,
        addrs,
    }
}

fn table(lines: &[&str]) -> Snapshot {
    let mut snap = Snapshot::default();
    for l in lines {
        let op = parse_args(&l.split_whitespace().collect::<Vec<_>>()).unwrap();
        table::apply(&mut snap, &op).unwrap();
    }
    snap
}

fn sysctls(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The classic NAT lab's director, correct.
fn nat_director() -> Facts {
    let host = HostState {
        links: vec![
            link("lo", &["127.0.0.1/8"]),
            link("out0", &["203.0.113.1/24", "203.0.113.100/32"]),
            link("in0", &["10.10.0.1/24"]),
        ],
        routes: vec![],
        sysctls: sysctls(&[("net.ipv4.ip_forward", "1")]),
    };
    let ipvs = table(&[
        "-A -t 203.0.113.100:80 -s rr",
        "-a -t 203.0.113.100:80 -r 10.10.0.11:80 -m",
        "-a -t 203.0.113.100:80 -r 10.10.0.12:80 -m",
    ]);
    let probes = ["10.10.0.11", "10.10.0.12"]
        .iter()
        .map(|a| Probe {
            addr: a.parse().unwrap(),
            port: 80,
            error: None,
        })
        .collect();
    Facts {
        host,
        ipvs,
        probes,
        ..Facts::default()
    }
}

/// The classic DR lab's director, correct.
fn dr_director() -> Facts {
    let host = HostState {
        links: vec![
            link("lo", &["127.0.0.1/8"]),
            link("eth0", &["198.51.100.1/24", "198.51.100.100/32"]),
        ],
        ..HostState::default()
    };
    let ipvs = table(&[
        "-A -t 198.51.100.100:80 -s rr",
        "-a -t 198.51.100.100:80 -r 198.51.100.11:80 -g",
        "-a -t 198.51.100.100:80 -r 198.51.100.12:80 -g",
    ]);
    Facts {
        host,
        ipvs,
        ..Facts::default()
    }
}

/// A DR real server, correct.
fn dr_real_server() -> Facts {
    let host = HostState {
        links: vec![
            link("lo", &["127.0.0.1/8", "198.51.100.100/32"]),
            link("eth0", &["198.51.100.11/24"]),
        ],
        routes: vec![],
        sysctls: sysctls(&[
            ("net.ipv4.conf.all.arp_ignore", "1"),
            ("net.ipv4.conf.all.arp_announce", "2"),
            ("net.ipv4.conf.lo.arp_ignore", "1"),
            ("net.ipv4.conf.lo.arp_announce", "2"),
            ("net.ipv4.conf.eth0.arp_ignore", "0"),
            ("net.ipv4.conf.eth0.arp_announce", "0"),
            ("net.ipv4.conf.all.rp_filter", "0"),
            ("net.ipv4.conf.eth0.rp_filter", "0"),
        ]),
    };
    Facts {
        host,
        ..Facts::default()
    }
}

fn tun_real_server() -> Facts {
    let mut f = dr_real_server();
    f.host.links[0].addrs.pop();
    f.host.links.push(Link {
        kind: Some("ipip".into()),
        ..link("tunl0", &["198.51.100.100/32"])
    });
    f.host
        .sysctls
        .insert("net.ipv4.conf.tunl0.rp_filter".into(), "0".into());
    f.ipip = true;
    f
}

/// The checks found, as `check: fix commands`.
fn found(facts: &Facts) -> Vec<String> {
    diagnose(facts)
        .iter()
        .map(|f| {
            let fix: Vec<String> = f.fix.iter().map(|o| o.to_command()).collect();
            format!("{:?} {}: {}", f.severity, f.check, fix.join("; "))
        })
        .collect()
}

#[test]
fn correct_setups_have_no_finding() {
    for (name, facts) in [
        ("nat", nat_director()),
        ("dr", dr_director()),
        ("dr rs", dr_real_server()),
        ("tun rs", tun_real_server()),
    ] {
        assert_eq!(found(&facts), Vec::<String>::new(), "{name}");
    }
    assert_eq!(nat_director().roles(), vec![Role::NatDirector]);
    assert_eq!(dr_director().roles(), vec![Role::DrDirector]);
    assert_eq!(dr_real_server().roles(), vec![Role::DrRealServer]);
    assert_eq!(tun_real_server().roles(), vec![Role::TunRealServer]);
}

#[test]
fn firewall_rules_that_may_drop_a_vip_are_a_warning_only() {
    let mut f = nat_director();
    let fw = |text: &str| {
        vec![FirewallRules {
            tool: "iptables".into(),
            text: text.into(),
        }]
    };
    f.firewall = fw(
        "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -d 203.0.113.100/32 -p tcp --dport 80 -j DROP\n-A INPUT -d 203.0.113.10/32 -j DROP\nCOMMIT\n",
    );
    let d = diagnose(&f);
    assert_eq!(found(&f), ["Warning firewall_may_drop: "]);
    assert_eq!(
        d[0].what,
        "iptables rules may drop traffic to the VIP 203.0.113.100: `-A INPUT -d 203.0.113.100/32 -p tcp --dport 80 -j DROP`"
    );
    f.firewall = fw(
        "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -d 203.0.113.10/32 -j DROP\n-A INPUT -d 203.0.113.100/32 -j ACCEPT\n",
    );
    assert_eq!(
        found(&f),
        Vec::<String>::new(),
        "another address, and an accept, are fine"
    );
    let nft_policy_drop = FirewallRules { tool: "nft".into(), text: "table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\n".into() };
    f.firewall = vec![nft_policy_drop.clone()];
    assert_eq!(found(&f), ["Warning firewall_may_drop: "]);
    // nft and legacy iptables each have their own rules: each source is checked and named.
    f.firewall = vec![
        nft_policy_drop,
        FirewallRules {
            tool: "iptables-legacy".into(),
            text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -d 203.0.113.100/32 -j REJECT\nCOMMIT\n"
                .into(),
        },
    ];
    let d = diagnose(&f);
    assert_eq!(
        found(&f),
        ["Warning firewall_may_drop: ", "Warning firewall_may_drop: "]
    );
    assert!(d[0].what.starts_with("nft rules may drop traffic to the VIP 203.0.113.100: `type filter hook input priority filter; policy drop;`"), "{}", d[0].what);
    assert_eq!(
        d[1].what,
        "iptables-legacy rules may drop traffic to the VIP 203.0.113.100: `-A INPUT -d 203.0.113.100/32 -j REJECT`"
    );
}

#[test]
fn a_sync_daemon_on_one_side_is_a_hint() {
    let mut f = nat_director();
    table::apply(
        &mut f.ipvs,
        &parse_args(&[
            "--start-daemon",
            "master",
            "--mcast-interface",
            "in0",
            "--syncid",
            "7",
        ])
        .unwrap(),
    )
    .unwrap();
    assert_eq!(found(&f), ["Hint sync_one_side: "]);
    table::apply(
        &mut f.ipvs,
        &parse_args(&[
            "--start-daemon",
            "backup",
            "--mcast-interface",
            "in0",
            "--syncid",
            "7",
        ])
        .unwrap(),
    )
    .unwrap();
    assert_eq!(found(&f), Vec::<String>::new());
}

/// The facts after every finding's fix was applied (as the in-memory host applies it).
fn fixed(facts: &Facts) -> Facts {
    let mut state = crate::operation::State::new(facts.ipvs.clone(), facts.host.clone());
    for op in diagnose(facts).iter().flat_map(|f| f.fix.clone()) {
        op.apply_in_memory(&mut state)
            .unwrap_or_else(|e| panic!("{}: {e}", op.to_command()));
    }
    Facts {
        ipvs: state.table,
        host: state.host,
        ..facts.clone()
    }
}

#[test]
fn json_gives_fixes_as_commands() {
    let mut f = nat_director();
    f.host
        .sysctls
        .insert("net.ipv4.ip_forward".into(), "0".into());
    let d = diagnose(&f);
    let json = serde_json::to_value(FindingJson::from(&d[0])).unwrap();
    assert_eq!(json["check"], "ip_forward_off");
    assert_eq!(json["severity"], "error");
    assert_eq!(json["fix"][0], "sysctl -w net.ipv4.ip_forward=1");
    assert!(render_text(&d).ends_with("doctor: 1 problem(s) found\n"));
    assert_eq!(render_text(&[]), "doctor: no problem found\n");
}

mod directors;
mod real_servers;
