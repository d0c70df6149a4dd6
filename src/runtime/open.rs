//! Opening the console's directors: this host's kernel (or its read-only /proc view), the demo,
//! a simulated director (`sim:`), or one elsewhere through its agent (`ssh:`, `netns:`,
//! `exec:`), each with its poller and executor.

use crate::backend::{Backend, Kernel, ReadOnly};
use crate::config::settings::Settings;
use crate::console::app::{App, Source};
use crate::console::change::Policy;
use crate::console::director::Director;
use crate::ipvs::Error;
use crate::ipvs::kernel::KernelBackend;
use crate::ipvs::procfs::ProcBackend;
use crate::remote::{DirectorSpec, Remote, Target};
use crate::runtime::conn_source::ConnSource;
use crate::runtime::executor::Executor;
use crate::runtime::poller::Poller;
use crate::runtime::runloop::Link;
use std::rc::Rc;
use std::time::Duration;

/// The demo's seed: the same demo every time.
const DEMO_SEED: u64 = 1;

/// The demo (see `backend::sim::demo`). Its changes touch nothing on this host, so they are
/// not audited.
pub(super) fn demo(interval: Duration, read_only: bool) -> Link {
    let (director, sim) = crate::backend::sim::demo(DEMO_SEED);
    let director: Rc<dyn Backend> = Rc::new(director);
    let policy = Policy {
        read_only,
        audit: None,
    };
    Link::new(
        Poller::spawn(director.clone(), interval),
        Executor::new(director, policy).with_conns(ConnSource::Sim(sim)),
    )
}

/// The director of `target`, with its poller and executor. Several directors each retry a
/// failed poll with backoff (see `Poller::retrying`).
pub(super) async fn open(
    spec: &DirectorSpec,
    interval: Duration,
    policy: &Policy,
    settings: &Settings,
    fleet: bool,
) -> Result<(Director, Link), String> {
    let target = &spec.target;
    let (mut director, link) = match target {
        Target::Local => {
            let (source, poller, executor) = kernel_or_read_only(interval, policy.clone()).await;
            let mut director = Director::new(source, crate::sys::host_name());
            if source == Source::Kernel {
                director.audit_path = policy.audit.as_ref().map(|(l, _)| l.path().to_path_buf());
            }
            director.persist_dir = settings.persist_dir.clone();
            // Only this host's IPVS as root can signal keepalived.
            director.owners.enabled = settings.keepalived && source == Source::Kernel;
            (director, Link::new(poller, executor))
        }
        Target::Sim { name, role } => {
            let (sim, table) = crate::backend::sim::named(name, *role);
            let backend: Rc<dyn Backend> = Rc::new(sim);
            let poller = if fleet {
                Poller::retrying(backend.clone(), interval)
            } else {
                Poller::spawn(backend.clone(), interval)
            };
            // A simulator's changes touch nothing on this host: not audited.
            let policy = Policy {
                read_only: policy.read_only,
                audit: None,
            };
            let executor = Executor::new(backend, policy).with_conns(ConnSource::Sim(table));
            (
                Director::new(Source::Simulated, name.clone()),
                Link::new(poller, executor),
            )
        }
        Target::Netns(_) | Target::Ssh { .. } | Target::Exec(_) => {
            // The first greeting names the host; one of several directors down at start-up is
            // named by its target, shown unreachable, and dialled again with the poller's
            // backoff (a console on that one director alone says why and ends).
            let remote = match crate::remote::connect(spec).await {
                Ok(remote) => remote,
                Err(e) if !fleet => return Err(e.to_string()),
                Err(e) => {
                    tracing::warn!(director = %spec.name, error = %e, "agent not reached");
                    Remote::unreached(spec, &e)
                }
            };
            let (host, read_only) = remote
                .hello()
                .map_or((spec.name.clone(), false), |h| (h.host, h.read_only));
            let name = spec.name.clone();
            let backend: Rc<dyn Backend> = remote.clone();
            // The agent audits each change on the director, with the operator's user as
            // claimed; this console's log records it too, naming the director.
            let audit = policy.audit.clone().map(|(log, mut context)| {
                context.host = format!("{host} (via {name})");
                (log, context)
            });
            let mut director = Director::new(Source::Remote, host);
            director.audit_path = audit.as_ref().map(|(l, _)| l.path().to_path_buf());
            let policy = Policy {
                read_only: policy.read_only || read_only,
                audit,
            };
            director.read_only = policy.read_only;
            // Counted on the director: only the aggregates and a screenful of rows travel.
            let executor = Executor::new(backend.clone(), policy)
                .with_conns(ConnSource::Remote(remote.clone()))
                .with_remote(remote);
            // keepalived is asked on the director, through its agent.
            director.owners.enabled = settings.keepalived;
            (
                director,
                Link::new(Poller::retrying(backend, interval), executor),
            )
        }
    };
    // --read-only (or the config file) holds for every director; a director may add its own
    // (the /proc view, an agent serving read-only).
    director.read_only |= policy.read_only;
    if fleet {
        director.target = Some(spec.name.clone());
    }
    Ok((director, link))
}

/// Directors that greet with the same host name (namespaces of one host) are named by their
/// targets instead, so that no two rows or headers read alike.
pub(super) fn distinct_names(app: &mut App) {
    let hosts: Vec<String> = app.directors().iter().map(|d| d.host.clone()).collect();
    let twice = |h: &String| hosts.iter().filter(|x| *x == h).count() > 1;
    let rename = |d: &mut Director| {
        if twice(&d.host)
            && let Some(t) = &d.target
        {
            d.host = t.clone();
        }
    };
    rename(&mut app.director);
    app.fleet.iter_mut().for_each(|p| rename(&mut p.director));
}

/// This host's IPVS. Netlink refuses even reads without CAP_NET_ADMIN; then the world-readable
/// /proc/net/ip_vs is polled instead, read-only. Any other failure (IPVS missing) stays on the
/// kernel, which the offline pane explains and retries.
async fn kernel_or_read_only(interval: Duration, policy: Policy) -> (Source, Poller, Executor) {
    let attempt = KernelBackend::connect().await;
    let denied = match &attempt {
        Ok(backend) => matches!(backend.info().await, Err(Error::Permission)),
        Err(e) => *e == Error::Permission,
    };
    if denied && let Ok(proc) = ProcBackend::open().await {
        let director: Rc<dyn Backend> = Rc::new(ReadOnly(proc));
        let policy = Policy {
            read_only: true,
            audit: None,
        };
        return (
            Source::ReadOnly,
            Poller::spawn(director.clone(), interval),
            Executor::new(director, policy),
        );
    }
    let director: Rc<dyn Backend> = Rc::new(Kernel::after(attempt));
    (
        Source::Kernel,
        Poller::spawn(director.clone(), interval),
        Executor::new(director, policy),
    )
}
