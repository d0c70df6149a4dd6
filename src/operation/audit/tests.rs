use super::*;
use crate::ipvs::Error;
use crate::ipvs::args::parse_args;
use crate::ipvs::model::{SyncDaemon, SyncState, Timeouts};
use crate::ipvs::rules;
use std::os::unix::fs::PermissionsExt;

fn op(line: &str) -> IpvsOp {
    parse_args(&line.split_whitespace().collect::<Vec<_>>()).unwrap()
}

/// Two services, three real servers, timeouts and a master daemon.
fn table() -> Snapshot {
    let mut snap = Snapshot {
        timeouts: Timeouts {
            tcp: 900,
            tcp_fin: 120,
            udp: 300,
        },
        ..Snapshot::default()
    };
    for line in [
        "-A -t 192.0.2.1:80 -s rr",
        "-a -t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 3",
        "-a -t 192.0.2.1:80 -r 10.0.0.3:80 -m -w 1 -x 50",
        "-A -u 192.0.2.1:53 -s wlc",
        "-a -u 192.0.2.1:53 -r 10.0.0.2:53 -m -w 1",
    ] {
        crate::ipvs::table::apply(&mut snap, &op(line)).unwrap();
    }
    snap.daemons.push(SyncDaemon {
        state: SyncState::Master,
        mcast_ifn: "eth1".into(),
        sync_id: 7,
        sync_maxlen: 0,
        mcast_group: None,
        mcast_port: 0,
        mcast_ttl: 0,
    });
    snap
}

fn context() -> Context {
    Context {
        user: "alice".into(),
        host: "lb1".into(),
        source: Some(Source::Console),
        undo_of: None,
    }
}

fn entry(n: usize, before_len: usize) -> Entry {
    let mut e = Entry::new(
        &op("-Z"),
        &Ok(()),
        &Snapshot::default(),
        &context(),
        jiff::Timestamp::UNIX_EPOCH,
    );
    e.user = format!("writer {n}");
    e.before = vec!["x".repeat(before_len)];
    e
}

#[test]
fn before_holds_what_each_change_replaces_as_ipvsadm_save_lines() {
    let snap = table();
    let cases: &[(&str, &[&str])] = &[
        (
            "-D -t 192.0.2.1:80",
            &[
                "-A -t 192.0.2.1:80 -s rr",
                "-a -t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 3",
                "-a -t 192.0.2.1:80 -r 10.0.0.3:80 -m -w 1",
            ],
        ),
        ("-E -t 192.0.2.1:80 -s wrr", &["-A -t 192.0.2.1:80 -s rr"]),
        (
            "-d -t 192.0.2.1:80 -r 10.0.0.3:80",
            &["-a -t 192.0.2.1:80 -r 10.0.0.3:80 -m -w 1"],
        ),
        (
            "-e -t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 0",
            &["-a -t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 3"],
        ),
        ("--set 60 0 0", &["--set 900 120 300"]),
        (
            "--stop-daemon master",
            &["--start-daemon master --mcast-interface eth1 --syncid 7"],
        ),
        // New objects and counters: nothing replaced.
        ("-A -t 192.0.2.9:80", &[]),
        ("-a -t 192.0.2.1:80 -r 10.0.0.9:80 -m", &[]),
        ("--start-daemon backup --mcast-interface eth1", &[]),
        ("-Z", &[]),
        ("-Z -t 192.0.2.1:80", &[]),
        // Objects that are not there (the change fails): nothing to show either.
        ("-D -t 192.0.2.200:80", &[]),
        ("-d -t 192.0.2.1:80 -r 10.0.0.200:80", &[]),
    ];
    for (line, want) in cases {
        assert_eq!(before_lines(&op(line), &snap), *want, "{line}");
    }
    let flushed = before_lines(&IpvsOp::Flush, &snap);
    assert_eq!(
        flushed.join("\n") + "\n",
        rules::save(&snap),
        "a flush keeps the whole table"
    );
    assert_eq!(flushed.len(), 5);
}

#[test]
fn a_record_is_one_json_line_with_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::at(dir.path().join("logs/ipvs-tui/audit.log"));
    let before = table();
    let delete = op("-d -t 192.0.2.1:80 -r 10.0.0.2:80");
    log.record(&delete, &Ok(()), &before, &context()).unwrap();
    let refused = Err(Error::Kernel {
        errno: 17,
        message: "the service already exists".into(),
    }
    .into());
    log.record(
        &op("-A -t 192.0.2.1:80"),
        &refused,
        &before,
        &Context {
            source: Some(Source::Cli),
            ..context().undoing("ipvsadm -D -t 192.0.2.1:80")
        },
    )
    .unwrap();

    let text = std::fs::read_to_string(log.path()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(text.ends_with('\n'));
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let time = first["time"].as_str().unwrap();
    assert!(
        time.ends_with('Z') && time.parse::<jiff::Timestamp>().is_ok(),
        "RFC 3339 in UTC: {time}"
    );
    assert!(
        (jiff::Timestamp::now() - time.parse::<jiff::Timestamp>().unwrap())
            .as_secs()
            .abs()
            < 60
    );
    assert_eq!(first["user"], "alice");
    assert_eq!(first["host"], "lb1");
    assert_eq!(first["source"], "console");
    assert_eq!(
        first["command"],
        "ipvsadm -d -t 192.0.2.1:80 -r 10.0.0.2:80"
    );
    assert_eq!(first["result"], "ok");
    assert_eq!(first.get("error"), None);
    assert_eq!(first.get("undo_of"), None);
    assert_eq!(
        first["before"],
        serde_json::json!(["-a -t 192.0.2.1:80 -r 10.0.0.2:80 -m -w 3"])
    );
    assert_eq!(first["op"], serde_json::to_value(&delete).unwrap());
    assert_eq!(first["op"]["op"], "delete_dest");

    let tail = read_last(log.path(), 10).unwrap();
    assert_eq!(tail.unreadable, 0);
    let second = &tail.entries[1];
    assert!(!second.is_ok());
    assert_eq!(second.error.as_deref(), Some("the service already exists"));
    assert_eq!(
        second.undo_of.as_deref(),
        Some("ipvsadm -D -t 192.0.2.1:80")
    );
    assert_eq!(second.source, Some(Source::Cli));
    assert_eq!(second.before, ["-A -t 192.0.2.1:80 -s rr"]);

    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let (file, dir) = (mode(log.path()), mode(log.path().parent().unwrap()));
    assert!(
        file & 0o600 == 0o600 && file & !0o640 == 0,
        "file mode {file:o}: at most rw-r-----"
    );
    assert!(
        dir & 0o700 == 0o700 && dir & !0o750 == 0,
        "directory mode {dir:o}: at most rwxr-x---"
    );
}

