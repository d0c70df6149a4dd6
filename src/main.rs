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
    // Not clap's args_conflicts_with_subcommands: it would refuse global options such as
    // --audit-log before a subcommand too.
    for (set, flag) in [(args.demo, "--demo"), (args.read_only, "--read-only")] {
        if set && args.cli.command.is_some() {
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
    // Before any socket or runtime thread: setns moves only the calling thread.
    if let Some(ns) = &args.netns
        && let Err(e) = ipvs_tui::netns::enter(ns)
    {
        eprintln!("ipvs-tui: {e}");
        std::process::exit(ipvs_tui::cli::EXIT_USAGE);
    }
    let status = match args.cli.command {
        Some(command) => cli::run(command, args.cli.audit_log),
        None => runtime::run(runtime::Options {
            demo: args.demo,
            read_only: args.read_only,
            audit_log: args.cli.audit_log,
        }),
    };
    tracing::info!(status, "exit");
    std::process::exit(status);
}
