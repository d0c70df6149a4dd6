//! The keymap: keys to commands per layer, read from TOML (assets/keymap.toml by default). Help
//! and the hint bar are generated from the same table, so they cannot drift from the keys.

use crate::config::ConfigError;
use crate::console::action::Command;
use crate::console::keys::Key;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub const DEFAULT_KEYMAP: &str = include_str!("../../../assets/keymap.toml");

/// Where a binding applies. Lookups try the layers of the current context in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    Help,
    Form,
    Confirm,
    Log,
    Filter,
    Palette,
    Offline,
    Services,
    Servers,
    List,
    Global,
    Conns,
    ConnsFilter,
    Interfaces,
    Sysctls,
    Doctor,
    WizardRole,
    WizardForm,
    WizardPlan,
    Persist,
    Keepalived,
    Directors,
    Compare,
}

impl Layer {
    const ALL: [(Layer, &'static str, &'static str); 23] = [
        (Layer::Help, "help", "Help"),
        (Layer::Form, "form", "In a form"),
        (Layer::Confirm, "confirm", "Confirming a change"),
        (Layer::Log, "log", "The audit log"),
        (Layer::Filter, "filter", "Typing a filter"),
        (Layer::Palette, "palette", "Typing a command (:)"),
        (Layer::Offline, "offline", "When IPVS cannot be read"),
        (Layer::Services, "services", "Services"),
        (Layer::Servers, "servers", "Real servers"),
        (Layer::List, "list", "Either table"),
        (Layer::Global, "global", "Everywhere"),
        (Layer::Conns, "conns", "The connections pane"),
        (
            Layer::ConnsFilter,
            "conns_filter",
            "Typing a connection filter",
        ),
        (Layer::Interfaces, "interfaces", "Interfaces and VIPs (i)"),
        (Layer::Sysctls, "sysctls", "LVS sysctls (s)"),
        (Layer::Doctor, "doctor", "The doctor (H)"),
        (
            Layer::WizardRole,
            "wizard_role",
            "Setup wizard (W): the role",
        ),
        (
            Layer::WizardForm,
            "wizard_form",
            "Setup wizard: the role's questions",
        ),
        (Layer::WizardPlan, "wizard_plan", "Setup wizard: the plan"),
        (Layer::Persist, "persist", "Surviving a reboot (P)"),
        (Layer::Keepalived, "keepalived", "keepalived (K)"),
        (Layer::Directors, "directors", "The directors page (V)"),
        (Layer::Compare, "compare", "Comparing two directors (c)"),
    ];

    fn from_name(name: &str) -> Option<Layer> {
        Layer::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(l, _, _)| *l)
    }

    /// The heading help shows for this layer.
    pub fn title(self) -> &'static str {
        Layer::ALL
            .iter()
            .find(|(l, _, _)| *l == self)
            .map(|(_, _, t)| *t)
            .unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub command: Command,
    pub desc: String,
    /// The word the hint bar shows, if the binding is a main key of its layer.
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    layers: BTreeMap<Layer, Vec<Binding>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    on: Spanned<OneOrMany>,
    run: Spanned<String>,
    desc: String,
    hint: Option<String>,
}

impl Keymap {
    /// The built-in keys (assets/keymap.toml).
    pub fn builtin() -> Keymap {
        Keymap::parse(DEFAULT_KEYMAP).expect("assets/keymap.toml parses (tested)")
    }

