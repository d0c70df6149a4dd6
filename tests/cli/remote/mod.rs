//! A director over a link (issue 13): `ipvs-tui --demo agent` started through an `exec:`
//! target, read and changed through `remote::connect` as any backend; far sides that are not
//! agents, that die, or that drop a change in flight; the agent fed garbage as a program.

use ipvs_tui::backend::Backend;
use ipvs_tui::ipvs::IpvsOp;
use ipvs_tui::ipvs::model::{DestConfig, Watched};
use ipvs_tui::operation::Operation;
use ipvs_tui::remote::{ConnectError, DirectorSpec, connect};
use std::io::{Read, Write};
use std::process::{Command, Stdio};

mod lost;

const EXE: &str = env!("CARGO_BIN_EXE_ipvs-tui");

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn exec(command: &str) -> DirectorSpec {
    DirectorSpec::of(format!("exec:{command}").parse().unwrap())
}

fn demo_agent(log: &std::path::Path) -> DirectorSpec {
    exec(&format!("{EXE} --demo agent --audit-log {}", log.display()))
}

fn weight(table: &ipvs_tui::ipvs::model::Snapshot, w: u32) -> Operation {
    let s = &table.services[0];
    IpvsOp::EditDest {
        service: s.config.key,
        dest: DestConfig {
            weight: w,
            ..s.dests[0].config
        },
    }
    .into()
}

#[test]
fn a_remote_director_reads_and_changes_like_a_local_one() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    block_on(async {
        let remote = connect(&demo_agent(&log)).await.unwrap();
        assert_eq!(remote.host_name(), ipvs_tui::sys::host_name());
        assert!(!remote.hello().unwrap().read_only);
        let table = remote.snapshot().await.unwrap();
        assert!(!table.services.is_empty());
        // Twice: the second poll comes as a delta on the first.
        let first = remote.poll(Watched::default()).await.unwrap();
        let second = remote.poll(Watched::default()).await.unwrap();
        assert_eq!(first.services.len(), table.services.len());
        assert_eq!(
            second
                .services
                .iter()
                .map(|s| s.config.clone())
                .collect::<Vec<_>>(),
            table
                .services
                .iter()
                .map(|s| s.config.clone())
                .collect::<Vec<_>>()
        );
        // A poll while a change is in flight: both answered.
        let op = weight(&table, 42);
        let (applied, polled) = tokio::join!(remote.apply(&op), remote.poll(Watched::default()));
        assert_eq!(applied, Ok(()));
        polled.unwrap();
        let after = remote.poll(Watched::default()).await.unwrap();
        assert_eq!(after.services[0].dests[0].config.weight, 42);
        let host = remote.host().await.unwrap();
        assert!(!host.links.is_empty());
        let results = remote
            .apply_batch(&[weight(&table, 43), weight(&table, 44)])
            .await;
        assert_eq!(results, vec![Ok(()), Ok(())]);
    });
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    let user = ipvs_tui::operation::audit::current_user();
    assert!(
        text.contains(&format!("\"user\":\"{user} (claimed)\"")),
        "{text}"
    );
    assert!(text.contains("\"source\":\"agent\""), "{text}");
}

#[test]
fn far_sides_that_are_not_agents_say_what_they_are() {
    block_on(async {
        let e = connect(&exec("echo Welcome to lb1")).await.err().unwrap();
        assert!(matches!(e, ConnectError::NotAnAgent { .. }), "{e}");
        assert!(e.to_string().contains("\"Welcome to lb1\""), "{e}");
        assert!(e.to_string().contains("install ipvs-tui"), "{e}");
        let e = connect(&exec("no-such-ipvs-tui-here agent"))
            .await
            .err()
            .unwrap();
        assert!(matches!(e, ConnectError::NotAnAgent { .. }), "{e}");
        assert!(e.to_string().contains("not found"), "{e}");
        let e = connect(&exec(
            r#"echo '{"hello":{"protocol":99,"program":"ipvs-tui 9.0.0"}}'"#,
        ))
        .await
        .err()
        .unwrap();
        assert_eq!(
            e.to_string(),
            format!(
                "exec:echo '{{\"hello\":{{\"protocol\":99,\"program\":\"ipvs-tui 9.0.0\"}}}}': its agent is ipvs-tui 9.0.0, speaking protocol 99; this ipvs-tui {} speaks protocol 1: install the same version on both sides",
                env!("CARGO_PKG_VERSION")
            )
        );
        let e = connect(&exec(
            "echo 'ssh: connect to host lb1 port 22: Connection refused' >&2; exit 255",
        ))
        .await
        .err()
        .unwrap();
        assert!(matches!(e, ConnectError::Ended { .. }), "{e}");
        assert!(e.to_string().contains("Connection refused"), "{e}");
    });
}

