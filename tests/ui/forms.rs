//! The forms of the console: a table of bad inputs (each with its exact message, where it shows,
//! the typed text kept and no operation), good inputs with their exact operations and commands,
//! snapshots of every form drawn, and arbitrary keys that never panic nor produce a bad change.

use ipvs_tui::console::form::{Confirm, FieldId, Form, Value};
use ipvs_tui::ipvs::IpvsOp;
use ipvs_tui::ipvs::model::{
    self, Dest, DestConfig, Forward, Protocol, Service, ServiceConfig, ServiceKey, Snapshot, Stats,
    SyncDaemon, SyncState, Timeouts,
};
use ipvs_tui::ipvs::parse;
use ipvs_tui::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::net::IpAddr;
use tui_input::InputRequest;

// ---------------------------------------------------------------- fixtures

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn svc_key(addr: &str, port: u16) -> ServiceKey {
    ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: ip(addr),
        port,
    }
}

/// TCP 198.51.100.1:80, wlc.
fn web() -> ServiceConfig {
    ServiceConfig::new(svc_key("198.51.100.1", 80))
}

/// TCP [2001:db8::1]:443.
fn web6() -> ServiceConfig {
    ServiceConfig::new(svc_key("2001:db8::1", 443))
}

/// TCP 198.51.100.1:0, persistent 600 s.
fn any_port() -> ServiceConfig {
    ServiceConfig {
        persistence: Some(600),
        ..ServiceConfig::new(svc_key("198.51.100.1", 0))
    }
}

fn masq(addr: &str, port: u16, weight: u32) -> DestConfig {
    DestConfig {
        forward: Forward::Masq,
        weight,
        ..DestConfig::new(ip(addr), port)
    }
}

fn dest(config: DestConfig) -> Dest {
    Dest {
        config,
        active_conns: 0,
        inact_conns: 0,
        persist_conns: 0,
        stats: Stats::default(),
    }
}

fn daemon(state: SyncState) -> SyncDaemon {
    SyncDaemon {
        state,
        mcast_ifn: "eth1".into(),
        sync_id: 7,
        sync_maxlen: 0,
        mcast_group: None,
        mcast_port: 0,
        mcast_ttl: 0,
    }
}

/// The table now: web with one real server, fwmark 7, a master daemon.
fn table() -> Snapshot {
    let fwm = ServiceConfig::new(ServiceKey::Fwmark {
        mark: 7,
        family: model::Family::Inet,
    });
    Snapshot {
        services: vec![
            Service {
                config: web(),
                stats: Stats::default(),
                dests: vec![dest(masq("203.0.113.2", 80, 1))],
            },
            Service {
                config: fwm,
                stats: Stats::default(),
                dests: vec![],
            },
        ],
        daemons: vec![daemon(SyncState::Master)],
        ..Snapshot::default()
    }
}

fn empty_table() -> Snapshot {
    Snapshot::default()
}

// ---------------------------------------------------------------- typing

/// Tabs to `id` (it must be reachable) and gives it `text`: typed into a text field (after
/// clearing it), the option of that name for a choice, `on`/`off` for a switch.
fn set(form: &mut Form, id: FieldId, text: &str) {
    for _ in 0..40 {
        if form.focused() == Some(id) {
            break;
        }
        form.next_field();
    }
    assert_eq!(
        form.focused(),
        Some(id),
        "{id:?} is reachable with Tab in {}",
        form.title()
    );
    let value = form
        .fields()
        .into_iter()
        .find(|f| f.id == id)
        .unwrap()
        .value
        .clone();
    match value {
        Value::Text(_) | Value::Combo { .. } => {
            form.edit(InputRequest::DeleteLine);
            text.chars()
                .for_each(|c| form.edit(InputRequest::InsertChar(c)));
        }
        Value::Choice { options, .. } => {
            for _ in 0..options.len() {
                if form.value(id).as_deref() == Some(text) {
                    break;
                }
                form.edit(InputRequest::GoToNextChar);
            }
        }
        Value::Switch(on) => {
            if on != (text == "on") {
                form.edit(InputRequest::InsertChar(' '));
            }
        }
        Value::Flags { .. } => {
            // "101": each flag in turn, on where 1.
            for (i, want) in text.chars().enumerate() {
                if want == '1' {
                    form.edit(InputRequest::InsertChar(' '));
                }
                if i < 2 {
                    form.edit(InputRequest::GoToNextChar);
                }
            }
        }
        Value::Fixed(_) => panic!("{id:?} is not editable"),
    }
    if !matches!(value, Value::Flags { .. }) {
        assert_eq!(
            form.value(id).as_deref(),
            Some(text),
            "{id:?} of {}",
            form.title()
        );
    }
}

fn filled(mut form: Form, values: &[(FieldId, &str)]) -> Form {
    for (id, text) in values {
        set(&mut form, *id, text);
    }
    form
}

// ---------------------------------------------------------------- bad inputs

#[derive(Clone, Copy)]
enum Where {
    Field(FieldId),
    Form,
}

struct Bad {
    form: fn() -> Form,
    values: &'static [(FieldId, &'static str)],
    table: fn() -> Snapshot,
    at: Where,
    message: &'static str,
}

use FieldId::*;

macro_rules! sched_msg {
    ($head:literal) => {
        concat!($head, "must be a scheduler name such as rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos (1 to 15 letters, digits or _)")
    };
}
macro_rules! ifn_msg {
    ($head:literal) => {
        concat!(
            $head,
            "must be an interface name of 1 to 15 characters without '/', ':' or spaces"
        )
    };
}

fn add_service() -> Form {
    Form::add_service()
}
fn edit_web() -> Form {
    Form::edit_service(&web())
}
fn edit_any_port() -> Form {
    Form::edit_service(&any_port())
}
fn add_to_web() -> Form {
    Form::add_dest(&web())
}
fn add_to_web6() -> Form {
    Form::add_dest(&web6())
}
fn edit_server() -> Form {
    Form::edit_dest(&web(), &masq("203.0.113.2", 80, 1))
}
fn edit_gone_server() -> Form {
    Form::edit_dest(&web(), &masq("203.0.113.9", 80, 1))
}
fn weight_form() -> Form {
    Form::weight(&web(), &masq("203.0.113.2", 80, 1))
}
fn weight_gone() -> Form {
    Form::weight(&web(), &masq("203.0.113.9", 80, 1))
}
fn timeouts() -> Form {
    Form::timeouts(&Timeouts {
        tcp: 900,
        tcp_fin: 120,
        udp: 300,
    })
}
fn daemons() -> Form {
    Form::daemon(&[])
}

