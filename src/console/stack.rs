//! What is on screen, bottom to top: one `Page` and the `Overlay`s stacked over it.
//!
//! This one value decides what is on top. Key layers and text input go to the top overlay first,
//! then (if it lets them through) to the page, and from the tables page on to the global layer
//! (see `keys::layers`); movement keys act on the top as well (`keys::navigate`); the hint bar,
//! the palette and drawing are derived from it too (drawing goes bottom-up: the page, then each
//! overlay in order). Opening a page replaces the one shown, so two panes are never open at once.

use super::action::Effect;
use super::app::{AuditView, Modal};
use super::keys::palette::Palette;
use super::panes::conns::ConnsPane;
use super::panes::directors::{CompareView, DirectorsView};
use super::panes::doctor::DoctorView;
use super::panes::hostpanes::HostPane;
use super::panes::keepalived::KeepalivedPage;
use super::panes::persist::PersistView;

/// What fills the space between the header and the footer.
// One of each is held, by `App`, and moved only when a page opens: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Default)]
pub enum Page {
    /// The services and real servers tables (or, while IPVS cannot be read, the offline screen).
    #[default]
    Tables,
    /// The connections pane (`c`).
    Conns(ConnsPane),
    /// The interfaces (`i`) or the LVS sysctls (`s`).
    Host(HostPane),
    /// The doctor (`H`).
    Doctor(DoctorView),
    /// Surviving a reboot (`P`).
    Persist(PersistView),
    /// The audit log (`L`).
    Audit(AuditView),
    /// keepalived's view and the drift (`K`).
    Keepalived(KeepalivedPage),
    /// Every director of the console (`V`).
    Directors(DirectorsView),
    /// Two directors' rules compared (`c` on the directors page).
    Compare(CompareView),
}

/// Something over the page that takes the keys while it is open.
#[allow(clippy::large_enum_variant)]
pub enum Overlay {
    /// Help, scrolled this many lines.
    Help { scroll: u16 },
    /// The `:` command palette.
    Palette(Palette),
    /// The tables' filter being typed (the text itself is a view setting: it stays after).
    Filter,
    /// A form, confirmation, drain prompt, host form or the wizard (at most one at a time).
    Modal(Modal),
}

/// The page and the overlays over it, bottom first.
#[derive(Default)]
pub struct Stack {
    pub page: Page,
    pub overlays: Vec<Overlay>,
}

impl Stack {
    /// Whether what is shown needs the whole host (routes, sysctls), not only the links and
    /// addresses the services table marks unbound VIPs with: a host page, the doctor, persist,
    /// or a form, wizard or confirmation (they plan against the host).
    pub fn needs_whole_host(&self) -> bool {
        matches!(
            self.page,
            Page::Host(_) | Page::Doctor(_) | Page::Persist(_)
        ) || self.modal().is_some()
    }

    /// The overlay on top, if any.
    pub fn top(&self) -> Option<&Overlay> {
        self.overlays.last()
    }

    /// Opens `page` in place of the one shown; the effects stop what the old one had running
    /// (a connections read).
    #[must_use]
    pub fn show(&mut self, page: Page) -> Vec<Effect> {
        match std::mem::replace(&mut self.page, page) {
            Page::Conns(pane) if pane.reading.is_some() => vec![Effect::CancelConns],
            _ => vec![],
        }
    }

    /// Back to the tables.
    #[must_use]
    pub fn close_page(&mut self) -> Vec<Effect> {
        self.show(Page::Tables)
    }

    pub fn tables(&self) -> bool {
        matches!(self.page, Page::Tables)
    }

    /// Puts `overlay` on top.
    pub fn push(&mut self, overlay: Overlay) {
        self.overlays.push(overlay);
    }

    /// Removes the overlays `which` picks; whether there was one.
    pub fn remove(&mut self, which: impl Fn(&Overlay) -> bool) -> bool {
        let before = self.overlays.len();
        self.overlays.retain(|o| !which(o));
        self.overlays.len() != before
    }

    /// Whether an overlay `which` picks is open.
    pub fn has(&self, which: impl Fn(&Overlay) -> bool) -> bool {
        self.overlays.iter().any(which)
    }

