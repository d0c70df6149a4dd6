//! KernelBackend: IPVS over the kernel's "IPVS" generic-netlink family (genetlink + tokio).

use super::error::{Error, Result};
use super::model::{Service, ServiceKey, Snapshot, SyncDaemon, SyncState};
use super::netlink::{IpvsAttr, IpvsMessage, cmd, decode, encode, errno};
use super::op::IpvsOp;
use futures::StreamExt;
use genetlink::{GenetlinkError, GenetlinkHandle};
use netlink_packet_core::{NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, NetlinkMessage, NetlinkPayload};
use netlink_packet_generic::GenlMessage;
use tokio::sync::Mutex;

/// After IPVS was found missing, how long before trying again (each try runs modprobe).
pub const RECONNECT_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

mod batch;
mod dump;
mod poll;

/// How long a real server's thresholds, persistent connections and tunnel settings may be older
/// than the rest in `KernelBackend::poll` (/proc/net/ip_vs does not show them).
pub use poll::REFRESH as POLL_REFRESH;
use poll::Reader;

/// IPVS in the network namespace this process runs in. Needs CAP_NET_ADMIN, even to read.
pub struct KernelBackend {
    /// One socket for everything. The lock keeps requests strictly one at a time: the kernel runs
    /// one dump per socket (a second gets EBUSY), and a snapshot's dumps should not interleave
    /// with a change. The console's poller and executor call at once and rely on this.
    handle: Mutex<GenetlinkHandle>,
    /// The blocking socket snapshots are read on (see `netlink::socket`) with what the console's
    /// polls learned (see `poll`), opened on first use and again after the family was found gone.
    /// Taken out while a read runs.
    dumps: std::sync::Mutex<Option<Reader>>,
    /// Services in the last snapshot: how long the next read may take.
    last_services: std::cell::Cell<usize>,
}

/// Below this many services a snapshot (a real-server dump each) takes a few hundred syscalls:
/// read without a thread.
const READ_IN_PLACE_BELOW: usize = 200;
/// A console's poll of a table it knows reads /proc/net/ip_vs (a page per 25 or so services)
/// and a few dumps: without a thread below this many services too. Handing it to the blocking
/// pool and back costs two thread switches and a dozen system calls a poll.
const POLL_IN_PLACE_BELOW: usize = 2000;

/// How an exchange failed, before we know which operation to word the error for.
enum Failure {
    Errno(i32),
    Other(Error),
}

impl From<GenetlinkError> for Failure {
    fn from(e: GenetlinkError) -> Failure {
        match e {
            GenetlinkError::NetlinkError(io) => match io.raw_os_error() {
                Some(n) => Failure::Errno(n.abs()),
                None => Failure::Other(Error::io("", io)),
            },
            GenetlinkError::DecodeError(d) => Failure::Other(Error::Decode(d.to_string())),
            // The socket task ended (it panicked or its socket failed): say so, not just "failed".
            GenetlinkError::ProtocolError(p) => Failure::Other(Error::io("netlink", p)),
            other => Failure::Other(Error::io("netlink", other)),
        }
    }
}

/// Sends one request and drains every reply. Draining to the end even after an error matters:
/// a dump left half-read would make the next dump on this socket fail with EBUSY.
async fn exchange(
    h: &mut GenetlinkHandle,
    msg: IpvsMessage,
    flags: u16,
) -> std::result::Result<Vec<IpvsMessage>, Failure> {
    let mut request = NetlinkMessage::from(GenlMessage::from_payload(msg));
    request.header.flags = flags;
    let mut replies = h.request(request).await?;
    let (mut out, mut failure) = (Vec::new(), None);
    while let Some(item) = replies.next().await {
        match item {
            Ok(reply) => match reply.payload {
                NetlinkPayload::InnerMessage(genl) => out.push(genl.payload),
                NetlinkPayload::Error(e) => {
                    if let Some(code) = e.code {
                        failure.get_or_insert(Failure::Errno(code.get().abs()));
                    }
                }
                _ => {}
            },
            Err(e) => {
                failure.get_or_insert(Failure::Other(Error::Decode(e.to_string())));
            }
        }
    }
    failure.map_or(Ok(out), Err)
}