#[rustfmt::skip]
const BAD: &[Bad] = &[
    // The virtual service.
    Bad { form: add_service, values: &[(Address, "192.0.2.300"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"192.0.2.300\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "10.0.0"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"10.0.0\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "2001:db8::g1"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"2001:db8::g1\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "2001:db8:::1"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"2001:db8:::1\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1:80"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"198.51.100.1:80\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "[2001:db8::1]:80"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"[2001:db8::1]:80\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "fe80::1%eth0"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"fe80::1%eth0\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, ""), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service: must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "224.0.0.1"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"224.0.0.1\": must be a unicast address" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "65536")], table: empty_table, at: Where::Field(Port), message: "port \"65536\": must be a whole number from 0 to 65535" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "-1")], table: empty_table, at: Where::Field(Port), message: "port \"-1\": must be a whole number from 0 to 65535" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "")], table: empty_table, at: Where::Field(Port), message: "port: must be a whole number from 0 to 65535" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "0")], table: empty_table, at: Where::Field(Port), message: "port: port 0 (any port) is allowed only for a persistent service" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Scheduler, "round-robin")], table: empty_table, at: Where::Field(Scheduler), message: sched_msg!("scheduler \"round-robin\": ") },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Scheduler, "")], table: empty_table, at: Where::Field(Scheduler), message: sched_msg!("scheduler: ") },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Scheduler, "abcdefghijklmnop")], table: empty_table, at: Where::Field(Scheduler), message: sched_msg!("scheduler \"abcdefghijklmnop\": ") },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Persistent, "on"), (Timeout, "0")], table: empty_table, at: Where::Field(Timeout), message: "persistence timeout \"0\": must be a whole number from 1 to 2678400" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Persistent, "on"), (Timeout, "2678401")], table: empty_table, at: Where::Field(Timeout), message: "persistence timeout \"2678401\": must be a whole number from 1 to 2678400" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Persistent, "on"), (Netmask, "255.0.255.0")], table: empty_table, at: Where::Field(Netmask), message: "netmask \"255.0.255.0\": must be a contiguous IPv4 netmask such as 255.255.255.0" },
    Bad { form: add_service, values: &[(Address, "2001:db8::1"), (Port, "443"), (Persistent, "on"), (Netmask, "129")], table: empty_table, at: Where::Field(Netmask), message: "netmask \"129\": must be an IPv6 prefix length from 1 to 128" },
    Bad { form: add_service, values: &[(Address, "2001:db8::1"), (Port, "443"), (Persistent, "on"), (Netmask, "255.255.255.0")], table: empty_table, at: Where::Field(Netmask), message: "netmask \"255.255.255.0\": must be an IPv6 prefix length from 1 to 128" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "5060"), (Persistent, "on"), (Pe, "s-i-p")], table: empty_table, at: Where::Field(Pe), message: "persistence engine \"s-i-p\": must be a persistence engine name such as sip (1 to 15 letters, digits or _)" },
    Bad { form: add_service, values: &[(Kind, "firewall mark"), (Fwmark, "0")], table: empty_table, at: Where::Field(Fwmark), message: "fwmark \"0\": must be a whole number from 1 to 4294967295" },
    Bad { form: add_service, values: &[(Kind, "firewall mark"), (Fwmark, "4294967296")], table: empty_table, at: Where::Field(Fwmark), message: "fwmark \"4294967296\": must be a whole number from 1 to 4294967295" },
    Bad { form: add_service, values: &[(Kind, "firewall mark"), (Fwmark, "")], table: empty_table, at: Where::Field(Fwmark), message: "fwmark: must be a whole number from 1 to 4294967295" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80")], table, at: Where::Field(Address), message: "TCP 198.51.100.1:80 already exists: edit it instead" },
    Bad { form: add_service, values: &[(Kind, "firewall mark"), (Fwmark, "7")], table, at: Where::Field(Fwmark), message: "fwmark 7 (IPv4) already exists: edit it instead" },
    Bad { form: edit_web, values: &[(Scheduler, "rr")], table: empty_table, at: Where::Form, message: "TCP 198.51.100.1:80 no longer exists: it was deleted since this form opened" },
    Bad { form: edit_web, values: &[(Scheduler, "wlc!")], table, at: Where::Field(Scheduler), message: sched_msg!("scheduler \"wlc!\": ") },
    Bad { form: edit_any_port, values: &[(Persistent, "off")], table: empty_table, at: Where::Form, message: "port: port 0 (any port) is allowed only for a persistent service" },
    // Real servers.
    Bad { form: add_to_web, values: &[(Server, "203.0.113.256")], table, at: Where::Field(Server), message: "real server \"203.0.113.256\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_to_web, values: &[(Server, "")], table, at: Where::Field(Server), message: "real server: must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_to_web, values: &[(Server, "255.255.255.255")], table, at: Where::Field(Server), message: "real server \"255.255.255.255\": must be a unicast address" },
    Bad { form: add_to_web, values: &[(Server, "2001:db8::2")], table, at: Where::Field(Server), message: "real server \"2001:db8::2\": is IPv6 but the service is IPv4; mixing families is allowed only for tunnel forwarding" },
    Bad { form: add_to_web6, values: &[(Server, "203.0.113.2"), (Method, "masquerading (NAT, -m)")], table: empty_table, at: Where::Field(Server), message: "real server \"203.0.113.2\": is IPv4 but the service is IPv6; mixing families is allowed only for tunnel forwarding" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "masquerading (NAT, -m)"), (ServerPort, "65536")], table, at: Where::Field(ServerPort), message: "port \"65536\": must be a whole number from 0 to 65535" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "masquerading (NAT, -m)"), (ServerPort, "")], table, at: Where::Field(ServerPort), message: "port: must be a whole number from 0 to 65535" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Weight, "-1")], table, at: Where::Field(Weight), message: "weight \"-1\": must be a whole number from 0 to 2147483647" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Weight, "2147483648")], table, at: Where::Field(Weight), message: "weight \"2147483648\": must be a whole number from 0 to 2147483647" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Weight, "")], table, at: Where::Field(Weight), message: "weight: must be a whole number from 0 to 2147483647" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (UpperThreshold, "2147483648")], table, at: Where::Field(UpperThreshold), message: "upper threshold \"2147483648\": must be a whole number from 0 to 2147483647" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (UpperThreshold, "5"), (LowerThreshold, "10")], table, at: Where::Field(LowerThreshold), message: "lower threshold \"10\": must not be above the upper threshold (5)" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (LowerThreshold, "x")], table, at: Where::Field(LowerThreshold), message: "lower threshold \"x\": must be a whole number from 0 to 2147483647" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)"), (TunnelPort, "6080")], table, at: Where::Field(TunnelPort), message: "tunnel port \"6080\": is only for gue tunnels, not ipip; leave it empty" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)"), (TunnelType, "gre"), (TunnelPort, "6080")], table, at: Where::Field(TunnelPort), message: "tunnel port \"6080\": is only for gue tunnels, not gre; leave it empty" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)"), (TunnelType, "gue")], table, at: Where::Field(TunnelPort), message: "tunnel port: must be a whole number from 1 to 65535" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)"), (TunnelType, "gue"), (TunnelPort, "0")], table, at: Where::Field(TunnelPort), message: "tunnel port \"0\": must be a whole number from 1 to 65535" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)"), (TunnelType, "gre"), (TunnelCsum, "remcsum")], table, at: Where::Field(TunnelCsum), message: "tunnel options: a gre tunnel takes no port and no remote checksum (--tun-remcsum is for gue)" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.2"), (Method, "masquerading (NAT, -m)")], table, at: Where::Field(Server), message: "real server 203.0.113.2:80 already exists in TCP 198.51.100.1:80: edit it instead" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3")], table: empty_table, at: Where::Form, message: "TCP 198.51.100.1:80 no longer exists: it was deleted since this form opened" },
    Bad { form: edit_gone_server, values: &[(Weight, "4")], table, at: Where::Form, message: "real server 203.0.113.9:80 of TCP 198.51.100.1:80 no longer exists: it was deleted since this form opened" },
    Bad { form: edit_server, values: &[(UpperThreshold, "100"), (LowerThreshold, "200")], table, at: Where::Field(LowerThreshold), message: "lower threshold \"200\": must not be above the upper threshold (100)" },
    Bad { form: weight_form, values: &[(Weight, "-1")], table, at: Where::Field(Weight), message: "weight \"-1\": must be a whole number from 0 to 2147483647" },
    Bad { form: weight_form, values: &[(Weight, "2147483648")], table, at: Where::Field(Weight), message: "weight \"2147483648\": must be a whole number from 0 to 2147483647" },
    Bad { form: weight_form, values: &[(Weight, "3.5")], table, at: Where::Field(Weight), message: "weight \"3.5\": must be a whole number from 0 to 2147483647" },
    Bad { form: weight_gone, values: &[(Weight, "0")], table, at: Where::Form, message: "real server 203.0.113.9:80 of TCP 198.51.100.1:80 no longer exists: it was deleted since this form opened" },
    // Timeouts.
    Bad { form: timeouts, values: &[(Tcp, "2678401")], table, at: Where::Field(Tcp), message: "tcp timeout \"2678401\": must be a whole number from 0 to 2678400" },
    Bad { form: timeouts, values: &[(TcpFin, "-5")], table, at: Where::Field(TcpFin), message: "tcpfin timeout \"-5\": must be a whole number from 0 to 2678400" },
    Bad { form: timeouts, values: &[(Udp, "")], table, at: Where::Field(Udp), message: "udp timeout: must be a whole number from 0 to 2678400" },
    // Sync daemons.
    Bad { form: daemons, values: &[(SyncId, "256")], table: empty_table, at: Where::Field(SyncId), message: "syncid \"256\": must be a whole number from 0 to 255" },
    Bad { form: daemons, values: &[(Interface, "eth0123456789abc")], table: empty_table, at: Where::Field(Interface), message: ifn_msg!("interface \"eth0123456789abc\": ") },
    Bad { form: daemons, values: &[(Interface, "eth 0")], table: empty_table, at: Where::Field(Interface), message: ifn_msg!("interface \"eth 0\": ") },
    Bad { form: daemons, values: &[(Interface, "eth0:1")], table: empty_table, at: Where::Field(Interface), message: ifn_msg!("interface \"eth0:1\": ") },
    Bad { form: daemons, values: &[(Interface, "")], table: empty_table, at: Where::Field(Interface), message: ifn_msg!("interface: ") },
    Bad { form: daemons, values: &[(Ttl, "0")], table: empty_table, at: Where::Field(Ttl), message: "multicast ttl \"0\": must be a whole number from 1 to 255" },
    Bad { form: daemons, values: &[(Ttl, "256")], table: empty_table, at: Where::Field(Ttl), message: "multicast ttl \"256\": must be a whole number from 1 to 255" },
    Bad { form: daemons, values: &[(Group, "10.0.0.1")], table: empty_table, at: Where::Field(Group), message: "multicast group \"10.0.0.1\": must be an IPv4 or IPv6 multicast address, e.g. 224.0.0.81" },
    Bad { form: daemons, values: &[(Group, "ff02::zz")], table: empty_table, at: Where::Field(Group), message: "multicast group \"ff02::zz\": must be an IPv4 or IPv6 multicast address, e.g. 224.0.0.81" },
    Bad { form: daemons, values: &[(McastPort, "0")], table: empty_table, at: Where::Field(McastPort), message: "multicast port \"0\": must be a whole number from 1 to 65535" },
    Bad { form: daemons, values: &[(MaxLen, "65508")], table: empty_table, at: Where::Field(MaxLen), message: "sync maxlen \"65508\": must be a whole number from 1 to 65507" },
    Bad { form: daemons, values: &[(DaemonRole, "master")], table, at: Where::Field(DaemonRole), message: "a master sync daemon is already running: stop it first" },
    Bad { form: daemons, values: &[(DaemonAction, "stop"), (DaemonRole, "backup")], table, at: Where::Field(DaemonRole), message: "no backup sync daemon is running" },
];

