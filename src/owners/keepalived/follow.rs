//! Following keepalived's notify FIFOs instead of asking for dumps: which FIFOs to follow (or
//! why not), each opened read-only and non-blocking (never blocks, keepalived creates it), and
//! read until empty. keepalived holds its FIFO open for writing while it runs, so end of file
//! means it closed it: stopped, restarted or reloaded.
//!
//! A FIFO has one reader model: each line goes to one reader. When keepalived runs a
//! `*_notify_fifo_script` of its own, ipvs-tui does not compete with it.

use super::conf::{self, ConfError, NotifyConfig};
use super::notify::{self, Event, Lines};
use super::process::Process;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{ErrorKind, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Why keepalived's FIFOs are not followed (the console asks for dumps instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum NotFollowed {
    #[error("no notify FIFO in {}", config.display())]
    NoFifo { config: PathBuf },
    #[error("{script} in {} reads keepalived's FIFO: not followed, so as not to take its lines", config.display())]
    Script { script: String, config: PathBuf },
    #[error("{0}")]
    Config(String),
    #[error("cannot open {}: {reason}", path.display())]
    Open { path: PathBuf, reason: String },
    #[error("{} is already read by {reader} (pid {pid}): not followed, so as not to take its lines", path.display())]
    OtherReader {
        path: PathBuf,
        pid: i32,
        reader: String,
    },
    /// The FIFOs are on another machine; the agent answers dumps only.
    #[error("keepalived runs on a director reached through its agent: its FIFOs are not followed")]
    Remote,
}

impl NotFollowed {
    /// A FIFO that may be there at the next try (keepalived had not made it yet, or is
    /// restarting); the others stay so until keepalived or its configuration change.
    pub fn transient(&self) -> bool {
        matches!(
            self,
            NotFollowed::Open { .. } | NotFollowed::OtherReader { .. }
        )
    }
}

/// What to follow: the FIFOs of keepalived's configuration, unless a script reads them.
pub fn plan(process: &Process) -> Result<NotifyConfig, NotFollowed> {
    let found =
        conf::read(&process.config).map_err(|e: ConfError| NotFollowed::Config(e.to_string()))?;
    if let Some(script) = found.scripts.first() {
        return Err(NotFollowed::Script {
            script: script.clone(),
            config: process.config.clone(),
        });
    }
    if found.fifos.is_empty() {
        return Err(NotFollowed::NoFifo {
            config: process.config.clone(),
        });
    }
    Ok(found)
}

/// One FIFO, open for reading.
#[derive(Debug)]
pub struct Fifo {
    pub path: PathBuf,
    file: File,
    lines: Lines,
}

/// What one read of a FIFO found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FifoRead {
    pub lines: Vec<String>,
    /// No writer is left: keepalived closed it.
    pub closed: bool,
    /// Lines dropped for their length since the last read.
    pub overlong: usize,
}

impl Fifo {
    /// Opens `path` read-only and non-blocking; it must be a FIFO.
    pub fn open(path: &Path) -> Result<Fifo, NotFollowed> {
        let failed = |reason: String| NotFollowed::Open {
            path: path.to_path_buf(),
            reason,
        };
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(path)
            .map_err(|e| failed(e.to_string()))?;
        let meta = file.metadata().map_err(|e| failed(e.to_string()))?;
        if !meta.file_type().is_fifo() {
            return Err(failed("not a FIFO".into()));
        }
        Ok(Fifo {
            path: path.to_path_buf(),
            file,
            lines: Lines::default(),
        })
    }

    /// Reads what is there now, without waiting.
    pub fn read(&mut self) -> FifoRead {
        let mut out = FifoRead::default();
        let mut buf = [0u8; 4096];
        loop {
            match self.file.read(&mut buf) {
                Ok(0) => {
                    out.closed = true;
                    break;
                }
                Ok(n) => out.lines.extend(self.lines.push(&buf[..n])),
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) => {
                    tracing::warn!(path = %self.path.display(), error = %e, "keepalived FIFO read failed");
                    out.closed = true;
                    break;
                }
            }
        }
        out.overlong = std::mem::take(&mut self.lines.overlong);
        out
    }
}

/// Another process that reads `fifo` (keepalived's own processes, which hold it read-write
/// but never read, and this one aside): another console, a script, a `cat`.
pub fn other_reader(fifo: &Fifo) -> Option<(i32, String)> {
    other_reader_in(Path::new("/proc"), fifo)
}