/// A read: a doit (`dump` false) or a dump, errors worded for `what`.
async fn read(
    h: &mut GenetlinkHandle,
    msg: IpvsMessage,
    dump: bool,
    what: &str,
    service: Option<&ServiceKey>,
) -> Result<Vec<IpvsMessage>> {
    let flags = if dump {
        NLM_F_REQUEST | NLM_F_DUMP
    } else {
        NLM_F_REQUEST
    };
    let mut result = exchange(h, msg.clone(), flags).await;
    // IPVS reads never answer ENOENT; genetlink does, for a family id that is gone (ip_vs was
    // unloaded, maybe loaded again under a new id). Reads are harmless to repeat: resolve afresh.
    if let Err(Failure::Errno(libc::ENOENT)) = result {
        h.clear_family_cache().await;
        result = exchange(h, msg, flags).await;
    }
    result.map_err(|f| match f {
        Failure::Errno(n) => errno::read_error(what, service, n),
        Failure::Other(e) => e,
    })
}

/// The single reply of a doit.
fn one(replies: Vec<IpvsMessage>, what: &str) -> Result<IpvsMessage> {
    replies
        .into_iter()
        .next()
        .ok_or_else(|| Error::Decode(format!("the kernel sent no reply when reading {what}")))
}

async fn info(h: &mut GenetlinkHandle) -> Result<crate::ipvs::model::Info> {
    let info = read(
        h,
        IpvsMessage::new(cmd::GET_INFO, vec![]),
        false,
        "the IPVS info",
        None,
    )
    .await?;
    decode::info_message(&one(info, "the IPVS info")?)
}

async fn services(h: &mut GenetlinkHandle) -> Result<Vec<Service>> {
    let replies = read(
        h,
        IpvsMessage::new(cmd::GET_SERVICE, vec![]),
        true,
        "the services",
        None,
    )
    .await?;
    replies.iter().map(decode::service_message).collect()
}

/// The real servers of one service, in the kernel's order. An unknown service gives an empty
/// dump, not an error, so callers that need to know check the service first.
async fn fill_dests(h: &mut GenetlinkHandle, service: &mut Service) -> Result<()> {
    let key = service.config.key;
    let msg = IpvsMessage::new(
        cmd::GET_DEST,
        vec![IpvsAttr::Service(encode::service_key(&key)?)],
    );
    let what = format!("the real servers of {}", errno::service_name(&key));
    let replies = read(h, msg, true, &what, None).await?;
    service.dests = replies
        .iter()
        .map(|m| decode::dest_message(m, key.family()))
        .collect::<Result<_>>()?;
    Ok(())
}

async fn daemons(h: &mut GenetlinkHandle) -> Result<Vec<SyncDaemon>> {
    let replies = read(
        h,
        IpvsMessage::new(cmd::GET_DAEMON, vec![]),
        true,
        "the sync daemons",
        None,
    )
    .await?;
    replies.iter().map(decode::daemon_message).collect()
}

/// Runs `modprobe -- ip_vs` once, as ipvsadm does; says what happened if it did not work.
async fn load_module() -> std::result::Result<(), String> {
    let run = || {
        let mut last = String::from("modprobe not found");
        for prog in ["modprobe", "/sbin/modprobe", "/usr/sbin/modprobe"] {
            match std::process::Command::new(prog)
                .args(["--", "ip_vs"])
                .stdin(std::process::Stdio::null())
                .output()
            {
                Ok(out) if out.status.success() => return Ok(()),
                Ok(out) => return Err(String::from_utf8_lossy(&out.stderr).trim().to_string()),
                Err(e) => last = format!("{prog}: {e}"),
            }
        }
        Err(last)
    };
    // A blocking child wait, kept off the (possibly single-threaded) runtime.
    tokio::task::spawn_blocking(run)
        .await
        .unwrap_or_else(|e| Err(e.to_string()))
}

impl KernelBackend {
    /// Opens a netlink socket and finds the IPVS family, loading the ip_vs module if needed.
    /// Must be called inside a tokio runtime (current-thread is fine): it spawns the socket task.
    pub async fn connect() -> Result<KernelBackend> {
        let (conn, handle, _unsolicited) = genetlink::new_connection()
            .map_err(|e| Error::io("cannot open a generic netlink socket", e))?;
        tokio::spawn(conn);
        let resolve = || async {
            handle
                .resolve_family::<IpvsMessage>()
                .await
                .map(|_| ())
                .map_err(Failure::from)
        };
        let unresolved = |f: Failure| match f {
            Failure::Errno(libc::EPERM) => Error::Permission,
            Failure::Errno(n) => Error::io(
                "looking up the IPVS netlink family",
                std::io::Error::from_raw_os_error(n),
            ),
            Failure::Other(e) => e,
        };
        match resolve().await {
            Ok(()) => {}
            Err(Failure::Errno(libc::ENOENT)) => {
                let loaded = load_module().await;
                match resolve().await {
                    Ok(()) => {}
                    Err(Failure::Errno(libc::ENOENT)) => {
                        let why = match loaded {
                            Ok(()) => "modprobe -- ip_vs succeeded but the IPVS family still does not exist".to_string(),
                            Err(e) if e.is_empty() => "modprobe -- ip_vs failed".to_string(),
                            Err(e) => format!("modprobe -- ip_vs failed: {e}"),
                        };
                        return Err(Error::Unavailable(format!(
                            "this kernel has no IPVS and the ip_vs module could not be loaded ({why}). \
                             Load it as root with `modprobe ip_vs`, use a kernel built with CONFIG_IP_VS, \
                             or, in a container, load the module on the host"
                        )));
                    }
                    Err(f) => return Err(unresolved(f)),
                }
            }
            Err(f) => return Err(unresolved(f)),
        }
        Ok(KernelBackend {
            handle: Mutex::new(handle),
            dumps: std::sync::Mutex::new(None),
            last_services: std::cell::Cell::new(0),
        })
    }