#[test]
fn every_bad_input_is_refused_with_its_message_where_it_belongs_and_the_typing_kept() {
    assert!(BAD.len() >= 40, "{} rows", BAD.len());
    for (n, row) in BAD.iter().enumerate() {
        let mut form = filled((row.form)(), row.values);
        let ops = form.submit(Some(&(row.table)()));
        let context = format!("row {n}: {} {:?}", form.title(), row.values);
        assert_eq!(ops, None, "{context}: no operation");
        for (id, text) in row.values {
            assert_eq!(
                form.value(*id).as_deref(),
                Some(*text),
                "{context}: {id:?} kept"
            );
        }
        match row.at {
            Where::Field(id) => {
                assert_eq!(
                    form.field_error(id),
                    Some(row.message),
                    "{context}: under {id:?}"
                );
                assert_eq!(form.error(), None, "{context}: nothing for the whole form");
            }
            Where::Form => assert_eq!(
                form.error(),
                Some(row.message),
                "{context}: for the whole form"
            ),
        }
        // A problem of the fields alone (not of the table) leaves nothing to preview.
        if filled((row.form)(), row.values).submit(None).is_none() {
            assert_eq!(form.preview(), None, "{context}: no command to preview");
        }
    }
}

// ---------------------------------------------------------------- good inputs

