//! Reading the end of the audit log, tolerant of what a log can hold after years of use: lines
//! from other programs, a line cut short by a full disk or a crash.

use super::Entry;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// The last lines of a log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tail {
    /// Oldest first, as in the file.
    pub entries: Vec<Entry>,
    /// Lines among the last ones read that are not entries (garbage, a torn last line).
    pub unreadable: usize,
}

/// How much is read from the end at a time.
pub(super) const CHUNK: u64 = 64 * 1024;

/// The entries on the last `n` non-empty lines of the log at `path`. Only the end of the file is
/// read, so a log of any size opens at once. A missing file is an error of kind NotFound.
pub fn read_last(path: &Path, n: usize) -> io::Result<Tail> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    if n == 0 {
        return Ok(Tail::default());
    }
    // Read backwards until the buffer holds more than n line ends, or the whole file.
    let mut start = len;
    let mut buf: Vec<u8> = Vec::new();
    while start > 0 && buf.iter().filter(|&&b| b == b'\n').count() <= n {
        let from = start.saturating_sub(CHUNK);
        let mut chunk = vec![0u8; (start - from) as usize];
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut chunk)?;
        chunk.extend_from_slice(&buf);
        buf = chunk;
        start = from;
    }
    let mut lines: Vec<&[u8]> = buf.split(|&b| b == b'\n').collect();
    if start > 0 {
        // The first piece is the end of a line that began before what was read.
        lines.remove(0);
    }
    let lines: Vec<&[u8]> = lines
        .into_iter()
        .filter(|l| !l.trim_ascii().is_empty())
        .collect();
    let mut tail = Tail::default();
    for line in &lines[lines.len().saturating_sub(n)..] {
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) => tail.entries.push(entry),
            Err(_) => tail.unreadable += 1,
        }
    }
    Ok(tail)
}
