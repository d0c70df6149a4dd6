//! What each subcommand does: read or change the kernel's table and print like ipvsadm.

use super::restore;
use super::{Command, DaemonCommand, ListArgs, VipCommand, host, sysctl, vip};
use crate::backend::{Backend, Kernel, Part, confine};
use crate::host::HostError;
use crate::host::HostState;
use crate::ipvs::listing::{self, ListFormat};
use crate::ipvs::model::{SyncDaemon, Timeouts};
use crate::ipvs::parse::{self, ParseError};
use crate::ipvs::{Error, IpvsOp, rules};
use crate::operation::audit::{AuditLog, Context, Source};
use crate::operation::{AuditedOps, Operation, OperationError, State, apply_plan};

/// Exit status for bad input (as ipvsadm), and for a refusal by the kernel.
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_FAILED: i32 = 1;

pub async fn run(command: Command, log: AuditLog) -> i32 {
    match dispatch(command, &log).await {
        Ok(()) => 0,
        Err(Failure::Input(e)) => {
            eprintln!("ipvs-tui: {e}");
            EXIT_USAGE
        }
        Err(Failure::Ipvs(e)) => {
            eprintln!("ipvs-tui: {e}");
            EXIT_FAILED
        }
        Err(Failure::Host(e)) => {
            eprintln!("ipvs-tui: {e}");
            EXIT_FAILED
        }
        Err(Failure::Reported(code)) => code,
    }
}

/// How a subcommand failed: the user's input, the kernel, or already reported in detail.
pub enum Failure {
    Input(ParseError),
    Ipvs(Error),
    /// Reading or changing the host failed (exit 1, as the kernel's refusals).
    Host(HostError),
    Reported(i32),
}

