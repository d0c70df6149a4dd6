//! Debug logs for bug reports: with `--log-file PATH` (or `log_file` in config.toml) every poll,
//! change, error (with its sources) and keepalived exchange is appended to PATH as one JSON line.
//! Without it no subscriber is installed and the `tracing` calls cost next to nothing; nothing
//! is ever logged to the terminal, where the console draws.

use crate::config::{self, settings::Settings};
use std::error::Error;
use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tracing::Subscriber;
use tracing_subscriber::fmt::MakeWriter;

/// The log file could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("cannot open the log file {}: {source}", path.display())]
pub struct LogError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// The log file: `flag` (--log-file), else `log_file` in the user's config.toml. A config file
/// with a mistake gives none here: the console reports the mistake itself.
pub fn log_file(flag: Option<PathBuf>) -> Option<PathBuf> {
    flag.or_else(|| {
        let file = config::user_file("config.toml");
        config::load(file.as_deref(), "", Settings::parse)
            .ok()
            .flatten()
            .and_then(|s| s.log_file)
    })
}

/// Appends the logs of this process to `path` from now on (created with mode 0600: the lines
/// name addresses and commands), and records the start with the version and arguments.
pub fn init(path: &Path) -> Result<(), LogError> {
    let file = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)
        .map_err(|source| LogError {
            path: path.to_path_buf(),
            source,
        })?;
    // Set once, first thing in main: a second subscriber is refused, and the first one stays.
    let _ = tracing::subscriber::set_global_default(subscriber(Mutex::new(file)));
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        args = ?std::env::args().skip(1).collect::<Vec<_>>(),
        "start"
    );
    Ok(())
}

/// The subscriber of the log file, writing to `writer`: one JSON object a line, with
/// `timestamp`, `level`, `target`, `message` and the event's fields at the top level.
pub fn subscriber<W>(writer: W) -> impl Subscriber + Send + Sync
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(writer)
        .finish()
}

/// The errors under `e`, outermost first (`Error::source`), for the `sources` field of a log
/// line; empty when `e` has none.
pub fn sources(e: &(dyn Error + 'static)) -> Vec<String> {
    let mut out = Vec::new();
    let mut next = e.source();
    while let Some(s) = next {
        out.push(s.to_string());
        next = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] io::Error);

    #[test]
    fn sources_follow_the_chain() {
        let e = Outer(io::Error::other("inner"));
        assert_eq!(sources(&e), ["inner"]);
        assert!(sources(&io::Error::other("alone")).is_empty());
    }

    #[test]
    fn lines_are_json_with_the_fields_at_the_top() {
        let buf = std::sync::Arc::new(Mutex::new(Vec::new()));
        let writer = Shared(buf.clone());
        tracing::subscriber::with_default(subscriber(writer), || {
            tracing::debug!(took_ms = 3u64, services = 6usize, "poll");
        });
        let text = String::from_utf8(buf.lock().unwrap().clone()).unwrap();
        let line: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(line["message"], "poll");
        assert_eq!(line["took_ms"], 3);
        assert_eq!(line["level"], "DEBUG");
        assert!(line["timestamp"].is_string());
    }

    #[derive(Clone)]
    struct Shared(std::sync::Arc<Mutex<Vec<u8>>>);

    impl io::Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Shared {
        type Writer = Shared;
        fn make_writer(&'a self) -> Shared {
            self.clone()
        }
    }
}
