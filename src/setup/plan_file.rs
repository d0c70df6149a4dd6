//! The setup plan file (TOML; see assets/setup-example.toml): the role of this machine and what
//! that role needs. Every problem is reported at once, each with its line.

use super::role::Role;
use crate::ipvs::model::{DestConfig, Forward, Protocol, ServiceConfig, ServiceKey, DEFAULT_WEIGHT};
use crate::ipvs::parse;
use serde::Deserialize;
use std::fmt;
use std::net::IpAddr;
use toml::{Spanned, Value};

/// What is wrong with a plan: `line 12: weight "-3": must be a whole number from 0 to 2147483647`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A checked plan. Line numbers are kept so that checks against the host can point at the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub role: Role,
    /// The virtual IP; None only for a NAT real server.
    pub vip: Option<IpAddr>,
    /// Prefix the VIP is bound with (default: /32 or /128).
    pub prefix: u8,
    /// Directors: where the VIP is bound (the outside interface for NAT). Real servers: the
    /// interface facing the clients, whose ARP settings are set too.
    pub interface: Option<String>,
    pub label: Option<String>,
    /// NAT real server: the director's inside address, which must be the default gateway.
    pub director: Option<IpAddr>,
    pub services: Vec<PlanService>,
    pub lines: PlanLines,
}

/// Where the top-level keys are, for errors found later against the host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanLines {
    pub role: usize,
    pub vip: Option<usize>,
    pub interface: Option<usize>,
    pub director: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanService {
    pub config: ServiceConfig,
    pub real_servers: Vec<PlanRealServer>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRealServer {
    pub dest: DestConfig,
    pub line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    role: Spanned<String>,
    vip: Option<Spanned<Value>>,
    prefix: Option<Spanned<Value>>,
    interface: Option<Spanned<Value>>,
    label: Option<Spanned<Value>>,
    director: Option<Spanned<Value>>,
    #[serde(default)]
    service: Vec<Spanned<RawService>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    protocol: Option<Spanned<Value>>,
    port: Option<Spanned<Value>>,
    scheduler: Option<Spanned<Value>>,
    persistence: Option<Spanned<Value>>,
    #[serde(default)]
    real_server: Vec<Spanned<RawRealServer>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRealServer {
    address: Option<Spanned<Value>>,
    port: Option<Spanned<Value>>,
    weight: Option<Spanned<Value>>,
}

/// Collects errors with their lines while a plan is read.
struct Reader<'a> {
    text: &'a str,
    errors: Vec<PlanError>,
}

impl Reader<'_> {
    fn line(&self, offset: usize) -> usize {
        self.text.as_bytes()[..offset.min(self.text.len())].iter().filter(|&&b| b == b'\n').count() + 1
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let line = Some(self.line(offset));
        self.errors.push(PlanError { line, message: message.into() });
    }

    /// A value as the text the ipvs parsers take (numbers and strings alike).
    fn text_of(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// Parses `value` with `parse`, recording the error at its line.
    fn field<T>(&mut self, value: &Spanned<Value>, parse: impl Fn(&str) -> Result<T, String>) -> Option<T> {
        match parse(&Self::text_of(value.get_ref())) {
            Ok(v) => Some(v),
            Err(message) => {
                self.error(value.span().start, message);
                None
            }
        }
    }
}

fn address(field: &'static str) -> impl Fn(&str) -> Result<IpAddr, String> {
    move |text| text.parse().map_err(|_| format!("{field} \"{text}\": must be an IPv4 or IPv6 address such as 192.0.2.100"))
}

impl Plan {
    /// Reads and checks a plan; on any problem, every problem with its line.
    pub fn parse(text: &str) -> Result<Plan, Vec<PlanError>> {
        let mut r = Reader { text, errors: Vec::new() };
        let raw: RawPlan = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let line = e.span().map(|s| r.line(s.start));
                return Err(vec![PlanError { line, message: e.message().trim().to_string() }]);
            }
        };
        let role = match Role::parse(raw.role.get_ref()) {
            Ok(role) => Some(role),
            Err(message) => {
                r.error(raw.role.span().start, message);
                None
            }
        };
        let line_of = |v: &Option<Spanned<Value>>, r: &Reader| v.as_ref().map(|v| r.line(v.span().start));
        let lines = PlanLines {
            role: r.line(raw.role.span().start),
            vip: line_of(&raw.vip, &r),
            interface: line_of(&raw.interface, &r),
            director: line_of(&raw.director, &r),
        };
        let vip = raw.vip.as_ref().and_then(|v| r.field(v, address("vip")));
        let interface = raw.interface.as_ref().and_then(|v| r.field(v, |t| parse::interface(t).map_err(|e| e.to_string())));
        let director = raw.director.as_ref().and_then(|v| r.field(v, address("director")));
        let max_prefix = vip.map_or(32, super::net::host_prefix);
        let prefix = match &raw.prefix {
            Some(p) => r.field(p, |t| parse::number("prefix", t, 1, max_prefix.into()).map(|n| n as u8).map_err(|e| e.to_string())),
            None => Some(max_prefix),
        };

        let mut services = Vec::new();
        if let Some(vip) = vip {
            for s in &raw.service {
                if let Some(service) = read_service(&mut r, s, vip) {
                    services.push(service);
                }
            }
        }
        let Some(role) = role else {
            r.errors.sort_by_key(|e| e.line);
            return Err(r.errors);
        };
        let vip_dev = vip_device(role, interface.as_deref()).to_string();
        let label = raw.label.as_ref().and_then(|v| r.field(v, |t| check_label(t, &vip_dev)));
        check_role_needs(&mut r, role, &raw, vip, director);
        for pair in services.iter().enumerate().flat_map(|(i, a)| services[i + 1..].iter().map(move |b| (a, b))) {
            if pair.0.config.key == pair.1.config.key {
                r.errors.push(PlanError { line: Some(pair.1.line), message: format!("service {} is already planned at line {}", pair.1.config.key, pair.0.line) });
            }
        }
        let forward = match role {
            Role::NatDirector => Forward::Masq,
            Role::TunDirector => Forward::ipip(),
            _ => Forward::Route,
        };
        for s in &mut services {
            for rs in &mut s.real_servers {
                rs.dest.forward = forward;
            }
        }
        if !r.errors.is_empty() {
            r.errors.sort_by_key(|e| e.line);
            return Err(r.errors);
        }
        let label = label.or_else(|| (role == Role::DrRealServer).then(|| "lo:0".to_string()));
        Ok(Plan { role, vip, prefix: prefix.unwrap_or(max_prefix), interface, label, director, services, lines })
    }
}

