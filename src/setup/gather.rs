//! Gathering the doctor's facts from a director: links, routes and sysctls, the IPVS table, and
//! on this host (not a simulated one) the firewall rules and a short TCP connect to each real
//! server.

use super::doctor::{Finding, diagnose};
use super::facts::{Facts, FirewallRules, Probe};
use super::role::Role;
use crate::backend::Backend;
use crate::host::HostError;
use crate::ipvs;
use crate::ipvs::model::{Protocol, Snapshot};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// How long a TCP probe of a real server may take.
pub const PROBE_TIMEOUT: Duration = Duration::from_millis(1500);

/// What the doctor says on a director elsewhere, whose real servers and firewall this host's
/// probes would not see as the director does.
pub const SKIPPED_ELSEWHERE: &str = "real-server probes and the firewall check skipped: run from the director (`ipvs-tui doctor` there)";

/// What the user told the doctor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ask {
    pub role: Option<Role>,
    pub vip: Option<IpAddr>,
    pub director: Option<IpAddr>,
}

/// Why the doctor could not gather its facts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatherError {
    #[error("cannot read the IPVS table: {0}")]
    Ipvs(#[source] ipvs::Error),
    #[error("cannot read the host's links, routes and sysctls: {0}")]
    Host(#[source] HostError),
}

/// Reads everything the checks need from `director`. `ipvs` is its table, or why it could not be
/// read (on a real server without IPVS that is fine: it has no table to check). Real servers are
/// probed and the firewall read only on the live host: a simulated one's servers are imaginary.
pub async fn gather(
    director: &dyn Backend,
    ask: Ask,
    ipvs: ipvs::Result<Snapshot>,
) -> Result<Facts, GatherError> {
    let host = director.host().await.map_err(GatherError::Host)?;
    let ipvs = match ipvs {
        Ok(s) => s,
        Err(e) if ask.role.is_some_and(|r| r.is_director()) => {
            return Err(GatherError::Ipvs(e));
        }
        Err(_) => Snapshot::default(),
    };
    let live = director.is_live();
    let probes = if live {
        probe_all(&ipvs).await
    } else {
        Vec::new()
    };
    let firewall = if live {
        firewall_rules().await
    } else {
        Vec::new()
    };
    Ok(Facts {
        role: ask.role,
        vip: ask.vip,
        director: ask.director,
        host,
        ipvs,
        firewall,
        probes,
        ipip: live && std::path::Path::new("/sys/module/ipip").exists(),
    })
}

/// The doctor's findings on `director`'s table and host, told `ask` (the console's doctor pane):
/// a table that cannot be read is an error here, the console being on a director.
pub async fn findings(director: &dyn Backend, ask: &Ask) -> Result<Vec<Finding>, GatherError> {
    let ipvs = director.snapshot().await.map_err(GatherError::Ipvs)?;
    Ok(diagnose(&gather(director, ask.clone(), Ok(ipvs)).await?))
}

/// True when the ip_vs module is loaded (or built in): its table is listed in /proc/net. Asking the
/// kernel's IPVS family otherwise would load the module, which a real server need not have.
pub fn ipvs_loaded() -> bool {
    std::path::Path::new("/proc/net/ip_vs").exists()
}

/// One TCP connect to each real server of each TCP service, all at once.
pub async fn probe_all(ipvs: &Snapshot) -> Vec<Probe> {
    let mut targets: Vec<(IpAddr, u16)> = ipvs
        .services
        .iter()
        .filter(|s| s.config.key.protocol() == Some(Protocol::Tcp))
        .flat_map(|s| s.dests.iter().map(|d| (d.config.addr, d.config.port)))
        .filter(|(_, port)| *port != 0)
        .collect();
    targets.sort();
    targets.dedup();
    futures::future::join_all(targets.into_iter().map(|(addr, port)| async move {
        let connect = tokio::net::TcpStream::connect(SocketAddr::new(addr, port));
        let error = match tokio::time::timeout(PROBE_TIMEOUT, connect).await {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some(format!("no answer within {} ms", PROBE_TIMEOUT.as_millis())),
        };
        Probe { addr, port, error }
    }))
    .await
}

/// `nft list ruleset`, else `iptables-save`; None when neither runs.
pub async fn firewall_rules() -> Vec<FirewallRules> {
    // nft shows the nf_tables rules, those iptables-nft made included; the legacy x_tables are
    // apart (an older Docker, an admin's iptables-legacy) and only their own tools show them.
    // Without nft, iptables-save is whichever backend this host has.
    let nft = run("nft", &["list", "ruleset"]).await;
    let others = match nft {
        Some(_) => [
            ("iptables-legacy", "iptables-legacy-save"),
            ("ip6tables-legacy", "ip6tables-legacy-save"),
        ],
        None => [
            ("iptables", "iptables-save"),
            ("ip6tables", "ip6tables-save"),
        ],
    };
    let mut texts = vec![("nft", nft)];
    for (tool, program) in others {
        texts.push((tool, run(program, &[]).await));
    }
    texts
        .into_iter()
        .filter_map(|(tool, text)| {
            text.filter(|t| !t.trim().is_empty())
                .map(|text| FirewallRules {
                    tool: tool.to_string(),
                    text,
                })
        })
        .collect()
}

/// What `program` prints; None when it is missing or fails.
async fn run(program: &str, args: &[&str]) -> Option<String> {
    let out = tokio::process::Command::new(program)
        .args(args)
        .output()
        .await
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
