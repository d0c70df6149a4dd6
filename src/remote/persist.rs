//! `persist` on a director elsewhere: the agent renders the files from its own table, host and
//! ipvs-tui (`persist_plan`), and writes what the operator was shown (`persist_write`), audited
//! there. It writes only the files `persist` writes under the directory asked for, and a
//! read-only agent refuses (and audits the refusal). An agent without these requests (listed in
//! its hello's capabilities) is told apart before anything is sent.

use super::agent::READ_ONLY;
use super::director::Remote;
use super::protocol::{Body, Request};
use crate::operation::audit::{AuditLog, Context};
use crate::setup::persist::{self, OnDisk, PersistFile, WriteRequest, Written};
use std::path::{Path, PathBuf};

/// The agent's side of `persist_write`.
pub async fn write(
    dir: PathBuf,
    files: Vec<(PersistFile, OnDisk)>,
    log: &AuditLog,
    context: Context,
    read_only: bool,
) -> Written {
    let refused = |error: String| Written {
        dir: dir.clone(),
        written: Vec::new(),
        error: Some(error),
        audit_problem: None,
    };
    let allowed = [
        persist::rules_path(&dir),
        persist::host_path(&dir),
        persist::unit_path(&dir),
    ];
    if let Some((f, _)) = files.iter().find(|(f, _)| !allowed.contains(&f.path)) {
        return refused(format!(
            "{} is not a file persist writes under {}",
            f.path.display(),
            dir.display()
        ));
    }
    if read_only {
        let mut out = refused(READ_ONLY.to_string());
        let value = serde_json::json!({ "op": "persist", "dir": dir, "written": [] });
        let command = format!("ipvs-tui persist --dir {}", dir.display());
        let result = Err(&READ_ONLY as &dyn std::fmt::Display);
        if let Err(e) = log.record_change(command, value, result, Vec::new(), &context) {
            out.audit_problem = Some(format!("{}: {e}", log.path().display()));
        }
        return out;
    }
    let request = WriteRequest {
        dir,
        files,
        audit: Some((log.clone(), context)),
    };
    tokio::task::spawn_blocking(move || persist::write(request))
        .await
        .unwrap_or_else(|e| Written {
            dir: PathBuf::new(),
            written: Vec::new(),
            error: Some(format!("the writer stopped: {e}")),
            audit_problem: None,
        })
}

impl Remote {
    /// Whether the agent answers `persist_plan` and `persist_write` (its link opened to ask);
    /// if not, why, in words.
    async fn persists(&self) -> Result<(), String> {
        let hello = self.link_hello().await?;
        if ["persist_plan", "persist_write"]
            .iter()
            .all(|c| hello.capabilities.iter().any(|have| have == c))
        {
            return Ok(());
        }
        Err(format!(
            "{}: its agent ({}) cannot persist; install ipvs-tui {} there, or run persist on it",
            self.name(),
            hello.program,
            env!("CARGO_PKG_VERSION")
        ))
    }

    /// The files `persist` would write under `dir` on the director, each against its disk there.
    pub async fn persist_plan(&self, dir: &Path) -> Result<Vec<(PersistFile, OnDisk)>, String> {
        self.persists().await?;
        let req = Request::PersistPlan {
            dir: dir.to_path_buf(),
        };
        match self.request(req).await? {
            Body::PersistPlan(r) => r.map_err(|e| format!("{}: {e}", self.name())),
            other => Err(self.unexpected(&other).to_string()),
        }
    }

    /// Writes `files` (as `persist_plan` showed them) on the director, audited there.
    pub async fn persist_write(
        &self,
        dir: &Path,
        files: Vec<(PersistFile, OnDisk)>,
    ) -> Result<Written, String> {
        self.persists().await?;
        let req = Request::PersistWrite {
            dir: dir.to_path_buf(),
            files,
        };
        match self.request(req).await? {
            Body::PersistWritten(w) => Ok(w),
            other => Err(self.unexpected(&other).to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only the three files under the directory asked for: nothing else is written, whatever
    /// the client sends.
    #[tokio::test]
    async fn only_the_files_persist_writes() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::at(dir.path().join("audit.log"));
        let elsewhere = dir.path().join("authorized_keys");
        let file = PersistFile {
            path: elsewhere.clone(),
            contents: "ssh-ed25519 AAAA intruder\n".into(),
        };
        let context = Context::current(crate::operation::audit::Source::Agent);
        let written = write(
            dir.path().join("etc"),
            vec![(file, OnDisk::Missing)],
            &log,
            context,
            false,
        )
        .await;
        assert!(written.written.is_empty());
        let error = written.error.unwrap();
        assert!(
            error.contains("is not a file persist writes under"),
            "{error}"
        );
        assert!(!elsewhere.exists());
    }
}
