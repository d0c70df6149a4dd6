//! Starting the console for real: configuration, the backend (kernel, read-only /proc or demo),
//! signals, the terminal, and an exit status. Whatever happens, the terminal is given back.

use crate::backend::{Backend, Kernel, ReadOnly, Sim};
use crate::config;
use crate::config::settings::Settings;
use crate::console::app::{App, DEFAULT_INTERVAL, Source};
use crate::console::change::Policy;
use crate::console::director::Director;
use crate::console::keys::keymap::Keymap;
use crate::console::stack::Page;
use crate::host::{self, MemoryHost};
use crate::ipvs::Error;
use crate::ipvs::kernel::KernelBackend;
use crate::ipvs::procfs::ProcBackend;
use crate::ipvs::sim::SimBackend;
use crate::operation::audit::{AuditLog, Context, Source as AuditSource};
use crate::remote::{DirectorSpec, Target};
use crate::runtime::conn_source::ConnSource;
use crate::runtime::executor::Executor;
use crate::runtime::poller::Poller;
use crate::runtime::redial::Redial;
use crate::runtime::runloop::{self, Exit, JobControl, Link, Wiring};
use crate::runtime::terminal;
use crate::ui::theme::{self, Theme};
use crossterm::event::EventStream;
use crossterm::tty::IsTty;
use futures::{FutureExt, StreamExt};
use std::io;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::signal::unix::{SignalKind, signal};

/// The demo's seed: the same demo every time.
const DEMO_SEED: u64 = 1;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Run on the simulator instead of this host's IPVS.
    pub demo: bool,
    /// Offer no change and refuse changes (also `read_only` in config.toml).
    pub read_only: bool,
    /// The audit log instead of the default (also `audit_log` in config.toml).
    pub audit_log: Option<PathBuf>,
    /// The directors to open (`--on`, names from config.toml resolved); none: this host's (or
    /// the demo).
    pub on: Vec<DirectorSpec>,
}

/// Runs the console until the user quits or a signal stops it; returns the exit status.
pub fn run(options: Options) -> i32 {
    if !io::stdout().is_tty() || !io::stdin().is_tty() {
        eprintln!(
            "ipvs-tui: the console needs a terminal on standard input and output; `ipvs-tui list` prints the table as text"
        );
        return 2;
    }
    let Some(runtime) = crate::sys::runtime() else {
        return 1;
    };
    tokio::task::LocalSet::new().block_on(&runtime, console(options))
}

/// The demo, warmed up for a minute so that its tables are busy from the first frame. Its
/// changes touch nothing on this host, so they are not audited.
fn demo(interval: Duration, read_only: bool) -> Link {
    let sim = SimBackend::demo(DEMO_SEED);
    sim.advance(Duration::from_secs(60));
    // A plausible director around the simulated table: every VIP bound, the sysctls of a director.
    let table = sim
        .snapshot()
        .now_or_never()
        .and_then(Result::ok)
        .unwrap_or_default();
    let host = MemoryHost::new(host::demo::state(&table));
    // One simulator for the tables and the connections pane.
    let sim = Arc::new(sim.with_wall_clock());
    let director: Rc<dyn Backend> = Rc::new(Sim::new(sim.clone(), host));
    let policy = Policy {
        read_only,
        audit: None,
    };
    Link::new(
        Poller::spawn(director.clone(), interval),
        Executor::new(director, policy).with_conns(ConnSource::Sim(sim)),
    )
}

