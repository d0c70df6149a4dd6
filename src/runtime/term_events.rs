//! Terminal events read on a thread of their own and handed to the loop over a channel.
//!
//! crossterm's `EventStream` keeps a thread blocked in its reader and, each time the loop wakes
//! for anything else (a poll, a tick), tries that reader's lock again from the loop's thread:
//! the try spins with `sched_yield` and clock reads, about 100 system calls a second at 1 s
//! refresh, a third of the console's. Here only the thread touches the reader.

use crossterm::event::Event;
use futures::Stream;
use std::io;

/// Every terminal event (keys, pastes, resizes) in order; the first error ends the stream
/// after it (a terminal that went away does not come back).
pub fn events() -> impl Stream<Item = io::Result<Event>> + Unpin {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let spawned = std::thread::Builder::new()
        .name("terminal events".into())
        .spawn({
            let tx = tx.clone();
            move || {
                loop {
                    let event = crossterm::event::read();
                    let failed = event.is_err();
                    // The loop has ended when no one receives: so does the thread.
                    if tx.send(event).is_err() || failed {
                        return;
                    }
                }
            }
        });
    if let Err(e) = spawned {
        let _ = tx.send(Err(io::Error::new(
            e.kind(),
            format!("cannot start the thread that reads the terminal: {e}"),
        )));
    }
    drop(tx);
    Box::pin(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|event| (event, rx))
    }))
}
