use super::*;
use crate::ipvs::args::parse_args;
use proptest::prelude::*;

fn table() -> Snapshot {
    let s = crate::ipvs::sim::SimBackend::demo(1);
    s.advance(std::time::Duration::from_secs(5));
    futures::executor::block_on(s.snapshot()).unwrap()
}

#[test]
fn a_poll_without_drains_is_the_line_agents_before_them_read() {
    let line = br#"{"id":1,"req":{"poll":{"focus":null,"since":null}}}"#;
    let poll = RequestLine {
        id: 1,
        req: Request::Poll {
            watched: Watched::default(),
            since: None,
        },
    };
    assert_eq!(decode::<RequestLine>(line, MAX_REQUEST).unwrap(), poll);
    assert_eq!(encode(&poll).unwrap(), [&line[..], b"\n"].concat());
}

#[test]
fn every_message_travels_and_comes_back_the_same() {
    let snapshot = table();
    assert!(!snapshot.services.is_empty());
    let op: Operation = parse_args(&[
        "-a",
        "-t",
        "192.0.2.1:80",
        "-r",
        "10.0.0.2:80",
        "-m",
        "-w",
        "3",
    ])
    .unwrap()
    .into();
    let host: Operation = crate::host::parse::sysctl_assignment("net.ipv4.ip_forward=1")
        .unwrap()
        .into();
    let requests = [
        Request::Snapshot,
        Request::Poll {
            watched: Watched {
                focus: Some(snapshot.services[0].config.key),
                draining: vec![snapshot.services[1].config.key],
            },
            since: Some(3),
        },
        Request::Host,
        Request::Apply { op: op.clone() },
        Request::ApplyBatch {
            ops: vec![op, host],
        },
        Request::Conns(ConnsQuery {
            filter: vec!["state:ESTABLISHED".into()],
            max_rows: 10,
            max_templates: 0,
            max_clients: 5,
            within: vec![],
        }),
        Request::Conns(ConnsQuery {
            filter: vec![],
            max_rows: 10,
            max_templates: 10,
            max_clients: 5,
            within: vec![vec!["fwm:7".into()], vec!["rs:10.0.0.2:80".into()]],
        }),
        Request::Keepalived { pid: None },
        Request::PersistPlan { dir: "/etc".into() },
        Request::PersistWrite {
            dir: "/etc".into(),
            files: vec![(
                crate::setup::persist::PersistFile {
                    path: "/etc/ipvs-tui/rules".into(),
                    contents: "-A -t 192.0.2.1:80 -s rr\n".into(),
                },
                crate::setup::persist::OnDisk::Differs {
                    summary: "+1 -1 lines".into(),
                },
            )],
        },
    ];
    for (id, req) in requests.into_iter().enumerate() {
        let line = RequestLine { id: id as u64, req };
        let bytes = encode(&line).unwrap();
        assert_eq!(bytes.last(), Some(&b'\n'));
        assert_eq!(bytes.iter().filter(|b| **b == b'\n').count(), 1);
        let back: RequestLine = decode(&bytes[..bytes.len() - 1], MAX_REQUEST).unwrap();
        assert_eq!(back, line);
    }
    let errors: Vec<Result<(), OperationError>> = vec![
        Ok(()),
        Err(crate::ipvs::Error::Kernel {
            errno: 17,
            message: "service already exists".into(),
        }
        .into()),
        Err(crate::ipvs::Error::io("cannot read x", std::io::Error::other("gone")).into()),
        Err(crate::host::HostError::NoInterface("eth9".into()).into()),
    ];
    let bodies = [
        Body::Snapshot(Ok(snapshot.clone())),
        Body::Snapshot(Err(crate::ipvs::Error::Permission)),
        Body::Poll(Ok(PollAnswer {
            generation: 2,
            full: None,
            delta: Delta::between(1, &snapshot, &snapshot),
        })),
        Body::Batch(errors),
        Body::Error(ProtocolError::TooLong { limit: MAX_REQUEST }),
    ];
    for body in bodies {
        let line = ReplyLine { id: Some(9), body };
        let bytes = encode(&line).unwrap();
        let back: ReplyLine = decode(&bytes[..bytes.len() - 1], MAX_REPLY).unwrap();
        assert_eq!(back, line);
    }
    let hello = Hello {
        hello: AgentHello {
            protocol: PROTOCOL,
            program: "ipvs-tui 0.1.0".into(),
            host: "lb1".into(),
            ipvs: Some("1.2.1".into()),
            read_only: true,
            capabilities: Request::NAMES.iter().map(|s| s.to_string()).collect(),
        },
    };
    let bytes = encode(&hello).unwrap();
    let back: Hello<AgentHello> = decode(&bytes[..bytes.len() - 1], MAX_REPLY).unwrap();
    assert_eq!(back, hello);
}

#[test]
fn a_delta_carries_only_what_changed() {
    let old = table();
    let mut new = old.clone();
    assert_eq!(
        Delta::between(4, &old, &new).unwrap().apply(&old),
        Some(old.clone())
    );
    let quiet = encode(&Delta::between(4, &old, &new).unwrap()).unwrap();
    assert!(quiet.len() < 20, "{}", String::from_utf8_lossy(&quiet));
    new.services[1].stats.conns += 5;
    new.timeouts.tcp = 1;
    let delta = Delta::between(4, &old, &new).unwrap();
    assert_eq!(delta.services.len(), 1);
    assert_eq!(delta.clone().apply(&old), Some(new.clone()));
    // Services added, removed or moved: only a whole table says it.
    new.services.swap(0, 1);
    assert_eq!(Delta::between(4, &old, &new), None);
    new.services.pop();
    assert_eq!(Delta::between(4, &old, &new), None);
    // A delta that does not fit the table it is applied to is refused.
    let mut short = old.clone();
    short.services.truncate(1);
    assert_eq!(delta.apply(&short), None);
}

