//! Safe wrappers over the few process-wide facts and calls we need from the system (through
//! `nix`): who we are, the host's name, stopping ourselves for job control; and the one async
//! runtime the program runs on.

/// This host's name, or "localhost" when it cannot be read.
pub fn host_name() -> String {
    nix::unistd::gethostname()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "localhost".into())
}

/// The effective user id of this process.
pub fn effective_uid() -> u32 {
    nix::unistd::geteuid().as_raw()
}

/// Whether this process runs as root (effective uid 0).
pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// The real user id of this process.
pub fn real_uid() -> u32 {
    nix::unistd::getuid().as_raw()
}

/// Stops this process (SIGSTOP) until it is continued. SIGSTOP, not SIGTSTP: a SIGTSTP handler
/// that calls this would only be called again.
pub fn stop_self() {
    // raise(3) fails only for an invalid signal number, and SIGSTOP is valid.
    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGSTOP);
}

/// The single-threaded tokio runtime that the command line and the console run on. When it
/// cannot be built, says so on standard error and returns None (the caller exits with 1).
pub fn runtime() -> Option<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .inspect_err(|e| eprintln!("ipvs-tui: cannot start the async runtime: {e}"))
        .ok()
}
