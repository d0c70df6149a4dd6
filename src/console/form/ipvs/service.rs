//! The virtual-service form: which fields it has, which apply now, and the `ServiceConfig` they make.

use super::check::{self, Check};
use super::words::{FAMILIES, KINDS, service_name};
use super::{FieldId, FormKind, Ipvs};
use crate::console::form::{Field, Fields};
use crate::ipvs::model::*;
use crate::ipvs::parse;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The index of "firewall mark" in `KINDS`.
const FWMARK: usize = 3;

pub fn add_fields() -> Vec<Field<FieldId>> {
    vec![
        Field::choice(FieldId::Kind, KINDS, 0),
        Field::text(FieldId::Address, ""),
        Field::text(FieldId::Port, ""),
        Field::text(FieldId::Fwmark, ""),
        Field::choice(FieldId::Family, FAMILIES, 0),
        Field::combo(FieldId::Scheduler, &KNOWN_SCHEDULERS, DEFAULT_SCHEDULER),
        Field::flags(FieldId::SchedFlags, [false; 3]),
        Field::switch(FieldId::Persistent, false),
        Field::text(FieldId::Timeout, DEFAULT_PERSISTENCE_TIMEOUT.to_string()),
        Field::text(FieldId::Netmask, ""),
        Field::text(FieldId::Pe, ""),
        Field::switch(FieldId::OnePacket, false),
    ]
}

/// The key is shown, not editable: ipvsadm -E cannot change it.
pub fn edit_fields(current: &ServiceConfig) -> Vec<Field<FieldId>> {
    let f = current.sched_flags;
    vec![
        Field::fixed(FieldId::Address, service_name(&current.key)),
        Field::combo(
            FieldId::Scheduler,
            &KNOWN_SCHEDULERS,
            current.scheduler.clone(),
        ),
        Field::flags(FieldId::SchedFlags, [f.flag1, f.flag2, f.flag3]),
        Field::switch(FieldId::Persistent, current.persistence.is_some()),
        Field::text(
            FieldId::Timeout,
            current
                .persistence
                .unwrap_or(DEFAULT_PERSISTENCE_TIMEOUT)
                .to_string(),
        ),
        Field::text(
            FieldId::Netmask,
            if current.netmask.is_host() {
                String::new()
            } else {
                current.netmask.to_string()
            },
        ),
        Field::text(FieldId::Pe, current.pe.clone().unwrap_or_default()),
        Field::switch(FieldId::OnePacket, current.one_packet),
    ]
}

/// The kind chosen (an index into `KINDS`); an edited service keeps its own.
fn kind(form: &Ipvs, fields: Fields<'_, FieldId>) -> usize {
    match &form.kind {
        FormKind::EditService { original } => match original.key {
            ServiceKey::Addr { protocol, .. } => Protocol::ALL
                .iter()
                .position(|p| *p == protocol)
                .unwrap_or(0),
            ServiceKey::Fwmark { .. } => FWMARK,
        },
        _ => fields.selected(FieldId::Kind),
    }
}

/// The family of the service as typed so far (an address not yet valid counts by its colons).
pub fn family(form: &Ipvs, fields: Fields<'_, FieldId>) -> Family {
    if let FormKind::EditService { original } = &form.kind {
        return original.key.family();
    }
    if kind(form, fields) == FWMARK {
        return if fields.selected(FieldId::Family) == 1 {
            Family::Inet6
        } else {
            Family::Inet
        };
    }
    if fields.typed(FieldId::Address).contains(':') {
        Family::Inet6
    } else {
        Family::Inet
    }
}

pub fn visible(form: &Ipvs, fields: Fields<'_, FieldId>, id: FieldId) -> bool {
    let fwmark = kind(form, fields) == FWMARK;
    match id {
        FieldId::Address => matches!(form.kind, FormKind::EditService { .. }) || !fwmark,
        FieldId::Port => !fwmark,
        FieldId::Fwmark | FieldId::Family => fwmark,
        FieldId::SchedFlags => matches!(fields.typed(FieldId::Scheduler), "sh" | "mh"),
        FieldId::Timeout | FieldId::Netmask | FieldId::Pe => fields.on(FieldId::Persistent),
        FieldId::OnePacket => fwmark || KINDS[kind(form, fields)] == "UDP",
        _ => true,
    }
}

/// The service the visible fields describe; problems are recorded in `c`.
pub fn build(c: &mut Check) -> ServiceConfig {
    let (form, fields) = (c.form, c.fields);
    let family = family(form, fields);
    let key = match &form.kind {
        FormKind::EditService { original } => original.key,
        _ if kind(form, fields) == FWMARK => {
            let family = if c.selected(FieldId::Family) == 1 {
                Family::Inet6
            } else {
                Family::Inet
            };
            ServiceKey::Fwmark {
                mark: c.parse(FieldId::Fwmark, parse::fwmark, 0),
                family,
            }
        }
        _ => {
            let protocol = Protocol::ALL[kind(form, fields).min(2)];
            let unspecified = match family {
                Family::Inet => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                Family::Inet6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            };
            let addr = c.parse(
                FieldId::Address,
                |t| check::address("virtual service", t),
                unspecified,
            );
            let port = c.parse(FieldId::Port, |t| parse::port("port", t), 0);
            ServiceKey::Addr {
                protocol,
                addr,
                port,
            }
        }
    };
    let scheduler = c.parse(
        FieldId::Scheduler,
        parse::scheduler,
        DEFAULT_SCHEDULER.to_string(),
    );
    let [flag1, flag2, flag3] = c.flags(FieldId::SchedFlags);
    let persistent = c.on(FieldId::Persistent);
    let persistence = persistent.then(|| {
        c.parse(
            FieldId::Timeout,
            |t| parse::persistence_timeout(Some(t)),
            DEFAULT_PERSISTENCE_TIMEOUT,
        )
    });
    let netmask = if persistent {
        c.parse_optional(FieldId::Netmask, |t| parse::netmask(t, family))
    } else {
        None
    };
    let pe = if persistent {
        c.parse_optional(FieldId::Pe, parse::persistence_engine)
    } else {
        None
    };
    ServiceConfig {
        key,
        scheduler,
        sched_flags: SchedFlags {
            flag1,
            flag2,
            flag3,
        },
        persistence,
        one_packet: c.visible(FieldId::OnePacket) && c.on(FieldId::OnePacket),
        pe,
        netmask: netmask.unwrap_or(Netmask::host(family)),
    }
}
