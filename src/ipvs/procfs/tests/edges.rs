//! Malformed lines, a missing header, global stats, HZ, the backend, and arbitrary text.

use super::*;

#[test]
fn malformed_lines_are_skipped_and_counted_with_their_servers() {
    let text = concat!(
        "IP Virtual Server version 1.2.1 (size=4096)\n",
        "TCP  C0000201:0050 rr  \n",
        "  -> C000020B:1F90      Masq    3      12         40        \n",
        "  -> C000020B:1F90      Bounce  3      12         40        \n",
        "  -> +000020B:1F90      Masq    3      12         40        \n",
        "ICMP  C0000201:0050 rr  \n",
        "  -> C000020C:0050      Route   1      0          0         \n",
        "TCP  C0000201:0050 rr  \n",
        "FWM  00000000 rr \n",
        "TCP  C0000204:0050 rr persistent x FFFFFFFF\n",
        "UDP  C0000205:0050 rr  \n",
    );
    let l = parse_ip_vs(text, Some(100)).unwrap();
    let keys: Vec<String> = l
        .snapshot
        .services
        .iter()
        .map(|s| s.config.key.to_string())
        .collect();
    assert_eq!(keys, ["-t 192.0.2.1:80", "-u 192.0.2.5:80"]);
    assert_eq!(l.snapshot.services[0].dests.len(), 1);
    // Bounce, +000020B, ICMP and its server, the duplicate, mark 0, the bad timeout.
    assert_eq!(l.skipped, 7);
}

#[test]
fn no_header_is_an_error() {
    assert!(matches!(parse_ip_vs("", None), Err(ProcError::Header(_))));
    assert!(matches!(
        parse_ip_vs("TCP  C0000201:0050 rr  \n", None),
        Err(ProcError::Header(_))
    ));
    assert!(matches!(
        parse_ip_vs("IP Virtual Server version 1.2 (size=4096)\n", None),
        Err(ProcError::Header(_))
    ));
    let empty = parse_ip_vs("IP Virtual Server version 1.2.1 (size=256)\n", None).unwrap();
    assert_eq!(
        (
            empty.snapshot.services.len(),
            empty.snapshot.info.conn_tab_size
        ),
        (0, 256)
    );
}

#[test]
fn global_stats_are_hex() {
    let text = concat!(
        "   Total Incoming Outgoing         Incoming         Outgoing\n",
        "   Conns  Packets  Packets            Bytes            Bytes\n",
        "      1F      2A0        0            1B5C4                0\n",
        "\n",
        " Conns/s   Pkts/s   Pkts/s          Bytes/s          Bytes/s\n",
        "       1        A        0              3E8                0\n",
    );
    let s = parse_ip_vs_stats(text).unwrap();
    assert_eq!(
        (s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes),
        (31, 672, 0, 0x1B5C4, 0)
    );
    assert_eq!(
        (s.cps, s.inpps, s.outpps, s.inbps, s.outbps),
        (1, 10, 0, 1000, 0)
    );
    assert!(parse_ip_vs_stats("   Total Incoming\n").is_err());
}

#[test]
fn hz_from_the_coarse_clock_tick() {
    assert_eq!(
        [10_000_000, 4_000_000, 3_333_333, 1_000_000].map(hz_of_tick),
        [Some(100), Some(250), Some(300), Some(1000)]
    );
    assert_eq!(hz_of_tick(0), None);
    assert_eq!(hz_of_tick(1), None);
    // Whatever this host's HZ is, Linux reports a tick.
    assert!(kernel_hz().is_some_and(|hz| (10..=10_000).contains(&hz)));
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn backend_reads_the_file_and_refuses_changes() {
    let path = std::env::temp_dir().join(format!("ipvs-tui-procfs-{}", std::process::id()));
    std::fs::write(&path, format!("{FIXTURE}bogus\n")).unwrap();
    let backend = ProcBackend::new(&path, Some(100));
    let snapshot = block_on(backend.snapshot()).unwrap();
    assert_eq!(snapshot, listing(Some(100)).snapshot);
    assert_eq!(backend.skipped(), 1);
    let op = IpvsOp::DeleteService(snapshot.services[0].config.key);
    assert_eq!(
        block_on(backend.apply(&op)),
        Err(Error::Refused(REFUSAL.into()))
    );
    std::fs::remove_file(&path).unwrap();
    assert!(
        matches!(block_on(backend.snapshot()), Err(Error::Unavailable(m)) if m.contains("not loaded"))
    );
}

/// Lines built from the file's own pieces, so that most come close to parsing.
fn near_lines() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("TCP  ".to_string()),
        Just("FWM  ".to_string()),
        Just("  -> ".to_string()),
        Just("[2001:0db8::1]:".to_string()),
        Just("persistent ".to_string()),
        Just("ops ".to_string()),
        "[0-9A-F]{1,9}:?[0-9A-F]{0,5} ",
        "[a-z]{1,4} ",
        "-?[0-9]{1,11} ",
        "Masq |Tunnel |Route |Local ",
        "\\PC{0,6}",
    ];
    proptest::collection::vec(
        prop::collection::vec(piece, 0..8).prop_map(|p| p.concat()),
        0..12,
    )
    .prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(crate::testing::proptest_config())]
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}", hz in proptest::option::of(0u32..2000)) {
        let _ = parse_ip_vs(&text, hz);
        let _ = parse_ip_vs(&format!("IP Virtual Server version 1.2.1 (size=4096)\n{text}"), hz);
        let _ = parse_ip_vs_stats(&text);
    }

    #[test]
    fn near_misses_never_panic_and_keys_stay_unique(body in near_lines(), hz in proptest::option::of(0u32..2000)) {
        let listing = parse_ip_vs(&format!("IP Virtual Server version 1.2.1 (size=4096)\n{body}"), hz).unwrap();
        let mut keys: Vec<String> = listing.snapshot.services.iter().map(|s| s.config.key.to_string()).collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        prop_assert_eq!(keys.len(), n);
        prop_assert!(listing.skipped <= body.lines().count());
    }
}
