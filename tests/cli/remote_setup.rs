//! `setup`, `doctor` and `persist` with `--on`: the plan is checked against the director's host
//! and table (the demo's agent through `exec:`), applied there all or nothing and audited by the
//! agent; the doctor that follows skips the real-server probes and says so; persist writes the
//! files the agent renders, where the agent runs, audited there, and a read-only agent refuses.

use ipvs_tui::setup::gather::SKIPPED_ELSEWHERE;
use std::path::Path;
use std::process::{Command, Output};

const EXE: &str = env!("CARGO_BIN_EXE_ipvs-tui");

const PLAN: &str = r#"
role = "nat-director"
vip = "198.51.100.77"
interface = "eth0"

[[service]]
port = 8080
scheduler = "rr"

[[service.real_server]]
address = "10.0.0.21"
weight = 2
"#;

/// `ipvs-tui --on exec:AGENT ARGS...` with the agent auditing into `dir/agent.log`.
fn on_demo_agent(dir: &Path, args: &[&str]) -> Output {
    on_agent(dir, "", args)
}

/// As [`on_demo_agent`], the agent started with `options` (`--read-only`).
fn on_agent(dir: &Path, options: &str, args: &[&str]) -> Output {
    let agent = format!(
        "exec:{EXE} --demo agent {options} --audit-log {}",
        dir.join("agent.log").display()
    );
    Command::new(EXE)
        .env("USER", "alice")
        .arg("--audit-log")
        .arg(dir.join("local.log"))
        .arg("--on")
        .arg(agent)
        .args(args)
        .output()
        .unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn setup_on_a_director_elsewhere_is_applied_and_audited_there() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, PLAN).unwrap();
    let plan = plan.to_str().unwrap();

    // A dry run shows the director's missing pieces and changes nothing there.
    let out = on_demo_agent(dir.path(), &["setup", "--plan", plan, "--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" (via exec:"), "{stdout}");
    assert!(
        stdout.contains("ip addr add 198.51.100.77/32 dev eth0"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ipvsadm -A -t 198.51.100.77:8080 -s rr"),
        "{stdout}"
    );
    assert!(!read(&dir.path().join("agent.log")).contains("198.51.100.77"));

    let out = on_demo_agent(dir.path(), &["setup", "--plan", plan]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("does not support --on"), "{stderr}");
    assert!(stdout.contains("setup: applied"), "{stdout}{stderr}");
    // The doctor looked at the director, without probing its real servers from here.
    assert!(
        stdout.contains(&format!("doctor: {SKIPPED_ELSEWHERE}")),
        "{stdout}"
    );
    assert!(!stdout.contains("doctor: checking this host"), "{stdout}");
    // Applied and audited on the director, by its agent, with the claimed user.
    let there = read(&dir.path().join("agent.log"));
    for line in [
        "ip addr add 198.51.100.77/32 dev eth0",
        "ipvsadm -A -t 198.51.100.77:8080 -s rr",
        "ipvsadm -a -t 198.51.100.77:8080 -r 10.0.0.21:8080 -m -w 2",
    ] {
        assert!(
            there.contains(line),
            "{line} not in the agent's log:\n{there}"
        );
    }
    assert!(there.contains("\"user\":\"alice (claimed)\""), "{there}");
    assert!(read(&dir.path().join("local.log")).contains(" (via exec:"));
}

#[test]
fn doctor_on_a_director_elsewhere_says_what_it_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let out = on_demo_agent(dir.path(), &["doctor", "--json"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(report["skipped"], SKIPPED_ELSEWHERE, "{stdout}");
}

#[test]
fn persist_on_a_director_elsewhere_writes_what_its_agent_renders_there() {
    let dir = tempfile::tempdir().unwrap();
    let etc = dir.path().join("etc");
    let etc_arg = etc.to_str().unwrap();
    let out = on_demo_agent(dir.path(), &["persist", "--dir", etc_arg, "--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" (via exec:"), "{stdout}");
    assert!(
        stdout.contains("-A -t 192.0.2.10:80 -s wlc"),
        "the demo's rules: {stdout}"
    );
    assert!(!etc.exists(), "a dry run wrote");

    let out = on_demo_agent(dir.path(), &["persist", "--dir", etc_arg]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rules = read(&etc.join("ipvs-tui/rules"));
    assert!(rules.contains("-A -t 192.0.2.10:80 -s wlc"), "{rules}");
    // The unit runs the director's ipvs-tui (the agent's), and the host file its VIPs.
    assert!(read(&etc.join("systemd/system/ipvs-tui-restore.service")).contains(EXE));
    assert!(read(&etc.join("ipvs-tui/host.toml")).contains("192.0.2.10"));
    let there = read(&dir.path().join("agent.log"));
    assert!(
        there.contains("\"command\":\"ipvs-tui persist --dir "),
        "{there}"
    );
    assert!(there.contains("\"source\":\"agent\""), "{there}");
    assert!(read(&dir.path().join("local.log")).contains(" (via exec:"));

    // Written again: every file as on disk. Changed on disk: refused without --force.
    std::fs::write(etc.join("ipvs-tui/rules"), "-A -t 192.0.2.99:80 -s rr\n").unwrap();
    let out = on_demo_agent(dir.path(), &["persist", "--dir", etc_arg]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("NOT overwritten (add --force)"));
    assert!(read(&etc.join("ipvs-tui/rules")).contains("192.0.2.99"));
}

#[test]
fn a_read_only_agent_refuses_persist_and_audits_the_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let etc = dir.path().join("etc");
    let out = on_agent(
        dir.path(),
        "--read-only",
        &["persist", "--dir", etc.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert!(!etc.exists(), "written by a read-only agent");
    let there = read(&dir.path().join("agent.log"));
    assert!(there.contains("\"result\":\"failed\""), "{there}");
}

/// An agent of before persist over the wire (its hello lists no persist requests): one sentence,
/// nothing sent.
#[test]
fn an_older_agent_is_told_apart_before_persist() {
    let hello = r#"{"hello":{"protocol":1,"program":"ipvs-tui 0.0.9","host":"old","ipvs":null,"read_only":false,"capabilities":["snapshot","poll","host","apply","apply_batch","conns","keepalived"]}}"#;
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(EXE)
        .arg("--audit-log")
        .arg(dir.path().join("local.log"))
        .arg("--on")
        .arg(format!("exec:echo '{hello}'; cat > /dev/null"))
        .args(["persist", "--dir"])
        .arg(dir.path().join("etc"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("(ipvs-tui 0.0.9) cannot persist; install ipvs-tui"),
        "{stderr}"
    );
}
