//! The terminal's size, remembered between frames. ratatui asks for it before every frame, and
//! crossterm answers by opening /dev/tty, asking it and closing it again (three syscalls, each a
//! ptrace round trip under user-mode Linux). It changes only with a resize event, which carries
//! the new size; a full clear (Ctrl-L, resuming after a stop) asks the terminal again.

use ratatui::layout::Size;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// Shared by the backend (which reads it) and the event stream (which sees resizes).
#[derive(Debug, Clone, Default)]
pub struct TermSize(Arc<AtomicU32>);

/// Nothing remembered: the next `get` asks the terminal.
const UNKNOWN: u32 = 0;

impl TermSize {
    /// The remembered size, or the terminal's.
    pub fn get(&self) -> io::Result<Size> {
        match self.0.load(Ordering::Relaxed) {
            UNKNOWN => {
                let (w, h) = crossterm::terminal::size()?;
                self.set(w, h);
                Ok(Size::new(w, h))
            }
            packed => Ok(Size::new((packed >> 16) as u16, packed as u16)),
        }
    }

    /// A resize event's size.
    pub fn set(&self, width: u16, height: u16) {
        self.0.store(
            u32::from(width) << 16 | u32::from(height),
            Ordering::Relaxed,
        );
    }

    /// Ask the terminal next time.
    pub fn forget(&self) {
        self.0.store(UNKNOWN, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resize_is_what_the_next_frame_gets_in_every_copy() {
        let size = TermSize::default();
        let backend_copy = size.clone();
        size.set(120, 50);
        assert_eq!(backend_copy.get().unwrap(), Size::new(120, 50));
        size.set(80, 24);
        assert_eq!(backend_copy.get().unwrap(), Size::new(80, 24));
        size.set(u16::MAX, 1);
        assert_eq!(backend_copy.get().unwrap(), Size::new(u16::MAX, 1));
    }
}
