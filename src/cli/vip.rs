//! `ipvs-tui vip add|del ADDR[/PREFIX] dev IFACE [label L]` and `ipvs-tui vip list`.

use super::commands::{EXIT_FAILED, EXIT_USAGE, Failure, warn_problem};
use super::on::On;
use crate::backend::Backend;
use crate::host::vips::{VipBinding, vip_bindings};
use crate::host::{self, HostError, HostOp};
use crate::ipvs::model::Snapshot;
use crate::ipvs::netlink::errno::service_name;
use crate::ipvs::parse::{ParseError, Parsed};
use crate::operation::audit::AuditLog;
use crate::operation::{AuditedOps, Operation, State, apply_plan};

const ADD_USAGE: &str =
    "expected ADDR[/PREFIX] dev IFACE [label LABEL], e.g. 192.0.2.100/32 dev eth1 label eth1:0";
const DEL_USAGE: &str = "expected ADDR[/PREFIX] dev IFACE, e.g. 192.0.2.100/32 dev eth1";

/// The words after `vip add` (`adding`) or `vip del`, as the change they ask for.
pub fn parse_words(words: &[String], adding: bool) -> Parsed<HostOp> {
    let (field, usage) = if adding {
        ("vip add", ADD_USAGE)
    } else {
        ("vip del", DEL_USAGE)
    };
    let Some((addr, rest)) = words.split_first() else {
        return Err(ParseError::combo(field, usage));
    };
    let (mut dev, mut label) = (None, None);
    let mut rest = rest.iter();
    while let Some(word) = rest.next() {
        let slot = match word.as_str() {
            "dev" => &mut dev,
            "label" if !adding => {
                return Err(ParseError::combo(
                    field,
                    "takes no label: an address is removed whatever its label",
                ));
            }
            "label" => &mut label,
            other => {
                return Err(ParseError::combo(
                    field,
                    format!("unexpected \"{other}\"; {usage}"),
                ));
            }
        };
        let Some(value) = rest.next() else {
            return Err(ParseError::combo(
                field,
                format!("\"{word}\" needs a value; {usage}"),
            ));
        };
        if slot.replace(value.as_str()).is_some() {
            return Err(ParseError::combo(
                field,
                format!("\"{word}\" is given twice; {usage}"),
            ));
        }
    }
    let Some(dev) = dev else {
        return Err(ParseError::combo(
            field,
            format!("dev IFACE is missing; {usage}"),
        ));
    };
    if adding {
        host::parse::add_addr(addr, dev, label)
    } else {
        host::parse::del_addr(addr, dev)
    }
}

/// Binds or unbinds one address, audited. An interface that does not exist is bad input (2);
/// the kernel's refusals (already bound, not bound, permission) exit 1.
pub async fn change(op: HostOp, log: &AuditLog, on: &On) -> Result<(), Failure> {
    // Only the host: IPVS is never connected to (a real server need not have it).
    let kernel = on.host();
    let before = kernel.host().await.map_err(Failure::Host)?;
    if let HostOp::AddAddr { dev, .. } | HostOp::DelAddr { dev, .. } = &op
        && before.link(dev).is_none()
    {
        eprintln!(
            "ipvs-tui: {}; nothing was changed",
            HostError::NoInterface(dev.clone())
        );
        return Err(Failure::Reported(EXIT_USAGE));
    }
    let state = State::new(Snapshot::default(), before);
    let target = AuditedOps::new(&*kernel, log, on.context(), state.clone());
    let result = apply_plan(&target, state, &[Operation::Host(op)]).await;
    warn_problem(target.problem());
    match result {
        Ok(()) => Ok(()),
        Err(failure) => {
            eprintln!("ipvs-tui: {}", failure.error);
            Err(Failure::Reported(EXIT_FAILED))
        }
    }
}

/// The VIPs of the IPVS services and the interfaces holding them.
pub async fn list(json: bool, on: &On) -> Result<(), Failure> {
    let kernel = on.ipvs().await?;
    let snapshot = kernel.snapshot().await?;
    let host = kernel.host().await.map_err(Failure::Host)?;
    let bindings = vip_bindings(&snapshot, &host);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&bindings).expect("bindings always serialise")
        );
    } else {
        print!("{}", table(&bindings));
    }
    Ok(())
}

