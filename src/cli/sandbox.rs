//! `ipvs-tui sandbox ...`: the command line of the practice lab (see `crate::sandbox`). It runs
//! before any async runtime exists, because it moves between network namespaces with setns.

use super::commands::EXIT_FAILED;
use crate::sandbox::{self, Kind};
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Build an LVS-NAT lab: a client and a director on one network, two real servers behind
    /// the director (their gateway), the service rr over both (-m).
    Nat(UpArgs),
    /// Build an LVS-DR lab: client, director and real servers on one segment; the VIP on the
    /// real servers' lo with arp_ignore/arp_announce; the service rr over both (-g).
    Dr(UpArgs),
    /// Build an LVS-TUN lab: the VIP on the real servers' tunl0 (ipip); the service rr over
    /// both (-i).
    Tun(UpArgs),
    /// Send N requests from the client to the VIP; print which real server answered each, and
    /// the count per real server.
    Traffic {
        #[arg(default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=10000))]
        n: u16,
    },
    /// Say which lab is up, with its namespaces, addresses and the commands to use it.
    Status,
    /// Remove the sandbox: every network namespace named ipvstui-sb-* and what runs in it
    /// (also what a crashed build left).
    Down,
    /// A real server's HTTP responder, answering with its name (started by the lab).
    #[command(hide = true)]
    Serve {
        /// The network namespace to serve in.
        #[arg(long = "in", value_name = "NETNS")]
        ns: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value_t = 80)]
        port: u16,
    },
}

#[derive(Debug, Clone, Args)]
pub struct UpArgs {
    /// Then open the console on the director's namespace.
    #[arg(long)]
    watch: bool,
}

/// Runs a sandbox command; the exit status.
pub fn run(command: SandboxCommand) -> i32 {
    let result = match command {
        SandboxCommand::Nat(a) => sandbox::up(Kind::Nat, a.watch),
        SandboxCommand::Dr(a) => sandbox::up(Kind::Dr, a.watch),
        SandboxCommand::Tun(a) => sandbox::up(Kind::Tun, a.watch),
        SandboxCommand::Traffic { n } => sandbox::traffic(n.into()),
        SandboxCommand::Status => sandbox::status(),
        SandboxCommand::Down => sandbox::down(),
        SandboxCommand::Serve { ns, name, port } => sandbox::serve(&ns, &name, port),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("ipvs-tui: sandbox: {e}");
            EXIT_FAILED
        }
    }
}
