//! Port and host names: only names are looked up, and a name that does not resolve is named.

use super::*;

const DB: &str = "\
# comment line
http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP
https\t\t443/tcp
https\t\t443/udp\t\t\t\t# HTTP/3
domain\t\t53/tcp
domain\t\t53/udp
http\t\t8080/tcp
bad\t\tx/tcp
";

#[test]
fn the_services_database_by_protocol_with_aliases() {
    let db = parse_services(DB);
    assert_eq!(db[&("http".to_string(), "tcp")], 80, "the first entry wins");
    assert_eq!(db[&("www".to_string(), "tcp")], 80);
    assert_eq!(db[&("https".to_string(), "udp")], 443);
    assert!(!db.contains_key(&("http".to_string(), "udp")));
    assert!(!db.contains_key(&("bad".to_string(), "tcp")));
}

#[test]
fn numbers_and_addresses_are_never_looked_up() {
    for (text, want) in [
        ("192.0.2.1:80", ("192.0.2.1", Some(80))),
        ("[2001:db8::1]:443", ("2001:db8::1", Some(443))),
        ("192.0.2.1", ("192.0.2.1", None)),
    ] {
        let (addr, port) = addr_port("x", text, None).unwrap();
        assert_eq!((addr.to_string().as_str(), port), want);
    }
    // Not names: the parser's own error, no lookup.
    for bad in [
        "1.2.3:80",
        "192.0.2.1:80:80",
        "[2001:db8::1]:",
        "192.0.2.1:-1",
    ] {
        assert!(addr_port("x", bad, Some(Protocol::Tcp)).is_err(), "{bad}");
    }
}

#[test]
fn localhost_and_port_names_resolve_on_this_machine() {
    if services().is_err() {
        return; // no /etc/services here
    }
    let (addr, port) = addr_port("virtual service", "localhost:http", Some(Protocol::Tcp)).unwrap();
    assert_eq!((addr, port), ("127.0.0.1".parse().unwrap(), Some(80)));
    let (_, port) = addr_port("real server", "[2001:db8::1]:https", Some(Protocol::Udp)).unwrap();
    assert_eq!(port, Some(443));
}

#[test]
fn an_unknown_name_is_named() {
    let e = addr_port(
        "virtual service",
        "192.0.2.1:no-such-port",
        Some(Protocol::Tcp),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("\"no-such-port\""), "{e}");
    let e = addr_port("real server", "192.0.2.1:http", None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("fwmark"), "{e}");
    // Host names that do not resolve are not tested: that would ask a DNS server.
}
