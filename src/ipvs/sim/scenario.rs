//! The simulator's scenario file (TOML): services and real servers written as ipvsadm options,
//! each service with a traffic profile. Every error names the line and the field it is about.
//! See assets/demo.toml for the format.

use super::traffic::{ClientPool, Traffic};
use crate::ipvs::args::parse_args;
use crate::ipvs::model::{Protocol, ServiceKey, Timeouts};
use crate::ipvs::op::IpvsOp;
use crate::ipvs::parse;
use serde::Deserialize;
use toml::Spanned;

/// What is wrong with a scenario, and where: `line 14, real_servers: weight "-3": must be ...`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {message}", field.as_ref().map(|f| format!(", {f}")).unwrap_or_default())]
pub struct ScenarioError {
    /// 1-based line in the scenario text.
    pub line: usize,
    /// The field, when the error is about one (`service`, `conns_per_sec`, ...).
    pub field: Option<String>,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    simulator: Option<RawSimulator>,
    timeouts: Option<Spanned<RawTimeouts>>,
    default_traffic: Option<Spanned<RawTraffic>>,
    #[serde(default)]
    service: Vec<RawService>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSimulator {
    max_conns: Option<Spanned<u64>>,
    interfaces: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeouts {
    #[serde(default)]
    tcp: u32,
    #[serde(default)]
    tcp_fin: u32,
    #[serde(default)]
    udp: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    service: Spanned<String>,
    #[serde(default)]
    real_servers: Vec<Spanned<String>>,
    traffic: Option<Spanned<RawTraffic>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTraffic {
    conns_per_sec: Spanned<f64>,
    bytes_in: Spanned<u64>,
    bytes_out: Spanned<u64>,
    duration: Spanned<f64>,
    clients: Option<Spanned<String>>,
    #[serde(default)]
    targets: Vec<Spanned<String>>,
    abandoned: Option<Spanned<f64>>,
}

/// One change to apply, with where it came from and, for a service, its traffic.
pub(super) struct Step {
    pub op: IpvsOp,
    pub line: usize,
    pub field: &'static str,
    pub traffic: Option<Traffic>,
}

pub(super) struct Scenario {
    pub max_conns: Option<usize>,
    pub interfaces: Option<Vec<String>>,
    pub default_traffic: Option<Traffic>,
    pub steps: Vec<Step>,
}

/// Largest values a profile may ask for; beyond them the simulation would only be slow or
/// overflow, not more realistic.
const MAX_CPS: f64 = 100_000.0;
const MAX_DURATION: f64 = 86_400.0;
const MAX_BYTES: u64 = 1 << 40;
const MAX_CONNS: u64 = 10_000_000;

struct Ctx<'a> {
    text: &'a str,
}

impl Ctx<'_> {
    fn line(&self, offset: usize) -> usize {
        1 + self.text.as_bytes()[..offset.min(self.text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    }

    fn err<T>(
        &self,
        spanned: &Spanned<T>,
        field: &str,
        message: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError {
            line: self.line(spanned.span().start),
            field: Some(field.to_string()),
            message: message.into(),
        }
    }
}

pub(super) fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| ScenarioError {
        line: e.span().map_or(1, |s| Ctx { text }.line(s.start)),
        field: None,
        message: e.message().trim().to_string(),
    })?;
    let cx = Ctx { text };
    let mut scenario = Scenario {
        max_conns: None,
        interfaces: None,
        default_traffic: None,
        steps: Vec::new(),
    };
    if let Some(sim) = raw.simulator {
        if let Some(m) = sim.max_conns {
            if *m.get_ref() == 0 || *m.get_ref() > MAX_CONNS {
                return Err(cx.err(&m, "max_conns", format!("must be from 1 to {MAX_CONNS}")));
            }
            scenario.max_conns = Some(*m.get_ref() as usize);
        }
        if let Some(ifs) = sim.interfaces {
            let mut names = Vec::new();
            for i in &ifs {
                names.push(
                    parse::interface(i.get_ref())
                        .map_err(|e| cx.err(i, "interfaces", e.to_string()))?,
                );
            }
            scenario.interfaces = Some(names);
        }
    }
    if let Some(t) = &raw.timeouts {
        let r = t.get_ref();
        let op = IpvsOp::SetTimeouts(Timeouts {
            tcp: r.tcp,
            tcp_fin: r.tcp_fin,
            udp: r.udp,
        });
        scenario.steps.push(Step {
            op,
            line: cx.line(t.span().start),
            field: "timeouts",
            traffic: None,
        });
    }
    if let Some(t) = &raw.default_traffic {
        let r = t.get_ref();
        if let Some(c) = &r.clients {
            return Err(cx.err(
                c,
                "clients",
                "default_traffic takes the default client pool of each service's family",
            ));
        }
        if let Some(first) = r.targets.first() {
            return Err(cx.err(
                first,
                "targets",
                "default_traffic only reaches services with an address and port",
            ));
        }
        scenario.default_traffic = Some(traffic(&cx, r, None)?);
    }
    for s in &raw.service {
        let words: Vec<&str> = std::iter::once("-A")
            .chain(s.service.get_ref().split_whitespace())
            .collect();
        let op = parse_args(&words).map_err(|e| cx.err(&s.service, "service", e.to_string()))?;
        let IpvsOp::AddService(config) = &op else {
            return Err(cx.err(
                &s.service,
                "service",
                "must be the options of ipvsadm -A, e.g. \"-t 192.0.2.10:80 -s wlc\"",
            ));
        };
        let key = config.key;
        let profile = s
            .traffic
            .as_ref()
            .map(|t| traffic(&cx, t.get_ref(), Some((key, t))))
            .transpose()?;
        scenario.steps.push(Step {
            op,
            line: cx.line(s.service.span().start),
            field: "service",
            traffic: profile,
        });
        let key_words = key.to_string();
        for r in &s.real_servers {
            let words: Vec<&str> = ["-a"]
                .into_iter()
                .chain(key_words.split_whitespace())
                .chain(r.get_ref().split_whitespace())
                .collect();
            let op = parse_args(&words).map_err(|e| cx.err(r, "real_servers", e.to_string()))?;
            if !matches!(op, IpvsOp::AddDest { .. }) {
                return Err(cx.err(r, "real_servers", "must be the options of ipvsadm -a after the service, e.g. \"-r 10.0.0.2:80 -m -w 2\""));
            }
            scenario.steps.push(Step {
                op,
                line: cx.line(r.span().start),
                field: "real_servers",
                traffic: None,
            });
        }
    }
    Ok(scenario)
}

fn in_range(cx: &Ctx, v: &Spanned<f64>, field: &str, max: f64) -> Result<f64, ScenarioError> {
    let x = *v.get_ref();
    if x.is_finite() && (0.0..=max).contains(&x) {
        Ok(x)
    } else {
        Err(cx.err(v, field, format!("must be a number from 0 to {max}")))
    }
}

fn bytes(cx: &Ctx, v: &Spanned<u64>, field: &str) -> Result<u64, ScenarioError> {
    match *v.get_ref() {
        n if n <= MAX_BYTES => Ok(n),
        _ => Err(cx.err(
            v,
            field,
            format!("must be at most {MAX_BYTES} bytes per connection"),
        )),
    }
}

/// A profile, checked against the service it drives (`None` for default_traffic).
fn traffic(
    cx: &Ctx,
    r: &RawTraffic,
    service: Option<(ServiceKey, &Spanned<RawTraffic>)>,
) -> Result<Traffic, ScenarioError> {
    let mut t = Traffic {
        conns_per_sec: in_range(cx, &r.conns_per_sec, "conns_per_sec", MAX_CPS)?,
        bytes_in: bytes(cx, &r.bytes_in, "bytes_in")?,
        bytes_out: bytes(cx, &r.bytes_out, "bytes_out")?,
        duration: in_range(cx, &r.duration, "duration", MAX_DURATION)?,
        clients: None,
        targets: Vec::new(),
        abandoned: r
            .abandoned
            .as_ref()
            .map(|a| in_range(cx, a, "abandoned", 1.0))
            .transpose()?
            .unwrap_or(0.0),
    };
    let Some((key, whole)) = service else {
        return Ok(t);
    };
    if let Some(c) = &r.clients {
        let pool =
            ClientPool::parse(c.get_ref()).map_err(|e| cx.err(c, "clients", e.to_string()))?;
        if pool.family() != key.family() {
            return Err(cx.err(
                c,
                "clients",
                format!("are {} but the service is {}", pool.family(), key.family()),
            ));
        }
        t.clients = Some(pool);
    }
    for target in &r.targets {
        let bad = |m: String| cx.err(target, "targets", m);
        let words: Vec<&str> = target.get_ref().split_whitespace().collect();
        let protocol = match words.first().copied() {
            Some("-t") => Protocol::Tcp,
            Some("-u") => Protocol::Udp,
            Some("--sctp-service") => Protocol::Sctp,
            _ => {
                return Err(bad(format!(
                    "\"{}\" must be -t, -u or --sctp-service then ADDR:PORT",
                    target.get_ref()
                )));
            }
        };
        let [_, addr] = words[..] else {
            return Err(bad(format!(
                "\"{}\" must be -t, -u or --sctp-service then ADDR:PORT",
                target.get_ref()
            )));
        };
        let ServiceKey::Addr { addr, port, .. } =
            parse::service_addr(protocol, addr).map_err(|e| bad(e.to_string()))?
        else {
            unreachable!("service_addr gives an address key")
        };
        if port == 0 {
            return Err(bad(format!(
                "\"{}\" needs a port clients connect to",
                target.get_ref()
            )));
        }
        match key {
            ServiceKey::Fwmark { family, .. }
                if family != crate::ipvs::model::Family::of(&addr) =>
            {
                return Err(bad(format!(
                    "\"{}\" is not {family} like the service",
                    target.get_ref()
                )));
            }
            ServiceKey::Addr {
                port: 0,
                protocol: p,
                addr: a,
            } if p != protocol || a != addr => {
                return Err(bad(format!(
                    "\"{}\" is not an address of the port-0 service {key}",
                    target.get_ref()
                )));
            }
            ServiceKey::Addr { port: p, .. } if p != 0 => {
                return Err(bad("targets are for fwmark and port-0 services; this service's own address and port are used".to_string()));
            }
            _ => {}
        }
        t.targets.push((protocol, addr, port));
    }
    let needs_targets = matches!(
        key,
        ServiceKey::Fwmark { .. } | ServiceKey::Addr { port: 0, .. }
    );
    if needs_targets && t.targets.is_empty() {
        return Err(cx.err(
            whole,
            "targets",
            format!("service {key} needs targets: the addresses and ports clients connect to, e.g. targets = [\"-t 192.0.2.40:80\"]"),
        ));
    }
    Ok(t)
}
