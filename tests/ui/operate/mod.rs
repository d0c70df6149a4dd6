//! Changes from the keyboard, end to end without a terminal: keys through the keymap into
//! `update`, the `Effect::Apply` it returns carried out by the console's executor on the
//! simulator (stale check, all or nothing, audit), the outcome fed back, and the table polled
//! again (the rig of rig.rs).

use crate::rig::Rig;
use crossterm::event::KeyCode;
use ipvs_tui::console::app::Modal;
use ipvs_tui::console::change;
use ipvs_tui::console::keys::keymap::Layer;
use ipvs_tui::console::{Action, Command, Focus, update};
use ipvs_tui::ipvs::{IpvsOp, rules};
use ipvs_tui::operation::audit::read_last;
use ipvs_tui::runtime::executor::execute;

impl Rig {
    /// What the audit log holds: each command, whether it was applied, and what it undid.
    fn journal(&self) -> Vec<String> {
        let entries = read_last(self.log.path(), 1000)
            .map(|t| t.entries)
            .unwrap_or_default();
        entries
            .iter()
            .map(|e| {
                let undo = e
                    .undo_of
                    .as_ref()
                    .map(|u| format!(" (undo of {u})"))
                    .unwrap_or_default();
                format!(
                    "{} {}{undo}",
                    if e.is_ok() { "ok" } else { "failed" },
                    e.command
                )
            })
            .collect()
    }

    fn rules(&self) -> String {
        rules::save(&self.table())
    }

    fn form_error(&self) -> String {
        match self.app.stack.modal() {
            Some(Modal::Form { form, .. }) => format!("{form:?}"),
            _ => String::new(),
        }
    }

    /// Selects the service shown as `label` and the real server at `addr` (if given), focused.
    fn select(&mut self, label: &str, addr: Option<&str>) {
        self.press(KeyCode::Esc);
        self.key('g');
        while ipvs_tui::console::view::service_label(
            &self.app.current_service().unwrap().config.key,
        ) != label
        {
            let before = self.app.tables.services_nav.selected;
            self.key('j');
            assert_ne!(
                before, self.app.tables.services_nav.selected,
                "{label} not in the table"
            );
        }
        if let Some(addr) = addr {
            self.press(KeyCode::Enter);
            assert_eq!(self.app.tables.focus, Focus::Servers);
            self.key('g');
            while self.app.current_dest().unwrap().config.addr.to_string() != addr {
                let before = self.app.tables.servers_nav.selected;
                self.key('j');
                assert_ne!(
                    before, self.app.tables.servers_nav.selected,
                    "{addr} not under {label}"
                );
            }
        }
    }

    fn weight_of(&self, addr: &str) -> u32 {
        let t = self.table();
        t.services
            .iter()
            .flat_map(|s| &s.dests)
            .find(|d| d.config.addr.to_string() == addr)
            .unwrap()
            .config
            .weight
    }
}

mod confirm;
mod drains;
mod edits;
