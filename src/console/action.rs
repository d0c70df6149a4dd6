//! What can happen to the console (actions) and what the console asks of the world (effects).

use super::changes::{Change, Outcome as ChangeOutcome};
use super::conns::ConnsRequest;
use crate::ipvs::Error;
use crate::ipvs::audit::Tail;
use crate::ipvs::conns::Outcome;
use crate::ipvs::model::Snapshot;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tui_input::InputRequest;

/// What a key can be bound to. The keymap file names these (`run = "sort_next"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Suspend,
    Help,
    Redraw,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Enter,
    Back,
    FocusNext,
    Filter,
    FilterDone,
    FilterCancel,
    SortNext,
    SortPrev,
    SortInvert,
    Freeze,
    IntervalDown,
    IntervalUp,
    Exact,
    Rates,
    Demo,
    Palette,
    PaletteRun,
    PaletteComplete,
    PaletteClose,
    // Changes (none of these is offered in read-only mode: see `is_change`).
    Add,
    Edit,
    Delete,
    Weight,
    WeightUp,
    WeightDown,
    Quiesce,
    ZeroService,
    ZeroAll,
    Flush,
    Timeouts,
    Daemon,
    Drain,
    Undo,
    AuditLog,
    // Inside a form or a confirmation.
    FormNext,
    FormPrev,
    FormSubmit,
    FormCancel,
    // The connections pane (`c`).
    Conns,
    ConnsBack,
    ConnsRefresh,
    ConnsGroup,
    ConnsSort,
    ConnsFilter,
    ConnsFilterDone,
    ConnsFilterCancel,
    ConnsScope,
    ConnsTemplates,
    ConnsInterval,
    // The host around IPVS (see `hostpanes`).
    Interfaces,
    Sysctls,
    BindVip,
    UnbindVip,
    EditSysctl,
    Doctor,
    DoctorFix,
    // The setup wizard (`W`).
    Wizard,
    WizardNext,
    WizardBack,
    // The persist pane (`P`).
    Persist,
    PersistWrite,
}

/// The name of each command in the keymap file.
const NAMES: [(Command, &str); 71] = [
    (Command::Quit, "quit"),
    (Command::Suspend, "suspend"),
    (Command::Help, "help"),
    (Command::Redraw, "redraw"),
    (Command::Up, "up"),
    (Command::Down, "down"),
    (Command::PageUp, "page_up"),
    (Command::PageDown, "page_down"),
    (Command::Top, "top"),
    (Command::Bottom, "bottom"),
    (Command::Enter, "enter"),
    (Command::Back, "back"),
    (Command::FocusNext, "focus_next"),
    (Command::Filter, "filter"),
    (Command::FilterDone, "filter_done"),
    (Command::FilterCancel, "filter_cancel"),
    (Command::SortNext, "sort_next"),
    (Command::SortPrev, "sort_prev"),
    (Command::SortInvert, "sort_invert"),
    (Command::Freeze, "freeze"),
    (Command::IntervalDown, "interval_down"),
    (Command::IntervalUp, "interval_up"),
    (Command::Exact, "exact"),
    (Command::Rates, "rates"),
    (Command::Demo, "demo"),
    (Command::Palette, "palette"),
    (Command::PaletteRun, "palette_run"),
    (Command::PaletteComplete, "palette_complete"),
    (Command::PaletteClose, "palette_close"),
    (Command::Add, "add"),
    (Command::Edit, "edit"),
    (Command::Delete, "delete"),
    (Command::Weight, "weight"),
    (Command::WeightUp, "weight_up"),
    (Command::WeightDown, "weight_down"),
    (Command::Quiesce, "quiesce"),
    (Command::ZeroService, "zero"),
    (Command::ZeroAll, "zero_all"),
    (Command::Flush, "flush"),
    (Command::Timeouts, "timeouts"),
    (Command::Daemon, "daemon"),
    (Command::Drain, "drain"),
    (Command::Undo, "undo"),
    (Command::AuditLog, "audit_log"),
    (Command::FormNext, "form_next"),
    (Command::FormPrev, "form_prev"),
    (Command::FormSubmit, "form_submit"),
    (Command::FormCancel, "form_cancel"),
    (Command::Conns, "conns"),
    (Command::ConnsBack, "conns_back"),
    (Command::ConnsRefresh, "conns_refresh"),
    (Command::ConnsGroup, "conns_group"),
    (Command::ConnsSort, "conns_sort"),
    (Command::ConnsFilter, "conns_filter"),
    (Command::ConnsFilterDone, "conns_filter_done"),
    (Command::ConnsFilterCancel, "conns_filter_cancel"),
    (Command::ConnsScope, "conns_scope"),
    (Command::ConnsTemplates, "conns_templates"),
    (Command::ConnsInterval, "conns_interval"),
    (Command::Interfaces, "interfaces"),
    (Command::Sysctls, "sysctls"),
    (Command::BindVip, "bind_vip"),
    (Command::UnbindVip, "unbind_vip"),
    (Command::EditSysctl, "edit_sysctl"),
    (Command::Doctor, "doctor"),
    (Command::DoctorFix, "doctor_fix"),
    (Command::Wizard, "wizard"),
    (Command::WizardNext, "wizard_next"),
    (Command::WizardBack, "wizard_back"),
    (Command::Persist, "persist"),
    (Command::PersistWrite, "persist_write"),
];

