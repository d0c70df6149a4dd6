//! Property tests of the host parsers: no input panics, and every host change prints as an `ip`
//! or `sysctl` command whose words parse back to the same change (addresses, sysctls, the default
//! route).

use ipvs_tui::host::parse::{
    add_addr, default_route, del_addr, gateway, label, sysctl_assignment, validate, vip,
};
use ipvs_tui::host::{Allowed, HostOp, LVS_SYSCTLS};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fn addr() -> impl Strategy<Value = (IpAddr, u8)> {
    prop_oneof![
        (1u8..=223, any::<u8>(), any::<u8>(), 1u8..=254, 1u8..=32)
            .prop_map(|(a, b, c, d, p)| (IpAddr::V4(Ipv4Addr::new(a, b, c, d)), p)),
        (0x2001u16..0x2fff, any::<u64>(), 1u8..=128).prop_map(|(a, c, p)| {
            (
                IpAddr::V6(Ipv6Addr::new(
                    a,
                    0xdb8,
                    0,
                    0,
                    (c >> 48) as u16,
                    (c >> 32) as u16,
                    (c >> 16) as u16,
                    c as u16 | 1,
                )),
                p,
            )
        }),
    ]
}

fn iface() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_.-]{0,9}"
}

fn addr_op() -> impl Strategy<Value = HostOp> {
    (
        addr(),
        iface(),
        prop::option::of("[a-z0-9]{1,3}"),
        any::<bool>(),
    )
        .prop_map(|((addr, prefix), dev, suffix, adding)| {
            let label = suffix
                .filter(|_| addr.is_ipv4())
                .map(|s| format!("{dev}:{s}"));
            if adding {
                HostOp::AddAddr {
                    dev,
                    addr,
                    prefix,
                    label,
                }
            } else {
                HostOp::DelAddr { dev, addr, prefix }
            }
        })
}

/// A value each sysctl allows, for every known sysctl (per-interface ones on `iface`).
fn sysctl_op() -> impl Strategy<Value = HostOp> {
    (0..LVS_SYSCTLS.len(), iface(), any::<u32>(), any::<u32>()).prop_map(|(i, dev, a, b)| {
        let info = &LVS_SYSCTLS[i];
        let value = match info.allowed {
            Allowed::Range { min, max } => {
                (min + i64::from(a) % (max - min + 1).min(1 << 31)).to_string()
            }
            Allowed::OneOf(values) => values[a as usize % values.len()].to_string(),
            Allowed::ThresholdPeriod => {
                let period = 1 + b % 1000;
                format!("{} {period}", a % period)
            }
        };
        HostOp::SetSysctl {
            name: info.for_interface(&dev),
            value,
        }
    })
}

/// The words of a command after its program and verb, e.g. `192.0.2.1/32 dev eth1 label eth1:0`.
fn parse_command(command: &str) -> HostOp {
    if let Some(assignment) = command.strip_prefix("sysctl -w ") {
        return sysctl_assignment(assignment.trim_matches('\'')).unwrap();
    }
    let words: Vec<&str> = command.split(' ').collect();
    match &words[..] {
        ["ip", "addr", "add", a, "dev", d] => add_addr(a, d, None).unwrap(),
        ["ip", "addr", "add", a, "dev", d, "label", l] => add_addr(a, d, Some(l)).unwrap(),
        ["ip", "addr", "del", a, "dev", d] => del_addr(a, d).unwrap(),
        ["ip", "route", "replace", "default", "via", a] => default_route(a, None).unwrap(),
        ["ip", "route", "replace", "default", "via", a, "dev", d] => {
            default_route(a, Some(d)).unwrap()
        }
        _ => panic!("not a host command: {command}"),
    }
}

proptest! {
    #[test]
    fn no_text_panics(text in ".{0,40}", dev in ".{0,20}") {
        let _ = vip(&text);
        let _ = add_addr(&text, &dev, Some(&text));
        let _ = del_addr(&dev, &text);
        let _ = label(&text, &dev, IpAddr::V4(Ipv4Addr::LOCALHOST));
        let _ = sysctl_assignment(&text);
        let _ = sysctl_assignment(&format!("net.ipv4.conf.{dev}.rp_filter={text}"));
        let _ = gateway(&text, Some(&dev));
        let _ = default_route(&text, None);
    }

    #[test]
    fn default_routes_print_as_ip_commands_that_parse_back((via, _) in addr().prop_filter("a router is not on loopback (refused, unit-tested)", |(a, _)| !a.is_loopback()), dev in prop::option::of(iface())) {
        let op = HostOp::ReplaceDefaultRoute { via, dev };
        validate(&op).unwrap();
        prop_assert_eq!(parse_command(&op.to_command()), op);
    }

    #[test]
    fn address_changes_print_as_ip_commands_that_parse_back(op in addr_op()) {
        validate(&op).unwrap();
        prop_assert_eq!(parse_command(&op.to_command()), op);
    }

    #[test]
    fn sysctl_changes_print_as_sysctl_commands_that_parse_back(op in sysctl_op()) {
        validate(&op).unwrap();
        prop_assert_eq!(parse_command(&op.to_command()), op);
    }
}
