//! Which keys reach what now: the keymap layers in force (the pane or form on top, else the
//! tables), and whether a command can do something (the hint bar offers only those).

use crate::console::action::Command;
use crate::console::app::{App, Focus, Modal};
use crate::console::keys::keymap::Layer;

impl App {
    /// The keymap layers in force, most specific first.
    pub fn layers(&self) -> Vec<Layer> {
        if self.help.is_some() {
            return vec![Layer::Help];
        }
        match self.modal {
            Some(Modal::Form { .. }) | Some(Modal::Host(_)) => return vec![Layer::Form],
            Some(Modal::Confirm(_)) | Some(Modal::Drain(_)) => return vec![Layer::Confirm],
            Some(Modal::Wizard(ref w)) => return vec![w.layer()],
            None => {}
        }
        if self.audit_view.is_some() {
            return vec![Layer::Log];
        }
        if let Some(pane) = &self.conns {
            return vec![if pane.editing {
                Layer::ConnsFilter
            } else {
                Layer::Conns
            }];
        }
        if let Some(pane) = &self.host_pane {
            return vec![pane.layer()];
        }
        if self.doctor.is_some() {
            return vec![Layer::Doctor];
        }
        if self.persist.is_some() {
            return vec![Layer::Persist];
        }
        if self.palette.is_some() {
            return vec![Layer::Palette];
        }
        if self.filtering {
            return vec![Layer::Filter];
        }
        self.base_layers()
    }

    /// The layers of the tables and the offline screen, under the palette: what it offers.
    pub fn base_layers(&self) -> Vec<Layer> {
        let mut layers = Vec::new();
        if self.director.snapshot.is_some() {
            layers.push(match self.focus {
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
            Command::Back => self.focus == Focus::Servers || !self.filter.value().is_empty(),
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
            Command::Edit | Command::Delete | Command::ZeroService => match self.focus {
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
