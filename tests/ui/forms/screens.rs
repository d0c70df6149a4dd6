//! Every form drawn at 80x24 and 160x48, compared with insta snapshots.

use super::*;

#[test]
fn add_service_empty_80x24() {
    insta::assert_snapshot!(screen(&Form::add_service(), 80, 24));
}

#[test]
fn add_service_filled_80x24() {
    insta::assert_snapshot!(screen(&focus(persistent_sh_service(), Address), 80, 24));
}

#[test]
fn add_service_filled_160x48() {
    insta::assert_snapshot!(screen(&focus(persistent_sh_service(), SchedFlags), 160, 48));
}

#[test]
fn add_service_with_errors_80x24_scrolls_to_the_focused_field() {
    let mut form = filled(
        Form::add_service(),
        &[
            (Address, "192.0.2.300"),
            (Port, "65536"),
            (Scheduler, "round-robin"),
            (Persistent, "on"),
            (Timeout, "0"),
            (Netmask, "255.0.255.0"),
        ],
    );
    assert_eq!(form.submit(None), None);
    insta::assert_snapshot!(screen(&form, 80, 24));
}

#[test]
fn add_fwmark_service_160x48() {
    let form = filled(
        Form::add_service(),
        &[
            (Kind, "firewall mark"),
            (Fwmark, "42"),
            (Family, "IPv6"),
            (OnePacket, "on"),
        ],
    );
    insta::assert_snapshot!(screen(&focus(form, Kind), 160, 48));
}

#[test]
fn edit_service_80x24() {
    let current = ServiceConfig {
        persistence: Some(600),
        pe: Some("sip".into()),
        ..web()
    };
    insta::assert_snapshot!(screen(&Form::edit_service(&current), 80, 24));
}

#[test]
fn edit_of_a_vanished_service_80x24() {
    let mut form = Form::edit_service(&web());
    assert_eq!(form.submit(Some(&Snapshot::default())), None);
    insta::assert_snapshot!(screen(&form, 80, 24));
}

#[test]
fn add_dest_empty_80x24() {
    insta::assert_snapshot!(screen(&Form::add_dest(&web()), 80, 24));
}

#[test]
fn add_dest_tunnel_gue_80x24() {
    let form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "tunnel (TUN, -i)"),
            (TunnelType, "gue"),
            (TunnelPort, "6080"),
            (TunnelCsum, "csum"),
            (Weight, "2"),
        ],
    );
    insta::assert_snapshot!(screen(&focus(form, TunnelPort), 80, 24));
}

#[test]
fn add_dest_with_errors_80x24() {
    let mut form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "2001:db8::2"),
            (Method, "masquerading (NAT, -m)"),
            (ServerPort, "8080"),
            (Weight, "-1"),
            (UpperThreshold, "5"),
            (LowerThreshold, "10"),
        ],
    );
    assert_eq!(form.submit(Some(&table())), None);
    insta::assert_snapshot!(screen(&form, 80, 24));
}

#[test]
fn add_dest_masquerading_160x48() {
    let form = filled(
        Form::add_dest(&web()),
        &[
            (Server, "203.0.113.3"),
            (Method, "masquerading (NAT, -m)"),
            (ServerPort, "8080"),
            (Weight, "3"),
        ],
    );
    insta::assert_snapshot!(screen(&focus(form, Method), 160, 48));
}

#[test]
fn edit_dest_80x24() {
    insta::assert_snapshot!(screen(
        &Form::edit_dest(&web(), &masq("203.0.113.2", 80, 1)),
        80,
        24
    ));
}

#[test]
fn weight_80x24() {
    insta::assert_snapshot!(screen(
        &filled(
            Form::weight(&web(), &masq("203.0.113.2", 80, 1)),
            &[(Weight, "2147483648")]
        ),
        80,
        24
    ));
}

#[test]
fn timeouts_80x24() {
    insta::assert_snapshot!(screen(&filled(timeouts(), &[(TcpFin, "60")]), 80, 24));
}

#[test]
fn daemon_with_a_running_master_80x24() {
    let form = filled(
        Form::daemon(&[SyncDaemon {
            mcast_group: Some(ip("239.0.0.9")),
            mcast_ttl: 2,
            ..daemon(SyncState::Master)
        }]),
        &[(Group, "10.0.0.1")],
    );
    insta::assert_snapshot!(screen(&form, 80, 24));
}

#[test]
fn daemon_stop_160x48() {
    let form = filled(
        Form::daemon(&[daemon(SyncState::Master), daemon(SyncState::Backup)]),
        &[(DaemonRole, "backup")],
    );
    insta::assert_snapshot!(screen(&form, 160, 48));
}

#[test]
fn confirm_delete_80x24() {
    let confirm = Confirm::new(
        "Delete TCP 198.51.100.1:80 and its 1 real server?",
        vec![IpvsOp::DeleteService(web().key)],
        None,
    );
    insta::assert_snapshot!(confirm_screen(&confirm, 80, 24));
}

#[test]
fn confirm_flush_typing_80x24() {
    let mut confirm = Confirm::new("Flush the whole table?", vec![IpvsOp::Flush], Some("flush"));
    "flu"
        .chars()
        .for_each(|c| confirm.edit(InputRequest::InsertChar(c)));
    insta::assert_snapshot!(confirm_screen(&confirm, 80, 24));
}

#[test]
fn confirm_flush_160x48() {
    let confirm = Confirm::new("Flush the whole table?", vec![IpvsOp::Flush], Some("flush"));
    insta::assert_snapshot!(confirm_screen(&confirm, 160, 48));
}