fn other_reader_in(proc: &Path, fifo: &Fifo) -> Option<(i32, String)> {
    use std::os::unix::fs::MetadataExt;
    let meta = fifo.file.metadata().ok()?;
    let (dev, ino) = (meta.dev(), meta.ino());
    let me = std::process::id() as i32;
    let pids = std::fs::read_dir(proc).ok()?.filter_map(|e| {
        let pid: i32 = e.ok()?.file_name().to_str()?.parse().ok()?;
        (pid != me).then_some(pid)
    });
    for pid in pids {
        let dir = proc.join(pid.to_string());
        let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        let comm = comm.trim();
        if comm == "keepalived" {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(dir.join("fd")) else {
            continue;
        };
        for fd in fds.filter_map(|e| e.ok()) {
            let same = std::fs::metadata(fd.path()).is_ok_and(|m| m.dev() == dev && m.ino() == ino);
            // fdinfo's flags are octal; the access mode is their low two bits (0 read, 2 both).
            let reads = || {
                let info = std::fs::read_to_string(dir.join("fdinfo").join(fd.file_name()))
                    .unwrap_or_default();
                info.lines()
                    .find_map(|l| l.strip_prefix("flags:"))
                    .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                    .is_some_and(|f| f & 3 != 1)
            };
            if same && reads() {
                return Some((pid, comm.to_string()));
            }
        }
    }
    None
}

/// Lines read, understood or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub events: Vec<Event>,
    /// Lines of no known shape (ignored), at most a few kept for the log.
    pub unknown: usize,
    pub first_unknown: Option<String>,
}

pub fn parse_lines(lines: &[String], overlong: usize) -> Parsed {
    let mut out = Parsed {
        unknown: overlong,
        ..Parsed::default()
    };
    for line in lines {
        match notify::parse(line) {
            Ok(event) => out.events.push(event),
            Err(e) => {
                out.unknown += 1;
                out.first_unknown.get_or_insert_with(|| e.to_string());
            }
        }
    }
    out
}

/// What a follow session (started for one keepalived) tells the console.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowReport {
    /// The session it belongs to: a report of an older one is dropped.
    pub session: u64,
    pub at: Instant,
    pub what: Followed,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Followed {
    /// The FIFOs are open; the lines already waiting in them (written before anyone read, so
    /// perhaps older than the last dump) were dropped.
    Started {
        fifos: Vec<PathBuf>,
        /// Which processes' events they carry.
        vrrp: bool,
        checker: bool,
        backlog: usize,
    },
    NotFollowed(NotFollowed),
    /// Lines read, at `when` by the wall clock.
    Lines {
        parsed: Parsed,
        when: Timestamp,
    },
    /// keepalived closed this FIFO: following ended.
    Closed {
        path: PathBuf,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_fifo_is_read_without_waiting_and_its_end_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ka.fifo");
        nix::unistd::mkfifo(&path, nix::sys::stat::Mode::S_IRWXU).unwrap();
        // keepalived opens its FIFO read-write, so it has a writer before anyone reads.
        let mut writer = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        let mut fifo = Fifo::open(&path).unwrap();
        assert_eq!(fifo.read(), FifoRead::default(), "nothing yet, and no wait");
        // This process's own descriptors do not count; a reader in another process does.
        assert_eq!(other_reader(&fifo), None);
        let mut cat = std::process::Command::new("cat")
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut found = None;
        for _ in 0..100 {
            found = other_reader(&fifo);
            if found.is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(found, Some((cat.id() as i32, "cat".to_string())));
        cat.kill().unwrap();
        cat.wait().unwrap();
        writer
            .write_all(b"RS [10.0.0.1]:tcp:80 [192.0.2.1]:tcp:80 DOWN\nINSTANCE \"VI\" MA")
            .unwrap();
        let read = fifo.read();
        assert_eq!(read.lines, ["RS [10.0.0.1]:tcp:80 [192.0.2.1]:tcp:80 DOWN"]);
        writer.write_all(b"STER 100\n").unwrap();
        assert_eq!(fifo.read().lines, ["INSTANCE \"VI\" MASTER 100"]);
        drop(writer);
        assert!(fifo.read().closed);
        let file = dir.path().join("plain");
        std::fs::write(&file, "x").unwrap();
        let e = Fifo::open(&file).unwrap_err();
        assert!(e.to_string().ends_with("not a FIFO"), "{e}");
        assert!(e.transient());
    }
}
