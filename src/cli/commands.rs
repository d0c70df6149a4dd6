//! What each subcommand does: read or change the kernel's table and print like ipvsadm.

use super::on::On;
use super::restore;
use super::{Command, DaemonCommand, ListArgs, VipCommand, host, sysctl, vip};
use crate::backend::{Backend, Part, confine};
use crate::host::HostError;
use crate::host::HostState;
use crate::ipvs::listing::{self, ListFormat};
use crate::ipvs::model::{SyncDaemon, Timeouts};
use crate::ipvs::parse::{self, ParseError};
use crate::ipvs::{Error, IpvsOp, rules};
use crate::operation::audit::AuditLog;
use crate::operation::{AuditedOps, Operation, OperationError, State, apply_plan};

/// Exit status for bad input (as ipvsadm), and for a refusal by the kernel.
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_FAILED: i32 = 1;

pub async fn run(command: Command, log: AuditLog, on: Option<crate::remote::DirectorSpec>) -> i32 {
    let on = match on {
        None => Ok(On::Here),
        Some(spec) => super::on::connect(&spec).await,
    };
    let result = match on {
        Ok(on) => dispatch(command, &log, &on).await,
        Err(f) => Err(f),
    };
    match result {
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

async fn dispatch(command: Command, log: &AuditLog, on: &On) -> Result<(), Failure> {
    match command {
        Command::List(args) => list(args, on).await,
        Command::Save { numeric: _ } => {
            let snapshot = on.ipvs().await?.snapshot().await?;
            print!("{}", rules::save(&snapshot));
            Ok(())
        }
        Command::Restore {
            file, boot: false, ..
        } => restore::run(file.as_deref(), log, on).await,
        Command::Restore {
            file,
            boot: true,
            dir,
        } => {
            on.here_only("restore --boot")?;
            super::persist::restore_boot(&dir, file.as_deref(), log).await
        }
        Command::Conns(args) => super::conns::run(args, on).await,
        Command::Setup { plan, dry_run } => super::setup::run(on, &plan, dry_run, log).await,
        Command::Doctor {
            json,
            fix,
            role,
            vip,
            director,
        } => {
            super::doctor::run(
                on,
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
        } => super::persist::run(on, &dir, dry_run, force, log).await,
        Command::Zero(service) => apply(IpvsOp::Zero(service.key()?), log, on).await,
        Command::Flush { yes } => {
            if !yes {
                eprintln!(
                    "ipvs-tui: flush deletes every virtual service and real server; add --yes to do it"
                );
                return Err(Failure::Reported(EXIT_USAGE));
            }
            apply(IpvsOp::Flush, log, on).await
        }
        Command::Timeouts { set: None } => {
            let snapshot = on.ipvs().await?.snapshot().await?;
            print!("{}", listing::list_timeouts(&snapshot.timeouts));
            Ok(())
        }
        Command::Timeouts { set: Some(values) } => {
            let timeouts = Timeouts {
                tcp: parse::connection_timeout("tcp timeout", &values[0])?,
                tcp_fin: parse::connection_timeout("tcpfin timeout", &values[1])?,
                udp: parse::connection_timeout("udp timeout", &values[2])?,
            };
            apply(IpvsOp::SetTimeouts(timeouts), log, on).await
        }
        Command::Vip(VipCommand::Add { words }) => {
            vip::change(vip::parse_words(&words, true)?, log, on).await
        }
        Command::Vip(VipCommand::Del { words }) => {
            vip::change(vip::parse_words(&words, false)?, log, on).await
        }
        Command::Vip(VipCommand::List { json }) => vip::list(json, on).await,
        Command::Host { json } => host::run(json, on).await,
        Command::Keepalived { json, pid } => super::keepalived::run(json, pid, on).await,
        Command::Sysctl { assignments, json } => sysctl::run(&assignments, json, log, on).await,
        Command::Sandbox(_) | Command::Agent { .. } | Command::Compare { .. } => {
            unreachable!("cli::run runs the sandbox and the agent before any runtime exists")
        }
        Command::Daemon(DaemonCommand::List) => {
            let snapshot = on.ipvs().await?.snapshot().await?;
            print!("{}", listing::list_daemons(&snapshot.daemons));
            Ok(())
        }
        Command::Daemon(DaemonCommand::Stop { state }) => {
            apply(IpvsOp::StopDaemon(parse::sync_state(&state)?), log, on).await
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
            apply(IpvsOp::StartDaemon(daemon), log, on).await
        }
    }
}

/// Checks `op`, then applies it and records it in `log`.
async fn apply(op: IpvsOp, log: &AuditLog, on: &On) -> Result<(), Failure> {
    parse::validate(&op)?;
    let ops = [Operation::Ipvs(op)];
    confine(&ops, Part::Ipvs)?;
    let director = on.ipvs().await?;
    let state = State::new(director.snapshot().await?, HostState::default());
    let target = AuditedOps::new(&*director, log, on.context(), state.clone());
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

async fn list(args: ListArgs, on: &On) -> Result<(), Failure> {
    let key = args.service.key()?;
    let backend = on.ipvs().await?;
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
            let service = match on {
                On::Here => {
                    crate::backend::Kernel::connect()
                        .await?
                        .table()
                        .await?
                        .get_service(&key)
                        .await?
                }
                On::There(_) => backend
                    .snapshot()
                    .await?
                    .service(&key)
                    .cloned()
                    .ok_or_else(|| {
                        crate::ipvs::netlink::errno::read_error("", Some(&key), libc::ESRCH)
                    })?,
            };
            if args.json {
                let view = owners_view(std::slice::from_ref(&service), on).await;
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
                let view = owners_view(&snapshot.services, on).await;
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
async fn owners_view(
    services: &[crate::ipvs::model::Service],
    on: &On,
) -> crate::owners::OwnersView {
    use crate::owners::keepalived::reader::{DEFAULT_TIMEOUT, Reader};
    let keepalived = match on {
        On::Here => Reader::new(None, DEFAULT_TIMEOUT).read().await.ok(),
        On::There(r) => r.keepalived(None).await.ok().and_then(Result::ok),
    };
    let host = on.host().host().await.unwrap_or_default();
    let snapshot = crate::ipvs::model::Snapshot {
        services: services.to_vec(),
        ..Default::default()
    };
    crate::owners::analyse(&snapshot, &host, keepalived.as_ref())
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("the model always serialises")
}
