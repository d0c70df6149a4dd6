//! `ipvs-tui compare A B`: a simulated director against the demo served by an agent (the same
//! rules: exit 0), as text and JSON; bad targets and a director that cannot be reached (exit 2).

use std::process::Command;

const EXE: &str = env!("CARGO_BIN_EXE_ipvs-tui");

fn compare(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(EXE)
        .arg("compare")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_simulator_and_the_demo_through_an_agent_hold_the_same_rules() {
    let agent = format!("exec:{EXE} --demo agent --audit-log /dev/null");
    let (code, out, err) = compare(&["sim:lb1", &agent]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, format!("sim:lb1 and {agent} hold the same rules\n"));
    let (code, out, err) = compare(&["sim:lb1", "sim:lb2:backup", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["equal"], true);
    assert_eq!(v["only_a"], serde_json::json!([]));
    assert_eq!(v["differ"], serde_json::json!([]));
}

#[test]
fn bad_targets_and_unreachable_directors_exit_2_saying_why() {
    let (code, out, err) = compare(&["lb1", "sim:lb2"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(
        err.contains("target \"lb1\": unknown kind of target"),
        "{err}"
    );
    assert!(err.contains("sim:NAME[:backup]"), "{err}");
    let (code, out, err) = compare(&["sim:lb1", "exec:exit 3"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.starts_with("ipvs-tui: exec:exit 3: "), "{err}");
}
