//! Mistakes on DR, TUN and NAT real servers.

use super::*;

#[test]
fn dr_real_server_mistakes() {
    let mut f = dr_real_server();
    f.host
        .sysctls
        .insert("net.ipv4.conf.all.arp_ignore".into(), "0".into());
    assert_eq!(
        found(&f),
        ["Error arp_ignore: sysctl -w net.ipv4.conf.all.arp_ignore=1"]
    );
    assert_eq!(
        diagnose(&f)[0].what,
        "arp_ignore is below 1 on eth0 (0), on a dr-real-server"
    );
    // Set on the interface itself, the kernel's max(all, dev) does the job.
    f.host
        .sysctls
        .insert("net.ipv4.conf.eth0.arp_ignore".into(), "1".into());
    assert_eq!(found(&f), Vec::<String>::new());

    let mut f = dr_real_server();
    f.host
        .sysctls
        .insert("net.ipv4.conf.all.arp_announce".into(), "1".into());
    f.host
        .sysctls
        .insert("net.ipv4.conf.lo.arp_announce".into(), "0".into());
    assert_eq!(
        found(&f),
        [
            "Error arp_announce: sysctl -w net.ipv4.conf.all.arp_announce=2; sysctl -w net.ipv4.conf.lo.arp_announce=2"
        ]
    );

    // The VIP missing on lo: known from --vip (the role then from --role).
    let mut f = dr_real_server();
    f.host.links[0].addrs.pop();
    f.vip = Some("198.51.100.100".parse().unwrap());
    f.role = Some(Role::DrRealServer);
    assert_eq!(
        found(&f),
        ["Error vip_missing_on_lo: ip addr add 198.51.100.100/32 dev lo label lo:0"]
    );

    // The VIP on a real interface: this server steals the director's ARP.
    let mut f = dr_real_server();
    f.host.links[1].addrs.push(Addr {
        addr: "198.51.100.100".parse().unwrap(),
        prefix: 24,
        label: None,
    });
    assert_eq!(
        found(&f),
        ["Error vip_on_real_interface: ip addr del 198.51.100.100/24 dev eth0"]
    );

    let mut f = dr_real_server();
    f.host
        .sysctls
        .insert("net.ipv4.conf.eth0.rp_filter".into(), "1".into());
    assert_eq!(
        found(&f),
        [
            "Hint rp_filter: sysctl -w net.ipv4.conf.all.rp_filter=2; sysctl -w net.ipv4.conf.eth0.rp_filter=2"
        ]
    );
    assert!(
        diagnose(&f).iter().all(|x| !x.is_problem()),
        "a hint is not a problem"
    );
}

#[test]
fn tun_real_server_mistakes() {
    let mut f = tun_real_server();
    f.host
        .sysctls
        .insert("net.ipv4.conf.all.rp_filter".into(), "1".into());
    assert_eq!(
        found(&f),
        ["Error rp_filter: sysctl -w net.ipv4.conf.all.rp_filter=0"]
    );

    let mut f = tun_real_server();
    f.host.links[2].up = false;
    assert_eq!(found(&f), ["Error tunl0_down: ip link set dev tunl0 up"]);
    assert_eq!(
        found(&fixed(&f)),
        Vec::<String>::new(),
        "the fix repairs it"
    );

    let mut f = tun_real_server();
    f.host.links.pop();
    f.ipip = false;
    f.role = Some(Role::TunRealServer);
    f.vip = Some("198.51.100.100".parse().unwrap());
    assert_eq!(found(&f), ["Error ipip_missing: "]);
    assert_eq!(
        diagnose(&f)[0].advice.as_deref(),
        Some("modprobe ipip (and add ipip to /etc/modules-load.d/ to keep it)")
    );
}

#[test]
fn a_nat_real_server_needs_the_director_as_gateway() {
    let route = |gw: &str| crate::host::Route {
        dst: "0.0.0.0".parse().unwrap(),
        prefix: 0,
        gateway: Some(gw.parse().unwrap()),
        dev: Some("eth0".into()),
    };
    let mut f = Facts {
        role: Some(Role::NatRealServer),
        director: Some("10.10.0.1".parse().unwrap()),
        ..Facts::default()
    };
    f.host.links = vec![link("eth0", &["10.10.0.11/24"])];
    f.host.routes = vec![route("10.10.0.1")];
    assert_eq!(found(&f), Vec::<String>::new());
    f.host.routes = vec![route("10.10.0.254")];
    assert_eq!(
        found(&f),
        ["Error nat_gateway: ip route replace default via 10.10.0.1"]
    );
    assert_eq!(
        fixed(&f).host.routes,
        [route("10.10.0.1")],
        "the fix repairs it"
    );
    f.host.routes.clear();
    assert_eq!(
        diagnose(&f)[0].what,
        "there is no default route; it must be the director 10.10.0.1"
    );
    assert_eq!(
        found(&f),
        ["Error nat_gateway: ip route replace default via 10.10.0.1"]
    );
    assert_eq!(found(&fixed(&f)), Vec::<String>::new());
}
