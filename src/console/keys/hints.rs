//! What the footer and help offer, derived from the page and overlay stack and the keymap: the
//! hint bar's keys, help's sections, and whether the flash line is free. Drawing only lays them out.

use crate::console::app::{App, Flash};
use crate::console::keys::Key;
use crate::console::keys::keymap::Layer;
use crate::console::stack::Overlay;

/// Help's sections, in the order shown.
const HELP_LAYERS: [Layer; 19] = [
    Layer::Global,
    Layer::List,
    Layer::Services,
    Layer::Servers,
    Layer::Form,
    Layer::Confirm,
    Layer::Log,
    Layer::Filter,
    Layer::Palette,
    Layer::Conns,
    Layer::ConnsFilter,
    Layer::Help,
    Layer::Interfaces,
    Layer::Sysctls,
    Layer::Doctor,
    Layer::WizardRole,
    Layer::WizardForm,
    Layer::WizardPlan,
    Layer::Persist,
];

/// One hint: the key and the word the keymap gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: Key,
    pub hint: String,
}

impl App {
    /// The hint bar: the main keys of the layers in force, most specific first, each command
    /// once, and only those that can do something now.
    pub fn hints(&self) -> Vec<Hint> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for layer in self.layers() {
            for b in self.keymap.bindings(layer) {
                let (Some(hint), Some(key)) = (&b.hint, b.keys.first()) else {
                    continue;
                };
                if seen.contains(&b.command) || !self.can(b.command) {
                    continue;
                }
                seen.push(b.command);
                out.push(Hint {
                    key: *key,
                    hint: hint.clone(),
                });
            }
        }
        out
    }

    /// The layers help has a section for: every one the console can show now (read-only: no
    /// form, confirmation or wizard can open).
    pub fn help_layers(&self) -> Vec<Layer> {
        help_layers(self.offline(), self.director.read_only)
    }

    /// The flash message, unless a prompt (the filter, the palette) has its line.
    pub fn flash_shown(&self) -> Option<&Flash> {
        let prompt = self
            .stack
            .has(|o| matches!(o, Overlay::Filter | Overlay::Palette(_)));
        self.flash.as_ref().filter(|_| !prompt)
    }
}

/// The layers help lists, in its order, for a console `offline` (IPVS unreadable) and
/// `read_only` (no form, confirmation or wizard can open). The keys man page uses the same list.
pub fn help_layers(offline: bool, read_only: bool) -> Vec<Layer> {
    let mut layers = HELP_LAYERS.to_vec();
    if offline {
        layers.insert(0, Layer::Offline);
    }
    if read_only {
        layers.retain(|l| {
            !matches!(
                l,
                Layer::Form
                    | Layer::Confirm
                    | Layer::WizardRole
                    | Layer::WizardForm
                    | Layer::WizardPlan
            )
        });
    }
    layers
}
