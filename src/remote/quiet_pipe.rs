//! Writing to an agent's standard input without SIGPIPE. The command line keeps SIGPIPE's
//! default (so that `ipvs-tui list | head` ends quietly), which would kill it when it writes to
//! an ssh that has died; around each write to the agent the signal is blocked, and one raised
//! by that write is taken off the thread before it is unblocked: the write fails with EPIPE.

use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::AsyncWrite;

pub struct QuietPipe<W>(pub W);

/// Runs `f` with SIGPIPE blocked on this thread, discarding a SIGPIPE it raised.
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    let mut pipe = SigSet::empty();
    pipe.add(Signal::SIGPIPE);
    let mut old = SigSet::empty();
    if pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&pipe), Some(&mut old)).is_err() {
        return f();
    }
    let result = f();
    // Blocked already before: whatever is pending was not ours to take.
    if !old.contains(Signal::SIGPIPE) {
        let zero = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: sigtimedwait reads a valid signal set and a valid timespec, both on the
        // stack for the call's duration; a null info pointer is allowed. With a zero timeout
        // it returns at once (EAGAIN when no SIGPIPE is pending).
        unsafe {
            libc::sigtimedwait(pipe.as_ref(), std::ptr::null_mut(), &zero);
        }
    }
    let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
    result
}

impl<W: AsyncWrite + Unpin> AsyncWrite for QuietPipe<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        quietly(|| Pin::new(&mut self.0).poll_write(cx, buf))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        quietly(|| Pin::new(&mut self.0).poll_flush(cx))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        quietly(|| Pin::new(&mut self.0).poll_shutdown(cx))
    }
}
