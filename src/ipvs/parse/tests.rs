//! Tests of `ipvs::parse`.

use super::*;

#[test]
fn weight_errors_name_field_value_and_range() {
    assert_eq!(
        weight("-3").unwrap_err().to_string(),
        "weight \"-3\": must be a whole number from 0 to 2147483647"
    );
    assert_eq!(weight("2147483647"), Ok(2147483647));
    assert!(weight("2147483648").is_err());
    assert!(weight("").is_err());
    assert!(weight("+1").is_err());
    assert!(weight(" 1").is_err());
    assert!(weight("99999999999999999999999").is_err());
}

#[test]
fn addresses_with_and_without_ports() {
    assert_eq!(
        addr_port("x", "192.0.2.1:80").unwrap(),
        ("192.0.2.1".parse().unwrap(), Some(80))
    );
    assert_eq!(
        addr_port("x", "192.0.2.1").unwrap(),
        ("192.0.2.1".parse().unwrap(), None)
    );
    assert_eq!(
        addr_port("x", "[2001:db8::1]:443").unwrap(),
        ("2001:db8::1".parse().unwrap(), Some(443))
    );
    assert_eq!(
        addr_port("x", "2001:db8::1").unwrap(),
        ("2001:db8::1".parse().unwrap(), None)
    );
    for bad in [
        "",
        "192.0.2",
        "192.0.2.1:",
        "192.0.2.1:65536",
        "[2001:db8::1]",
        "[2001:db8::1]80",
        "host:80",
        "1.2.3.4:-1",
    ] {
        assert!(addr_port("x", bad).is_err(), "{bad} should be refused");
    }
    assert_eq!(
        addr_port("real server", "10.0.0.1:99999")
            .unwrap_err()
            .to_string(),
        "real server \"10.0.0.1:99999\": port \"99999\" must be a whole number from 0 to 65535"
    );
}

#[test]
fn netmasks_by_family() {
    assert_eq!(
        netmask("255.255.255.0", Family::Inet),
        Ok(Netmask::V4("255.255.255.0".parse().unwrap()))
    );
    assert!(netmask("255.0.255.0", Family::Inet).is_err());
    assert_eq!(netmask("64", Family::Inet6), Ok(Netmask::V6(64)));
    assert!(netmask("0", Family::Inet6).is_err());
    assert!(netmask("129", Family::Inet6).is_err());
}

#[test]
fn scheduler_flags_follow_the_scheduler() {
    let f = sched_flags("sh-fallback,sh-port", "sh").unwrap();
    assert!(f.flag1 && f.flag2 && !f.flag3);
    assert_eq!(f.names("sh"), "sh-fallback,sh-port");
    assert!(sched_flags("sh-port", "rr").is_err());
    assert_eq!(sched_flags("flag-3", "rr").unwrap().names("rr"), "flag-3");
    assert!(sched_flags("bogus", "rr").is_err());
}

#[test]
fn service_rules() {
    let key = ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: "192.0.2.1".parse().unwrap(),
        port: 0,
    };
    let mut s = ServiceConfig::new(key);
    assert!(validate_service(&s).is_err(), "port 0 needs persistence");
    s.persistence = Some(360);
    assert!(validate_service(&s).is_ok());
    s.one_packet = true;
    assert!(validate_service(&s).is_err(), "one-packet needs UDP");
    let mut v6 = ServiceConfig::new(ServiceKey::Fwmark {
        mark: 1,
        family: Family::Inet6,
    });
    v6.netmask = Netmask::V4(Ipv4Addr::BROADCAST);
    assert!(validate_service(&v6).is_err(), "v4 netmask on a v6 service");
    assert!(
        validate_service(&ServiceConfig::new(ServiceKey::Fwmark {
            mark: 0,
            family: Family::Inet
        }))
        .is_err()
    );
}

#[test]
fn dest_rules() {
    let key = ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: "192.0.2.1".parse().unwrap(),
        port: 80,
    };
    let mut d = DestConfig::new("10.0.0.2".parse().unwrap(), 80);
    assert!(validate_dest(&key, &d).is_ok());
    d.l_threshold = 5;
    assert_eq!(
        validate_dest(&key, &d).unwrap_err().to_string(),
        "lower threshold \"5\": must not be above the upper threshold (0)"
    );
    d.l_threshold = 0;
    d.addr = "2001:db8::2".parse().unwrap();
    assert!(
        validate_dest(&key, &d).is_err(),
        "v6 dest under v4 service without tunnel"
    );
    d.forward = Forward::ipip();
    assert!(validate_dest(&key, &d).is_ok());
    d.forward = Forward::Tunnel {
        tun_type: TunnelType::Gue,
        port: 0,
        csum: TunnelCsum::NoCsum,
    };
    assert!(validate_dest(&key, &d).is_err(), "gue needs a port");
}
