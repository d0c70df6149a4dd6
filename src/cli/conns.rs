//! `ipvs-tui conns`: the connection table, filtered, grouped or listed, as text or JSON.

use super::commands::{EXIT_USAGE, Failure};
use super::on::On;
use crate::ipvs::conns::{self, ConnTable, Filter, GroupBy, Limits, SortBy};
use crate::ipvs::parse::{self, ParseError};
use crate::ipvs::procfs;
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

mod print;

use print::{groups_json, groups_text, rows_json, rows_text, templates_text};

#[derive(Debug, Clone, Default, Args)]
pub struct ConnsArgs {
    /// Filter terms, all of which must match (the same key twice means either):
    /// rs:ADDR[:PORT] state:NAME client:ADDR[/PREFIX] svc:VIP:PORT fwm:MARK proto:tcp|udp|sctp|ip.
    /// fwm:MARK finds that fwmark service's persistence templates: the kernel records the mark on
    /// nothing else (its connections show the address the client used; select them with rs:).
    #[arg(value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Count instead of listing: per real server and state, per state, per client (most first),
    /// or per service and state.
    #[arg(long = "group-by", value_name = "rs|state|client|service")]
    pub group_by: Option<String>,
    /// JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Print at most N rows (or groups).
    #[arg(long, value_name = "N")]
    pub limit: Option<String>,
    /// Order of the rows: expiry (soonest first), client, or state; default: the kernel's.
    #[arg(long, value_name = "expiry|client|state")]
    pub sort: Option<String>,
    /// Persistence templates only: which real server each client is persisted to. With
    /// client:ADDR, where that client is persisted (also through a service's netmask, -M).
    #[arg(long)]
    pub persistent: bool,
    /// Rows held for listing; lines beyond are still counted in --group-by.
    #[arg(long = "max-rows", value_name = "N", default_value = "100000")]
    pub max_rows: String,
    /// Read this file (in the format of /proc/net/ip_vs_conn; - for standard input).
    #[arg(long, value_name = "PATH", default_value = conns::IP_VS_CONN)]
    pub file: PathBuf,
    /// Services (in the format of /proc/net/ip_vs) whose persistence netmasks tell which masked
    /// template holds a client; default: /proc/net/ip_vs when reading the live table.
    #[arg(long, value_name = "PATH")]
    pub services: Option<PathBuf>,
}

/// What the arguments ask for, checked.
struct Request {
    filter: Filter,
    group_by: Option<GroupBy>,
    limit: usize,
    sort: SortBy,
    limits: Limits,
}

fn request(args: &ConnsArgs) -> Result<Request, ParseError> {
    let filter =
        Filter::parse(&args.filter).map_err(|e| ParseError::new("filter", &e.term, e.reason))?;
    let group_by = match &args.group_by {
        Some(g) => Some(GroupBy::from_name(g).ok_or_else(|| {
            ParseError::new("--group-by", g, format!("must be {}", GroupBy::NAMES))
        })?),
        None => None,
    };
    let sort = match &args.sort {
        Some(s) => SortBy::from_name(s)
            .ok_or_else(|| ParseError::new("--sort", s, "must be expiry, client or state"))?,
        None => SortBy::Kernel,
    };
    if args.persistent && group_by.is_some() {
        return Err(ParseError::combo(
            "--persistent",
            "lists templates; it does not combine with --group-by (use --group-by with state:ASSURED or state:NONE to count them)",
        ));
    }
    let limit = match &args.limit {
        Some(l) => parse::number("--limit", l, 1, u64::from(u32::MAX))? as usize,
        None => usize::MAX,
    };
    let max_rows = parse::number("--max-rows", &args.max_rows, 0, 100_000_000)? as usize;
    // Grouping needs the aggregates only; templates are held only when listed.
    let limits = Limits {
        max_rows: if group_by.is_some() || args.persistent {
            0
        } else {
            max_rows
        },
        max_templates: if args.persistent { max_rows } else { 0 },
        max_clients: if group_by == Some(GroupBy::Client) {
            Limits::default().max_clients
        } else {
            0
        },
    };
    Ok(Request {
        filter,
        group_by,
        limit,
        sort,
        limits,
    })
}

pub async fn run(args: ConnsArgs, on: &On) -> Result<(), Failure> {
    let mut req = request(&args)?;
    let (mut table, source) = match on {
        On::Here => {
            req.filter = req.filter.with_masks(masks(&args)?);
            let outcome = conns::read_path_async(
                args.file.clone(),
                req.filter.clone(),
                req.limits,
                Arc::default(),
                Arc::default(),
            )
            .await
            .map_err(|e| {
                eprintln!("ipvs-tui: {e}");
                Failure::Reported(super::commands::EXIT_FAILED)
            })?;
            (outcome.table, args.file.display().to_string())
        }
        On::There(remote) => (there(&args, &req, remote).await?, remote.name().to_string()),
    };
    if args.persistent {
        table.rows = std::mem::take(&mut table.templates);
    }
    table.sort_rows(req.sort);
    let out = match (req.group_by, args.json) {
        (Some(by), true) => {
            serde_json::to_string_pretty(&groups_json(&table, by, req.limit, &source))
        }
        (Some(by), false) => Ok(groups_text(&table, by, req.limit)),
        (None, true) => serde_json::to_string_pretty(&rows_json(&table, req.limit, &source)),
        (None, false) => Ok(if args.persistent {
            templates_text(&table, req.limit)
        } else {
            rows_text(&table, req.limit)
        }),
    }
    .expect("JSON values always serialise");
    print!("{out}");
    if args.json {
        println!();
    }
    warn_incomplete(&table, &req, args.persistent);
    if args.persistent && table.rows.is_empty() && !req.filter.clients.is_empty() {
        eprintln!(
            "ipvs-tui: no persistence template matches {}",
            args.filter.join(" ")
        );
        return Err(Failure::Reported(EXIT_NOT_FOUND));
    }
    Ok(())
}

