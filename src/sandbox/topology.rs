//! The three practice labs as data: which namespaces, links, addresses and setup plans each
//! needs, named so that everything can be found again (and removed) after a crash.

use crate::host::HostOp;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// Every network namespace of a sandbox starts with this; nothing else is made outside them.
pub const PREFIX: &str = "ipvstui-sb-";
/// The machines of every lab, one network namespace each.
pub const MEMBERS: [&str; 4] = ["client", "director", "rs1", "rs2"];
/// The port the virtual service and the real servers' responders listen on.
pub const PORT: u16 = 80;

/// The forwarding method practised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Nat,
    Dr,
    Tun,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Nat, Kind::Dr, Kind::Tun];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Nat => "nat",
            Kind::Dr => "dr",
            Kind::Tun => "tun",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == text)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The namespace of `member` in a lab of `kind`: `ipvstui-sb-nat-director`.
pub fn netns(kind: Kind, member: &str) -> String {
    format!("{PREFIX}{kind}-{member}")
}

/// A sandbox namespace's name back to its lab and member; `None` for any other name.
pub fn parse_netns(name: &str) -> Option<(Kind, &str)> {
    let rest = name.strip_prefix(PREFIX)?;
    let (kind, member) = rest.split_once('-')?;
    Some((Kind::parse(kind)?, member))
}

