//! The Operations of every role from a bare host, idempotent, keeping what is in place.

use super::*;

#[test]
fn nat_director_from_the_example_plan() {
    let (first, second) = plan_twice(EXAMPLE, &State::new(Snapshot::default(), nat_host()));
    assert_eq!(
        first,
        [
            "sysctl -w net.ipv4.ip_forward=1",
            "ip addr add 203.0.113.100/32 dev out0 label out0:vip",
            "ipvsadm -A -t 203.0.113.100:80 -s rr",
            "ipvsadm -a -t 203.0.113.100:80 -r 10.10.0.11:80 -m -w 1",
            "ipvsadm -a -t 203.0.113.100:80 -r 10.10.0.12:80 -m -w 1",
            "ipvsadm -A -u 203.0.113.100:53 -s rr",
            "ipvsadm -a -u 203.0.113.100:53 -r 10.10.0.11:53 -m -w 1",
            "ipvsadm -a -u 203.0.113.100:53 -r 10.10.0.12:53 -m -w 1",
        ]
    );
    assert_eq!(
        second,
        Vec::<String>::new(),
        "a plan applied needs nothing more"
    );
}

pub(super) const DR_DIRECTOR: &str = r#"
role = "dr-director"
vip = "198.51.100.100"
interface = "eth0"
[[service]]
port = 443
scheduler = "wlc"
persistence = 300
[[service.real_server]]
address = "198.51.100.11"
weight = 3
[[service.real_server]]
address = "198.51.100.12"
port = 8443
"#;

#[test]
fn dr_and_tun_directors() {
    let director = host(vec![
        link("lo", &["127.0.0.1/8"]),
        link("eth0", &["198.51.100.1/24"]),
    ]);
    let (first, second) = plan_twice(
        DR_DIRECTOR,
        &State::new(Snapshot::default(), director.clone()),
    );
    assert_eq!(
        first,
        [
            "ip addr add 198.51.100.100/32 dev eth0",
            "ipvsadm -A -t 198.51.100.100:443 -s wlc -p 300",
            "ipvsadm -a -t 198.51.100.100:443 -r 198.51.100.11:443 -g -w 3",
            "ipvsadm -a -t 198.51.100.100:443 -r 198.51.100.12:8443 -g -w 1",
        ]
    );
    assert_eq!(second, Vec::<String>::new());

    // TUN: the real servers may be anywhere routed.
    let tun = r#"
role = "tun-director"
vip = "198.51.100.100"
interface = "eth0"
[[service]]
port = 80
[[service.real_server]]
address = "192.0.2.21"
"#;
    let (first, second) = plan_twice(tun, &State::new(Snapshot::default(), director));
    assert_eq!(
        first,
        [
            "ip addr add 198.51.100.100/32 dev eth0",
            "ipvsadm -A -t 198.51.100.100:80 -s wlc",
            "ipvsadm -a -t 198.51.100.100:80 -r 192.0.2.21:80 -i -w 1 --tun-type ipip"
        ]
    );
    assert_eq!(second, Vec::<String>::new());
}

#[test]
fn what_is_in_place_is_kept_and_what_differs_is_edited() {
    let director = host(vec![
        link("lo", &["127.0.0.1/8"]),
        link("eth0", &["198.51.100.1/24", "198.51.100.100/24"]),
    ]);
    let mut table = Snapshot::default();
    for line in [
        "-A -t 198.51.100.100:443 -s rr",
        "-a -t 198.51.100.100:443 -r 198.51.100.11:443 -g -w 3 -x 100",
        "-a -t 198.51.100.100:443 -r 198.51.100.12:8443 -m -w 1",
    ] {
        table::apply(
            &mut table,
            &parse_args(&line.split_whitespace().collect::<Vec<_>>()).unwrap(),
        )
        .unwrap();
    }
    let (first, second) = plan_twice(DR_DIRECTOR, &State::new(table, director));
    assert_eq!(
        first,
        [
            "ipvsadm -E -t 198.51.100.100:443 -s wlc -p 300",
            "ipvsadm -e -t 198.51.100.100:443 -r 198.51.100.12:8443 -g -w 1"
        ],
        "the VIP (bound /24) and the first real server (thresholds kept) are in place"
    );
    assert_eq!(second, Vec::<String>::new());
}

