//! The console's whole state: what was polled, what is selected, how it is sorted and filtered.
//! Drawing reads it; only `update` changes it (and the event loop records where panes landed).

use super::action::Command;
use super::keymap::{Keymap, Layer};
use super::palette::Palette;
use super::view::{self, Column, SortSpec};
use crate::ipvs::Error;
use crate::ipvs::rates::{RateSource, RateTracker};
use crate::ipvs::model::{Dest, Service, ServiceKey, Snapshot};
use ratatui::layout::Rect;
use std::net::IpAddr;
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

/// Where the last frame put the table bodies and which rows it showed, so that clicks and page
/// sizes refer to what is on screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Screen {
    pub services: Rect,
    pub servers: Rect,
    pub services_offset: usize,
    pub servers_offset: usize,
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
    pub selected_dest: Option<(IpAddr, u16)>,
    pub flash: Option<Flash>,
    pub screen: Screen,
    /// ipvsadm's order of `snapshot.services` (rank per index), the default sort.
    pub(crate) ipvsadm_rank: Vec<usize>,
}

impl App {
    pub fn new(source: Source, host: impl Into<String>, keymap: Keymap, now: Instant) -> App {
        App {
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
            service_sort: SortSpec { column: Column::Service, descending: false },
            server_sort: SortSpec { column: Column::Address, descending: false },
            view: Vec::new(),
            dest_view: Vec::new(),
            services_nav: Nav::default(),
            servers_nav: Nav::default(),
            selected_service: None,
            selected_dest: None,
            flash: None,
            screen: Screen::default(),
            ipvsadm_rank: Vec::new(),
        }
    }

    /// IPVS cannot be read right now and this is not the demo: the demo is offered.
    pub fn offline(&self) -> bool {
        self.source != Source::Simulated && self.poll_error.is_some()
    }

    /// The keymap layers in force, most specific first.
    pub fn layers(&self) -> Vec<Layer> {
        if self.help.is_some() {
            return vec![Layer::Help];
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
        if self.snapshot.is_some() {
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
            Command::Filter | Command::SortNext | Command::SortPrev | Command::SortInvert | Command::Freeze | Command::Exact | Command::Rates | Command::FocusNext => {
                self.snapshot.is_some()
            }
            _ => true,
        }
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
        self.flash = Some(Flash { text: text.into(), error: false, at: self.now });
    }

    pub fn flash_error(&mut self, text: impl Into<String>) {
        self.flash = Some(Flash { text: text.into(), error: true, at: self.now });
    }

    /// Records what the last frame showed (the event loop calls this after each draw).
    pub fn drawn(&mut self, screen: Screen) {
        self.screen = screen;
        self.services_nav.offset = screen.services_offset;
        self.servers_nav.offset = screen.servers_offset;
    }

    /// Rebuilds both tables' rows after the snapshot, filter or sort changed, keeping the
    /// selection on the same service and real server when they are still there.
    pub fn rebuild(&mut self) {
        view::rebuild(self);
    }
}