impl Command {
    pub fn from_name(name: &str) -> Option<Command> {
        NAMES.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
    }

    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(c, _)| *c == self)
            .map(|(_, n)| *n)
            .unwrap_or("?")
    }

    pub fn all_names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().map(|(_, n)| *n)
    }

    /// How many rows a movement command moves, given the height of a page (Top and Bottom: as
    /// far as there is).
    pub fn rows(self, page: isize) -> isize {
        match self {
            Command::Up => -1,
            Command::Down => 1,
            Command::PageUp => -page,
            Command::PageDown => page,
            Command::Top => isize::MIN / 2,
            _ => isize::MAX / 2,
        }
    }

    /// Commands that change IPVS or open a form that would: read-only mode offers none of them.
    pub fn is_change(self) -> bool {
        use Command::*;
        matches!(
            self,
            Add | Edit
                | Delete
                | Weight
                | WeightUp
                | WeightDown
                | Quiesce
                | ZeroService
                | ZeroAll
                | Flush
                | Timeouts
                | Daemon
                | Drain
                | Undo
                | BindVip
                | UnbindVip
                | EditSysctl
                | DoctorFix
                | Wizard
                | Persist
                | PersistWrite
        )
    }
}

/// Everything `update` reacts to: commands from keys, text typed into the filter or the palette, the mouse,
/// poll results and the clock. Times come in with the action so that `update` stays pure.
#[derive(Debug, Clone)]
pub enum Action {
    Command(Command),
    FilterEdit(InputRequest),
    /// Text typed into the `:` command palette.
    PaletteEdit(InputRequest),
    /// Text typed into the open form or confirmation.
    ModalEdit(InputRequest),
    /// A change came back from the backend.
    Applied(Box<ChangeOutcome>),
    /// The end of the audit log, or why it could not be read.
    AuditRead(Result<Tail, Arc<io::Error>>),
    /// The host around IPVS as just read (links, addresses, sysctls).
    HostRead(Box<crate::host::HostState>),
    /// The doctor's findings, or why it could not look.
    DoctorRead(Result<Vec<crate::setup::doctor::Finding>, crate::setup::gather::GatherError>),
    /// The files `P` would write and how each stands on disk, or why they could not be made.
    PersistPlanned(Result<Vec<super::persist::Planned>, super::persist::PlanFilesError>),
    /// What writing them did.
    PersistWritten(crate::setup::persist::Written),
    /// A left click at a screen cell.
    Click {
        column: u16,
        row: u16,
    },
    /// The mouse wheel over a screen cell.
    Scroll {
        down: bool,
        column: u16,
        row: u16,
    },
    Snapshot {
        snapshot: Box<Snapshot>,
        at: Instant,
    },
    PollFailed {
        error: Error,
        at: Instant,
    },
    Tick(Instant),
    /// The terminal changed size; the next frame lays the panes out anew.
    Resize,
    /// Text typed into the connections pane's filter.
    ConnsFilterEdit(InputRequest),
    /// A connection read came back: read `id`, which took `took` and ended at `at`.
    ConnsRead {
        id: u64,
        result: Result<Box<Outcome>, crate::ipvs::conns::ReadError>,
        took: Duration,
        at: Instant,
    },
}

/// What `update` asks the event loop to do beyond redrawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Poll at this interval from now on.
    SetInterval(Duration),
    /// Clear the terminal and paint every cell again (Ctrl-L after line noise).
    ClearScreen,
    /// Replace the kernel backend by the simulator.
    StartDemo,
    /// Give the terminal back to the shell and stop until `fg` (Ctrl-Z).
    Suspend,
    /// Apply a change; its outcome comes back as `Action::Applied`.
    Apply(Change),
    /// Read the end of the audit log at this path; it comes back as `Action::AuditRead`.
    ReadAudit(PathBuf),
    /// Read the connection table for the pane, replacing (and cancelling) a read in progress;
    /// the outcome comes back as `Action::ConnsRead`.
    ReadConns(ConnsRequest),
    /// Stop the connection read in progress at its next chunk (what it read still comes back).
    CancelConns,
    /// Run the doctor on the table and host of this console, told what the user knows (the
    /// role the wizard set up); it answers `Action::DoctorRead`.
    RunDoctor(crate::setup::gather::Ask),
    /// Render the files `P` writes into this directory from a fresh read of the table and host;
    /// they come back as `Action::PersistPlanned`.
    PlanPersist(PathBuf),
    /// Write them off the UI thread; the result comes back as `Action::PersistWritten`.
    WritePersist(crate::setup::persist::WriteRequest),
}