/// The director of `target`, with its poller and executor. Several directors each retry a
/// failed poll with backoff (see `Poller::retrying`).
async fn open(
    spec: &DirectorSpec,
    interval: Duration,
    policy: &Policy,
    settings: &Settings,
    fleet: bool,
) -> Result<(Director, Link), String> {
    let target = &spec.target;
    let (mut director, link) = match target {
        Target::Local => {
            let (source, poller, executor) = kernel_or_read_only(interval, policy.clone()).await;
            let mut director = Director::new(source, crate::sys::host_name());
            if source == Source::Kernel {
                director.audit_path = policy.audit.as_ref().map(|(l, _)| l.path().to_path_buf());
            }
            director.persist_dir = settings.persist_dir.clone();
            // Only this host's IPVS as root can signal keepalived.
            director.owners.enabled = settings.keepalived && source == Source::Kernel;
            (director, Link::new(poller, executor))
        }
        Target::Sim { name, role } => {
            let (sim, table) = crate::backend::sim::named(name, *role);
            let backend: Rc<dyn Backend> = Rc::new(sim);
            let poller = if fleet {
                Poller::retrying(backend.clone(), interval)
            } else {
                Poller::spawn(backend.clone(), interval)
            };
            // A simulator's changes touch nothing on this host: not audited.
            let policy = Policy {
                read_only: policy.read_only,
                audit: None,
            };
            let executor = Executor::new(backend, policy).with_conns(ConnSource::Sim(table));
            (
                Director::new(Source::Simulated, name.clone()),
                Link::new(poller, executor),
            )
        }
        Target::Netns(_) | Target::Ssh { .. } | Target::Exec(_) => {
            // The first greeting names the host; one of several directors down at start-up is
            // named by its target, shown unreachable, and dialled again with the poller's
            // backoff (a console on that one director alone says why and ends).
            let (host, read_only, remote) = match crate::remote::connect(spec).await {
                Ok(remote) => (
                    remote.hello().host.clone(),
                    remote.hello().read_only,
                    Some(remote),
                ),
                Err(e) if !fleet => return Err(e.to_string()),
                Err(e) => {
                    tracing::warn!(director = %spec.name, error = %e, "agent not reached");
                    (spec.name.clone(), false, None)
                }
            };
            let name = spec.name.clone();
            let backend: Rc<dyn Backend> = Rc::new(Redial::new(spec.clone(), remote));
            // The agent audits each change on the director, with the operator's user as
            // claimed; this console's log records it too, naming the director.
            let audit = policy.audit.clone().map(|(log, mut context)| {
                context.host = format!("{host} (via {name})");
                (log, context)
            });
            let mut director = Director::new(Source::Remote, host);
            director.audit_path = audit.as_ref().map(|(l, _)| l.path().to_path_buf());
            let policy = Policy {
                read_only: policy.read_only || read_only,
                audit,
            };
            director.read_only = policy.read_only;
            let conns = ConnSource::Elsewhere(format!(
                "the connections pane does not read {name} yet; `ipvs-tui --on {name} conns` does"
            ));
            let executor = Executor::new(backend.clone(), policy).with_conns(conns);
            (
                director,
                Link::new(Poller::retrying(backend, interval), executor),
            )
        }
    };
    if fleet {
        director.target = Some(spec.name.clone());
    }
    Ok((director, link))
}

/// Directors that greet with the same host name (namespaces of one host) are named by their
/// targets instead, so that no two rows or headers read alike.
fn distinct_names(app: &mut App) {
    let hosts: Vec<String> = app.directors().iter().map(|d| d.host.clone()).collect();
    let twice = |h: &String| hosts.iter().filter(|x| *x == h).count() > 1;
    let rename = |d: &mut Director| {
        if twice(&d.host)
            && let Some(t) = &d.target
        {
            d.host = t.clone();
        }
    };
    rename(&mut app.director);
    app.fleet.iter_mut().for_each(|p| rename(&mut p.director));
}

/// This host's IPVS. Netlink refuses even reads without CAP_NET_ADMIN; then the world-readable
/// /proc/net/ip_vs is polled instead, read-only. Any other failure (IPVS missing) stays on the
/// kernel, which the offline pane explains and retries.
async fn kernel_or_read_only(interval: Duration, policy: Policy) -> (Source, Poller, Executor) {
    let attempt = KernelBackend::connect().await;
    let denied = match &attempt {
        Ok(backend) => matches!(backend.snapshot().await, Err(Error::Permission)),
        Err(e) => *e == Error::Permission,
    };
    if denied && let Ok(proc) = ProcBackend::open().await {
        let director: Rc<dyn Backend> = Rc::new(ReadOnly(proc));
        let policy = Policy {
            read_only: true,
            audit: None,
        };
        return (
            Source::ReadOnly,
            Poller::spawn(director.clone(), interval),
            Executor::new(director, policy),
        );
    }
    let director: Rc<dyn Backend> = Rc::new(Kernel::after(attempt));
    (
        Source::Kernel,
        Poller::spawn(director.clone(), interval),
        Executor::new(director, policy),
    )
}

/// The settings, keymap and theme in force, and what was wrong with the user's files.
fn configuration() -> (Settings, Keymap, Theme, Vec<String>) {
    let mut problems = Vec::new();
    let settings_file = config::user_file("config.toml");
    let settings = config::load(
        settings_file.as_deref(),
        "the default settings are used",
        Settings::parse,
    )
    .unwrap_or_else(|problem| {
        problems.push(problem);
        None
    });
    let keymap_file = config::user_file("keymap.toml");
    let keymap = match config::load(
        keymap_file.as_deref(),
        "the default keys are used",
        Keymap::parse,
    ) {
        Ok(Some(user)) => Keymap::builtin().overlaid(user),
        Ok(None) => Keymap::builtin(),
        Err(problem) => {
            problems.push(problem);
            Keymap::builtin()
        }
    };
    let theme_file = config::user_file("theme.toml");
    let mut theme = match config::load(theme_file.as_deref(), "the default theme is used", |t| {
        Theme::builtin().overlaid(t)
    }) {
        Ok(Some(theme)) => theme,
        Ok(None) => Theme::builtin(),
        Err(problem) => {
            problems.push(problem);
            Theme::builtin()
        }
    };
    if theme::no_color_requested() {
        theme = theme.monochrome();
    }
    (settings.unwrap_or_default(), keymap, theme, problems)
}