/// What each role must and must not have.
fn check_role_needs(r: &mut Reader, role: Role, raw: &RawPlan, vip: Option<IpAddr>, director: Option<IpAddr>) {
    let at = raw.role.span().start;
    if role != Role::NatRealServer && raw.vip.is_none() {
        r.error(at, format!("a {role} plan needs vip = \"ADDRESS\" (the virtual IP clients connect to)"));
    }
    if role.is_director() {
        if raw.interface.is_none() {
            r.error(at, format!("a {role} plan needs interface = \"NAME\": where the VIP is bound{}", if role == Role::NatDirector { " (the outside interface)" } else { "" }));
        }
        if raw.service.is_empty() && vip.is_some() {
            r.error(at, format!("a {role} plan needs at least one [[service]]"));
        }
        for s in &raw.service {
            if s.get_ref().real_server.is_empty() {
                r.error(s.span().start, "this service has no [[service.real_server]]: it could take no connection");
            }
        }
    } else if let Some(s) = raw.service.first() {
        r.error(s.span().start, format!("a {role} plan has no [[service]]: the services live on the director"));
    }
    if matches!(role, Role::DrRealServer | Role::TunRealServer) && vip.is_some_and(|v| v.is_ipv6()) {
        r.error(raw.vip.as_ref().map_or(at, |v| v.span().start), format!("vip: a {role} plan takes an IPv4 VIP (its ARP and rp_filter settings are IPv4)"));
    }
    if role == Role::NatRealServer && director.is_none() && raw.director.is_none() {
        r.error(at, "a nat-real-server plan needs director = \"ADDRESS\": the director's inside address, which must be this server's default gateway");
    }
    if role != Role::NatRealServer
        && let Some(d) = &raw.director
    {
        r.error(d.span().start, format!("director: only a nat-real-server plan takes it, not a {role} plan"));
    }
}

