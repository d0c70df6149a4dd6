//! Good inputs to the service forms, with their exact operations and commands.

use super::*;

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
