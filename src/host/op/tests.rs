//! Host operations as commands, their inverses, the lines before a change, and their JSON.

use super::*;
use crate::host::{Addr, Link};

fn host() -> HostState {
    let mut state = HostState::default();
    state.links.push(Link {
        index: 1,
        name: "lo".into(),
        up: true,
        kind: Some("loopback".into()),
        addrs: vec![
            Addr {
                addr: "127.0.0.1".parse().unwrap(),
                prefix: 8,
                label: None,
            },
            Addr {
                addr: "192.0.2.100".parse().unwrap(),
                prefix: 32,
                label: Some("lo:0".into()),
            },
        ],
    });
    state.links.push(Link {
        index: 2,
        name: "eth1".into(),
        up: true,
        kind: Some("veth".into()),
        addrs: vec![Addr {
            addr: "2001:db8::5".parse().unwrap(),
            prefix: 128,
            label: None,
        }],
    });
    state.links.push(Link {
        index: 3,
        name: "tunl0".into(),
        up: false,
        kind: Some("ipip".into()),
        addrs: vec![],
    });
    state.routes.push(Route {
        dst: "0.0.0.0".parse().unwrap(),
        prefix: 0,
        gateway: Some("10.0.0.254".parse().unwrap()),
        dev: Some("eth1".into()),
    });
    state
        .sysctls
        .insert("net.ipv4.ip_forward".into(), "0".into());
    state
        .sysctls
        .insert("net.ipv4.vs.sync_threshold".into(), "3 50".into());
    state
}

fn route(via: &str, dev: Option<&str>) -> HostOp {
    HostOp::ReplaceDefaultRoute {
        via: via.parse().unwrap(),
        dev: dev.map(Into::into),
    }
}

fn del_route(via: &str, dev: Option<&str>) -> HostOp {
    HostOp::DelDefaultRoute {
        via: via.parse().unwrap(),
        dev: dev.map(Into::into),
    }
}

#[test]
fn links_and_default_routes_as_ip_commands_and_their_inverses() {
    let up = |l: &str| HostOp::SetLinkUp { link: l.into() };
    let down = |l: &str| HostOp::SetLinkDown { link: l.into() };
    assert_eq!(up("tunl0").to_command(), "ip link set dev tunl0 up");
    assert_eq!(down("tunl0").to_command(), "ip link set dev tunl0 down");
    assert_eq!(
        route("10.0.0.1", None).to_command(),
        "ip route replace default via 10.0.0.1"
    );
    assert_eq!(
        route("2001:db8::1", Some("eth1")).to_command(),
        "ip route replace default via 2001:db8::1 dev eth1"
    );
    assert_eq!(
        del_route("10.0.0.1", Some("eth1")).to_command(),
        "ip route del default via 10.0.0.1 dev eth1"
    );
    let before = host();
    assert_eq!(
        up("tunl0").inverse(&before),
        Some(vec![down("tunl0")]),
        "down again, as it was"
    );
    assert_eq!(
        up("eth1").inverse(&before),
        Some(vec![]),
        "already up: nothing to undo"
    );
    assert_eq!(down("eth1").inverse(&before), Some(vec![up("eth1")]));
    assert_eq!(up("eth9").inverse(&before), None);
    assert_eq!(
        route("10.0.0.1", None).inverse(&before),
        Some(vec![route("10.0.0.254", Some("eth1"))]),
        "the previous default route"
    );
    assert_eq!(
        route("2001:db8::1", None).inverse(&before),
        Some(vec![del_route("2001:db8::1", None)]),
        "no IPv6 default route before"
    );
    assert_eq!(
        route("10.0.0.1", None).before_lines(&before),
        ["ip route replace default via 10.0.0.254 dev eth1"]
    );
    assert_eq!(
        del_route("10.0.0.254", None).inverse(&before),
        Some(vec![route("10.0.0.254", Some("eth1"))])
    );
    assert_eq!(
        del_route("10.0.0.9", None).inverse(&before),
        None,
        "not the default route"
    );
    assert!(down("tunl0").is_destructive() && del_route("10.0.0.1", None).is_destructive());
    assert!(!up("tunl0").is_destructive() && !route("10.0.0.1", None).is_destructive());
}