/// Submits against `table` and returns the operations with their preview.
fn good(mut form: Form, table: &Snapshot) -> (Vec<IpvsOp>, String) {
    let preview = form
        .preview()
        .unwrap_or_else(|| panic!("{}: a preview", form.title()));
    let ops = form.submit(Some(table)).unwrap_or_else(|| {
        panic!(
            "{}: accepted, yet {:?} {:?}",
            form.title(),
            form.error(),
            form.fields().iter().map(|f| f.error).collect::<Vec<_>>()
        )
    });
    assert_eq!(
        preview,
        ops.iter()
            .map(IpvsOp::to_command)
            .collect::<Vec<_>>()
            .join("\n"),
        "the preview is the command applied"
    );
    (ops, preview)
}

#[test]
fn a_plain_tcp_service_takes_ipvsadm_defaults() {
    let form = filled(
        Form::add_service(),
        &[(Address, "198.51.100.9"), (Port, "80")],
    );
    let (ops, preview) = good(form, &table());
    assert_eq!(
        ops,
        [IpvsOp::AddService(ServiceConfig::new(svc_key(
            "198.51.100.9",
            80
        )))]
    );
    assert_eq!(preview, "ipvsadm -A -t 198.51.100.9:80 -s wlc");
}

#[test]
fn a_persistent_udp_service_with_every_option() {
    let form = filled(
        Form::add_service(),
        &[
            (Kind, "UDP"),
            (Address, "198.51.100.53"),
            (Port, "0"),
            (Scheduler, "sh"),
            (SchedFlags, "110"),
            (Persistent, "on"),
            (Timeout, "900"),
            (Netmask, "255.255.255.0"),
            (Pe, "sip"),
            (OnePacket, "on"),
        ],
    );
    assert_eq!(
        form.value(SchedFlags).as_deref(),
        Some("sh-fallback,sh-port")
    );
    let (_, preview) = good(form, &table());
    assert_eq!(
        preview,
        "ipvsadm -A -u 198.51.100.53:0 -s sh -p 900 -M 255.255.255.0 --pe sip -o -b sh-fallback,sh-port"
    );
}

#[test]
fn an_ipv6_fwmark_service_with_a_prefix_length() {
    let mut form = filled(
        Form::add_service(),
        &[
            (Kind, "firewall mark"),
            (Fwmark, "42"),
            (Family, "IPv6"),
            (Persistent, "on"),
            (Netmask, "64"),
        ],
    );
    assert!(
        form.fields()
            .iter()
            .any(|f| f.id == Netmask && f.label.contains("prefix length"))
    );
    assert!(
        form.fields()
            .iter()
            .all(|f| f.id != Address && f.id != Port)
    );
    form.submit(None).unwrap();
    let (ops, preview) = good(form, &table());
    assert_eq!(preview, "ipvsadm -A -f 42 -6 -s wlc -p 360 -M 64");
    let IpvsOp::AddService(s) = &ops[0] else {
        panic!()
    };
    assert_eq!(s.netmask, model::Netmask::V6(64));
}

#[test]
fn hidden_service_fields_do_not_leak_into_the_operation() {
    // One-packet typed for UDP, persistence typed then turned off, flags for sh then rr.
    let form = filled(
        Form::add_service(),
        &[
            (Kind, "UDP"),
            (OnePacket, "on"),
            (Scheduler, "sh"),
            (SchedFlags, "111"),
            (Persistent, "on"),
            (Timeout, "0"),
            (Pe, "bad name"),
        ],
    );
    let form = filled(
        form,
        &[
            (Kind, "TCP"),
            (Address, "198.51.100.9"),
            (Port, "443"),
            (Scheduler, "rr"),
            (Persistent, "off"),
        ],
    );
    let (ops, preview) = good(form, &table());
    assert_eq!(
        ops,
        [IpvsOp::AddService(ServiceConfig {
            scheduler: "rr".into(),
            ..ServiceConfig::new(svc_key("198.51.100.9", 443))
        })]
    );
    assert_eq!(preview, "ipvsadm -A -t 198.51.100.9:443 -s rr");
}

#[test]
fn an_edit_starts_with_the_current_values_and_keeps_the_key() {
    let current = ServiceConfig {
        scheduler: "mh".into(),
        sched_flags: model::SchedFlags {
            flag1: false,
            flag2: true,
            flag3: false,
        },
        persistence: Some(600),
        netmask: model::Netmask::V4("255.255.0.0".parse().unwrap()),
        pe: Some("sip".into()),
        ..web()
    };
    let form = Form::edit_service(&current);
    assert_eq!(form.value(Address).as_deref(), Some("TCP 198.51.100.1:80"));
    assert_eq!(form.focused(), Some(Scheduler), "the key is not editable");
    let mut table = table();
    table.services[0].config = current.clone();
    let (ops, preview) = good(form.clone(), &table);
    assert_eq!(ops, [IpvsOp::EditService(current.clone())]);
    assert_eq!(
        preview,
        "ipvsadm -E -t 198.51.100.1:80 -s mh -p 600 -M 255.255.0.0 --pe sip -b mh-port"
    );
    let (_, preview) = good(
        filled(form, &[(Scheduler, "wrr"), (Persistent, "off")]),
        &table,
    );
    assert_eq!(preview, "ipvsadm -E -t 198.51.100.1:80 -s wrr");
}

