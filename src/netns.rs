//! `--netns NAME|PATH`: run in another network namespace. IPVS tables, /proc/net and the net
//! sysctls are per namespace, so entering it first (before any socket or runtime thread exists)
//! makes every subcommand and the console read and change that namespace's.

use nix::sched::{CloneFlags, setns};
use std::fs::File;
use std::path::PathBuf;

/// Where `ip netns add NAME` puts its namespaces.
pub const NETNS_DIR: &str = "/run/netns";

#[derive(Debug, thiserror::Error)]
pub enum NetnsError {
    #[error("network namespace {spec}: {} does not exist", path.display())]
    Missing { spec: String, path: PathBuf },
    #[error("cannot open network namespace {}: {source}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot enter network namespace {}: {source}{hint}", path.display())]
    Enter {
        path: PathBuf,
        #[source]
        source: nix::Error,
        hint: &'static str,
    },
}

/// The file of a namespace: a name under /run/netns, or a path (anything with a `/`, such as
/// Docker's /var/run/docker/netns/ingress_sbox).
pub fn path_of(spec: &str) -> PathBuf {
    if spec.contains('/') {
        PathBuf::from(spec)
    } else {
        PathBuf::from(NETNS_DIR).join(spec)
    }
}

/// Moves this process into the network namespace `spec`. Call it while the process has one
/// thread: setns changes only the calling thread, and threads made before keep the old one.
pub fn enter(spec: &str) -> Result<(), NetnsError> {
    let path = path_of(spec);
    let file = File::open(&path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => NetnsError::Missing {
            spec: spec.to_string(),
            path: path.clone(),
        },
        _ => NetnsError::Open {
            path: path.clone(),
            source,
        },
    })?;
    setns(&file, CloneFlags::CLONE_NEWNET).map_err(|source| NetnsError::Enter {
        hint: match source {
            nix::Error::EPERM => " (needs root or CAP_SYS_ADMIN)",
            nix::Error::EINVAL => " (not a network namespace)",
            _ => "",
        },
        path,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        assert_eq!(path_of("blue"), PathBuf::from("/run/netns/blue"));
        assert_eq!(
            path_of("/var/run/docker/netns/ingress_sbox"),
            PathBuf::from("/var/run/docker/netns/ingress_sbox")
        );
        let e = enter("no-such-netns-here").unwrap_err();
        assert_eq!(
            e.to_string(),
            "network namespace no-such-netns-here: /run/netns/no-such-netns-here does not exist"
        );
        let e = enter("/etc/hostname").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot enter network namespace /etc/hostname"),
            "{e}"
        );
    }
}
