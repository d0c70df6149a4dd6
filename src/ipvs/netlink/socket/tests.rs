//! The walk through a dump's datagrams: replies, stale ones, DONE and errors.

use super::*;

fn message(kind: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
    let len = NLMSG_HDRLEN + payload.len();
    let mut m = Vec::new();
    m.extend_from_slice(&(len as u32).to_ne_bytes());
    m.extend_from_slice(&kind.to_ne_bytes());
    m.extend_from_slice(&0u16.to_ne_bytes());
    m.extend_from_slice(&seq.to_ne_bytes());
    m.extend_from_slice(&0u32.to_ne_bytes());
    m.extend_from_slice(payload);
    m.resize(len.next_multiple_of(4), 0);
    m
}

#[test]
fn replies_then_done_stale_ones_skipped() {
    let mut datagram = message(0x20, 6, &[1, 1, 0, 0]);
    datagram.extend(message(0x20, 7, &[1, 1, 0, 0]));
    datagram.extend(message(0x20, 7, &[5, 1, 0, 0]));
    let mut seen = Vec::new();
    assert!(matches!(
        walk(&datagram, 7, &mut false, &mut |m: IpvsMessage| {
            seen.push(m.cmd);
            Ok(())
        }),
        Walked::More(None)
    ));
    assert_eq!(seen, [1, 5], "the message of seq 6 is not ours");
    let done = message(NLMSG_DONE, 7, &0i32.to_ne_bytes());
    assert!(matches!(
        walk(&done, 7, &mut false, &mut |_| Ok(())),
        Walked::End(None)
    ));
}

#[test]
fn errors_end_the_exchange_with_their_errno() {
    let error = message(NLMSG_ERROR, 3, &(-libc::ESRCH).to_ne_bytes());
    assert!(matches!(
        walk(&error, 3, &mut false, &mut |_| Ok(())),
        Walked::End(Some(DumpError::Errno(libc::ESRCH)))
    ));
    let failed_dump = message(NLMSG_DONE, 3, &(-libc::EMSGSIZE).to_ne_bytes());
    assert!(matches!(
        walk(&failed_dump, 3, &mut false, &mut |_| Ok(())),
        Walked::End(Some(DumpError::Errno(libc::EMSGSIZE)))
    ));
    let mut bad = message(0x20, 3, &[]);
    bad.truncate(NLMSG_HDRLEN);
    assert!(matches!(
        walk(&bad, 3, &mut false, &mut |_| Ok(())),
        Walked::More(Some(DumpError::Decode(_)))
    ));
    let mut lying = message(0x20, 3, &[1, 1, 0, 0]);
    lying[0] = 200;
    assert!(matches!(
        walk(&lying, 3, &mut false, &mut |_| Ok(())),
        Walked::End(Some(DumpError::Decode(_)))
    ));
}
