//! Good inputs to the real-server, weight, timeout and sync-daemon forms.

use super::*;

#[test]
fn a_masquerading_real_server_with_weight_and_thresholds() {
    let form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "masquerading (NAT, -m)"),
            (ServerPort, "8080"),
            (Weight, "3"),
            (UpperThreshold, "100"),
            (LowerThreshold, "50"),
        ],
    );
    let (ops, preview) = good(form, &table());
    let dest = DestConfig {
        u_threshold: 100,
        l_threshold: 50,
        ..masq("203.0.113.3", 8080, 3)
    };
    assert_eq!(
        ops,
        [IpvsOp::AddDest {
            service: web().key,
            dest
        }]
    );
    assert_eq!(
        preview,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:8080 -m -w 3 -x 100 -y 50"
    );
}

#[test]
fn the_brief_example_and_the_default_port_of_masquerading() {
    let form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "masquerading (NAT, -m)"),
            (Weight, "3"),
        ],
    );
    assert_eq!(
        good(form, &table()).1,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -m -w 3"
    );
}

#[test]
fn direct_routing_and_tunnels_take_the_service_port_whatever_was_typed() {
    let typed = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "masquerading (NAT, -m)"),
            (ServerPort, "8080"),
        ],
    );
    let route = filled(typed.clone(), &[(Method, "direct routing (DR, -g)")]);
    assert_eq!(
        good(route, &table()).1,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -g -w 1"
    );
    let tunnel = filled(typed, &[(Method, "tunnel (TUN, -i)")]);
    assert_eq!(
        good(tunnel, &table()).1,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -i -w 1 --tun-type ipip"
    );
}

#[test]
fn tunnel_fields_typed_then_switched_to_masquerading_do_not_leak() {
    let form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "tunnel (TUN, -i)"),
            (TunnelType, "gue"),
            (TunnelPort, "6080"),
            (TunnelCsum, "remcsum"),
            (Weight, "2"),
        ],
    );
    let (_, preview) = good(form.clone(), &table());
    assert_eq!(
        preview,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -i -w 2 --tun-type gue --tun-port 6080 --tun-remcsum"
    );
    let to_masq = filled(form.clone(), &[(Method, "masquerading (NAT, -m)")]);
    let (ops, preview) = good(to_masq, &table());
    assert_eq!(
        ops,
        [IpvsOp::AddDest {
            service: web().key,
            dest: masq("203.0.113.3", 80, 2)
        }]
    );
    assert_eq!(
        preview,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -m -w 2"
    );
    let gre = filled(
        form,
        &[(TunnelType, "gre"), (TunnelPort, ""), (TunnelCsum, "csum")],
    );
    assert_eq!(
        good(gre, &table()).1,
        "ipvsadm -a -t 198.51.100.1:80 -r 203.0.113.3:80 -i -w 2 --tun-type gre --tun-csum"
    );
}

#[test]
fn an_ipv4_real_server_under_an_ipv6_service_by_tunnel() {
    let form = filled(
        Form::add_dest(&web6()),
        &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)")],
    );
    let table = Snapshot {
        services: vec![Service {
            config: web6(),
            stats: Stats::default(),
            dests: Default::default(),
        }],
        ..Snapshot::default()
    };
    assert_eq!(
        good(form, &table).1,
        "ipvsadm -a -t [2001:db8::1]:443 -r 203.0.113.3:443 -i -w 1 --tun-type ipip"
    );
}

#[test]
fn a_fwmark_service_gives_direct_routing_no_port_and_masquerading_the_one_typed() {
    let fwm = ServiceConfig::new(ServiceKey::Fwmark {
        mark: 7,
        family: model::Family::Inet,
    });
    let route = filled(Form::add_dest(&fwm), &[(Server, "203.0.113.3")]);
    assert_eq!(
        good(route, &table()).1,
        "ipvsadm -a -f 7 -r 203.0.113.3:0 -g -w 1"
    );
    let nat = filled(
        Form::add_dest(&fwm),
        &[
            (Server, "203.0.113.3"),
            (Method, "masquerading (NAT, -m)"),
            (ServerPort, "8080"),
        ],
    );
    assert_eq!(
        good(nat, &table()).1,
        "ipvsadm -a -f 7 -r 203.0.113.3:8080 -m -w 1"
    );
}

#[test]
fn editing_a_real_server_keeps_its_address_and_port() {
    let form = Form::edit_dest(&web(), &masq("203.0.113.2", 80, 1));
    assert_eq!(form.value(Server).as_deref(), Some("203.0.113.2:80"));
    assert_eq!(
        form.value(Method).as_deref(),
        Some("masquerading (NAT, -m)")
    );
    assert!(form.fields().iter().all(|f| f.id != ServerPort));
    let form = filled(form, &[(Weight, "5"), (UpperThreshold, "10")]);
    assert_eq!(
        good(form, &table()).1,
        "ipvsadm -e -t 198.51.100.1:80 -r 203.0.113.2:80 -m -w 5 -x 10"
    );
}

#[test]
fn the_weight_form_changes_only_the_weight() {
    let current = DestConfig {
        u_threshold: 9,
        ..masq("203.0.113.2", 80, 1)
    };
    let form = Form::weight(&web(), &current);
    assert_eq!(
        form.fields()
            .iter()
            .filter(|f| !matches!(f.value, Value::Fixed(_)))
            .count(),
        1
    );
    let (ops, preview) = good(filled(form, &[(Weight, "0")]), &table());
    assert_eq!(
        ops,
        [IpvsOp::EditDest {
            service: web().key,
            dest: DestConfig {
                weight: 0,
                ..current
            }
        }]
    );
    assert_eq!(
        preview,
        "ipvsadm -e -t 198.51.100.1:80 -r 203.0.113.2:80 -m -w 0 -x 9"
    );
}

#[test]
fn timeouts_start_filled_and_zero_leaves_one_unchanged() {
    let (_, preview) = good(filled(timeouts(), &[(TcpFin, "0"), (Udp, "60")]), &table());
    assert_eq!(preview, "ipvsadm --set 900 0 60");
}

#[test]
fn sync_daemons_start_with_every_option_and_stop() {
    let form = Form::daemon(&[daemon(SyncState::Master)]);
    assert_eq!(
        form.value(DaemonRole).as_deref(),
        Some("backup"),
        "the role not running yet"
    );
    assert_eq!(
        form.value(Interface).as_deref(),
        Some("eth1"),
        "the running daemon's interface"
    );
    assert_eq!(form.context(), ["running: master on eth1, syncid 7"]);
    let start = filled(
        form.clone(),
        &[
            (MaxLen, "1400"),
            (Group, "239.1.2.3"),
            (McastPort, "8849"),
            (Ttl, "2"),
        ],
    );
    assert_eq!(
        good(start, &table()).1,
        "ipvsadm --start-daemon backup --mcast-interface eth1 --syncid 7 --sync-maxlen 1400 --mcast-group 239.1.2.3 --mcast-port 8849 --mcast-ttl 2"
    );
    let stop = filled(form, &[(DaemonAction, "stop"), (DaemonRole, "master")]);
    assert!(
        stop.fields().iter().all(|f| f.id != Interface),
        "stopping needs only the role"
    );
    assert_eq!(good(stop, &table()).1, "ipvsadm --stop-daemon master");
    let fresh = Form::daemon(&[]);
    assert_eq!(
        good(fresh, &Snapshot::default()).1,
        "ipvsadm --start-daemon master --mcast-interface eth0 --syncid 255"
    );
}
