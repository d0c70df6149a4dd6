//! The persist pane (`P`) from the keyboard, end to end without a terminal (see rig.rs): the
//! files it lists, what Enter writes and when it overwrites, failures in words, read-only mode,
//! and its screens.

use crate::rig::*;
use ipvs_tui::setup::persist::{self, OnDisk, PersistFile};
use std::path::{Path, PathBuf};

/// The demo director with the pane writing into a fresh directory.
fn rig() -> (Rig, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut rig = Rig::new();
    rig.app.director.persist_dir = Some(dir.path().join("etc"));
    rig.app.director.audit_path = Some(rig.log.path().to_path_buf());
    (rig, dir)
}

/// What `ipvs-tui persist --dir` writes for the rig's table and host.
fn expected(rig: &Rig) -> Vec<PersistFile> {
    persist::render(
        rig.app.director.persist_dir.as_deref().unwrap(),
        &std::env::current_exe().unwrap(),
        &rig.table(),
        &rig.state(),
    )
}

/// The files as listed: "state path".
fn listed(rig: &Rig) -> Vec<String> {
    let view = rig.app.stack.persist().expect("the pane is open");
    let files = view
        .files
        .as_ref()
        .expect("the files are made")
        .as_ref()
        .expect("the files could be made");
    files
        .iter()
        .map(|(f, d)| {
            let state = match d {
                OnDisk::Missing => "new".to_string(),
                OnDisk::Same => "unchanged".to_string(),
                OnDisk::Differs { summary } => {
                    format!("differs {}", summary.lines().next().unwrap())
                }
            };
            format!(
                "{state} {}",
                f.path
                    .strip_prefix(rig.app.director.persist_dir.as_deref().unwrap())
                    .unwrap()
                    .display()
            )
        })
        .collect()
}

fn confirming(rig: &Rig) -> bool {
    rig.app.stack.persist().is_some_and(|v| v.confirming)
}

// ---------------------------------------------------------------- screens

/// The pane on the demo director's files for /etc, with the states given.
fn screen_with(states: [OnDisk; 3], keys_after: &str, width: u16, height: u16) -> String {
    let mut app = screen_app(|_| {});
    app.director.persist_dir = Some(PathBuf::from("/etc"));
    keys(&mut app, "P");
    let files = persist::render(
        Path::new("/etc"),
        Path::new("/usr/sbin/ipvs-tui"),
        app.director.snapshot.as_ref().unwrap(),
        app.director.host_state.as_ref().unwrap(),
    );
    update(
        &mut app,
        Action::PersistPlanned(Ok(files.into_iter().zip(states).collect())),
    );
    keys(&mut app, keys_after);
    screen(&mut app, width, height)
}

#[test]
fn persist_80x24() {
    insta::assert_snapshot!(screen_with(
        [OnDisk::Missing, OnDisk::Missing, OnDisk::Missing],
        "",
        80,
        24
    ));
}

#[test]
fn persist_160x48() {
    let old = "# Written by `ipvs-tui persist`.\n[sysctl]\n\"net.ipv4.ip_forward\" = \"0\"\n";
    let summary = persist::diff_summary(
        old,
        "# Written by `ipvs-tui persist`.\n[sysctl]\n\"net.ipv4.ip_forward\" = \"1\"\n",
    );
    insta::assert_snapshot!(screen_with(
        [OnDisk::Missing, OnDisk::Differs { summary }, OnDisk::Same],
        "j\n",
        160,
        48
    ));
}

/// A table that cannot be read: no rules file is made (an empty one would wipe the saved table).
#[test]
fn an_unreadable_table_makes_no_files() {
    use ipvs_tui::backend::Reply;
    use ipvs_tui::operation::{Operation, OperationError};
    struct Gone;
    impl Backend for Gone {
        fn snapshot(&self) -> Reply<'_, ipvs_tui::ipvs::Result<Snapshot>> {
            Box::pin(async {
                Err(ipvs_tui::ipvs::Error::Unavailable(
                    "the ip_vs module is not loaded".into(),
                ))
            })
        }
        fn host(&self) -> Reply<'_, Result<HostState, ipvs_tui::host::HostError>> {
            Box::pin(async { Ok(HostState::default()) })
        }
        fn apply<'a>(&'a self, _: &'a Operation) -> Reply<'a, Result<(), OperationError>> {
            unreachable!("persist applies nothing")
        }
    }
    let e = futures::executor::block_on(ipvs_tui::setup::persist::plan(&Gone, Path::new("/etc")))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("cannot read the IPVS table, so the rules file cannot be made: "),
        "{e}"
    );
}

mod writes;
