//! Errors of the IPVS layer, worded for the operator: what failed and, where we know, what to do.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
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
    #[error("{0}")]
    Io(String),
}

pub type Result<T> = std::result::Result<T, Error>;