fn read_service(r: &mut Reader, raw: &Spanned<RawService>, vip: IpAddr) -> Option<PlanService> {
    let s = raw.get_ref();
    let line = r.line(raw.span().start);
    let protocol = match &s.protocol {
        Some(p) => r.field(p, |t| match t {
            "tcp" => Ok(Protocol::Tcp),
            "udp" => Ok(Protocol::Udp),
            "sctp" => Ok(Protocol::Sctp),
            _ => Err(format!("protocol \"{t}\": must be tcp, udp or sctp")),
        }),
        None => Some(Protocol::Tcp),
    };
    let port = match &s.port {
        Some(p) => r.field(p, |t| parse::port("port", t).map_err(|e| e.to_string())),
        None => {
            r.error(raw.span().start, "this service needs port = NUMBER (1 to 65535)");
            None
        }
    };
    let scheduler = match &s.scheduler {
        Some(v) => r.field(v, |t| parse::scheduler(t).map_err(|e| e.to_string())),
        None => Some(crate::ipvs::model::DEFAULT_SCHEDULER.to_string()),
    };
    let persistence = match &s.persistence {
        Some(v) => r.field(v, |t| match t {
            "0" => Ok(None),
            t => parse::persistence_timeout(Some(t)).map(Some).map_err(|e| format!("{e} (0: none)")),
        }),
        None => Some(None),
    };
    let mut real_servers = Vec::new();
    for rs in &s.real_server {
        let raw_rs = rs.get_ref();
        // Later errors about a real server point at its address.
        let line = r.line(raw_rs.address.as_ref().map_or(rs.span().start, |a| a.span().start));
        let addr = match &raw_rs.address {
            Some(a) => r.field(a, address("real server address")),
            None => {
                r.error(rs.span().start, "this real server needs address = \"ADDRESS\"");
                None
            }
        };
        let rs_port = match &raw_rs.port {
            Some(p) => r.field(p, |t| parse::port("real server port", t).map_err(|e| e.to_string())).map(Some),
            None => Some(None),
        };
        let weight = match &raw_rs.weight {
            Some(w) => r.field(w, |t| parse::weight(t).map_err(|e| e.to_string())),
            None => Some(DEFAULT_WEIGHT),
        };
        if let Some(a) = addr
            && a.is_ipv4() != vip.is_ipv4()
        {
            r.errors.push(PlanError { line: Some(line), message: format!("real server {a}: must be of the VIP's family ({})", if vip.is_ipv4() { "IPv4" } else { "IPv6" }) });
            continue;
        }
        if let Some(a) = addr
            && a == vip
        {
            r.errors.push(PlanError { line: Some(line), message: format!("real server {a}: is the VIP itself") });
            continue;
        }
        if let (Some(addr), Some(rs_port), Some(weight), Some(port)) = (addr, rs_port, weight, port) {
            let dest = DestConfig { weight, ..DestConfig::new(addr, rs_port.unwrap_or(port)) };
            if let Some(first) = real_servers.iter().find(|x: &&PlanRealServer| x.dest.addr == addr && x.dest.port == dest.port) {
                let message = format!("real server {}: already listed at line {}", crate::ipvs::model::AddrPort(&addr, dest.port), first.line);
                r.errors.push(PlanError { line: Some(line), message });
                continue;
            }
            real_servers.push(PlanRealServer { dest, line });
        }
    }
    let (protocol, port, scheduler, persistence) = (protocol?, port?, scheduler?, persistence?);
    let mut config = ServiceConfig::new(ServiceKey::Addr { protocol, addr: vip, port });
    config.scheduler = scheduler;
    config.persistence = persistence;
    Some(PlanService { config, real_servers, line })
}

/// Where a role binds the VIP: lo on a DR real server, tunl0 on a TUN one, else `interface`.
pub fn vip_device(role: Role, interface: Option<&str>) -> &str {
    match role {
        Role::DrRealServer => "lo",
        Role::TunRealServer => "tunl0",
        _ => interface.unwrap_or("?"),
    }
}

/// A label such as `eth0:vip`: the kernel wants it to start with the interface name.
fn check_label(text: &str, dev: &str) -> Result<String, String> {
    if text.len() > 15 || !text.starts_with(dev) || text.contains(char::is_whitespace) {
        return Err(format!("label \"{text}\": must start with the interface name ({dev}), e.g. {dev}:0, and be at most 15 characters"));
    }
    Ok(text.to_string())
}