#[test]
fn a_masquerading_real_server_with_weight_and_thresholds() {
    let form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "masquerading (NAT, -m)"),
            (ServerPort, "8080"),
            (Weight, "3"),
            (UpperThreshold, "100"),
            (LowerThreshold, "50"),
        ],
    );
    let (ops, preview) = good(form, &table());
    let dest = DestConfig {
        u_threshold: 100,
        l_threshold: 50,
        ..masq("203.0.113.3", 8080, 3)
    };
    assert_eq!(
        ops,
        [IpvsOp::AddDest {
            service: web().key,
            dest
        }]
    );
    assert_eq!(
        preview,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:8080 -m -w 3 -x 100 -y 50"
    );
}

#[test]
fn the_brief_example_and_the_default_port_of_masquerading() {
    let form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "masquerading (NAT, -m)"),
            (Weight, "3"),
        ],
    );
    assert_eq!(
        good(form, &table()).1,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -m -w 3"
    );
}

#[test]
fn direct_routing_and_tunnels_take_the_service_port_whatever_was_typed() {
    let typed = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "masquerading (NAT, -m)"),
            (ServerPort, "8080"),
        ],
    );
    let route = filled(typed.clone(), &[(Method, "direct routing (DR, -g)")]);
    assert_eq!(
        good(route, &table()).1,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -g -w 1"
    );
    let tunnel = filled(typed, &[(Method, "tunnel (TUN, -i)")]);
    assert_eq!(
        good(tunnel, &table()).1,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -i -w 1 --tun-type ipip"
    );
}

#[test]
fn tunnel_fields_typed_then_switched_to_masquerading_do_not_leak() {
    let form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "tunnel (TUN, -i)"),
            (TunnelType, "gue"),
            (TunnelPort, "6080"),
            (TunnelCsum, "remcsum"),
            (Weight, "2"),
        ],
    );
    let (_, preview) = good(form.clone(), &table());
    assert_eq!(
        preview,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -i -w 2 --tun-type gue --tun-port 6080 --tun-remcsum"
    );
    let to_masq = filled(form.clone(), &[(Method, "masquerading (NAT, -m)")]);
    let (ops, preview) = good(to_masq, &table());
    assert_eq!(
        ops,
        [IpvsOp::AddDest {
            service: web().key,
            dest: masq("203.0.113.3", 80, 2)
        }]
    );
    assert_eq!(
        preview,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -m -w 2"
    );
    let gre = filled(
        form,
        &[(TunnelType, "gre"), (TunnelPort, ""), (TunnelCsum, "csum")],
    );
    assert_eq!(
        good(gre, &table()).1,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -i -w 2 --tun-type gre --tun-csum"
    );
}

#[test]
fn an_ipv4_real_server_under_an_ipv6_service_by_tunnel() {
    let form = filled(
        Form::add_dest(&web6()),
        &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)")],
    );
    let table = Snapshot {
        services: vec![Service {
            config: web6(),
            stats: Stats::default(),
            dests: vec![],
        }],
        ..Snapshot::default()
    };
    assert_eq!(
        good(form, &table).1,
        "ipvsadm -a -t [2001:db8::1]:443 -r 203.0.113.3:443 -i -w 1 --tun-type ipip"
    );
}

#[test]
fn a_fwmark_service_gives_direct_routing_no_port_and_masquerading_the_one_typed() {
    let fwm = ServiceConfig::new(ServiceKey::Fwmark {
        mark: 7,
        family: model::Family::Inet,
    });
    let route = filled(Form::add_dest(&fwm), &[(Server, "203.0.113.3")]);
    assert_eq!(
        good(route, &table()).1,
        "ipvsadm -a -f 7 -r 203.0.113.3:0 -g -w 1"
    );
    let nat = filled(
        Form::add_dest(&fwm),
        &[
            (Server, "203.0.113.3"),
            (Method, "masquerading (NAT, -m)"),
            (ServerPort, "8080"),
        ],
    );
    assert_eq!(
        good(nat, &table()).1,
        "ipvsadm -a -f 7 -r 203.0.113.3:8080 -m -w 1"
    );
}

#[test]
fn editing_a_real_server_keeps_its_address_and_port() {
    let form = Form::edit_dest(&web(), &masq("203.0.113.2", 80, 1));
    assert_eq!(form.value(Server).as_deref(), Some("203.0.113.2:80"));
    assert_eq!(
        form.value(Method).as_deref(),
        Some("masquerading (NAT, -m)")
    );
    assert!(form.fields().iter().all(|f| f.id != ServerPort));
    let form = filled(form, &[(Weight, "5"), (UpperThreshold, "10")]);
    assert_eq!(
        good(form, &table()).1,
        "ipvsadm -e -t 198.51.100.1:80 -r 203.0.113.2:80 -m -w 5 -x 10"
    );
}

#[test]
fn the_weight_form_changes_only_the_weight() {
    let current = DestConfig {
        u_threshold: 9,
        ..masq("203.0.113.2", 80, 1)
    };
    let form = Form::weight(&web(), &current);
    assert_eq!(
        form.fields()
            .iter()
            .filter(|f| !matches!(f.value, Value::Fixed(_)))
            .count(),
        1
    );
    let (ops, preview) = good(filled(form, &[(Weight, "0")]), &table());
    assert_eq!(
        ops,
        [IpvsOp::EditDest {
            service: web().key,
            dest: DestConfig {
                weight: 0,
                ..current
            }
        }]
    );
    assert_eq!(
        preview,
        "ipvsadm -e -t 198.51.100.1:80 -r 203.0.113.2:80 -m -w 0 -x 9"
    );
}

#[test]
fn timeouts_start_filled_and_zero_leaves_one_unchanged() {
    let (_, preview) = good(filled(timeouts(), &[(TcpFin, "0"), (Udp, "60")]), &table());
    assert_eq!(preview, "ipvsadm --set 900 0 60");
}

