//! `ipvs-tui keepalived [--json]`: what the keepalived of this network namespace says (VRRP
//! instances, virtual and real servers with their checker health) beside the kernel's table,
//! and the drift between the two. Exit 1 when no keepalived runs.

use super::commands::{EXIT_FAILED, Failure};
use super::on::On;
use crate::backend::Backend;
use crate::owners::keepalived::process::FindError;
use crate::owners::keepalived::reader::{DEFAULT_TIMEOUT, KeepalivedState, ReadError, Reader};
use crate::owners::{OwnersView, analyse, view::health};
use serde_json::{Value, json};

pub async fn run(json: bool, pid: Option<i32>, on: &On) -> Result<(), Failure> {
    let read = match on {
        On::Here => Reader::new(pid, DEFAULT_TIMEOUT).read().await,
        On::There(r) => r.keepalived(pid).await?,
    };
    let state = match read {
        Ok(state) => state,
        Err(ReadError::Find(FindError::NotRunning)) => {
            eprintln!("ipvs-tui: no keepalived runs in this network namespace");
            return Err(Failure::Reported(EXIT_FAILED));
        }
        Err(e) => {
            eprintln!("ipvs-tui: keepalived: {e}");
            return Err(Failure::Reported(EXIT_FAILED));
        }
    };
    let kernel = on.ipvs().await?;
    let snapshot = kernel.snapshot().await?;
    let host = kernel.host().await.map_err(Failure::Host)?;
    let view = analyse(&snapshot, &host, Some(&state));
    if json {
        let out = to_json(&state, &snapshot, &view);
        println!(
            "{}",
            serde_json::to_string_pretty(&out).expect("plain data")
        );
    } else {
        print!("{}", text(&state, &snapshot, &view));
    }
    Ok(())
}

/// The virtual servers with each real server's health (keepalived's verdict and weight beside
/// the kernel's weight), the VRRP instances, the drift, and where it was all read.
pub fn to_json(
    state: &KeepalivedState,
    snapshot: &crate::ipvs::model::Snapshot,
    view: &OwnersView,
) -> Value {
    let vss: Vec<Value> = state
        .check
        .iter()
        .flat_map(|c| &c.virtual_servers)
        .map(|vs| {
            let key = vs.key.service_key();
            let kernel = key.as_ref().and_then(|k| snapshot.service(k));
            let rss: Vec<Value> = vs
                .real_servers
                .iter()
                .map(|rs| {
                    let dest = kernel.and_then(|s| {
                        s.dests
                            .iter()
                            .find(|d| d.config.addr == rs.addr && d.config.port == rs.port)
                    });
                    let h = key
                        .as_ref()
                        .and_then(|k| health(state.check.as_ref()?, k, rs.addr, rs.port, dest));
                    json!({
                        "addr": rs.addr, "port": rs.port, "alive": rs.alive,
                        "failed_checkers": rs.failed_checkers, "checkers": rs.checkers,
                        "weight": rs.weight, "keepalived_weight": rs.effective_weight,
                        "kernel_weight": h.and_then(|h| h.kernel_weight),
                        "in_kernel": dest.is_some(),
                    })
                })
                .collect();
            json!({
                "key": vs.key, "service": key.map(|k| k.to_string()), "in_kernel": kernel.is_some(),
                "scheduler": vs.scheduler, "forward": vs.forward, "quorum_up": vs.quorum_up,
                "real_servers": rss,
            })
        })
        .collect();
    let drift: Vec<Value> = view
        .drift
        .iter()
        .map(|d| {
            let mut v = serde_json::to_value(d).expect("plain data");
            v["what"] = d.what().into();
            v["keepalived_will"] = d.keepalived_will().into();
            v
        })
        .collect();
    json!({
        "keepalived": {
            "pid": state.process.pid, "config": state.process.config,
            "read_at": state.read_at, "files": state.files,
            "router_id": state.check.as_ref().and_then(|c| c.router_id.clone())
                .or_else(|| state.vrrp.as_ref().and_then(|v| v.router_id.clone())),
        },
        "vrrp": view.vrrp,
        "virtual_servers": vss,
        "drift": drift,
    })
}

fn text(
    state: &KeepalivedState,
    snapshot: &crate::ipvs::model::Snapshot,
    view: &OwnersView,
) -> String {
    let files: Vec<String> = state
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    let mut out = format!(
        "keepalived pid {} ({}), read {} from {}\n",
        state.process.pid,
        state.process.config.display(),
        state.read_at,
        files.join(", ")
    );
    if !view.vrrp.is_empty() {
        out += "VRRP instances\n";
    }
    for vi in &view.vrrp {
        let opt = |v: Option<String>| v.unwrap_or_else(|| "?".into());
        out += &format!(
            "  {} {} priority {} vrid {} on {}{}{}\n",
            vi.name,
            vi.state,
            opt(vi.effective_priority.map(|p| p.to_string())),
            opt(vi.vrid.map(|v| v.to_string())),
            opt(vi.interface.clone()),
            vi.master_router
                .map(|m| format!(", master {m}"))
                .unwrap_or_default(),
            vi.last_transition
                .map(|t| format!(", since {t}"))
                .unwrap_or_default(),
        );
    }
    for vs in state.check.iter().flat_map(|c| &c.virtual_servers) {
        let key = vs.key.service_key();
        let kernel = key.as_ref().and_then(|k| snapshot.service(k));
        out += &format!(
            "{}{}{}\n",
            vs.key,
            vs.scheduler
                .as_deref()
                .map(|s| format!(" {s}"))
                .unwrap_or_default(),
            if kernel.is_none() {
                "  (not in the kernel)"
            } else {
                ""
            }
        );
        for rs in &vs.real_servers {
            let dest = kernel.and_then(|s| {
                s.dests
                    .iter()
                    .find(|d| d.config.addr == rs.addr && d.config.port == rs.port)
            });
            let kernel_weight = dest.map_or("absent".to_string(), |d| d.config.weight.to_string());
            out += &format!(
                "  -> {}  {}  {}/{} checkers failed  weight {} (kernel {kernel_weight})\n",
                std::net::SocketAddr::new(rs.addr, rs.port),
                if rs.alive { "alive" } else { "DEAD" },
                rs.failed_checkers,
                rs.checkers.len(),
                rs.effective_weight,
            );
        }
    }
    if view.drift.is_empty() {
        out += "no drift: the kernel's table is keepalived's\n";
    } else {
        out += "drift\n";
    }
    for d in &view.drift {
        out += &format!("  {}\n    {}\n", d.what(), d.keepalived_will());
    }
    out
}
