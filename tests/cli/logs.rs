//! `--log-file` and `log_file` in config.toml: debug logs as JSON lines, with the start, the
//! errors and their causes, and the exit; nothing about them on the terminal.

use std::path::Path;
use std::process::{Command, Output};

fn lines(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).expect("the log file was written");
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn event<'a>(lines: &'a [serde_json::Value], message: &str) -> &'a serde_json::Value {
    lines
        .iter()
        .find(|l| l["message"] == message)
        .unwrap_or_else(|| panic!("no {message:?} in {lines:#?}"))
}

/// `ipvs-tui keepalived` where none runs (on a test machine): it fails, and says why in the log.
fn keepalived(args: &[&str], config_home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ipvs-tui"))
        .args(args)
        .arg("keepalived")
        .env("XDG_CONFIG_HOME", config_home)
        .output()
        .unwrap()
}

#[test]
fn log_file_holds_the_start_the_error_and_the_exit_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("debug.log");
    let out = keepalived(&["--log-file", log.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(1), "no keepalived runs here");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("\"level\""), "no log on stderr: {stderr}");
    let lines = lines(&log);
    let start = event(&lines, "start");
    assert_eq!(start["level"], "INFO");
    assert_eq!(start["version"], env!("CARGO_PKG_VERSION"));
    assert!(start["timestamp"].is_string());
    let failed = event(&lines, "keepalived not read");
    assert_eq!(failed["level"], "WARN");
    assert!(
        failed["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{failed}"
    );
    assert_eq!(event(&lines, "exit")["status"], 1);
}

#[test]
fn log_file_in_config_toml_and_the_flag_wins() {
    let dir = tempfile::tempdir().unwrap();
    let (from_config, from_flag) = (dir.path().join("c.log"), dir.path().join("f.log"));
    std::fs::create_dir_all(dir.path().join("ipvs-tui")).unwrap();
    std::fs::write(
        dir.path().join("ipvs-tui/config.toml"),
        format!("log_file = {:?}\n", from_config.to_str().unwrap()),
    )
    .unwrap();
    keepalived(&[], dir.path());
    assert!(!lines(&from_config).is_empty());
    let before = lines(&from_config).len();
    keepalived(&["--log-file", from_flag.to_str().unwrap()], dir.path());
    assert_eq!(lines(&from_config).len(), before, "the flag wins");
    event(&lines(&from_flag), "exit");
}

#[test]
fn without_a_log_file_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = keepalived(&[], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_log_file_that_cannot_be_opened_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("missing/dir/x.log");
    let out = keepalived(&["--log-file", bad.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot open the log file"), "{stderr}");
}