/// The addresses of one lab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lab {
    pub kind: Kind,
    pub vip: Ipv4Addr,
    pub client: Ipv4Addr,
    /// The director's address on the clients' network.
    pub director: Ipv4Addr,
    /// NAT only: the director's address on the real servers' network, their gateway.
    pub director_in: Option<Ipv4Addr>,
    pub real_servers: [(&'static str, Ipv4Addr); 2],
}

impl Lab {
    /// NAT: 203.0.113.0/24 outside, 10.10.0.0/24 inside; DR: 198.51.100.0/24; TUN: 192.0.2.0/24.
    pub fn of(kind: Kind) -> Lab {
        let net = |c: u8, d: u8| match kind {
            Kind::Nat if c == 1 => Ipv4Addr::new(10, 10, 0, d),
            Kind::Nat => Ipv4Addr::new(203, 0, 113, d),
            Kind::Dr => Ipv4Addr::new(198, 51, 100, d),
            Kind::Tun => Ipv4Addr::new(192, 0, 2, d),
        };
        Lab {
            kind,
            vip: net(0, 100),
            client: net(0, 2),
            director: net(0, 1),
            director_in: (kind == Kind::Nat).then(|| net(1, 1)),
            real_servers: [("rs1", net(1, 11)), ("rs2", net(1, 12))],
        }
    }

    pub fn netns(&self, member: &str) -> String {
        netns(self.kind, member)
    }

    /// How the lab is made, in order.
    pub fn steps(&self) -> Vec<Step> {
        let mut steps: Vec<Step> = MEMBERS
            .iter()
            .map(|m| Step::Ip(vec!["netns".into(), "add".into(), self.netns(m)]))
            .collect();
        steps.extend(MEMBERS.iter().map(|m| self.host(m, up("lo"))));
        // The switch of the lab lives in the director's namespace: NAT's inside network, or the
        // one segment of DR and TUN that client, director and real servers share.
        let bridge = if self.kind == Kind::Nat { "in0" } else { "br0" };
        steps.push(Step::Ip(words(&format!(
            "-n {} link add {bridge} type bridge forward_delay 0",
            self.netns("director")
        ))));
        let mut ports = vec!["rs1", "rs2"];
        if self.kind == Kind::Nat {
            steps.push(self.veth("client", "out0"));
        } else {
            ports.insert(0, "client");
        }
        for port in &ports {
            steps.push(self.veth(port, port));
            steps.push(Step::Ip(words(&format!(
                "-n {} link set {port} master {bridge}",
                self.netns("director")
            ))));
        }
        // NAT's director faces the clients on out0 (its veth to the client); the others on the
        // bridge they all share.
        let (outside, director_links) = if self.kind == Kind::Nat {
            ("out0", vec!["out0", bridge])
        } else {
            (bridge, vec![bridge])
        };
        let inside = self.director_in.unwrap_or(self.director);
        for link in director_links.into_iter().chain(ports.iter().copied()) {
            steps.push(self.host("director", up(link)));
        }
        steps.push(self.host("director", addr(outside, self.director)));
        if let Some(inside) = self.director_in {
            steps.push(self.host("director", addr(bridge, inside)));
        }
        steps.push(self.host("client", up("eth0")));
        steps.push(self.host("client", addr("eth0", self.client)));
        for (name, ip) in self.real_servers {
            steps.push(self.host(name, up("eth0")));
            steps.push(self.host(name, addr("eth0", ip)));
            match self.kind {
                Kind::Nat => steps.push(self.host(
                    name,
                    HostOp::ReplaceDefaultRoute {
                        via: IpAddr::V4(inside),
                        dev: Some("eth0".into()),
                    },
                )),
                Kind::Dr => steps.push(self.plan(name, "dr-real-server", "eth0", "")),
                Kind::Tun => {
                    steps.push(self.host(name, up("tunl0")));
                    steps.push(self.plan(name, "tun-real-server", "eth0", ""));
                }
            }
        }
        let role = format!("{}-director", self.kind);
        let service = self.service_toml();
        steps.push(self.plan("director", &role, outside, &service));
        steps
    }

    /// The virtual service: rr over both real servers, so traffic alternates between them.
    fn service_toml(&self) -> String {
        let mut toml =
            format!("\n[[service]]\nprotocol = \"tcp\"\nport = {PORT}\nscheduler = \"rr\"\n");
        for (_, ip) in self.real_servers {
            toml.push_str(&format!("\n[[service.real_server]]\naddress = \"{ip}\"\n"));
        }
        toml
    }

    fn plan(&self, member: &str, role: &str, interface: &str, rest: &str) -> Step {
        Step::Plan {
            ns: self.netns(member),
            toml: format!(
                "role = \"{role}\"\nvip = \"{}\"\ninterface = \"{interface}\"\n{rest}",
                self.vip
            ),
        }
    }

    fn host(&self, member: &str, op: HostOp) -> Step {
        Step::Host {
            ns: self.netns(member),
            op,
        }
    }

    /// A veth pair made straight inside two namespaces: `eth0` in `member`, `port` in the
    /// director's. Neither end ever exists in the namespace `ip` runs in.
    fn veth(&self, member: &str, port: &str) -> Step {
        Step::Ip(words(&format!(
            "link add eth0 netns {} type veth peer name {port} netns {}",
            self.netns(member),
            self.netns("director")
        )))
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(' ').map(str::to_string).collect()
}

fn up(link: &str) -> HostOp {
    HostOp::SetLinkUp {
        link: link.to_string(),
    }
}

fn addr(dev: &str, ip: Ipv4Addr) -> HostOp {
    HostOp::AddAddr {
        dev: dev.to_string(),
        addr: IpAddr::V4(ip),
        prefix: 24,
        label: None,
    }
}

/// One step of making a lab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `ip ARGS`, for what the project has no code of its own: namespaces, veth pairs, bridges.
    Ip(Vec<String>),
    /// A host change made by the project's own code (rtnetlink, /proc/sys) inside `ns`.
    Host { ns: String, op: HostOp },
    /// A setup plan (the TOML of `ipvs-tui setup --plan`) applied inside `ns`.
    Plan { ns: String, toml: String },
}

impl Step {
    /// The equivalent shell command, as the sandbox prints it while building.
    pub fn to_command(&self) -> String {
        match self {
            Step::Ip(args) => format!("ip {}", args.join(" ")),
            Step::Host { ns, op } => format!("ip netns exec {ns} {}", op.to_command()),
            Step::Plan { ns, toml } => {
                let role = toml.lines().next().unwrap_or_default();
                format!("ip netns exec {ns} ipvs-tui setup --plan PLAN  # {role}")
            }
        }
    }
}

#[cfg(test)]
mod tests;
