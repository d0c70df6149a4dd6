//! Checks on a real server: the VIP on lo (DR) or tunl0 (TUN) and nowhere else, the ARP
//! sysctls, rp_filter, the ipip tunnel; and a NAT real server's gateway.

use super::{Finding, Severity};
use crate::host::HostOp;
use crate::host::sysctl::effective;
use crate::operation::Operation;
use crate::setup::facts::Facts;
use crate::setup::net::{self, conf};
use crate::setup::plan::sysctl_needs;
use crate::setup::role::Role;
use std::net::IpAddr;

pub fn check(facts: &Facts, role: Role) -> Vec<Finding> {
    let mut out = Vec::new();
    let dev = if role == Role::DrRealServer {
        "lo"
    } else {
        "tunl0"
    };
    if role == Role::TunRealServer && !tunnel(facts, &mut out) {
        return out;
    }
    let mut vips = facts.real_server_vips(dev);
    if let Some(vip) = facts.vip
        && !vips.contains(&vip)
    {
        vips.push(vip);
    }
    for vip in vips.iter().copied() {
        vip_placement(facts, role, dev, vip, &mut out);
    }
    // The interfaces that could answer ARP for the VIP: every up interface with an IPv4 address.
    let faces: Vec<&str> = facts
        .host
        .links
        .iter()
        .filter(|l| {
            l.up && l.name != "lo" && l.name != "tunl0" && l.addrs.iter().any(|a| a.addr.is_ipv4())
        })
        .map(|l| l.name.as_str())
        .collect();
    let needs = sysctl_needs(role, None, None);
    for (key, min_ok) in [("arp_ignore", 1), ("arp_announce", 2)] {
        let weak: Vec<String> = faces
            .iter()
            .filter_map(|f| {
                effective(&facts.host.sysctls, key, f)
                    .filter(|v| *v < min_ok)
                    .map(|v| format!("{f} ({v})"))
            })
            .collect();
        if weak.is_empty() {
            continue;
        }
        let fix: Vec<Operation> = needs
            .iter()
            .filter(|n| n.name.ends_with(key) && !n.is_met(&facts.host))
            .map(|n| n.fix())
            .collect();
        let why = needs
            .iter()
            .find(|n| n.name.ends_with(key))
            .map_or("", |n| n.why);
        out.push(
            Finding::new(
                Severity::Error,
                if key == "arp_ignore" {
                    "arp_ignore"
                } else {
                    "arp_announce"
                },
                format!(
                    "{key} is below {min_ok} on {}, on a {role}",
                    weak.join(", ")
                ),
                why,
            )
            .fix(fix),
        );
    }
    if role == Role::TunRealServer {
        if let Some(v) = effective(&facts.host.sysctls, "rp_filter", "tunl0").filter(|v| *v != 0) {
            let fix = needs
                .iter()
                .filter(|n| n.name.ends_with("rp_filter") && !n.is_met(&facts.host))
                .map(|n| n.fix())
                .collect();
            let why = needs
                .iter()
                .find(|n| n.name.ends_with("rp_filter"))
                .map_or("", |n| n.why);
            out.push(
                Finding::new(
                    Severity::Error,
                    "rp_filter",
                    format!(
                        "rp_filter is {v} on tunl0 (the larger of {} and {})",
                        conf("all", "rp_filter"),
                        conf("tunl0", "rp_filter")
                    ),
                    why,
                )
                .fix(fix),
            );
        }
    } else {
        for f in &faces {
            if effective(&facts.host.sysctls, "rp_filter", f) == Some(1) {
                out.push(Finding::new(Severity::Hint, "rp_filter", format!("rp_filter is strict (1) on {f}"), "strict reverse-path filtering drops requests to the VIP if the way back to a client leaves by another interface")
                    .fix(vec![Operation::Host(HostOp::SetSysctl { name: conf("all", "rp_filter"), value: "2".into() }), Operation::Host(HostOp::SetSysctl { name: conf(f, "rp_filter"), value: "2".into() })]));
            }
        }
    }
    out
}