    /// One service with its real servers (`list -t VIP:PORT`); "no such service" if absent.
    pub async fn get_service(&self, key: &ServiceKey) -> Result<Service> {
        let mut h = self.handle.lock().await;
        let msg = IpvsMessage::new(
            cmd::GET_SERVICE,
            vec![IpvsAttr::Service(encode::service_key(key)?)],
        );
        let what = format!("service {}", errno::service_name(key));
        let mut service = decode::service_message(&one(
            read(&mut h, msg, false, &what, Some(key)).await?,
            &what,
        )?)?;
        fill_dests(&mut h, &mut service).await?;
        Ok(service)
    }
}

impl KernelBackend {
    /// The IPVS version and connection table size: one request, what the console's start-up
    /// asks to learn whether it may read IPVS at all (netlink refuses every IPVS command alike
    /// without CAP_NET_ADMIN), without reading a large table before its first screen.
    pub async fn info(&self) -> Result<crate::ipvs::model::Info> {
        let mut h = self.handle.lock().await;
        info(&mut h).await
    }

    /// Info, services with their real servers, timeouts and daemons, each in the kernel's order.
    pub async fn snapshot(&self) -> Result<Snapshot> {
        let mut h = self.handle.lock().await;
        if let Some(result) = self.blocking_snapshot(&h, None).await {
            return result;
        }
        let info = info(&mut h).await?;
        let mut services = services(&mut h).await?;
        for service in &mut services {
            fill_dests(&mut h, service).await?;
        }
        let config = read(
            &mut h,
            IpvsMessage::new(cmd::GET_CONFIG, vec![]),
            false,
            "the timeouts",
            None,
        )
        .await?;
        let timeouts = decode::timeouts_message(&one(config, "the timeouts")?);
        let daemons = daemons(&mut h).await?;
        Ok(Snapshot {
            info,
            services,
            timeouts,
            daemons,
            unread: 0,
            unlisted: 0,
        })
    }

    /// Applies one change. On error nothing of this change is left applied.
    pub async fn apply(&self, op: &IpvsOp) -> Result<()> {
        crate::ipvs::parse::validate(op).map_err(|e| Error::Refused(e.to_string()))?;
        let mut h = self.handle.lock().await;
        let msg = match op {
            IpvsOp::StopDaemon(state) => stop_daemon_message(&mut h, *state).await?,
            _ => encode::request(op)?,
        };
        // NLM_F_ACK on every change: a successful set command answers nothing otherwise, and the
        // reply stream would never end.
        // What the next poll may take over from the last ones no longer holds for what changed
        // (thresholds, say, which /proc does not show): it reads everything again.
        if let Ok(mut reader) = self.dumps.lock()
            && let Some(reader) = reader.as_mut()
        {
            reader.forget();
        }
        exchange(&mut h, msg, NLM_F_REQUEST | NLM_F_ACK)
            .await
            .map(drop)
            .map_err(|f| match f {
                Failure::Errno(n) => errno::op_error(op, n),
                Failure::Other(e) => e,
            })
    }
}

/// DEL_DAEMON naming the running daemon's interface and sync id, as libipvs does.
async fn stop_daemon_message(h: &mut GenetlinkHandle, state: SyncState) -> Result<IpvsMessage> {
    let running = daemons(h).await?.into_iter().find(|d| d.state == state);
    let attrs = encode::daemon_stop(state, running.as_ref());
    Ok(IpvsMessage::new(
        cmd::DEL_DAEMON,
        vec![IpvsAttr::Daemon(attrs)],
    ))
}
