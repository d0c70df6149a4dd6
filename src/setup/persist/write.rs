//! Writing the files of `persist`, for the console's pane and the command line alike: only what
//! the operator was shown (a file that changed on disk since is refused before anything is
//! written), in order, reporting what was written if a write fails midway, and recorded in the
//! audit log as one `persist` entry. Blocking: the console runs it on a blocking thread.

use super::{OnDisk, PersistFile, UNIT_NAME};
use crate::operation::audit::{AuditLog, Context};
use std::io;
use std::path::{Path, PathBuf};

/// The files to write, as the operator confirmed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteRequest {
    pub dir: PathBuf,
    /// Every file shown, with its state when shown (`Differs`: the operator agreed to overwrite it).
    pub files: Vec<(PersistFile, OnDisk)>,
    /// Where to record it (None: not audited, as in the demo).
    pub audit: Option<(AuditLog, Context)>,
}

/// What the write did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Written {
    pub dir: PathBuf,
    /// The files written, in order.
    pub written: Vec<PathBuf>,
    /// Why it stopped, in words (what was written before is in `written`).
    pub error: Option<String>,
    /// The audit log could not be written: the files stand, the operator must know.
    pub audit_problem: Option<String>,
}

impl Written {
    /// One line for the flash and the pane.
    pub fn message(&self) -> String {
        let names = |paths: &[PathBuf]| {
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = match (&self.error, self.written.is_empty()) {
            (None, true) => "persist: nothing to write: every file is as on disk".to_string(),
            (None, false) => format!(
                "persist: wrote {}; to restore at boot: systemctl enable {}",
                names(&self.written),
                UNIT_NAME
            ),
            (Some(e), true) => format!("persist: {e}; nothing was written"),
            (Some(e), false) => format!(
                "persist: {e}; already written: {} (the others were not)",
                names(&self.written)
            ),
        };
        if let Some(p) = &self.audit_problem {
            text.push_str(&format!("; the audit log could not be written: {p}"));
        }
        text
    }
}

/// Writes the files of `request`.
pub fn write(request: WriteRequest) -> Written {
    let mut out = Written {
        dir: request.dir.clone(),
        written: Vec::new(),
        error: None,
        audit_problem: None,
    };
    let mut to_write = Vec::new();
    let mut before = Vec::new();
    for (file, shown) in &request.files {
        match (file.on_disk(), shown) {
            (OnDisk::Same, _) => {}
            (OnDisk::Differs { summary }, OnDisk::Differs { .. }) => {
                before.push(format!(
                    "{}: other contents ({})",
                    file.path.display(),
                    summary.lines().next().unwrap_or_default()
                ));
                to_write.push(file);
            }
            (OnDisk::Differs { .. }, _) => {
                out.error = Some(format!(
                    "{} changed on disk since it was shown; P shows it again",
                    file.path.display()
                ));
                return out;
            }
            (OnDisk::Missing, _) => {
                before.push(format!("{}: did not exist", file.path.display()));
                to_write.push(file);
            }
        }
    }
    if to_write.is_empty() {
        return out;
    }
    for file in to_write {
        if let Err(e) = file.write() {
            out.error = Some(format!(
                "cannot write {}: {}",
                file.path.display(),
                in_words(&e, &file.path)
            ));
            break;
        }
        out.written.push(file.path.clone());
    }
    if let Some((log, context)) = &request.audit
        && let Err(e) = record(log, context, &out, before)
    {
        out.audit_problem = Some(format!("{}: {e}", log.path().display()));
    }
    out
}

/// One `persist` entry in `log`: what `written` says was written (or why not), and `before`.
pub fn record(
    log: &AuditLog,
    context: &Context,
    written: &Written,
    before: Vec<String>,
) -> io::Result<()> {
    let value =
        serde_json::json!({ "op": "persist", "dir": written.dir, "written": written.written });
    let result = written
        .error
        .as_ref()
        .map_or(Ok(()), |e| Err(e as &dyn std::fmt::Display));
    let command = format!("ipvs-tui persist --dir {}", written.dir.display());
    log.record_change(command, value, result, before, context)
}

/// An I/O error as the operator should read it.
fn in_words(e: &io::Error, path: &Path) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => format!(
            "permission denied (as root, or with persist_dir in config.toml pointing where you may write; {})",
            raw(e)
        ),
        io::ErrorKind::ReadOnlyFilesystem => {
            format!("the file system holding {} is read-only", path.display())
        }
        _ => e.to_string(),
    }
}

fn raw(e: &io::Error) -> String {
    e.raw_os_error()
        .map_or_else(|| e.to_string(), |n| format!("os error {n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_denied_says_what_to_do() {
        let e = io::Error::from_raw_os_error(libc::EACCES);
        let words = in_words(&e, Path::new("/etc/ipvs-tui/rules"));
        assert_eq!(
            words,
            "permission denied (as root, or with persist_dir in config.toml pointing where you may write; os error 13)"
        );
        let e = io::Error::from_raw_os_error(libc::EROFS);
        assert_eq!(
            in_words(&e, Path::new("/etc/ipvs-tui/rules")),
            "the file system holding /etc/ipvs-tui/rules is read-only"
        );
    }

    #[test]
    fn messages_name_what_was_written() {
        let w = |written: &[&str], error: Option<&str>| Written {
            dir: "/etc".into(),
            written: written.iter().map(PathBuf::from).collect(),
            error: error.map(String::from),
            audit_problem: None,
        };
        assert_eq!(
            w(&[], None).message(),
            "persist: nothing to write: every file is as on disk"
        );
        assert_eq!(
            w(&["/etc/a"], Some("cannot write /etc/b: x")).message(),
            "persist: cannot write /etc/b: x; already written: /etc/a (the others were not)"
        );
        assert_eq!(
            w(&[], Some("cannot write /etc/a: x")).message(),
            "persist: cannot write /etc/a: x; nothing was written"
        );
    }
}
