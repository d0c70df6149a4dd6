//! Kernel errno -> an error that says which object and what went wrong, per operation.
//!
//! Modelled on libipvs's ipvs_strerror, but naming the service or real server, and saying what
//! the kernel most likely disliked when all it gives back is EINVAL.

use crate::ipvs::error::Error;
use crate::ipvs::model::{AddrPort, DestKey, Family, ServiceConfig, ServiceKey};
use crate::ipvs::op::IpvsOp;
use libc::{
    EAFNOSUPPORT, EBUSY, EEXIST, EINVAL, ENODEV, ENOENT, ENOMEM, ENOPROTOOPT, EOPNOTSUPP, EPERM,
    ERANGE, ESRCH,
};
use std::net::IpAddr;

pub use crate::ipvs::label::service_name;

fn dest_name(addr: &IpAddr, port: u16) -> String {
    AddrPort(*addr, port).to_string()
}

fn kernel(errno: i32, message: String) -> Error {
    Error::Kernel { errno, message }
}

/// The plain system text, for codes we have nothing better to say about.
fn os_text(errno: i32) -> String {
    std::io::Error::from_raw_os_error(errno).to_string()
}

/// Errors every command can meet, whatever it is.
fn common(errno: i32, doing: &str) -> Option<Error> {
    Some(match errno {
        EPERM => Error::Permission,
        EAFNOSUPPORT => kernel(
            errno,
            format!(
                "{doing}: this kernel's IPVS has no IPv6 support (CONFIG_IP_VS_IPV6, or IPv6 is disabled)"
            ),
        ),
        EOPNOTSUPP => kernel(
            errno,
            format!("{doing}: this kernel's IPVS does not support the request"),
        ),
        ENOPROTOOPT => kernel(
            errno,
            format!("{doing}: the ip_vs module is being unloaded"),
        ),
        ENOMEM => kernel(errno, format!("{doing}: the kernel is out of memory")),
        EBUSY => kernel(
            errno,
            format!("{doing}: the netlink socket is busy with another listing"),
        ),
        _ => return None,
    })
}

fn scheduler_missing(s: &ServiceConfig) -> String {
    let sched = &s.scheduler;
    match &s.pe {
        Some(pe) => format!(
            "scheduler `{sched}` or persistence engine `{pe}` not found (are the ip_vs_{sched} and ip_vs_pe_{pe} modules available?)"
        ),
        None => format!(
            "scheduler `{sched}` or persistence engine not found (is the ip_vs_{sched} module available?)"
        ),
    }
}

fn service_invalid(s: &ServiceConfig) -> String {
    let name = service_name(&s.key);
    match s.key.family() {
        Family::Inet6 => format!(
            "the kernel refused service {name} as invalid (an IPv6 service needs a prefix length from 1 to 128)"
        ),
        Family::Inet => format!(
            "the kernel refused service {name} as invalid (check the address, netmask and options)"
        ),
    }
}

const RANGE: &str = "weight or thresholds out of range (weight 0 to 2147483647, thresholds up to 2147483647, lower threshold not above the upper one)";

fn dest_invalid(service: &ServiceKey, addr: &IpAddr, port: u16) -> String {
    format!(
        "the kernel refused real server {} for service {}: the address must be unicast (not 0.0.0.0, broadcast, \
         multicast or a foreign IPv6 link-local), a GUE tunnel needs a port, mixing IPv4 and IPv6 needs tunnel \
         forwarding and no running sync daemon, and thresholds must not exceed 2147483647",
        dest_name(addr, port),
        service_name(service)
    )
}

/// The error for `op` failing with `errno` (positive).
pub fn op_error(op: &IpvsOp, errno: i32) -> Error {
    let doing = op.to_command();
    if let Some(e) = common(errno, &doing) {
        return e;
    }
    let no_service = |k: &ServiceKey| format!("no such service {}", service_name(k));
    let message = match (op, errno) {
        (IpvsOp::AddService(s), EEXIST) => format!("service {} already exists", service_name(&s.key)),
        (IpvsOp::AddService(s) | IpvsOp::EditService(s), ENOENT) => scheduler_missing(s),
        (IpvsOp::AddService(s) | IpvsOp::EditService(s), EINVAL) => service_invalid(s),
        (IpvsOp::EditService(s), ESRCH) => no_service(&s.key),
        (IpvsOp::DeleteService(k) | IpvsOp::Zero(Some(k)), ESRCH) => no_service(k),
        (IpvsOp::AddDest { service, .. } | IpvsOp::EditDest { service, .. } | IpvsOp::DeleteDest { service, .. }, ESRCH) => {
            no_service(service)
        }
        (IpvsOp::AddDest { service, dest }, EEXIST) => format!(
            "real server {} already exists in service {}",
            dest_name(&dest.addr, dest.port),
            service_name(service)
        ),
        (IpvsOp::EditDest { service, dest }, ENOENT) => format!(
            "no such real server {} in service {}",
            dest_name(&dest.addr, dest.port),
            service_name(service)
        ),
        (IpvsOp::DeleteDest { service, dest: DestKey { addr, port } }, ENOENT) => {
            format!("no such real server {} in service {}", dest_name(addr, *port), service_name(service))
        }
        (IpvsOp::AddDest { .. } | IpvsOp::EditDest { .. }, ERANGE) => RANGE.to_string(),
        (IpvsOp::AddDest { service, dest } | IpvsOp::EditDest { service, dest }, EINVAL) => {
            dest_invalid(service, &dest.addr, dest.port)
        }
        (IpvsOp::SetTimeouts(_), EINVAL) => {
            "the kernel refused the timeouts (each must be at most 2147483 seconds at HZ=1000; 0 leaves one unchanged)".to_string()
        }
        (IpvsOp::StartDaemon(d), EEXIST) => format!("a {} sync daemon is already running", d.state.name()),
        (IpvsOp::StartDaemon(d), ENODEV) => format!("no such interface `{}` for the sync daemon", d.mcast_ifn),
        (IpvsOp::StartDaemon(d), EINVAL) => format!(
            "the kernel refused the {} sync daemon: the group must be a multicast address of the interface's family, \
             and no service may have real servers of the other address family",
            d.state.name()
        ),
        (IpvsOp::StopDaemon(state), ESRCH) => format!("no {} sync daemon is running", state.name()),
        (_, EINVAL) => format!("{doing}: the kernel refused the request as invalid (possibly a wrong ip_vs module version)"),
        _ => format!("{doing}: {}", os_text(errno)),
    };
    kernel(errno, message)
}