impl From<ParseError> for Failure {
    fn from(e: ParseError) -> Self {
        Failure::Input(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Ipvs(e)
    }
}

impl From<OperationError> for Failure {
    fn from(e: OperationError) -> Self {
        match e {
            OperationError::Ipvs(e) => Failure::Ipvs(e),
            OperationError::Host(e) => Failure::Host(e),
        }
    }
}

async fn dispatch(command: Command, log: &AuditLog) -> Result<(), Failure> {
    match command {
        Command::List(args) => list(args).await,
        Command::Save { numeric: _ } => {
            let snapshot = Kernel::connect().await?.snapshot().await?;
            print!("{}", rules::save(&snapshot));
            Ok(())
        }
        Command::Restore {
            file, boot: false, ..
        } => restore::run(file.as_deref(), log).await,
        Command::Restore {
            file,
            boot: true,
            dir,
        } => super::persist::restore_boot(&dir, file.as_deref(), log).await,
        Command::Conns(args) => super::conns::run(args).await,
        Command::Setup { plan, dry_run } => super::setup::run(&plan, dry_run, log).await,
        Command::Doctor {
            json,
            fix,
            role,
            vip,
            director,
        } => {
            super::doctor::run(
                json,
                fix,
                role.as_deref(),
                vip.as_deref(),
                director.as_deref(),
                log,
            )
            .await
        }
        Command::Persist {
            dir,
            dry_run,
            force,
        } => super::persist::run(&dir, dry_run, force, log).await,
        Command::Zero(service) => apply(IpvsOp::Zero(service.key()?), log).await,
        Command::Flush { yes } => {
            if !yes {
                eprintln!(
                    "ipvs-tui: flush deletes every virtual service and real server; add --yes to do it"
                );
                return Err(Failure::Reported(EXIT_USAGE));
            }
            apply(IpvsOp::Flush, log).await
        }
        Command::Timeouts { set: None } => {
            let snapshot = Kernel::connect().await?.snapshot().await?;
            print!("{}", listing::list_timeouts(&snapshot.timeouts));
            Ok(())
        }
        Command::Timeouts { set: Some(values) } => {
            let timeouts = Timeouts {
                tcp: parse::connection_timeout("tcp timeout", &values[0])?,
                tcp_fin: parse::connection_timeout("tcpfin timeout", &values[1])?,
                udp: parse::connection_timeout("udp timeout", &values[2])?,
            };
            apply(IpvsOp::SetTimeouts(timeouts), log).await
        }
        Command::Vip(VipCommand::Add { words }) => {
            vip::change(vip::parse_words(&words, true)?, log).await
        }
        Command::Vip(VipCommand::Del { words }) => {
            vip::change(vip::parse_words(&words, false)?, log).await
        }
        Command::Vip(VipCommand::List { json }) => vip::list(json).await,
        Command::Host { json } => host::run(json).await,
        Command::Keepalived { json, pid } => super::keepalived::run(json, pid).await,
        Command::Sysctl { assignments, json } => sysctl::run(&assignments, json, log).await,
        Command::Sandbox(_) | Command::Agent { .. } | Command::Compare { .. } => {
            unreachable!("cli::run runs the sandbox and the agent before any runtime exists")
        }
        Command::Daemon(DaemonCommand::List) => {
            let snapshot = Kernel::connect().await?.snapshot().await?;
            print!("{}", listing::list_daemons(&snapshot.daemons));
            Ok(())
        }
        Command::Daemon(DaemonCommand::Stop { state }) => {
            apply(IpvsOp::StopDaemon(parse::sync_state(&state)?), log).await
        }
        Command::Daemon(DaemonCommand::Start {
            state,
            mcast_interface,
            syncid,
            sync_maxlen,
            mcast_group,
            mcast_port,
            mcast_ttl,
        }) => {
            let daemon = SyncDaemon {
                state: parse::sync_state(&state)?,
                mcast_ifn: parse::interface(&mcast_interface)?,
                sync_id: syncid
                    .as_deref()
                    .map(parse::sync_id)
                    .transpose()?
                    .unwrap_or(crate::ipvs::model::DEFAULT_SYNC_ID),
                sync_maxlen: sync_maxlen
                    .as_deref()
                    .map(parse::sync_maxlen)
                    .transpose()?
                    .unwrap_or(0),
                mcast_group: mcast_group.as_deref().map(parse::mcast_group).transpose()?,
                mcast_port: mcast_port
                    .as_deref()
                    .map(parse::mcast_port)
                    .transpose()?
                    .unwrap_or(0),
                mcast_ttl: mcast_ttl
                    .as_deref()
                    .map(parse::mcast_ttl)
                    .transpose()?
                    .unwrap_or(0),
            };
            apply(IpvsOp::StartDaemon(daemon), log).await
        }
    }
}

/// Checks `op`, then applies it and records it in `log`.
async fn apply(op: IpvsOp, log: &AuditLog) -> Result<(), Failure> {
    parse::validate(&op)?;
    let ops = [Operation::Ipvs(op)];
    confine(&ops, Part::Ipvs)?;
    let kernel = Kernel::connect().await?;
    let state = State::new(kernel.snapshot().await?, HostState::default());
    let target = AuditedOps::new(&kernel, log, Context::current(Source::Cli), state.clone());
    let result = apply_plan(&target, state, &ops).await;
    warn_problem(target.problem());
    result.map_err(|f| f.error.into())
}

/// A change stands even when the log cannot be written; the operator is told once
/// (`PATH not written: reason`).
pub(super) fn warn_problem(problem: Option<String>) {
    if let Some(problem) = problem {
        eprintln!("ipvs-tui: warning: audit log {problem}");
    }
}

async fn list(args: ListArgs) -> Result<(), Failure> {
    let key = args.service.key()?;
    let backend = Kernel::connect().await?;
    if args.timeout {
        print!(
            "{}",
            listing::list_timeouts(&backend.snapshot().await?.timeouts)
        );
        return Ok(());
    }
    if args.daemon {
        print!(
            "{}",
            listing::list_daemons(&backend.snapshot().await?.daemons)
        );
        return Ok(());
    }
    let format = ListFormat {
        stats: args.stats,
        rate: args.rate,
        thresholds: args.thresholds,
        persistent_conn: args.persistent_conn,
        exact: args.exact,
        tun_info: args.tun_info,
        nosort: args.nosort,
    };
    match key {
        Some(key) => {
            let service = backend.table().await?.get_service(&key).await?;
            if args.json {
                let view = owners_view(std::slice::from_ref(&service)).await;
                let mut value =
                    serde_json::to_value(&service).expect("the model always serialises");
                crate::owners::view::annotate_service(&mut value, &view, &key);
                println!("{}", to_json(&value));
            } else {
                print!("{}", listing::list_service(&service, &format));
            }
        }
        None => {
            let snapshot = backend.snapshot().await?;
            if args.json {
                let view = owners_view(&snapshot.services).await;
                let mut value =
                    serde_json::to_value(&snapshot).expect("the model always serialises");
                crate::owners::view::annotate_snapshot(&mut value, &view);
                println!("{}", to_json(&value));
            } else {
                print!("{}", listing::list_all(&snapshot, &format));
            }
        }
    }
    Ok(())
}

/// Owners of these services: keepalived's view when one runs (asked at once; none when it
/// cannot be read), and the host's interfaces for kube-proxy and kube-router.
async fn owners_view(services: &[crate::ipvs::model::Service]) -> crate::owners::OwnersView {
    use crate::owners::keepalived::reader::{DEFAULT_TIMEOUT, Reader};
    let keepalived = Reader::new(None, DEFAULT_TIMEOUT).read().await.ok();
    let host = crate::host::read_state().await.unwrap_or_default();
    let snapshot = crate::ipvs::model::Snapshot {
        services: services.to_vec(),
        ..Default::default()
    };
    crate::owners::analyse(&snapshot, &host, keepalived.as_ref())
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("the model always serialises")
}
