//! Property tests of the text formats: no input panics, and every change prints as an ipvsadm
//! command that parses back to the same change.

use ipvs_tui::ipvs::args::parse_args;
use ipvs_tui::ipvs::model::*;
use ipvs_tui::ipvs::{IpvsOp, rules};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fn v4() -> impl Strategy<Value = IpAddr> {
    (1u8..=223, any::<u8>(), any::<u8>(), 1u8..=254)
        .prop_map(|(a, b, c, d)| IpAddr::V4(Ipv4Addr::new(a, b, c, d)))
}

fn v6() -> impl Strategy<Value = IpAddr> {
    (0x2001u16..0x2fff, any::<u16>(), any::<u64>()).prop_map(|(a, b, c)| {
        IpAddr::V6(Ipv6Addr::new(
            a,
            b,
            0,
            0,
            (c >> 48) as u16,
            (c >> 32) as u16,
            (c >> 16) as u16,
            c as u16 | 1,
        ))
    })
}

fn key() -> impl Strategy<Value = ServiceKey> {
    prop_oneof![
        (
            prop::sample::select(Protocol::ALL.to_vec()),
            prop_oneof![v4(), v6()],
            1u16..
        )
            .prop_map(|(protocol, addr, port)| ServiceKey::Addr {
                protocol,
                addr,
                port
            }),
        (1u32.., any::<bool>()).prop_map(|(mark, six)| ServiceKey::Fwmark {
            mark,
            family: if six { Family::Inet6 } else { Family::Inet }
        }),
    ]
}

fn service() -> impl Strategy<Value = ServiceConfig> {
    (
        key(),
        prop::sample::select(KNOWN_SCHEDULERS.to_vec()),
        any::<(bool, bool, bool)>(),
        prop::option::of(1u32..=MAX_TIMEOUT),
        0u32..=32,
        1u8..=128,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(key, sched, (f1, f2, f3), persistence, bits, prefix, ops, sip)| {
                let mut s = ServiceConfig::new(key);
                s.scheduler = sched.to_string();
                // sh and mh name only two flags; the third prints as flag-3 elsewhere.
                s.sched_flags = SchedFlags {
                    flag1: f1,
                    flag2: f2,
                    flag3: f3 && !matches!(sched, "sh" | "mh"),
                };
                s.persistence = persistence;
                if persistence.is_some() {
                    s.netmask = match key.family() {
                        Family::Inet => Netmask::V4(Ipv4Addr::from(
                            u32::MAX.checked_shl(32 - bits).unwrap_or(0),
                        )),
                        Family::Inet6 => Netmask::V6(prefix),
                    };
                }
                s.one_packet = ops
                    && matches!(
                        key,
                        ServiceKey::Addr {
                            protocol: Protocol::Udp,
                            ..
                        } | ServiceKey::Fwmark { .. }
                    );
                s.pe = sip.then(|| "sip".to_string());
                s
            },
        )
        .prop_filter("a v4 netmask of 0 bits is not contiguous-printable", |s| {
            s.netmask != Netmask::V4(Ipv4Addr::UNSPECIFIED)
        })
}

fn dest(service: ServiceKey) -> impl Strategy<Value = DestConfig> {
    let same_family = match service.family() {
        Family::Inet => v4().boxed(),
        Family::Inet6 => v6().boxed(),
    };
    let forward = prop_oneof![
        Just(Forward::Masq),
        Just(Forward::Route),
        Just(Forward::ipip()),
        (
            1u16..,
            prop::sample::select(vec![
                TunnelCsum::NoCsum,
                TunnelCsum::Csum,
                TunnelCsum::RemCsum
            ])
        )
            .prop_map(|(port, csum)| Forward::Tunnel {
                tun_type: TunnelType::Gue,
                port,
                csum
            }),
        prop::sample::select(vec![TunnelCsum::NoCsum, TunnelCsum::Csum]).prop_map(|csum| {
            Forward::Tunnel {
                tun_type: TunnelType::Gre,
                port: 0,
                csum,
            }
        }),
    ];
    (
        same_family,
        any::<u16>(),
        forward,
        0u32..=MAX_WEIGHT,
        0u32..=MAX_THRESHOLD,
        0u32..=MAX_THRESHOLD,
    )
        .prop_map(move |(addr, port, forward, weight, a, b)| {
            let mut d = DestConfig::new(addr, port);
            d.forward = forward;
            // DR and TUN real servers take the service's port (ipvsadm fixes it up the same way).
            if !service.is_fwmark() && forward != Forward::Masq {
                d.port = service.port();
            }
            d.weight = weight;
            (d.u_threshold, d.l_threshold) = (a.max(b), a.min(b));
            d
        })
}

fn parse_line(line: &str) -> IpvsOp {
    let words: Vec<&str> = line.split_whitespace().skip(1).collect();
    parse_args(&words).unwrap_or_else(|e| panic!("{line}: {e}"))
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = rules::parse_rules(&text);
        let words: Vec<&str> = text.split_whitespace().collect();
        let _ = parse_args(&words);
    }

    #[test]
    fn arbitrary_option_soup_never_panics(words in prop::collection::vec(prop::sample::select(vec![
        "-A", "-E", "-D", "-a", "-e", "-d", "-C", "-Z", "--set", "-t", "-u", "-f", "-6", "-s", "-p", "-M", "-r", "-m", "-g", "-i",
        "-w", "-x", "-y", "--tun-type", "--tun-port", "--tun-csum", "--pe", "-b", "-o", "192.0.2.1:80", "[2001:db8::1]:80",
        "10.0.0.1", "gue", "sip", "rr", "sh-port", "7", "0", "-1", "65536", "255.255.255.0", "--start-daemon", "master",
        "--mcast-interface", "lo", "--syncid", "--mcast-group", "224.0.0.81", "-At", "-w3", "--weight=5",
    ]), 0..12)) {
        let _ = parse_args(&words);
    }

    #[test]
    fn services_print_and_parse_back(s in service()) {
        let add = IpvsOp::AddService(s.clone());
        prop_assert_eq!(parse_line(&add.to_command()), add);
        let edit = IpvsOp::EditService(s);
        prop_assert_eq!(parse_line(&edit.to_command()), edit);
    }

    #[test]
    fn real_servers_print_and_parse_back((service, d) in key().prop_flat_map(|k| (Just(k), dest(k)))) {
        let add = IpvsOp::AddDest { service, dest: d };
        prop_assert_eq!(parse_line(&add.to_command()), add);
    }
}
