//! Host input parsers: VIPs, labels, address changes, sysctls, default routes and validate.

use super::*;

fn err<T: std::fmt::Debug>(r: Parsed<T>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn vips_default_to_a_host_prefix() {
    assert_eq!(
        vip("192.0.2.100").unwrap(),
        ("192.0.2.100".parse().unwrap(), 32)
    );
    assert_eq!(vip("192.0.2.100/24").unwrap().1, 24);
    assert_eq!(
        vip("2001:db8::100").unwrap(),
        ("2001:db8::100".parse().unwrap(), 128)
    );
    assert_eq!(vip("2001:db8::100/64").unwrap().1, 64);
}

#[test]
fn bad_vips_say_what_is_allowed() {
    assert_eq!(
        err(vip("192.0.2.1/33")),
        r#"VIP "192.0.2.1/33": the prefix must be a whole number from 1 to 32 for an IPv4 address"#
    );
    assert_eq!(
        err(vip("2001:db8::1/129")),
        r#"VIP "2001:db8::1/129": the prefix must be a whole number from 1 to 128 for an IPv6 address"#
    );
    for bad in [
        "192.0.2.1/",
        "192.0.2.1/0",
        "192.0.2.1/-1",
        "192.0.2.1/x",
        "192.0.2.1/32/1",
    ] {
        assert!(
            err(vip(bad)).contains("the prefix must be a whole number from 1 to 32"),
            "{bad}"
        );
    }
    assert_eq!(
        err(vip("192.0.2")),
        r#"VIP "192.0.2": must be an IPv4 or IPv6 address with an optional /PREFIX, e.g. 192.0.2.100 or 2001:db8::100/128"#
    );
    for bad in ["", "host.example", "192.0.2.1:80", " 192.0.2.1"] {
        assert!(
            err(vip(bad)).contains("must be an IPv4 or IPv6 address"),
            "{bad:?}"
        );
    }
    for bad in ["224.0.0.1", "255.255.255.255", "0.0.0.0", "ff02::1", "::"] {
        assert!(err(vip(bad)).contains("must be a unicast address"), "{bad}");
    }
}

#[test]
fn labels_start_with_the_interface_and_a_colon() {
    let v4: IpAddr = "192.0.2.1".parse().unwrap();
    assert_eq!(label("eth1:0", "eth1", v4).unwrap(), "eth1:0");
    assert_eq!(label("lo:vip", "lo", v4).unwrap(), "lo:vip");
    assert_eq!(
        err(label("eth0:0", "eth1", v4)),
        r#"label "eth0:0": must be the interface name, ':' and a suffix, 15 characters at most, e.g. eth1:0"#
    );
    for bad in [
        "eth1",
        "eth1:",
        "eth10",
        "eth1:0123456789a",
        "eth1:a b",
        "eth1:a/b",
    ] {
        assert!(label(bad, "eth1", v4).is_err(), "{bad}");
    }
    assert_eq!(
        err(label("eth1:0", "eth1", "2001:db8::1".parse().unwrap())),
        r#"label "eth1:0": labels exist only for IPv4 addresses"#
    );
}

#[test]
fn address_changes_check_every_part() {
    assert_eq!(
        add_addr("192.0.2.100", "eth1", Some("eth1:0")).unwrap(),
        HostOp::AddAddr {
            dev: "eth1".into(),
            addr: "192.0.2.100".parse().unwrap(),
            prefix: 32,
            label: Some("eth1:0".into())
        }
    );
    assert_eq!(
        del_addr("192.0.2.100/24", "lo").unwrap(),
        HostOp::DelAddr {
            dev: "lo".into(),
            addr: "192.0.2.100".parse().unwrap(),
            prefix: 24
        }
    );
    assert_eq!(
        err(add_addr("192.0.2.100", "eth/1", None)),
        r#"interface "eth/1": must be an interface name of 1 to 15 characters without '/', ':' or spaces"#
    );
    assert!(err(add_addr("192.0.2.100", "eth1", Some("lo:0"))).starts_with("label \"lo:0\""));
}

#[test]
fn sysctls_are_known_names_with_values_in_range() {
    let set = |n: &str, v: &str| HostOp::SetSysctl {
        name: n.into(),
        value: v.into(),
    };
    assert_eq!(
        sysctl_assignment("net.ipv4.ip_forward=1").unwrap(),
        set("net.ipv4.ip_forward", "1")
    );
    assert_eq!(
        sysctl_assignment("net.ipv4.conf.eth0.100.arp_ignore=01").unwrap(),
        set("net.ipv4.conf.eth0/100.arp_ignore", "1")
    );
    assert_eq!(
        sysctl_assignment("net.ipv4.vs.sync_threshold= 3   60 ").unwrap(),
        set("net.ipv4.vs.sync_threshold", "3 60")
    );
    assert_eq!(
        sysctl_assignment("net.ipv4.vs.sync_threshold=5 0").unwrap(),
        set("net.ipv4.vs.sync_threshold", "5 0")
    );
    assert_eq!(
        sysctl_assignment("net.ipv4.vs.sync_ports=8").unwrap(),
        set("net.ipv4.vs.sync_ports", "8")
    );

    assert_eq!(
        err(sysctl_assignment("net.ipv4.ip_forward=2")),
        r#"sysctl "net.ipv4.ip_forward=2": the value must be 0 or 1"#
    );
    assert_eq!(
        err(sysctl_assignment("net.ipv4.conf.lo.arp_ignore=4")),
        r#"sysctl "net.ipv4.conf.lo.arp_ignore=4": the value must be one of 0, 1, 2, 3, 8"#
    );
    assert_eq!(
        err(sysctl_assignment("net.ipv4.conf.all.arp_announce=3")),
        r#"sysctl "net.ipv4.conf.all.arp_announce=3": the value must be a whole number from 0 to 2"#
    );
    assert!(
        err(sysctl_assignment("net.ipv4.vs.sync_threshold=50 50"))
            .contains("the threshold below the period")
    );
    assert!(
        err(sysctl_assignment("net.ipv4.vs.sync_threshold=3"))
            .contains("must be two whole numbers")
    );
    assert!(err(sysctl_assignment("net.ipv4.vs.sync_ports=3")).contains("must be one of 1, 2, 4"));
    for bad in [
        "net.ipv4.ip_forward=",
        "net.ipv4.ip_forward=-1",
        "net.ipv4.ip_forward=on",
        "net.ipv4.ip_forward=0x1",
        "net.ipv4.vs.amemthresh=99999999999",
    ] {
        assert!(
            err(sysctl_assignment(bad)).contains("the value must"),
            "{bad}"
        );
    }
    assert_eq!(
        err(sysctl_assignment("net.ipv4.tcp_syncookies=1")),
        r#"sysctl "net.ipv4.tcp_syncookies": not an LVS sysctl that ipvs-tui knows; `ipvs-tui sysctl` lists them"#
    );
    assert_eq!(
        err(sysctl_assignment("net.ipv4.ip_forward")),
        r#"sysctl "net.ipv4.ip_forward": must be NAME=VALUE, e.g. net.ipv4.ip_forward=1"#
    );
    assert!(
        err(sysctl_assignment("net.ipv4.conf.a:b.rp_filter=1")).starts_with("interface \"a:b\"")
    );
}

#[test]
fn default_routes_need_a_unicast_gateway() {
    assert_eq!(
        default_route("10.0.0.1", None).unwrap(),
        HostOp::ReplaceDefaultRoute {
            via: "10.0.0.1".parse().unwrap(),
            dev: None
        }
    );
    assert_eq!(
        default_route("fe80::1", Some("eth1")).unwrap(),
        HostOp::ReplaceDefaultRoute {
            via: "fe80::1".parse().unwrap(),
            dev: Some("eth1".into())
        }
    );
    assert_eq!(
        err(default_route("10.0.0", None)),
        r#"gateway "10.0.0": must be an IPv4 or IPv6 address, e.g. 10.0.0.1"#
    );
    for bad in [
        "0.0.0.0",
        "255.255.255.255",
        "224.0.0.1",
        "127.0.0.1",
        "::",
        "::1",
        "ff02::1",
    ] {
        assert_eq!(
            err(default_route(bad, None)),
            format!(
                r#"gateway "{bad}": must be the unicast address of a router, not multicast, broadcast, loopback or unspecified"#
            )
        );
    }
    assert_eq!(
        err(default_route("fe80::1", None)),
        r#"gateway "fe80::1": an IPv6 link-local gateway needs the interface it is on (dev)"#
    );
    assert!(err(default_route("10.0.0.1", Some("eth 1"))).starts_with("interface \"eth 1\""));
}

#[test]
fn validate_applies_the_same_rules_to_built_ops() {
    for good in ["net.ipv4.ip_forward=1", "net.ipv4.vs.sync_threshold=3 50"] {
        validate(&sysctl_assignment(good).unwrap()).unwrap();
    }
    validate(&add_addr("192.0.2.1/32", "lo", Some("lo:1")).unwrap()).unwrap();
    let bad = [
        HostOp::SetSysctl {
            name: "net.ipv4.ip_forward".into(),
            value: "7".into(),
        },
        HostOp::SetSysctl {
            name: "net.ipv4.conf.eth0.100.rp_filter".into(),
            value: "1".into(),
        },
        HostOp::SetSysctl {
            name: "kernel.panic".into(),
            value: "1".into(),
        },
        HostOp::AddAddr {
            dev: "lo".into(),
            addr: "192.0.2.1".parse().unwrap(),
            prefix: 40,
            label: None,
        },
        HostOp::AddAddr {
            dev: "lo".into(),
            addr: "192.0.2.1".parse().unwrap(),
            prefix: 32,
            label: Some("eth0:1".into()),
        },
        HostOp::DelAddr {
            dev: "".into(),
            addr: "192.0.2.1".parse().unwrap(),
            prefix: 32,
        },
        HostOp::SetLinkUp { link: "a/b".into() },
        HostOp::SetLinkDown { link: "".into() },
        HostOp::ReplaceDefaultRoute {
            via: "224.0.0.1".parse().unwrap(),
            dev: None,
        },
        HostOp::DelDefaultRoute {
            via: "fe80::1".parse().unwrap(),
            dev: None,
        },
    ];
    for op in bad {
        assert!(validate(&op).is_err(), "{op:?}");
    }
}
