//! The real terminal: raw mode, alternate screen, clicks and wheel (no motion), and a restore
//! that runs on every exit path, panics included. Restoring twice is harmless.

use crate::runtime::lean_backend::{LINE_FEED_MOVES_DOWN, LeanBackend};
use crossterm::cursor::{Hide, Show};
use crossterm::style::{Attribute, Print, ResetColor, SetAttribute};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{Command, execute};
use ratatui::Terminal;
use std::fmt;
use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Mouse reporting of presses, releases and the wheel in SGR encoding (xterm modes 1000 and
/// 1006), but not motion: crossterm's EnableMouseCapture also asks for every move, which is
/// needless traffic over SSH.
struct CaptureClicks(bool);

impl Command for CaptureClicks {
    fn write_ansi(&self, f: &mut impl fmt::Write) -> fmt::Result {
        f.write_str(if self.0 {
            "\x1b[?1000h\x1b[?1006h"
        } else {
            "\x1b[?1006l\x1b[?1000l"
        })
    }
}

/// Takes over the terminal and installs the panic hook that gives it back.
/// Frames go through LeanBackend, which wraps each in synchronized output itself (and writes
/// nothing for a frame that changes nothing): the event loop's own markers are not needed.
pub fn enter() -> io::Result<Terminal<LeanBackend<Stdout>>> {
    install_panic_hook();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    if let Err(e) = execute!(
        io::stdout(),
        EnterAlternateScreen,
        Print(LINE_FEED_MOVES_DOWN),
        CaptureClicks(true),
        Hide
    ) {
        restore();
        return Err(e);
    }
    let colors = !crate::ui::theme::no_color_requested();
    Terminal::new(LeanBackend::new(io::stdout(), true, colors)).inspect_err(|_| restore())
}

/// Ctrl-Z or SIGTSTP: gives the terminal back to the shell and stops the process; returns once
/// continued (`fg`), with the terminal taken over again. The caller repaints.
pub fn suspend() -> io::Result<()> {
    restore();
    crate::sys::stop_self();
    resume()
}

/// Takes the terminal over again (after a stop): raw mode, alternate screen, clicks, no cursor.
/// Harmless when it is already ours.
pub fn resume() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        Print(LINE_FEED_MOVES_DOWN),
        CaptureClicks(true),
        Hide
    )
}

/// Gives the terminal back as it was: cooked mode, main screen, cursor, no mouse reporting.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        // Best effort: on a vanished terminal (SIGHUP) these fail, and there is nothing to restore.
        // The reset first: frames do not end with one, and the main screen must not inherit a style.
        let _ = execute!(
            io::stdout(),
            ResetColor,
            SetAttribute(Attribute::Reset),
            CaptureClicks(false),
            LeaveAlternateScreen,
            Show
        );
        let _ = disable_raw_mode();
    }
}

fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Restore first, or the message would be printed into the alternate screen and lost.
        restore();
        previous(info);
    }));
}
