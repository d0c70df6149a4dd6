//! The snapshot read on a blocking DumpSocket (run off the async runtime): info, services, the
//! real servers of each service, timeouts and daemons, as the async path reads them; and
//! `KernelBackend::poll`, which reads on it.

use super::poll::Reader;
use super::{KernelBackend, POLL_IN_PLACE_BELOW, READ_IN_PLACE_BELOW};
use crate::ipvs::error::{Error, Result};
use crate::ipvs::model::{Dest, Service, ServiceKey, Snapshot, Watched};
use crate::ipvs::netlink::socket::{DumpError, DumpSocket};
use crate::ipvs::netlink::{IpvsAttr, IpvsMessage, cmd, decode, encode, errno};
use genetlink::GenetlinkHandle;

/// Why the blocking read did not give a snapshot.
pub enum Failed {
    /// ENOENT: the family is gone (ip_vs unloaded, maybe loaded again under another id). The
    /// async path resolves it again.
    FamilyGone,
    Error(Error),
}

impl From<Error> for Failed {
    fn from(e: Error) -> Failed {
        Failed::Error(e)
    }
}

/// One read, errors worded for `what` as the async path words them.
fn read(
    sock: &mut DumpSocket,
    msg: &IpvsMessage,
    dump: bool,
    what: &dyn Fn() -> String,
    mut each: impl FnMut(IpvsMessage) -> Result<()>,
) -> std::result::Result<(), Failed> {
    let mut decoded = None;
    let result = sock.exchange(msg, dump, |m| {
        each(m).map_err(|e| {
            decoded.get_or_insert(e);
            DumpError::Decode(String::new())
        })
    });
    match result {
        Ok(()) => Ok(()),
        Err(DumpError::Errno(libc::ENOENT)) => Err(Failed::FamilyGone),
        Err(DumpError::Errno(n)) => Err(errno::read_error(&what(), None, n).into()),
        Err(DumpError::Decode(text)) => Err(decoded.unwrap_or(Error::Decode(text)).into()),
        Err(DumpError::Io(e)) => Err(Error::io(format!("netlink, reading {}", what()), e).into()),
    }
}

/// The single reply of a read.
fn one(
    sock: &mut DumpSocket,
    command: u8,
    what: &'static str,
) -> std::result::Result<IpvsMessage, Failed> {
    let mut reply = None;
    read(
        sock,
        &IpvsMessage::new(command, vec![]),
        false,
        &|| what.to_string(),
        |m| {
            reply.get_or_insert(m);
            Ok(())
        },
    )?;
    reply.ok_or_else(|| {
        Error::Decode(format!("the kernel sent no reply when reading {what}")).into()
    })
}

/// Info, services with every real server, timeouts and daemons.
pub fn snapshot(sock: &mut DumpSocket) -> std::result::Result<Snapshot, Failed> {
    snapshot_with(sock, 0, |sock, services| {
        for service in services {
            service.dests = dests(sock, &service.config.key)?.into();
        }
        Ok(())
    })
}

/// Info, services, then `fill` gives the services their real servers, then timeouts and daemons.
/// `expected`: how many services to make room for at once (the last poll's count).
pub fn snapshot_with(
    sock: &mut DumpSocket,
    expected: usize,
    fill: impl FnOnce(&mut DumpSocket, &mut [Service]) -> std::result::Result<(), Failed>,
) -> std::result::Result<Snapshot, Failed> {
    let info = decode::info_message(&one(sock, cmd::GET_INFO, "the IPVS info")?)?;
    let mut services: Vec<Service> = Vec::with_capacity(expected);
    read(
        sock,
        &IpvsMessage::new(cmd::GET_SERVICE, vec![]),
        true,
        &|| "the services".into(),
        |m| {
            services.push(decode::service_message(&m)?);
            Ok(())
        },
    )?;
    fill(sock, &mut services)?;
    let timeouts = decode::timeouts_message(&one(sock, cmd::GET_CONFIG, "the timeouts")?);
    let mut daemons = Vec::new();
    read(
        sock,
        &IpvsMessage::new(cmd::GET_DAEMON, vec![]),
        true,
        &|| "the sync daemons".into(),
        |m| {
            daemons.push(decode::daemon_message(&m)?);
            Ok(())
        },
    )?;
    Ok(Snapshot {
        info,
        services,
        timeouts,
        daemons,
        unread: 0,
        unlisted: 0,
    })
}

/// The real servers of one service, in the kernel's order (none for a service that is gone).
pub fn dests(sock: &mut DumpSocket, key: &ServiceKey) -> std::result::Result<Vec<Dest>, Failed> {
    let msg = IpvsMessage::new(
        cmd::GET_DEST,
        vec![IpvsAttr::Service(encode::service_key(key)?)],
    );
    let what = || format!("the real servers of {}", errno::service_name(key));
    let mut dests = Vec::new();
    read(sock, &msg, true, &what, |m| {
        dests.push(decode::dest_message(&m, key.family())?);
        Ok(())
    })?;
    Ok(dests)
}

impl KernelBackend {
    /// The snapshot for a console that polls: equal to `snapshot`, but the real servers of a
    /// service whose traffic and /proc/net/ip_vs lines did not move are taken over from the last
    /// polls (see `poll`). `watched`: the services whose real servers are read every poll.
    pub async fn poll(&self, watched: Watched) -> Result<Snapshot> {
        let h = self.handle.lock().await;
        if let Some(result) = self.blocking_snapshot(&h, Some(watched)).await {
            return result;
        }
        drop(h);
        self.snapshot().await
    }

    /// The snapshot on the blocking socket: full, or a poll with its watched services. None: the family is
    /// gone or the socket cannot be opened; the async path then reads it (and resolves the family
    /// again).
    pub(super) async fn blocking_snapshot(
        &self,
        h: &GenetlinkHandle,
        poll: Option<Watched>,
    ) -> Option<Result<Snapshot>> {
        let taken = self.dumps.lock().ok()?.take();
        let mut reader = match taken {
            Some(r) => r,
            None => Reader::new(
                DumpSocket::open(h.resolve_family::<IpvsMessage>().await.ok()?.id).ok()?,
            ),
        };
        let services = self.last_services.get();
        let in_place = if poll.is_some() && reader.known() >= services {
            services < POLL_IN_PLACE_BELOW
        } else {
            services < READ_IN_PLACE_BELOW
        };
        let read = move || {
            let result = match &poll {
                Some(watched) => reader.poll(watched),
                None => reader.snapshot(),
            };
            (reader, result)
        };
        // A small read is done in place (a one-shot command starts no thread for it); a large
        // one on the blocking pool, so the console keeps answering keys while it is read.
        let (reader, result) = if in_place {
            read()
        } else {
            tokio::task::spawn_blocking(read).await.ok()?
        };
        if let Ok(snapshot) = &result {
            self.last_services.set(snapshot.services.len());
        }
        match result {
            Ok(snapshot) => {
                *self.dumps.lock().ok()? = Some(reader);
                Some(Ok(snapshot))
            }
            // Opened again, for the new family id, next time.
            Err(Failed::FamilyGone) => None,
            Err(Failed::Error(e)) => {
                *self.dumps.lock().ok()? = Some(reader);
                Some(Err(e))
            }
        }
    }
}
