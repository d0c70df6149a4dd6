//! Network namespaces of the sandbox: finding them, working inside one and coming back, the
//! processes living in one, and the `ip` command for what the project has no code of its own.

use super::SandboxError;
use super::topology::{Kind, MEMBERS, parse_netns};
use crate::netns::{NETNS_DIR, path_of};
use nix::sched::{CloneFlags, setns};
use std::collections::BTreeSet;
use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// The sandbox namespaces that exist now, by name, sorted.
pub fn existing() -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(NETNS_DIR) else {
        return Vec::new();
    };
    let mut names: Vec<String> = dir
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with(super::topology::PREFIX))
        .collect();
    names.sort();
    names
}

/// What is there: nothing, one whole lab, or pieces (a crash while building, a hand-made name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Nothing,
    Up(Kind),
    Partial(Vec<String>),
}

/// Judges the namespaces named `names` (all of them with the sandbox prefix).
pub fn judge(names: &[String]) -> Found {
    if names.is_empty() {
        return Found::Nothing;
    }
    let kinds: BTreeSet<Kind> = names
        .iter()
        .filter_map(|n| parse_netns(n).map(|(k, _)| k))
        .collect();
    if let [kind] = kinds.iter().copied().collect::<Vec<_>>()[..] {
        let members: BTreeSet<&str> = names
            .iter()
            .filter_map(|n| parse_netns(n))
            .map(|(_, m)| m)
            .collect();
        if members == MEMBERS.into_iter().collect() && names.len() == MEMBERS.len() {
            return Found::Up(kind);
        }
    }
    Found::Partial(names.to_vec())
}

/// Runs `work` inside the namespace `ns`, then returns this thread to the namespace it was in.
/// Only this thread moves: call it while the process has no other (before any runtime), and let
/// `work` make its own runtime, whose sockets then belong to `ns`.
pub fn within<T>(ns: &str, work: impl FnOnce() -> T) -> Result<T, SandboxError> {
    let home = File::open("/proc/thread-self/ns/net")
        .map_err(|e| SandboxError::io("cannot open this thread's network namespace", e))?;
    crate::netns::enter(ns)?;
    let out = work();
    setns(&home, CloneFlags::CLONE_NEWNET)
        .map_err(|e| SandboxError::io("cannot return to the first network namespace", e.into()))?;
    Ok(out)
}

/// The identity of a namespace file (its nsfs device and inode), as `ip netns identify` uses.
pub fn ns_id(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// The processes (not zombies) whose network namespace is `ns`, this one excepted.
pub fn pids_in(ns: &str) -> Vec<i32> {
    let Some(id) = ns_id(&path_of(ns)) else {
        return Vec::new();
    };
    let me = std::process::id() as i32;
    let Ok(proc) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    proc.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| pid != me)
        .filter(|pid| ns_id(&Path::new("/proc").join(pid.to_string()).join("ns/net")) == Some(id))
        .collect()
}

/// `ip ARGS`, its complaint kept for the error.
pub fn ip(args: &[String]) -> Result<(), SandboxError> {
    let out = Command::new("ip")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SandboxError::NoIpCommand,
            _ => SandboxError::io("cannot run ip", e),
        })?;
    if out.status.success() {
        return Ok(());
    }
    Err(SandboxError::Ip {
        command: format!("ip {}", args.join(" ")),
        stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::topology::netns;

    fn names(kind: Kind, members: &[&str]) -> Vec<String> {
        members.iter().map(|m| netns(kind, m)).collect()
    }

    #[test]
    fn whole_labs_pieces_and_nothing() {
        assert_eq!(judge(&[]), Found::Nothing);
        assert_eq!(judge(&names(Kind::Dr, &MEMBERS)), Found::Up(Kind::Dr));
        let part = names(Kind::Nat, &["client", "director"]);
        assert_eq!(judge(&part), Found::Partial(part.clone()));
        let mut mixed = names(Kind::Nat, &MEMBERS);
        mixed.push(netns(Kind::Tun, "rs1"));
        assert_eq!(judge(&mixed), Found::Partial(mixed.clone()));
        let odd = vec!["ipvstui-sb-leftover".to_string()];
        assert_eq!(judge(&odd), Found::Partial(odd.clone()));
    }

    #[test]
    fn a_namespace_that_does_not_exist_holds_no_process() {
        assert!(pids_in("ipvstui-sb-no-such-namespace").is_empty());
        assert!(ns_id(Path::new("/proc/self/ns/net")).is_some());
    }
}