#[test]
fn a_delta_says_how_much_of_a_large_table_is_still_unread() {
    let mut old = table();
    (old.unread, old.unlisted) = (2, 2);
    let mut new = old.clone();
    (new.unread, new.unlisted) = (1, 0);
    let delta = decode::<Delta>(
        &encode(&Delta::between(7, &old, &new).unwrap()).unwrap(),
        1 << 20,
    );
    assert_eq!(
        delta.unwrap().apply(&old).map(|s| (s.unread, s.unlisted)),
        Some((1, 0))
    );
    new.unread = 0;
    let whole = decode::<Snapshot>(&encode(&new).unwrap(), 1 << 20).unwrap();
    assert_eq!(whole.unread, 0);
}

#[test]
fn long_and_broken_lines_are_told_apart() {
    let long = vec![b' '; MAX_REQUEST + 1];
    assert_eq!(
        decode::<RequestLine>(&long, MAX_REQUEST),
        Err(DecodeError::TooLong { limit: MAX_REQUEST })
    );
    let e = decode::<RequestLine>(b"{\"id\":1,\"req\":\"launch\"}", MAX_REQUEST).unwrap_err();
    assert!(e.to_string().contains("unknown variant"), "{e}");
    assert_eq!(id_of(b"{\"id\":7,\"req\":\"launch\"}"), Some(7));
    assert_eq!(id_of(b"garbage"), None);
}

proptest! {
    #![proptest_config(crate::testing::proptest_config())]
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode::<RequestLine>(&bytes, MAX_REQUEST);
        let _ = decode::<Hello<ClientHello>>(&bytes, MAX_REQUEST);
        let _ = decode::<ReplyLine>(&bytes, MAX_REPLY);
        let _ = decode::<Hello<AgentHello>>(&bytes, MAX_REPLY);
        let _ = id_of(&bytes);
    }

    #[test]
    fn json_shaped_noise_never_panics(
        id in any::<u64>(),
        kind in "[a-z_]{0,12}",
        value in "[ -~]{0,40}",
    ) {
        let line = format!("{{\"id\":{id},\"req\":{{\"{kind}\":{value}}}}}");
        let _ = decode::<RequestLine>(line.as_bytes(), MAX_REQUEST);
        let line = format!("{{\"id\":{id},\"body\":{{\"{kind}\":{value}}}}}");
        let _ = decode::<ReplyLine>(line.as_bytes(), MAX_REPLY);
    }

    #[test]
    fn a_weight_change_round_trips(weight in 0u32..=i32::MAX as u32, port in 1u16..) {
        let op: Operation = parse_args(&[
            "-e", "-t", &format!("192.0.2.1:{port}"), "-r", "10.0.0.2", "-w", &weight.to_string(),
        ])
        .unwrap()
        .into();
        let line = RequestLine { id: 1, req: Request::Apply { op } };
        let bytes = encode(&line).unwrap();
        prop_assert_eq!(decode::<RequestLine>(&bytes[..bytes.len() - 1], MAX_REQUEST).unwrap(), line);
    }
}

/// Every kind of change travels: ipvsadm's whole vocabulary, through the parser that builds it.
#[test]
fn every_change_travels() {
    let lines: [&[&str]; 12] = [
        &["-A", "-t", "192.0.2.1:80", "-s", "rr", "-p", "60"],
        &["-E", "-f", "7", "-6", "-s", "wlc"],
        &["-D", "-u", "[2001:db8::1]:53"],
        &[
            "-a",
            "-t",
            "192.0.2.1:80",
            "-r",
            "10.0.0.2:80",
            "-i",
            "-w",
            "3",
        ],
        &[
            "-e",
            "-t",
            "192.0.2.1:80",
            "-r",
            "10.0.0.2:80",
            "-g",
            "-x",
            "10",
            "-y",
            "5",
        ],
        &["-d", "-t", "192.0.2.1:80", "-r", "10.0.0.2:80"],
        &["-Z"],
        &["-Z", "-t", "192.0.2.1:80"],
        &["-C"],
        &["--set", "900", "120", "300"],
        &[
            "--start-daemon",
            "master",
            "--mcast-interface",
            "eth1",
            "--syncid",
            "9",
        ],
        &["--stop-daemon", "backup"],
    ];
    for words in lines {
        let op: Operation = parse_args(words)
            .unwrap_or_else(|e| panic!("{words:?}: {e}"))
            .into();
        let line = RequestLine {
            id: 1,
            req: Request::Apply { op },
        };
        let bytes = encode(&line).unwrap_or_else(|e| panic!("{words:?}: {e}"));
        let back: RequestLine = decode(&bytes[..bytes.len() - 1], MAX_REQUEST).unwrap();
        assert_eq!(back, line, "{words:?}");
    }
}

/// A query without a scope is the line a PROTOCOL=1 agent of before the scope reads, and such
/// a line (no `within`) still reads here.
#[test]
fn a_query_without_scope_is_the_old_line() {
    let query = ConnsQuery {
        filter: vec!["state:ESTABLISHED".into()],
        max_rows: 10,
        max_templates: 0,
        max_clients: 5,
        within: vec![],
    };
    let line = serde_json::to_string(&Request::Conns(query.clone())).unwrap();
    assert!(!line.contains("within"), "{line}");
    let old = r#"{"conns":{"filter":["state:ESTABLISHED"],"max_rows":10,"max_templates":0,"max_clients":5}}"#;
    assert_eq!(
        serde_json::from_str::<Request>(old).unwrap(),
        Request::Conns(query)
    );
    assert!(Request::capabilities().iter().any(|c| c == CONNS_WITHIN));
}
