//! Finding the running keepalived of this network namespace in /proc: its parent process, its
//! children (VRRP, checker), its config file and the directory it writes its dumps to.

use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where keepalived's parent writes its pid (2.2: the first; with a namespace or instance name,
/// the second).
pub const PID_FILES: [&str; 2] = ["/run/keepalived.pid", "/run/keepalived/keepalived.pid"];
const DEFAULT_VRRP_PID: &str = "/run/vrrp.pid";
const DEFAULT_CHECKERS_PID: &str = "/run/checkers.pid";
const DEFAULT_CONFIG: &str = "/etc/keepalived/keepalived.conf";

/// A running keepalived, as /proc shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    /// The parent process, which SIGUSR1 is sent to.
    pub pid: i32,
    /// Its configuration file (`-f`, else keepalived's default).
    pub config: PathBuf,
    /// Where it writes its dump files: `TMPDIR` of its environment, else /tmp.
    pub tmp_dir: PathBuf,
    /// The VRRP child: Some(true) when it runs, Some(false) when it does not, None when /proc
    /// does not tell which child is which.
    pub vrrp: Option<bool>,
    /// The checker child, likewise.
    pub checker: Option<bool>,
}

/// Why no single keepalived was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum FindError {
    #[error("no keepalived runs in this network namespace")]
    NotRunning,
    #[error(
        "several keepalived run in this network namespace (pids {pids:?}); choose one with --pid"
    )]
    Several { pids: Vec<i32> },
    #[error("process {pid} is not a running keepalived")]
    NotKeepalived { pid: i32 },
}

/// The keepalived parent of this network namespace (or `pid`, when given).
pub fn find(pid: Option<i32>) -> Result<Process, FindError> {
    find_in(Path::new("/proc"), pid)
}

/// [`find`] over another /proc (tests).
pub fn find_in(proc: &Path, pid: Option<i32>) -> Result<Process, FindError> {
    let all = keepalived_processes(proc);
    let parent = match pid {
        Some(pid) if all.iter().any(|p| p.0 == pid) => pid,
        Some(pid) => return Err(FindError::NotKeepalived { pid }),
        None => {
            let parents: Vec<i32> = all
                .iter()
                .filter(|(_, ppid)| !all.iter().any(|(p, _)| p == ppid))
                .map(|p| p.0)
                .filter(|&p| same_netns(proc, p))
                .collect();
            match parents.as_slice() {
                [] => return Err(FindError::NotRunning),
                [one] => *one,
                several => {
                    let named = PID_FILES.iter().filter_map(|f| read_pid(Path::new(f)));
                    let chosen: Vec<i32> = named.filter(|p| several.contains(p)).collect();
                    match chosen.as_slice() {
                        [one] => *one,
                        _ => {
                            return Err(FindError::Several {
                                pids: several.to_vec(),
                            });
                        }
                    }
                }
            }
        }
    };
    let args = read_args(&proc.join(parent.to_string()).join("cmdline"));
    let opts = Options::parse(&args);
    let children: Vec<i32> = all
        .iter()
        .filter(|(_, ppid)| *ppid == parent)
        .map(|p| p.0)
        .collect();
    let is_child = |file: Option<&str>, default: &str| {
        read_pid(Path::new(file.unwrap_or(default))).is_some_and(|p| children.contains(&p))
    };
    let vrrp = is_child(opts.vrrp_pid.as_deref(), DEFAULT_VRRP_PID);
    let checker = is_child(opts.checkers_pid.as_deref(), DEFAULT_CHECKERS_PID);
    let (vrrp, checker) = match (vrrp, checker, opts.only) {
        (_, _, Some(Only::Vrrp)) => (Some(!children.is_empty()), Some(false)),
        (_, _, Some(Only::Check)) => (Some(false), Some(!children.is_empty())),
        (true, true, None) => (Some(true), Some(true)),
        // One child named by its pid file: another child is the other one.
        (true, false, None) => (Some(true), Some(children.len() > 1)),
        (false, true, None) => (Some(children.len() > 1), Some(true)),
        (false, false, None) if children.is_empty() => (Some(false), Some(false)),
        (false, false, None) => (None, None),
    };
    let environ = read_args(&proc.join(parent.to_string()).join("environ"));
    let tmp_dir = environ
        .iter()
        .find_map(|e| e.strip_prefix("TMPDIR="))
        .filter(|d| !d.is_empty())
        .unwrap_or("/tmp");
    Ok(Process {
        pid: parent,
        config: PathBuf::from(opts.config.as_deref().unwrap_or(DEFAULT_CONFIG)),
        tmp_dir: PathBuf::from(tmp_dir),
        vrrp,
        checker,
    })
}

/// (pid, ppid) of every process whose name is keepalived.
fn keepalived_processes(proc: &Path) -> Vec<(i32, i32)> {
    let Ok(dir) = std::fs::read_dir(proc) else {
        return Vec::new();
    };
    // Name and parent come first in stat: one read of a small buffer has them, where reading
    // the whole file would also ask its size and read again to its end (this runs over every
    // process of the host every few seconds).
    let mut head = [0u8; 256];
    let mut found: Vec<(i32, i32)> = dir
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(|pid| {
            let path = proc.join(pid.to_string()).join("stat");
            let n = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
            let stat = match std::str::from_utf8(&head[..n]) {
                Ok(s) => s,
                Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
            };
            let (comm, rest) = stat.split_once(" (")?.1.rsplit_once(") ")?;
            let ppid = rest.split_whitespace().nth(1)?.parse().ok()?;
            (comm == "keepalived").then_some((pid, ppid))
        })
        .collect();
    found.sort_unstable();
    found
}

