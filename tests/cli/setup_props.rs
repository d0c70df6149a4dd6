//! Property tests of setup plans: no plan text panics the reader, the planner or the doctor, and
//! every plan that reads writes back as itself.

use ipvs_tui::host::{Addr, HostState, Link};
use ipvs_tui::ipvs::model::Snapshot;
use ipvs_tui::setup::facts::Facts;
use ipvs_tui::setup::{Plan, doctor, plan_operations};
use proptest::prelude::*;

/// Lines that look like plan lines, with values good and bad.
fn plan_text() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "role",
        "vip",
        "prefix",
        "interface",
        "label",
        "director",
        "protocol",
        "port",
        "scheduler",
        "persistence",
        "address",
        "weight",
    ]);
    let value = prop_oneof![
        prop::sample::select(vec![
            "\"nat-director\"",
            "\"dr-director\"",
            "\"tun-director\"",
            "\"dr-real-server\"",
            "\"tun-real-server\"",
            "\"nat-real-server\"",
            "\"192.0.2.100\"",
            "\"10.0.0.1\"",
            "\"2001:db8::1\"",
            "\"eth0\"",
            "\"lo\"",
            "\"eth0:1\"",
            "\"tcp\"",
            "\"udp\"",
            "\"rr\"",
            "80",
            "0",
            "-3",
            "65536",
            "99999999999",
            "\"\"",
            "[]",
            "{}",
            "1.5",
            "true",
        ])
        .prop_map(str::to_string),
        "[ -~]{0,12}".prop_map(|s| format!("\"{}\"", s.replace(['"', '\\'], ""))),
    ];
    let line = prop_oneof![
        3 => (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => prop::sample::select(vec!["[[service]]", "[[service.real_server]]", "[service]", "# note", ""]).prop_map(str::to_string),
        1 => "[ -~]{0,20}",
    ];
    prop::collection::vec(line, 0..14).prop_map(|lines| lines.join("\n"))
}

fn host() -> HostState {
    let link = |name: &str, a: &str, p: u8| Link {
        index: 0,
        name: name.into(),
        up: true,
        kind: None,
        addrs: vec![Addr {
            addr: a.parse().unwrap(),
            prefix: p,
            label: None,
        }],
    };
    HostState {
        links: vec![
            link("lo", "127.0.0.1", 8),
            link("eth0", "192.0.2.1", 24),
            link("tunl0", "192.0.2.100", 32),
        ],
        ..HostState::default()
    }
}

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

/// Director plans that read: services on distinct ports, real servers on distinct addresses.
fn director_plan() -> impl Strategy<Value = String> {
    let service = (
        prop::sample::select(vec!["tcp", "udp", "sctp"]),
        prop::sample::select(vec!["rr", "wlc", "sh", "mh"]),
        prop::option::of(0u32..=2_678_400),
        prop::collection::btree_map(
            1u8..=254,
            (prop::option::of(1u16..), 0u32..=i32::MAX as u32),
            1..4,
        ),
    );
    (prop::sample::select(vec!["nat-director", "dr-director", "tun-director"]), prop::collection::vec(service, 1..4)).prop_map(|(role, services)| {
        let mut text = format!("role = \"{role}\"\nvip = \"192.0.2.100\"\ninterface = \"eth0\"\n");
        for (i, (protocol, scheduler, persistence, servers)) in services.into_iter().enumerate() {
            text += &format!("[[service]]\nprotocol = \"{protocol}\"\nport = {}\nscheduler = \"{scheduler}\"\n", 1000 + i);
            if let Some(p) = persistence {
                text += &format!("persistence = {p}\n");
            }
            for (host, (port, weight)) in servers {
                text += &format!("[[service.real_server]]\naddress = \"192.0.2.{host}\"\nweight = {weight}\n");
                if let Some(port) = port {
                    text += &format!("port = {port}\n");
                }
            }
        }
        text
    })
}

proptest! {
    #[test]
    fn director_plans_read_write_back_and_plan_idempotently(text in director_plan()) {
        let plan = match Plan::parse(&text) {
            Ok(plan) => plan,
            // Only the VIP itself as a real server is refused here.
            Err(errors) => {
                prop_assert!(errors.iter().all(|e| e.message.ends_with("is the VIP itself")), "{errors:?}");
                return Ok(());
            }
        };
        prop_assert_eq!(Plan::parse(&plan.to_toml()).map(without_lines), Ok(without_lines(plan.clone())));
        // Every real server is on eth0's subnet, so each role can apply here.
        let mut director = host();
        director.links.pop();
        director.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
        let ops = plan_operations(&plan, &director, &Snapshot::default());
        prop_assert!(ops.is_ok(), "{ops:?}");
        let mut state = ipvs_tui::operation::State::new(Snapshot::default(), director);
        for op in ops.unwrap() {
            prop_assert!(op.apply_in_memory(&mut state).is_ok(), "{}", op.to_command());
        }
        prop_assert_eq!(plan_operations(&plan, &state.host, &state.table), Ok(vec![]), "a plan applied needs nothing more");
    }

    #[test]
    fn any_plan_text_is_read_planned_and_checked_without_panic(text in plan_text()) {
        match Plan::parse(&text) {
            Err(errors) => prop_assert!(!errors.is_empty()),
            Ok(plan) => {
                let again = Plan::parse(&plan.to_toml());
                prop_assert_eq!(again.map(without_lines), Ok(without_lines(plan.clone())));
                if let Ok(ops) = plan_operations(&plan, &host(), &Snapshot::default()) {
                    let facts = Facts { role: Some(plan.role), vip: plan.vip, director: plan.director, host: host(), ..Facts::default() };
                    let _ = doctor::diagnose(&facts);
                    prop_assert!(ops.iter().all(|o| !o.to_command().is_empty()));
                }
            }
        }
    }

    #[test]
    fn any_bytes_never_panic_the_reader(text in "\\PC{0,200}") {
        let _ = Plan::parse(&text);
    }
}
