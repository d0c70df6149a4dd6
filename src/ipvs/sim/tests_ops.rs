//! The simulator accepts and refuses every change as table::apply and the kernel do, with the
//! kernel backend's wording.

use super::SimBackend;
use crate::ipvs::args::parse_args;
use crate::ipvs::error::Error;
use crate::ipvs::model::*;
use crate::ipvs::netlink::errno::op_error;
use crate::ipvs::op::IpvsOp;
use crate::ipvs::table;
use futures::executor::block_on;

fn op(line: &str) -> IpvsOp {
    parse_args(&line.split_whitespace().collect::<Vec<_>>())
        .unwrap_or_else(|e| panic!("{line}: {e}"))
}

fn tcp(addr: &str) -> ServiceKey {
    crate::ipvs::parse::service_addr(Protocol::Tcp, addr).unwrap()
}

fn run(sim: &SimBackend, line: &str) -> Result<(), Error> {
    block_on(sim.apply(&op(line)))
}

/// The table part of a snapshot: counters, rates and gauges cleared.
fn config_only(mut snap: Snapshot) -> Snapshot {
    for s in &mut snap.services {
        s.stats = Stats::default();
        for d in &mut s.dests {
            d.stats = Stats::default();
            (d.active_conns, d.inact_conns, d.persist_conns) = (0, 0, 0);
        }
    }
    snap
}

#[test]
fn every_change_is_accepted_or_refused_as_table_apply_does() {
    let sim = SimBackend::new(1);
    let mut reference = block_on(sim.snapshot()).unwrap();
    let lines = [
        "--set 900 120 300",
        "-A -t 192.0.2.1:80 -s rr",
        "-A -t 192.0.2.1:80 -s rr",
        "-E -t 192.0.2.9:80 -s rr",
        "-E -t 192.0.2.1:80 -s wlc -p 60",
        "-a -t 192.0.2.9:80 -r 10.0.0.1:80 -m",
        "-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 2",
        "-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 2",
        "-e -t 192.0.2.1:80 -r 10.0.0.2:80 -m",
        "-e -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 0",
        "-A -u 192.0.2.1:53 -o",
        "-A -f 7 -6 -s sh -b sh-port",
        "-a -f 7 -6 -r 2001:db8::2 -g",
        "-Z -t 192.0.2.1:80",
        "-Z -t 192.0.2.2:80",
        "-Z",
        "--start-daemon master --mcast-interface lo",
        "--start-daemon master --mcast-interface lo",
        "--stop-daemon backup",
        "--stop-daemon master",
        "-d -t 192.0.2.1:80 -r 10.0.0.3:80",
        "-d -t 192.0.2.1:80 -r 10.0.0.1:80",
        "-D -u 192.0.2.1:53",
        "-D -u 192.0.2.1:53",
        "-C",
        "-D -f 7 -6",
    ];
    let mut refused = 0;
    for line in lines {
        let change = op(line);
        let expected = table::apply(&mut reference, &change);
        let got = block_on(sim.apply(&change));
        match expected {
            Ok(()) => assert_eq!(got, Ok(()), "{line}"),
            Err(errno) => {
                refused += 1;
                assert_eq!(got, Err(op_error(&change, errno)), "{line}");
                assert!(
                    matches!(got, Err(Error::Kernel { errno: e, .. }) if e == errno),
                    "{line}"
                );
            }
        }
        assert_eq!(
            config_only(block_on(sim.snapshot()).unwrap()),
            reference,
            "after {line}"
        );
    }
    assert_eq!(refused, 11, "the list exercises every table errno");
}

#[test]
fn duplicates_and_missing_objects_are_worded_as_by_the_kernel_backend() {
    let sim = SimBackend::new(1);
    run(&sim, "-A -t 192.0.2.1:80").unwrap();
    assert_eq!(
        run(&sim, "-A -t 192.0.2.1:80").unwrap_err().to_string(),
        "service TCP 192.0.2.1:80 already exists"
    );
    assert_eq!(
        run(&sim, "-D -t 192.0.2.2:80").unwrap_err().to_string(),
        "no such service TCP 192.0.2.2:80"
    );
    run(&sim, "-a -t 192.0.2.1:80 -r 10.0.0.2:80 -m").unwrap();
    assert_eq!(
        run(&sim, "-a -t 192.0.2.1:80 -r 10.0.0.2:80 -m").unwrap_err(),
        Error::Kernel {
            errno: libc::EEXIST,
            message: "real server 10.0.0.2:80 already exists in service TCP 192.0.2.1:80".into()
        }
    );
    assert_eq!(
        run(&sim, "-d -t 192.0.2.1:80 -r 10.0.0.3:80")
            .unwrap_err()
            .to_string(),
        "no such real server 10.0.0.3:80 in service TCP 192.0.2.1:80"
    );
}