/// False only when both namespaces can be read and differ.
fn same_netns(proc: &Path, pid: i32) -> bool {
    let theirs = std::fs::read_link(proc.join(pid.to_string()).join("ns/net"));
    let ours = std::fs::read_link(proc.join("self/ns/net"));
    match (theirs, ours) {
        (Ok(a), Ok(b)) => a == b,
        _ => true,
    }
}

fn read_pid(path: &Path) -> Option<i32> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// NUL-separated strings (cmdline, environ); empty when unreadable.
fn read_args(path: &Path) -> Vec<String> {
    std::fs::read(path)
        .map(|b| {
            b.split(|&c| c == 0)
                .filter(|s| !s.is_empty())
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Only {
    Vrrp,
    Check,
}

/// The options of keepalived's command line that say where its files are.
#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    config: Option<String>,
    vrrp_pid: Option<String>,
    checkers_pid: Option<String>,
    only: Option<Only>,
}

impl Options {
    /// keepalived's getopt: `-f FILE`, `-fFILE`, `--use-file=FILE`, `--use-file FILE`, and
    /// short flags grouped (`-nlD`).
    fn parse(args: &[String]) -> Options {
        const LONG: [(&str, char); 5] = [
            ("use-file", 'f'),
            ("vrrp_pid", 'r'),
            ("checkers_pid", 'c'),
            ("vrrp", 'P'),
            ("check", 'C'),
        ];
        const WITH_VALUE: &str = "fprcbSusiA";
        let mut o = Options::default();
        let mut it = args.iter().skip(1);
        while let Some(arg) = it.next() {
            let mut set = |opt: char, value: Option<String>| match opt {
                'f' => o.config = value,
                'r' => o.vrrp_pid = value,
                'c' => o.checkers_pid = value,
                'P' => o.only = Some(Only::Vrrp),
                'C' => o.only = Some(Only::Check),
                _ => {}
            };
            if let Some(long) = arg.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (long, None),
                };
                if let Some(&(_, opt)) = LONG.iter().find(|(n, _)| *n == name) {
                    let value = match (opt, inline) {
                        ('P' | 'C', _) => None,
                        (_, Some(v)) => Some(v),
                        (_, None) => it.next().cloned(),
                    };
                    set(opt, value);
                }
            } else if let Some(short) = arg.strip_prefix('-') {
                for (i, opt) in short.char_indices() {
                    if WITH_VALUE.contains(opt) {
                        let rest = &short[i + opt.len_utf8()..];
                        let value = if rest.is_empty() {
                            it.next().cloned()
                        } else {
                            Some(rest.to_string())
                        };
                        set(opt, value);
                        break;
                    }
                    set(opt, None);
                }
            }
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn command_lines() {
        let o = Options::parse(&args(
            "keepalived -nlD -f /tmp/k.conf -p /x -r/tmp/v.pid --checkers_pid=/c -P",
        ));
        assert_eq!(o.config.as_deref(), Some("/tmp/k.conf"));
        assert_eq!(o.vrrp_pid.as_deref(), Some("/tmp/v.pid"));
        assert_eq!(o.checkers_pid.as_deref(), Some("/c"));
        assert_eq!(o.only, Some(Only::Vrrp));
        let o = Options::parse(&args(
            "/usr/sbin/keepalived --use-file /etc/k.conf --check --dont-fork",
        ));
        assert_eq!(
            (o.config.as_deref(), o.only),
            (Some("/etc/k.conf"), Some(Only::Check))
        );
        assert_eq!(Options::parse(&args("keepalived")), Options::default());
        assert_eq!(Options::parse(&args("keepalived -f")), Options::default());
    }

    /// A fake /proc: a parent 100 with children 101 and 102, and an unrelated process.
    #[test]
    fn finds_the_parent_and_its_environment() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        let proc_entry = |pid: i32, ppid: i32, comm: &str, cmdline: &str, environ: &str| {
            let d = p.join(pid.to_string());
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("stat"), format!("{pid} ({comm}) S {ppid} 1 1 0")).unwrap();
            std::fs::write(d.join("cmdline"), cmdline.replace(' ', "\0")).unwrap();
            std::fs::write(d.join("environ"), environ.replace(' ', "\0")).unwrap();
        };
        proc_entry(
            100,
            1,
            "keepalived",
            "keepalived -f /k.conf -C",
            "PATH=/bin TMPDIR=/var/ka",
        );
        proc_entry(101, 100, "keepalived", "keepalived -f /k.conf -C", "");
        proc_entry(7, 1, "sshd) (x", "sshd", "");
        let found = find_in(p, None).unwrap();
        assert_eq!(found.pid, 100);
        assert_eq!(found.config, Path::new("/k.conf"));
        assert_eq!(found.tmp_dir, Path::new("/var/ka"));
        assert_eq!((found.vrrp, found.checker), (Some(false), Some(true)));
        assert_eq!(
            find_in(p, Some(7)),
            Err(FindError::NotKeepalived { pid: 7 })
        );
        proc_entry(200, 1, "keepalived", "keepalived", "");
        assert!(matches!(
            find_in(p, None),
            Err(FindError::Several { .. }) | Ok(_)
        ));
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(find_in(empty.path(), None), Err(FindError::NotRunning));
    }
}