#[test]
fn concurrent_writers_never_interleave_lines() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::at(dir.path().join("audit.log"));
    let (writers, each) = (8, 60);
    std::thread::scope(|s| {
        for w in 0..writers {
            let log = log.clone();
            // Lines of 20 KiB: far above a pipe's atomic size, so only O_APPEND keeps them whole.
            s.spawn(move || (0..each).for_each(|_| log.append(&entry(w, 20_000)).unwrap()));
        }
    });
    let text = std::fs::read_to_string(log.path()).unwrap();
    let mut per_writer = vec![0; writers];
    for line in text.lines() {
        let e: Entry = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("a torn or mixed line ({e}): {}...", &line[..80]));
        let n: usize = e.user.strip_prefix("writer ").unwrap().parse().unwrap();
        per_writer[n] += 1;
    }
    assert_eq!(per_writer, vec![each; writers]);
    let tail = read_last(log.path(), writers * each).unwrap();
    assert_eq!((tail.entries.len(), tail.unreadable), (writers * each, 0));
}

#[test]
fn garbage_and_a_torn_last_line_are_counted_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::at(dir.path().join("audit.log"));
    log.append(&entry(1, 10)).unwrap();
    std::fs::write(
        log.path(),
        std::fs::read_to_string(log.path()).unwrap()
            + "not json at all\n\n{\"time\":\"yesterday\"}\n",
    )
    .unwrap();
    log.append(&entry(2, 10)).unwrap();
    let mut torn = serde_json::to_string(&entry(3, 10)).unwrap();
    torn.truncate(torn.len() / 2);
    let mut text = std::fs::read_to_string(log.path()).unwrap();
    text.push_str(&torn);
    std::fs::write(log.path(), text).unwrap();

    let tail = read_last(log.path(), 100).unwrap();
    let users: Vec<&str> = tail.entries.iter().map(|e| e.user.as_str()).collect();
    assert_eq!(users, ["writer 1", "writer 2"]);
    assert_eq!(
        tail.unreadable, 3,
        "two bad lines and the torn one; the blank line is no line"
    );
    // A line written after the torn one starts on the torn line: it is lost, the rest is not.
    log.append(&entry(4, 10)).unwrap();
    let tail = read_last(log.path(), 2).unwrap();
    assert_eq!((tail.entries.len(), tail.unreadable), (1, 1));
}

#[test]
fn only_the_last_lines_are_read_across_chunk_boundaries() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::at(dir.path().join("audit.log"));
    for n in 0..300 {
        log.append(&entry(n, 1000)).unwrap();
    }
    assert!(std::fs::metadata(log.path()).unwrap().len() > 4 * read::CHUNK);
    for want in [0, 1, 7, 65, 130, 299, 300, 1000] {
        let tail = read_last(log.path(), want).unwrap();
        let got: Vec<String> = tail.entries.iter().map(|e| e.user.clone()).collect();
        let expected: Vec<String> = (300 - want.min(300)..300)
            .map(|n| format!("writer {n}"))
            .collect();
        assert_eq!(got, expected, "last {want}");
        assert_eq!(tail.unreadable, 0);
    }
}

#[test]
fn a_missing_log_or_an_unwritable_place_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let missing = read_last(&dir.path().join("none.log"), 10).unwrap_err();
    assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "").unwrap();
    let log = AuditLog::at(file.join("audit.log"));
    assert!(
        log.record(&IpvsOp::Flush, &Ok(()), &table(), &context())
            .is_err()
    );
}

#[test]
fn the_user_is_the_one_behind_sudo_then_the_login_then_the_uid() {
    let s = |v: &str| Some(v.to_string());
    assert_eq!(pick_user(s("alice"), s("root"), 0), "alice");
    assert_eq!(pick_user(None, s("bob"), 1000), "bob");
    assert_eq!(pick_user(s(""), s(""), 1000), "uid 1000");
    assert_eq!(pick_user(None, None, 0), "uid 0");
    assert!(!Context::current(Source::Cli).host.is_empty());
}

#[test]
fn the_default_place_is_var_log_for_root_and_the_state_directory_otherwise() {
    assert_eq!(
        AuditLog::default_path(true),
        PathBuf::from("/var/log/ipvs-tui/audit.log")
    );
    let user = AuditLog::default_path(false);
    assert!(
        user.ends_with("ipvs-tui/audit.log") && user.is_absolute(),
        "{}",
        user.display()
    );
    if let Some(state) = dirs::state_dir() {
        assert_eq!(user, state.join("ipvs-tui/audit.log"));
    }
}
