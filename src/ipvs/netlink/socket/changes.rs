//! Many changes in one `sendto`, their acknowledgements read back together with `recvmmsg`.
//!
//! What the kernel does with a batch: `netlink_rcv_skb` walks every message of the datagram in
//! order, runs each one's handler under the genetlink lock, and answers each one (NLM_F_ACK) with
//! its own NLMSG_ERROR (errno 0 for success), whether or not an earlier one failed; it never
//! stops at an error. So after a batch, every request has been tried, in order, and the acks say
//! exactly which ones took effect. A failed IPVS set command changes nothing, so the table is the
//! one the successful requests of the batch make, applied in order. The caller (see
//! `operation::plan`) follows that same sequence in memory and can undo it exactly.
//!
//! The whole batch is handled inside our `sendto`, so every ack is queued on our socket before we
//! read any: a batch is kept small enough that its acks fit in the receive buffer, or the kernel
//! would drop some (ENOBUFS) and we could no longer tell which requests were applied.

use super::{DumpError, DumpSocket, NLMSG_ERROR, NLMSG_HDRLEN};
use crate::ipvs::netlink::IpvsMessage;
use netlink_packet_core::Emitable;
use std::os::fd::AsRawFd;

/// Requests in one `sendto`, at most.
pub const MAX_PER_SEND: usize = 256;
/// Bytes of requests in one `sendto`, at most (the kernel refuses more than its send buffer).
const MAX_SEND_BYTES: usize = 64 * 1024;
/// The receive buffer asked for: room for MAX_PER_SEND acks with a wide margin.
const RECEIVE_BUFFER: usize = 4 * 1024 * 1024;
/// What one queued ack may cost in the receive buffer, an error carrying the request back
/// included (the skb's true size, not the bytes read).
const ACK_COST: usize = 4096;
/// Each ack datagram read: an error ack holds the request it answers, a few hundred bytes.
const ACK_SLOT: usize = 4096;

impl DumpSocket {
    /// How many changes `apply` sends in one `sendto` on this socket: as many as MAX_PER_SEND
    /// if the receive buffer holds their acks; fewer on a small buffer.
    pub fn changes_per_send(&mut self) -> usize {
        if self.ack_room == 0 {
            self.ack_room = self.grow_receive_buffer() / ACK_COST;
        }
        self.ack_room.clamp(1, MAX_PER_SEND)
    }

    /// Sends a prefix of `msgs`, each with NLM_F_ACK, in one `sendto` and reads one ack per
    /// request: the result of each request sent, in order (Err: the kernel's errno). Requests
    /// past the returned length were not sent. An Err of the whole call (the socket failed, or
    /// acks are missing) leaves it unknown which requests of this send took effect.
    pub fn apply(&mut self, msgs: &[IpvsMessage]) -> Result<Vec<Result<(), i32>>, DumpError> {
        if msgs.is_empty() {
            return Ok(Vec::new());
        }
        let most = self.changes_per_send();
        let flags = (libc::NLM_F_REQUEST | libc::NLM_F_ACK) as u16;
        self.request.clear();
        let first = self.seq.wrapping_add(1);
        let mut sent = 0;
        for msg in msgs.iter().take(most) {
            if sent > 0 && self.request.len() + msg.buffer_len() + 64 > MAX_SEND_BYTES {
                break;
            }
            self.seq = self.seq.wrapping_add(1);
            self.frame(msg, flags, self.seq);
            sent += 1;
        }
        self.send_request()?;
        let mut results: Vec<Option<Result<(), i32>>> = vec![None; sent];
        let mut answered = 0;
        let slots = self.buffers.len() / ACK_SLOT;
        while answered < sent {
            let lengths = self.receive_into(slots, ACK_SLOT)?;
            for (i, len) in lengths.into_iter().enumerate() {
                let datagram = &self.buffers[i * ACK_SLOT..i * ACK_SLOT + len];
                for (seq, errno) in acks(datagram)? {
                    let index = seq.wrapping_sub(first) as usize;
                    if let Some(slot @ None) = results.get_mut(index) {
                        *slot = Some(if errno == 0 { Ok(()) } else { Err(errno) });
                        answered += 1;
                    }
                }
            }
        }
        Ok(results.into_iter().flatten().collect())
    }

    /// Asks for RECEIVE_BUFFER bytes (SO_RCVBUFFORCE, allowed with CAP_NET_ADMIN, which changes
    /// need anyway; else SO_RCVBUF, capped by net.core.rmem_max); returns what the socket has.
    fn grow_receive_buffer(&self) -> usize {
        let fd = self.fd.as_raw_fd();
        let want = RECEIVE_BUFFER as libc::c_int;
        let int = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        for option in [libc::SO_RCVBUFFORCE, libc::SO_RCVBUF] {
            // SAFETY: setsockopt reads one c_int from a live local of that size.
            let set = unsafe {
                libc::setsockopt(fd, libc::SOL_SOCKET, option, (&raw const want).cast(), int)
            };
            if set == 0 {
                break;
            }
        }
        let mut have: libc::c_int = 0;
        let mut len = int;
        // SAFETY: getsockopt writes at most `len` bytes into a live c_int of that size.
        let got = unsafe {
            libc::getsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                (&raw mut have).cast(),
                &mut len,
            )
        };
        if got == 0 { have.max(0) as usize } else { 0 }
    }
}

/// The (sequence number, errno) of each ack in one datagram; other messages are skipped.
fn acks(mut data: &[u8]) -> Result<Vec<(u32, i32)>, DumpError> {
    let mut out = Vec::new();
    while data.len() >= NLMSG_HDRLEN {
        let u32_at = |at: usize| u32::from_ne_bytes(data[at..at + 4].try_into().expect("4 bytes"));
        let len = u32_at(0) as usize;
        if len < NLMSG_HDRLEN || len > data.len() {
            return Err(DumpError::Decode(format!(
                "a netlink message of {len} bytes in a datagram of {}",
                data.len()
            )));
        }
        let kind = u16::from_ne_bytes([data[4], data[5]]);
        if kind == NLMSG_ERROR && len >= NLMSG_HDRLEN + 4 {
            let errno = i32::from_ne_bytes(
                data[NLMSG_HDRLEN..NLMSG_HDRLEN + 4]
                    .try_into()
                    .expect("4 bytes"),
            );
            out.push((u32_at(8), errno.abs()));
        }
        data = &data[len.next_multiple_of(4).min(data.len())..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ack(seq: u32, errno: i32) -> Vec<u8> {
        let mut m = Vec::new();
        m.extend_from_slice(&36u32.to_ne_bytes());
        m.extend_from_slice(&NLMSG_ERROR.to_ne_bytes());
        m.extend_from_slice(&0u16.to_ne_bytes());
        m.extend_from_slice(&seq.to_ne_bytes());
        m.extend_from_slice(&0u32.to_ne_bytes());
        m.extend_from_slice(&(-errno).to_ne_bytes());
        m.resize(36, 0);
        m
    }

    #[test]
    fn acks_give_each_sequence_its_errno() {
        let mut datagram = ack(7, 0);
        datagram.extend(ack(8, libc::EEXIST));
        assert_eq!(acks(&datagram).unwrap(), [(7, 0), (8, libc::EEXIST)]);
        let mut lying = ack(9, 0);
        lying[0] = 200;
        assert!(matches!(acks(&lying), Err(DumpError::Decode(_))));
    }
}