#[test]
fn sync_daemons_start_with_every_option_and_stop() {
    let form = Form::daemon(&[daemon(SyncState::Master)]);
    assert_eq!(
        form.value(DaemonRole).as_deref(),
        Some("backup"),
        "the role not running yet"
    );
    assert_eq!(
        form.value(Interface).as_deref(),
        Some("eth1"),
        "the running daemon's interface"
    );
    assert_eq!(form.context(), ["running: master on eth1, syncid 7"]);
    let start = filled(
        form.clone(),
        &[
            (MaxLen, "1400"),
            (Group, "239.1.2.3"),
            (McastPort, "8849"),
            (Ttl, "2"),
        ],
    );
    assert_eq!(
        good(start, &table()).1,
        "ipvsadm --start-daemon backup --mcast-interface eth1 --syncid 7 --sync-maxlen 1400 --mcast-group 239.1.2.3 --mcast-port 8849 --mcast-ttl 2"
    );
    let stop = filled(form, &[(DaemonAction, "stop"), (DaemonRole, "master")]);
    assert!(
        stop.fields().iter().all(|f| f.id != Interface),
        "stopping needs only the role"
    );
    assert_eq!(good(stop, &table()).1, "ipvsadm --stop-daemon master");
    let fresh = Form::daemon(&[]);
    assert_eq!(
        good(fresh, &Snapshot::default()).1,
        "ipvsadm --start-daemon master --mcast-interface eth0 --syncid 255"
    );
}

// ---------------------------------------------------------------- arbitrary keys

mod arbitrary {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    pub enum Key {
        Edit(InputRequest),
        Next,
        Prev,
        Submit,
    }

    fn request() -> impl Strategy<Value = InputRequest> {
        use InputRequest::*;
        let typed = prop_oneof![
            8 => proptest::sample::select("0123456789.:[]abcdefx -/,_".chars().collect::<Vec<_>>()),
            1 => any::<char>(),
        ];
        prop_oneof![
            10 => typed.prop_map(InsertChar),
            2 => Just(GoToPrevChar),
            2 => Just(GoToNextChar),
            2 => Just(DeletePrevChar),
            1 => Just(DeleteNextChar),
            1 => Just(DeleteLine),
            1 => Just(GoToStart),
            1 => Just(GoToEnd),
            1 => Just(GoToPrevWord),
            1 => Just(GoToNextWord),
            1 => Just(DeletePrevWord),
            1 => Just(DeleteNextWord),
            1 => Just(DeleteTillEnd),
            1 => Just(DeleteFromStart),
            1 => Just(Yank),
            1 => (0usize..40).prop_map(SetCursor),
        ]
    }

    pub fn keys() -> impl Strategy<Value = Vec<Key>> {
        let key = prop_oneof![12 => request().prop_map(Key::Edit), 3 => Just(Key::Next), 1 => Just(Key::Prev), 1 => Just(Key::Submit)];
        proptest::collection::vec(key, 0..80)
    }

    pub fn forms() -> Vec<Form> {
        let fwm = ServiceConfig::new(ServiceKey::Fwmark {
            mark: 7,
            family: model::Family::Inet6,
        });
        vec![
            Form::add_service(),
            Form::edit_service(&web()),
            Form::edit_service(&any_port()),
            Form::add_dest(&web()),
            Form::add_dest(&web6()),
            Form::add_dest(&fwm),
            Form::edit_dest(&web(), &masq("203.0.113.2", 80, 1)),
            Form::weight(&web(), &masq("203.0.113.2", 80, 1)),
            Form::timeouts(&Timeouts::default()),
            Form::daemon(&[]),
            Form::daemon(&[daemon(SyncState::Master), daemon(SyncState::Backup)]),
        ]
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    #[test]
    fn any_keys_into_any_form_never_panic_and_never_make_a_bad_change(which in 0usize..11, keys in arbitrary::keys(), width in 0u16..200, height in 0u16..60) {
        let mut form = arbitrary::forms().swap_remove(which);
        let table = table();
        for key in keys {
            match key {
                arbitrary::Key::Edit(req) => form.edit(req),
                arbitrary::Key::Next => form.next_field(),
                arbitrary::Key::Prev => form.prev_field(),
                arbitrary::Key::Submit => {
                    if let Some(ops) = form.submit(Some(&table)) {
                        for op in &ops {
                            proptest::prop_assert_eq!(parse::validate(op), Ok(()), "{:?}", op);
                        }
                    }
                }
            }
            let _ = form.preview();
            proptest::prop_assert!(form.focused().is_some_and(|id| form.fields().iter().any(|f| f.id == id && f.focused)), "the focus is on a shown field");
        }
        for op in form.submit(None).unwrap_or_default() {
            proptest::prop_assert_eq!(parse::validate(&op), Ok(()), "{:?}", op);
        }
        // Drawn at any size, with whatever errors it has, it does not panic either.
        render_with(width, height, &Theme::builtin(), |f, theme| ipvs_tui::ui::form::draw(f, f.area(), &form, theme));
        let confirm = Confirm::new(form.title(), form.submit(None).unwrap_or_default(), Some("flush"));
        render_with(width, height, &Theme::builtin(), |f, theme| ipvs_tui::ui::form::draw_confirm(f, f.area(), &confirm, theme));
    }
}

// ---------------------------------------------------------------- on screen

/// The form drawn over a blank `width` x `height` screen.
fn render_with(
    width: u16,
    height: u16,
    theme: &Theme,
    draw: impl Fn(&mut ratatui::Frame, &Theme),
) -> (Buffer, Option<(u16, u16)>) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(f, theme)).unwrap();
    let backend = terminal.backend();
    let cursor = backend
        .cursor_visible()
        .then(|| (backend.cursor_position().x, backend.cursor_position().y));
    (backend.buffer().clone(), cursor)
}

