//! Connection filters: terms combined, fwmarks and masked templates.

use super::*;

fn entry(l: &str) -> ConnLine {
    line::parse_line(l.as_bytes()).unwrap()
}

const EST: &str = "TCP CB007102 AD74 CB007164 0051 0A0A000C 0051 ESTABLISHED     894";

#[test]
fn combined_terms() {
    let f = Filter::parse(&[
        "rs:10.10.0.12 state:established client:203.0.113.0/24 svc:203.0.113.100:81 proto:tcp",
    ])
    .unwrap();
    assert!(f.matches(&entry(EST)));
    for other in [
        "rs:10.10.0.11",
        "state:SYN_RECV",
        "client:198.51.100.0/24",
        "svc:203.0.113.100:80",
        "proto:udp",
        "rs:10.10.0.12:80",
    ] {
        let f = Filter::parse(&[other]).unwrap();
        assert!(!f.matches(&entry(EST)), "{other} should not match");
    }
    // Same key twice: either.
    assert!(
        Filter::parse(&["state:SYN_RECV", "state:ESTABLISHED"])
            .unwrap()
            .matches(&entry(EST))
    );
}

#[test]
fn fwmark_and_masked_templates() {
    let t = entry("IP  CB007102 0000 00000007 0000 0A0A000C 0000 ASSURED         114");
    assert!(Filter::parse(&["fwm:7"]).unwrap().matches(&t));
    assert!(Filter::parse(&["svc:fwm:7"]).unwrap().matches(&t));
    assert!(!Filter::parse(&["fwm:8"]).unwrap().matches(&t));
    let masked = entry("UDP CB007100 0000 CB007164 0036 0A0A000B 0035 ASSURED         115");
    let udp54 = ServiceId::Addr {
        proto: 17,
        addr: "203.0.113.100".parse().unwrap(),
        port: 54,
    };
    let with_mask = |t: &str, prefix| {
        Filter::parse(&[t])
            .unwrap()
            .with_masks(vec![(udp54, prefix)])
    };
    assert!(with_mask("client:203.0.113.2", 24).matches(&masked));
    assert!(!with_mask("client:203.0.114.2", 24).matches(&masked));
    // Unknown mask, or a host mask: the template's own address only (203.0.113.0 is not .2).
    assert!(
        !Filter::parse(&["client:203.0.113.2"])
            .unwrap()
            .matches(&masked)
    );
    assert!(!with_mask("client:203.0.113.2", 32).matches(&masked));
    assert!(
        Filter::parse(&["client:203.0.113.0"])
            .unwrap()
            .matches(&masked)
    );
    // A host template never covers its neighbour (203.0.113.10 is not 203.0.113.11's).
    let host = entry("UDP CB00710A 0000 CB007164 0036 0A0A000B 0035 ASSURED         115");
    assert!(
        !Filter::parse(&["client:203.0.113.11"])
            .unwrap()
            .matches(&host)
    );
    // A connection entry is matched by its own address only.
    let udp = entry("UDP CB007100 C875 CB007164 0035 0A0A000C 0035 UDP             294");
    assert!(
        !Filter::parse(&["client:203.0.113.2"])
            .unwrap()
            .matches(&udp)
    );
}

#[test]
fn a_scope_is_either_of_its_filters_and_all_the_terms() {
    // A fwmark service: its templates, or connections to its real server.
    let scope = vec![
        Filter::parse(&["fwm:7"]).unwrap(),
        Filter::parse(&["rs:10.10.0.12:81"]).unwrap(),
    ];
    let template = entry("IP  CB007102 0000 00000007 0000 0A0A000C 0000 ASSURED         114");
    let conn = entry(EST);
    let other = entry("TCP CB007102 AD78 CB007164 0051 0A0A000B 0051 ESTABLISHED     894");
    let scoped = Filter::default().within(scope.clone());
    assert!(scoped.matches(&template) && scoped.matches(&conn) && !scoped.matches(&other));
    // The user's terms still apply inside the scope, and cannot widen it.
    assert!(
        !Filter::parse(&["state:ASSURED"])
            .unwrap()
            .within(scope.clone())
            .matches(&conn)
    );
    assert!(
        !Filter::parse(&["rs:10.10.0.11"])
            .unwrap()
            .within(scope)
            .matches(&other)
    );
}

#[test]
fn ipv6_terms() {
    let e = entry(
        "TCP 2001:0db8:0001:0000:0000:0000:0000:0002 E052 2001:0db8:0001:0000:0000:0000:0000:0100 0051 2001:0db8:0002:0000:0000:0000:0000:0011 0051 ESTABLISHED     894",
    );
    for t in [
        "rs:[2001:db8:2::11]:81",
        "rs:2001:db8:2::11",
        "svc:[2001:db8:1::100]:81",
        "client:2001:db8:1::/48",
    ] {
        assert!(Filter::parse(&[t]).unwrap().matches(&e), "{t}");
    }
}

#[test]
fn errors_say_what_is_allowed() {
    for (term, words) in [
        ("rs:10.0.0", "rs:10.0.0.2:80"),
        ("state:BOGUS", "SYN_RECV"),
        ("client:10.0.0.0/33", "ADDR/PREFIX"),
        ("color:red", "keys are"),
        ("nokey", "KEY:VALUE"),
        ("fwm:0", "1 to 4294967295"),
        ("proto:xyz", "tcp, udp"),
    ] {
        let e = Filter::parse(&[term]).unwrap_err().to_string();
        assert!(e.contains(words), "{term}: {e}");
    }
}

/// What an agent elsewhere is sent: the same filter once parsed there.
#[test]
fn terms_parse_back_to_the_same_filter() {
    let typed = [
        "proto:tcp proto:17 svc:192.0.2.1:80 svc:[2001:db8::1]:443 svc:192.0.2.9",
        "fwm:7 rs:10.0.0.2 rs:10.0.0.3:8080 rs:[2001:db8:2::11]:81 rs:2001:db8:2::12",
        "client:198.51.100.7 client:198.51.100.0/24 client:2001:db8:1::/48 client:2001:db8::5",
        "state:SYN_RECV state:established state:TIME_WAIT",
    ];
    let f = Filter::parse(&typed).unwrap();
    assert_eq!(Filter::parse(&f.terms()).unwrap(), f, "{:?}", f.terms());
    assert!(Filter::default().terms().is_empty());
}
