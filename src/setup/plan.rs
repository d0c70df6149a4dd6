//! From a checked plan and the state of this host to the Operations that make the plan true:
//! only what is not already in place, so running a plan twice changes nothing the second time.

use super::net::{self, conf};
use super::plan_file::{Plan, PlanError, vip_device};
use super::role::Role;
use crate::host::{HostOp, HostState};
use crate::ipvs::IpvsOp;
use crate::ipvs::model::{AddrPort, Snapshot};
use crate::operation::Operation;
use std::net::IpAddr;

/// A sysctl a role needs: the value to set, and which values already do the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SysctlNeed {
    pub name: String,
    pub value: &'static str,
    pub accepts: &'static [i64],
    /// Why the role needs it, in words (the doctor says it too).
    pub why: &'static str,
}

const ARP_IGNORE_WHY: &str = "with arp_ignore 0 the real server answers ARP for the VIP it holds on lo/tunl0, so clients may send to it instead of the director";
const ARP_ANNOUNCE_WHY: &str = "with arp_announce below 2 the real server may use the VIP as the source of its ARP requests and poison its neighbours' caches";

/// The sysctls `role` needs on this machine; `interface` is the one facing the clients.
pub fn sysctl_needs(role: Role, vip: Option<IpAddr>, interface: Option<&str>) -> Vec<SysctlNeed> {
    let need = |name: String, value, accepts, why| SysctlNeed {
        name,
        value,
        accepts,
        why,
    };
    let mut needs = Vec::new();
    match role {
        Role::NatDirector => {
            let name = if vip.is_some_and(|v| v.is_ipv6()) {
                "net.ipv6.conf.all.forwarding"
            } else {
                "net.ipv4.ip_forward"
            };
            needs.push(need(name.to_string(), "1", &[1], "a NAT director routes the replies of the real servers back to the clients; without forwarding they are dropped"));
        }
        Role::DrRealServer | Role::TunRealServer => {
            let mut devs = vec!["all", "lo"];
            devs.extend(interface.filter(|i| *i != "lo"));
            for dev in &devs {
                needs.push(need(conf(dev, "arp_ignore"), "1", &[1, 2], ARP_IGNORE_WHY));
                needs.push(need(conf(dev, "arp_announce"), "2", &[2], ARP_ANNOUNCE_WHY));
            }
            if role == Role::DrRealServer {
                for dev in ["all"].into_iter().chain(interface.filter(|i| *i != "lo")) {
                    need_rp(
                        &mut needs,
                        dev,
                        "2",
                        &[0, 2],
                        "strict rp_filter (1) drops requests to the VIP when the way back to the client leaves by another interface; loose (2) keeps the check without that risk",
                    );
                }
            } else {
                for dev in ["all", "tunl0"] {
                    need_rp(
                        &mut needs,
                        dev,
                        "0",
                        &[0],
                        "packets come out of tunl0 with the client's address, which is not routed via tunl0, so any rp_filter on tunl0 or all drops them",
                    );
                }
            }
        }
        _ => {}
    }
    needs
}

fn need_rp(
    needs: &mut Vec<SysctlNeed>,
    dev: &str,
    value: &'static str,
    accepts: &'static [i64],
    why: &'static str,
) {
    needs.push(SysctlNeed {
        name: conf(dev, "rp_filter"),
        value,
        accepts,
        why,
    });
}

impl SysctlNeed {
    pub fn is_met(&self, host: &HostState) -> bool {
        net::sysctl_num(host, &self.name).is_some_and(|v| self.accepts.contains(&v))
    }

    pub fn fix(&self) -> Operation {
        Operation::Host(HostOp::SetSysctl {
            name: self.name.clone(),
            value: self.value.to_string(),
        })
    }
}

/// The Operations that bring this host to `plan`, or every reason the plan cannot apply here.
pub fn plan_operations(
    plan: &Plan,
    host: &HostState,
    ipvs: &Snapshot,
) -> Result<Vec<Operation>, Vec<PlanError>> {
    let errors = check_against_host(plan, host);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut ops: Vec<Operation> = sysctl_needs(plan.role, plan.vip, plan.interface.as_deref())
        .iter()
        .filter(|n| !n.is_met(host))
        .map(SysctlNeed::fix)
        .collect();
    if let Some(vip) = plan.vip {
        let dev = vip_device(plan.role, plan.interface.as_deref());
        if net::link(host, dev).is_some_and(|l| !l.addrs.iter().any(|a| a.addr == vip)) {
            let op = HostOp::AddAddr {
                dev: dev.to_string(),
                addr: vip,
                prefix: plan.prefix,
                label: plan.label.clone(),
            };
            ops.push(Operation::Host(op));
        }
    }
    for s in &plan.services {
        let existing = ipvs.service(&s.config.key);
        match existing {
            None => ops.push(Operation::Ipvs(IpvsOp::AddService(s.config.clone()))),
            Some(have) => {
                let want = crate::ipvs::model::ServiceConfig {
                    scheduler: s.config.scheduler.clone(),
                    persistence: s.config.persistence,
                    ..have.config.clone()
                };
                if want != have.config {
                    ops.push(Operation::Ipvs(IpvsOp::EditService(want)));
                }
            }
        }
        for rs in &s.real_servers {
            let have =
                existing.and_then(|e| e.dests.iter().find(|d| d.config.key() == rs.dest.key()));
            let service = s.config.key;
            match have {
                None => ops.push(Operation::Ipvs(IpvsOp::AddDest {
                    service,
                    dest: rs.dest,
                })),
                Some(d)
                    if d.config.forward != rs.dest.forward || d.config.weight != rs.dest.weight =>
                {
                    let dest = crate::ipvs::model::DestConfig {
                        forward: rs.dest.forward,
                        weight: rs.dest.weight,
                        ..d.config
                    };
                    ops.push(Operation::Ipvs(IpvsOp::EditDest { service, dest }));
                }
                Some(_) => {}
            }
        }
    }
    Ok(ops)
}

