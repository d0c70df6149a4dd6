//! The read-only view without root: parsing the world-readable /proc/net/ip_vs (and
//! /proc/net/ip_vs_stats) into the model, and `ProcBackend`, which polls it and refuses changes.
//!
//! Netlink needs CAP_NET_ADMIN even to read; these files are mode 0444. What they lack, the
//! snapshot leaves at zero or default: per-service and per-server counters, thresholds, the
//! persistent-connection count, the tunnel type, timeouts and sync daemons. Formats: reference
//! §6.3 (`ip_vs_info_seq_show`).

use super::error::{Error, Result};
use super::model::Snapshot;
use super::op::IpvsOp;
use std::cell::Cell;
use std::path::{Path, PathBuf};

mod hz;
mod parse;

pub use hz::kernel_hz;
pub use parse::{
    DestLine, Line, ProcKey, parse_header, parse_ip_vs, parse_ip_vs_stats, parse_line,
};

/// The services file.
pub const IP_VS: &str = "/proc/net/ip_vs";
/// The global counters file.
pub const IP_VS_STATS: &str = "/proc/net/ip_vs_stats";
/// Why `ProcBackend::apply` refuses.
pub const REFUSAL: &str = "read-only view: changes need root or CAP_NET_ADMIN";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcError {
    /// The first line is not IPVS's: this is not /proc/net/ip_vs.
    #[error("not an IPVS listing: the first line is {0:?}, not \"IP Virtual Server version …\"")]
    Header(String),
    /// /proc/net/ip_vs_stats without its two rows of numbers.
    #[error("not an IPVS statistics listing: {0}")]
    Stats(String),
}

/// What `parse_ip_vs` makes of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcListing {
    pub snapshot: Snapshot,
    /// Lines that could not be read (and the real servers under an unreadable service): left out.
    pub skipped: usize,
}

/// IPVS read from /proc/net/ip_vs: services, real servers and connection counts, no counters;
/// every change is refused.
pub struct ProcBackend {
    path: PathBuf,
    hz: Option<u32>,
    skipped: Cell<usize>,
}

impl ProcBackend {
    /// Reads `path` (normally `IP_VS`), converting persistence timeouts with `hz`.
    pub fn new(path: impl AsRef<Path>, hz: Option<u32>) -> ProcBackend {
        ProcBackend {
            path: path.as_ref().to_path_buf(),
            hz,
            skipped: Cell::new(0),
        }
    }

    /// This host's /proc/net/ip_vs, if this process can read it; finds the kernel's HZ.
    pub async fn open() -> Result<ProcBackend> {
        tokio::fs::File::open(IP_VS)
            .await
            .map_err(|e| read_error(Path::new(IP_VS), e))?;
        Ok(ProcBackend::new(IP_VS, kernel_hz()))
    }

    /// The tick rate persistence timeouts are converted with; None: persistence is not shown.
    pub fn hz(&self) -> Option<u32> {
        self.hz
    }

    /// Lines the last snapshot could not read.
    pub fn skipped(&self) -> usize {
        self.skipped.get()
    }
}

fn read_error(path: &Path, e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::NotFound => Error::Unavailable(format!(
            "{} does not exist: the ip_vs module is not loaded, and loading it needs root (modprobe ip_vs)",
            path.display()
        )),
        _ => Error::io(format!("cannot read {}", path.display()), e),
    }
}

impl ProcBackend {
    pub async fn snapshot(&self) -> Result<Snapshot> {
        let text = tokio::fs::read_to_string(&self.path)
            .await
            .map_err(|e| read_error(&self.path, e))?;
        let listing = parse_ip_vs(&text, self.hz)
            .map_err(|e| Error::Decode(format!("{}: {e}", self.path.display())))?;
        self.skipped.set(listing.skipped);
        Ok(listing.snapshot)
    }

    /// Refuses every change.
    pub async fn apply(&self, _op: &IpvsOp) -> Result<()> {
        Err(Error::Refused(REFUSAL.to_string()))
    }
}

#[cfg(test)]
mod tests;
