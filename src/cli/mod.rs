//! The command line: subcommands that scripts can use, with ipvsadm-compatible output.

mod commands;
mod compare;
mod conns;
mod doctor;
pub mod generate;
mod host;
mod keepalived;
mod on;
mod persist;
mod restore;
mod sandbox;
mod setup;
mod sysctl;
mod vip;

pub use commands::{EXIT_FAILED, EXIT_USAGE};
pub use conns::ConnsArgs;
pub use sandbox::SandboxCommand;

use crate::ipvs::model::{Family, Protocol, ServiceKey};
use crate::ipvs::parse::{self, ParseError};
use crate::operation::audit::AuditLog;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "ipvs-tui",
    version,
    about = "A console and command line for Linux IPVS (LVS) load balancers"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else
    /// ~/.local/state/ipvs-tui/audit.log).
    #[arg(long = "audit-log", value_name = "PATH", global = true)]
    pub audit_log: Option<PathBuf>,
    /// Append debug logs here, one JSON line each (polls, changes, keys, errors, keepalived
    /// exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default.
    #[arg(long = "log-file", value_name = "PATH", global = true)]
    pub log_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the table; the same output as `ipvsadm -Ln` with the same flags.
    List(ListArgs),
    /// Print the table as rules; byte-identical to `ipvsadm -Sn`.
    Save {
        /// Accepted for ipvsadm habits: output is always numeric.
        #[arg(short = 'n', long)]
        numeric: bool,
    },
    /// Apply a rules file in `ipvsadm -R` format (stdin by default), all or nothing.
    Restore {
        /// The rules file; `-` or nothing reads standard input (with --boot: DIR/ipvs-tui/rules).
        file: Option<PathBuf>,
        /// At boot: also set the sysctls and bind the VIPs of DIR/ipvs-tui/host.toml (written by
        /// `persist`), waiting briefly for their interfaces; what is in place is left alone.
        #[arg(long)]
        boot: bool,
        /// Where `persist` wrote its files (with --boot).
        #[arg(long, value_name = "DIR", default_value = "/etc", requires = "boot")]
        dir: PathBuf,
    },
    /// Zero the counters of one service, or of all services.
    Zero(ServiceArgs),
    /// Delete every virtual service and real server.
    Flush {
        /// Confirm: without it nothing is deleted.
        #[arg(long)]
        yes: bool,
    },
    /// Show the tcp, tcpfin and udp connection timeouts, or set them (0 leaves one unchanged).
    Timeouts {
        #[arg(long, num_args = 3, value_names = ["TCP", "TCPFIN", "UDP"])]
        set: Option<Vec<String>>,
    },
    /// Start, stop or list the connection synchronisation daemons.
    #[command(subcommand)]
    Daemon(DaemonCommand),
    /// Set this machine up for an LVS role from a plan file (see assets/setup-example.toml):
    /// checked as a whole, shown as commands, applied all or nothing, then the doctor runs.
    Setup {
        /// The plan (TOML): the role of this machine and what it needs.
        #[arg(long, value_name = "FILE")]
        plan: PathBuf,
        /// Show the changes only.
        #[arg(long)]
        dry_run: bool,
    },
    /// Look for the classic LVS mistakes on this host. Exit status 0: no error or warning; 1: some.
    Doctor {
        /// The findings as JSON.
        #[arg(long)]
        json: bool,
        /// Apply the fixes found (all or nothing, each audited), then look again.
        #[arg(long, conflicts_with = "json")]
        fix: bool,
        /// nat-director, dr-director, tun-director, dr-real-server, tun-real-server or
        /// nat-real-server (default: recognised from the services and the VIPs on lo/tunl0).
        #[arg(long)]
        role: Option<String>,
        /// A real server's VIP, when it is not (yet) on lo or tunl0.
        #[arg(long, value_name = "ADDR")]
        vip: Option<String>,
        /// A NAT real server's director (inside address), which must be its default gateway.
        #[arg(long, value_name = "ADDR")]
        director: Option<String>,
    },
    /// Write the rules, VIPs, sysctls and a systemd unit that restore this setup at boot.
    Persist {
        #[arg(long, value_name = "DIR", default_value = "/etc")]
        dir: PathBuf,
        /// Show the files only.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite files that exist with other contents.
        #[arg(long)]
        force: bool,
    },
    /// The connection table (/proc/net/ip_vs_conn): filter, list, group and count.
    Conns(ConnsArgs),
    /// Bind or unbind a VIP on an interface (lo included), or list the services' VIPs and where
    /// they are bound.
    #[command(subcommand)]
    Vip(VipCommand),
    /// The interfaces with their state and addresses, and the main routing table.
    Host {
        /// Links, addresses, routes and the LVS sysctls as JSON.
        #[arg(long)]
        json: bool,
    },
    /// What keepalived says (VRRP instances; virtual and real servers with their checker health)
    /// beside the kernel's table, and where the two differ. Exit status 1 when none runs.
    Keepalived {
        /// As JSON.
        #[arg(long)]
        json: bool,
        /// The keepalived parent process to ask, when several run in this network namespace.
        #[arg(long)]
        pid: Option<i32>,
    },
    /// List the sysctls LVS depends on with their values and what each does, or set some:
    /// NAME=VALUE... (checked first, then all or nothing).
    Sysctl {
        /// NAME=VALUE, e.g. net.ipv4.ip_forward=1 net.ipv4.conf.all.arp_ignore=1
        #[arg(value_name = "NAME=VALUE")]
        assignments: Vec<String>,
        /// The list as JSON: name, value (null when this host lacks it), explanation, allowed.
        #[arg(long, conflicts_with = "assignments")]
        json: bool,
    },
    /// A practice LVS lab in network namespaces only (client, director, two real servers),
    /// leaving this host's IPVS table and interfaces alone: build it, send traffic, remove it.
    #[command(subcommand)]
    Sandbox(SandboxCommand),
    /// Serve this director on standard input and output for a console or command elsewhere
    /// (`ipvs-tui --on ssh:HOST ...` runs it over SSH); not for interactive use.
    Agent {
        /// Refuse every change, whatever the client asks (for a forced command in
        /// authorized_keys: `command="ipvs-tui agent --read-only"`); refusals are audited.
        #[arg(long)]
        read_only: bool,
    },
    /// Compare two directors' rules: the lines only on A, only on B, and the objects whose
    /// settings differ, as ipvsadm lines. Exit status 0: the same; 1: they differ; 2: bad input
    /// or a director that cannot be read.
    Compare {
        /// A target: local, netns:NAME, ssh:[USER@]HOST[:PORT], exec:COMMAND or sim:NAME[:backup].
        #[arg(value_name = "A")]
        a: String,
        #[arg(value_name = "B")]
        b: String,
        /// The difference as JSON: {"equal", "only_a", "only_b", "differ": [{"a", "b"}]}.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum VipCommand {
    /// ADDR[/PREFIX] dev IFACE [label LABEL]: bind an address (default /32 or /128).
    Add {
        #[arg(value_name = "ADDR[/PREFIX] dev IFACE [label LABEL]", required = true, num_args = 1.., allow_hyphen_values = true, trailing_var_arg = true)]
        words: Vec<String>,
    },
    /// ADDR[/PREFIX] dev IFACE: unbind an address, whatever its label.
    Del {
        #[arg(value_name = "ADDR[/PREFIX] dev IFACE", required = true, num_args = 1.., allow_hyphen_values = true, trailing_var_arg = true)]
        words: Vec<String>,
    },
    /// The VIPs of the IPVS services and the interfaces holding them; NOT BOUND where none does.
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}