/// Dropping the director kills its agent: nothing is left running.
#[test]
fn no_agent_outlives_its_director() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let spec = exec(&format!(
        "echo $$ > {}; exec {EXE} --demo agent --audit-log {}",
        pid_file.display(),
        dir.path().join("audit.log").display()
    ));
    let pid = block_on(async {
        let remote = connect(&spec).await.unwrap();
        remote.snapshot().await.unwrap();
        let pid: i32 = std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        drop(remote);
        pid
    });
    let gone = (0..50).any(|_| {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // Gone, or a zombie waiting for its reaper.
        if stat.is_empty() || stat.contains(") Z ") {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        false
    });
    assert!(gone, "agent {pid} still runs");
}

/// The agent as a program: garbage, a line over the limit, then a request, then a closed pipe.
#[test]
fn the_agent_answers_garbage_and_ends_with_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(EXE)
        .args(["--demo", "agent", "--audit-log"])
        .arg(dir.path().join("audit.log"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        stdin.write_all(b"hello?\n\x00\xff{{{\n").unwrap();
        stdin.write_all(&vec![b'['; 2 << 20]).unwrap();
        stdin
            .write_all(b"\n{\"id\":5,\"req\":{\"apply\":{\"op\":\"launch\"}}}\n")
            .unwrap();
        stdin
            .write_all(b"{\"id\":6,\"req\":\"snapshot\"}\n")
            .unwrap();
        // Dropped: the pipe closes.
    });
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    writer.join().unwrap();
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{status}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6, "{out:.2000}");
    assert_eq!(lines[0]["hello"]["protocol"], 1);
    assert!(
        lines[1]["body"]["error"]["undecodable"].is_object(),
        "{}",
        lines[1]
    );
    assert!(
        lines[2]["body"]["error"]["undecodable"].is_object(),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3]["body"]["error"]["too_long"]["limit"], 1 << 20);
    assert_eq!(lines[4]["id"], 5, "a broken request's id is kept");
    assert!(lines[4]["body"]["error"].is_object());
    assert_eq!(lines[5]["id"], 6);
    let services = lines[5]["body"]["snapshot"]["Ok"]["services"]
        .as_array()
        .unwrap();
    assert!(!services.is_empty(), "the broken flush changed nothing");
    assert!(
        !dir.path().join("audit.log").exists(),
        "no change, no audit line"
    );
}

/// A far side that stops reading: the command line (SIGPIPE at its default, for `| head`) is
/// not killed by writing to it, and says the director is unreachable.
#[test]
fn a_far_side_gone_is_an_error_not_a_signal() {
    let hello = r#"{"hello":{"protocol":1,"program":"fake","host":"lb9","ipvs":null,"read_only":false,"capabilities":[]}}"#;
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(EXE)
        .arg("--audit-log")
        .arg(dir.path().join("audit.log"))
        .arg("--on")
        .arg(format!("exec:echo '{hello}'; exec 0<&-; sleep 0.3"))
        .arg("save")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is unreachable"), "{err}");
}

/// A rules file larger than one request line (12,000 services with a persistence engine and
/// flags, over 2 MB as JSON) goes to the agent in pieces: every change applied, none waited on
/// for ever (the agent skips an over-long line whole, id and all).
#[test]
fn a_batch_larger_than_a_request_line_goes_in_pieces() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    let ops: Vec<Operation> = (0..12_000u32)
        .map(|i| {
            let vip = format!(
                "10.{}.{}.{}:443",
                100 + i / 62_500,
                (i / 250) % 250,
                1 + i % 250
            );
            let words = ["-A", "-t", &vip, "-s", "mh", "-b", "mh-fallback,mh-port"];
            ipvs_tui::ipvs::args::parse_args(&words).unwrap().into()
        })
        .collect();
    let json = serde_json::to_vec(&ops).unwrap().len();
    assert!(
        json > 2 << 20,
        "{json} bytes: not over the agent's line limit"
    );
    block_on(async {
        let remote = connect(&demo_agent(&log)).await.unwrap();
        let before = remote.snapshot().await.unwrap();
        let state = ipvs_tui::operation::State::new(before.clone(), Default::default());
        let applied = tokio::time::timeout(
            std::time::Duration::from_secs(120),
            ipvs_tui::operation::apply_plan(&*remote, state, &ops),
        )
        .await
        .expect("the batch hung: a request the agent could not read");
        assert_eq!(applied, Ok(()));
        let after = remote.snapshot().await.unwrap();
        assert_eq!(after.services.len(), before.services.len() + ops.len());
    });
}
