//! The audit log: every change applied to IPVS or the host, by the console or the command line, appended as
//! one JSON line (time, user, host, command, result, the state it replaced), and read back.

mod before;
mod entry;
mod read;
#[cfg(test)]
mod tests;

pub use before::before_lines;
pub use entry::{AuditResult, Entry, Source};
pub use read::{Tail, read_last};

use crate::ipvs::model::Snapshot;
use crate::ipvs::op::IpvsOp;
use crate::operation::OperationError;
use std::fs::{DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Where the log lives as root: with the system's other logs.
pub const SYSTEM_PATH: &str = "/var/log/ipvs-tui/audit.log";

/// Who made a change and from where: the same for every change of one console or one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub user: String,
    pub host: String,
    pub source: Option<Source>,
    /// The command this change undoes, when it is an undo.
    pub undo_of: Option<String>,
}

impl Context {
    /// This process: the user from SUDO_USER, else USER, else the uid; the host name.
    pub fn current(source: Source) -> Context {
        Context {
            user: current_user(),
            host: crate::sys::host_name(),
            source: Some(source),
            undo_of: None,
        }
    }

    /// The same context for a change that undoes `command`.
    pub fn undoing(&self, command: &str) -> Context {
        Context {
            undo_of: Some(command.to_string()),
            ..self.clone()
        }
    }
}

/// An append-only file of [`Entry`] lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    pub fn at(path: impl Into<PathBuf>) -> AuditLog {
        AuditLog { path: path.into() }
    }

    /// /var/log/ipvs-tui/audit.log as root; otherwise ipvs-tui/audit.log in the XDG state directory
    /// ($XDG_STATE_HOME, else ~/.local/state).
    pub fn default_path(is_root: bool) -> PathBuf {
        if is_root {
            return PathBuf::from(SYSTEM_PATH);
        }
        match dirs::state_dir() {
            Some(dir) => dir.join("ipvs-tui").join("audit.log"),
            // No home directory at all: a per-user file in the temporary directory still records.
            None => std::env::temp_dir()
                .join(format!("ipvs-tui-{}", crate::sys::effective_uid()))
                .join("audit.log"),
        }
    }

    /// The default log for this process's effective user.
    pub fn default_for_this_user() -> AuditLog {
        AuditLog::at(AuditLog::default_path(crate::sys::is_root()))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends the entry for `op`, applied with `result` on the table `before` (read just before
    /// it was applied). Creates the directory (0750) and the file (0640) when missing.
    pub fn record(
        &self,
        op: &IpvsOp,
        result: &Result<(), OperationError>,
        before: &Snapshot,
        context: &Context,
    ) -> io::Result<()> {
        self.append(&Entry::new(
            op,
            result,
            before,
            context,
            jiff::Timestamp::now(),
        ))
    }

    /// Appends the entry for any change, described by its parts (see [`Entry::of_change`]).
    pub fn record_change(
        &self,
        command: String,
        op: serde_json::Value,
        result: Result<(), &dyn std::fmt::Display>,
        before: Vec<String>,
        context: &Context,
    ) -> io::Result<()> {
        self.append(&Entry::of_change(
            command,
            op,
            result,
            before,
            context,
            jiff::Timestamp::now(),
        ))
    }

    /// Appends one entry as one line, in a single write on a file opened with O_APPEND: lines
    /// from processes writing at the same time never interleave.
    pub fn append(&self, entry: &Entry) -> io::Result<()> {
        self.append_all(std::slice::from_ref(entry))
    }

    /// Appends entries as lines, all in one write (see [`AuditLog::append`]): a rules file's
    /// thousands of changes cost one open and one write, not one of each per change.
    pub fn append_all(&self, entries: &[Entry]) -> io::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for entry in entries {
            text.push_str(&serde_json::to_string(entry).map_err(io::Error::other)?);
            text.push('\n');
        }
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            DirBuilder::new().recursive(true).mode(0o750).create(dir)?;
        }
        let mut file = OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o640)
            .open(&self.path)?;
        let written = file.write(text.as_bytes())?;
        if written != text.len() {
            // Only on a full disk or a signal; finish the lines so the next one starts clean.
            file.write_all(&text.as_bytes()[written..])?;
        }
        Ok(())
    }
}

/// Who runs this process: SUDO_USER, else USER, else the uid.
pub fn current_user() -> String {
    pick_user(
        std::env::var("SUDO_USER").ok(),
        std::env::var("USER").ok(),
        crate::sys::real_uid(),
    )
}

/// The person behind sudo first, then the login name, then the bare uid.
fn pick_user(sudo_user: Option<String>, user: Option<String>, uid: u32) -> String {
    let named = |v: Option<String>| v.filter(|v| !v.is_empty());
    named(sudo_user)
        .or_else(|| named(user))
        .unwrap_or_else(|| format!("uid {uid}"))
}
