//! Forms on screen beyond the snapshots: without colour, at 80x24 with errors, every problem
//! in one submit, the stale check, IPv6 brackets and the drain prompt.

use super::*;

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
