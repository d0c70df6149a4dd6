//! Mistakes on NAT and DR directors.

use super::*;

#[test]
fn nat_director_mistakes() {
    let mut f = nat_director();
    f.host
        .sysctls
        .insert("net.ipv4.ip_forward".into(), "0".into());
    assert_eq!(
        found(&f),
        ["Error ip_forward_off: sysctl -w net.ipv4.ip_forward=1"]
    );
    let finding = &diagnose(&f)[0];
    assert_eq!(finding.what, "net.ipv4.ip_forward is 0 on a NAT director");

    let mut f = nat_director();
    f.host.links[1].addrs.pop();
    assert_eq!(
        found(&f),
        ["Error vip_not_bound: ip addr add 203.0.113.100/32 dev out0"]
    );

    let mut f = nat_director();
    f.probes[1].error = Some("Connection refused (os error 111)".into());
    let d = diagnose(&f);
    assert_eq!(found(&f), ["Error real_server_unreachable: "]);
    assert_eq!(
        d[0].what,
        "real server 10.10.0.12:80 of -t 203.0.113.100:80 does not answer a TCP connect from this director: Connection refused (os error 111)"
    );

    // A real server on a subnet the director has no route to (other than the default one).
    let mut f = nat_director();
    let op = parse_args(&["-a", "-t", "203.0.113.100:80", "-r", "192.0.2.9:80", "-m"]).unwrap();
    table::apply(&mut f.ipvs, &op).unwrap();
    f.host.routes.push(crate::host::Route {
        dst: "0.0.0.0".parse().unwrap(),
        prefix: 0,
        gateway: Some("203.0.113.254".parse().unwrap()),
        dev: Some("out0".into()),
    });
    assert_eq!(found(&f), ["Error real_server_no_route: "]);
    f.host.routes.push(crate::host::Route {
        dst: "192.0.2.0".parse().unwrap(),
        prefix: 24,
        gateway: Some("10.10.0.254".parse().unwrap()),
        dev: Some("in0".into()),
    });
    assert_eq!(
        found(&f),
        Vec::<String>::new(),
        "routed through the inside network"
    );
}

#[test]
fn every_director_service_needs_real_servers_with_weight() {
    let mut f = nat_director();
    table::apply(
        &mut f.ipvs,
        &parse_args(&["-A", "-t", "203.0.113.100:443"]).unwrap(),
    )
    .unwrap();
    assert_eq!(found(&f), ["Error no_real_server: "]);
    let mut f = dr_director();
    for rs in ["198.51.100.11:80", "198.51.100.12:80"] {
        table::apply(
            &mut f.ipvs,
            &parse_args(&["-e", "-t", "198.51.100.100:80", "-r", rs, "-g", "-w", "0"]).unwrap(),
        )
        .unwrap();
    }
    assert_eq!(found(&f), ["Warning all_weight_zero: "]);
}

#[test]
fn dr_director_mistakes() {
    let mut f = dr_director();
    table::apply(
        &mut f.ipvs,
        &parse_args(&["-a", "-t", "198.51.100.100:80", "-r", "192.0.2.50:80", "-g"]).unwrap(),
    )
    .unwrap();
    assert_eq!(found(&f), ["Error real_server_not_on_link: "]);
    // The VIP's own /32 is no way to reach a real server.
    let mut f = dr_director();
    f.host.links[1].addrs = vec![Addr {
        addr: "198.51.100.100".parse().unwrap(),
        prefix: 24,
        label: None,
    }];
    assert_eq!(
        found(&f),
        [
            "Error real_server_not_on_link: ",
            "Error real_server_not_on_link: "
        ]
    );
    // A DR probe that fails is a warning: the server may listen on the VIP only.
    let mut f = dr_director();
    f.probes.push(Probe {
        addr: "198.51.100.11".parse().unwrap(),
        port: 80,
        error: Some("Connection refused (os error 111)".into()),
    });
    assert_eq!(found(&f), ["Warning real_server_unreachable: "]);
}
