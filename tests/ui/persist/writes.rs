//! The persist pane writes what the CLI writes, asks before overwriting, says what failed, and
//! offers nothing read-only.

use super::*;

#[test]
fn p_lists_three_new_files_and_enter_then_enter_writes_what_the_cli_writes() {
    let (mut rig, _dir) = rig();
    rig.key('P');
    assert_eq!(rig.app.layers(), [Layer::Persist]);
    assert_eq!(
        listed(&rig),
        [
            "new ipvs-tui/rules",
            "new ipvs-tui/host.toml",
            "new systemd/system/ipvs-tui-restore.service"
        ]
    );
    let want = expected(&rig);
    rig.press(KeyCode::Enter);
    assert!(confirming(&rig), "the first Enter asks");
    assert!(
        want.iter().all(|f| !f.path.exists()),
        "nothing written before the confirmation"
    );
    rig.press(KeyCode::Enter);
    for f in &want {
        assert_eq!(
            std::fs::read_to_string(&f.path).unwrap(),
            f.contents,
            "{}",
            f.path.display()
        );
    }
    assert!(
        rig.flash()
            .starts_with(&format!("persist: wrote {}, ", want[0].path.display())),
        "{}",
        rig.flash()
    );
    assert!(
        rig.flash()
            .ends_with("systemctl enable ipvs-tui-restore.service"),
        "{}",
        rig.flash()
    );
    assert!(
        rig.app
            .stack
            .persist()
            .unwrap()
            .written
            .as_ref()
            .is_some_and(|w| w.written.len() == 3 && w.error.is_none())
    );
    assert_eq!(
        listed(&rig)[0],
        "unchanged ipvs-tui/rules",
        "the pane looked at the disk again"
    );
    let dir = rig.app.director.persist_dir.clone().unwrap();
    assert_eq!(
        rig.audit(),
        [format!("ok ipvs-tui persist --dir {}", dir.display())]
    );
    let entry = &read_last(rig.log.path(), 1).unwrap().entries[0];
    let written: Vec<PathBuf> = serde_json::from_value(entry.op["written"].clone()).unwrap();
    assert_eq!(
        written,
        want.iter().map(|f| f.path.clone()).collect::<Vec<_>>(),
        "the entry names the files"
    );

    // A second P: all unchanged, and Enter has nothing to write.
    rig.press(KeyCode::Esc);
    assert!(rig.app.stack.persist().is_none());
    rig.key('P');
    assert!(
        listed(&rig).iter().all(|l| l.starts_with("unchanged")),
        "{:?}",
        listed(&rig)
    );
    rig.press(KeyCode::Enter);
    assert!(!confirming(&rig));
    assert_eq!(rig.flash(), "nothing to write: every file is as on disk");
}

#[test]
fn a_file_changed_on_disk_is_overwritten_only_after_the_confirmation_names_it() {
    let (mut rig, _dir) = rig();
    rig.key('P');
    rig.press(KeyCode::Enter);
    rig.press(KeyCode::Enter);
    let host_toml = persist::host_path(rig.app.director.persist_dir.as_deref().unwrap());
    std::fs::write(&host_toml, "# mine\n").unwrap();
    rig.press(KeyCode::Esc);
    rig.key('P');
    assert_eq!(
        listed(&rig)[1],
        format!(
            "differs +{} -1 lines ipvs-tui/host.toml",
            expected(&rig)[1].contents.lines().count()
        )
    );
    rig.key('j');
    let mut app_screen = screen(&mut rig.app, 160, 48);
    assert!(
        app_screen.contains("differs from the file on disk"),
        "{app_screen}"
    );
    rig.press(KeyCode::Enter);
    app_screen = screen(&mut rig.app, 160, 48);
    assert!(
        app_screen.contains(&format!(
            "OVERWRITE  {} (it has other contents: ",
            host_toml.display()
        )),
        "{app_screen}"
    );
    assert!(app_screen.contains("overwriting 1?"), "{app_screen}");
    rig.press(KeyCode::Esc);
    assert!(
        !confirming(&rig) && rig.app.stack.persist().is_some(),
        "Esc cancels the confirmation, the pane stays"
    );
    assert_eq!(std::fs::read_to_string(&host_toml).unwrap(), "# mine\n");
    rig.press(KeyCode::Enter);
    rig.press(KeyCode::Enter);
    assert_eq!(
        std::fs::read_to_string(&host_toml).unwrap(),
        expected(&rig)[1].contents
    );
    assert_eq!(
        rig.app
            .stack
            .persist()
            .unwrap()
            .written
            .as_ref()
            .unwrap()
            .written,
        std::slice::from_ref(&host_toml),
        "only the differing file was written"
    );

    // Changed on disk after it was shown as unchanged: refused, nothing written.
    let rules = persist::rules_path(rig.app.director.persist_dir.as_deref().unwrap());
    std::fs::remove_file(&rules).unwrap();
    rig.press(KeyCode::Esc);
    rig.key('P');
    assert_eq!(listed(&rig)[1], "unchanged ipvs-tui/host.toml");
    std::fs::write(&host_toml, "# sneaked in\n").unwrap();
    rig.press(KeyCode::Enter);
    rig.press(KeyCode::Enter);
    assert!(
        rig.flash().contains("changed on disk since it was shown"),
        "{}",
        rig.flash()
    );
    assert!(
        rig.flash().ends_with("nothing was written"),
        "{}",
        rig.flash()
    );
    assert!(!rules.exists(), "nothing written");
    assert_eq!(
        std::fs::read_to_string(&host_toml).unwrap(),
        "# sneaked in\n"
    );
}

