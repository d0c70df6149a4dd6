//! The setup plan file (TOML; see assets/setup-example.toml): the role of this machine and what
//! that role needs. Every problem is reported at once, each with its line.

mod render;
mod service;

use super::role::Role;
use crate::ipvs::model::{DestConfig, Forward, ServiceConfig};
use crate::ipvs::parse;
use serde::Deserialize;
use service::{RawService, read_service};
use std::net::IpAddr;
use toml::{Spanned, Value};

/// What is wrong with a plan: `line 12: weight "-3": must be a whole number from 0 to 2147483647`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct PlanError {
    pub line: Option<usize>,
    pub message: String,
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

/// Collects errors with their lines while a plan is read.
pub(super) struct Reader<'a> {
    text: &'a str,
    pub(super) errors: Vec<PlanError>,
}

impl Reader<'_> {
    pub(super) fn line(&self, offset: usize) -> usize {
        self.text.as_bytes()[..offset.min(self.text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    pub(super) fn error(&mut self, offset: usize, message: impl Into<String>) {
        let line = Some(self.line(offset));
        self.errors.push(PlanError {
            line,
            message: message.into(),
        });
    }

    /// A value as the text the ipvs parsers take (numbers and strings alike).
    fn text_of(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// Parses `value` with `parse`, recording the error at its line.
    pub(super) fn field<T>(
        &mut self,
        value: &Spanned<Value>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        match parse(&Self::text_of(value.get_ref())) {
            Ok(v) => Some(v),
            Err(message) => {
                self.error(value.span().start, message);
                None
            }
        }
    }
}

impl Plan {
    /// Reads and checks a plan; on any problem, every problem with its line.
    pub fn parse(text: &str) -> Result<Plan, Vec<PlanError>> {
        let mut r = Reader {
            text,
            errors: Vec::new(),
        };
        let raw: RawPlan = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let line = e.span().map(|s| r.line(s.start));
                return Err(vec![PlanError {
                    line,
                    message: e.message().trim().to_string(),
                }]);
            }
        };
        let role = match Role::parse(raw.role.get_ref()) {
            Ok(role) => Some(role),
            Err(message) => {
                r.error(raw.role.span().start, message.to_string());
                None
            }
        };
        let line_of =
            |v: &Option<Spanned<Value>>, r: &Reader| v.as_ref().map(|v| r.line(v.span().start));
        let lines = PlanLines {
            role: r.line(raw.role.span().start),
            vip: line_of(&raw.vip, &r),
            interface: line_of(&raw.interface, &r),
            director: line_of(&raw.director, &r),
        };
        let vip = raw
            .vip
            .as_ref()
            .and_then(|v| r.field(v, service::address("vip")));
        let interface = raw
            .interface
            .as_ref()
            .and_then(|v| r.field(v, |t| parse::interface(t).map_err(|e| e.to_string())));
        let director = raw
            .director
            .as_ref()
            .and_then(|v| r.field(v, service::address("director")));
        let max_prefix = vip.map_or(32, super::net::host_prefix);
        let prefix = match &raw.prefix {
            Some(p) => r.field(p, |t| {
                parse::number("prefix", t, 1, max_prefix.into())
                    .map(|n| n as u8)
                    .map_err(|e| e.to_string())
            }),
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
        let label = raw
            .label
            .as_ref()
            .and_then(|v| r.field(v, |t| check_label(t, &vip_dev)));
        check_role_needs(&mut r, role, &raw, vip, director);
        for pair in services
            .iter()
            .enumerate()
            .flat_map(|(i, a)| services[i + 1..].iter().map(move |b| (a, b)))
        {
            if pair.0.config.key == pair.1.config.key {
                r.errors.push(PlanError {
                    line: Some(pair.1.line),
                    message: format!(
                        "service {} is already planned at line {}",
                        pair.1.config.key, pair.0.line
                    ),
                });
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
        Ok(Plan {
            role,
            vip,
            prefix: prefix.unwrap_or(max_prefix),
            interface,
            label,
            director,
            services,
            lines,
        })
    }
}

/// What each role must and must not have.
fn check_role_needs(
    r: &mut Reader,
    role: Role,
    raw: &RawPlan,
    vip: Option<IpAddr>,
    director: Option<IpAddr>,
) {
    let at = raw.role.span().start;
    if role != Role::NatRealServer && raw.vip.is_none() {
        r.error(
            at,
            format!("a {role} plan needs vip = \"ADDRESS\" (the virtual IP clients connect to)"),
        );
    }
    if role.is_director() {
        if raw.interface.is_none() {
            r.error(
                at,
                format!(
                    "a {role} plan needs interface = \"NAME\": where the VIP is bound{}",
                    if role == Role::NatDirector {
                        " (the outside interface)"
                    } else {
                        ""
                    }
                ),
            );
        }
        if raw.service.is_empty() && vip.is_some() {
            r.error(at, format!("a {role} plan needs at least one [[service]]"));
        }
        for s in &raw.service {
            if s.get_ref().real_server.is_empty() {
                r.error(
                    s.span().start,
                    "this service has no [[service.real_server]]: it could take no connection",
                );
            }
        }
    } else if let Some(s) = raw.service.first() {
        r.error(
            s.span().start,
            format!("a {role} plan has no [[service]]: the services live on the director"),
        );
    }
    if matches!(role, Role::DrRealServer | Role::TunRealServer) && vip.is_some_and(|v| v.is_ipv6())
    {
        r.error(
            raw.vip.as_ref().map_or(at, |v| v.span().start),
            format!(
                "vip: a {role} plan takes an IPv4 VIP (its ARP and rp_filter settings are IPv4)"
            ),
        );
    }
    if role == Role::NatRealServer && director.is_none() && raw.director.is_none() {
        r.error(at, "a nat-real-server plan needs director = \"ADDRESS\": the director's inside address, which must be this server's default gateway");
    }
    if role != Role::NatRealServer
        && let Some(d) = &raw.director
    {
        r.error(
            d.span().start,
            format!("director: only a nat-real-server plan takes it, not a {role} plan"),
        );
    }
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
        return Err(format!(
            "label \"{text}\": must start with the interface name ({dev}), e.g. {dev}:0, and be at most 15 characters"
        ));
    }
    Ok(text.to_string())
}