fn text(buffer: &Buffer) -> String {
    let width = buffer.area.width as usize;
    let symbols: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
    symbols
        .chunks(width)
        .map(|row| row.concat().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screen's text, then where the cursor is.
fn screen(form: &Form, width: u16, height: u16) -> String {
    let (buffer, cursor) = render_with(width, height, &Theme::builtin(), |f, theme| {
        ipvs_tui::ui::form::draw(f, f.area(), form, theme)
    });
    format!("{}\ncursor: {cursor:?}", text(&buffer))
}

fn confirm_screen(confirm: &Confirm, width: u16, height: u16) -> String {
    let (buffer, cursor) = render_with(width, height, &Theme::builtin(), |f, theme| {
        ipvs_tui::ui::form::draw_confirm(f, f.area(), confirm, theme)
    });
    format!("{}\ncursor: {cursor:?}", text(&buffer))
}

fn focus(mut form: Form, id: FieldId) -> Form {
    while form.focused() != Some(id) {
        form.next_field();
    }
    form
}

fn persistent_sh_service() -> Form {
    filled(
        Form::add_service(),
        &[
            (Address, "198.51.100.1"),
            (Port, "443"),
            (Scheduler, "sh"),
            (SchedFlags, "100"),
            (Persistent, "on"),
            (Timeout, "900"),
            (Netmask, "255.255.255.0"),
        ],
    )
}

#[test]
fn add_service_empty_80x24() {
    insta::assert_snapshot!(screen(&Form::add_service(), 80, 24));
}

#[test]
fn add_service_filled_80x24() {
    insta::assert_snapshot!(screen(&focus(persistent_sh_service(), Address), 80, 24));
}

#[test]
fn add_service_filled_160x48() {
    insta::assert_snapshot!(screen(&focus(persistent_sh_service(), SchedFlags), 160, 48));
}

#[test]
fn add_service_with_errors_80x24_scrolls_to_the_focused_field() {
    let mut form = filled(
        Form::add_service(),
        &[
            (Address, "192.0.2.300"),
            (Port, "65536"),
            (Scheduler, "round-robin"),
            (Persistent, "on"),
            (Timeout, "0"),
            (Netmask, "255.0.255.0"),
        ],
    );
    assert_eq!(form.submit(None), None);
    insta::assert_snapshot!(screen(&form, 80, 24));
}

#[test]
fn add_fwmark_service_160x48() {
    let form = filled(
        Form::add_service(),
        &[
            (Kind, "firewall mark"),
            (Fwmark, "42"),
            (Family, "IPv6"),
            (OnePacket, "on"),
        ],
    );
    insta::assert_snapshot!(screen(&focus(form, Kind), 160, 48));
}

#[test]
fn edit_service_80x24() {
    let current = ServiceConfig {
        persistence: Some(600),
        pe: Some("sip".into()),
        ..web()
    };
    insta::assert_snapshot!(screen(&Form::edit_service(&current), 80, 24));
}

#[test]
fn edit_of_a_vanished_service_80x24() {
    let mut form = Form::edit_service(&web());
    assert_eq!(form.submit(Some(&Snapshot::default())), None);
    insta::assert_snapshot!(screen(&form, 80, 24));
}

#[test]
fn add_dest_empty_80x24() {
    insta::assert_snapshot!(screen(&Form::add_dest(&web()), 80, 24));
}

#[test]
fn add_dest_tunnel_gue_80x24() {
    let form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "tunnel (TUN, -i)"),
            (TunnelType, "gue"),
            (TunnelPort, "6080"),
            (TunnelCsum, "csum"),
            (Weight, "2"),
        ],
    );
    insta::assert_snapshot!(screen(&focus(form, TunnelPort), 80, 24));
}

#[test]
fn add_dest_with_errors_80x24() {
    let mut form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "2001:db8::2"),
            (Method, "masquerading (NAT, -m)"),
            (ServerPort, "8080"),
            (Weight, "-1"),
            (UpperThreshold, "5"),
            (LowerThreshold, "10"),
        ],
    );
    assert_eq!(form.submit(Some(&table())), None);
    insta::assert_snapshot!(screen(&form, 80, 24));
}

#[test]
fn add_dest_masquerading_160x48() {
    let form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "masquerading (NAT, -m)"),
            (ServerPort, "8080"),
            (Weight, "3"),
        ],
    );
    insta::assert_snapshot!(screen(&focus(form, Method), 160, 48));
}

#[test]
fn edit_dest_80x24() {
    insta::assert_snapshot!(screen(
        &Form::edit_dest(&web(), &masq("203.0.113.2", 80, 1)),
        80,
        24
    ));
}

#[test]
fn weight_80x24() {
    insta::assert_snapshot!(screen(
        &filled(
            Form::weight(&web(), &masq("203.0.113.2", 80, 1)),
            &[(Weight, "2147483648")]
        ),
        80,
        24
    ));
}

#[test]
fn timeouts_80x24() {
    insta::assert_snapshot!(screen(&filled(timeouts(), &[(TcpFin, "60")]), 80, 24));
}

#[test]
fn daemon_with_a_running_master_80x24() {
    let form = filled(
        Form::daemon(&[SyncDaemon {
            mcast_group: Some(ip("239.0.0.9")),
            mcast_ttl: 2,
            ..daemon(SyncState::Master)
        }]),
        &[(Group, "10.0.0.1")],
    );
    insta::assert_snapshot!(screen(&form, 80, 24));
}

#[test]
fn daemon_stop_160x48() {
    let form = filled(
        Form::daemon(&[daemon(SyncState::Master), daemon(SyncState::Backup)]),
        &[(DaemonRole, "backup")],
    );
    insta::assert_snapshot!(screen(&form, 160, 48));
}

#[test]
fn confirm_delete_80x24() {
    let confirm = Confirm::new(
        "Delete TCP 198.51.100.1:80 and its 1 real server?",
        vec![IpvsOp::DeleteService(web().key)],
        None,
    );
    insta::assert_snapshot!(confirm_screen(&confirm, 80, 24));
}

#[test]
fn confirm_flush_typing_80x24() {
    let mut confirm = Confirm::new("Flush the whole table?", vec![IpvsOp::Flush], Some("flush"));
    "flu"
        .chars()
        .for_each(|c| confirm.edit(InputRequest::InsertChar(c)));
    insta::assert_snapshot!(confirm_screen(&confirm, 80, 24));
}

#[test]
fn confirm_flush_160x48() {
    let confirm = Confirm::new("Flush the whole table?", vec![IpvsOp::Flush], Some("flush"));
    insta::assert_snapshot!(confirm_screen(&confirm, 160, 48));
}