#[test]
fn an_unwritable_directory_is_said_in_words_and_a_failure_midway_says_what_was_written() {
    let (mut rig, dir) = rig();
    // A file where a directory must go: nothing can be written.
    std::fs::write(dir.path().join("etc"), "").unwrap();
    rig.key('P');
    assert_eq!(listed(&rig).len(), 3);
    rig.press(KeyCode::Enter);
    rig.press(KeyCode::Enter);
    let flash = rig.flash();
    assert!(
        flash.starts_with(&format!(
            "persist: cannot write {}: ",
            persist::rules_path(&dir.path().join("etc")).display()
        )),
        "{flash}"
    );
    assert!(flash.ends_with("; nothing was written"), "{flash}");
    assert!(rig.app.flash.as_ref().unwrap().error);
    assert_eq!(rig.audit().len(), 1);
    assert!(
        rig.audit()[0].starts_with("failed ipvs-tui persist"),
        "{:?}",
        rig.audit()
    );

    // The unit's directory cannot be made: the first two are written, and the message says so.
    let (mut rig, dir) = rig_at("etc2");
    std::fs::create_dir_all(dir.path().join("etc2")).unwrap();
    std::fs::write(dir.path().join("etc2/systemd"), "").unwrap();
    rig.key('P');
    rig.press(KeyCode::Enter);
    rig.press(KeyCode::Enter);
    let etc = dir.path().join("etc2");
    let flash = rig.flash();
    let already = format!(
        "already written: {}, {} (the others were not)",
        persist::rules_path(&etc).display(),
        persist::host_path(&etc).display()
    );
    assert!(
        flash.starts_with(&format!(
            "persist: cannot write {}: ",
            persist::unit_path(&etc).display()
        )),
        "{flash}"
    );
    assert!(flash.ends_with(&already), "{flash}");
    let shown = screen(&mut rig.app, 160, 48);
    assert!(
        shown.contains("already written:") && shown.contains("(the others were not)"),
        "the pane says it too: {shown}"
    );
}

fn rig_at(sub: &str) -> (Rig, tempfile::TempDir) {
    let (mut rig, dir) = rig();
    rig.app.director.persist_dir = Some(dir.path().join(sub));
    (rig, dir)
}

#[test]
fn read_only_offers_no_p_and_the_demo_writes_nothing_to_etc() {
    let (mut rw, _dir) = rig();
    let bar = |app: &mut App| screen(app, 160, 48).lines().last().unwrap().to_string();
    assert!(
        bar(&mut rw.app).contains("  P persist"),
        "{}",
        bar(&mut rw.app)
    );
    let (mut ro, _dir) = rig();
    ro.app.set_read_only();
    assert!(
        !bar(&mut ro.app).contains("persist"),
        "{}",
        bar(&mut ro.app)
    );
    assert!(
        ro.app
            .keymap
            .bindings(Layer::Global)
            .iter()
            .all(|b| b.command != Command::Persist)
    );
    ro.key('P');
    ro.press(KeyCode::Enter);
    assert!(ro.app.stack.persist().is_none());
    assert!(!ro.app.director.persist_dir.as_ref().unwrap().exists());

    // The demo without persist_dir shows the files for /etc but does not write them.
    let mut demo = Rig::new();
    demo.key('P');
    assert_eq!(demo.app.stack.persist().unwrap().dir, Path::new("/etc"));
    demo.press(KeyCode::Enter);
    assert!(!confirming(&demo));
    let flash = demo.flash();
    assert!(
        flash == "nothing to write: every file is as on disk"
            || flash.starts_with("the demo writes nothing to /etc"),
        "{flash}"
    );
}

#[test]
fn the_executor_makes_the_files_from_its_table_and_host() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tokio::task::LocalSet::new().block_on(&runtime, async {
        let sim = SimBackend::demo(3);
        let table = sim.snapshot().await.unwrap();
        let state = host::demo::state(&table);
        let director = Rc::new(Sim::new(sim, MemoryHost::new(state.clone())));
        let mut executor = Executor::new(director, Policy::default());
        executor.start(Effect::PlanPersist(dir.path().to_path_buf()));
        let Some(Action::PersistPlanned(files)) = executor.next().await else {
            panic!("not the persist files")
        };
        let files = files.unwrap();
        let want = persist::render(
            dir.path(),
            &std::env::current_exe().unwrap(),
            &table,
            &state,
        );
        assert_eq!(
            files
                .into_iter()
                .map(|(f, d)| (f, d == OnDisk::Missing))
                .collect::<Vec<_>>(),
            want.into_iter().map(|f| (f, true)).collect::<Vec<_>>()
        );
    });
}
