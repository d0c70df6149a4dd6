//! Checks on a director: forwarding, VIPs bound, real servers present, reachable and placed
//! where the forwarding method needs them, sync daemons.

use super::{Finding, Severity};
use crate::host::HostOp;
use crate::ipvs::model::{AddrPort, Forward, Protocol, ServiceKey, SyncState};
use crate::operation::Operation;
use crate::setup::facts::Facts;
use crate::setup::net;
use crate::setup::plan::sysctl_needs;
use crate::setup::role::Role;

pub fn check(facts: &Facts, roles: &[Role]) -> Vec<Finding> {
    let mut out = Vec::new();
    if roles.contains(&Role::NatDirector) {
        ip_forward(facts, &mut out);
    }
    for service in &facts.ipvs.services {
        let key = service.config.key;
        if let ServiceKey::Addr { addr: vip, .. } = key
            && net::links_with_addr(&facts.host, vip).is_empty()
        {
            out.push(vip_not_bound(facts, &key, vip));
        }
        if service.dests.is_empty() {
            out.push(Finding::new(
                Severity::Error,
                "no_real_server",
                format!("service {key} has no real server"),
                "every connection to it is refused",
            ));
        } else if service.has_no_available_dest() {
            out.push(
                Finding::new(
                    Severity::Warning,
                    "all_weight_zero",
                    format!("every real server of service {key} has weight 0"),
                    "weight 0 takes no new connection: new clients are refused",
                )
                .advice(format!(
                    "give one a weight: ipvs-tui or ipvsadm -e {key} -r ADDR -w 1"
                )),
            );
        }
        let vip = match key {
            ServiceKey::Addr { addr, .. } => Some(addr),
            ServiceKey::Fwmark { .. } => None,
        };
        for dest in &service.dests {
            let d = &dest.config;
            let at = AddrPort(d.addr, d.port);
            match d.forward {
                Forward::Route if net::connected_link(&facts.host, d.addr, vip).is_none() => out.push(
                    Finding::new(Severity::Error, "real_server_not_on_link", format!("real server {at} of {key} (DR) is not on a subnet directly connected to this director"), "LVS-DR only rewrites the MAC address, so the director must reach the real server on a shared link; these packets go nowhere")
                        .advice("put the real server on the director's subnet, or forward to it by tunnel (-i)"),
                ),
                Forward::Masq if !net::routed_without_default(&facts.host, d.addr, vip) => out.push(
                    Finding::new(Severity::Error, "real_server_no_route", format!("real server {at} of {key} (NAT) is on a subnet this director has no route to (only the default route)"), "a NAT director must reach its real servers on an inside network, and be their gateway")
                        .advice(format!("connect the director to {}'s subnet, or add a route to it", d.addr)),
                ),
                _ => {}
            }
        }
    }
    probes(facts, &mut out);
    sync_daemons(facts, &mut out);
    out
}

fn ip_forward(facts: &Facts, out: &mut Vec<Finding>) {
    let vip = facts.ipvs.services.iter().find_map(|s| match s.config.key {
        ServiceKey::Addr { addr, .. } => Some(addr),
        ServiceKey::Fwmark { .. } => None,
    });
    for need in sysctl_needs(Role::NatDirector, vip, None) {
        if !need.is_met(&facts.host) {
            let now = facts
                .host
                .sysctls
                .get(&need.name)
                .map_or("unknown".to_string(), |v| v.clone());
            out.push(
                Finding::new(
                    Severity::Error,
                    "ip_forward_off",
                    format!("{} is {now} on a NAT director", need.name),
                    need.why,
                )
                .fix(vec![need.fix()]),
            );
        }
    }
}

fn vip_not_bound(facts: &Facts, key: &ServiceKey, vip: std::net::IpAddr) -> Finding {
    let finding = Finding::new(
        Severity::Error,
        "vip_not_bound",
        format!("the VIP {vip} of service {key} is bound on no interface of this host"),
        "nobody answers ARP for the VIP, so clients' packets never reach the director",
    );
    match net::connected_link(&facts.host, vip, None) {
        Some(link) => finding.fix(vec![Operation::Host(HostOp::AddAddr {
            dev: link.name.clone(),
            addr: vip,
            prefix: net::host_prefix(vip),
            label: None,
        })]),
        None => finding.advice(format!(
            "bind it on the interface the clients reach: ip addr add {vip}/{} dev IFACE",
            net::host_prefix(vip)
        )),
    }
}

/// The TCP connects made from this host. A NAT real server must answer on its own address; a
/// DR/TUN one may listen on the VIP only, so there a failed probe is a warning.
fn probes(facts: &Facts, out: &mut Vec<Finding>) {
    for service in &facts.ipvs.services {
        if service.config.key.protocol() != Some(Protocol::Tcp) {
            continue;
        }
        for dest in &service.dests {
            let d = &dest.config;
            let Some(probe) = facts
                .probes
                .iter()
                .find(|p| p.addr == d.addr && p.port == d.port)
            else {
                continue;
            };
            let Some(error) = &probe.error else { continue };
            let at = AddrPort(d.addr, d.port);
            let key = service.config.key;
            let finding = if d.forward == Forward::Masq {
                Finding::new(
                    Severity::Error,
                    "real_server_unreachable",
                    format!(
                        "real server {at} of {key} does not answer a TCP connect from this director: {error}"
                    ),
                    "the director sends it connections it cannot take",
                )
            } else {
                Finding::new(
                    Severity::Warning,
                    "real_server_unreachable",
                    format!(
                        "real server {at} of {key} does not answer a TCP connect from this director: {error}"
                    ),
                    "it may be down or its port closed (a DR/TUN server listening only on the VIP also refuses this probe)",
                )
            };
            out.push(finding.advice(format!(
                "start the service on {at}, or set its weight to 0 until it is up"
            )));
        }
    }
}

fn sync_daemons(facts: &Facts, out: &mut Vec<Finding>) {
    let has = |state| facts.ipvs.daemons.iter().find(|d| d.state == state);
    match (has(SyncState::Master), has(SyncState::Backup)) {
        (Some(m), None) => out.push(Finding::new(
            Severity::Hint,
            "sync_one_side",
            format!("a master sync daemon runs (syncid {}, {}) but no backup on this host", m.sync_id, m.mcast_ifn),
            "connections survive a failover only if the standby director runs a backup daemon with the same syncid",
        ).advice(format!("on the standby director: ipvsadm --start-daemon backup --mcast-interface IFACE --syncid {}", m.sync_id))),
        (None, Some(b)) => out.push(Finding::new(
            Severity::Hint,
            "sync_one_side",
            format!("a backup sync daemon runs (syncid {}, {}) but no master on this host", b.sync_id, b.mcast_ifn),
            "it receives connections only from an active director running a master daemon with the same syncid",
        ).advice(format!("on the active director: ipvsadm --start-daemon master --mcast-interface IFACE --syncid {}", b.sync_id))),
        _ => {}
    }
}