    /// Parses the keymap format; the first mistake is returned with its line.
    pub fn parse(text: &str) -> Result<Keymap, ConfigError> {
        let raw: BTreeMap<Spanned<String>, Vec<RawBinding>> =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(text, &e))?;
        let mut layers = BTreeMap::new();
        for (name, raws) in raw {
            let layer = Layer::from_name(name.get_ref()).ok_or_else(|| {
                let names: Vec<_> = Layer::ALL.iter().map(|(_, n, _)| *n).collect();
                ConfigError::at(
                    text,
                    Some(name.span().start),
                    format!(
                        "unknown layer \"{}\": the layers are {}",
                        name.get_ref(),
                        names.join(", ")
                    ),
                )
            })?;
            let mut bindings: Vec<Binding> = Vec::new();
            for raw in raws {
                let at =
                    |s: &Spanned<_>, msg: String| ConfigError::at(text, Some(s.span().start), msg);
                let command = Command::from_name(raw.run.get_ref()).ok_or_else(|| {
                    let names: Vec<_> = Command::all_names().collect();
                    at(
                        &raw.run,
                        format!(
                            "unknown action \"{}\": the actions are {}",
                            raw.run.get_ref(),
                            names.join(", ")
                        ),
                    )
                })?;
                let texts = match raw.on.get_ref() {
                    OneOrMany::One(t) => vec![t.clone()],
                    OneOrMany::Many(ts) => ts.clone(),
                };
                if texts.is_empty() {
                    return Err(ConfigError::at(
                        text,
                        Some(raw.on.span().start),
                        "\"on\" names no key",
                    ));
                }
                let mut keys = Vec::new();
                for t in &texts {
                    let key = Key::parse(t).map_err(|m| {
                        ConfigError::at(text, Some(raw.on.span().start), m.to_string())
                    })?;
                    if bindings.iter().any(|b| b.keys.contains(&key)) || keys.contains(&key) {
                        return Err(ConfigError::at(
                            text,
                            Some(raw.on.span().start),
                            format!("key \"{t}\" is bound twice in [[{}]]", name.get_ref()),
                        ));
                    }
                    keys.push(key);
                }
                bindings.push(Binding {
                    keys,
                    command,
                    desc: raw.desc,
                    hint: raw.hint,
                });
            }
            layers.insert(layer, bindings);
        }
        Ok(Keymap { layers })
    }

    /// These defaults with the user's bindings on top: a key the user binds in a layer loses its
    /// default binding in that layer; the user's bindings come first in help.
    pub fn overlaid(mut self, user: Keymap) -> Keymap {
        for (layer, theirs) in user.layers {
            let ours = self.layers.entry(layer).or_default();
            for b in ours.iter_mut() {
                b.keys
                    .retain(|k| !theirs.iter().any(|t| t.keys.contains(k)));
            }
            ours.retain(|b| !b.keys.is_empty());
            let mut merged = theirs;
            merged.append(ours);
            *ours = merged;
        }
        self
    }

    /// No binding at all.
    pub fn empty() -> Keymap {
        Keymap {
            layers: BTreeMap::new(),
        }
    }

    /// This keymap without the bindings of the commands `drop` selects.
    pub fn without(mut self, drop: impl Fn(Command) -> bool) -> Keymap {
        for bindings in self.layers.values_mut() {
            bindings.retain(|b| !drop(b.command));
        }
        self
    }

    /// The command of `key` in the first of `layers` that binds it.
    pub fn lookup(&self, layers: &[Layer], key: Key) -> Option<Command> {
        layers.iter().find_map(|l| {
            self.bindings(*l)
                .iter()
                .find(|b| b.keys.contains(&key))
                .map(|b| b.command)
        })
    }

    pub fn bindings(&self, layer: Layer) -> &[Binding] {
        self.layers.get(&layer).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first key bound to `command` in any of `layers`, for messages like "press d".
    pub fn key_for(&self, layers: &[Layer], command: Command) -> Option<Key> {
        layers.iter().find_map(|l| {
            self.bindings(*l)
                .iter()
                .find(|b| b.command == command)
                .and_then(|b| b.keys.first().copied())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyCode;

    fn key(t: &str) -> Key {
        Key::parse(t).unwrap()
    }

    #[test]
    fn the_builtin_keymap_parses_and_binds_the_usual_keys() {
        let km = Keymap::builtin();
        let list = [Layer::Services, Layer::List, Layer::Global];
        assert_eq!(km.lookup(&list, key("q")), Some(Command::Quit));
        assert_eq!(km.lookup(&list, key("j")), Some(Command::Down));
        assert_eq!(
            km.lookup(&list, Key::plain(KeyCode::Down)),
            Some(Command::Down)
        );
        assert_eq!(km.lookup(&list, key("ctrl-l")), Some(Command::Redraw));
        assert_eq!(km.lookup(&list, key("enter")), Some(Command::Enter));
        assert_eq!(
            km.lookup(&[Layer::Filter], key("q")),
            None,
            "q is typed into the filter"
        );
        assert_eq!(
            km.lookup(&[Layer::Help, Layer::Global], key("?")),
            Some(Command::Help)
        );
    }

    #[test]
    fn a_user_binding_replaces_only_that_key() {
        let user =
            Keymap::parse("[[global]]\non = \"q\"\nrun = \"freeze\"\ndesc = \"mine\"\n").unwrap();
        let km = Keymap::builtin().overlaid(user);
        assert_eq!(km.lookup(&[Layer::Global], key("q")), Some(Command::Freeze));
        assert_eq!(km.lookup(&[Layer::Global], key("f10")), Some(Command::Quit));
        assert_eq!(km.bindings(Layer::Global)[0].desc, "mine");
    }

    #[test]
    fn mistakes_name_their_line() {
        let cases = [
            (
                "[[global]]\non = \"q\"\nrun = \"quitt\"\ndesc = \"x\"\n",
                3,
                "unknown action \"quitt\"",
            ),
            (
                "[[global]]\non = \"ctrl-\"\nrun = \"quit\"\ndesc = \"x\"\n",
                2,
                "unknown key \"ctrl-\"",
            ),
            (
                "\n[[globl]]\non = \"q\"\nrun = \"quit\"\ndesc = \"x\"\n",
                2,
                "unknown layer \"globl\"",
            ),
            (
                "[[global]]\non = \"q\"\nrun = \"quit\"\ndesc = \"x\"\ncolour = 1\n",
                5,
                "unknown field",
            ),
            (
                "[[global]]\non = [\"q\", \"q\"]\nrun = \"quit\"\ndesc = \"x\"\n",
                2,
                "bound twice",
            ),
            (
                "[[global]]\non = \"q\"\nrun = \"quit\"\n",
                1,
                "missing field `desc`",
            ),
            ("[[global]]\non = \"q\nrun = \"quit\"\n", 2, ""),
        ];
        for (text, line, words) in cases {
            let e = Keymap::parse(text).unwrap_err();
            assert_eq!(e.line, Some(line), "{text:?}: {e}");
            assert!(e.message.contains(words), "{text:?}: {e}");
        }
    }
}
