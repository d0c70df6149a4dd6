//! ipvs-tui: the entry point. Subcommands script IPVS; with none, the full-screen console opens.

use clap::{CommandFactory, Parser};
use ipvs_tui::cli::{self, Cli};
use ipvs_tui::console;

/// The command line: the subcommands of `cli`, plus the console's own option.
#[derive(Debug, Parser)]
#[command(name = "ipvs-tui", version, about = "A console and command line for Linux IPVS (LVS) load balancers")]
struct Args {
    /// Open the console on a simulated IPVS: nothing on this host is read or changed.
    #[arg(long)]
    demo: bool,
    #[command(flatten)]
    cli: Cli,
}

fn main() {
    let args = Args::parse();
    // Not clap's args_conflicts_with_subcommands: it would refuse global options such as
    // --audit-log before a subcommand too.
    if args.demo && args.cli.command.is_some() {
        Args::command().error(clap::error::ErrorKind::ArgumentConflict, "--demo opens the console; it cannot be used with a subcommand").exit();
    }
    let status = match args.cli.command {
        Some(command) => cli::run(command, args.cli.audit_log),
        None => console::run(console::Options { demo: args.demo }),
    };
    std::process::exit(status);
}