#[test]
fn without_colour_the_focused_field_is_reversed_and_bold_and_errors_bold() {
    use ratatui::style::{Color, Modifier};
    let mut form = filled(Form::add_dest(&web()), &[(Weight, "-1")]);
    assert_eq!(form.submit(None), None);
    let (buffer, _) = render_with(80, 24, &Theme::builtin().monochrome(), |f, theme| {
        ipvs_tui::ui::form::draw(f, f.area(), &form, theme)
    });
    assert!(
        buffer
            .content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "no colour at all"
    );
    let screen = text(&buffer);
    let row = |needle: &str| {
        screen
            .lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} on screen")) as u16
    };
    let col = |needle: &str| {
        screen
            .lines()
            .nth(row(needle) as usize)
            .unwrap()
            .chars()
            .position(|_| true)
            .unwrap() as u16
            + screen
                .lines()
                .nth(row(needle) as usize)
                .unwrap()
                .split(needle)
                .next()
                .unwrap()
                .chars()
                .count() as u16
    };
    let (x, y) = (col("weight"), row("▶ weight"));
    assert!(
        buffer[(x, y)]
            .modifier
            .contains(Modifier::REVERSED | Modifier::BOLD),
        "{:?}",
        buffer[(x, y)].modifier
    );
    let (x, y) = (col("upper threshold"), row("upper threshold"));
    assert!(
        !buffer[(x, y)].modifier.contains(Modifier::REVERSED),
        "an unfocused label is not reversed"
    );
    let (x, y) = (col("! weight \"-1\""), row("! weight \"-1\""));
    assert!(
        buffer[(x, y)].modifier.contains(Modifier::BOLD),
        "the error is bold"
    );
}

#[test]
fn every_form_fits_at_80x24_with_its_errors_and_the_keys_stay_in_view() {
    let tunnel = filled(
        Form::add_dest(&web()),
        &[(Method, "tunnel (TUN, -i)"), (TunnelType, "gue")],
    );
    let persistent = filled(
        Form::add_service(),
        &[(Scheduler, "mh"), (Persistent, "on")],
    );
    for mut form in arbitrary::forms().into_iter().chain([tunnel, persistent]) {
        // Every text field given something wrong, so every error shows at once.
        let ids: Vec<FieldId> = form
            .fields()
            .iter()
            .filter(|f| matches!(f.value, Value::Text(_) | Value::Combo { .. }))
            .map(|f| f.id)
            .collect();
        for id in &ids {
            set(&mut form, *id, "x!");
        }
        assert_eq!(
            form.submit(None).is_none(),
            !ids.is_empty(),
            "{}",
            form.title()
        );
        let shown = screen(&form, 80, 24);
        assert!(
            shown.contains("Tab next field · Shift-Tab previous · Enter apply · Esc cancel"),
            "{shown}"
        );
        let focused = form.fields().into_iter().find(|f| f.focused).unwrap();
        assert!(
            shown.contains(&format!("▶ {}", focused.label)),
            "the focused field is in view:\n{shown}"
        );
        let typing = matches!(focused.value, Value::Text(_) | Value::Combo { .. });
        assert_eq!(
            !shown.contains("cursor: None"),
            typing,
            "the cursor is on the focused text field only:\n{shown}"
        );
    }
}

#[test]
fn one_submit_reports_every_problem_even_rules_between_fields() {
    let mut form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "2001:db8::2"),
            (Weight, "x"),
            (UpperThreshold, "5"),
            (LowerThreshold, "10"),
        ],
    );
    assert_eq!(form.submit(None), None);
    assert_eq!(
        form.field_error(Weight),
        Some("weight \"x\": must be a whole number from 0 to 2147483647")
    );
    assert_eq!(
        form.field_error(Server),
        Some(
            "real server \"2001:db8::2\": is IPv6 but the service is IPv4; mixing families is allowed only for tunnel forwarding"
        )
    );
    // The kernel's checks stop at the first broken rule; the thresholds show once the family is fixed.
    set(&mut form, Server, "203.0.113.3");
    assert_eq!(form.field_error(Server), None);
    assert_eq!(
        form.field_error(LowerThreshold),
        Some("lower threshold \"10\": must not be above the upper threshold (5)")
    );
    // A wrong upper threshold stands in as "no limit": no false complaint about the lower one.
    set(&mut form, UpperThreshold, "y");
    assert_eq!(form.field_error(LowerThreshold), None);
}

#[test]
fn an_edit_hands_what_it_opened_on_to_the_stale_check() {
    use ipvs_tui::console::stale::Expected;
    let mut now = table();
    let weight = Form::weight(&web(), &masq("203.0.113.2", 80, 1));
    assert_eq!(
        weight.expected(),
        Some(Expected::Dest {
            service: web().key,
            dest: masq("203.0.113.2", 80, 1)
        })
    );
    assert_eq!(weight.expected().unwrap().check(&now), Ok(()));
    now.services[0].dests[0].config.weight = 5;
    assert!(
        weight
            .expected()
            .unwrap()
            .check(&now)
            .unwrap_err()
            .message
            .contains("changed")
    );
    assert_eq!(
        Form::edit_service(&web()).expected(),
        Some(Expected::Service(web()))
    );
    assert_eq!(
        timeouts().expected(),
        Some(Expected::Timeouts(Timeouts {
            tcp: 900,
            tcp_fin: 120,
            udp: 300
        }))
    );
    assert_eq!(Form::add_service().expected(), None);
    assert_eq!(Form::daemon(&[]).expected(), None);
}

#[test]
fn an_ipv6_address_is_taken_with_or_without_brackets() {
    for typed in ["2001:db8::5", "[2001:db8::5]"] {
        let form = filled(Form::add_service(), &[(Address, typed), (Port, "443")]);
        assert_eq!(
            good(form, &table()).1,
            "ipvsadm -A -t [2001:db8::5]:443 -s wlc",
            "{typed}"
        );
    }
}

/// The drain prompt is a form of one field, drawn as the others: what a drain does above it, the
/// deadline with its error under it as it is typed, the keys.
#[test]
fn drain_prompt_with_an_error_80x24() {
    use ipvs_tui::console::drain::DrainPrompt;
    let mut prompt = DrainPrompt::deadline(web().key, masq("203.0.113.2", 80, 3));
    "soon"
        .chars()
        .for_each(|c| prompt.edit(InputRequest::InsertChar(c)));
    assert!(
        prompt
            .field_error(())
            .is_some_and(|e| e.starts_with("deadline \"soon\": must be")),
        "the error shows as it is typed"
    );
    assert_eq!(prompt.value(()).as_deref(), Some("soon"), "the text stays");
    let (buffer, cursor) = render_with(80, 24, &Theme::builtin(), |f, theme| {
        ipvs_tui::ui::form::draw(f, f.area(), &prompt, theme)
    });
    insta::assert_snapshot!(format!("{}\ncursor: {cursor:?}", text(&buffer)));
}
