//! Where the connections pane reads: this host's /proc/net/ip_vs_conn, in the demo the
//! simulator's table in the same format (either way the lines go through the same collector off
//! the console's thread, with progress and cancellation), or a remote director's agent, which
//! counts there and sends the aggregates and at most [`REMOTE_ROWS`] rows.

use crate::console::panes::conns::ConnsRequest;
use crate::ipvs::conns::Limits;
use crate::ipvs::conns::reader::stream;
use crate::ipvs::conns::{Collector, IP_VS_CONN, ReadError, ReadSummary, read_path_async};
use crate::ipvs::error::SharedError;
use crate::ipvs::sim::SimBackend;
use crate::remote::Remote;
use crate::remote::protocol::ConnsQuery;
use futures::FutureExt;
use futures::future::LocalBoxFuture;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// The rows (and templates) a remote director sends for the pane: pages of a screen to scroll
/// through; the rest stay on the director, counted in the aggregates (`g` groups them all).
pub const REMOTE_ROWS: usize = 1000;
/// The clients a remote director tracks for the top-clients grouping.
pub const REMOTE_CLIENTS: usize = 1000;

#[derive(Clone)]
pub enum ConnSource {
    /// A file in the kernel's format (the kernel's own by default).
    File(PathBuf),
    /// The simulator the demo's poller reads too.
    Sim(Arc<SimBackend>),
    /// A director elsewhere, counted there by its agent.
    Remote(Rc<Remote>),
}

impl Default for ConnSource {
    fn default() -> ConnSource {
        ConnSource::File(PathBuf::from(IP_VS_CONN))
    }
}

impl ConnSource {
    /// The read `req` asks for, to run on any task.
    pub fn read(
        &self,
        req: &ConnsRequest,
    ) -> LocalBoxFuture<'static, Result<ReadSummary, ReadError>> {
        let ConnsRequest {
            filter,
            limits,
            progress,
            cancel,
            ..
        } = req.clone();
        match self {
            ConnSource::File(path) => {
                read_path_async(path.clone(), filter, limits, progress, cancel).boxed_local()
            }
            ConnSource::Remote(remote) => {
                let remote = remote.clone();
                async move {
                    let query = remote_query(&filter, limits);
                    let table = remote.conns(query).await.map_err(ReadError::Remote)?;
                    Ok(ReadSummary {
                        table,
                        // Asked to stop while the director counted: its answer is not wanted.
                        cancelled: cancel.load(Ordering::Relaxed),
                    })
                }
                .boxed_local()
            }
            ConnSource::Sim(sim) => {
                let sim = sim.clone();
                async move {
                    let task = tokio::task::spawn_blocking(move || {
                        let text = sim.conn_table();
                        let mut collector = Collector::new(filter, limits);
                        let cancelled = stream(text.as_bytes(), &mut collector, &progress, &cancel)
                            .map_err(|e| ReadError::Sim(Arc::new(e)))?;
                        Ok(ReadSummary {
                            table: collector.finish(),
                            cancelled,
                        })
                    });
                    task.await
                        .map_err(|e| ReadError::Task(SharedError::new(e)))?
                }
                .boxed_local()
            }
        }
    }
}

/// The pane's read as a query to a remote director: its terms and scope (the director knows its
/// own persistence masks), and no more rows than [`REMOTE_ROWS`].
pub fn remote_query(filter: &crate::ipvs::conns::Filter, limits: Limits) -> ConnsQuery {
    ConnsQuery {
        filter: filter.terms(),
        max_rows: limits.max_rows.min(REMOTE_ROWS),
        max_templates: limits.max_templates.min(REMOTE_ROWS),
        max_clients: limits.max_clients.min(REMOTE_CLIENTS),
        within: filter.within.iter().map(|f| f.terms()).collect(),
    }
}
