//! `ipvs-tui host`: the interfaces with their state and addresses, and the main routing table,
//! as `host::read_state` reads them (`--json`: all of it, sysctls included).

use super::commands::Failure;
use super::on::On;
use crate::backend::Backend;
use crate::host::{HostState, Route};

pub async fn run(json: bool, on: &On) -> Result<(), Failure> {
    let state = on.host().host().await.map_err(Failure::Host)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&state).expect("the host state always serialises")
        );
    } else {
        print!("{}", text(&state));
    }
    Ok(())
}

/// `2: eth0 up veth` then its addresses indented; then the routes as `ip route` writes them.
pub fn text(state: &HostState) -> String {
    let mut out = String::new();
    for link in &state.links {
        let kind = link
            .kind
            .as_deref()
            .map(|k| format!(" {k}"))
            .unwrap_or_default();
        out += &format!(
            "{}: {} {}{kind}\n",
            link.index,
            link.name,
            if link.up { "up" } else { "down" }
        );
        for a in &link.addrs {
            let label = a
                .label
                .as_deref()
                .map(|l| format!(" label {l}"))
                .unwrap_or_default();
            out += &format!("    {}/{}{label}\n", a.addr, a.prefix);
        }
    }
    out += "routes (main table):\n";
    for r in &state.routes {
        out += &format!("    {}\n", route(r));
    }
    out
}

fn route(r: &Route) -> String {
    let mut s = if r.prefix == 0 {
        "default".to_string()
    } else {
        format!("{}/{}", r.dst, r.prefix)
    };
    if let Some(gw) = r.gateway {
        s += &format!(" via {gw}");
    }
    if let Some(dev) = &r.dev {
        s += &format!(" dev {dev}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::{Addr, Link};

    #[test]
    fn links_then_routes_as_ip_writes_them() {
        let mut state = HostState::default();
        state.links.push(Link {
            index: 1,
            name: "lo".into(),
            up: true,
            kind: Some("loopback".into()),
            addrs: vec![
                Addr {
                    addr: "127.0.0.1".parse().unwrap(),
                    prefix: 8,
                    label: None,
                },
                Addr {
                    addr: "192.0.2.1".parse().unwrap(),
                    prefix: 32,
                    label: Some("lo:0".into()),
                },
            ],
        });
        state.links.push(Link {
            index: 3,
            name: "tunl0".into(),
            up: false,
            kind: Some("ipip".into()),
            addrs: vec![],
        });
        state.routes.push(Route {
            dst: "0.0.0.0".parse().unwrap(),
            prefix: 0,
            gateway: Some("10.0.0.1".parse().unwrap()),
            dev: Some("eth0".into()),
        });
        state.routes.push(Route {
            dst: "10.0.0.0".parse().unwrap(),
            prefix: 24,
            gateway: None,
            dev: Some("eth0".into()),
        });
        assert_eq!(
            text(&state),
            "1: lo up loopback\n    127.0.0.1/8\n    192.0.2.1/32 label lo:0\n3: tunl0 down ipip\nroutes (main table):\n    default via 10.0.0.1 dev eth0\n    10.0.0.0/24 dev eth0\n"
        );
    }
}
