//! Styles by role, read from TOML (assets/theme.toml by default), and the monochrome form used
//! under NO_COLOR, where meaning is carried by bold and reverse video instead of colour.

use crate::config::ConfigError;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;
use toml::Spanned;

pub const DEFAULT_THEME: &str = include_str!("../../assets/theme.toml");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub title: Style,
    pub badge: Style,
    pub warning: Style,
    pub pane_focused: Style,
    pub pane: Style,
    pub column: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub marker: Style,
    pub dim: Style,
    pub spark: Style,
    pub flash: Style,
    pub flash_error: Style,
    pub hint_key: Style,
    pub hint: Style,
}

const BOLD: Modifier = Modifier::BOLD;
const REV: Modifier = Modifier::REVERSED;

/// Every role: its name in the file, where it lives, and what it must keep without colour.
type Field = fn(&mut Theme) -> &mut Style;
const ROLES: [(&str, Field, Modifier); 15] = [
    ("title", |t| &mut t.title, BOLD),
    ("badge", |t| &mut t.badge, BOLD.union(REV)),
    ("warning", |t| &mut t.warning, BOLD.union(REV)),
    ("pane_focused", |t| &mut t.pane_focused, BOLD.union(REV)),
    ("pane", |t| &mut t.pane, Modifier::empty()),
    ("column", |t| &mut t.column, BOLD),
    ("selected", |t| &mut t.selected, BOLD.union(REV)),
    (
        "selected_unfocused",
        |t| &mut t.selected_unfocused,
        Modifier::UNDERLINED,
    ),
    ("marker", |t| &mut t.marker, BOLD),
    ("dim", |t| &mut t.dim, Modifier::empty()),
    ("spark", |t| &mut t.spark, Modifier::empty()),
    ("flash", |t| &mut t.flash, Modifier::empty()),
    ("flash_error", |t| &mut t.flash_error, BOLD),
    ("hint_key", |t| &mut t.hint_key, BOLD),
    ("hint", |t| &mut t.hint, Modifier::empty()),
];

const MODIFIERS: [(&str, Modifier); 5] = [
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fg: Option<Spanned<String>>,
    bg: Option<Spanned<String>>,
    mods: Option<Vec<Spanned<String>>>,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::builtin()
    }
}

impl Theme {
    /// The built-in theme (assets/theme.toml).
    pub fn builtin() -> Theme {
        Theme::empty()
            .overlaid(DEFAULT_THEME)
            .expect("assets/theme.toml parses (tested)")
    }

    fn empty() -> Theme {
        let s = Style::default();
        Theme {
            title: s,
            badge: s,
            warning: s,
            pane_focused: s,
            pane: s,
            column: s,
            selected: s,
            selected_unfocused: s,
            marker: s,
            dim: s,
            spark: s,
            flash: s,
            flash_error: s,
            hint_key: s,
            hint: s,
        }
    }

    /// This theme with the roles `text` sets replaced; the first mistake is returned with its line.
    pub fn overlaid(mut self, text: &str) -> Result<Theme, ConfigError> {
        let raw: BTreeMap<Spanned<String>, RawStyle> =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(text, &e))?;
        for (name, raw) in raw {
            let Some((_, field, _)) = ROLES.iter().find(|(n, _, _)| n == name.get_ref()) else {
                let names: Vec<_> = ROLES.iter().map(|(n, _, _)| *n).collect();
                return Err(ConfigError::at(
                    text,
                    Some(name.span().start),
                    format!(
                        "unknown role \"{}\": the roles are {}",
                        name.get_ref(),
                        names.join(", ")
                    ),
                ));
            };
            let colour = |c: &Option<Spanned<String>>| -> Result<Option<Color>, ConfigError> {
                c.as_ref()
                    .map(|c| Color::from_str(c.get_ref()).map_err(|_| ConfigError::at(text, Some(c.span().start), format!("unknown colour \"{}\": use a name such as red or lightblue, \"#rrggbb\", or 0..255", c.get_ref()))))
                    .transpose()
            };
            let mut style = Style::default();
            if let Some(fg) = colour(&raw.fg)? {
                style = style.fg(fg);
            }
            if let Some(bg) = colour(&raw.bg)? {
                style = style.bg(bg);
            }
            for m in raw.mods.iter().flatten() {
                let Some((_, modifier)) = MODIFIERS.iter().find(|(n, _)| n == m.get_ref()) else {
                    let names: Vec<_> = MODIFIERS.iter().map(|(n, _)| *n).collect();
                    return Err(ConfigError::at(
                        text,
                        Some(m.span().start),
                        format!(
                            "unknown modifier \"{}\": use {}",
                            m.get_ref(),
                            names.join(", ")
                        ),
                    ));
                };
                style = style.add_modifier(*modifier);
            }
            *field(&mut self) = style;
        }
        Ok(self)
    }

    /// Without colour: each role keeps its bold/reverse/underline, plus what it needs to stay
    /// visible (the selection and badges in reverse video, warnings and markers in bold).
    pub fn monochrome(mut self) -> Theme {
        for (_, field, keep) in ROLES {
            let style = field(&mut self);
            let mods = style.add_modifier & (BOLD | REV | Modifier::UNDERLINED);
            *style = Style::default().add_modifier(mods | keep);
        }
        self
    }
}

/// NO_COLOR is set and not empty (no-color.org).
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_theme_sets_every_role() {
        let t = Theme::builtin();
        assert_eq!(t.selected.bg, Some(Color::LightCyan));
        let names: Vec<_> = ROLES.iter().map(|(n, _, _)| format!("\n{n} =")).collect();
        for n in names {
            assert!(DEFAULT_THEME.contains(&n), "assets/theme.toml sets{n}");
        }
    }

    #[test]
    fn monochrome_drops_colour_and_keeps_meaning() {
        let t = Theme::builtin().monochrome();
        assert_eq!(t.selected, Style::default().add_modifier(BOLD | REV));
        assert_eq!(t.warning.fg, None);
        assert!(t.badge.add_modifier.contains(REV));
        assert!(t.marker.add_modifier.contains(BOLD));
        assert_eq!(t.dim, Style::default());
    }

    #[test]
    fn a_user_theme_overrides_roles_and_mistakes_name_their_line() {
        let t = Theme::builtin()
            .overlaid("marker = { fg = \"#ff8800\" }\n")
            .unwrap();
        assert_eq!(t.marker, Style::default().fg(Color::Rgb(0xff, 0x88, 0)));
        let cases = [
            ("\nmarkr = { fg = \"red\" }\n", 2, "unknown role \"markr\""),
            (
                "title = { fg = \"red\" }\nbadge = { fg = \"rouge\" }\n",
                2,
                "unknown colour \"rouge\"",
            ),
            (
                "title = { mods = [\"bold\",\n \"blink\"] }\n",
                2,
                "unknown modifier \"blink\"",
            ),
            ("title = { colour = \"red\" }\n", 1, "unknown field"),
        ];
        for (text, line, words) in cases {
            let e = Theme::builtin().overlaid(text).unwrap_err();
            assert_eq!(e.line, Some(line), "{text:?}: {e}");
            assert!(e.message.contains(words), "{text:?}: {e}");
        }
    }
}