#[test]
fn dr_real_server() {
    let text = "role = \"dr-real-server\"\nvip = \"198.51.100.100\"\ninterface = \"eth0\"\n";
    let mut rs = dr_host();
    rs.sysctls
        .insert("net.ipv4.conf.all.rp_filter".into(), "1".into());
    rs.sysctls
        .insert("net.ipv4.conf.lo.arp_ignore".into(), "1".into());
    let (first, second) = plan_twice(text, &State::new(Snapshot::default(), rs));
    assert_eq!(
        first,
        [
            "sysctl -w net.ipv4.conf.all.arp_ignore=1",
            "sysctl -w net.ipv4.conf.all.arp_announce=2",
            "sysctl -w net.ipv4.conf.lo.arp_announce=2",
            "sysctl -w net.ipv4.conf.eth0.arp_ignore=1",
            "sysctl -w net.ipv4.conf.eth0.arp_announce=2",
            "sysctl -w net.ipv4.conf.all.rp_filter=2",
            "ip addr add 198.51.100.100/32 dev lo label lo:0",
        ],
        "lo's arp_ignore is in place; rp_filter 0 on eth0 is fine"
    );
    assert_eq!(second, Vec::<String>::new());
}

#[test]
fn tun_real_server() {
    let text = "role = \"tun-real-server\"\nvip = \"198.51.100.100\"\n";
    let mut links = dr_host().links;
    links.push(Link {
        kind: Some("ipip".into()),
        ..link("tunl0", &[])
    });
    let mut rs = host(links);
    rs.sysctls
        .insert("net.ipv4.conf.tunl0.rp_filter".into(), "1".into());
    let (first, second) = plan_twice(text, &State::new(Snapshot::default(), rs.clone()));
    assert_eq!(
        first,
        [
            "sysctl -w net.ipv4.conf.all.arp_ignore=1",
            "sysctl -w net.ipv4.conf.all.arp_announce=2",
            "sysctl -w net.ipv4.conf.lo.arp_ignore=1",
            "sysctl -w net.ipv4.conf.lo.arp_announce=2",
            "sysctl -w net.ipv4.conf.tunl0.rp_filter=0",
            "ip addr add 198.51.100.100/32 dev tunl0",
        ]
    );
    assert_eq!(second, Vec::<String>::new());
    // The VIP left on lo (a DR real server before) answers no ARP by itself: no objection.
    let mut with_lo = rs.clone();
    with_lo.links[0].addrs.push(Addr {
        addr: "198.51.100.100".parse().unwrap(),
        prefix: 32,
        label: Some("lo:0".into()),
    });
    assert_eq!(
        plan_operations(&plan_of(text), &with_lo, &Snapshot::default())
            .unwrap()
            .len(),
        6
    );
    rs.links[2].up = false;
    let errors = plan_operations(&plan_of(text), &rs, &Snapshot::default()).unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "line 1: tunl0 is down: bring it up (ip link set tunl0 up), then run the plan again"
    );
    rs.links.pop();
    let errors = plan_operations(&plan_of(text), &rs, &Snapshot::default()).unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "line 1: tunl0 does not exist: load the ipip module (modprobe ipip), then run the plan again"
    );
}

#[test]
fn nat_real_server_is_advice_only() {
    let text = "role = \"nat-real-server\"\ndirector = \"10.10.0.1\"\n";
    let mut rs = host(vec![link("eth0", &["10.10.0.11/24"])]);
    let route = |gw: &str| ipvs_tui::host::Route {
        dst: "0.0.0.0".parse().unwrap(),
        prefix: 0,
        gateway: Some(gw.parse().unwrap()),
        dev: Some("eth0".into()),
    };
    rs.routes.push(route("10.10.0.254"));
    let p = plan_of(text);
    assert_eq!(
        plan_operations(&p, &rs, &Snapshot::default()).unwrap(),
        vec![]
    );
    assert_eq!(
        plan::advice(&p, &rs),
        [
            "the default gateway is 10.10.0.254, not the director 10.10.0.1: replies would bypass the director and the clients would drop them; set it: ip route replace default via 10.10.0.1"
        ]
    );
    rs.routes = vec![route("10.10.0.1")];
    assert_eq!(
        plan::advice(&p, &rs),
        [
            "the default gateway is the director (10.10.0.1): replies go back through it, as LVS-NAT needs"
        ]
    );
}
