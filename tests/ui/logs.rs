//! The debug log (`--log-file`) of the console's work, on the simulator: the poller's polls and
//! the executor's changes (each step with the object before and after, a failure with its error
//! and the rollback), as the JSON lines the file gets.

use crate::rig::*;
use ipvs_tui::console::change::{Change, Origin};
use ipvs_tui::ipvs::args::parse_args;
use ipvs_tui::runtime::poller::Poller;
use std::io;
use std::sync::Mutex;
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl io::Write for Shared {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Shared {
    type Writer = Shared;
    fn make_writer(&'a self) -> Shared {
        self.clone()
    }
}

fn change(id: u64, lines: &[&str]) -> Effect {
    let ops = lines
        .iter()
        .map(|l| {
            parse_args(&l.split_whitespace().collect::<Vec<_>>())
                .unwrap()
                .into()
        })
        .collect();
    Effect::Apply(Change {
        id,
        origin: Origin::Key,
        ops,
        expect: None,
        undo_of: None,
    })
}

/// One poll and two changes (one fails at its second step) with the log file's subscriber on.
fn logged() -> Vec<serde_json::Value> {
    let buf = Shared::default();
    let _on = tracing::subscriber::set_default(ipvs_tui::logging::subscriber(buf.clone()));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    tokio::task::LocalSet::new().block_on(&rt, async {
        let sim = SimBackend::demo(3);
        let director: Rc<dyn Backend> = Rc::new(Sim::new(sim, MemoryHost::default()));
        let poller = Poller::spawn(director.clone(), Duration::from_secs(60));
        poller.results.next().await;
        let policy = Policy {
            read_only: false,
            audit: None,
        };
        let mut executor = Executor::new(director, policy);
        let ok = "-e -t 192.0.2.10:80 -r 10.0.0.11:80 -m -w 5";
        executor.run(change(1, &[ok])).await;
        let twice = "-A -t 192.0.2.1:80";
        executor.run(change(2, &[twice, twice])).await;
    });
    let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn find<'a>(
    lines: &'a [serde_json::Value],
    what: &str,
    field: &str,
    value: &str,
) -> &'a serde_json::Value {
    lines
        .iter()
        .find(|l| l["message"] == what && l[field] == value)
        .unwrap_or_else(|| panic!("no {what} with {field}={value} in {lines:#?}"))
}

#[test]
fn polls_and_changes_are_logged_with_before_after_and_errors() {
    let lines = logged();
    let poll = lines
        .iter()
        .find(|l| l["message"] == "poll")
        .expect("a poll");
    assert_eq!(poll["level"], "DEBUG");
    assert_eq!(poll["services"], 6, "{poll}");
    assert!(poll["took_us"].is_u64() && poll["dests"].as_u64() > Some(0));

    let edit = find(
        &lines,
        "change",
        "command",
        "ipvsadm -e -t 192.0.2.10:80 -r 10.0.0.11:80 -m -w 5",
    );
    assert_eq!(edit["result"], "ok");
    let (before, after) = (
        edit["before"].as_str().unwrap(),
        edit["after"].as_str().unwrap(),
    );
    assert_ne!(before, after, "{edit}");
    assert!(after.contains('5'), "{edit}");

    let failed = find(&lines, "change", "result", "failed");
    assert_eq!(failed["level"], "WARN");
    assert_eq!(failed["step"], 1);
    assert!(
        failed["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{failed}"
    );
    find(&lines, "rollback", "command", "ipvsadm -D -t 192.0.2.1:80");
    let summary = lines
        .iter()
        .find(|l| l["message"] == "change failed, rolled back")
        .expect("the change's outcome");
    assert_eq!(summary["id"], 2);
    assert_eq!(summary["failed_step"], 1);
}
