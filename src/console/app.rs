//! The console's whole state: what was polled, what is selected, how it is sorted and filtered.
//! Drawing reads it; only `update` changes it (and the event loop records where panes landed).

use super::action::Command;
use super::director::Director;
use super::drain::DrainPrompt;
use super::form::{Confirm, Form};
use super::stack::{Page, Stack};
use super::view::{self, Column, SortSpec};
use crate::console::drain::machine::Drain;
use crate::console::keys::keymap::Keymap;
use crate::console::stale::Expected;
use crate::ipvs::model::{Dest, DestKey, Service, ServiceKey};
use crate::ipvs::rates::RateSource;
use crate::operation::Operation;
use crate::operation::audit::Tail;
use ratatui::layout::Rect;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tui_input::Input;

/// The refresh intervals `[` and `]` step through. The kernel refreshes its counters every 2 s.
pub const INTERVALS: [Duration; 7] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(3),
    Duration::from_secs(5),
    Duration::from_secs(10),
    Duration::from_secs(30),
    Duration::from_secs(60),
];
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(2);
/// How long a flash message stays; an error stays longer, to be read.
pub const FLASH_FOR: Duration = Duration::from_secs(5);
pub const FLASH_ERROR_FOR: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// This host's IPVS, over netlink.
    Kernel,
    /// The simulator (`--demo`): badged SIMULATED everywhere.
    Simulated,
    /// This host's IPVS from the world-readable /proc/net/ip_vs, because netlink needs root:
    /// badged READ-ONLY; no counters, no changes.
    ReadOnly,
    /// A director reached through its agent (`--on ssh:...`, `netns:`, `exec:`): changes are
    /// applied and audited there.
    Remote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Services,
    Servers,
}

/// A selection in a table and the first row shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nav {
    pub selected: usize,
    pub offset: usize,
}

impl Nav {
    /// Moves the selection by `delta` rows within `len` rows.
    pub fn step(&mut self, delta: isize, len: usize) {
        self.selected = (self.selected as isize)
            .saturating_add(delta)
            .clamp(0, (len as isize - 1).max(0)) as usize;
    }
}

/// Where the last frame put the table bodies and which rows it showed, so that clicks and page
/// sizes refer to what is on screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Screen {
    pub services: Rect,
    pub servers: Rect,
    pub services_offset: usize,
    pub servers_offset: usize,
    /// The audit log entry selected, as drawn (kept within the entries).
    pub audit_selected: usize,
    /// The connections pane's lines, and the first one shown (kept within them).
    pub conns: Rect,
    pub conns_scroll: usize,
    /// The first row shown by the interfaces, sysctls or doctor pane.
    pub pane_offset: usize,
}

/// A dialog over the tables: it takes the keys until it closes.
pub enum Modal {
    /// A form; `expect` is the object it edits as the operator saw it (for the stale-edit check).
    Form {
        form: Form,
        expect: Option<Expected>,
    },
    /// A change that asks first (delete, zero all, flush).
    Confirm(Confirm),
    /// The deadline of a new drain.
    Drain(DrainPrompt),
    /// A host form: bind a VIP, set a sysctl.
    Host(crate::console::panes::hostpanes::form::HostForm),
    /// The setup wizard (`W`).
    Wizard(super::wizard::Wizard),
}

/// The audit log pane (`L`): the end of the file as last read.
#[derive(Debug, Clone)]
pub struct AuditView {
    /// None until the read comes back.
    pub tail: Option<Result<Tail, Arc<io::Error>>>,
    /// The selected entry, counted from the newest.
    pub selected: usize,
}

/// A change this console applied, and how to undo it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoStep {
    /// The commands applied, for messages and the audit log (`undo_of`).
    pub commands: String,
    pub ops: Vec<Operation>,
    /// The real server whose drain this step starts: undoing it cancels the drain.
    pub drain: Option<(ServiceKey, DestKey)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    pub at: Instant,
}

/// The services and real servers tables as the operator arranged them: which has focus, the
/// filter, the sorts, the rows they show (rebuilt from the snapshot, see `view`) and what is
/// selected.
#[derive(Debug, Clone)]
pub struct Tables {
    pub focus: Focus,
    pub filter: Input,
    pub service_sort: SortSpec,
    pub server_sort: SortSpec,
    /// Indices into `snapshot.services`, filtered and sorted: the rows of the services table.
    pub view: Vec<usize>,
    /// Indices into the selected service's real servers, sorted.
    pub dest_view: Vec<usize>,
    pub services_nav: Nav,
    pub servers_nav: Nav,
    /// What is selected, by identity, so the selection follows it across polls and re-sorts.
    pub selected_service: Option<ServiceKey>,
    pub selected_dest: Option<DestKey>,
}

