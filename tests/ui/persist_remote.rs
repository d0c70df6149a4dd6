//! The persist pane's work on a director elsewhere: the executor asks its agent (the demo's,
//! through `exec:`) for the files and has it write them where it runs, audited there and here.

use ipvs_tui::backend::Backend;
use ipvs_tui::console::change::Policy;
use ipvs_tui::console::{Action, Effect};
use ipvs_tui::operation::audit::{AuditLog, Context, Source};
use ipvs_tui::remote::{DirectorSpec, Remote};
use ipvs_tui::runtime::executor::Executor;
use ipvs_tui::setup::persist::WriteRequest;
use std::rc::Rc;

const EXE: &str = env!("CARGO_BIN_EXE_ipvs-tui");

#[test]
fn the_files_are_made_and_written_by_the_directors_agent() {
    let dir = tempfile::tempdir().unwrap();
    let etc = dir.path().join("etc");
    let agent_log = dir.path().join("agent.log");
    let spec = DirectorSpec::of(
        format!(
            "exec:{EXE} --demo agent --audit-log {}",
            agent_log.display()
        )
        .parse()
        .unwrap(),
    );
    let local = AuditLog::at(dir.path().join("local.log"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tokio::task::LocalSet::new().block_on(&runtime, async {
        let remote = Remote::unopened(&spec);
        let backend: Rc<dyn Backend> = remote.clone();
        let mut executor = Executor::new(backend, Policy::default()).with_remote(remote);
        let Some(Action::PersistPlanned(Ok(files))) =
            executor.run(Effect::PlanPersist(etc.clone())).await
        else {
            panic!("no files planned")
        };
        assert_eq!(files.len(), 3);
        assert!(files[0].0.contents.contains("-A -t 192.0.2.10:80 -s wlc"));
        let request = WriteRequest {
            dir: etc.clone(),
            files,
            audit: Some((local.clone(), Context::current(Source::Console))),
        };
        let reported = executor.start(Effect::WritePersist(request));
        assert!(reported.is_none(), "written off the loop");
        let Some(Action::PersistWritten(written)) = executor.next().await else {
            panic!("no write reported")
        };
        assert_eq!(written.error, None);
        assert_eq!(written.written.len(), 3);
    });
    let rules = std::fs::read_to_string(etc.join("ipvs-tui/rules")).unwrap();
    assert!(rules.contains("-A -t 192.0.2.10:80 -s wlc"), "{rules}");
    let there = std::fs::read_to_string(&agent_log).unwrap();
    assert!(there.contains("\"source\":\"agent\""), "{there}");
    assert!(there.contains("ipvs-tui persist --dir"), "{there}");
    let here = std::fs::read_to_string(local.path()).unwrap();
    assert!(here.contains("ipvs-tui persist --dir"), "{here}");
}
