//! The one key helper of the console's tests: keys as a terminal sends them, through the keymap
//! (`action_for`) into `update`, which returns the effects.

#![allow(dead_code)]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ipvs_tui::console::keys::input::action_for;
use ipvs_tui::console::{App, Effect, update};

/// The modifiers a terminal sends with `code`: Shift with an uppercase letter.
pub fn mods(code: KeyCode) -> KeyModifiers {
    if matches!(code, KeyCode::Char(c) if c.is_ascii_uppercase()) {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    }
}

/// The key for `c`: `\n` Enter, `\x1b` Esc, `\t` Tab, any other character as itself.
pub fn code(c: char) -> KeyCode {
    match c {
        '\n' => KeyCode::Enter,
        '\x1b' => KeyCode::Esc,
        '\t' => KeyCode::Tab,
        c => KeyCode::Char(c),
    }
}

/// The event a terminal sends for `c` (see [`code`] and [`mods`]).
pub fn event(c: char) -> Event {
    let code = code(c);
    Event::Key(KeyEvent::new(code, mods(code)))
}

/// Presses `code` with `mods`: the effects `update` returns, none when no key binds it.
pub fn press_with(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    match action_for(app, &Event::Key(KeyEvent::new(code, mods))) {
        Some(action) => update(app, action),
        None => vec![],
    }
}

/// Presses `code` with the modifiers a terminal sends with it.
pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    press_with(app, code, mods(code))
}

/// Types `text`, one [`event`] a character; returns every effect.
pub fn keys(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| press(app, code(c))).collect()
}
