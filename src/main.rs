//! ipvs-tui: the entry point. Subcommands script IPVS; with none, the full-screen console opens.

use clap::{CommandFactory, FromArgMatches, Parser};
use ipvs_tui::cli::{self, Cli, generate};
use ipvs_tui::runtime;

/// The command line: the subcommands of `cli`, plus the console's own option.
#[derive(Debug, Parser)]
#[command(
    name = "ipvs-tui",
    version,
    about = "A console and command line for Linux IPVS (LVS) load balancers"
)]
struct Args {
    /// Open the console on a simulated IPVS: nothing on this host is read or changed.
    #[arg(long)]
    demo: bool,
    /// The console offers no change and refuses changes (also `read_only = true` in config.toml).
    #[arg(long)]
    read_only: bool,
    /// Work in this network namespace: a name under /run/netns, or a path such as
    /// /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls).
    #[arg(long, value_name = "NAME|PATH", global = true)]
    netns: Option<String>,
    /// Work on this director instead of this host, through its agent (`ipvs-tui agent`):
    /// ssh:[USER@]HOST[:PORT], netns:NAME, exec:COMMAND, local, sim:NAME[:backup] (a simulated
    /// director seeded from its name), or a director's name from config.toml ([[director]]).
    /// Every subcommand behaves as if run there; the console takes it several times and then
    /// opens the directors page.
    #[arg(long, value_name = "TARGET", global = true)]
    on: Vec<String>,
    #[command(flatten)]
    cli: Cli,
}

fn main() {
    // `generate` (hidden) writes the man pages and completions of this very command line.
    let matches = Args::command()
        .subcommand(generate::command())
        .get_matches();
    if let Some(("generate", m)) = matches.subcommand() {
        std::process::exit(generate::run(m, Args::command()));
    }
    let args = Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // The agent serves the demo too (`--demo agent`), for tests and trials without IPVS.
    // Not clap's args_conflicts_with_subcommands: it would refuse global options such as
    // --audit-log before a subcommand too.
    let agent = matches!(args.cli.command, Some(cli::Command::Agent { .. }));
    for (set, flag) in [(args.demo, "--demo"), (args.read_only, "--read-only")] {
        if set && args.cli.command.is_some() && !agent {
            Args::command()
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!(
                        "{flag} is an option of the console; it cannot be used with a subcommand"
                    ),
                )
                .exit();
        }
    }
    // Logs go to a file only: never to the terminal, where the console draws.
    if let Some(path) = ipvs_tui::logging::log_file(args.cli.log_file.clone())
        && let Err(e) = ipvs_tui::logging::init(&path)
    {
        eprintln!("ipvs-tui: {e}");
        std::process::exit(ipvs_tui::cli::EXIT_USAGE);
    }
    if !args.on.is_empty() && args.netns.is_some() {
        eprintln!("ipvs-tui: --on and --netns do not combine; use --on netns:NAME");
        std::process::exit(ipvs_tui::cli::EXIT_USAGE);
    }
    // Before any socket or runtime thread: setns moves only the calling thread.
    if let Some(ns) = &args.netns
        && let Err(e) = ipvs_tui::netns::enter(ns)
    {
        eprintln!("ipvs-tui: {e}");
        std::process::exit(ipvs_tui::cli::EXIT_USAGE);
    }
    let specs: Vec<_> = args
        .on
        .iter()
        .map(|text| {
            ipvs_tui::remote::target::resolve_with_config(text).unwrap_or_else(|e| {
                eprintln!("ipvs-tui: {e}");
                std::process::exit(ipvs_tui::cli::EXIT_USAGE);
            })
        })
        .collect();
    if args.demo && !specs.is_empty() && args.cli.command.is_none() {
        eprintln!(
            "ipvs-tui: --demo and --on do not combine; --on sim:NAME is a simulated director"
        );
        std::process::exit(ipvs_tui::cli::EXIT_USAGE);
    }
    // A subcommand works on one director; the console on as many as given.
    let on = match (specs.as_slice(), &args.cli.command) {
        ([_, _, ..], Some(_)) => {
            eprintln!("ipvs-tui: --on is given more than once; this command works on one director");
            std::process::exit(ipvs_tui::cli::EXIT_USAGE);
        }
        (specs, _) => specs.first().cloned(),
    };
    let status = match args.cli.command {
        Some(cli::Command::Agent { .. }) if on.is_some() => {
            eprintln!("ipvs-tui: agent does not support --on; it serves the host it runs on");
            ipvs_tui::cli::EXIT_USAGE
        }
        Some(cli::Command::Agent { read_only }) => {
            ipvs_tui::remote::serve::run(ipvs_tui::remote::serve::AgentOptions {
                read_only: read_only || args.read_only,
                demo: args.demo,
                audit_log: args.cli.audit_log,
            })
        }
        Some(command) => cli::run(command, args.cli.audit_log, on),
        None => runtime::run(runtime::Options {
            demo: args.demo,
            read_only: args.read_only,
            audit_log: args.cli.audit_log,
            on: specs,
        }),
    };
    tracing::info!(status, "exit");
    std::process::exit(status);
}