fn add(dev: &str, addr: &str, prefix: u8, label: Option<&str>) -> HostOp {
    HostOp::AddAddr {
        dev: dev.into(),
        addr: addr.parse().unwrap(),
        prefix,
        label: label.map(Into::into),
    }
}

fn del(dev: &str, addr: &str, prefix: u8) -> HostOp {
    HostOp::DelAddr {
        dev: dev.into(),
        addr: addr.parse().unwrap(),
        prefix,
    }
}

fn set(name: &str, value: &str) -> HostOp {
    HostOp::SetSysctl {
        name: name.into(),
        value: value.into(),
    }
}

#[test]
fn commands_are_what_ip_and_sysctl_take() {
    assert_eq!(
        add("eth1", "192.0.2.100", 32, Some("eth1:0")).to_command(),
        "ip addr add 192.0.2.100/32 dev eth1 label eth1:0"
    );
    assert_eq!(
        add("lo", "2001:db8::1", 128, None).to_command(),
        "ip addr add 2001:db8::1/128 dev lo"
    );
    assert_eq!(
        del("eth1", "192.0.2.100", 32).to_command(),
        "ip addr del 192.0.2.100/32 dev eth1"
    );
    assert_eq!(
        set("net.ipv4.ip_forward", "1").to_command(),
        "sysctl -w net.ipv4.ip_forward=1"
    );
    assert_eq!(
        set("net.ipv4.vs.sync_threshold", "3 60").to_command(),
        "sysctl -w 'net.ipv4.vs.sync_threshold=3 60'"
    );
    assert_eq!(
        set("net.ipv4.conf.eth0/100.rp_filter", "2").to_command(),
        "sysctl -w net.ipv4.conf.eth0/100.rp_filter=2"
    );
}

#[test]
fn inverses_put_back_what_was_there() {
    let before = host();
    assert_eq!(
        add("eth1", "192.0.2.7", 32, Some("eth1:7")).inverse(&before),
        Some(vec![del("eth1", "192.0.2.7", 32)])
    );
    assert_eq!(
        del("lo", "192.0.2.100", 32).inverse(&before),
        Some(vec![add("lo", "192.0.2.100", 32, Some("lo:0"))]),
        "the label comes back"
    );
    assert_eq!(
        del("eth1", "2001:db8::5", 128).inverse(&before),
        Some(vec![add("eth1", "2001:db8::5", 128, None)])
    );
    assert_eq!(
        set("net.ipv4.ip_forward", "1").inverse(&before),
        Some(vec![set("net.ipv4.ip_forward", "0")])
    );
    assert_eq!(
        set("net.ipv4.vs.sync_threshold", "1 10").inverse(&before),
        Some(vec![set("net.ipv4.vs.sync_threshold", "3 50")])
    );
    // Nothing to put back: not there before.
    assert_eq!(
        del("lo", "192.0.2.100", 24).inverse(&before),
        None,
        "another prefix is another address"
    );
    assert_eq!(del("eth9", "192.0.2.100", 32).inverse(&before), None);
    assert_eq!(set("net.ipv4.vs.conntrack", "1").inverse(&before), None);
}

#[test]
fn only_unbinding_is_destructive() {
    assert!(del("lo", "192.0.2.100", 32).is_destructive());
    assert!(!add("lo", "192.0.2.100", 32, None).is_destructive());
    assert!(!set("net.ipv4.ip_forward", "0").is_destructive());
}

#[test]
fn before_lines_restore_what_a_change_replaces() {
    let before = host();
    assert_eq!(
        del("lo", "192.0.2.100", 32).before_lines(&before),
        ["ip addr add 192.0.2.100/32 dev lo label lo:0"]
    );
    assert_eq!(
        set("net.ipv4.ip_forward", "1").before_lines(&before),
        ["net.ipv4.ip_forward = 0"]
    );
    assert!(
        add("lo", "192.0.2.1", 32, None)
            .before_lines(&before)
            .is_empty()
    );
}

#[test]
fn ops_serialise_tagged_and_read_back() {
    let op = add("eth1", "192.0.2.100", 32, Some("eth1:0"));
    let json = serde_json::to_value(&op).unwrap();
    assert_eq!(json["op"], "add_addr");
    assert_eq!(json["addr"], "192.0.2.100");
    assert_eq!(serde_json::from_value::<HostOp>(json).unwrap(), op);
}
