//! A plain blocking generic-netlink socket for the reads of a snapshot: one `sendto` and one
//! `recvmmsg` per exchange in the common case, the receive buffer reused across exchanges.
//!
//! A snapshot is one dump of the services and one dump of real servers per service: with
//! 1,000 services, a thousand exchanges a poll. Through the async socket each took five or
//! more syscalls (sends, reads until EAGAIN, epoll waits) and a trip through channels between
//! tasks; in user-mode Linux every syscall is a ptrace round trip, which made it most of the
//! console's CPU. Single changes keep going through the async socket; many at once (a rules
//! file) go here in batches (see `changes`).

use super::message::{FAMILY_VERSION, IpvsMessage};
use netlink_packet_core::{Emitable, ParseableParametrized};
use netlink_packet_generic::GenlHeader;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

mod changes;
pub use changes::MAX_PER_SEND;

const NLMSG_HDRLEN: usize = 16;
const GENL_HDRLEN: usize = 4;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
/// Datagrams read per `recvmmsg`: a small dump's data and its DONE arrive as two.
const BATCH: usize = 4;
/// Each datagram buffer; the kernel sizes dump datagrams to at most a page or so.
const DATAGRAM: usize = 32 * 1024;
/// The kernel always answers; this only bounds a wait on a wedged socket.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);

/// Why an exchange failed: the kernel's errno, or something about the socket or the bytes.
#[derive(Debug)]
pub enum DumpError {
    Errno(i32),
    Io(io::Error),
    Decode(String),
}

pub struct DumpSocket {
    fd: OwnedFd,
    family: u16,
    seq: u32,
    request: Vec<u8>,
    buffers: Vec<u8>,
    /// How many acks the receive buffer holds (see `changes`); 0 until first asked.
    ack_room: usize,
}

fn last_error() -> DumpError {
    DumpError::Io(io::Error::last_os_error())
}

