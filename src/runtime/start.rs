//! Starting the console for real: configuration, the backend (kernel, read-only /proc or demo),
//! signals, the terminal, and an exit status. Whatever happens, the terminal is given back.

use crate::backend::{Backend, Kernel, ReadOnly, Sim};
use crate::config;
use crate::config::settings::Settings;
use crate::console::app::{App, DEFAULT_INTERVAL, Source};
use crate::console::change::Policy;
use crate::console::keys::keymap::Keymap;
use crate::host::{self, MemoryHost};
use crate::ipvs::Error;
use crate::ipvs::kernel::KernelBackend;
use crate::ipvs::procfs::ProcBackend;
use crate::ipvs::sim::SimBackend;
use crate::operation::audit::{AuditLog, Context, Source as AuditSource};
use crate::runtime::conn_source::ConnSource;
use crate::runtime::executor::Executor;
use crate::runtime::poller::Poller;
use crate::runtime::runloop::{self, Exit, JobControl, Wiring};
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
}

/// Runs the console until the user quits or a signal stops it; returns the exit status.
pub fn run(options: Options) -> i32 {
    if !io::stdout().is_tty() || !io::stdin().is_tty() {
        eprintln!(
            "ipvs-tui: the console needs a terminal on standard input and output; `ipvs-tui list` prints the table as text"
        );
        return 2;
    }
    tune_allocator();
    let Some(runtime) = crate::sys::runtime() else {
        return 1;
    };
    tokio::task::LocalSet::new().block_on(&runtime, console(options))
}

/// For the console, which polls for hours: one malloc arena (a large table's snapshot is built
/// on a blocking thread and dropped on the loop's; with an arena per thread glibc keeps both
/// half empty, tens of MB at 10,000 services), and freed memory kept for the next poll rather
/// than returned (each poll allocates the same megabytes again, and faulting them in anew cost
/// most of a poll's time in user-mode Linux). One-shot commands keep glibc's defaults.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator; called before the runtime's threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}

/// The demo, warmed up for a minute so that its tables are busy from the first frame. Its
/// changes touch nothing on this host, so they are not audited.
fn demo(interval: Duration, read_only: bool) -> (Poller, Executor) {
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
    (
        Poller::spawn(director.clone(), interval),
        Executor::new(director, policy).with_conns(ConnSource::Sim(sim)),
    )
}

/// This host's IPVS. Netlink refuses even reads without CAP_NET_ADMIN; then the world-readable
/// /proc/net/ip_vs is polled instead, read-only. Any other failure (IPVS missing) stays on the
/// kernel, which the offline pane explains and retries.
async fn kernel_or_read_only(interval: Duration, policy: Policy) -> (Source, Poller, Executor) {
    let attempt = KernelBackend::connect().await;
    let denied = match &attempt {
        Ok(backend) => matches!(backend.info().await, Err(Error::Permission)),
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
    let (source, poller, executor) = if options.demo {
        let (poller, executor) = demo(DEFAULT_INTERVAL, read_only);
        (Source::Simulated, poller, executor)
    } else {
        kernel_or_read_only(DEFAULT_INTERVAL, policy).await
    };
    let mut app = App::new(source, crate::sys::host_name(), keymap, Instant::now());
    if read_only {
        app.set_read_only();
    }
    if source == Source::Kernel {
        app.director.audit_path = Some(log.path().to_path_buf());
    }
    app.director.persist_dir = settings.persist_dir.clone();
    // Only this host's IPVS as root can signal keepalived; never the demo.
    app.director.owners.enabled = settings.keepalived && source == Source::Kernel;
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
        poller,
        executor,
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
