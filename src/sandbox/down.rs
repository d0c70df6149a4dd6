//! Removing a sandbox, found by its names alone (so a crashed `up` is cleaned too): the
//! processes living in its namespaces are stopped, then the namespaces deleted, which takes
//! their links, addresses, routes and IPVS tables with them. `status` says what is there.

use super::space::{self, Found};
use super::topology::Lab;
use super::{SandboxError, need_root, up};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::time::{Duration, Instant};

/// `ipvs-tui sandbox down`.
pub fn down() -> Result<(), SandboxError> {
    need_root()?;
    let names = space::existing();
    if names.is_empty() {
        println!("sandbox: nothing to remove (no network namespace named ipvstui-sb-*)");
        return Ok(());
    }
    match remove(&names, true) {
        0 => {
            println!("sandbox: removed");
            Ok(())
        }
        _ => Err(SandboxError::Partial(space::existing())),
    }
}

/// Removes the namespaces `names` and whatever runs in them; how many could not be removed.
pub(super) fn remove(names: &[String], loud: bool) -> usize {
    let mut failed = 0;
    for ns in names {
        let stopped = stop_processes(ns);
        if loud && stopped > 0 {
            println!("  stopped {stopped} process(es) in {ns}");
        }
        let args = ["netns".to_string(), "del".to_string(), ns.clone()];
        match space::ip(&args) {
            Ok(()) if loud => println!("  ip netns del {ns}"),
            Ok(()) => {}
            Err(e) => {
                eprintln!("ipvs-tui: sandbox: {e}");
                failed += 1;
            }
        }
    }
    failed
}

/// SIGTERM to every process in `ns`, SIGKILL to those still there a second later; how many.
fn stop_processes(ns: &str) -> usize {
    let pids = space::pids_in(ns);
    for &pid in &pids {
        let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
    }
    let start = Instant::now();
    while !space::pids_in(ns).is_empty() {
        if start.elapsed() > Duration::from_secs(1) {
            for pid in space::pids_in(ns) {
                let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            }
            std::thread::sleep(Duration::from_millis(100));
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    pids.len()
}

/// `ipvs-tui sandbox status`: the lab that is up, with its guide; an error for pieces.
pub fn status() -> Result<(), SandboxError> {
    match space::judge(&space::existing()) {
        Found::Nothing => {
            println!("sandbox: none is up");
            Ok(())
        }
        Found::Up(kind) => {
            print!("{}", up::guide(&Lab::of(kind)));
            Ok(())
        }
        Found::Partial(names) => Err(SandboxError::Partial(names)),
    }
}
