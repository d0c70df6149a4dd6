//! `ipvs-tui persist [--dir /etc] [--dry-run] [--force]` writes what restores this setup at
//! boot; `ipvs-tui restore --boot [--dir /etc]` is what the unit runs then.

use super::commands::{EXIT_FAILED, EXIT_USAGE, Failure};
use super::on::On;
use super::setup::{apply_reporting, check_steps, read_system};
use crate::backend::{Backend, Kernel};
use crate::ipvs::{Error, rules};
use crate::operation::audit::{AuditLog, Context, Source};
use crate::setup::persist::{self, HostFile, OnDisk, PersistFile};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long `restore --boot` waits for the interfaces its VIPs go on.
const WAIT_FOR_INTERFACES: Duration = Duration::from_secs(10);

fn io(context: String, e: std::io::Error) -> Failure {
    Failure::Ipvs(Error::io(context, e))
}

/// The files to write under `dir` here, each against the disk.
async fn files_here(dir: &Path) -> Result<Vec<(PersistFile, OnDisk)>, Failure> {
    // A real server may have no IPVS: then it persists its VIPs and sysctls only.
    let (_, crate::operation::State { table: ipvs, host }) = read_system(&On::Here, false).await?;
    let exe = std::env::current_exe()
        .map_err(|e| io("cannot tell where ipvs-tui is installed".into(), e))?;
    Ok(persist::render(dir, &exe, &ipvs, &host)
        .into_iter()
        .map(|f| {
            let on_disk = f.on_disk();
            (f, on_disk)
        })
        .collect())
}

fn failed(e: String) -> Failure {
    eprintln!("ipvs-tui: {e}");
    Failure::Reported(EXIT_FAILED)
}

/// `persist`: here, or on the director `on` through its agent (rendered, written and audited
/// there: its table, its host, its ipvs-tui in the unit).
pub async fn run(
    on: &On,
    dir: &Path,
    dry_run: bool,
    force: bool,
    log: &AuditLog,
) -> Result<(), Failure> {
    let files = match on {
        On::Here => files_here(dir).await?,
        On::There(r) => r.persist_plan(dir).await.map_err(failed)?,
    };
    let place = on.on_place();
    let mut refused = 0;
    let mut shown = Vec::new();
    for (f, on_disk) in files {
        let state = match &on_disk {
            OnDisk::Same => "unchanged",
            OnDisk::Differs { summary } => {
                println!(
                    "== {}{place} exists and differs: {summary}",
                    f.path.display()
                );
                if force {
                    "overwritten (--force)"
                } else {
                    refused += 1;
                    "NOT overwritten (add --force)"
                }
            }
            OnDisk::Missing => "new",
        };
        println!("== {}{place} ({state})", f.path.display());
        print!("{}", f.contents);
        shown.push((f, on_disk));
    }
    if dry_run {
        println!("persist: dry run: nothing was written");
        return Ok(());
    }
    if refused > 0 {
        eprintln!(
            "ipvs-tui: {refused} file(s) exist with other contents; nothing was written (--force overwrites them)"
        );
        return Err(Failure::Reported(EXIT_FAILED));
    }
    // The same writer as the console's pane: what was shown, all of it audited as one entry
    // (there, by the agent; here too, naming the director).
    let written = match on {
        On::Here => persist::write(persist::WriteRequest {
            dir: dir.to_path_buf(),
            files: shown,
            audit: Some((log.clone(), Context::current(Source::Cli))),
        }),
        On::There(r) => {
            let written = r.persist_write(dir, shown).await.map_err(failed)?;
            record_here(log, on, &written);
            written
        }
    };
    if let Some(problem) = &written.audit_problem {
        eprintln!("ipvs-tui: warning: audit log not written: {problem}");
    }
    match &written.error {
        None if written.written.is_empty() => {
            println!("persist: nothing to write: every file is as on disk")
        }
        None => {
            for path in &written.written {
                println!("persist: wrote {}{place}", path.display());
            }
            println!(
                "persist: to restore at boot: systemctl enable {}",
                persist::UNIT_NAME
            );
        }
        Some(_) => {
            eprintln!(
                "ipvs-tui: {}",
                written.message().trim_start_matches("persist: ")
            );
            return Err(Failure::Reported(EXIT_FAILED));
        }
    }
    Ok(())
}

/// A write on a director elsewhere, in the local log too.
fn record_here(log: &AuditLog, on: &On, written: &persist::Written) {
    if let Err(e) = persist::record(log, &on.context(), written, Vec::new()) {
        eprintln!(
            "ipvs-tui: warning: audit log {} not written: {e}",
            log.path().display()
        );
    }
}

/// `restore --boot`: the sysctls and VIPs of DIR/ipvs-tui/host.toml, then the rules (`file` or
/// DIR/ipvs-tui/rules), all or nothing; what is already in place is left alone.
pub async fn restore_boot(dir: &Path, file: Option<&Path>, log: &AuditLog) -> Result<(), Failure> {
    let host_path = persist::host_path(dir);
    let host_file: HostFile = match std::fs::read_to_string(&host_path) {
        Ok(text) => toml::from_str(&text).map_err(|e| {
            eprintln!("{}: {}", host_path.display(), e.message().trim());
            Failure::Reported(EXIT_USAGE)
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => HostFile::default(),
        Err(e) => return Err(io(format!("cannot read {}", host_path.display()), e)),
    };
    let rules_path = file.map_or_else(|| persist::rules_path(dir), Path::to_path_buf);
    let text = std::fs::read_to_string(&rules_path)
        .map_err(|e| io(format!("cannot read {}", rules_path.display()), e))?;
    let rules = match rules::parse_rules(&text) {
        Ok(rules) => rules,
        Err(errors) => {
            for (line, e) in &errors {
                eprintln!("{}:{line}: {e}", rules_path.display());
            }
            eprintln!(
                "ipvs-tui: {} bad line(s) in {}; nothing was changed",
                errors.len(),
                rules_path.display()
            );
            return Err(Failure::Reported(EXIT_USAGE));
        }
    };
    let started = Instant::now();
    // Only the host until the interfaces are there: IPVS is read below.
    let mut host = Kernel::default().host().await.map_err(Failure::Host)?;
    loop {
        let missing = persist::missing_devices(&host_file, &host).join(", ");
        if missing.is_empty() {
            break;
        }
        if started.elapsed() > WAIT_FOR_INTERFACES {
            eprintln!(
                "ipvs-tui: interface(s) {missing} did not appear within {} s; nothing was changed",
                WAIT_FOR_INTERFACES.as_secs()
            );
            return Err(Failure::Reported(EXIT_FAILED));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        host = Kernel::default().host().await.map_err(Failure::Host)?;
    }
    let (kernel, before) = read_system(&On::Here, !rules.is_empty()).await?;
    let ipvs_ops: Vec<_> = rules.into_iter().map(|r| r.op).collect();
    let mut ops = persist::boot_host_operations(&host_file, &before.host);
    ops.extend(persist::boot_ipvs_operations(&ipvs_ops, &before.table));
    for op in &ops {
        println!("  {}", op.to_command());
    }
    check_steps(&before, &ops)?;
    apply_reporting(&On::Here, kernel.as_deref(), log, before, &ops).await?;
    println!(
        "restore --boot: {} change(s) applied from {}",
        ops.len(),
        dir.display()
    );
    Ok(())
}