/// The director's connection table, counted there: only the counts and the rows asked for
/// travel.
async fn there(
    args: &ConnsArgs,
    req: &Request,
    remote: &crate::remote::Remote,
) -> Result<ConnTable, Failure> {
    if args.file != std::path::Path::new(conns::IP_VS_CONN) || args.services.is_some() {
        eprintln!(
            "ipvs-tui: conns --file and --services read files here; they do not combine with --on"
        );
        return Err(Failure::Reported(EXIT_USAGE));
    }
    let query = crate::remote::protocol::ConnsQuery {
        filter: args.filter.clone(),
        max_rows: req.limits.max_rows,
        max_templates: req.limits.max_templates,
        max_clients: req.limits.max_clients,
        within: vec![],
    };
    remote.conns(query).await.map_err(|e| {
        eprintln!("ipvs-tui: {e}");
        Failure::Reported(super::commands::EXIT_FAILED)
    })
}

/// Persistence netmasks from /proc/net/ip_vs (or --services). The live file may be missing
/// (no IPVS module): then templates match their own address only.
fn masks(args: &ConnsArgs) -> Result<Vec<(conns::ServiceId, u8)>, Failure> {
    let live = args.file == std::path::Path::new(conns::IP_VS_CONN);
    let path = match &args.services {
        Some(p) => p.clone(),
        None if live => PathBuf::from(procfs::IP_VS),
        None => return Ok(Vec::new()),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(_) if args.services.is_none() => return Ok(Vec::new()),
        Err(e) => {
            eprintln!("ipvs-tui: cannot read {}: {e}", path.display());
            return Err(Failure::Reported(super::commands::EXIT_FAILED));
        }
    };
    // The tick rate only scales persistence timeouts, which are not used here; the netmask is
    // read only for services known to be persistent, hence a rate is always given.
    let hz = procfs::kernel_hz().unwrap_or(100);
    match procfs::parse_ip_vs(&text, Some(hz)) {
        Ok(listing) => Ok(conns::filter::persistence_masks(&listing.snapshot.services)),
        Err(e) => {
            eprintln!("ipvs-tui: {}: {e}", path.display());
            Err(Failure::Reported(EXIT_USAGE))
        }
    }
}

/// A lookup that found nothing (as grep: 1).
const EXIT_NOT_FOUND: i32 = 1;
const _: () = assert!(EXIT_NOT_FOUND != EXIT_USAGE);

/// Malformed lines and rows beyond --max-rows go to stderr, so stdout stays the listing.
fn warn_incomplete(t: &ConnTable, req: &Request, persistent: bool) {
    let c = &t.counts;
    if c.malformed > 0 {
        let first = t
            .first_malformed
            .as_ref()
            .map(|m| format!(" (first: line {}: {})", m.line, m.reason))
            .unwrap_or_default();
        eprintln!(
            "ipvs-tui: skipped {} of {} lines that are not connection entries{first}",
            c.malformed, c.lines
        );
    }
    let dropped = if persistent {
        c.dropped_templates
    } else {
        c.dropped_rows
    };
    if req.group_by.is_none() && dropped > 0 {
        eprintln!(
            "ipvs-tui: {dropped} matching entries beyond --max-rows {} not listed (--group-by counts them all)",
            if persistent {
                req.limits.max_templates
            } else {
                req.limits.max_rows
            }
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(filter: &[&str]) -> ConnsArgs {
        ConnsArgs {
            filter: filter.iter().map(|s| s.to_string()).collect(),
            max_rows: "100000".into(),
            ..ConnsArgs::default()
        }
    }

    #[test]
    fn bad_arguments_name_the_field_and_what_is_allowed() {
        let e = request(&args(&["rs:10.0.0"])).err().unwrap().to_string();
        assert!(e.starts_with("filter \"rs:10.0.0\": "), "{e}");
        let e = request(&ConnsArgs {
            group_by: Some("color".into()),
            ..args(&[])
        })
        .err()
        .unwrap()
        .to_string();
        assert_eq!(
            e,
            "--group-by \"color\": must be rs, state, client or service"
        );
        let e = request(&ConnsArgs {
            limit: Some("-1".into()),
            ..args(&[])
        })
        .err()
        .unwrap()
        .to_string();
        assert!(e.contains("whole number"), "{e}");
        let e = request(&ConnsArgs {
            persistent: true,
            group_by: Some("rs".into()),
            ..args(&[])
        })
        .err()
        .unwrap()
        .to_string();
        assert!(e.contains("--group-by"), "{e}");
    }
}
