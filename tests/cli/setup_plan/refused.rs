//! Bad plan files with exact messages and lines, and a plan that cannot apply to this host.

use super::*;

/// Bad plan files: every problem at once, each with its line and exact words.
#[test]
fn bad_plan_files_say_what_and_where() {
    let cases: &[(&str, &[&str])] = &[
        (
            "role = \"director\"\n",
            &[
                "line 1: role \"director\": must be one of nat-director, dr-director, tun-director, dr-real-server, tun-real-server, nat-real-server",
            ],
        ),
        ("vip = \"192.0.2.1\"\n", &["line 1: missing field `role`"]),
        (
            "role = \"nat-director\"\nvip = 192.0.2.1\n",
            &["line 2: invalid float, expected nothing"],
        ),
        (
            "role = \"nat-director\"\nvipp = \"192.0.2.1\"\n",
            &[
                "line 2: unknown field `vipp`, expected one of `role`, `vip`, `prefix`, `interface`, `label`, `director`, `service`",
            ],
        ),
        (
            "role = \"nat-director\"\nvip = \"192.0.2.1\"\ninterface = \"eth0\"\n[[service]]\nport = 80\nscheduler = \"r r\"\n[[service.real_server]]\naddress = \"10.0.0.1\"\nweight = -3\n[[service.real_server]]\naddress = \"10.0.0.300\"\n",
            &[
                "line 6: scheduler \"r r\": must be a scheduler name such as rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos (1 to 15 letters, digits or _)",
                "line 9: weight \"-3\": must be a whole number from 0 to 2147483647",
                "line 11: real server address \"10.0.0.300\": must be an IPv4 or IPv6 address such as 192.0.2.100",
            ],
        ),
        (
            "role = \"dr-director\"\nvip = \"192.0.2.1\"\n",
            &[
                "line 1: a dr-director plan needs interface = \"NAME\": where the VIP is bound",
                "line 1: a dr-director plan needs at least one [[service]]",
            ],
        ),
        (
            "role = \"nat-director\"\nvip = \"192.0.2.1\"\ninterface = \"eth0\"\n[[service]]\nport = 80\n[[service]]\nprotocol = \"icmp\"\nport = 80\n[[service.real_server]]\naddress = \"2001:db8::1\"\n",
            &[
                "line 4: this service has no [[service.real_server]]: it could take no connection",
                "line 7: protocol \"icmp\": must be tcp, udp or sctp",
                "line 10: real server 2001:db8::1: must be of the VIP's family (IPv4)",
            ],
        ),
        (
            "role = \"nat-director\"\nvip = \"192.0.2.1\"\ninterface = \"eth0\"\n[[service]]\nport = 80\npersistence = 99999999\n[[service.real_server]]\naddress = \"10.0.0.1\"\n[[service.real_server]]\naddress = \"10.0.0.1\"\nport = 80\n[[service]]\nport = 80\n[[service.real_server]]\naddress = \"192.0.2.1\"\n",
            &[
                "line 6: persistence timeout \"99999999\": must be a whole number from 1 to 2678400 (0: none)",
                "line 10: real server 10.0.0.1:80: already listed at line 8",
                "line 15: real server 192.0.2.1: is the VIP itself",
            ],
        ),
        (
            "role = \"dr-real-server\"\nvip = \"2001:db8::1\"\nlabel = \"eth0:1\"\ndirector = \"10.0.0.1\"\n[[service]]\nport = 80\n",
            &[
                "line 2: vip: a dr-real-server plan takes an IPv4 VIP (its ARP and rp_filter settings are IPv4)",
                "line 3: label \"eth0:1\": must start with the interface name (lo), e.g. lo:0, and be at most 15 characters",
                "line 4: director: only a nat-real-server plan takes it, not a dr-real-server plan",
                "line 5: a dr-real-server plan has no [[service]]: the services live on the director",
            ],
        ),
        (
            "role = \"nat-real-server\"\n",
            &[
                "line 1: a nat-real-server plan needs director = \"ADDRESS\": the director's inside address, which must be this server's default gateway",
            ],
        ),
    ];
    for (text, want) in cases {
        let got: Vec<String> = Plan::parse(text)
            .expect_err(text)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(got, *want, "plan:\n{text}");
    }
}

/// Problems only this host can show, at the plan's lines; nothing is planned then.
#[test]
fn a_plan_that_cannot_apply_here_says_why() {
    let text = "role = \"dr-director\"\nvip = \"198.51.100.100\"\ninterface = \"eth1\"\n[[service]]\nport = 80\n[[service.real_server]]\naddress = \"192.0.2.50\"\n";
    let mut director = host(vec![
        link("lo", &["127.0.0.1/8"]),
        link("eth0", &["198.51.100.1/24", "198.51.100.100/24"]),
    ]);
    let errors: Vec<String> = plan_operations(&plan_of(text), &director, &Snapshot::default())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "line 3: interface \"eth1\": no such interface on this host (here: lo, eth0)",
            "line 2: vip 198.51.100.100 is already bound on eth0, not eth1; remove it there (ip addr del 198.51.100.100/24 dev eth0) first",
            "line 7: real server 192.0.2.50:80: not on a subnet directly connected to this director; LVS-DR rewrites only the MAC address, so real servers must share a link with it (use LVS-TUN across routers)",
        ]
    );
    director.links[1].addrs.pop();
    let nat = EXAMPLE.replace("10.10.0.12", "192.0.2.12");
    let errors: Vec<String> = plan_operations(&plan_of(&nat), &nat_host(), &Snapshot::default())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "line 51: real server 192.0.2.12:80: this director has no route to it other than the default route; a NAT director must reach its real servers on an inside network",
            "line 64: real server 192.0.2.12:53: this director has no route to it other than the default route; a NAT director must reach its real servers on an inside network",
        ]
    );
    let mut rs = dr_host();
    rs.links[1].addrs.push(Addr {
        addr: "198.51.100.100".parse().unwrap(),
        prefix: 24,
        label: None,
    });
    let errors: Vec<String> = plan_operations(
        &plan_of("role = \"dr-real-server\"\nvip = \"198.51.100.100\"\n"),
        &rs,
        &Snapshot::default(),
    )
    .unwrap_err()
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        errors,
        [
            "line 2: vip 198.51.100.100 is already bound on eth0, not lo: a real server holding it on a real interface answers ARP for it and steals the director's traffic; remove it there (ip addr del 198.51.100.100/24 dev eth0) first"
        ]
    );
}
