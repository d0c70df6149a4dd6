//! Asking a running keepalived for its state: SIGUSR1 to its parent, then the dump files it
//! writes, accepted only when newer than the request, whole and readable. One request at a
//! time; [`Reader::poll`] never blocks, so a console poller can call it on every tick.

use super::dump::DumpError;
use super::model::{CheckData, VrrpData};
use super::process::{FindError, Process};
use super::{check, vrrp};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long keepalived gets to write its files; it usually takes milliseconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);
/// File times come from the kernel's coarse clock, up to a tick behind `SystemTime::now()`:
/// a file this much older than the request still counts as written after it.
const CLOCK_SLACK: Duration = Duration::from_millis(20);

/// What keepalived said, and where and when it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeepalivedState {
    pub process: Process,
    pub read_at: Timestamp,
    /// keepalived.data, when its VRRP process runs.
    pub vrrp: Option<VrrpData>,
    /// keepalived_check.data, when its checker process runs.
    pub check: Option<CheckData>,
    /// The files read.
    pub files: Vec<PathBuf>,
}

/// Why keepalived's state could not be read this time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ReadError {
    #[error(transparent)]
    Find(#[from] FindError),
    #[error("cannot signal keepalived (pid {pid}): {reason}")]
    Signal { pid: i32, reason: String },
    #[error("{} was not written within {waited_ms} ms of the request ({reason})", path.display())]
    NotFresh {
        path: PathBuf,
        waited_ms: u64,
        reason: String,
    },
    #[error(transparent)]
    Dump(#[from] DumpError),
    /// The director keepalived runs on could not be asked (its agent's link is down).
    #[error("{0}")]
    Unreachable(String),
}

/// One request in flight.
#[derive(Debug)]
struct Pending {
    process: Process,
    asked_at: SystemTime,
    /// (len, mtime) of each wanted file at the last poll: unchanged twice means written.
    seen: Vec<Option<(u64, SystemTime)>>,
}

/// Asks keepalived for its dump files and reads them; holds at most one request.
#[derive(Debug)]
pub struct Reader {
    pid: Option<i32>,
    timeout: Duration,
    pending: Option<Pending>,
}

/// What [`Reader::poll`] found.
#[derive(Debug)]
pub enum Poll {
    /// No request in flight.
    Idle,
    /// Asked; the files are not all written yet.
    Waiting,
    Done(Result<KeepalivedState, ReadError>),
}

impl Reader {
    /// A reader of the keepalived of this network namespace (or of `pid`).
    pub fn new(pid: Option<i32>, timeout: Duration) -> Reader {
        Reader {
            pid,
            timeout,
            pending: None,
        }
    }

    pub fn in_flight(&self) -> bool {
        self.pending.is_some()
    }

    /// Finds keepalived and signals it, unless a request is already in flight (then nothing is
    /// sent: never more than one). Returns at once.
    pub fn request(&mut self) -> Result<(), ReadError> {
        if self.pending.is_some() {
            return Ok(());
        }
        let result = self.ask();
        match (&result, &self.pending) {
            (Ok(()), Some(p)) => tracing::debug!(
                pid = p.process.pid,
                files = ?wanted(&p.process).iter().map(|(f, _)| f).collect::<Vec<_>>(),
                "keepalived asked (SIGUSR1)"
            ),
            (Err(e), _) => log_failed(e),
            _ => {}
        }
        result
    }

    fn ask(&mut self) -> Result<(), ReadError> {
        let process = super::process::find(self.pid)?;
        let asked_at = SystemTime::now() - CLOCK_SLACK;
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(process.pid),
            nix::sys::signal::Signal::SIGUSR1,
        )
        .map_err(|e| ReadError::Signal {
            pid: process.pid,
            reason: e.desc().to_string(),
        })?;
        let seen = vec![None; wanted(&process).len()];
        self.pending = Some(Pending {
            process,
            asked_at,
            seen,
        });
        Ok(())
    }

    /// Looks at the files of the request in flight, without waiting.
    pub fn poll(&mut self) -> Poll {
        let asked_at = self.pending.as_ref().map(|p| p.asked_at);
        let poll = self.look();
        if let Poll::Done(result) = &poll {
            let waited = asked_at.and_then(|t| t.elapsed().ok()).unwrap_or_default();
            let waited_ms = waited.as_millis() as u64;
            match result {
                Ok(state) => tracing::debug!(
                    pid = state.process.pid,
                    waited_ms,
                    files = ?state.files,
                    vrrp_instances = state.vrrp.as_ref().map(|v| v.instances.len()),
                    virtual_servers = state.check.as_ref().map(|c| c.virtual_servers.len()),
                    "keepalived answered"
                ),
                Err(e) => log_failed(e),
            }
        }
        poll
    }

    fn look(&mut self) -> Poll {
        let Some(p) = self.pending.as_mut() else {
            return Poll::Idle;
        };
        let waited = p.asked_at.elapsed().unwrap_or_default();
        let expired = waited > self.timeout + CLOCK_SLACK;
        let files = wanted(&p.process);
        let mut all_settled = true;
        for (i, (path, _)) in files.iter().enumerate() {
            let now = std::fs::metadata(path)
                .ok()
                .and_then(|m| Some((m.len(), m.modified().ok()?)));
            let fresh = now.is_some_and(|(_, t)| t >= p.asked_at);
            // keepalived opens (empties) the file, then writes it: an empty file is not done.
            let settled = fresh && now == p.seen[i] && now.is_some_and(|(len, _)| len > 0);
            p.seen[i] = now;
            if settled {
                continue;
            }
            all_settled = false;
            if expired {
                let reason = match now {
                    None => "missing".to_string(),
                    Some(_) if !fresh => "older than the request".to_string(),
                    Some((0, _)) => "empty".to_string(),
                    Some(_) => "still being written".to_string(),
                };
                self.pending = None;
                return Poll::Done(Err(ReadError::NotFresh {
                    path: path.clone(),
                    waited_ms: waited.as_millis() as u64,
                    reason,
                }));
            }
        }
        if !all_settled {
            return Poll::Waiting;
        }
        let p = self.pending.take().expect("in flight");
        match read_files(&p.process, &files) {
            // Whole by size and time but not by shape: keepalived may write in bursts.
            Err(ReadError::Dump(DumpError::Truncated { .. } | DumpError::Empty { .. }))
                if !expired =>
            {
                self.pending = Some(p);
                Poll::Waiting
            }
            result => Poll::Done(result),
        }
    }

    /// Requests and waits for the answer (at most the timeout, polling every 20 ms).
    pub async fn read(&mut self) -> Result<KeepalivedState, ReadError> {
        self.request()?;
        loop {
            match self.poll() {
                Poll::Done(result) => return result,
                Poll::Idle => unreachable!("a request is in flight"),
                Poll::Waiting => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }
}

fn log_failed(e: &ReadError) {
    let sources = crate::logging::sources(e);
    tracing::warn!(error = %e, ?sources, "keepalived not read");
}

/// The files this keepalived writes on SIGUSR1: keepalived.data from its VRRP process,
/// keepalived_check.data from its checker. When /proc cannot tell which children run, both.
fn wanted(p: &Process) -> Vec<(PathBuf, &'static str)> {
    let mut files = Vec::new();
    if p.vrrp != Some(false) {
        files.push((p.tmp_dir.join(vrrp::FILE), vrrp::FILE));
    }
    if p.checker != Some(false) {
        files.push((p.tmp_dir.join(check::FILE), check::FILE));
    }
    files
}

fn read_files(
    process: &Process,
    files: &[(PathBuf, &'static str)],
) -> Result<KeepalivedState, ReadError> {
    let mut state = KeepalivedState {
        process: process.clone(),
        read_at: Timestamp::now(),
        vrrp: None,
        check: None,
        files: Vec::new(),
    };
    for (path, name) in files {
        let text = read(path)?;
        if *name == vrrp::FILE {
            state.vrrp = Some(vrrp::parse(&text)?);
        } else {
            state.check = Some(check::parse(&text)?);
        }
        state.files.push(path.clone());
    }
    Ok(state)
}

fn read(path: &Path) -> Result<String, ReadError> {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| ReadError::NotFresh {
            path: path.to_path_buf(),
            waited_ms: 0,
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/keepalived/2.2.7/vr2-keepalived.data"
    ));

    /// A reader with a request in flight for keepalived.data in `dir`, asked `ago` before now.
    fn asked(dir: &Path, ago: Duration) -> Reader {
        let process = Process {
            pid: 0,
            config: PathBuf::from("/k.conf"),
            tmp_dir: dir.to_path_buf(),
            vrrp: Some(true),
            checker: Some(false),
        };
        Reader {
            pid: None,
            timeout: Duration::from_millis(150),
            pending: Some(Pending {
                process,
                asked_at: SystemTime::now() - ago,
                seen: vec![None],
            }),
        }
    }

    fn wait(reader: &mut Reader) -> Result<KeepalivedState, ReadError> {
        loop {
            match reader.poll() {
                Poll::Done(r) => return r,
                Poll::Idle => panic!("idle"),
                Poll::Waiting => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }

    #[test]
    fn fresh_whole_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut reader = asked(dir.path(), CLOCK_SLACK);
        std::fs::write(dir.path().join("keepalived.data"), DATA).unwrap();
        let state = wait(&mut reader).unwrap();
        assert_eq!(state.vrrp.unwrap().instances[0].name, "VI_PAIR");
        assert!(state.check.is_none());
        assert!(matches!(reader.poll(), Poll::Idle));
    }

    #[test]
    fn missing_stale_and_half_written_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let e = wait(&mut asked(dir.path(), Duration::ZERO)).unwrap_err();
        assert!(e.to_string().ends_with("(missing)"), "{e}");
        std::fs::write(dir.path().join("keepalived.data"), DATA).unwrap();
        let mut stale = asked(dir.path(), Duration::ZERO);
        stale.pending.as_mut().unwrap().asked_at = SystemTime::now() + Duration::from_secs(1);
        let e = wait(&mut stale).unwrap_err();
        assert!(e.to_string().ends_with("(older than the request)"), "{e}");
        let mut half = asked(dir.path(), CLOCK_SLACK);
        std::fs::write(dir.path().join("keepalived.data"), &DATA[..DATA.len() - 7]).unwrap();
        let e = wait(&mut half).unwrap_err();
        assert!(
            matches!(e, ReadError::Dump(DumpError::Truncated { .. })),
            "{e}"
        );
    }
}
