//! Keys: as the keymap file writes them ("q", "ctrl-l", "pagedown") and as crossterm reports
//! them, and the modules that turn them into actions (keymap, layers, input, navigation, palette).

pub mod hints;
pub mod input;
pub mod keymap;
pub mod layers;
pub mod navigate;
pub mod palette;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

/// One key with the modifiers that matter for binding. Shift is folded into the character
/// (`I` is `I`, not shift-i), since terminals report it inconsistently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

/// Named keys: the name in the keymap file, the key, and how help shows it.
const NAMED: [(&str, KeyCode, &str); 16] = [
    ("enter", KeyCode::Enter, "Enter"),
    ("esc", KeyCode::Esc, "Esc"),
    ("tab", KeyCode::Tab, "Tab"),
    ("backtab", KeyCode::BackTab, "Shift-Tab"),
    ("up", KeyCode::Up, "↑"),
    ("down", KeyCode::Down, "↓"),
    ("left", KeyCode::Left, "←"),
    ("right", KeyCode::Right, "→"),
    ("pageup", KeyCode::PageUp, "PgUp"),
    ("pagedown", KeyCode::PageDown, "PgDn"),
    ("home", KeyCode::Home, "Home"),
    ("end", KeyCode::End, "End"),
    ("backspace", KeyCode::Backspace, "Backspace"),
    ("delete", KeyCode::Delete, "Del"),
    ("insert", KeyCode::Insert, "Ins"),
    ("space", KeyCode::Char(' '), "Space"),
];

impl Key {
    pub fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    /// The binding a key press looks up.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let code = match ev.code {
            // Some terminals report Ctrl-L as ctrl + 'L' when caps lock is on.
            KeyCode::Char(c) if ev.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        Key {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Parses the keymap file's form: modifiers `ctrl-` and `alt-`, then a character, a named
    /// key or f1..f12. The error says what is allowed.
    pub fn parse(text: &str) -> Result<Key, UnknownKey> {
        let mut rest = text;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                let lower = rest.to_ascii_lowercase();
                let named = NAMED
                    .iter()
                    .find(|(name, _, _)| *name == lower)
                    .map(|(_, code, _)| *code);
                let function = lower
                    .strip_prefix('f')
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=12).contains(n));
                match (named, function) {
                    (Some(code), _) => code,
                    (None, Some(n)) => KeyCode::F(n),
                    _ => {
                        return Err(UnknownKey(text.to_string()));
                    }
                }
            }
        };
        Ok(Key { code, ctrl, alt })
    }
}

/// A key name the keymap file cannot take; the message says what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown key \"{0}\": use one character, f1..f12, or one of {names}, optionally after ctrl- or alt-",
    names = NAMED.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join(", ")
)]
pub struct UnknownKey(pub String);

impl fmt::Display for Key {
    /// How help and the hint bar show the key: `Ctrl-L`, `PgDn`, `?`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        if let Some((_, _, shown)) = NAMED.iter().find(|(_, code, _)| *code == self.code) {
            return f.write_str(shown);
        }
        match self.code {
            KeyCode::Char(c) if self.ctrl || self.alt => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_shows_keys() {
        for (text, shown) in [
            ("q", "q"),
            ("I", "I"),
            ("<", "<"),
            ("ctrl-l", "Ctrl-L"),
            ("Ctrl-L", "Ctrl-L"),
            ("pagedown", "PgDn"),
            ("f10", "F10"),
            ("space", "Space"),
            ("alt-x", "Alt-X"),
        ] {
            assert_eq!(Key::parse(text).unwrap().to_string(), shown, "{text}");
        }
        assert!(Key::parse("ctrl-").is_err());
        assert!(
            Key::parse("f13")
                .unwrap_err()
                .to_string()
                .contains("unknown key \"f13\"")
        );
        assert!(Key::parse("").is_err());
    }

    #[test]
    fn events_fold_shift_into_the_character() {
        let ev = KeyEvent::new(KeyCode::Char('I'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Key::parse("I").unwrap());
        let ev = KeyEvent::new(
            KeyCode::Char('L'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(Key::from_event(&ev), Key::parse("ctrl-l").unwrap());
    }
}
