//! persist: the files it writes for a NAT director and a DR real server (golden files under
//! tests/golden/setup; `UPDATE_GOLDEN=1` rewrites them), what `restore --boot` plans from them,
//! and the difference summary shown before refusing to overwrite.

use ipvs_tui::host::{Addr, HostState, Link};
use ipvs_tui::ipvs::args::parse_args;
use ipvs_tui::ipvs::model::Snapshot;
use ipvs_tui::ipvs::{rules, table};
use ipvs_tui::operation::{Operation, State, check_plan};
use ipvs_tui::setup::persist::{self, HostFile};
use std::path::Path;

fn link(name: &str, addrs: &[(&str, Option<&str>)]) -> Link {
    let addrs = addrs
        .iter()
        .map(|(a, label)| {
            let (addr, prefix) = a.split_once('/').unwrap();
            Addr {
                addr: addr.parse().unwrap(),
                prefix: prefix.parse().unwrap(),
                label: label.map(str::to_string),
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

fn sysctls(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn nat_director() -> (Snapshot, HostState) {
    let mut snap = Snapshot::default();
    for l in [
        "-A -t 203.0.113.100:80 -s rr",
        "-a -t 203.0.113.100:80 -r 10.10.0.11:80 -m -w 2",
        "-a -t 203.0.113.100:80 -r 10.10.0.12:80 -m",
        "-A -u 203.0.113.100:53 -s rr -p 60",
        "-a -u 203.0.113.100:53 -r 10.10.0.11:53 -m",
    ] {
        table::apply(
            &mut snap,
            &parse_args(&l.split_whitespace().collect::<Vec<_>>()).unwrap(),
        )
        .unwrap();
    }
    let host = HostState {
        links: vec![
            link("lo", &[("127.0.0.1/8", None)]),
            link(
                "out0",
                &[
                    ("203.0.113.1/24", None),
                    ("203.0.113.100/32", Some("out0:vip")),
                ],
            ),
            link("in0", &[("10.10.0.1/24", None)]),
        ],
        routes: vec![],
        sysctls: sysctls(&[
            ("net.ipv4.ip_forward", "1"),
            ("net.ipv4.conf.all.rp_filter", "0"),
        ]),
    };
    (snap, host)
}

fn dr_real_server() -> (Snapshot, HostState) {
    let host = HostState {
        links: vec![
            link(
                "lo",
                &[("127.0.0.1/8", None), ("198.51.100.100/32", Some("lo:0"))],
            ),
            link("eth0", &[("198.51.100.11/24", None)]),
        ],
        routes: vec![],
        sysctls: sysctls(&[
            ("net.ipv4.ip_forward", "0"),
            ("net.ipv4.conf.all.arp_ignore", "1"),
            ("net.ipv4.conf.all.arp_announce", "2"),
            ("net.ipv4.conf.lo.arp_ignore", "1"),
            ("net.ipv4.conf.lo.arp_announce", "2"),
            ("net.ipv4.conf.eth0.arp_ignore", "0"),
            ("net.ipv4.conf.eth0.arp_announce", "0"),
            ("net.ipv4.conf.all.rp_filter", "2"),
            ("net.ipv4.conf.eth0.rp_filter", "0"),
        ]),
    };
    (Snapshot::default(), host)
}

/// Compares with tests/golden/setup/NAME, or rewrites it under UPDATE_GOLDEN=1.
fn golden(name: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/setup")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert_eq!(got, want, "{} differs", path.display());
}

#[test]
fn files_of_a_nat_director() {
    let (snap, host) = nat_director();
    let files = persist::render(
        Path::new("/etc"),
        Path::new("/usr/sbin/ipvs-tui"),
        &snap,
        &host,
    );
    let paths: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "/etc/ipvs-tui/rules",
            "/etc/ipvs-tui/host.toml",
            "/etc/systemd/system/ipvs-tui-restore.service"
        ]
    );
    golden("nat-director.rules", &files[0].contents);
    golden("nat-director.host.toml", &files[1].contents);
    golden("ipvs-tui-restore.service", &files[2].contents);
    assert_eq!(
        files[0].contents,
        rules::save(&snap),
        "the rules are ipvsadm -S"
    );
}

#[test]
fn files_of_a_dr_real_server() {
    let (snap, host) = dr_real_server();
    let files = persist::render(
        Path::new("/etc"),
        Path::new("/usr/sbin/ipvs-tui"),
        &snap,
        &host,
    );
    assert_eq!(files[0].contents, "", "a real server has no IPVS rules");
    golden("dr-real-server.host.toml", &files[1].contents);
}

/// What restore --boot plans from the files: on the wiped host everything, in order and
/// passing the same checks as any plan; on the host as persisted, nothing.
#[test]
fn boot_restore_plans_from_the_files() {
    for (name, (snap, host)) in [("nat", nat_director()), ("dr rs", dr_real_server())] {
        let files = persist::render(
            Path::new("/etc"),
            Path::new("/usr/sbin/ipvs-tui"),
            &snap,
            &host,
        );
        let host_file: HostFile = toml::from_str(&files[1].contents).unwrap();
        let rules: Vec<_> = rules::parse_rules(&files[0].contents)
            .unwrap()
            .into_iter()
            .map(|r| r.op)
            .collect();
        let mut ops = persist::boot_host_operations(&host_file, &host);
        ops.extend(persist::boot_ipvs_operations(&rules, &snap));
        assert_eq!(
            ops,
            vec![],
            "{name}: nothing to do on the host as persisted"
        );

        // Wiped: no table, no VIP, sysctls at 0.
        let mut wiped = host.clone();
        for l in &mut wiped.links {
            l.addrs
                .retain(|a| !host_file.vip.iter().any(|v| v.address == a.addr));
        }
        for v in wiped.sysctls.values_mut() {
            *v = "0".into();
        }
        let mut ops = persist::boot_host_operations(&host_file, &wiped);
        ops.extend(persist::boot_ipvs_operations(&rules, &Snapshot::default()));
        check_plan(&State::new(Snapshot::default(), wiped.clone()), &ops).unwrap();
        let mut state = State::new(Snapshot::default(), wiped);
        for op in &ops {
            op.apply_in_memory(&mut state).unwrap();
        }
        assert_eq!(
            rules::save(&state.table),
            rules::save(&snap),
            "{name}: the table comes back"
        );
        for l in &host.links {
            assert_eq!(
                state.host.link(&l.name).unwrap().addrs.len(),
                l.addrs.len(),
                "{name}: the addresses of {} come back",
                l.name
            );
        }
        let commands: Vec<String> = ops
            .iter()
            .filter(|o| matches!(o, Operation::Host(_)))
            .map(Operation::to_command)
            .collect();
        golden(
            &format!("boot-{}.commands", name.replace(' ', "-")),
            &(commands.join("\n") + "\n"),
        );
    }
}

#[test]
fn a_file_that_differs_is_summarised() {
    assert_eq!(
        persist::diff_summary("a\nb\nc\n", "a\nB\nc\nd\n"),
        "+2 -1 lines\n  - b\n  + B\n  + d"
    );
    assert_eq!(persist::diff_summary("same\n", "same\n"), "+0 -0 lines\n");
}

#[test]
fn boot_restore_edits_what_differs_from_the_saved_rules() {
    let (snap, _) = nat_director();
    let rules: Vec<_> = rules::parse_rules(&rules::save(&snap))
        .unwrap()
        .into_iter()
        .map(|r| r.op)
        .collect();
    let mut changed = snap.clone();
    for l in [
        "-E -u 203.0.113.100:53 -s wlc",
        "-e -t 203.0.113.100:80 -r 10.10.0.11:80 -m -w 5",
        "-d -t 203.0.113.100:80 -r 10.10.0.12:80",
    ] {
        table::apply(
            &mut changed,
            &parse_args(&l.split_whitespace().collect::<Vec<_>>()).unwrap(),
        )
        .unwrap();
    }
    let commands: Vec<String> = persist::boot_ipvs_operations(&rules, &changed)
        .iter()
        .map(Operation::to_command)
        .collect();
    assert_eq!(
        commands,
        [
            "ipvsadm -e -t 203.0.113.100:80 -r 10.10.0.11:80 -m -w 2",
            "ipvsadm -a -t 203.0.113.100:80 -r 10.10.0.12:80 -m -w 1",
            "ipvsadm -E -u 203.0.113.100:53 -s rr -p 60",
        ]
    );
}

#[test]
fn files_are_compared_with_the_disk_then_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (snap, host) = nat_director();
    let files = persist::render(dir.path(), Path::new("/usr/sbin/ipvs-tui"), &snap, &host);
    assert!(
        files
            .iter()
            .all(|f| f.on_disk() == persist::OnDisk::Missing)
    );
    for f in &files {
        f.write().unwrap();
    }
    assert!(files.iter().all(|f| f.on_disk() == persist::OnDisk::Same));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ipvs-tui/rules")).unwrap(),
        files[0].contents
    );
    std::fs::write(&files[0].path, "-A -t 192.0.2.1:80 -s wlc\n").unwrap();
    let persist::OnDisk::Differs { summary } = files[0].on_disk() else {
        panic!("an edited file must differ")
    };
    assert!(
        summary.starts_with("+5 -1 lines\n  - -A -t 192.0.2.1:80 -s wlc\n"),
        "{summary}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("ipvs-tui"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("tmp"))
        .collect();
    assert_eq!(
        leftovers,
        Vec::<std::ffi::OsString>::new(),
        "no temporary file is left"
    );
}