/// `VIP  BOUND ON  SERVICES`, one line per VIP, "NOT BOUND on this host" where it is on no interface.
pub fn table(bindings: &[VipBinding]) -> String {
    let rows: Vec<[String; 3]> = bindings
        .iter()
        .map(|b| {
            let bound = if b.is_bound() {
                let on = |x: &host::vips::Bound| match &x.label {
                    Some(label) => format!("{}/{} ({label})", x.dev, x.prefix),
                    None => format!("{}/{}", x.dev, x.prefix),
                };
                b.bound.iter().map(on).collect::<Vec<_>>().join(", ")
            } else {
                "NOT BOUND on this host".to_string()
            };
            [
                b.vip.to_string(),
                bound,
                b.services
                    .iter()
                    .map(service_name)
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].len())
            .chain([["VIP", "BOUND ON"][i].len()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1) = (width(0), width(1));
    let mut out = format!("{:w0$}  {:w1$}  SERVICES\n", "VIP", "BOUND ON");
    for [vip, bound, services] in rows {
        out += &format!("{vip:w0$}  {bound:w1$}  {services}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::{Addr, HostState, Link};
    use crate::ipvs::args::parse_args;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn words_in_the_order_ip_takes_them_or_any_order() {
        let op = parse_words(&words("192.0.2.100 dev eth1 label eth1:0"), true).unwrap();
        assert_eq!(
            op.to_command(),
            "ip addr add 192.0.2.100/32 dev eth1 label eth1:0"
        );
        let op = parse_words(&words("192.0.2.100/24 label lo:1 dev lo"), true).unwrap();
        assert_eq!(
            op.to_command(),
            "ip addr add 192.0.2.100/24 dev lo label lo:1"
        );
        assert_eq!(
            parse_words(&words("2001:db8::1 dev lo"), false)
                .unwrap()
                .to_command(),
            "ip addr del 2001:db8::1/128 dev lo"
        );
    }

    #[test]
    fn bad_words_say_what_is_expected() {
        let err = |line: &str, adding| parse_words(&words(line), adding).unwrap_err().to_string();
        assert_eq!(
            err("192.0.2.100 dev eth1 label eth1:0", false),
            "vip del: takes no label: an address is removed whatever its label"
        );
        assert_eq!(
            err("192.0.2.100", true),
            format!("vip add: dev IFACE is missing; {ADD_USAGE}")
        );
        assert_eq!(
            err("192.0.2.100 dev", true),
            format!("vip add: \"dev\" needs a value; {ADD_USAGE}")
        );
        assert_eq!(
            err("192.0.2.100 dev a dev b", false),
            format!("vip del: \"dev\" is given twice; {DEL_USAGE}")
        );
        assert_eq!(
            err("192.0.2.100 on eth1", true),
            format!("vip add: unexpected \"on\"; {ADD_USAGE}")
        );
        assert_eq!(err("", true), format!("vip add: {ADD_USAGE}"));
        assert_eq!(
            err("192.0.2.1/33 dev eth1", true),
            r#"VIP "192.0.2.1/33": the prefix must be a whole number from 1 to 32 for an IPv4 address"#
        );
        assert!(err("192.0.2.1 dev eth1 label eth0:1", true).starts_with("label \"eth0:1\""));
    }

    #[test]
    fn the_list_marks_vips_bound_nowhere() {
        let mut snap = Snapshot::default();
        for line in [
            "-A -u 192.0.2.100:53",
            "-A -t 192.0.2.100:80",
            "-A -t 203.0.113.5:443",
            "-A -f 7",
        ] {
            crate::ipvs::table::apply(
                &mut snap,
                &parse_args(&line.split_whitespace().collect::<Vec<_>>()).unwrap(),
            )
            .unwrap();
        }
        let mut host = HostState::default();
        host.links.push(Link {
            index: 1,
            name: "lo".into(),
            up: true,
            kind: None,
            addrs: vec![Addr {
                addr: "192.0.2.100".parse().unwrap(),
                prefix: 32,
                label: Some("lo:0".into()),
            }],
        });
        host.links.push(Link {
            index: 2,
            name: "eth1".into(),
            up: true,
            kind: None,
            addrs: vec![Addr {
                addr: "192.0.2.100".parse().unwrap(),
                prefix: 24,
                label: None,
            }],
        });
        assert_eq!(
            table(&vip_bindings(&snap, &host)),
            "VIP          BOUND ON                SERVICES\n\
             192.0.2.100  lo/32 (lo:0), eth1/24   TCP 192.0.2.100:80, UDP 192.0.2.100:53\n\
             203.0.113.5  NOT BOUND on this host  TCP 203.0.113.5:443\n"
        );
    }
}
