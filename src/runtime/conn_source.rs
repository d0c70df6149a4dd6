//! Where the connections pane reads: this host's /proc/net/ip_vs_conn, or in the demo the
//! simulator's table in the same format. Either way the lines go through the same collector off
//! the console's thread, with progress and cancellation.

use crate::console::panes::conns::ConnsRequest;
use crate::ipvs::conns::reader::stream;
use crate::ipvs::conns::{Collector, IP_VS_CONN, ReadError, ReadSummary, read_path_async};
use crate::ipvs::error::SharedError;
use crate::ipvs::sim::SimBackend;
use futures::FutureExt;
use futures::future::BoxFuture;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone)]
pub enum ConnSource {
    /// A file in the kernel's format (the kernel's own by default).
    File(PathBuf),
    /// The simulator the demo's poller reads too.
    Sim(Arc<SimBackend>),
    /// A director elsewhere, whose table this pane cannot read: why, in words.
    Elsewhere(String),
}

impl Default for ConnSource {
    fn default() -> ConnSource {
        ConnSource::File(PathBuf::from(IP_VS_CONN))
    }
}

impl ConnSource {
    /// The read `req` asks for, to run on any task.
    pub fn read(&self, req: &ConnsRequest) -> BoxFuture<'static, Result<ReadSummary, ReadError>> {
        let ConnsRequest {
            filter,
            limits,
            progress,
            cancel,
            ..
        } = req.clone();
        match self {
            ConnSource::File(path) => {
                read_path_async(path.clone(), filter, limits, progress, cancel).boxed()
            }
            ConnSource::Elsewhere(why) => {
                let why = why.clone();
                async move {
                    Err(ReadError::Io {
                        path: "connections".into(),
                        source: Arc::new(std::io::Error::other(why)),
                    })
                }
                .boxed()
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
                .boxed()
            }
        }
    }
}
