//! `ipvs-tui conns` as a program, on the connection table captured in the lab
//! (tests/conns_fixture): output, JSON, exit statuses and messages.

use std::process::{Command, Output};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/conns_fixture/ip_vs_conn.txt"
);
const SERVICES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conns_fixture/ip_vs.txt");

fn conns(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ipvs-tui"))
        .arg("conns")
        .arg("--file")
        .arg(FIXTURE)
        .args(args)
        .output()
        .expect("run ipvs-tui")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn listing_is_ipvsadm_lnc() {
    let o = conns(&[]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), include_str!("../conns_fixture/ipvsadm-Lnc.txt"));
}

#[test]
fn group_by_rs_json() {
    let o = conns(&["--group-by", "rs", "--json", "proto:tcp"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (
            doc["lines"].as_u64(),
            doc["matched"].as_u64(),
            doc["malformed"].as_u64()
        ),
        (Some(29), Some(20), Some(0))
    );
    let g = doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "10.10.0.12:81")
        .unwrap();
    assert_eq!(g["total"], 5);
    assert_eq!(g["states"]["ESTABLISHED"], 3);
    assert_eq!(g["states"]["CLOSE_WAIT"], 1);
    assert_eq!(g["states"]["ASSURED"], 1);
}

#[test]
fn top_clients_and_limit() {
    let o = conns(&["--group-by", "client", "--limit", "1"]);
    assert_eq!(
        stdout(&o),
        "Client           Conns\n203.0.113.2         26\n"
    );
}

#[test]
fn sorted_listing_with_filter() {
    let o = conns(&[
        "--sort",
        "expiry",
        "--limit",
        "2",
        "rs:10.10.0.11",
        "state:CLOSE",
        "state:FIN_WAIT",
    ]);
    let lines: Vec<String> = stdout(&o).lines().map(String::from).collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines[2].contains("CLOSE ") && lines[2].contains("00:04"),
        "{lines:?}"
    );
}

#[test]
fn persistence_lookup() {
    let o = conns(&[
        "--services",
        SERVICES,
        "--persistent",
        "client:203.0.113.200",
    ]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains("203.0.113.0") && out.contains("10.10.0.11:53"),
        "{out}"
    );
    let o = conns(&[
        "--services",
        SERVICES,
        "--persistent",
        "client:198.51.100.1",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("no persistence template matches client:198.51.100.1")
    );
}

#[test]
fn bad_input_says_what_is_allowed_and_exits_2() {
    for (args, words) in [
        (
            &["state:SYN"][..],
            "filter \"state:SYN\": unknown state; one of NONE ESTABLISHED",
        ),
        (
            &["--group-by", "port"][..],
            "--group-by \"port\": must be rs, state, client or service",
        ),
        (
            &["--sort", "size"][..],
            "--sort \"size\": must be expiry, client or state",
        ),
        (
            &["--max-rows", "lots"][..],
            "--max-rows \"lots\": must be a whole number",
        ),
    ] {
        let o = conns(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(words), "{args:?}: {err}");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_ipvs-tui"))
        .args(["conns", "--file", "/nonexistent/ip_vs_conn"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read /nonexistent/ip_vs_conn"));
}

/// Malformed lines are skipped and reported on stderr with the first one's number and reason.
#[test]
fn malformed_lines_are_counted() {
    let dir = std::env::temp_dir().join(format!("conns_cli_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("table");
    let mut text = std::fs::read_to_string(FIXTURE).unwrap();
    text.push_str("TCP garbage\n\u{1}\u{2}\n");
    std::fs::write(&path, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_ipvs-tui"))
        .args(["conns", "--group-by", "state", "--json", "--file"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (doc["lines"].as_u64(), doc["malformed"].as_u64()),
        (Some(31), Some(2))
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("skipped 2 of 31 lines") && err.contains("line 31: 2 fields"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
