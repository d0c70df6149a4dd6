//! The wizard's three pages drawn at 80x24 and 160x48, compared with insta snapshots.

use super::*;

// ---------------------------------------------------------------- screens

fn wizard_screen(
    keys_typed: &str,
    tweak: impl FnOnce(&mut HostState),
    width: u16,
    height: u16,
) -> String {
    let mut app = screen_app(tweak);
    keys(&mut app, keys_typed);
    assert!(
        matches!(app.stack.modal(), Some(Modal::Wizard(_))),
        "the wizard is open"
    );
    screen(&mut app, width, height)
}

#[test]
fn roles_80x24() {
    insta::assert_snapshot!(wizard_screen("Wj", |_| {}, 80, 24));
}

#[test]
fn roles_160x48() {
    insta::assert_snapshot!(wizard_screen("W", |_| {}, 160, 48));
}

#[test]
fn form_with_errors_80x24() {
    insta::assert_snapshot!(wizard_screen(
        "W1198.51.100.300\t\t\t\t\t\t\t10.0.0.11 2147483648\n",
        |_| {},
        80,
        24
    ));
}

#[test]
fn form_dr_real_server_160x48() {
    insta::assert_snapshot!(wizard_screen("W4192.0.2.80\t", |_| {}, 160, 48));
}

#[test]
fn plan_nat_director_80x24() {
    let off = |h: &mut HostState| {
        h.sysctls.insert("net.ipv4.ip_forward".into(), "0".into());
    };
    insta::assert_snapshot!(wizard_screen(
        "W1198.51.100.50\t\t\t\t\t\t\t10.0.0.11, 10.0.0.12:8080 3\n",
        off,
        80,
        24
    ));
}

#[test]
fn plan_dr_real_server_160x48() {
    insta::assert_snapshot!(wizard_screen("W4192.0.2.80\n", |_| {}, 160, 48));
}

#[test]
fn plan_nat_real_server_advice_80x24() {
    insta::assert_snapshot!(wizard_screen("W610.0.0.254\n", |_| {}, 80, 24));
}

/// Without colour the role and the field under the cursor still stand out (reverse video), and
/// the text is the same as in colour.
#[test]
fn no_color_keeps_the_focused_role_and_field_visible() {
    use ratatui::style::{Color, Modifier};
    for (typed, marked) in [("Wj", "▶ 2 dr-director"), ("W1\t", "▶ interface")] {
        let mut app = screen_app(|_| {});
        keys(&mut app, typed);
        let coloured = screen(&mut app, 80, 24);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|f| {
                ui::draw(f, &app, &Theme::builtin().monochrome());
            })
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        let rows: Vec<String> = buffer
            .content
            .chunks(80)
            .map(|r| {
                r.iter()
                    .map(|c| c.symbol())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect();
        assert_eq!(rows.join("\n"), coloured, "{typed}: same text");
        assert!(
            buffer
                .content
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
            "no colour at all"
        );
        let y = rows
            .iter()
            .position(|r| r.contains(marked))
            .unwrap_or_else(|| panic!("{marked} not on screen:\n{coloured}"));
        let x = rows[y].chars().position(|_| true).unwrap_or(0);
        let reversed: Vec<usize> = (0..24)
            .filter(|&row| {
                (x..80).any(|col| {
                    buffer[(col as u16, row as u16)]
                        .modifier
                        .contains(Modifier::REVERSED)
                        && buffer[(col as u16, row as u16)].symbol() != " "
                })
            })
            .collect();
        assert!(
            reversed.contains(&y),
            "{typed}: the focused line is in reverse video: {reversed:?}\n{coloured}"
        );
        let inside: Vec<&usize> = reversed
            .iter()
            .filter(|r| rows[**r].contains('│'))
            .collect();
        assert_eq!(inside, [&y], "{typed}: only it, inside the wizard");
    }
}
