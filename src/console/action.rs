//! What can happen to the console (actions) and what the console asks of the world (effects).

use super::change::{Change, ChangeOutcome};
use crate::console::panes::conns::ConnsRequest;
use crate::ipvs::Error;
use crate::ipvs::conns::ReadSummary;
use crate::ipvs::model::Snapshot;
use crate::operation::audit::Tail;
use crate::owners::keepalived::follow::FollowReport;
use crate::owners::keepalived::process::Process;
use crate::owners::keepalived::reader::{KeepalivedState, ReadError};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tui_input::InputRequest;

/// What a key can be bound to. The keymap file names these (`run = "sort_next"`): the variant's
/// name in snake_case unless a `serialize` says otherwise.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[strum(serialize_all = "snake_case")]
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
    #[strum(serialize = "zero")]
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
    // The keepalived page (`K`).
    Keepalived,
    KeepalivedRefresh,
    // Several directors (`V`): the page, going to one, comparing two.
    Directors,
    OpenDirector,
    MarkDirector,
    Compare,
}

impl Command {
    pub fn from_name(name: &str) -> Option<Command> {
        name.parse().ok()
    }

    pub fn name(self) -> &'static str {
        self.into()
    }

    pub fn all_names() -> impl Iterator<Item = &'static str> {
        <Command as strum::VariantNames>::VARIANTS.iter().copied()
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
    /// Only the links and addresses as just read: routes and sysctls stay as last read.
    LinksRead(Box<crate::host::HostState>),
    /// The doctor's findings, or why it could not look.
    DoctorRead(Result<Vec<crate::setup::doctor::Finding>, crate::setup::gather::GatherError>),
    /// The files `P` would write and how each stands on disk, or why they could not be made.
    PersistPlanned(
        Result<Vec<crate::console::panes::persist::Planned>, crate::setup::persist::PlanFilesError>,
    ),
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
        result: Result<Box<ReadSummary>, crate::ipvs::conns::ReadError>,
        took: Duration,
        at: Instant,
    },
    /// keepalived's state as just read, or why it could not be, at `at`.
    KeepalivedRead {
        result: Box<Result<KeepalivedState, ReadError>>,
        at: Instant,
    },
    /// What the session following keepalived's notify FIFOs saw.
    KeepalivedFollow(Box<FollowReport>),
    /// An action for director `id` of the console (its poll, the outcome of its change): handled
    /// on that director whether it is shown or not (see `console::fleet`).
    On(usize, Box<Action>),
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
    /// Ask keepalived for its dump and read it; it comes back as `Action::KeepalivedRead`.
    ReadKeepalived,
    /// Follow the notify FIFOs of this keepalived, in the background, until one closes; it
    /// reports as `Action::KeepalivedFollow` tagged with `session`.
    FollowKeepalived {
        session: u64,
        process: Process,
    },
    /// Poll the director shown now (it was just switched to).
    PollNow,
    /// An effect for director `id`: carried out by its executor. Untagged effects are for the
    /// director shown.
    On(usize, Box<Effect>),
}

#[cfg(test)]
mod tests {
    use super::Command;

    #[test]
    fn every_command_has_one_name_that_reads_back() {
        let names: Vec<_> = Command::all_names().collect();
        let mut distinct = names.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), names.len(), "{names:?}");
        for name in names {
            let command = Command::from_name(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(command.name(), name);
        }
        assert_eq!(Command::ZeroService.name(), "zero");
        assert_eq!(Command::PageUp.name(), "page_up");
        assert_eq!(Command::from_name("ConnsFilterDone"), None);
    }

    #[test]
    fn the_default_keymap_names_only_commands_that_exist() {
        let text = include_str!("../../assets/keymap.toml");
        let runs: Vec<&str> = text
            .lines()
            .filter_map(|l| l.split_once("run = \"")?.1.split_once('"'))
            .map(|(name, _)| name)
            .collect();
        assert!(runs.len() > 50, "{runs:?}");
        for name in runs {
            assert!(Command::from_name(name).is_some(), "{name}");
        }
    }
}
