//! The `[[service]]` tables of a plan and their `[[service.real_server]]`s, read and checked.

use super::{PlanError, PlanRealServer, PlanService, Reader};
use crate::ipvs::model::{
    AddrPort, DEFAULT_SCHEDULER, DEFAULT_WEIGHT, DestConfig, Protocol, ServiceConfig, ServiceKey,
};
use crate::ipvs::parse;
use serde::Deserialize;
use std::net::IpAddr;
use toml::{Spanned, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawService {
    protocol: Option<Spanned<Value>>,
    port: Option<Spanned<Value>>,
    scheduler: Option<Spanned<Value>>,
    persistence: Option<Spanned<Value>>,
    #[serde(default)]
    pub(super) real_server: Vec<Spanned<RawRealServer>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRealServer {
    address: Option<Spanned<Value>>,
    port: Option<Spanned<Value>>,
    weight: Option<Spanned<Value>>,
}

/// An address field's parser, with the field's name in its message.
pub(super) fn address(field: &'static str) -> impl Fn(&str) -> Result<IpAddr, String> {
    move |text| {
        text.parse().map_err(|_| {
            format!("{field} \"{text}\": must be an IPv4 or IPv6 address such as 192.0.2.100")
        })
    }
}

/// One service with its real servers; None when something in it is wrong (already recorded).
pub(super) fn read_service(
    r: &mut Reader,
    raw: &Spanned<RawService>,
    vip: IpAddr,
) -> Option<PlanService> {
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
            r.error(
                raw.span().start,
                "this service needs port = NUMBER (1 to 65535)",
            );
            None
        }
    };
    let scheduler = match &s.scheduler {
        Some(v) => r.field(v, |t| parse::scheduler(t).map_err(|e| e.to_string())),
        None => Some(DEFAULT_SCHEDULER.to_string()),
    };
    let persistence = match &s.persistence {
        Some(v) => r.field(v, |t| match t {
            "0" => Ok(None),
            t => parse::persistence_timeout(Some(t))
                .map(Some)
                .map_err(|e| format!("{e} (0: none)")),
        }),
        None => Some(None),
    };
    let mut real_servers = Vec::new();
    for rs in &s.real_server {
        let raw_rs = rs.get_ref();
        // Later errors about a real server point at its address.
        let line = r.line(
            raw_rs
                .address
                .as_ref()
                .map_or(rs.span().start, |a| a.span().start),
        );
        let addr = match &raw_rs.address {
            Some(a) => r.field(a, address("real server address")),
            None => {
                r.error(
                    rs.span().start,
                    "this real server needs address = \"ADDRESS\"",
                );
                None
            }
        };
        let rs_port = match &raw_rs.port {
            Some(p) => r
                .field(p, |t| {
                    parse::port("real server port", t).map_err(|e| e.to_string())
                })
                .map(Some),
            None => Some(None),
        };
        let weight = match &raw_rs.weight {
            Some(w) => r.field(w, |t| parse::weight(t).map_err(|e| e.to_string())),
            None => Some(DEFAULT_WEIGHT),
        };
        if let Some(a) = addr
            && a.is_ipv4() != vip.is_ipv4()
        {
            r.errors.push(PlanError {
                line: Some(line),
                message: format!(
                    "real server {a}: must be of the VIP's family ({})",
                    if vip.is_ipv4() { "IPv4" } else { "IPv6" }
                ),
            });
            continue;
        }
        if let Some(a) = addr
            && a == vip
        {
            r.errors.push(PlanError {
                line: Some(line),
                message: format!("real server {a}: is the VIP itself"),
            });
            continue;
        }
        if let (Some(addr), Some(rs_port), Some(weight), Some(port)) = (addr, rs_port, weight, port)
        {
            let dest = DestConfig {
                weight,
                ..DestConfig::new(addr, rs_port.unwrap_or(port))
            };
            if let Some(first) = real_servers
                .iter()
                .find(|x: &&PlanRealServer| x.dest.addr == addr && x.dest.port == dest.port)
            {
                let message = format!(
                    "real server {}: already listed at line {}",
                    AddrPort(addr, dest.port),
                    first.line
                );
                r.errors.push(PlanError {
                    line: Some(line),
                    message,
                });
                continue;
            }
            real_servers.push(PlanRealServer { dest, line });
        }
    }
    let (protocol, port, scheduler, persistence) = (protocol?, port?, scheduler?, persistence?);
    let mut config = ServiceConfig::new(ServiceKey::Addr {
        protocol,
        addr: vip,
        port,
    });
    config.scheduler = scheduler;
    config.persistence = persistence;
    Some(PlanService {
        config,
        real_servers,
        line,
    })
}
