//! Starting the console for real: configuration, the backend (kernel, read-only /proc or demo),
//! signals, the terminal, and an exit status. Whatever happens, the terminal is given back.

use crate::config;
use crate::config::settings::Settings;
use crate::console::app::{App, DEFAULT_INTERVAL, Source};
use crate::console::change::Policy;
use crate::console::keys::keymap::Keymap;
use crate::console::stack::Page;
use crate::operation::audit::{AuditLog, Context, Source as AuditSource};
use crate::remote::{DirectorSpec, Target};
use crate::runtime::open::{demo, distinct_names, open};
use crate::runtime::runloop::{self, Exit, JobControl, Wiring};
use crate::runtime::terminal;
use crate::ui::theme::{self, Theme};
use crossterm::tty::IsTty;
use futures::StreamExt;
use std::io;
use std::path::PathBuf;
use std::time::Instant;
use tokio::signal::unix::{SignalKind, signal};

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
    // The keymap is shared: it loses the change keys when no director may be changed. Of
    // several, one that is read-only refuses changes where they become effects (`update`).
    if read_only || app.directors().iter().all(|d| d.read_only) {
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
    let events = super::term_events::events().inspect(move |e| {
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
