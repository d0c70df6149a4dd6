//! What can happen to the console (actions) and what the console asks of the world (effects).

use crate::ipvs::Error;
use crate::ipvs::model::Snapshot;
use std::time::{Duration, Instant};
use tui_input::InputRequest;

/// What a key can be bound to. The keymap file names these (`run = "sort_next"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
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
}

/// The name of each command in the keymap file.
const NAMES: [(Command, &str); 28] = [
    (Command::Quit, "quit"),
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
];

impl Command {
    pub fn from_name(name: &str) -> Option<Command> {
        NAMES.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
    }

    pub fn name(self) -> &'static str {
        NAMES.iter().find(|(c, _)| *c == self).map(|(_, n)| *n).unwrap_or("?")
    }

    pub fn all_names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().map(|(_, n)| *n)
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
    /// A left click at a screen cell.
    Click { column: u16, row: u16 },
    /// The mouse wheel over a screen cell.
    Scroll { down: bool, column: u16, row: u16 },
    Snapshot { snapshot: Box<Snapshot>, at: Instant },
    PollFailed { error: Error, at: Instant },
    Tick(Instant),
    /// The terminal changed size; the next frame lays the panes out anew.
    Resize,
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
}
