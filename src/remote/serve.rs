//! Running `ipvs-tui agent` as a process: the director it serves (this host's IPVS, the
//! read-only /proc view when netlink is refused, or the simulator with `--demo`) on standard
//! input and output, until the input ends.

use super::agent::Agent;
use super::conns::ConnsFrom;
use crate::backend::{Backend, Kernel, ReadOnly};
use crate::ipvs::kernel::KernelBackend;
use crate::ipvs::procfs::ProcBackend;
use crate::operation::audit::AuditLog;
use std::path::PathBuf;
use std::rc::Rc;

#[derive(Debug, Clone, Default)]
pub struct AgentOptions {
    /// Refuse every change, whatever the client asks.
    pub read_only: bool,
    /// Serve the simulator (the console's demo) instead of this host.
    pub demo: bool,
    pub audit_log: Option<PathBuf>,
}

/// Serves until standard input ends; returns the exit status.
pub fn run(options: AgentOptions) -> i32 {
    // A client that goes away must not kill the agent mid-change with SIGPIPE: a write to the
    // closed pipe fails instead, and the agent ends after what is in flight.
    // SAFETY: ignoring a signal has no preconditions; no thread exists yet.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let Some(runtime) = crate::sys::runtime() else {
        return 1;
    };
    let status = runtime.block_on(async {
        let (backend, conns, forced_read_only) = director(options.demo).await;
        let log = options
            .audit_log
            .map_or_else(AuditLog::default_for_this_user, AuditLog::at);
        let agent = Agent::new(backend, conns, options.read_only || forced_read_only, log);
        match agent.serve(tokio::io::stdin(), tokio::io::stdout()).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("ipvs-tui agent: {e}");
                1
            }
        }
    });
    // Standard input is read on a blocking thread that may still wait for a line.
    runtime.shutdown_background();
    status
}

/// The director to serve, where to read its connections, and whether it can only be read.
async fn director(demo: bool) -> (Rc<dyn Backend>, ConnsFrom, bool) {
    if demo {
        let (director, sim) = crate::backend::sim::demo(1);
        return (Rc::new(director), ConnsFrom::Sim(sim), false);
    }
    let conns = ConnsFrom::File(crate::ipvs::conns::IP_VS_CONN.into());
    let attempt = KernelBackend::connect().await;
    let denied = match &attempt {
        Ok(b) => matches!(b.snapshot().await, Err(crate::ipvs::Error::Permission)),
        Err(e) => *e == crate::ipvs::Error::Permission,
    };
    if denied && let Ok(proc) = ProcBackend::open().await {
        return (Rc::new(ReadOnly(proc)), conns, true);
    }
    (Rc::new(Kernel::after(attempt)), conns, false)
}
