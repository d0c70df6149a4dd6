//! The console's incremental frames in a real terminal (tmux) show what a full repaint shows:
//! the connections list scrolled line by line both ways (the byte-lean backend scrolls it with
//! delete- and insert-line, `ESC[M` and `ESC[L`), then Ctrl-L, which clears and prints every cell.

use crate::tmux::Tmux;
use std::time::{Duration, Instant};

/// The screen without the lines that say how long ago something was read (they count seconds).
fn timeless(screen: &str) -> Vec<&str> {
    screen.lines().filter(|l| !l.contains(" ago")).collect()
}

/// The screen once it holds still (but for its clock) for 300 ms: the console has drawn the
/// last key's frame, however busy the machine.
fn settled(tmux: &Tmux, what: &str) -> String {
    let start = Instant::now();
    let mut last = tmux.screen();
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let now = tmux.screen();
        if timeless(&now) == timeless(&last) {
            return now;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{what}: the screen still changes after 30 s:\n{now}"
        );
        last = now;
    }
}

/// Captures the screen, repaints it whole with Ctrl-L, and compares.
fn same_after_a_repaint(tmux: &Tmux, what: &str) {
    let incremental = settled(tmux, what);
    tmux.keys(&["C-l"]);
    let repainted = settled(tmux, what);
    assert_eq!(
        timeless(&incremental),
        timeless(&repainted),
        "{what}: the screen drawn frame by frame differs from its repaint:\n{incremental}\n\
         repainted:\n{repainted}"
    );
}

#[test]
fn scrolled_lines_in_a_real_terminal_equal_a_repaint() {
    let bin = env!("CARGO_BIN_EXE_ipvs-tui");
    let tmux = Tmux::start(100, 24);
    let dir = tempfile::tempdir().unwrap();
    let stream = dir.path().join("pane.bytes");
    tmux.run(&[
        "pipe-pane",
        "-o",
        "-t",
        "0",
        &format!("cat > {}", stream.display()),
    ]);
    tmux.keys(&[&format!("exec {bin} --demo"), "Enter"]);
    tmux.wait("the console", |s| s.contains("SIMULATED"));
    // Frozen: no poll changes the screen between the two captures.
    tmux.keys(&["f", "c"]);
    tmux.wait("the connections of the first service", |s| {
        s.contains("FROZEN") && s.contains("matched") && s.contains("TIME_WAIT")
    });
    // The freeze's flash goes after a few seconds: not between the two captures.
    tmux.wait("the freeze's flash to go", |s| !s.contains("frozen:"));
    for _ in 0..30 {
        tmux.keys(&["Down"]);
        std::thread::sleep(Duration::from_millis(30));
    }
    same_after_a_repaint(&tmux, "30 lines down");
    for _ in 0..12 {
        tmux.keys(&["Up"]);
        std::thread::sleep(Duration::from_millis(30));
    }
    same_after_a_repaint(&tmux, "then 12 up");
    let bytes = std::fs::read(&stream).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("\x1b[M\x1b[") && text.contains("\x1b[L"),
        "the list was not scrolled by deleting and inserting lines ({} bytes written)",
        bytes.len()
    );
}
