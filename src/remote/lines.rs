//! Reading a stream line by line with a bound: a line over the limit is skipped to its end and
//! reported as such, never held whole. Cancel-safe (the partial line lives in the reader), so
//! it can sit in a `select!` beside other work.

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// A whole line, without its newline.
    Text(Vec<u8>),
    /// A line over the limit (its bytes are gone).
    TooLong,
}

pub struct Lines<R> {
    inner: BufReader<R>,
    limit: usize,
    partial: Vec<u8>,
    over: bool,
}

impl<R: AsyncRead + Unpin> Lines<R> {
    pub fn new(inner: R, limit: usize) -> Lines<R> {
        Lines {
            inner: BufReader::with_capacity(64 * 1024, inner),
            limit,
            partial: Vec::new(),
            over: false,
        }
    }

    /// The next line; None at the end of the stream. A last line without a newline counts.
    pub async fn next(&mut self) -> std::io::Result<Option<Line>> {
        loop {
            let chunk = self.inner.fill_buf().await?;
            if chunk.is_empty() {
                return Ok((!self.partial.is_empty() || self.over).then(|| self.take()));
            }
            // Not memchr: see `ipvs::conns::reader` (its AVX2 path under user-mode Linux).
            let (end, used) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (Some(i), i + 1),
                None => (None, chunk.len()),
            };
            let text = &chunk[..end.unwrap_or(used)];
            if !self.over {
                if self.partial.len() + text.len() > self.limit {
                    self.over = true;
                    self.partial = Vec::new();
                } else {
                    self.partial.extend_from_slice(text);
                }
            }
            self.inner.consume(used);
            if end.is_some() {
                return Ok(Some(self.take()));
            }
        }
    }

    fn take(&mut self) -> Line {
        let line = if self.over {
            Line::TooLong
        } else {
            Line::Text(std::mem::take(&mut self.partial))
        };
        self.over = false;
        self.partial = Vec::new();
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lines_long_lines_and_the_end() {
        let text = b"one\n0123456789abc\ntwo\nlast".as_slice();
        // A small buffer would split lines across reads: the limit still holds.
        let mut lines = Lines::new(text, 8);
        assert_eq!(
            lines.next().await.unwrap(),
            Some(Line::Text(b"one".to_vec()))
        );
        assert_eq!(lines.next().await.unwrap(), Some(Line::TooLong));
        assert_eq!(
            lines.next().await.unwrap(),
            Some(Line::Text(b"two".to_vec()))
        );
        assert_eq!(
            lines.next().await.unwrap(),
            Some(Line::Text(b"last".to_vec()))
        );
        assert_eq!(lines.next().await.unwrap(), None);
    }
}