/// A virtual service, given the way ipvsadm takes it.
#[derive(Debug, Clone, Default, Args)]
pub struct ServiceArgs {
    /// TCP service VIP:PORT
    #[arg(
        short = 't',
        long = "tcp-service",
        value_name = "VIP:PORT",
        group = "service"
    )]
    pub tcp: Option<String>,
    /// UDP service VIP:PORT
    #[arg(
        short = 'u',
        long = "udp-service",
        value_name = "VIP:PORT",
        group = "service"
    )]
    pub udp: Option<String>,
    /// SCTP service VIP:PORT
    #[arg(long = "sctp-service", value_name = "VIP:PORT", group = "service")]
    pub sctp: Option<String>,
    /// Firewall-mark service
    #[arg(
        short = 'f',
        long = "fwmark-service",
        value_name = "MARK",
        group = "service"
    )]
    pub fwmark: Option<String>,
    /// The fwmark service is IPv6
    #[arg(short = '6', long = "ipv6", requires = "fwmark")]
    pub ipv6: bool,
}

impl ServiceArgs {
    /// The service named, if any, checked by the same parser forms and rules files use.
    pub fn key(&self) -> Result<Option<ServiceKey>, ParseError> {
        let by_addr = [
            (&self.tcp, Protocol::Tcp),
            (&self.udp, Protocol::Udp),
            (&self.sctp, Protocol::Sctp),
        ];
        for (text, protocol) in by_addr {
            if let Some(text) = text {
                return parse::service_addr(protocol, text).map(Some);
            }
        }
        match &self.fwmark {
            Some(mark) => {
                let family = if self.ipv6 {
                    Family::Inet6
                } else {
                    Family::Inet
                };
                Ok(Some(ServiceKey::Fwmark {
                    mark: parse::fwmark(mark)?,
                    family,
                }))
            }
            None => Ok(None),
        }
    }
}

