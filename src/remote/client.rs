//! The client's end of a link to an agent: a child process (ssh, ip netns exec, sh -c) whose
//! standard input takes requests and whose standard output gives replies, matched by id so
//! that calls may overlap. The child is killed when the link is dropped, and its last line on
//! standard error says why it ended.

use super::lines::{Line, Lines};
use super::protocol::{
    AgentHello, Body, ClientHello, Hello, MAX_REPLY, MAX_REQUEST, PROTOCOL, ReplyLine, Request,
    RequestLine, decode, encode,
};
use super::quiet_pipe::QuietPipe;
use super::target::DirectorSpec;
use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::oneshot;

/// How long the far side gets to say hello (ssh's own ConnectTimeout is 10 s).
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(30);
/// Lines of standard error kept, for the reason a link ended.
const STDERR_LINES: usize = 20;

/// Why a director could not be reached: one sentence saying what was found and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    #[error("{name}: cannot run {program}: {reason}")]
    Spawn {
        name: String,
        program: String,
        reason: String,
    },
    #[error("{name}: {reason}")]
    Ended { name: String, reason: String },
    #[error(
        "{name}: the far side answered {found:?}, not an ipvs-tui agent: install ipvs-tui {ours} there (or set `command` for this director in config.toml)"
    )]
    NotAnAgent {
        name: String,
        found: String,
        ours: &'static str,
    },
    #[error(
        "{name}: its agent is {program}, speaking protocol {theirs}; this ipvs-tui {ours} speaks protocol {PROTOCOL}: install the same version on both sides"
    )]
    Version {
        name: String,
        program: String,
        theirs: u64,
        ours: &'static str,
    },
    #[error("{name}: no answer within {} s", HELLO_TIMEOUT.as_secs())]
    Timeout { name: String },
}

/// Why a call got no reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lost {
    /// The link was down before the request was sent: nothing of it happened.
    Before(String),
    /// The link went down with the request in flight: it may or may not have been done.
    InFlight(String),
    /// The request could not be written as a line (nothing was sent).
    Unsendable(String),
}

#[derive(Default)]
struct Calls {
    waiting: HashMap<u64, oneshot::Sender<Body>>,
    /// Why the link is down, once it is.
    closed: Option<String>,
}

pub struct Link {
    name: String,
    hello: AgentHello,
    stdin: tokio::sync::Mutex<QuietPipe<ChildStdin>>,
    calls: Arc<Mutex<Calls>>,
    next_id: Cell<u64>,
    /// Killed on drop (kill_on_drop): no agent outlives the link.
    _child: Child,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Link {
    /// Starts `spec`'s agent and exchanges hellos.
    pub async fn open(spec: &DirectorSpec) -> Result<Link, ConnectError> {
        let argv = spec.argv();
        let name = spec.name.clone();
        let mut child = Command::new(&argv[0])
            .args(&argv[1..])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| ConnectError::Spawn {
                name: name.clone(),
                program: argv[0].clone(),
                reason: e.to_string(),
            })?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            unreachable!("all three are piped")
        };
        let errors = Arc::new(Mutex::new(VecDeque::new()));
        let stderr_done = tokio::spawn(keep_stderr(stderr, errors.clone()));
        let mut lines = Lines::new(stdout, MAX_REPLY);
        let first = tokio::time::timeout(HELLO_TIMEOUT, lines.next()).await;
        let ended = |child: &mut Child| {
            let status = child.try_wait().ok().flatten();
            (ending(&errors, status), lock(&errors).back().cloned())
        };
        let hello = match first {
            Err(_) => return Err(ConnectError::Timeout { name }),
            Ok(Ok(Some(Line::Text(text)))) => read_hello(&name, &text)?,
            Ok(Ok(Some(Line::TooLong))) => {
                return Err(ConnectError::NotAnAgent {
                    name,
                    found: format!("a line over {MAX_REPLY} bytes"),
                    ours: env!("CARGO_PKG_VERSION"),
                });
            }
            Ok(_) => {
                // Give its standard error and exit status a moment to arrive.
                let _ = tokio::time::timeout(Duration::from_secs(2), stderr_done).await;
                let _ = tokio::time::timeout(Duration::from_secs(1), child.wait()).await;
                return Err(not_there(name, ended(&mut child)));
            }
        };
        let link = Link {
            name,
            hello,
            stdin: tokio::sync::Mutex::new(QuietPipe(stdin)),
            calls: Arc::default(),
            next_id: Cell::new(1),
            _child: child,
        };
        let hello = ClientHello {
            protocol: PROTOCOL,
            user: crate::operation::audit::current_user(),
            program: format!("ipvs-tui {}", env!("CARGO_PKG_VERSION")),
        };
        // A failure to send shows at the first call.
        if let Ok(line) = encode(&Hello { hello }) {
            let _ = link.send(&line).await;
        }
        tokio::spawn(read_replies(lines, link.calls.clone(), errors));
        Ok(link)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn hello(&self) -> &AgentHello {
        &self.hello
    }

    async fn send(&self, bytes: &[u8]) -> std::io::Result<()> {
        let mut stdin = self.stdin.lock().await;
        stdin.write_all(bytes).await?;
        stdin.flush().await
    }