impl Default for Tables {
    fn default() -> Tables {
        Tables {
            focus: Focus::Services,
            filter: Input::default(),
            service_sort: SortSpec {
                column: Column::Service,
                descending: false,
            },
            server_sort: SortSpec {
                column: Column::Address,
                descending: false,
            },
            view: Vec::new(),
            dest_view: Vec::new(),
            services_nav: Nav::default(),
            servers_nav: Nav::default(),
            selected_service: None,
            selected_dest: None,
        }
    }
}

/// A director of the console that is not shown, with its tables as the operator left them.
pub struct Parked {
    pub director: Director,
    pub tables: Tables,
}

pub struct App {
    /// The director shown: its table, host, rates, undo stack, drains and changes.
    pub director: Director,
    /// The console's other directors (`--on A --on B`), in no order: see `console::fleet`.
    pub fleet: Vec<Parked>,
    /// The page shown and the overlays over it: what is on top, and so what takes the keys.
    pub stack: Stack,
    pub keymap: Keymap,
    pub now: Instant,
    pub interval: Duration,
    pub frozen: bool,
    pub exact: bool,
    pub rate_source: RateSource,
    /// The two tables: focus, filter, sorts, rows and selection.
    pub tables: Tables,
    pub flash: Option<Flash>,
    pub screen: Screen,
}

impl App {
    pub fn new(source: Source, host: impl Into<String>, keymap: Keymap, now: Instant) -> App {
        let mut app = App {
            director: Director::new(source, host),
            fleet: Vec::new(),
            stack: Stack::default(),
            keymap,
            now,
            interval: DEFAULT_INTERVAL,
            frozen: false,
            exact: false,
            rate_source: RateSource::Own,
            tables: Tables::default(),
            flash: None,
            screen: Screen::default(),
        };
        // /proc/net/ip_vs can only be read.
        if app.director.read_only {
            app.set_read_only();
        }
        app
    }

    /// Turns changes off: the change keys leave the keymap, so help, hints and the palette do
    /// not offer them either.
    pub fn set_read_only(&mut self) {
        self.director.read_only = true;
        self.keymap =
            std::mem::replace(&mut self.keymap, Keymap::empty()).without(Command::is_change);
    }

    /// IPVS cannot be read right now and this is not the demo: the demo is offered.
    pub fn offline(&self) -> bool {
        self.director.offline()
    }

    /// The service under the cursor, if the table has rows.
    pub fn current_service(&self) -> Option<&Service> {
        let i = *self.tables.view.get(self.tables.services_nav.selected)?;
        self.director.snapshot.as_ref()?.services.get(i)
    }

    /// The real server under the cursor of the servers table.
    pub fn current_dest(&self) -> Option<&Dest> {
        let j = *self
            .tables
            .dest_view
            .get(self.tables.servers_nav.selected)?;
        self.current_service()?.dests.get(j)
    }

    pub fn flash(&mut self, text: impl Into<String>) {
        self.flash = Some(Flash {
            text: text.into(),
            error: false,
            at: self.now,
        });
    }

    pub fn flash_error(&mut self, text: impl Into<String>) {
        self.flash = Some(Flash {
            text: text.into(),
            error: true,
            at: self.now,
        });
    }

    /// The drain in progress of a real server, if any.
    pub fn drain_of(&self, service: &ServiceKey, dest: DestKey) -> Option<&Drain> {
        self.director.drain_of(service, dest)
    }

    /// Records what the last frame showed (the event loop calls this after each draw).
    pub fn drawn(&mut self, screen: Screen) {
        self.screen = screen;
        match &mut self.stack.page {
            // Only the tables page draws the tables: the others leave their scroll as it was.
            Page::Tables => {
                self.tables.services_nav.offset = screen.services_offset;
                self.tables.servers_nav.offset = screen.servers_offset;
            }
            Page::Audit(view) => view.selected = screen.audit_selected,
            Page::Conns(pane) => pane.scroll = screen.conns_scroll,
            Page::Host(pane) => pane.nav.offset = screen.pane_offset,
            Page::Doctor(view) => view.nav.offset = screen.pane_offset,
            Page::Persist(_) | Page::Keepalived(_) => {}
            Page::Directors(view) => view.nav.offset = screen.pane_offset,
            Page::Compare(_) => {}
        }
    }

    /// Rebuilds both tables' rows after the snapshot, filter or sort changed, keeping the
    /// selection on the same service and real server when they are still there.
    pub fn rebuild(&mut self) {
        view::rebuild(self);
    }
}
