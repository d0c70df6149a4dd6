//! Sysctl names in either notation, effective values, /proc paths, the table and write errors.

use super::*;

#[test]
fn names_resolve_in_either_notation_to_sysctl_notation() {
    let (info, name, iface) = lookup("net.ipv4.conf.eth0.100.rp_filter").unwrap();
    assert_eq!(
        (info.name, name.as_str(), iface.as_deref()),
        (
            "net.ipv4.conf.{iface}.rp_filter",
            "net.ipv4.conf.eth0/100.rp_filter",
            Some("eth0.100")
        )
    );
    assert_eq!(
        lookup("net.ipv4.conf.eth0/100.rp_filter").unwrap().1,
        "net.ipv4.conf.eth0/100.rp_filter"
    );
    assert_eq!(
        lookup("net.ipv4.conf.all.arp_ignore").unwrap().2.as_deref(),
        Some("all")
    );
    assert_eq!(
        lookup("net.ipv4.vs.sync_threshold").unwrap().0.allowed,
        Allowed::ThresholdPeriod
    );
    for unknown in [
        "net.ipv4.conf..arp_ignore",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.vs.nope",
        "net.ipv4.ip_forward.x",
        "",
    ] {
        assert!(lookup(unknown).is_none(), "{unknown}");
    }
}

#[test]
fn the_effective_value_is_the_higher_of_all_and_the_interface() {
    let sysctls: BTreeMap<String, String> = [
        ("net.ipv4.conf.all.rp_filter", "0"),
        ("net.ipv4.conf.eth0/100.rp_filter", "1"),
        ("net.ipv4.conf.all.arp_ignore", "1"),
        ("net.ipv4.conf.lo.arp_ignore", "0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(effective(&sysctls, "rp_filter", "eth0.100"), Some(1));
    assert_eq!(effective(&sysctls, "arp_ignore", "lo"), Some(1));
    assert_eq!(effective(&sysctls, "arp_ignore", "eth9"), None);
}

#[test]
fn proc_paths_put_dots_back_into_interface_names() {
    assert_eq!(
        proc_path("net.ipv4.conf.eth0/100.rp_filter"),
        PathBuf::from("/proc/sys/net/ipv4/conf/eth0.100/rp_filter")
    );
    assert_eq!(
        proc_path("net.ipv4.vs.conntrack"),
        PathBuf::from("/proc/sys/net/ipv4/vs/conntrack")
    );
    assert_eq!(normalise("3\t50\n"), "3 50");
}

#[test]
fn the_table_has_every_name_once_and_an_explanation_for_each() {
    let mut names: Vec<&str> = LVS_SYSCTLS.iter().map(|s| s.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), LVS_SYSCTLS.len());
    for s in LVS_SYSCTLS {
        assert!(
            !s.explanation.is_empty() && !s.explanation.contains('\n'),
            "{}",
            s.name
        );
        assert_eq!(lookup(&s.for_interface("eth1")).unwrap().0, s);
    }
}

#[test]
fn write_errors_say_what_failed() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/file");
    assert_eq!(
        write_at(&missing, "net.ipv4.vs.conntrack", "1"),
        Err(HostError::NoSysctl("net.ipv4.vs.conntrack".into()))
    );
    assert_eq!(
        HostError::NoSysctl("net.ipv4.vs.conntrack".into()).to_string(),
        "sysctl net.ipv4.vs.conntrack does not exist on this host (is the ip_vs module loaded?)"
    );
    let file = dir.path().join("value");
    write_at(&file, "x", "3 50").unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "3 50\n");
}