    /// Help's scroll, while help is open.
    pub fn help(&self) -> Option<u16> {
        self.overlays.iter().find_map(|o| match o {
            Overlay::Help { scroll } => Some(*scroll),
            _ => None,
        })
    }

    pub fn help_mut(&mut self) -> Option<&mut u16> {
        self.overlays.iter_mut().find_map(|o| match o {
            Overlay::Help { scroll } => Some(scroll),
            _ => None,
        })
    }

    pub fn palette(&self) -> Option<&Palette> {
        self.overlays.iter().find_map(|o| match o {
            Overlay::Palette(p) => Some(p),
            _ => None,
        })
    }

    pub fn palette_mut(&mut self) -> Option<&mut Palette> {
        self.overlays.iter_mut().find_map(|o| match o {
            Overlay::Palette(p) => Some(p),
            _ => None,
        })
    }

    /// Opens the palette (anew, if it was open).
    pub fn set_palette(&mut self, palette: Palette) {
        match self.palette_mut() {
            Some(p) => *p = palette,
            None => self.push(Overlay::Palette(palette)),
        }
    }

    pub fn close_palette(&mut self) {
        self.remove(|o| matches!(o, Overlay::Palette(_)));
    }

    /// The tables' filter is being typed.
    pub fn filtering(&self) -> bool {
        self.has(|o| matches!(o, Overlay::Filter))
    }

    pub fn modal(&self) -> Option<&Modal> {
        self.overlays.iter().find_map(|o| match o {
            Overlay::Modal(m) => Some(m),
            _ => None,
        })
    }

    pub fn modal_mut(&mut self) -> Option<&mut Modal> {
        self.overlays.iter_mut().find_map(|o| match o {
            Overlay::Modal(m) => Some(m),
            _ => None,
        })
    }

    /// Opens `modal`, in place of the one open (there is at most one), else on top.
    pub fn set_modal(&mut self, modal: Modal) {
        match self.modal_mut() {
            Some(m) => *m = modal,
            None => self.push(Overlay::Modal(modal)),
        }
    }

    /// Closes the modal, returning it.
    pub fn take_modal(&mut self) -> Option<Modal> {
        let i = self
            .overlays
            .iter()
            .position(|o| matches!(o, Overlay::Modal(_)))?;
        match self.overlays.remove(i) {
            Overlay::Modal(m) => Some(m),
            _ => None,
        }
    }

    pub fn close_modal(&mut self) {
        self.take_modal();
    }

    pub fn conns(&self) -> Option<&ConnsPane> {
        match &self.page {
            Page::Conns(p) => Some(p),
            _ => None,
        }
    }

    pub fn conns_mut(&mut self) -> Option<&mut ConnsPane> {
        match &mut self.page {
            Page::Conns(p) => Some(p),
            _ => None,
        }
    }

    pub fn host_pane(&self) -> Option<&HostPane> {
        match &self.page {
            Page::Host(p) => Some(p),
            _ => None,
        }
    }

    pub fn host_pane_mut(&mut self) -> Option<&mut HostPane> {
        match &mut self.page {
            Page::Host(p) => Some(p),
            _ => None,
        }
    }

    pub fn doctor(&self) -> Option<&DoctorView> {
        match &self.page {
            Page::Doctor(v) => Some(v),
            _ => None,
        }
    }

    pub fn doctor_mut(&mut self) -> Option<&mut DoctorView> {
        match &mut self.page {
            Page::Doctor(v) => Some(v),
            _ => None,
        }
    }

    pub fn persist(&self) -> Option<&PersistView> {
        match &self.page {
            Page::Persist(v) => Some(v),
            _ => None,
        }
    }

    pub fn persist_mut(&mut self) -> Option<&mut PersistView> {
        match &mut self.page {
            Page::Persist(v) => Some(v),
            _ => None,
        }
    }

    pub fn audit(&self) -> Option<&AuditView> {
        match &self.page {
            Page::Audit(v) => Some(v),
            _ => None,
        }
    }

    pub fn audit_mut(&mut self) -> Option<&mut AuditView> {
        match &mut self.page {
            Page::Audit(v) => Some(v),
            _ => None,
        }
    }
}