    /// Sends `req` and waits for its reply.
    pub async fn call(&self, req: Request) -> Result<Body, Lost> {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let line = encode(&RequestLine { id, req }).map_err(Lost::Unsendable)?;
        // The agent skips a longer line whole, id and all: its caller would wait for ever.
        if line.len() > MAX_REQUEST {
            return Err(Lost::Unsendable(format!(
                "a request of {} bytes is over the agent's {MAX_REQUEST}-byte limit",
                line.len()
            )));
        }
        let (tx, rx) = oneshot::channel();
        {
            let mut calls = lock(&self.calls);
            if let Some(reason) = &calls.closed {
                return Err(Lost::Before(reason.clone()));
            }
            calls.waiting.insert(id, tx);
        }
        if let Err(e) = self.send(&line).await {
            lock(&self.calls).waiting.remove(&id);
            // The far side's own words come on its standard error a moment later.
            for _ in 0..10 {
                if self.reason().is_some() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            // Part of the line may have gone: the agent may have read a whole request.
            return Err(Lost::InFlight(self.reason().unwrap_or(e.to_string())));
        }
        rx.await.map_err(|_| {
            Lost::InFlight(
                self.reason()
                    .unwrap_or_else(|| "the link ended".to_string()),
            )
        })
    }

    /// Why the link has ended, once it has.
    pub fn closed(&self) -> Option<String> {
        self.reason()
    }

    fn reason(&self) -> Option<String> {
        lock(&self.calls).closed.clone()
    }
}

/// The agent's hello, or what was found instead.
fn read_hello(name: &str, text: &[u8]) -> Result<AgentHello, ConnectError> {
    if let Ok(hello) = decode::<Hello<AgentHello>>(text, MAX_REPLY)
        && hello.hello.protocol == PROTOCOL
    {
        return Ok(hello.hello);
    }
    let value: Option<serde_json::Value> = serde_json::from_slice(text).ok();
    if let Some(h) = value.as_ref().and_then(|v| v.get("hello")) {
        return Err(ConnectError::Version {
            name: name.to_string(),
            program: h["program"]
                .as_str()
                .unwrap_or("an ipvs-tui agent")
                .to_string(),
            theirs: h["protocol"].as_u64().unwrap_or(0),
            ours: env!("CARGO_PKG_VERSION"),
        });
    }
    let found: String = String::from_utf8_lossy(text).chars().take(120).collect();
    Err(ConnectError::NotAnAgent {
        name: name.to_string(),
        found,
        ours: env!("CARGO_PKG_VERSION"),
    })
}

/// The agent's end before its hello: a missing program (exit 127) is not a network problem;
/// what the far side said of it is its last line on standard error.
fn not_there(
    name: String,
    ((reason, code), last): ((String, Option<i32>), Option<String>),
) -> ConnectError {
    if code == Some(127) {
        return ConnectError::NotAnAgent {
            name,
            found: last.unwrap_or(reason),
            ours: env!("CARGO_PKG_VERSION"),
        };
    }
    ConnectError::Ended { name, reason }
}

/// Why the far side ended: its last line on standard error, and its exit status when known.
fn ending(
    errors: &Mutex<VecDeque<String>>,
    status: Option<std::process::ExitStatus>,
) -> (String, Option<i32>) {
    let last = lock(errors).back().cloned();
    let code = status.and_then(|s| s.code());
    let status = match status {
        Some(s) => format!("it ended ({s})"),
        None => "it closed its output".to_string(),
    };
    let reason = match last {
        Some(line) => format!("{line} ({status})"),
        None => status,
    };
    (reason, code)
}

async fn keep_stderr(stderr: tokio::process::ChildStderr, errors: Arc<Mutex<VecDeque<String>>>) {
    let mut lines = BufReader::new(stderr).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let line = line.trim().to_string();
        if line.is_empty() {
            continue;
        }
        tracing::debug!(stderr = line, "agent");
        let mut errors = lock(&errors);
        if errors.len() == STDERR_LINES {
            errors.pop_front();
        }
        errors.push_back(line);
    }
}

/// Hands each reply to its caller until the agent's output ends; then every caller still
/// waiting learns why.
async fn read_replies(
    mut lines: Lines<ChildStdout>,
    calls: Arc<Mutex<Calls>>,
    errors: Arc<Mutex<VecDeque<String>>>,
) {
    let why = loop {
        match lines.next().await {
            Ok(Some(Line::Text(text))) => match decode::<ReplyLine>(&text, MAX_REPLY) {
                Ok(ReplyLine { id: Some(id), body }) => {
                    if let Some(tx) = lock(&calls).waiting.remove(&id) {
                        let _ = tx.send(body);
                    }
                }
                Ok(ReplyLine { id: None, body }) => {
                    tracing::warn!(?body, "agent: a reply to no request");
                }
                Err(e) => break format!("the agent sent a line that is not a reply ({e})"),
            },
            Ok(Some(Line::TooLong)) => {
                break format!("the agent sent a line over {MAX_REPLY} bytes");
            }
            Ok(None) => {
                // Its standard error says why, usually a moment later.
                tokio::time::sleep(Duration::from_millis(200)).await;
                break ending(&errors, None).0;
            }
            Err(e) => break format!("cannot read from the agent: {e}"),
        }
    };
    let mut calls = lock(&calls);
    calls.closed = Some(why);
    // Dropping the senders wakes every caller.
    calls.waiting.clear();
}
