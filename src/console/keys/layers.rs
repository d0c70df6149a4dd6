//! Which keys reach what now: the keymap layers in force, derived from the page and overlay
//! stack (see `console::stack`), and whether a command can do something (the hint bar offers
//! only those).

use crate::console::action::Command;
use crate::console::app::{App, Focus, Modal};
use crate::console::keys::keymap::Layer;
use crate::console::stack::{Overlay, Page};

impl Overlay {
    /// The keymap layers of this overlay, most specific first.
    pub fn layers(&self) -> Vec<Layer> {
        vec![match self {
            Overlay::Help { .. } => Layer::Help,
            Overlay::Palette(_) => Layer::Palette,
            Overlay::Filter => Layer::Filter,
            Overlay::Modal(Modal::Form { .. } | Modal::Host(_)) => Layer::Form,
            Overlay::Modal(Modal::Confirm(_) | Modal::Drain(_)) => Layer::Confirm,
            Overlay::Modal(Modal::Wizard(w)) => w.layer(),
        }]
    }

    /// Whether keys this overlay does not bind reach what is under it. None do: what a dialog
    /// or a prompt does not bind is text, or nothing.
    pub fn passes_keys(&self) -> bool {
        false
    }
}

impl App {
    /// The keymap layers in force, most specific first: the top overlay's, then (as far as
    /// each lets keys through) those under it, the page's, and the global layer.
    pub fn layers(&self) -> Vec<Layer> {
        self.layers_under(self.stack.overlays.len())
    }

    /// The layers under the palette (else under the top overlay): what the palette offers.
    pub fn base_layers(&self) -> Vec<Layer> {
        let overlays = &self.stack.overlays;
        let palette = overlays
            .iter()
            .position(|o| matches!(o, Overlay::Palette(_)));
        self.layers_under(palette.unwrap_or(overlays.len().saturating_sub(1)))
    }

    /// The layers of the first `n` overlays and the page under them.
    fn layers_under(&self, n: usize) -> Vec<Layer> {
        let mut layers = Vec::new();
        for overlay in self.stack.overlays[..n].iter().rev() {
            layers.extend(overlay.layers());
            if !overlay.passes_keys() {
                return layers;
            }
        }
        layers.extend(self.page_layers());
        layers
    }

    /// The page's layers. A pane keeps the keys (its layer binds what it needs, quit included);
    /// the tables and the offline screen let the global layer have the rest.
    pub fn page_layers(&self) -> Vec<Layer> {
        match &self.stack.page {
            Page::Tables => {}
            Page::Conns(pane) if pane.editing => return vec![Layer::ConnsFilter],
            Page::Conns(_) => return vec![Layer::Conns],
            Page::Host(pane) => return vec![pane.layer()],
            Page::Doctor(_) => return vec![Layer::Doctor],
            Page::Persist(_) => return vec![Layer::Persist],
            Page::Audit(_) => return vec![Layer::Log],
            Page::Keepalived(_) => return vec![Layer::Keepalived],
            Page::Directors(_) => return vec![Layer::Directors],
            Page::Compare(_) => return vec![Layer::Compare],
        }
        let mut layers = Vec::new();
        if self.director.snapshot.is_some() {
            layers.push(match self.tables.focus {
                Focus::Services => Layer::Services,
                Focus::Servers => Layer::Servers,
            });
            layers.push(Layer::List);
        }
        if self.offline() {
            layers.push(Layer::Offline);
        }
        layers.push(Layer::Global);
        layers
    }

    /// Whether a command can do something now; the hint bar shows only those.
    pub fn can(&self, command: Command) -> bool {
        match command {
            Command::Enter => self.current_service().is_some(),
            Command::Back => {
                self.tables.focus == Focus::Servers || !self.tables.filter.value().is_empty()
            }
            Command::Undo => !self.director.undo.is_empty(),
            // The wizard's questions are checked against the host as read.
            Command::Wizard => self.director.host_state.is_some(),
            // The files are made from the table and the host: offered once both have been read.
            Command::Persist => {
                self.director.snapshot.is_some() && self.director.host_state.is_some()
            }
            // Nothing to change before IPVS has been read.
            Command::Add
            | Command::ZeroAll
            | Command::Flush
            | Command::Timeouts
            | Command::Daemon => self.director.snapshot.is_some(),
            Command::Edit | Command::Delete | Command::ZeroService => match self.tables.focus {
                Focus::Services => self.current_service().is_some(),
                Focus::Servers => self.current_dest().is_some(),
            },
            Command::Weight
            | Command::WeightUp
            | Command::WeightDown
            | Command::Quiesce
            | Command::Drain => self.current_dest().is_some(),
            Command::Filter
            | Command::SortNext
            | Command::SortPrev
            | Command::SortInvert
            | Command::Freeze
            | Command::Exact
            | Command::Rates
            | Command::FocusNext => self.director.snapshot.is_some(),
            _ => true,
        }
    }
}