#[test]
fn schedulers_the_kernel_ships_are_accepted_and_others_refused_with_enoent() {
    let sim = SimBackend::new(1);
    for (i, sched) in KNOWN_SCHEDULERS.iter().enumerate() {
        run(&sim, &format!("-A -t 192.0.2.1:{} -s {sched}", 100 + i)).unwrap();
    }
    let err = run(&sim, "-A -t 192.0.2.1:80 -s foo").unwrap_err();
    assert_eq!(
        err,
        Error::Kernel {
            errno: libc::ENOENT,
            message: "scheduler `foo` or persistence engine not found (is the ip_vs_foo module available?)".into()
        }
    );
    assert!(
        block_on(sim.snapshot())
            .unwrap()
            .service(&tcp("192.0.2.1:80"))
            .is_none()
    );
    // The kernel finds the duplicate before it looks for the scheduler, and the missing
    // service before it looks at an edit's scheduler.
    assert!(matches!(
        run(&sim, "-A -t 192.0.2.1:100 -s foo"),
        Err(Error::Kernel {
            errno: libc::EEXIST,
            ..
        })
    ));
    assert!(matches!(
        run(&sim, "-E -t 192.0.2.1:99 -s foo"),
        Err(Error::Kernel {
            errno: libc::ESRCH,
            ..
        })
    ));
    assert!(matches!(
        run(&sim, "-E -t 192.0.2.1:100 -s foo"),
        Err(Error::Kernel {
            errno: libc::ENOENT,
            ..
        })
    ));
    run(&sim, "-A -u 192.0.2.1:5060 -p --pe sip").unwrap();
    assert!(matches!(
        run(&sim, "-A -u 192.0.2.1:5061 -p --pe bogus"),
        Err(Error::Kernel {
            errno: libc::ENOENT,
            ..
        })
    ));
}

#[test]
fn the_kernels_other_refusals() {
    let sim = SimBackend::new(1);
    // Validation first, as the kernel backend: an impossible weight never reaches the table.
    run(&sim, "-A -t 192.0.2.1:80").unwrap();
    let key = tcp("192.0.2.1:80");
    let mut dest = DestConfig::new("10.0.0.2".parse().unwrap(), 80);
    dest.weight = u32::MAX;
    let bad = IpvsOp::AddDest { service: key, dest };
    let expected = crate::ipvs::parse::validate(&bad).unwrap_err().to_string();
    assert_eq!(block_on(sim.apply(&bad)), Err(Error::Refused(expected)));
    // Timeouts beyond INT_MAX / HZ: EINVAL (ipvsadm itself allows up to 31 days).
    assert!(matches!(
        run(&sim, "--set 2600000 0 0"),
        Err(Error::Kernel {
            errno: libc::EINVAL,
            ..
        })
    ));
    assert_eq!(block_on(sim.snapshot()).unwrap().timeouts.tcp, 900);
    // An IPv6 link-local real server is not routable from the director.
    run(&sim, "-A -t [2001:db8::1]:80").unwrap();
    assert!(matches!(
        run(&sim, "-a -t [2001:db8::1]:80 -r [fe80::1]:80 -m"),
        Err(Error::Kernel {
            errno: libc::EINVAL,
            ..
        })
    ));
    // Sync daemons: unknown interface, and mixed families with a daemon, either order.
    assert_eq!(
        run(&sim, "--start-daemon master --mcast-interface eth9")
            .unwrap_err()
            .to_string(),
        "no such interface `eth9` for the sync daemon"
    );
    run(&sim, "--start-daemon backup --mcast-interface eth0").unwrap();
    assert!(matches!(
        run(&sim, "-a -t 192.0.2.1:80 -r 2001:db8::5 -i"),
        Err(Error::Kernel {
            errno: libc::EINVAL,
            ..
        })
    ));
    run(&sim, "--stop-daemon backup").unwrap();
    run(&sim, "-a -t 192.0.2.1:80 -r 2001:db8::5 -i").unwrap();
    assert!(matches!(
        run(&sim, "--start-daemon master --mcast-interface lo"),
        Err(Error::Kernel {
            errno: libc::EINVAL,
            ..
        })
    ));
}
