//! Setup plans: the Operations of every role from a bare host, idempotence (a plan applied
//! needs nothing more), what is already in place is kept, bad plan files with exact messages and
//! lines, a plan that cannot apply to this host, and all-or-nothing application.

use ipvs_tui::backend::{Backend, Memory, Reply};
use ipvs_tui::host::{Addr, HostError, HostState, Link};
use ipvs_tui::ipvs::model::Snapshot;
use ipvs_tui::ipvs::{Error, Result, args::parse_args, table};
use ipvs_tui::operation::{Operation, OperationError, State, apply_plan, check_plan};
use ipvs_tui::setup::{Plan, plan, plan_operations};
use std::cell::Cell;

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

/// Every LVS sysctl of these interfaces at the kernel's defaults (all 0).
fn host(links: Vec<Link>) -> HostState {
    let mut sysctls: std::collections::BTreeMap<String, String> =
        [("net.ipv4.ip_forward".to_string(), "0".to_string())].into();
    for dev in ["all", "default"]
        .into_iter()
        .chain(links.iter().map(|l| l.name.as_str()))
    {
        for key in ["arp_ignore", "arp_announce", "rp_filter"] {
            sysctls.insert(format!("net.ipv4.conf.{dev}.{key}"), "0".into());
        }
    }
    HostState {
        links,
        routes: vec![],
        sysctls,
    }
}

fn nat_host() -> HostState {
    host(vec![
        link("lo", &["127.0.0.1/8"]),
        link("out0", &["203.0.113.1/24"]),
        link("in0", &["10.10.0.1/24"]),
    ])
}

fn dr_host() -> HostState {
    host(vec![
        link("lo", &["127.0.0.1/8"]),
        link("eth0", &["198.51.100.11/24"]),
    ])
}

fn commands(ops: &[Operation]) -> Vec<String> {
    ops.iter().map(Operation::to_command).collect()
}

fn plan_of(text: &str) -> Plan {
    Plan::parse(text).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Plans `text` on `state`, checks the steps, follows them in memory, then plans again.
fn plan_twice(text: &str, state: &State) -> (Vec<String>, Vec<String>) {
    let plan = plan_of(text);
    let ops = plan_operations(&plan, &state.host, &state.table).unwrap();
    check_plan(state, &ops).unwrap();
    let mut after = state.clone();
    for op in &ops {
        op.apply_in_memory(&mut after).unwrap();
    }
    let again = plan_operations(&plan, &after.host, &after.table).unwrap();
    (commands(&ops), commands(&again))
}

const EXAMPLE: &str = include_str!("../../assets/setup-example.toml");

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

const DR_DIRECTOR: &str = r#"
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

/// Fails the step numbered `fail_at` (counting every apply, undo steps included).
struct FailingAt {
    inner: Memory,
    fail_at: usize,
    calls: Cell<usize>,
}

impl Backend for FailingAt {
    fn snapshot(&self) -> Reply<'_, Result<Snapshot>> {
        self.inner.snapshot()
    }

    fn host(&self) -> Reply<'_, std::result::Result<HostState, HostError>> {
        self.inner.host()
    }

    fn apply<'a>(
        &'a self,
        op: &'a Operation,
    ) -> Reply<'a, std::result::Result<(), OperationError>> {
        let n = self.calls.replace(self.calls.get() + 1);
        if n == self.fail_at {
            return Box::pin(async {
                Err(Error::Kernel {
                    errno: 22,
                    message: "refused".into(),
                }
                .into())
            });
        }
        self.inner.apply(op)
    }
}

#[test]
fn a_failure_at_any_step_leaves_host_and_table_as_they_were() {
    let before = State::new(Snapshot::default(), nat_host());
    let ops = plan_operations(&plan_of(EXAMPLE), &before.host, &before.table).unwrap();
    for fail_at in 0..ops.len() {
        let target = FailingAt {
            inner: Memory::new(before.clone()),
            fail_at,
            calls: Cell::new(0),
        };
        let failure =
            futures::executor::block_on(apply_plan(&target, before.clone(), &ops)).unwrap_err();
        assert_eq!(failure.step, fail_at);
        assert!(failure.rollback_errors.is_empty());
        assert_eq!(target.inner.state(), before, "failing at step {fail_at}");
    }
}

/// Without its line numbers, for comparing plans read from different texts.
fn without_lines(mut p: Plan) -> Plan {
    p.lines = Default::default();
    for s in &mut p.services {
        s.line = 0;
        for rs in &mut s.real_servers {
            rs.line = 0;
        }
    }
    p
}

/// What the wizard saves reads back as the same plan, for every role.
#[test]
fn a_plan_written_back_reads_the_same() {
    let texts = [
        EXAMPLE,
        DR_DIRECTOR,
        "role = \"tun-director\"\nvip = \"2001:db8::100\"\nprefix = 64\ninterface = \"eth0\"\n[[service]]\nprotocol = \"sctp\"\nport = 9\n[[service.real_server]]\naddress = \"2001:db8::11\"\nweight = 0\n",
        "role = \"dr-real-server\"\nvip = \"198.51.100.100\"\ninterface = \"eth0\"\n",
        "role = \"tun-real-server\"\nvip = \"198.51.100.100\"\nlabel = \"tunl0:vip\"\n",
        "role = \"nat-real-server\"\ndirector = \"10.10.0.1\"\n",
    ];
    for text in texts {
        let plan = plan_of(text);
        let written = plan.to_toml();
        assert_eq!(
            without_lines(plan_of(&written)),
            without_lines(plan),
            "written back:\n{written}"
        );
    }
    assert!(plan_of(EXAMPLE).to_toml().starts_with("role = \"nat-director\"\nvip = \"203.0.113.100\"\ninterface = \"out0\"\nlabel = \"out0:vip\"\n\n[[service]]\nprotocol = \"tcp\"\nport = 80\nscheduler = \"rr\"\n"));
}
