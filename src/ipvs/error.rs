//! Errors of the IPVS layer, worded for the operator: what failed and, where we know, what to do.

use serde::{Deserialize, Serialize};
use std::sync::Arc;
use thiserror::Error;

/// Serde: a remote director's agent sends its errors over the wire (`remote::protocol`).
#[derive(Debug, Error, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Error {
    /// The kernel refused a request; `message` is already readable (see `kernel_message`).
    #[error("{message}")]
    Kernel { errno: i32, message: String },
    /// No IPVS in this kernel, or the module could not be loaded.
    #[error("IPVS is not available: {0}")]
    Unavailable(String),
    /// Reading or changing IPVS needs root or CAP_NET_ADMIN.
    #[error("permission denied: ipvs-tui needs root or CAP_NET_ADMIN to talk to IPVS")]
    Permission,
    /// The kernel sent something we could not decode.
    #[error("could not decode the kernel's reply: {0}")]
    Decode(String),
    /// The change was refused before reaching the kernel (read-only mode, failed validation).
    #[error("{0}")]
    Refused(String),
    /// A remote director cannot be reached (its link or agent is gone): the target and why.
    #[error("{0}")]
    Unreachable(String),
    /// A remote director's link dropped while this change was in flight: it may or may not have
    /// been applied, and only a fresh read can tell (never reported as done or as undone).
    #[error("UNKNOWN whether it was applied: {0}; read the table again to see")]
    Unknown(String),
    /// A system call, a file or the netlink connection failed: `context` says what was being
    /// done (empty when the source says it all).
    #[error("{}{source}", prefix(context))]
    Io {
        context: String,
        source: SharedError,
    },
}

impl Error {
    /// `context: source`, e.g. `Error::io("cannot read rules.txt", e)`.
    pub fn io(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error::Io {
            context: context.into(),
            source: SharedError::new(source),
        }
    }
}

/// `context: ` before a source's own message; nothing when there is no context.
pub(crate) fn prefix(context: &str) -> String {
    if context.is_empty() {
        String::new()
    } else {
        format!("{context}: ")
    }
}

/// An error kept as the source of one of ours, shared so that ours stays `Clone`. Two are equal
/// when they read the same (std's errors have no equality of their own).
#[derive(Debug, Clone)]
pub struct SharedError(Arc<dyn std::error::Error + Send + Sync>);

impl SharedError {
    pub fn new(source: impl std::error::Error + Send + Sync + 'static) -> SharedError {
        SharedError(Arc::new(source))
    }

    /// The error it holds, to look into (e.g. `downcast_ref::<std::io::Error>()`).
    pub fn get(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl std::fmt::Display for SharedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SharedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for SharedError {
    fn eq(&self, other: &SharedError) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.to_string() == other.0.to_string()
    }
}

impl Eq for SharedError {}

/// Over the wire a source is its message: the far side's type cannot travel.
impl Serialize for SharedError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for SharedError {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let message = String::deserialize(d)?;
        Ok(SharedError::new(std::io::Error::other(message)))
    }
}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn an_io_error_keeps_its_source_and_its_words() {
        let e = Error::io(
            "cannot read rules.txt",
            std::io::Error::from_raw_os_error(libc::ENOENT),
        );
        assert_eq!(
            e.to_string(),
            "cannot read rules.txt: No such file or directory (os error 2)"
        );
        let source = e.source().expect("the io::Error is kept");
        let io = source
            .downcast_ref::<SharedError>()
            .and_then(|s| s.get().downcast_ref::<std::io::Error>())
            .expect("an io::Error");
        assert_eq!(io.raw_os_error(), Some(libc::ENOENT));
        assert_eq!(e.clone(), e);
        let bare = Error::io("", std::io::Error::other("gone"));
        assert_eq!(bare.to_string(), "gone");
    }
}
