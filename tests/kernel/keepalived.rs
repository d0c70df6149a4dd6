//! Lab tests of issue 12: real keepalived in the user-mode Linux guest (tests/lab/keepalived_lib.sh).
use crate::lab;

use ipvs_tui::owners::keepalived::{check, json, notify, vrrp};
use std::path::Path;

/// The files a guest script printed with `ka_print`: (instance/file, contents).
fn printed_files(output: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut rest = output;
    while let Some(start) = rest.find("@@KA_FILE ") {
        let after = &rest[start + "@@KA_FILE ".len()..];
        let (name, body) = after.split_once("@@\n").expect("a KA_FILE marker line");
        let (contents, tail) = body.split_once("@@KA_END@@").expect("an end marker");
        files.push((name.to_string(), contents.to_string()));
        rest = tail;
    }
    files
}

/// Real keepalived 2.2.x on the NAT lab's director and a VRRP pair: the dump files it writes on
/// SIGUSR1 (and its JSON signal) and the lines of its notify FIFOs are read by our parsers, and
/// match the fixtures' shape.
/// `KA_WRITE_FIXTURES=1` stores them as tests/fixtures/keepalived/<version>/.
#[test]
fn keepalived_dump_files_from_the_lab() {
    let output = lab::check("keepalived_capture.sh", "keepalived-capture OK");
    let version = output
        .lines()
        .find_map(|l| l.strip_prefix("Keepalived v"))
        .and_then(|l| l.split_whitespace().next())
        .expect("the guest prints keepalived's version");
    let files = printed_files(&output);
    assert_eq!(files.len(), 9, "{files:?}");
    for (name, contents) in &files {
        if name.ends_with(".fifo.lines") {
            let events: Result<Vec<_>, _> = contents.lines().map(notify::parse).collect();
            let events = events.unwrap_or_else(|e| panic!("{name}: {e}"));
            let ups = |want: bool| {
                events
                    .iter()
                    .filter(|e| matches!(e, notify::Event::RealServer { up, addr, .. } if *up == want && addr.to_string() == "10.10.0.11"))
                    .count()
            };
            if name.contains("lvs") {
                // rs1 is in the three virtual servers: down in each, then up in each.
                assert_eq!((ups(false), ups(true)), (3, 3), "{name}: {events:?}");
            } else {
                let master = events.iter().any(|e| {
                    matches!(e, notify::Event::Instance { state, .. } if *state == ipvs_tui::owners::keepalived::VrrpState::Master)
                });
                assert!(master, "{name}: {events:?}");
            }
            continue;
        }
        let parsed = if name.ends_with(".json") {
            json::parse(contents).map(|v| v.instances.len())
        } else if name.contains("_check") {
            check::parse(contents).map(|c| c.virtual_servers.len())
        } else {
            vrrp::parse(contents).map(|v| v.instances.len())
        };
        let n = parsed.unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = if name.contains("_check") { 3 } else { 1 };
        assert_eq!(n, want, "{name}");
    }
    if std::env::var_os("KA_WRITE_FIXTURES").is_some() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/keepalived")
            .join(version);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, contents) in &files {
            std::fs::write(dir.join(name.replace('/', "-")), contents).unwrap();
        }
    }
}

/// `keepalived --json` health equals keepalived_check.data; a stopped real server is dead
/// within the checker's delay and alive after its restart; `list --json` owners (keepalived,
/// kube-proxy on kube-ipvs0); the VRRP pair's roles and failover; `--netns`; no keepalived.
#[test]
fn keepalived_health_vrrp_owners_and_netns() {
    lab::check("keepalived.sh", "keepalived OK");
}

/// The console in tmux beside real keepalived: owner column, VRRP role, a dead real server on
/// the keepalived page, and the guard before a weight change, the drift and the audit after it.
#[test]
fn keepalived_console() {
    lab::check("keepalived_console.sh", "keepalived-console OK");
}

/// A VRRP pair with a console on each side (`--netns`): MASTER and BACKUP in the headers; the
/// master's keepalived stops, the backup's console flashes the change and shows MASTER.
#[test]
fn keepalived_console_failover() {
    lab::check("keepalived_failover.sh", "keepalived-failover OK");
}

/// keepalived with lvs_notify_fifo and vrrp_notify_fifo: the console follows them (dumps every
/// 60 s); a stopped real server shows DEAD with no dump asked; a restart closes the FIFOs and
/// they are followed again; a VRRP failover is flashed from the FIFO.
#[test]
fn keepalived_console_follows_the_notify_fifos() {
    lab::check("keepalived_fifo.sh", "keepalived-fifo OK");
}