async fn console(options: Options) -> i32 {
    let (settings, keymap, theme, problems) = configuration();
    let read_only = options.read_only || settings.read_only;
    let log = match options.audit_log.clone().or(settings.audit_log.clone()) {
        Some(path) => AuditLog::at(path),
        None => AuditLog::default_for_this_user(),
    };
    let policy = Policy {
        read_only,
        audit: Some((log.clone(), Context::current(AuditSource::Console))),
    };
    let mut app = App::new(
        Source::Simulated,
        crate::sys::host_name(),
        keymap,
        Instant::now(),
    );
    let mut links = Vec::new();
    if options.demo {
        links.push(demo(DEFAULT_INTERVAL, read_only));
    } else {
        let specs = match options.on.is_empty() {
            true => vec![DirectorSpec::of(Target::Local)],
            false => options.on.clone(),
        };
        let fleet = specs.len() > 1;
        for (i, spec) in specs.iter().enumerate() {
            let opened = open(spec, DEFAULT_INTERVAL, &policy, &settings, fleet).await;
            let (director, link) = match opened {
                Ok(opened) => opened,
                Err(e) => {
                    eprintln!("ipvs-tui: {e}");
                    return 1;
                }
            };
            links.push(link);
            if i == 0 {
                app.director = director;
            } else {
                app.add_director(director);
            }
        }
        if fleet {
            app.stack.page = Page::Directors(Default::default());
            distinct_names(&mut app);
        }
    }
    // /proc/net/ip_vs can only be read.
    if read_only || app.director.read_only {
        app.set_read_only();
    }
    if !problems.is_empty() {
        app.flash_error(problems.join("\n"));
    }
    let mut stops = Vec::new();
    for (kind, name, number) in [
        (SignalKind::terminate(), "SIGTERM", 15),
        (SignalKind::interrupt(), "SIGINT", 2),
        (SignalKind::hangup(), "SIGHUP", 1),
    ] {
        match signal(kind) {
            Ok(s) => stops.push((s, name, number)),
            Err(e) => {
                eprintln!("ipvs-tui: cannot handle {name}: {e}");
                return 1;
            }
        }
    }
    let signals = async move {
        let waits = stops.iter_mut().map(|(s, name, number)| {
            let (name, number) = (*name, *number);
            Box::pin(async move {
                s.recv().await;
                Exit::Signal(name, 128 + number)
            })
        });
        futures::future::select_all(waits).await.0
    };
    // Job control: SIGTSTP (kill -TSTP; Ctrl-Z arrives as a key in raw mode) and SIGCONT.
    let mut job_signals = Vec::new();
    for (number, job) in [
        (libc::SIGTSTP, JobControl::Stop),
        (libc::SIGCONT, JobControl::Continued),
    ] {
        match signal(SignalKind::from_raw(number)) {
            Ok(s) => job_signals.push(
                futures::stream::unfold((s, job), |(mut s, job)| async move {
                    s.recv().await.map(|_| (job, (s, job)))
                })
                .boxed_local(),
            ),
            Err(e) => {
                eprintln!("ipvs-tui: cannot handle job control signals: {e}");
                return 1;
            }
        }
    }
    let job_control = futures::stream::select_all(job_signals);
    let mut term = match terminal::enter() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("ipvs-tui: cannot set up the terminal: {e}");
            return 1;
        }
    };
    // LeanBackend (terminal::enter) wraps each frame that changes something in synchronized
    // output itself.
    // Resizes update the size the backend reports, so that it need not ask the terminal each frame.
    let size = term.backend().term_size();
    let events = EventStream::new().inspect(move |e| {
        if let Ok(crossterm::event::Event::Resize(w, h)) = e {
            size.set(*w, *h);
        }
    });
    let wiring = Wiring {
        events,
        links,
        signals,
        demo: |interval| demo(interval, read_only),
        job_control,
        suspend: |job| match job {
            JobControl::Stop => terminal::suspend(),
            JobControl::Continued => terminal::resume(),
        },
    };
    let result = runloop::run(&mut term, &mut app, &theme, wiring).await;
    terminal::restore();
    match result {
        Ok(Exit::Quit) => 0,
        Ok(Exit::Signal(name, status)) => {
            if name != "SIGHUP" {
                eprintln!("ipvs-tui: stopped by {name}");
            }
            status
        }
        Err(e) => {
            eprintln!("ipvs-tui: the terminal failed: {e}");
            1
        }
    }
}
