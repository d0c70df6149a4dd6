//! Streams /proc/net/ip_vs_conn (or any file in its format) through a [`Collector`] in chunks:
//! progress (lines and bytes so far) readable from another task, cancellable between chunks.
//! The kernel hands out about 4 KiB per read and rescans its hash table for each (reference
//! §6.2), so a big table takes seconds: run it with [`read_path_async`] off the console's thread.

use super::filter::Filter;
use super::table::{Collector, ConnTable, Limits};
use crate::ipvs::error::SharedError;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The kernel's connection table.
pub const IP_VS_CONN: &str = "/proc/net/ip_vs_conn";

/// Chunk size asked of each read; lines that end past it are carried into the next chunk.
const CHUNK: usize = 256 * 1024;
/// A line longer than this is not from the kernel: it is skipped as malformed.
const MAX_LINE: usize = 4096;

/// Lines and bytes read so far, updated once per chunk.
#[derive(Debug, Default)]
pub struct Progress {
    lines: AtomicU64,
    bytes: AtomicU64,
}

impl Progress {
    pub fn lines(&self) -> u64 {
        self.lines.load(Ordering::Relaxed)
    }

    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// How a read ended.
#[derive(Debug, Clone)]
pub struct ReadSummary {
    pub table: ConnTable,
    /// Stopped by the cancel flag: the table covers the lines read until then.
    pub cancelled: bool,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: Arc<io::Error>,
    },
    /// The simulator's table, which the demo reads in the kernel's format.
    #[error("cannot read the simulator's table: {0}")]
    Sim(#[source] Arc<io::Error>),
    /// The reading task panicked or was cancelled.
    #[error("the connection reader stopped unexpectedly: {0}")]
    Task(#[source] SharedError),
    /// A remote director's agent could not count them: why, naming the director.
    #[error("{0}")]
    Remote(String),
}

/// Feeds everything `src` gives to `collector`, checking `cancel` between chunks.
/// Returns whether it was cancelled.
pub fn stream<R: Read>(
    mut src: R,
    collector: &mut Collector,
    progress: &Progress,
    cancel: &AtomicBool,
) -> io::Result<bool> {
    let mut buf = vec![0u8; CHUNK];
    let mut filled = 0;
    // Inside an over-long line: drop bytes up to its end.
    let mut skipping = false;
    let mut bytes = 0u64;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let n = match src.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        bytes += n as u64;
        if n == 0 {
            if filled > 0 && !skipping {
                collector.line(&buf[..filled]);
            }
            progress.lines.store(collector.lines(), Ordering::Relaxed);
            progress.bytes.store(bytes, Ordering::Relaxed);
            return Ok(false);
        }
        let end = filled + n;
        let mut start = 0;
        // Not memchr: its AVX2 path, chosen at run time, miscounts under user-mode Linux, which
        // restores only the SSE part of the registers after a page fault (see tests/lab/mod.rs);
        // the compiler's SSE2 loop is as fast next to parsing the fields.
        let newlines = buf[filled..end]
            .iter()
            .enumerate()
            .filter_map(|(i, &b)| (b == b'\n').then_some(i));
        for nl in newlines {
            let nl = filled + nl;
            if skipping {
                skipping = false;
            } else {
                collector.line(&buf[start..nl]);
            }
            start = nl + 1;
        }
        buf.copy_within(start..end, 0);
        filled = end - start;
        if filled > MAX_LINE {
            // Count it once, as the collector would, then skip to its newline.
            if !skipping {
                collector.line(b"(over-long line)");
            }
            skipping = true;
            filled = 0;
        }
        progress.lines.store(collector.lines(), Ordering::Relaxed);
        progress.bytes.store(bytes, Ordering::Relaxed);
    }
}

/// Reads a file (`-`: standard input) to the end or until cancelled.
pub fn read_path(
    path: &Path,
    filter: Filter,
    limits: Limits,
    progress: &Progress,
    cancel: &AtomicBool,
) -> Result<ReadSummary, ReadError> {
    let io_err = |source| ReadError::Io {
        path: path.display().to_string(),
        source: Arc::new(source),
    };
    let mut collector = Collector::new(filter, limits);
    let cancelled = if path == Path::new("-") {
        stream(io::stdin().lock(), &mut collector, progress, cancel).map_err(io_err)?
    } else {
        let file = std::fs::File::open(path).map_err(io_err)?;
        stream(file, &mut collector, progress, cancel).map_err(io_err)?
    };
    Ok(ReadSummary {
        table: collector.finish(),
        cancelled,
    })
}

/// [`read_path`] on tokio's blocking pool, so that an async caller (the console) keeps running.
/// Set `cancel` to stop it; read `progress` meanwhile.
pub async fn read_path_async(
    path: PathBuf,
    filter: Filter,
    limits: Limits,
    progress: Arc<Progress>,
    cancel: Arc<AtomicBool>,
) -> Result<ReadSummary, ReadError> {
    tokio::task::spawn_blocking(move || read_path(&path, filter, limits, &progress, &cancel))
        .await
        .map_err(|e| ReadError::Task(SharedError::new(e)))?
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out a few bytes per read, like the kernel's one page at a time, but smaller, so
    /// that lines are split across reads.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(self.0.len()).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    const TEXT: &str =
        "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData
TCP CB007102 AD74 CB007164 0051 0A0A000C 0051 ESTABLISHED     894
UDP CB007102 C875 CB007164 0035 0A0A000C 0035 UDP             294
TCP CB007102 AD78 CB007164 0051 0A0A000B 0051 ESTABLISHED     894";

    #[test]
    fn lines_split_across_reads_and_no_final_newline() {
        for step in [1, 3, 7, 64, 10_000] {
            let mut c = Collector::new(Filter::default(), Limits::default());
            let p = Progress::default();
            let cancelled = stream(
                Trickle(TEXT.as_bytes(), step),
                &mut c,
                &p,
                &AtomicBool::new(false),
            )
            .unwrap();
            assert!(!cancelled);
            assert_eq!((p.lines(), p.bytes()), (3, TEXT.len() as u64));
            let t = c.finish();
            assert_eq!((t.counts.lines, t.counts.malformed), (3, 0), "step {step}");
        }
    }

    #[test]
    fn over_long_line_is_one_malformed_line() {
        let mut text = String::from("x").repeat(3 * CHUNK);
        text.push('\n');
        text.push_str(TEXT);
        let mut c = Collector::new(Filter::default(), Limits::default());
        stream(
            Trickle(text.as_bytes(), 5000),
            &mut c,
            &Progress::default(),
            &AtomicBool::new(false),
        )
        .unwrap();
        let t = c.finish();
        assert_eq!((t.counts.lines, t.counts.malformed), (4, 1));
    }

    #[test]
    fn cancel_stops_between_chunks() {
        let mut c = Collector::new(Filter::default(), Limits::default());
        let cancelled = stream(
            Trickle(TEXT.as_bytes(), 1),
            &mut c,
            &Progress::default(),
            &AtomicBool::new(true),
        )
        .unwrap();
        assert!(cancelled);
        assert_eq!(c.lines(), 0);
    }

    /// As the console will use it: the read runs off the async thread, the caller sees the lines
    /// come in and cancels; the read stops with what it had. A FIFO stands for a slow kernel.
    #[test]
    fn async_read_reports_progress_and_cancels() {
        use std::io::Write;
        use std::time::Duration;
        let dir = std::env::temp_dir().join(format!("conns_reader_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("ip_vs_conn");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600))
            .unwrap_or_else(|e| panic!("mkfifo {}: {e}", fifo.display()));
        let line = "TCP CB007102 AD74 CB007164 0051 0A0A000C 0051 ESTABLISHED     894\n";
        let (progress, cancel) = (
            Arc::new(Progress::default()),
            Arc::new(AtomicBool::new(false)),
        );
        let writer = std::thread::spawn({
            let (fifo, cancel) = (fifo.clone(), cancel.clone());
            move || {
                let mut f = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
                f.write_all(line.repeat(100).as_bytes()).unwrap();
                for _ in 0..10_000 {
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                // Wakes the reader from its read, so that it looks at the flag; it may have gone.
                let _ = f.write_all(line.as_bytes());
            }
        });
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let outcome = rt.block_on(async {
            let task = tokio::spawn(read_path_async(
                fifo.clone(),
                Filter::default(),
                Limits::default(),
                progress.clone(),
                cancel.clone(),
            ));
            let seen = tokio::time::timeout(Duration::from_secs(10), async {
                while progress.lines() < 100 {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            })
            .await;
            cancel.store(true, Ordering::Relaxed);
            assert!(
                seen.is_ok(),
                "no progress in 10 s: {} lines",
                progress.lines()
            );
            task.await.unwrap()
        });
        writer.join().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let outcome = outcome.unwrap();
        assert!(outcome.cancelled);
        assert!(
            (100..=101).contains(&outcome.table.counts.lines),
            "{:?}",
            outcome.table.counts
        );
    }

    #[test]
    fn async_read_of_a_missing_file_says_which() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let err = rt
            .block_on(read_path_async(
                "/nonexistent/ip_vs_conn".into(),
                Filter::default(),
                Limits::default(),
                Arc::default(),
                Arc::default(),
            ))
            .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/ip_vs_conn"), "{err}");
    }
}
