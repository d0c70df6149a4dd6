//! The console's whole state: what was polled, what is selected, how it is sorted and filtered.
//! Drawing reads it; only `update` changes it (and the event loop records where panes landed).

use super::action::Command;
use super::changes::Change;
use super::conns::ConnsPane;
use super::drain::DrainPrompt;
use super::form::{Confirm, Form};
use super::keymap::Keymap;
use super::palette::Palette;
use super::view::{self, Column, SortSpec};
use crate::ipvs::Error;
use crate::ipvs::audit::Tail;
use crate::ipvs::drain::Drain;
use crate::ipvs::model::{Dest, DestKey, Service, ServiceKey, Snapshot};
use crate::ipvs::rates::{RateSource, RateTracker};
use crate::ipvs::stale::Expected;
use crate::operation::Operation;
use ratatui::layout::Rect;
use std::io;
use std::path::PathBuf;
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
    Host(super::hostpanes::form::HostForm),
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

pub struct App {
    pub source: Source,
    pub host: String,
    pub keymap: Keymap,
    /// The last snapshot shown (kept while polls fail, and while frozen).
    pub snapshot: Option<Snapshot>,
    pub last_ok: Option<Instant>,
    /// The latest poll failure, cleared by the next good poll.
    pub poll_error: Option<(Error, Instant)>,
    pub now: Instant,
    pub interval: Duration,
    pub frozen: bool,
    pub exact: bool,
    /// Rates and sparkline histories of every shown poll.
    pub rates: RateTracker,
    pub rate_source: RateSource,
    pub focus: Focus,
    /// Help is open, scrolled this many lines.
    pub help: Option<u16>,
    pub filter: Input,
    pub filtering: bool,
    /// The `:` command palette, while open.
    pub palette: Option<Palette>,
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
    pub flash: Option<Flash>,
    pub screen: Screen,
    /// ipvsadm's order of `snapshot.services` (rank per index), the default sort.
    pub(crate) ipvsadm_rank: Vec<usize>,
    /// Changes are off (--read-only, the config file, or no root): no change key is bound.
    pub read_only: bool,
    pub modal: Option<Modal>,
    /// The change being applied (one at a time), and the id of the next.
    pub in_flight: Option<Change>,
    pub next_change: u64,
    /// Changes made in this console, newest last: `u` applies the last one's inverse.
    pub undo: Vec<UndoStep>,
    /// Where changes are recorded (None: not audited, as in the demo).
    pub audit_path: Option<PathBuf>,
    pub audit_view: Option<AuditView>,
    /// Real servers being drained (and drains whose last change is on its way).
    pub drains: Vec<Drain>,
    /// The connections pane (`c`), while open.
    pub conns: Option<ConnsPane>,
    /// The host around IPVS (links, addresses, sysctls) as last read by the poller.
    pub host_state: Option<crate::host::HostState>,
    /// The interfaces or sysctls pane, while open.
    pub host_pane: Option<super::hostpanes::HostPane>,
    /// The doctor pane, while open.
    pub doctor: Option<super::doctor::DoctorView>,
    /// The persist pane (`P`), while open, and where it writes (None: /etc).
    pub persist: Option<super::persist::PersistView>,
    pub persist_dir: Option<PathBuf>,
}

impl App {
    pub fn new(source: Source, host: impl Into<String>, keymap: Keymap, now: Instant) -> App {
        let mut app = App {
            source,
            host: host.into(),
            keymap,
            snapshot: None,
            last_ok: None,
            poll_error: None,
            now,
            interval: DEFAULT_INTERVAL,
            frozen: false,
            exact: false,
            rates: RateTracker::default(),
            rate_source: RateSource::Own,
            focus: Focus::Services,
            help: None,
            filter: Input::default(),
            filtering: false,
            palette: None,
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
            flash: None,
            screen: Screen::default(),
            ipvsadm_rank: Vec::new(),
            read_only: false,
            modal: None,
            in_flight: None,
            next_change: 1,
            undo: Vec::new(),
            audit_path: None,
            audit_view: None,
            drains: Vec::new(),
            conns: None,
            host_state: None,
            host_pane: None,
            doctor: None,
            persist: None,
            persist_dir: None,
        };
        // /proc/net/ip_vs can only be read.
        if source == Source::ReadOnly {
            app.set_read_only();
        }
        app
    }

    /// Turns changes off: the change keys leave the keymap, so help, hints and the palette do
    /// not offer them either.
    pub fn set_read_only(&mut self) {
        self.read_only = true;
        self.keymap =
            std::mem::replace(&mut self.keymap, Keymap::empty()).without(Command::is_change);
    }

    /// IPVS cannot be read right now and this is not the demo: the demo is offered.
    pub fn offline(&self) -> bool {
        self.source != Source::Simulated && self.poll_error.is_some()
    }

    /// The service under the cursor, if the table has rows.
    pub fn current_service(&self) -> Option<&Service> {
        let i = *self.view.get(self.services_nav.selected)?;
        self.snapshot.as_ref()?.services.get(i)
    }

    /// The real server under the cursor of the servers table.
    pub fn current_dest(&self) -> Option<&Dest> {
        let j = *self.dest_view.get(self.servers_nav.selected)?;
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
        self.drains
            .iter()
            .find(|d| d.is_active() && d.service() == service && d.dest().key() == dest)
    }

    /// Records what the last frame showed (the event loop calls this after each draw).
    pub fn drawn(&mut self, screen: Screen) {
        self.screen = screen;
        self.services_nav.offset = screen.services_offset;
        self.servers_nav.offset = screen.servers_offset;
        if let Some(view) = &mut self.audit_view {
            view.selected = screen.audit_selected;
        }
        if let Some(pane) = &mut self.conns {
            pane.scroll = screen.conns_scroll;
        }
        if let Some(pane) = &mut self.host_pane {
            pane.nav.offset = screen.pane_offset;
        }
        if let Some(view) = &mut self.doctor {
            view.nav.offset = screen.pane_offset;
        }
    }

    /// Rebuilds both tables' rows after the snapshot, filter or sort changed, keeping the
    /// selection on the same service and real server when they are still there.
    pub fn rebuild(&mut self) {
        view::rebuild(self);
    }
}
