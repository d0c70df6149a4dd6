//! ipvs-tui: the entry point. Subcommands script IPVS; with none, the table is listed.

use clap::Parser;
use ipvs_tui::cli::{self, Cli, Command};

fn main() {
    let cli = Cli::parse();
    // Until the console lands, no subcommand behaves as plain `ipvsadm`: it lists the table.
    let command = cli.command.unwrap_or(Command::List(Default::default()));
    std::process::exit(cli::run(command));
}