#[derive(Debug, Clone, Default, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub service: ServiceArgs,
    /// Accepted for ipvsadm habits: output is always numeric.
    #[arg(short = 'n', long)]
    pub numeric: bool,
    /// Counters: connections, packets and bytes in and out.
    #[arg(long)]
    pub stats: bool,
    /// The kernel's rates: connections, packets and bytes per second.
    #[arg(long)]
    pub rate: bool,
    /// Upper and lower connection thresholds.
    #[arg(long)]
    pub thresholds: bool,
    /// Persistent connection counts.
    #[arg(long = "persistent-conn")]
    pub persistent_conn: bool,
    /// Exact numbers instead of K/M/G/T.
    #[arg(short = 'X', long)]
    pub exact: bool,
    /// Tunnel type, port and checksum of tunnel real servers.
    #[arg(long = "tun-info")]
    pub tun_info: bool,
    /// Keep the kernel's order.
    #[arg(long)]
    pub nosort: bool,
    /// Connection timeouts, as `ipvsadm -L --timeout`.
    #[arg(long, conflicts_with_all = ["stats", "rate", "thresholds", "persistent_conn", "daemon", "json"])]
    pub timeout: bool,
    /// Sync daemons, as `ipvsadm -L --daemon`.
    #[arg(long, conflicts_with_all = ["stats", "rate", "thresholds", "persistent_conn", "json"])]
    pub daemon: bool,
    /// Every field of the model as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum DaemonCommand {
    /// Start a master or backup sync daemon.
    Start {
        /// master or backup
        state: String,
        #[arg(long = "mcast-interface", value_name = "IFACE", default_value = crate::ipvs::model::DEFAULT_MCAST_IFN)]
        mcast_interface: String,
        #[arg(long, value_name = "ID")]
        syncid: Option<String>,
        #[arg(long = "sync-maxlen", value_name = "BYTES")]
        sync_maxlen: Option<String>,
        #[arg(long = "mcast-group", value_name = "ADDR")]
        mcast_group: Option<String>,
        #[arg(long = "mcast-port", value_name = "PORT")]
        mcast_port: Option<String>,
        #[arg(long = "mcast-ttl", value_name = "TTL")]
        mcast_ttl: Option<String>,
    },
    /// Stop the master or backup sync daemon.
    Stop {
        /// master or backup
        state: String,
    },
    /// List the running sync daemons, as `ipvsadm -L --daemon`.
    List,
}

/// Run a subcommand, logging its changes to `audit_log` (or the default log); the returned code
/// is the process exit status.
/// With `on`, the director it names instead of this host (see `--on`).
pub fn run(
    command: Command,
    audit_log: Option<PathBuf>,
    on: Option<crate::remote::DirectorSpec>,
) -> i32 {
    // Like ipvsadm and every Unix filter: a reader that goes away (`ipvs-tui list | head`) ends
    // the program quietly. Rust ignores SIGPIPE by default, which turns it into a panic on print.
    // SAFETY: setting a signal disposition to the default is async-signal-safe and has no
    // preconditions; it happens before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Before any runtime: the sandbox moves this thread between network namespaces.
    let command = match command {
        Command::Sandbox(_) | Command::Agent { .. } if on.is_some() => {
            eprintln!(
                "ipvs-tui: sandbox and agent do not support --on; run them on the host itself"
            );
            return EXIT_USAGE;
        }
        Command::Sandbox(command) => return sandbox::run(command),
        Command::Compare { a, b, json } => return compare::run(&a, &b, json),
        Command::Agent { read_only } => {
            return crate::remote::serve::run(crate::remote::serve::AgentOptions {
                read_only,
                demo: false,
                audit_log,
            });
        }
        command => command,
    };
    let Some(runtime) = crate::sys::runtime() else {
        return 1;
    };
    let log = audit_log.map_or_else(AuditLog::default_for_this_user, AuditLog::at);
    runtime.block_on(commands::run(command, log, on))
}
