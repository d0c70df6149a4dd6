//! Unit tests of the IPVS forms: focus order, errors as you type, combinations, labels.

use super::*;
use crate::ipvs::model::{Protocol, ServiceConfig, ServiceKey};
use tui_input::InputRequest::*;

fn type_text(form: &mut Form, text: &str) {
    text.chars().for_each(|c| form.edit(InsertChar(c)));
}

fn order(form: &mut Form) -> Vec<FieldId> {
    let start = form.focused();
    let mut seen = vec![start.unwrap()];
    loop {
        form.next_field();
        if form.focused() == start {
            return seen;
        }
        seen.push(form.focused().unwrap());
    }
}

#[test]
fn tab_visits_only_the_fields_that_apply_and_wraps_both_ways() {
    use FieldId::*;
    let mut form = Form::add_service();
    assert_eq!(
        order(&mut form),
        [Kind, Address, Port, Scheduler, Persistent]
    );
    form.prev_field();
    assert_eq!(
        form.focused(),
        Some(Persistent),
        "Shift-Tab from the first goes to the last"
    );
    form.edit(InsertChar(' '));
    form.prev_field();
    form.edit(DeleteLine);
    type_text(&mut form, "sh");
    assert_eq!(
        order(&mut form),
        [
            Scheduler, SchedFlags, Persistent, Timeout, Netmask, Pe, Kind, Address, Port
        ]
    );
    let key = ServiceKey::Addr {
        protocol: Protocol::Udp,
        addr: "192.0.2.1".parse().unwrap(),
        port: 53,
    };
    assert_eq!(
        order(&mut Form::edit_service(&ServiceConfig::new(key))),
        [Scheduler, Persistent, OnePacket],
        "the key is shown, not focused"
    );
}

#[test]
fn a_field_shows_its_error_as_it_is_typed_and_only_once_touched() {
    let mut form = Form::add_service();
    form.next_field();
    type_text(&mut form, "192.0.2.");
    assert_eq!(
        form.field_error(FieldId::Address),
        Some(
            "virtual service \"192.0.2.\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)"
        )
    );
    assert_eq!(
        form.field_error(FieldId::Port),
        None,
        "the port is not touched yet"
    );
    type_text(&mut form, "1");
    assert_eq!(form.field_error(FieldId::Address), None);
    assert_eq!(form.preview(), None, "the port is still missing");
    form.next_field();
    type_text(&mut form, "8");
    assert_eq!(
        form.preview().as_deref(),
        Some("ipvsadm -A -t 192.0.2.1:8 -s wlc")
    );
}

#[test]
fn a_combination_error_shows_once_the_rest_is_valid_and_follows_the_fields_it_depends_on() {
    let service = ServiceConfig::new(ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: "192.0.2.1".parse().unwrap(),
        port: 80,
    });
    let mut form = Form::add_dest(&service);
    type_text(&mut form, "192.0.2.7");
    let to = |form: &mut Form, id| {
        while form.focused() != Some(id) {
            form.next_field();
        }
    };
    to(&mut form, FieldId::UpperThreshold);
    form.edit(DeleteLine);
    type_text(&mut form, "5");
    to(&mut form, FieldId::LowerThreshold);
    form.edit(DeleteLine);
    type_text(&mut form, "9");
    assert_eq!(
        form.field_error(FieldId::LowerThreshold),
        Some("lower threshold \"9\": must not be above the upper threshold (5)")
    );
    to(&mut form, FieldId::UpperThreshold);
    type_text(&mut form, "0");
    assert_eq!(
        form.field_error(FieldId::LowerThreshold),
        None,
        "raising the upper one clears it"
    );
}

#[test]
fn a_kernel_refusal_shows_until_the_next_edit() {
    let mut form = Form::timeouts(&Default::default());
    form.set_error("the kernel refused: Operation not permitted");
    assert_eq!(
        form.error(),
        Some("the kernel refused: Operation not permitted")
    );
    form.edit(GoToStart);
    assert!(form.error().is_some(), "moving the cursor changes nothing");
    form.edit(InsertChar('1'));
    assert_eq!(form.error(), None);
    assert_eq!(form.value(FieldId::Tcp).as_deref(), Some("10"));
}

#[test]
fn the_persistence_granularity_is_named_after_the_family() {
    let mut form = Form::add_service();
    let label = |form: &Form| {
        form.fields()
            .iter()
            .find(|f| f.id == FieldId::Netmask)
            .map(|f| f.label)
    };
    assert_eq!(label(&form), None, "hidden without persistence");
    form.next_field();
    type_text(&mut form, "2001:db8::1");
    for _ in 0..3 {
        form.next_field();
    }
    form.edit(InsertChar(' '));
    assert_eq!(label(&form), Some("  prefix length"));
    assert!(form.help().starts_with("Persistence"));
}
