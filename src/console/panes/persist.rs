//! The persist pane (`P`): the files `ipvs-tui persist` writes (rules, VIPs and sysctls, the boot
//! unit), rendered from a fresh read by the executor, each marked new, unchanged or differing
//! from the disk, the selected one's contents shown; Enter asks, naming every file it overwrites,
//! and a second Enter writes them (see `setup::persist::write`).

use crate::console::action::{Command, Effect};
use crate::console::app::{App, Source};
use crate::console::stack::Page;
use crate::operation::audit::{AuditLog, Context, Source as AuditSource};
use crate::setup::persist::{OnDisk, PersistFile, PlanFilesError};
use crate::setup::persist::{WriteRequest, Written};
use std::path::PathBuf;

/// Where the files go unless `persist_dir` in config.toml says otherwise (as the CLI's --dir).
pub const DEFAULT_DIR: &str = "/etc";

/// One file to write and how it stands against the disk.
pub type Planned = (PersistFile, OnDisk);

/// The pane while open.
#[derive(Debug, Clone)]
pub struct PersistView {
    pub dir: PathBuf,
    /// None while the files are made; the files, or why they could not be.
    pub files: Option<Result<Vec<Planned>, PlanFilesError>>,
    /// The selected file, and the first line of its contents shown.
    pub selected: usize,
    pub scroll: usize,
    /// Enter was pressed once: the confirmation is shown; Enter again writes.
    pub confirming: bool,
    /// The write is on its way.
    pub writing: bool,
    /// What the last write did.
    pub written: Option<Written>,
}

/// Lines a page key scrolls the contents.
const PAGE: usize = 10;

pub fn command(app: &mut App, c: Command) -> Vec<Effect> {
    match c {
        Command::Persist => match app.stack.persist_mut() {
            // Esc backs out of the confirmation first.
            Some(view) if view.confirming => {
                view.confirming = false;
                app.flash("cancelled: nothing was written");
            }
            Some(_) => return app.stack.close_page(),
            // The files are this host's: a director elsewhere keeps its own.
            None if app.director.source == crate::console::app::Source::Remote => {
                app.flash_error(
                    "persist writes this host's /etc: run `ipvs-tui persist` on the director",
                );
            }
            None => {
                let dir = app
                    .director
                    .persist_dir
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(DEFAULT_DIR));
                let mut effects = app.stack.show(Page::Persist(PersistView {
                    dir: dir.clone(),
                    files: None,
                    selected: 0,
                    scroll: 0,
                    confirming: false,
                    writing: false,
                    written: None,
                }));
                effects.push(Effect::PlanPersist(dir));
                return effects;
            }
        },
        Command::PersistWrite => return write(app),
        _ => {}
    }
    vec![]
}

fn write(app: &mut App) -> Vec<Effect> {
    // The demo's table is imaginary: it goes to /etc only if the operator pointed it elsewhere.
    let demo_to_etc =
        app.director.source == Source::Simulated && app.director.persist_dir.is_none();
    let audit = app
        .director
        .audit_path
        .clone()
        .map(|p| (AuditLog::at(p), Context::current(AuditSource::Console)));
    let Some(view) = app.stack.persist_mut() else {
        return vec![];
    };
    let Some(Ok(files)) = &view.files else {
        app.flash_error("the files are not ready: nothing to write yet");
        return vec![];
    };
    if view.writing {
        app.flash_error("the files are being written");
        return vec![];
    }
    if files.iter().all(|(_, d)| *d == OnDisk::Same) {
        app.flash("nothing to write: every file is as on disk");
        return vec![];
    }
    if demo_to_etc {
        app.flash_error(format!("the demo writes nothing to {DEFAULT_DIR}: set persist_dir in config.toml to try it elsewhere"));
        return vec![];
    }
    if !view.confirming {
        view.confirming = true;
        return vec![];
    }
    view.confirming = false;
    view.writing = true;
    vec![Effect::WritePersist(WriteRequest {
        dir: view.dir.clone(),
        files: files.clone(),
        audit,
    })]
}

/// The files came back.
pub fn planned(app: &mut App, files: Result<Vec<Planned>, PlanFilesError>) {
    if let Some(view) = app.stack.persist_mut() {
        let len = files.as_ref().map_or(0, Vec::len);
        view.selected = view.selected.min(len.saturating_sub(1));
        view.files = Some(files);
    }
}

/// The write came back: said in the flash line and the pane, which looks at the disk again.
pub fn written(app: &mut App, written: Written) -> Vec<Effect> {
    let message = written.message();
    if written.error.is_some() || written.audit_problem.is_some() {
        app.flash_error(message);
    } else {
        app.flash(message);
    }
    let Some(view) = app.stack.persist_mut() else {
        return vec![];
    };
    view.writing = false;
    view.written = Some(written);
    vec![Effect::PlanPersist(view.dir.clone())]
}

/// Up/Down choose the file; PageUp/PageDown scroll its contents.
pub fn movement(app: &mut App, c: Command) {
    let Some(view) = app.stack.persist_mut() else {
        return;
    };
    let Some(Ok(files)) = &view.files else { return };
    let lines = files
        .get(view.selected)
        .map_or(0, |(f, _)| f.contents.lines().count());
    match c {
        Command::Up | Command::Down | Command::Top | Command::Bottom => {
            let before = view.selected;
            view.selected = (view.selected as isize)
                .saturating_add(c.rows(1))
                .clamp(0, files.len().saturating_sub(1) as isize)
                as usize;
            if view.selected != before {
                view.scroll = 0;
            }
        }
        Command::PageDown => view.scroll = (view.scroll + PAGE).min(lines.saturating_sub(1)),
        Command::PageUp => view.scroll = view.scroll.saturating_sub(PAGE),
        _ => {}
    }
}
