//! `ipvs-tui agent`: one director's [`Backend`] served on a byte stream (standard input and
//! output, under `ssh -T`). Requests may overlap and are answered as each is done; a line that
//! is not a request gets an error reply and the agent keeps serving; the end of its input ends
//! it once the requests in flight are answered. Changes are audited here, on the director,
//! with the user the client claimed; a read-only agent refuses them, and audits the refusal.

use super::conns::{self, ConnsFrom};
use super::lines::{Line, Lines};
use super::protocol::{
    AgentHello, Body, ClientHello, Delta, Hello, MAX_REPLY, MAX_REQUEST, PROTOCOL, PollAnswer,
    ProtocolError, ReplyLine, Request, RequestLine, decode, encode, id_of,
};
use crate::backend::Backend;
use crate::host::HostState;
use crate::ipvs::model::Snapshot;
use crate::operation::audit::{AuditLog, Context, Source};
use crate::operation::{AuditedOps, Operation, OperationError, State, record};
use futures::StreamExt;
use futures::future::LocalBoxFuture;
use futures::stream::FuturesUnordered;
use std::cell::{Cell, RefCell};
use std::io;
use std::rc::Rc;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

/// Why a read-only agent refuses a change.
pub const READ_ONLY: &str =
    "this director's agent is read-only (ipvs-tui agent --read-only): changes are refused";

pub struct Agent {
    backend: Rc<dyn Backend>,
    conns: ConnsFrom,
    read_only: bool,
    audit: AuditLog,
    /// From the client's hello; "unknown" until one comes.
    user: RefCell<String>,
    /// The last table a poll sent, for the next poll's delta.
    polled: RefCell<Option<(u64, Snapshot)>>,
    generation: Cell<u64>,
}

impl Agent {
    pub fn new(
        backend: Rc<dyn Backend>,
        conns: ConnsFrom,
        read_only: bool,
        audit: AuditLog,
    ) -> Agent {
        Agent {
            backend,
            conns,
            read_only,
            audit,
            user: RefCell::new("unknown".into()),
            polled: RefCell::new(None),
            generation: Cell::new(0),
        }
    }

    async fn hello(&self) -> AgentHello {
        let ipvs = self.backend.snapshot().await.ok();
        AgentHello {
            protocol: PROTOCOL,
            program: format!("ipvs-tui {}", env!("CARGO_PKG_VERSION")),
            host: crate::sys::host_name(),
            ipvs: ipvs.map(|s| s.info.version_string()),
            read_only: self.read_only,
            capabilities: Request::capabilities(),
        }
    }

    /// Serves until `input` ends (or `output` is closed), answering every line.
    pub async fn serve<R, W>(&self, input: R, mut output: W) -> io::Result<()>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin,
    {
        let hello = Hello {
            hello: self.hello().await,
        };
        if !send(&mut output, reply_bytes(&hello, None)).await? {
            return Ok(());
        }
        let mut lines = Lines::new(input, MAX_REQUEST);
        let mut inflight: FuturesUnordered<LocalBoxFuture<'_, ReplyLine>> = FuturesUnordered::new();
        let mut open = true;
        loop {
            let reply = tokio::select! {
                line = lines.next(), if open => match line {
                    Ok(Some(Line::TooLong)) => Some(ReplyLine {
                        id: None,
                        body: Body::Error(ProtocolError::TooLong { limit: MAX_REQUEST }),
                    }),
                    Ok(Some(Line::Text(text))) => match self.read(&text) {
                        Ok(Some(req)) => {
                            inflight.push(Box::pin(self.answer(req)));
                            None
                        }
                        Ok(None) => None,
                        Err(reply) => Some(*reply),
                    },
                    Ok(None) => {
                        open = false;
                        None
                    }
                    Err(e) => {
                        eprintln!("ipvs-tui agent: cannot read requests: {e}");
                        open = false;
                        None
                    }
                },
                Some(reply) = inflight.next(), if !inflight.is_empty() => Some(reply),
                else => break,
            };
            if let Some(reply) = reply
                && !send(&mut output, reply_bytes(&reply, reply.id)).await?
            {
                return Ok(());
            }
        }
        Ok(())
    }

