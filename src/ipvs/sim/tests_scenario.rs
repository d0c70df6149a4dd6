//! Scenario files: the demo loads with its six services, and bad scenarios say where and why.

use super::SimBackend;
use crate::ipvs::model::*;
use futures::executor::block_on;

#[test]
fn the_demo_has_the_six_classic_services() {
    let b = SimBackend::demo(1);
    let s = block_on(b.snapshot()).unwrap();
    let summary: Vec<(String, String, Option<u32>, Vec<&str>)> = s
        .services
        .iter()
        .map(|x| {
            let c = &x.config;
            (
                c.key.to_string(),
                c.scheduler.clone(),
                c.persistence,
                x.dests.iter().map(|d| d.config.forward.name()).collect(),
            )
        })
        .collect();
    let expect = |k: &str, sched: &str, p: Option<u32>, fwd: &[&'static str]| {
        (k.to_string(), sched.to_string(), p, fwd.to_vec())
    };
    assert_eq!(
        summary,
        vec![
            expect("-t 192.0.2.10:80", "wlc", None, &["Masq", "Masq"]),
            expect(
                "-t 192.0.2.20:81",
                "wrr",
                None,
                &["Route", "Route", "Route"]
            ),
            expect("-t 192.0.2.30:443", "wlc", Some(600), &["Masq", "Masq"]),
            expect("-u 192.0.2.53:53", "rr", None, &["Masq", "Masq"]),
            expect("-f 1", "sh", Some(300), &["Tunnel", "Tunnel"]),
            expect("-t [2001:db8::80]:80", "rr", None, &["Masq", "Masq"]),
        ]
    );
    assert_eq!(
        s.timeouts,
        Timeouts {
            tcp: 900,
            tcp_fin: 120,
            udp: 300
        }
    );
    assert_eq!(s.info.version_string(), "1.2.1");
    // Every service has traffic.
    b.advance(std::time::Duration::from_secs(20));
    let s = block_on(b.snapshot()).unwrap();
    assert!(
        s.services.iter().all(|x| x.stats.conns > 0),
        "{:?}",
        s.services.iter().map(|x| x.stats.conns).collect::<Vec<_>>()
    );
}

fn error(text: &str) -> String {
    match SimBackend::from_scenario(text, 1) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

const GOOD: &str =
    "[[service]]\nservice = \"-t 192.0.2.10:80\"\nreal_servers = [\"-r 10.0.0.2:80 -m\"]\n";

#[test]
fn bad_scenarios_name_the_line_and_the_field() {
    let bad_weight = "[[service]]\nservice = \"-t 192.0.2.10:80\"\nreal_servers = [\n  \"-r 10.0.0.2:80 -m\",\n  \"-r 10.0.0.3:80 -m -w -3\",\n]\n";
    assert_eq!(
        error(bad_weight),
        "line 5, real_servers: weight \"-3\": must be a whole number from 0 to 2147483647"
    );
    let duplicate = format!("{GOOD}\n[[service]]\nservice = \"-t 192.0.2.10:80 -s rr\"\n");
    assert_eq!(
        error(&duplicate),
        "line 6, service: service TCP 192.0.2.10:80 already exists"
    );
    let unknown_sched = "[[service]]\nservice = \"-t 192.0.2.10:80 -s fancy\"\n";
    assert_eq!(
        error(unknown_sched),
        "line 2, service: scheduler `fancy` or persistence engine not found (is the ip_vs_fancy module available?)"
    );
    let negative = format!(
        "{GOOD}[service.traffic]\nconns_per_sec = -1\nbytes_in = 1\nbytes_out = 1\nduration = 1\n"
    );
    assert_eq!(
        error(&negative),
        "line 5, conns_per_sec: must be a number from 0 to 100000"
    );
    let wrong_family = format!(
        "{GOOD}traffic = {{ conns_per_sec = 1, bytes_in = 1, bytes_out = 1, duration = 1, clients = \"2001:db8::/64\" }}\n"
    );
    assert_eq!(
        error(&wrong_family),
        "line 4, clients: are IPv6 but the service is IPv4"
    );
    let fwmark = "[[service]]\nservice = \"-f 3\"\n\n[service.traffic]\nconns_per_sec = 1\nbytes_in = 1\nbytes_out = 1\nduration = 1\n";
    assert!(
        error(fwmark).contains(", targets: service -f 3 needs targets"),
        "{}",
        error(fwmark)
    );
    let syntax = format!("{GOOD}[service.traffic\n");
    assert!(error(&syntax).starts_with("line 4: "), "{}", error(&syntax));
    let unknown_field = format!("{GOOD}colour = \"blue\"\n");
    let e = error(&unknown_field);
    assert!(e.starts_with("line 4: unknown field `colour`"), "{e}");
    let missing = format!("{GOOD}traffic = {{ conns_per_sec = 1, bytes_in = 1, duration = 1 }}\n");
    let e = error(&missing);
    assert!(e.starts_with("line 4: missing field `bytes_out`"), "{e}");
    let command = "[[service]]\nservice = \"-A -t 192.0.2.10:80\"\n";
    assert!(
        error(command).starts_with("line 2, service: "),
        "{}",
        error(command)
    );
    let timeouts = "[timeouts]\ntcp = 2600000\n";
    assert!(
        error(timeouts).starts_with("line 1, timeouts: the kernel refused the timeouts"),
        "{}",
        error(timeouts)
    );
}

#[test]
fn the_scenario_sets_the_cap_and_interfaces() {
    let text = format!(
        "[simulator]\nmax_conns = 10\ninterfaces = [\"bond0\"]\n\n{GOOD}traffic = {{ conns_per_sec = 50, bytes_in = 1, bytes_out = 1, duration = 5 }}\n"
    );
    let b = SimBackend::from_scenario(&text, 1).unwrap();
    b.advance(std::time::Duration::from_secs(5));
    assert_eq!(b.conn_entries(), 10);
    let start = |ifn: &str| {
        let op =
            crate::ipvs::args::parse_args(&["--start-daemon", "master", "--mcast-interface", ifn])
                .unwrap();
        block_on(b.apply(&op))
    };
    assert!(start("eth0").is_err());
    assert_eq!(start("bond0"), Ok(()));
    assert_eq!(
        error("[simulator]\nmax_conns = 0\n"),
        "line 2, max_conns: must be from 1 to 10000000"
    );
}
