//! The real-server forms (add, edit, weight): their fields, which apply now, and the
//! `DestConfig` they make, with ipvsadm's rule that DR and TUN keep the service's port.

use super::check::{self, Check};
use super::words::{CHECKSUMS, METHODS, TUNNEL_TYPES, service_name};
use super::{FieldId, FormKind};
use crate::console::form::{Field, Fields};
use crate::ipvs::model::*;
use crate::ipvs::parse::{self, ParseError};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const MASQ: usize = 0;
const ROUTE: usize = 1;
const TUNNEL: usize = 2;
const GUE: usize = 1;
const GRE: usize = 2;

/// The line above the fields: which service this real server belongs to.
pub fn context(service: &ServiceConfig) -> Vec<String> {
    vec![format!(
        "service {}, scheduler {}",
        service_name(&service.key),
        service.scheduler
    )]
}

/// ipvsadm's defaults: direct routing, weight 1, no thresholds; the port starts as the service's.
pub fn add_fields(service: &ServiceConfig) -> Vec<Field<FieldId>> {
    let mut fields = vec![
        Field::text(FieldId::Server, ""),
        Field::choice(FieldId::Method, METHODS, ROUTE),
        Field::text(FieldId::ServerPort, service.key.port().to_string()),
    ];
    fields.extend(tunnel_fields(&Forward::Route));
    fields.extend(weight_and_thresholds(&DestConfig::new(
        std::net::Ipv4Addr::UNSPECIFIED.into(),
        0,
    )));
    fields
}

/// Address and port name the real server: shown, not editable.
pub fn edit_fields(current: &DestConfig) -> Vec<Field<FieldId>> {
    let method = match current.forward {
        Forward::Masq => MASQ,
        Forward::Tunnel { .. } => TUNNEL,
        Forward::Route | Forward::Local => ROUTE,
    };
    let mut fields = vec![
        Field::fixed(
            FieldId::Server,
            AddrPort(current.addr, current.port).to_string(),
        ),
        Field::choice(FieldId::Method, METHODS, method),
    ];
    fields.extend(tunnel_fields(&current.forward));
    fields.extend(weight_and_thresholds(current));
    fields
}

pub fn weight_fields(current: &DestConfig) -> Vec<Field<FieldId>> {
    vec![
        Field::fixed(
            FieldId::Server,
            AddrPort(current.addr, current.port).to_string(),
        ),
        Field::text(FieldId::Weight, current.weight.to_string()),
    ]
}

fn tunnel_fields(forward: &Forward) -> [Field<FieldId>; 3] {
    let (tun_type, port, csum) = match *forward {
        Forward::Tunnel {
            tun_type,
            port,
            csum,
        } => (
            tun_type.number().into(),
            if port == 0 {
                String::new()
            } else {
                port.to_string()
            },
            csum.bits(),
        ),
        _ => (0, String::new(), 0),
    };
    let csum = TunnelCsum::from_bits(csum);
    let csum = [TunnelCsum::NoCsum, TunnelCsum::Csum, TunnelCsum::RemCsum]
        .iter()
        .position(|c| *c == csum)
        .unwrap_or(0);
    [
        Field::choice(FieldId::TunnelType, TUNNEL_TYPES, tun_type),
        Field::text(FieldId::TunnelPort, port),
        Field::choice(FieldId::TunnelCsum, CHECKSUMS, csum),
    ]
}

fn weight_and_thresholds(d: &DestConfig) -> [Field<FieldId>; 3] {
    [
        Field::text(FieldId::Weight, d.weight.to_string()),
        Field::text(FieldId::UpperThreshold, d.u_threshold.to_string()),
        Field::text(FieldId::LowerThreshold, d.l_threshold.to_string()),
    ]
}

pub fn visible(fields: Fields<'_, FieldId>, id: FieldId) -> bool {
    let method = fields.selected(FieldId::Method);
    match id {
        FieldId::ServerPort => method == MASQ,
        FieldId::TunnelType | FieldId::TunnelPort => method == TUNNEL,
        FieldId::TunnelCsum => {
            method == TUNNEL && matches!(fields.selected(FieldId::TunnelType), GUE | GRE)
        }
        _ => true,
    }
}

/// The real server the visible fields describe; problems are recorded in `c`.
pub fn build(c: &mut Check) -> DestConfig {
    let form = c.form;
    let service = form.service.as_ref().map_or(
        ServiceKey::Fwmark {
            mark: 0,
            family: Family::Inet,
        },
        |s| s.key,
    );
    if let FormKind::Weight { original, .. } = &form.kind {
        return DestConfig {
            weight: c.parse(FieldId::Weight, parse::weight, original.weight),
            ..*original
        };
    }
    let forward = match c.selected(FieldId::Method) {
        MASQ => Forward::Masq,
        ROUTE => Forward::Route,
        _ => tunnel(c),
    };
    let (addr, port) = match &form.kind {
        FormKind::EditDest { original, .. } => (original.addr, original.port),
        _ => {
            let unspecified = match service.family() {
                Family::Inet => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                Family::Inet6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            };
            let addr = c.parse(
                FieldId::Server,
                |t| check::address("real server", t),
                unspecified,
            );
            // ipvsadm gives DR and TUN real servers the service's port: they cannot rewrite it.
            let port = match forward {
                Forward::Masq => c.parse(FieldId::ServerPort, |t| parse::port("port", t), 0),
                _ => service.port(),
            };
            (addr, port)
        }
    };
    DestConfig {
        addr,
        port,
        forward,
        weight: c.parse(FieldId::Weight, parse::weight, DEFAULT_WEIGHT),
        // Stand-ins that cannot break "lower not above upper".
        u_threshold: c.parse(FieldId::UpperThreshold, parse::u_threshold, MAX_THRESHOLD),
        l_threshold: c.parse(FieldId::LowerThreshold, parse::l_threshold, 0),
    }
}

/// Tunnel forwarding: the port only for gue, a checksum option only for gue and gre.
fn tunnel(c: &mut Check) -> Forward {
    let tun_type =
        TunnelType::from_number(c.selected(FieldId::TunnelType) as u8).unwrap_or(TunnelType::Ipip);
    let typed_port = c.typed(FieldId::TunnelPort);
    let port = match tun_type {
        TunnelType::Gue => c.parse(FieldId::TunnelPort, parse::tunnel_port, 1),
        _ if typed_port.is_empty() => 0,
        _ => {
            let e = ParseError::new(
                "tunnel port",
                typed_port,
                format!(
                    "is only for gue tunnels, not {}; leave it empty",
                    tun_type.name()
                ),
            );
            c.fail(FieldId::TunnelPort, e.to_string());
            0
        }
    };
    let csum = if c.visible(FieldId::TunnelCsum) {
        [TunnelCsum::NoCsum, TunnelCsum::Csum, TunnelCsum::RemCsum]
            [c.selected(FieldId::TunnelCsum).min(2)]
    } else {
        TunnelCsum::NoCsum
    };
    Forward::Tunnel {
        tun_type,
        port,
        csum,
    }
}
