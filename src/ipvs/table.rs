//! Applying an IpvsOp to an in-memory table with the kernel's semantics and errno codes.
//!
//! The simulator is built on this, and multi-step plans (restore, the wizard) use it to know the
//! state before each step, so they can compute every inverse without re-reading the kernel.

use super::model::*;
use super::op::IpvsOp;

pub const EEXIST: i32 = 17;
pub const ESRCH: i32 = 3;
pub const ENOENT: i32 = 2;

/// Apply `op` to `table` as the kernel would; on error the table is unchanged and the errno is
/// the one the kernel returns for the same request.
pub fn apply(table: &mut Snapshot, op: &IpvsOp) -> Result<(), i32> {
    match op {
        IpvsOp::AddService(config) => {
            if position(table, &config.key).is_some() {
                return Err(EEXIST);
            }
            table.services.push(Service {
                config: config.clone(),
                stats: Stats::default(),
                dests: Default::default(),
            });
        }
        IpvsOp::EditService(config) => {
            let i = position(table, &config.key).ok_or(ESRCH)?;
            table.services[i].config = config.clone();
        }
        IpvsOp::DeleteService(key) => {
            let i = position(table, key).ok_or(ESRCH)?;
            table.services.remove(i);
        }
        IpvsOp::AddDest { service, dest } => {
            let svc = service_mut(table, service)?;
            if find(svc, &dest.addr, dest.port).is_some() {
                return Err(EEXIST);
            }
            svc.dests.push(Dest {
                config: *dest,
                active_conns: 0,
                inact_conns: 0,
                persist_conns: 0,
                stats: Stats::default(),
            });
        }
        IpvsOp::EditDest { service, dest } => {
            let svc = service_mut(table, service)?;
            let j = find(svc, &dest.addr, dest.port).ok_or(ENOENT)?;
            svc.dests[j].config = *dest;
        }
        IpvsOp::DeleteDest {
            service,
            dest: DestKey { addr, port },
        } => {
            let svc = service_mut(table, service)?;
            let j = find(svc, addr, *port).ok_or(ENOENT)?;
            svc.dests.remove(j);
        }
        IpvsOp::Zero(Some(key)) => {
            let svc = service_mut(table, key)?;
            zero(svc);
        }
        IpvsOp::Zero(None) => table.services.iter_mut().for_each(zero),
        IpvsOp::Flush => table.services.clear(),
        IpvsOp::SetTimeouts(t) => {
            // 0 leaves a timeout unchanged, as in the kernel.
            for (new, old) in [
                (t.tcp, &mut table.timeouts.tcp),
                (t.tcp_fin, &mut table.timeouts.tcp_fin),
                (t.udp, &mut table.timeouts.udp),
            ] {
                if new != 0 {
                    *old = new;
                }
            }
        }
        IpvsOp::StartDaemon(d) => {
            if table.daemons.iter().any(|x| x.state == d.state) {
                return Err(EEXIST);
            }
            table.daemons.push(d.clone());
            table.daemons.sort_by_key(|x| x.state.number());
        }
        IpvsOp::StopDaemon(state) => {
            let i = table
                .daemons
                .iter()
                .position(|x| x.state == *state)
                .ok_or(ESRCH)?;
            table.daemons.remove(i);
        }
    }
    Ok(())
}

// Keys are unique, so the search order changes nothing but its cost: from the end, a rules
// file's real servers find the service added just before them at once (linear, not quadratic,
// in the size of a restore).
fn position(table: &Snapshot, key: &ServiceKey) -> Option<usize> {
    table.services.iter().rposition(|s| s.config.key == *key)
}

fn service_mut<'a>(table: &'a mut Snapshot, key: &ServiceKey) -> Result<&'a mut Service, i32> {
    table
        .services
        .iter_mut()
        .rfind(|s| s.config.key == *key)
        .ok_or(ESRCH)
}

fn find(svc: &Service, addr: &std::net::IpAddr, port: u16) -> Option<usize> {
    svc.dests
        .iter()
        .position(|d| d.config.addr == *addr && d.config.port == port)
}

fn zero(svc: &mut Service) {
    svc.stats = Stats::default();
    svc.dests
        .iter_mut()
        .for_each(|d| d.stats = Stats::default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::args::parse_args;

    fn op(line: &str) -> IpvsOp {
        parse_args(&line.split_whitespace().collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn kernel_errnos_for_duplicates_and_missing_objects() {
        let mut t = Snapshot::default();
        apply(&mut t, &op("-A -t 192.0.2.1:80")).unwrap();
        assert_eq!(apply(&mut t, &op("-A -t 192.0.2.1:80")), Err(EEXIST));
        assert_eq!(apply(&mut t, &op("-E -t 192.0.2.9:80")), Err(ESRCH));
        assert_eq!(
            apply(&mut t, &op("-a -t 192.0.2.9:80 -r 10.0.0.1")),
            Err(ESRCH)
        );
        apply(&mut t, &op("-a -t 192.0.2.1:80 -r 10.0.0.1 -m")).unwrap();
        assert_eq!(
            apply(&mut t, &op("-a -t 192.0.2.1:80 -r 10.0.0.1 -m")),
            Err(EEXIST)
        );
        assert_eq!(
            apply(&mut t, &op("-e -t 192.0.2.1:80 -r 10.0.0.2 -m")),
            Err(ENOENT)
        );
        assert_eq!(apply(&mut t, &op("--stop-daemon master")), Err(ESRCH));
    }

    #[test]
    fn every_inverse_restores_the_table() {
        let mut t = Snapshot::default();
        let setup = [
            "--set 900 120 300",
            "-A -t 192.0.2.1:80 -s rr",
            "-a -t 192.0.2.1:80 -r 10.0.0.1 -m -w 2",
            "--start-daemon master --mcast-interface lo",
        ];
        for line in setup {
            apply(&mut t, &op(line)).unwrap();
        }
        for line in [
            "-A -u 192.0.2.1:53",
            "-E -t 192.0.2.1:80 -s wlc -p",
            "-D -t 192.0.2.1:80",
            "-a -t 192.0.2.1:80 -r 10.0.0.2 -m",
            "-e -t 192.0.2.1:80 -r 10.0.0.1 -m -w 0",
            "-d -t 192.0.2.1:80 -r 10.0.0.1",
            "-C",
            "--set 10 20 30",
            "--stop-daemon master",
            "--start-daemon backup --mcast-interface lo",
        ] {
            let change = op(line);
            let before = t.clone();
            let mut after = t.clone();
            apply(&mut after, &change).unwrap();
            for undo in change.inverse(&before).unwrap() {
                apply(&mut after, &undo).unwrap();
            }
            assert_eq!(after, before, "{line}");
        }
    }
}
