//! Persistence and sticky schedulers, thresholds, one-packet scheduling, the entry cap, the
//! trash period and services added later.

use super::*;

/// (client, dest) pairs of entries and templates in a table, for one virtual address field.
fn clients_to_dests(
    table: &str,
    to_ip: &str,
    templates: bool,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f[3] == to_ip && (f[7] == "NONE") == templates {
            map.entry(f[1].to_string())
                .or_default()
                .insert(f[5].to_string());
        }
    }
    map
}

#[test]
fn persistent_clients_stick_to_their_templates_real_server() {
    let b = SimBackend::demo(8);
    b.advance(secs(40));
    let table = b.conn_table();
    let entries = clients_to_dests(&table, "C000021E", false);
    let templates = clients_to_dests(&table, "C000021E", true);
    assert!(entries.len() > 50, "many clients");
    for (client, dests) in &entries {
        assert_eq!(dests.len(), 1, "client {client} reached {dests:?}");
        assert_eq!(
            templates.get(client),
            Some(dests),
            "client {client} follows its template"
        );
    }
    let s = snap(&b);
    let persist: u32 = service(&s, "-t 192.0.2.30:443")
        .dests
        .iter()
        .map(|d| d.persist_conns)
        .sum();
    assert_eq!(persist as usize, templates.len());
    // fwmark templates: protocol IP, the mark as ToIP, ports 0.
    assert!(
        table.lines().any(|l| l.starts_with("IP  ")
            && l.contains(" 00000001 0000 ")
            && l.contains(" NONE "))
    );
}

#[test]
fn sticky_schedulers_keep_a_client_on_one_server() {
    let b = one(
        "-t 192.0.2.60:80 -s sh",
        &[
            "-r 10.0.0.61:80 -m",
            "-r 10.0.0.62:80 -m -w 2",
            "-r 10.0.0.63:80 -m",
        ],
        "conns_per_sec = 40, bytes_in = 500, bytes_out = 5000, duration = 2, clients = \"203.0.113.0/26\"",
    );
    b.advance(secs(20));
    let map = clients_to_dests(&b.conn_table(), "C000023C", false);
    assert!(map.len() > 40);
    assert!(map.values().all(|d| d.len() == 1), "{map:?}");
    let used: BTreeSet<&String> = map.values().flatten().collect();
    assert_eq!(used.len(), 3, "every server gets clients");
}

#[test]
fn upper_threshold_caps_a_servers_connections() {
    let b = one(
        "-t 192.0.2.70:80 -s rr",
        &["-r 10.0.0.71:80 -m -x 30", "-r 10.0.0.72:80 -m"],
        "conns_per_sec = 20, bytes_in = 500, bytes_out = 5000, duration = 1",
    );
    for _ in 0..30 {
        b.advance(secs(1));
        let s = snap(&b);
        let capped = dest(&s.services[0], "10.0.0.71");
        assert!(capped.active_conns + capped.inact_conns <= 30, "{capped:?}");
    }
    let s = snap(&b);
    assert!(
        dest(&s.services[0], "10.0.0.72").inact_conns > 100,
        "the other server takes the rest"
    );
}

#[test]
fn one_packet_scheduling_counts_but_keeps_no_entries() {
    let b = one(
        "-u 192.0.2.53:53 -o",
        &["-r 10.0.0.53 -m"],
        "conns_per_sec = 50, bytes_in = 40, bytes_out = 100, duration = 0.01",
    );
    b.advance(secs(10));
    assert_eq!(b.conn_entries(), 0);
    let s = snap(&b).services[0].stats;
    assert!(
        s.conns > 400 && s.inpkts >= s.conns && s.outpkts >= s.conns,
        "{s:?}"
    );
}

#[test]
fn the_entry_cap_bounds_memory_and_counts_what_it_refuses() {
    let b = SimBackend::demo(2).with_max_conns(500);
    for _ in 0..20 {
        b.advance(secs(3));
        assert!(b.conn_entries() <= 500);
    }
    assert!(b.dropped_conns() > 0);
    assert_eq!(b.conn_table().lines().count(), b.conn_entries() + 1);
}

#[test]
fn a_real_server_readded_within_the_trash_period_keeps_its_counters() {
    let b = SimBackend::demo(6);
    b.advance(secs(10));
    let before = dest(service(&snap(&b), "-t 192.0.2.10:80"), "10.0.0.11")
        .stats
        .conns;
    assert!(before > 0);
    run(&b, "-d -t 192.0.2.10:80 -r 10.0.0.11:80");
    b.advance(secs(5));
    run(&b, "-a -t 192.0.2.10:80 -r 10.0.0.11:80 -m -w 2");
    let s = snap(&b);
    let back = dest(service(&s, "-t 192.0.2.10:80"), "10.0.0.11");
    assert_eq!(back.stats.conns, before, "revived, not new");
    assert!(back.inact_conns > 0, "its entries are still bound to it");
    // Past the trash period and with its entries gone, it comes back new.
    run(&b, "-d -t 192.0.2.10:80 -r 10.0.0.11:80");
    b.advance(secs(260));
    run(&b, "-a -t 192.0.2.10:80 -r 10.0.0.11:80 -m -w 2");
    assert_eq!(
        dest(service(&snap(&b), "-t 192.0.2.10:80"), "10.0.0.11").stats,
        Stats::default()
    );
}

#[test]
fn services_added_later_get_the_default_traffic_and_recreated_ones_their_own() {
    let b = SimBackend::demo(1);
    run(&b, "-A -t 192.0.2.99:8080 -s rr");
    run(&b, "-a -t 192.0.2.99:8080 -r 10.0.0.99:8080 -m");
    run(&b, "-D -t 192.0.2.10:80");
    run(&b, "-A -t 192.0.2.10:80 -s wlc");
    run(&b, "-a -t 192.0.2.10:80 -r 10.0.0.11:80 -m");
    b.advance(secs(20));
    let s = snap(&b);
    let added = service(&s, "-t 192.0.2.99:8080").stats;
    let web = service(&s, "-t 192.0.2.10:80").stats;
    assert!(
        added.conns > 40 && added.conns < 200,
        "about 5/s: {}",
        added.conns
    );
    assert!(web.conns > 700, "the scenario's 60/s again: {}", web.conns);
}
