//! Many changes at once (a rules file): sent in netlink batches on a blocking socket, one
//! `sendto` and a few `recvmmsg` per few hundred changes (see `netlink::socket::changes` for what
//! the kernel does with a batch and why its results are exact).

use super::KernelBackend;
use crate::ipvs::error::{Error, Result};
use crate::ipvs::netlink::socket::{DumpError, DumpSocket};
use crate::ipvs::netlink::{IpvsMessage, encode, errno};
use crate::ipvs::op::IpvsOp;

impl KernelBackend {
    /// Applies `ops` in order, in batches. The result of each change tried, in order (at least
    /// one unless `ops` is empty); those past the returned length were not tried. It stops after
    /// the first batch with a failure: the changes after the failed one in that batch were tried
    /// too (the kernel goes through a batch to its end), and their results say which took effect.
    /// A change that fails validation, and a sync daemon stop (which reads the running daemon
    /// first), end a batch; they are tried alone.
    pub async fn apply_batch(&self, ops: &[&IpvsOp]) -> Vec<Result<()>> {
        let Some(first) = ops.first() else {
            return Vec::new();
        };
        let mut msgs = Vec::new();
        for op in ops {
            if matches!(op, IpvsOp::StopDaemon(_)) {
                break;
            }
            let checked = crate::ipvs::parse::validate(op)
                .map_err(|e| Error::Refused(e.to_string()))
                .and_then(|()| encode::request(op));
            match checked {
                Ok(msg) => msgs.push(msg),
                Err(_) => break,
            }
        }
        if msgs.is_empty() {
            return vec![self.apply(first).await];
        }
        let h = self.handle.lock().await;
        let socket = match h.resolve_family::<IpvsMessage>().await {
            Ok(family) => DumpSocket::open(family.id).ok(),
            Err(_) => None,
        };
        let Some(mut socket) = socket else {
            // The async path says why, for this one change.
            drop(h);
            return vec![self.apply(first).await];
        };
        // As for one change: what the next poll may take over from the last ones no longer holds.
        if let Ok(mut reader) = self.dumps.lock()
            && let Some(reader) = reader.as_mut()
        {
            reader.forget();
        }
        let mut results = Vec::with_capacity(msgs.len());
        while results.len() < msgs.len() {
            let base = results.len();
            match socket.apply(&msgs[base..]) {
                Ok(sent) => {
                    let failed = sent.iter().any(std::result::Result::is_err);
                    results.extend(
                        sent.into_iter()
                            .enumerate()
                            .map(|(i, r)| r.map_err(|n| errno::op_error(ops[base + i], n))),
                    );
                    if failed {
                        return results;
                    }
                }
                Err(e) => {
                    // Which changes of this send took effect is unknown: the caller is told the
                    // first failed, and must read the table again to know (`restore` does).
                    results.push(Err(match e {
                        DumpError::Errno(n) => errno::op_error(ops[base], n),
                        DumpError::Io(e) => Error::io("netlink, applying a batch of changes", e),
                        DumpError::Decode(text) => Error::Decode(text),
                    }));
                    return results;
                }
            }
        }
        results
    }
}
