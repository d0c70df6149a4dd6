//! The rows of the host panes, computed from a `HostState` read by the poller: one per address
//! (interfaces pane) and one per sysctl and interface (sysctls pane). Shared by keys and drawing,
//! so that the row under the cursor is the one drawn.

use crate::host::{Addr, HostState, LVS_SYSCTLS, Link, SysctlInfo, sysctl};
use crate::ipvs::model::{ServiceKey, Snapshot};

/// One row of the interfaces pane: an address of a link, or the link alone when it has none.
#[derive(Debug, Clone, Copy)]
pub struct AddrRow<'a> {
    pub link: &'a Link,
    pub addr: Option<&'a Addr>,
    /// The link's first row (its name, state and kind are shown only there).
    pub first: bool,
}

pub fn interface_rows(host: &HostState) -> Vec<AddrRow<'_>> {
    let mut rows = Vec::new();
    for link in &host.links {
        if link.addrs.is_empty() {
            rows.push(AddrRow {
                link,
                addr: None,
                first: true,
            });
        }
        for (n, addr) in link.addrs.iter().enumerate() {
            rows.push(AddrRow {
                link,
                addr: Some(addr),
                first: n == 0,
            });
        }
    }
    rows
}

/// The services whose VIP is `addr` (fwmark services have none).
pub fn services_on(snapshot: Option<&Snapshot>, addr: std::net::IpAddr) -> Vec<ServiceKey> {
    let Some(snapshot) = snapshot else {
        return Vec::new();
    };
    snapshot
        .services
        .iter()
        .map(|s| s.config.key)
        .filter(|k| matches!(k, ServiceKey::Addr { addr: a, .. } if *a == addr))
        .collect()
}

/// One row of the sysctls pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SysctlRow {
    pub info: &'static SysctlInfo,
    /// In sysctl notation, as `sysctl -w` takes it.
    pub name: String,
    /// `None`: this host does not have it (ip_vs not loaded, for `net.ipv4.vs.*`).
    pub value: Option<String>,
    /// For a per-interface setting of one interface: what the kernel acts on (the higher of
    /// `all` and the interface's own).
    pub effective: Option<i64>,
}

/// Every LVS sysctl in table order; per-interface ones for `all`, `default` and each link that has them.
pub fn sysctl_rows(host: &HostState) -> Vec<SysctlRow> {
    let mut rows = Vec::new();
    for info in LVS_SYSCTLS {
        if !info.is_per_interface() {
            rows.push(SysctlRow {
                info,
                name: info.name.to_string(),
                value: host.sysctls.get(info.name).cloned(),
                effective: None,
            });
            continue;
        }
        let key = info.name.rsplit('.').next().unwrap_or_default();
        let ifaces = ["all", "default"]
            .into_iter()
            .chain(host.links.iter().map(|l| l.name.as_str()));
        for iface in ifaces {
            let name = info.for_interface(iface);
            let value = host.sysctls.get(&name).cloned();
            if value.is_none() && !matches!(iface, "all" | "default") {
                continue;
            }
            let effective = if matches!(iface, "all" | "default") {
                None
            } else {
                sysctl::effective(&host.sysctls, key, iface)
            };
            rows.push(SysctlRow {
                info,
                name,
                value,
                effective,
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_host() {
        let snapshot =
            futures::executor::block_on(crate::ipvs::sim::SimBackend::demo(1).snapshot()).unwrap();
        let host = crate::host::demo::state(&snapshot);
        let rows = interface_rows(&host);
        assert_eq!(
            rows.len(),
            host.links
                .iter()
                .map(|l| l.addrs.len().max(1))
                .sum::<usize>()
        );
        assert!(rows[0].first && rows[0].link.name == "lo" && !rows[1].first);
        let sysctls = sysctl_rows(&host);
        let rp: Vec<_> = sysctls
            .iter()
            .filter(|r| r.name.ends_with("rp_filter"))
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(
            rp,
            [
                "net.ipv4.conf.all.rp_filter",
                "net.ipv4.conf.default.rp_filter",
                "net.ipv4.conf.lo.rp_filter",
                "net.ipv4.conf.eth0.rp_filter",
                "net.ipv4.conf.eth1.rp_filter"
            ]
        );
        let mut host = host;
        host.sysctls
            .insert("net.ipv4.conf.all.arp_ignore".into(), "1".into());
        host.sysctls.remove("net.ipv4.vs.conntrack");
        let rows = sysctl_rows(&host);
        let lo = rows
            .iter()
            .find(|r| r.name == "net.ipv4.conf.lo.arp_ignore")
            .unwrap();
        assert_eq!(
            (lo.value.as_deref(), lo.effective),
            (Some("0"), Some(1)),
            "all raises the effective value"
        );
        assert_eq!(
            rows.iter()
                .find(|r| r.name == "net.ipv4.vs.conntrack")
                .unwrap()
                .value,
            None,
            "missing, still listed"
        );
    }
}
