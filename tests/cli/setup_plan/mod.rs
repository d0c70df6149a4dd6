//! Setup plans: the Operations of every role from a bare host, idempotence (a plan applied
//! needs nothing more), what is already in place is kept, bad plan files with exact messages and
//! lines, a plan that cannot apply to this host, and all-or-nothing application.

use ipvs_tui::backend::{Backend, Memory, Reply};
use ipvs_tui::host::{Addr, HostError, HostState, Link};
use ipvs_tui::ipvs::model::Snapshot;
use ipvs_tui::ipvs::{Error, Result, args::parse_args, table};
use ipvs_tui::operation::{Operation, OperationError, State, apply_plan, check_plan};
use ipvs_tui::setup::{Plan, plan, plan_operations};
use std::cell::Cell;

fn link(name: &str, addrs: &[&str]) -> Link {
    let addrs = addrs
        .iter()
        .map(|a| {
            let (addr, prefix) = a.split_once('/').unwrap();
            Addr {
                addr: addr.parse().unwrap(),
                prefix: prefix.parse().unwrap(),
                label: None,
            }
        })
        .collect();
    Link {
        index: 0,
        name: name.into(),
        up: true,
        kind: None,
        addrs,
    }
}

/// Every LVS sysctl of these interfaces at the kernel's defaults (all 0).
fn host(links: Vec<Link>) -> HostState {
    let mut sysctls: std::collections::BTreeMap<String, String> =
        [("net.ipv4.ip_forward".to_string(), "0".to_string())].into();
    for dev in ["all", "default"]
        .into_iter()
        .chain(links.iter().map(|l| l.name.as_str()))
    {
        for key in ["arp_ignore", "arp_announce", "rp_filter"] {
            sysctls.insert(format!("net.ipv4.conf.{dev}.{key}"), "0".into());
        }
    }
    HostState {
        links,
        routes: vec![],
        sysctls,
    }
}

fn nat_host() -> HostState {
    host(vec![
        link("lo", &["127.0.0.1/8"]),
        link("out0", &["203.0.113.1/24"]),
        link("in0", &["10.10.0.1/24"]),
    ])
}

fn dr_host() -> HostState {
    host(vec![
        link("lo", &["127.0.0.1/8"]),
        link("eth0", &["198.51.100.11/24"]),
    ])
}

fn commands(ops: &[Operation]) -> Vec<String> {
    ops.iter().map(Operation::to_command).collect()
}

fn plan_of(text: &str) -> Plan {
    Plan::parse(text).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Plans `text` on `state`, checks the steps, follows them in memory, then plans again.
fn plan_twice(text: &str, state: &State) -> (Vec<String>, Vec<String>) {
    let plan = plan_of(text);
    let ops = plan_operations(&plan, &state.host, &state.table).unwrap();
    check_plan(state, &ops).unwrap();
    let mut after = state.clone();
    for op in &ops {
        op.apply_in_memory(&mut after).unwrap();
    }
    let again = plan_operations(&plan, &after.host, &after.table).unwrap();
    (commands(&ops), commands(&again))
}

const EXAMPLE: &str = include_str!("../../../assets/setup-example.toml");

/// Fails the step numbered `fail_at` (counting every apply, undo steps included).
struct FailingAt {
    inner: Memory,
    fail_at: usize,
    calls: Cell<usize>,
}

impl Backend for FailingAt {
    fn snapshot(&self) -> Reply<'_, Result<Snapshot>> {
        self.inner.snapshot()
    }

    fn host(&self) -> Reply<'_, std::result::Result<HostState, HostError>> {
        self.inner.host()
    }

    fn apply<'a>(
        &'a self,
        op: &'a Operation,
    ) -> Reply<'a, std::result::Result<(), OperationError>> {
        let n = self.calls.replace(self.calls.get() + 1);
        if n == self.fail_at {
            return Box::pin(async {
                Err(Error::Kernel {
                    errno: 22,
                    message: "refused".into(),
                }
                .into())
            });
        }
        self.inner.apply(op)
    }
}

#[test]
fn a_failure_at_any_step_leaves_host_and_table_as_they_were() {
    let before = State::new(Snapshot::default(), nat_host());
    let ops = plan_operations(&plan_of(EXAMPLE), &before.host, &before.table).unwrap();
    for fail_at in 0..ops.len() {
        let target = FailingAt {
            inner: Memory::new(before.clone()),
            fail_at,
            calls: Cell::new(0),
        };
        let failure =
            futures::executor::block_on(apply_plan(&target, before.clone(), &ops)).unwrap_err();
        assert_eq!(failure.step, fail_at);
        assert!(failure.rollback_errors.is_empty());
        assert_eq!(target.inner.state(), before, "failing at step {fail_at}");
    }
}

/// Without its line numbers, for comparing plans read from different texts.
fn without_lines(mut p: Plan) -> Plan {
    p.lines = Default::default();
    for s in &mut p.services {
        s.line = 0;
        for rs in &mut s.real_servers {
            rs.line = 0;
        }
    }
    p
}

/// What the wizard saves reads back as the same plan, for every role.
#[test]
fn a_plan_written_back_reads_the_same() {
    let texts = [
        EXAMPLE,
        DR_DIRECTOR,
        "role = \"tun-director\"\nvip = \"2001:db8::100\"\nprefix = 64\ninterface = \"eth0\"\n[[service]]\nprotocol = \"sctp\"\nport = 9\n[[service.real_server]]\naddress = \"2001:db8::11\"\nweight = 0\n",
        "role = \"dr-real-server\"\nvip = \"198.51.100.100\"\ninterface = \"eth0\"\n",
        "role = \"tun-real-server\"\nvip = \"198.51.100.100\"\nlabel = \"tunl0:vip\"\n",
        "role = \"nat-real-server\"\ndirector = \"10.10.0.1\"\n",
    ];
    for text in texts {
        let plan = plan_of(text);
        let written = plan.to_toml();
        assert_eq!(
            without_lines(plan_of(&written)),
            without_lines(plan),
            "written back:\n{written}"
        );
    }
    assert!(plan_of(EXAMPLE).to_toml().starts_with("role = \"nat-director\"\nvip = \"203.0.113.100\"\ninterface = \"out0\"\nlabel = \"out0:vip\"\n\n[[service]]\nprotocol = \"tcp\"\nport = 80\nscheduler = \"rr\"\n"));
}

mod roles;
use roles::DR_DIRECTOR;
mod refused;
