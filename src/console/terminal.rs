//! The real terminal: raw mode, alternate screen, clicks and wheel (no motion), and a restore
//! that runs on every exit path, panics included. Restoring twice is harmless.

use crossterm::cursor::{Hide, Show};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{Command, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
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
        f.write_str(if self.0 { "\x1b[?1000h\x1b[?1006h" } else { "\x1b[?1006l\x1b[?1000l" })
    }
}

/// Takes over the terminal and installs the panic hook that gives it back.
pub fn enter() -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
    install_panic_hook();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    if let Err(e) = execute!(io::stdout(), EnterAlternateScreen, CaptureClicks(true), Hide) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(io::stdout())).inspect_err(|_| restore())
}

/// Gives the terminal back as it was: cooked mode, main screen, cursor, no mouse reporting.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        // Best effort: on a vanished terminal (SIGHUP) these fail, and there is nothing to restore.
        let _ = execute!(io::stdout(), CaptureClicks(false), LeaveAlternateScreen, Show);
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