impl DumpSocket {
    /// A socket for the generic-netlink family `family` (the IPVS family's id).
    pub fn open(family: u16) -> io::Result<DumpSocket> {
        // SAFETY: socket, bind and setsockopt on a descriptor we own (taken into an OwnedFd at
        // once); every pointer is to a live local whose size is the length passed; an all-zero
        // sockaddr_nl (plain integers) is a valid value, the address "any pid, no groups".
        unsafe {
            let fd = libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_GENERIC,
            );
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            let fd = OwnedFd::from_raw_fd(fd);
            let mut addr: libc::sockaddr_nl = std::mem::zeroed();
            addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
            let len = std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
            if libc::bind(fd.as_raw_fd(), (&raw const addr).cast(), len) < 0 {
                return Err(io::Error::last_os_error());
            }
            let timeout = libc::timeval {
                tv_sec: ANSWER_WITHIN.as_secs() as libc::time_t,
                tv_usec: 0,
            };
            let size = std::mem::size_of::<libc::timeval>() as libc::socklen_t;
            if libc::setsockopt(
                fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&raw const timeout).cast(),
                size,
            ) < 0
            {
                return Err(io::Error::last_os_error());
            }
            Ok(DumpSocket {
                fd,
                family,
                seq: 0,
                request: Vec::with_capacity(256),
                buffers: vec![0; BATCH * DATAGRAM],
                ack_room: 0,
            })
        }
    }

    /// Sends `msg` (a dump when `dump`, else a single read) and hands each reply to `each`.
    /// A dump is always read to its end, even after an error, or the socket's next dump would
    /// fail with EBUSY; the first error is returned.
    pub fn exchange(
        &mut self,
        msg: &IpvsMessage,
        dump: bool,
        mut each: impl FnMut(IpvsMessage) -> Result<(), DumpError>,
    ) -> Result<(), DumpError> {
        self.seq = self.seq.wrapping_add(1);
        self.send(msg, dump)?;
        let (mut failure, mut answered) = (None, false);
        loop {
            let lengths = self.receive()?;
            for (i, len) in lengths.into_iter().enumerate() {
                let datagram = &self.buffers[i * DATAGRAM..i * DATAGRAM + len];
                match walk(datagram, self.seq, &mut answered, &mut each) {
                    Walked::More(None) => {}
                    Walked::More(Some(e)) => {
                        failure.get_or_insert(e);
                    }
                    Walked::End(e) => return failure.or(e).map_or(Ok(()), Err),
                }
                if !dump && let Some(e) = failure.take() {
                    return Err(e);
                }
            }
            // A single read answers with one message and nothing after it (no ACK was asked).
            if !dump && answered {
                return failure.map_or(Ok(()), Err);
            }
        }
    }

    fn send(&mut self, msg: &IpvsMessage, dump: bool) -> Result<(), DumpError> {
        let flags = (libc::NLM_F_REQUEST | if dump { libc::NLM_F_DUMP } else { 0 }) as u16;
        self.request.clear();
        self.frame(msg, flags, self.seq);
        self.send_request()
    }

    /// Appends `msg` to the request buffer as one netlink message.
    fn frame(&mut self, msg: &IpvsMessage, flags: u16, seq: u32) {
        let payload = msg.buffer_len();
        let len = NLMSG_HDRLEN + GENL_HDRLEN + payload;
        let start = self.request.len();
        self.request.extend_from_slice(&(len as u32).to_ne_bytes());
        self.request.extend_from_slice(&self.family.to_ne_bytes());
        self.request.extend_from_slice(&flags.to_ne_bytes());
        self.request.extend_from_slice(&seq.to_ne_bytes());
        self.request.extend_from_slice(&0u32.to_ne_bytes());
        self.request
            .extend_from_slice(&[msg.cmd, FAMILY_VERSION, 0, 0]);
        self.request.resize(start + len, 0);
        msg.emit(&mut self.request[start + NLMSG_HDRLEN + GENL_HDRLEN..]);
        // The next message starts 4-byte aligned.
        self.request.resize((start + len).next_multiple_of(4), 0);
    }

    /// Sends the request buffer, one or many messages, in one `sendto`.
    fn send_request(&mut self) -> Result<(), DumpError> {
        // SAFETY: sockaddr_nl is plain integers, for which all-zero bytes are a valid value (the
        // kernel's own address: pid 0, no groups).
        let mut kernel: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        kernel.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        loop {
            // SAFETY: the request and address outlive the call; lengths are theirs.
            let sent = unsafe {
                libc::sendto(
                    self.fd.as_raw_fd(),
                    self.request.as_ptr().cast(),
                    self.request.len(),
                    0,
                    (&raw const kernel).cast(),
                    std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
                )
            };
            if sent >= 0 {
                return Ok(());
            }
            if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                return Err(last_error());
            }
        }
    }

    /// Waits for at least one datagram and takes up to BATCH that are already there; returns
    /// their lengths. Datagram i is at `i * DATAGRAM` in `buffers`.
    fn receive(&mut self) -> Result<Vec<usize>, DumpError> {
        self.receive_into(BATCH, DATAGRAM)
    }

    /// As `receive`, for up to `slots` datagrams of at most `size` bytes each (datagram i at
    /// `i * size` in `buffers`); `slots * size` must not exceed the buffers' length.
    fn receive_into(&mut self, slots: usize, size: usize) -> Result<Vec<usize>, DumpError> {
        assert!(
            slots * size <= self.buffers.len(),
            "receive buffers too small"
        );
        let base = self.buffers.as_mut_ptr();
        let mut iovecs: Vec<libc::iovec> = (0..slots)
            .map(|i| libc::iovec {
                // SAFETY: `buffers` holds at least slots * size bytes (asserted) and i < slots,
                // so the offset stays inside it; each iovec is a distinct size-byte part of it.
                iov_base: unsafe { base.add(i * size) }.cast(),
                iov_len: size,
            })
            .collect();
        let mut headers: Vec<libc::mmsghdr> = iovecs
            .iter_mut()
            .map(|iov| {
                // SAFETY: mmsghdr is integers and raw pointers, for which all-zero bytes are
                // valid (null pointers, zero lengths); it is then pointed at its own iovec,
                // alive for the call.
                let mut h: libc::mmsghdr = unsafe { std::mem::zeroed() };
                h.msg_hdr.msg_iov = iov;
                h.msg_hdr.msg_iovlen = 1;
                h
            })
            .collect();
        loop {
            // MSG_WAITFORONE: block for the first datagram only.
            // SAFETY: `headers` holds `slots` valid mmsghdr, each pointing at its own iovec over
            // a distinct size-byte part of `buffers`; all of them outlive the call, which writes
            // no further than those lengths. A null timeout is allowed.
            let n = unsafe {
                libc::recvmmsg(
                    self.fd.as_raw_fd(),
                    headers.as_mut_ptr(),
                    slots as libc::c_uint,
                    libc::MSG_WAITFORONE as _,
                    std::ptr::null_mut(),
                )
            };
            if n > 0 {
                let mut lengths = Vec::with_capacity(n as usize);
                for h in &headers[..n as usize] {
                    if h.msg_hdr.msg_flags & libc::MSG_TRUNC != 0 {
                        return Err(DumpError::Decode(format!(
                            "a netlink reply longer than {size} bytes"
                        )));
                    }
                    lengths.push(h.msg_len as usize);
                }
                return Ok(lengths);
            }
            let e = io::Error::last_os_error();
            match e.kind() {
                io::ErrorKind::Interrupted => continue,
                io::ErrorKind::WouldBlock => {
                    return Err(DumpError::Io(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!(
                            "the kernel did not answer within {} s",
                            ANSWER_WITHIN.as_secs()
                        ),
                    )));
                }
                _ => return Err(DumpError::Io(e)),
            }
        }
    }
}

