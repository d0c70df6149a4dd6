//! The virtual-service form: which fields it has, which apply now, and the `ServiceConfig` they make.

use super::check::{self, Check};
use super::fields::{Field, FieldId};
use super::words::{FAMILIES, KINDS, service_name};
use super::{Form, FormKind};
use crate::ipvs::model::*;
use crate::ipvs::parse;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The index of "firewall mark" in `KINDS`.
const FWMARK: usize = 3;

pub fn add_fields() -> Vec<Field> {
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
pub fn edit_fields(current: &ServiceConfig) -> Vec<Field> {
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
fn kind(form: &Form) -> usize {
    match &form.kind {
        FormKind::EditService { original } => match original.key {
            ServiceKey::Addr { protocol, .. } => Protocol::ALL
                .iter()
                .position(|p| *p == protocol)
                .unwrap_or(0),
            ServiceKey::Fwmark { .. } => FWMARK,
        },
        _ => form.any_field(FieldId::Kind).map_or(0, Field::selected),
    }
}

/// The family of the service as typed so far (an address not yet valid counts by its colons).
pub fn family(form: &Form) -> Family {
    if let FormKind::EditService { original } = &form.kind {
        return original.key.family();
    }
    if kind(form) == FWMARK {
        return if form.any_field(FieldId::Family).map_or(0, Field::selected) == 1 {
            Family::Inet6
        } else {
            Family::Inet
        };
    }
    if form
        .any_field(FieldId::Address)
        .is_some_and(|f| f.typed().contains(':'))
    {
        Family::Inet6
    } else {
        Family::Inet
    }
}

pub fn visible(form: &Form, id: FieldId) -> bool {
    let on = |id| form.any_field(id).is_some_and(Field::is_on);
    let fwmark = kind(form) == FWMARK;
    match id {
        FieldId::Address => matches!(form.kind, FormKind::EditService { .. }) || !fwmark,
        FieldId::Port => !fwmark,
        FieldId::Fwmark | FieldId::Family => fwmark,
        FieldId::SchedFlags => form
            .any_field(FieldId::Scheduler)
            .is_some_and(|f| matches!(f.typed(), "sh" | "mh")),
        FieldId::Timeout | FieldId::Netmask | FieldId::Pe => on(FieldId::Persistent),
        FieldId::OnePacket => fwmark || KINDS[kind(form)] == "UDP",
        _ => true,
    }
}

/// The service the visible fields describe; problems are recorded in `c`.
pub fn build(c: &mut Check) -> ServiceConfig {
    let form = c.form;
    let family = family(form);
    let key = match &form.kind {
        FormKind::EditService { original } => original.key,
        _ if kind(form) == FWMARK => {
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
            let protocol = Protocol::ALL[kind(form).min(2)];
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