/// The error for a failed read (GET_INFO, GET_SERVICE, GET_DEST, GET_CONFIG, GET_DAEMON).
/// `service` names the service a GET_SERVICE doit asked for.
pub fn read_error(what: &str, service: Option<&ServiceKey>, errno: i32) -> Error {
    let doing = format!("reading {what}");
    if let Some(e) = common(errno, &doing) {
        return e;
    }
    match (service, errno) {
        (Some(k), ESRCH) => kernel(errno, format!("no such service {}", service_name(k))),
        // Reads never return ENOENT from IPVS itself; genetlink does, for a family that is gone.
        (_, ENOENT) => Error::Unavailable(format!(
            "{doing}: the IPVS interface is gone (was the ip_vs module unloaded?)"
        )),
        _ => kernel(errno, format!("{doing}: {}", os_text(errno))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::model::*;

    fn tcp80() -> ServiceKey {
        ServiceKey::Addr {
            protocol: Protocol::Tcp,
            addr: "192.0.2.1".parse().unwrap(),
            port: 80,
        }
    }

    fn msg(e: Error) -> String {
        e.to_string()
    }

    #[test]
    fn service_errors_name_the_service() {
        let add = IpvsOp::AddService(ServiceConfig::new(tcp80()));
        assert_eq!(
            msg(op_error(&add, EEXIST)),
            "service TCP 192.0.2.1:80 already exists"
        );
        assert_eq!(
            msg(op_error(&IpvsOp::DeleteService(tcp80()), ESRCH)),
            "no such service TCP 192.0.2.1:80"
        );
        let mut foo = ServiceConfig::new(tcp80());
        foo.scheduler = "foo".into();
        assert_eq!(
            msg(op_error(&IpvsOp::EditService(foo), ENOENT)),
            "scheduler `foo` or persistence engine not found (is the ip_vs_foo module available?)"
        );
        let v6 = ServiceKey::Fwmark {
            mark: 7,
            family: Family::Inet6,
        };
        assert_eq!(
            msg(op_error(&IpvsOp::Zero(Some(v6)), ESRCH)),
            "no such service fwmark 7 (IPv6)"
        );
    }

    #[test]
    fn dest_errors_name_server_and_service() {
        let dest = DestConfig::new("2001:db8::2".parse().unwrap(), 8080);
        let add = IpvsOp::AddDest {
            service: tcp80(),
            dest,
        };
        assert_eq!(
            msg(op_error(&add, EEXIST)),
            "real server [2001:db8::2]:8080 already exists in service TCP 192.0.2.1:80"
        );
        assert_eq!(
            msg(op_error(&add, ESRCH)),
            "no such service TCP 192.0.2.1:80"
        );
        assert!(msg(op_error(&add, ERANGE)).starts_with("weight or thresholds out of range"));
        let del = IpvsOp::DeleteDest {
            service: tcp80(),
            dest: DestKey::new(dest.addr, 8080),
        };
        assert_eq!(
            msg(op_error(&del, ENOENT)),
            "no such real server [2001:db8::2]:8080 in service TCP 192.0.2.1:80"
        );
    }

    #[test]
    fn daemon_errors_and_common_codes() {
        let d = SyncDaemon {
            state: SyncState::Master,
            mcast_ifn: "eth9".into(),
            sync_id: 1,
            sync_maxlen: 0,
            mcast_group: None,
            mcast_port: 0,
            mcast_ttl: 0,
        };
        assert_eq!(
            msg(op_error(&IpvsOp::StartDaemon(d.clone()), EEXIST)),
            "a master sync daemon is already running"
        );
        assert_eq!(
            msg(op_error(&IpvsOp::StartDaemon(d), ENODEV)),
            "no such interface `eth9` for the sync daemon"
        );
        assert_eq!(
            msg(op_error(&IpvsOp::StopDaemon(SyncState::Master), ESRCH)),
            "no master sync daemon is running"
        );
        assert_eq!(op_error(&IpvsOp::Flush, EPERM), Error::Permission);
        assert_eq!(read_error("services", None, EPERM), Error::Permission);
        assert_eq!(
            msg(read_error("service", Some(&tcp80()), ESRCH)),
            "no such service TCP 192.0.2.1:80"
        );
        assert!(matches!(
            read_error("services", None, ENOENT),
            Error::Unavailable(_)
        ));
        let other = op_error(&IpvsOp::Flush, libc::EIO);
        assert!(matches!(
            other,
            Error::Kernel {
                errno: libc::EIO,
                ..
            }
        ));
        assert!(msg(other).starts_with("ipvsadm -C: "));
    }
}