/// The VIP must be on `dev` and on no real interface (else this server answers ARP for it).
fn vip_placement(facts: &Facts, role: Role, dev: &str, vip: IpAddr, out: &mut Vec<Finding>) {
    let holders = net::links_with_addr(&facts.host, vip);
    if !holders.iter().any(|l| l.name == dev) {
        let label = (dev == "lo").then(|| "lo:0".to_string());
        out.push(
            Finding::new(Severity::Error, if dev == "lo" { "vip_missing_on_lo" } else { "vip_missing_on_tunl0" }, format!("the VIP {vip} is not on {dev}, on a {role}"), format!("the director forwards packets addressed to the VIP; without the VIP on {dev} this server drops them"))
                .fix(vec![Operation::Host(HostOp::AddAddr { dev: dev.to_string(), addr: vip, prefix: net::host_prefix(vip), label })]),
        );
    }
    // lo and tunl0 answer no ARP themselves (that is arp_ignore's business): only real interfaces.
    for l in holders
        .iter()
        .filter(|l| l.name != dev && l.name != "lo" && l.name != "tunl0")
    {
        let prefix = l
            .addrs
            .iter()
            .find(|a| a.addr == vip)
            .map_or(net::host_prefix(vip), |a| a.prefix);
        out.push(
            Finding::new(Severity::Error, "vip_on_real_interface", format!("the VIP {vip} is bound on {}, on a {role}", l.name), "this server then answers ARP for the VIP and takes the clients' traffic away from the director")
                .fix(vec![Operation::Host(HostOp::DelAddr { dev: l.name.clone(), addr: vip, prefix })]),
        );
    }
}

/// The ipip module and tunl0; false when they are missing (the rest cannot be checked).
fn tunnel(facts: &Facts, out: &mut Vec<Finding>) -> bool {
    let tunl0 = net::link(&facts.host, "tunl0");
    if !facts.ipip && tunl0.is_none() {
        out.push(
            Finding::new(
                Severity::Error,
                "ipip_missing",
                "the ipip module is not loaded and there is no tunl0, on a tun-real-server"
                    .to_string(),
                "LVS-TUN real servers receive IP-in-IP packets; without ipip they are dropped",
            )
            .advice("modprobe ipip (and add ipip to /etc/modules-load.d/ to keep it)"),
        );
        return false;
    }
    match tunl0 {
        None => {
            out.push(
                Finding::new(
                    Severity::Error,
                    "tunl0_missing",
                    "there is no tunl0 interface, on a tun-real-server".to_string(),
                    "the kernel decapsulates LVS-TUN packets on tunl0",
                )
                .advice("modprobe ipip creates it"),
            );
            false
        }
        Some(l) if !l.up => {
            out.push(
                Finding::new(
                    Severity::Error,
                    "tunl0_down",
                    "tunl0 is down, on a tun-real-server".to_string(),
                    "a down tunl0 decapsulates nothing",
                )
                .fix(vec![Operation::Host(HostOp::SetLinkUp {
                    link: "tunl0".into(),
                })]),
            );
            true
        }
        Some(_) => true,
    }
}

/// A NAT real server: the default gateway must be the director's inside address.
pub fn check_nat(facts: &Facts) -> Vec<Finding> {
    let Some(director) = facts.director else {
        return vec![
            Finding::new(
                Severity::Hint,
                "nat_gateway",
                "the director's inside address is not known".to_string(),
                "a NAT real server's default gateway must be the director",
            )
            .advice("pass --director ADDRESS"),
        ];
    };
    let why = "replies must go back through the director, which rewrites their source to the VIP; replies that bypass it are dropped by the clients";
    let fix = vec![Operation::Host(HostOp::ReplaceDefaultRoute {
        via: director,
        dev: None,
    })];
    match net::default_gateway(&facts.host, director) {
        Some(gw) if gw == director => Vec::new(),
        Some(gw) => vec![
            Finding::new(
                Severity::Error,
                "nat_gateway",
                format!("the default gateway is {gw}, not the director {director}"),
                why,
            )
            .fix(fix),
        ],
        None => vec![
            Finding::new(
                Severity::Error,
                "nat_gateway",
                format!("there is no default route; it must be the director {director}"),
                why,
            )
            .fix(fix),
        ],
    }
}