/// What the plan needs of this host that no Operation can give: every problem, with its line.
fn check_against_host(plan: &Plan, host: &HostState) -> Vec<PlanError> {
    let mut errors = Vec::new();
    let mut err = |line: Option<usize>, message: String| errors.push(PlanError { line, message });
    let names: Vec<&str> = host.links.iter().map(|l| l.name.as_str()).collect();
    if let Some(dev) = &plan.interface
        && net::link(host, dev).is_none()
    {
        err(
            plan.lines.interface,
            format!(
                "interface \"{dev}\": no such interface on this host (here: {})",
                names.join(", ")
            ),
        );
    }
    if plan.role == Role::TunRealServer {
        match net::link(host, "tunl0") {
            None => err(Some(plan.lines.role), "tunl0 does not exist: load the ipip module (modprobe ipip), then run the plan again".to_string()),
            Some(l) if !l.up => err(Some(plan.lines.role), "tunl0 is down: bring it up (ip link set tunl0 up), then run the plan again".to_string()),
            Some(_) => {}
        }
    }
    if let Some(vip) = plan.vip {
        let dev = vip_device(plan.role, plan.interface.as_deref());
        // A real server's VIP on lo or tunl0 answers no ARP by itself: only real interfaces count.
        let harmless = |name: &str| !plan.role.is_director() && (name == "lo" || name == "tunl0");
        for l in net::links_with_addr(host, vip) {
            if l.name != dev && !harmless(&l.name) {
                let why = if plan.role.is_director() {
                    ""
                } else {
                    ": a real server holding it on a real interface answers ARP for it and steals the director's traffic"
                };
                err(
                    plan.lines.vip,
                    format!(
                        "vip {vip} is already bound on {}, not {dev}{why}; remove it there (ip addr del {vip}/{} dev {}) first",
                        l.name,
                        l.addrs
                            .iter()
                            .find(|a| a.addr == vip)
                            .map_or(net::host_prefix(vip), |a| a.prefix),
                        l.name
                    ),
                );
            }
        }
    }
    for s in &plan.services {
        for rs in &s.real_servers {
            let at = AddrPort(rs.dest.addr, rs.dest.port);
            match plan.role {
                Role::DrDirector if net::connected_link(host, rs.dest.addr, plan.vip).is_none() => {
                    err(
                        Some(rs.line),
                        format!(
                            "real server {at}: not on a subnet directly connected to this director; LVS-DR rewrites only the MAC address, so real servers must share a link with it (use LVS-TUN across routers)"
                        ),
                    )
                }
                Role::NatDirector if !net::routed_without_default(host, rs.dest.addr, plan.vip) => {
                    err(
                        Some(rs.line),
                        format!(
                            "real server {at}: this director has no route to it other than the default route; a NAT director must reach its real servers on an inside network"
                        ),
                    )
                }
                _ => {}
            }
        }
    }
    if plan.role == Role::NatRealServer
        && let Some(director) = plan.director
        && net::connected_link(host, director, None).is_none()
    {
        err(
            plan.lines.director,
            format!(
                "director {director}: not on a subnet of this host; a NAT real server needs the director's inside address on its own link"
            ),
        );
    }
    errors
}

/// Advice a plan gives beyond its Operations (a NAT real server's gateway).
pub fn advice(plan: &Plan, host: &HostState) -> Vec<String> {
    let mut out = Vec::new();
    if plan.role == Role::NatRealServer
        && let Some(director) = plan.director
    {
        match net::default_gateway(host, director) {
            Some(gw) if gw == director => out.push(format!("the default gateway is the director ({director}): replies go back through it, as LVS-NAT needs")),
            Some(gw) => out.push(format!("the default gateway is {gw}, not the director {director}: replies would bypass the director and the clients would drop them; set it: ip route replace default via {director}")),
            None => out.push(format!("there is no default route: replies to clients cannot leave; set it: ip route replace default via {director}")),
        }
    }
    out
}