    /// A request to answer, a hello taken (None), or the error reply for a line that is neither.
    fn read(&self, line: &[u8]) -> Result<Option<RequestLine>, Box<ReplyLine>> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        match decode::<RequestLine>(line, MAX_REQUEST) {
            Ok(req) => Ok(Some(req)),
            Err(e) => match decode::<Hello<ClientHello>>(line, MAX_REQUEST) {
                Ok(hello) => {
                    *self.user.borrow_mut() = hello.hello.user;
                    Ok(None)
                }
                Err(_) => Err(Box::new(ReplyLine {
                    id: id_of(line),
                    body: Body::Error(ProtocolError::Undecodable {
                        reason: e.to_string(),
                    }),
                })),
            },
        }
    }

    async fn answer(&self, line: RequestLine) -> ReplyLine {
        let body = match line.req {
            Request::Snapshot => Body::Snapshot(self.backend.snapshot().await),
            Request::Poll { watched, since } => Body::Poll(
                self.backend
                    .poll(watched)
                    .await
                    .map(|table| self.poll_answer(since, table)),
            ),
            Request::Host => Body::Host(self.backend.host().await),
            Request::Apply { op } => {
                let mut results = self.change(std::slice::from_ref(&op), false).await;
                Body::Applied(results.pop().unwrap_or(Ok(())))
            }
            Request::ApplyBatch { ops } => Body::Batch(self.change(&ops, true).await),
            Request::Conns(query) => {
                let table = self.backend.snapshot().await.ok();
                Body::Conns(conns::answer(&self.conns, &query, table.as_ref()).await)
            }
            Request::Keepalived { pid } => {
                use crate::owners::keepalived::reader::{DEFAULT_TIMEOUT, Reader};
                Body::Keepalived(Reader::new(pid, DEFAULT_TIMEOUT).read().await)
            }
            Request::PersistPlan { dir } => Body::PersistPlan(
                crate::setup::persist::plan(&*self.backend, &dir)
                    .await
                    .map_err(|e| e.to_string()),
            ),
            Request::PersistWrite { dir, files } => {
                let context = self.context();
                Body::PersistWritten(
                    super::persist::write(dir, files, &self.audit, context, self.read_only).await,
                )
            }
        };
        ReplyLine {
            id: Some(line.id),
            body,
        }
    }

    /// The whole table, or what changed since `since` when that is the last one sent.
    fn poll_answer(&self, since: Option<u64>, table: Snapshot) -> PollAnswer {
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        let mut polled = self.polled.borrow_mut();
        let delta = match (polled.as_ref(), since) {
            (Some((base, old)), Some(since)) if *base == since => {
                Delta::between(*base, old, &table)
            }
            _ => None,
        };
        let answer = PollAnswer {
            generation,
            full: delta.is_none().then(|| table.clone()),
            delta,
        };
        *polled = Some((generation, table));
        answer
    }

    /// Who changes the director, for its audit log: the client's user, as claimed.
    fn context(&self) -> Context {
        Context {
            user: format!("{} (claimed)", self.user.borrow()),
            host: crate::sys::host_name(),
            source: Some(Source::Agent),
            undo_of: None,
        }
    }

    /// Applies `ops` (one at a time, or as a batch), audited here against the state before.
    async fn change(&self, ops: &[Operation], batch: bool) -> Vec<Result<(), OperationError>> {
        let context = self.context();
        let table = self.backend.snapshot().await.unwrap_or_default();
        let host = if ops.iter().any(|op| matches!(op, Operation::Host(_))) {
            self.backend.host().await.unwrap_or_default()
        } else {
            HostState::default()
        };
        let state = State::new(table, host);
        if self.read_only {
            let refused: Result<(), OperationError> =
                Err(crate::ipvs::Error::Refused(READ_ONLY.into()).into());
            // The first change is the one refused; nothing after it was tried.
            if let Some(op) = ops.first()
                && let Err(e) = record(&self.audit, op, &refused, &state, &context)
            {
                warn(&self.audit, e);
            }
            return vec![refused];
        }
        let audited = AuditedOps::new(&*self.backend, &self.audit, context, state);
        let results = if batch {
            audited.apply_batch(ops).await
        } else {
            let mut results = Vec::new();
            for op in ops {
                results.push(audited.apply(op).await);
            }
            results
        };
        if let Some(problem) = audited.problem() {
            eprintln!("ipvs-tui agent: warning: audit log {problem}");
        }
        results
    }
}

fn warn(log: &AuditLog, e: io::Error) {
    eprintln!(
        "ipvs-tui agent: warning: audit log {} not written: {e}",
        log.path().display()
    );
}

/// The line of `value` (a reply to `id`), or an error reply in its place when it cannot be
/// written or is over the limit: the caller waiting for `id` always hears back.
fn reply_bytes<T: serde::Serialize>(value: &T, id: Option<u64>) -> Vec<u8> {
    let error = match encode(value) {
        Ok(bytes) if bytes.len() <= MAX_REPLY => return bytes,
        Ok(bytes) => ProtocolError::ReplyTooLong {
            size: bytes.len(),
            limit: MAX_REPLY,
        },
        Err(reason) => ProtocolError::Unencodable { reason },
    };
    let line = ReplyLine {
        id,
        body: Body::Error(error),
    };
    // Plain data: it always serialises.
    encode(&line).unwrap_or_default()
}

/// Writes one line; false when the other side has gone (a closed pipe ends the agent cleanly).
async fn send<W: AsyncWrite + Unpin>(output: &mut W, bytes: Vec<u8>) -> io::Result<bool> {
    let written = async {
        output.write_all(&bytes).await?;
        output.flush().await
    };
    match written.await {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
#[path = "agent_tests.rs"]
mod tests;