enum Walked {
    /// The datagram ended; the dump goes on (with the first error found in it, if any).
    More(Option<DumpError>),
    /// DONE or an error message: the exchange is over (with the error, if any).
    End(Option<DumpError>),
}

/// Goes through the netlink messages of one datagram.
/// Sets `answered` when a message of this exchange was seen.
fn walk(
    mut data: &[u8],
    seq: u32,
    answered: &mut bool,
    each: &mut impl FnMut(IpvsMessage) -> Result<(), DumpError>,
) -> Walked {
    let mut failure = None;
    while data.len() >= NLMSG_HDRLEN {
        let u32_at =
            |d: &[u8], at: usize| u32::from_ne_bytes(d[at..at + 4].try_into().expect("4 bytes"));
        let len = u32_at(data, 0) as usize;
        if len < NLMSG_HDRLEN || len > data.len() {
            return Walked::End(Some(DumpError::Decode(format!(
                "a netlink message of {len} bytes in a datagram of {}",
                data.len()
            ))));
        }
        let kind = u16::from_ne_bytes([data[4], data[5]]);
        let message = &data[..len];
        // Messages are 4-byte aligned.
        data = &data[len.next_multiple_of(4).min(data.len())..];
        if u32_at(message, 8) != seq {
            continue; // left over from an earlier exchange
        }
        *answered = true;
        let payload = &message[NLMSG_HDRLEN..];
        match kind {
            NLMSG_DONE => {
                // A dump that failed part way says so in DONE's payload.
                let errno = payload
                    .get(..4)
                    .map_or(0, |b| i32::from_ne_bytes(b.try_into().expect("4 bytes")));
                return Walked::End(failure.or((errno < 0).then_some(DumpError::Errno(-errno))));
            }
            NLMSG_ERROR => {
                let errno = payload
                    .get(..4)
                    .map_or(0, |b| i32::from_ne_bytes(b.try_into().expect("4 bytes")));
                return Walked::End(
                    failure.or((errno != 0).then_some(DumpError::Errno(errno.abs()))),
                );
            }
            _ if payload.len() >= GENL_HDRLEN => {
                let header = GenlHeader {
                    cmd: payload[0],
                    version: payload[1],
                };
                let parsed = IpvsMessage::parse_with_param(&payload[GENL_HDRLEN..], header)
                    .map_err(|e| DumpError::Decode(e.to_string()));
                if let Err(e) = parsed.and_then(&mut *each) {
                    failure.get_or_insert(e);
                }
            }
            _ => {
                failure.get_or_insert(DumpError::Decode(format!(
                    "a netlink message of type {kind} too short for a generic-netlink header"
                )));
            }
        }
    }
    Walked::More(failure)
}

#[cfg(test)]
mod tests;
