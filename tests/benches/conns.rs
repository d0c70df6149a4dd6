//! Benchmark (cargo bench --bench conns): parsing /proc/net/ip_vs_conn text. A generated
//! 1,000,000-line file in the kernel's exact format is read through the streaming reader,
//! aggregates only and holding every row; printed: lines/s, peak heap, bytes per held row, and
//! the ratio against two references measured in the same run (times are the thread's CPU time,
//! best of 5, so that other work on a shared machine does not count) (counting lines with memchr: the
//! floor; a naive split_whitespace/from_str_radix parser: what a quick tool does). Figures, not
//! assertions. Under `cargo test --all-targets` (no --bench argument) it runs on 10,000 lines.

use ipvs_tui::ipvs::conns::{Collector, Filter, GroupBy, Limits, Progress, reader};
use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged, which upholds
// GlobalAlloc's contract; the counting around it only touches atomics and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        // SAFETY: our caller upholds `alloc`'s contract for `l`, which is passed on as is.
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: `p` came from this allocator, that is from System, with layout `l`.
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        // SAFETY: `p` came from System with layout `l`; our caller upholds `realloc`'s contract.
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            let now = if new >= l.size() {
                LIVE.fetch_add(new - l.size(), Ordering::Relaxed) + new - l.size()
            } else {
                LIVE.fetch_sub(l.size() - new, Ordering::Relaxed) - (l.size() - new)
            };
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// A small deterministic generator (xorshift), so every run reads the same table.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn hex_addr(out: &mut String, a: IpAddr) {
    match a {
        IpAddr::V4(v4) => write!(out, "{:08X}", u32::from(v4)).unwrap(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            write!(
                out,
                "{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}:{:04x}",
                s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
            )
            .unwrap()
        }
    }
}

/// `lines` entries like a busy director's: 40 services x 10 real servers, `clients` distinct
/// clients, TCP in its usual states, UDP, 5% IPv6, 2% persistence templates.
fn generate(lines: usize, clients: u64) -> String {
    const STATES: [(&str, u32); 6] = [
        ("ESTABLISHED", 900),
        ("TIME_WAIT", 120),
        ("FIN_WAIT", 120),
        ("SYN_RECV", 60),
        ("CLOSE_WAIT", 60),
        ("CLOSE", 10),
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut s = String::with_capacity(lines * 70 + 100);
    s.push_str("Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n");
    for _ in 0..lines {
        let svc = rng.below(40) as u32;
        let dest = rng.below(10) as u32;
        let client = rng.below(clients) as u32;
        let kind = rng.below(100);
        let v6 = kind < 5;
        let (c, v, d): (IpAddr, IpAddr, IpAddr) = if v6 {
            (
                Ipv6Addr::new(
                    0x2001,
                    0xdb8,
                    0xc,
                    0,
                    0,
                    0,
                    (client >> 16) as u16,
                    client as u16,
                )
                .into(),
                Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x100 + svc as u16).into(),
                Ipv6Addr::new(0x2001, 0xdb8, 0x10, 0, 0, 0, svc as u16, dest as u16 + 1).into(),
            )
        } else {
            (
                Ipv4Addr::from(0xC633_0000 + client).into(),
                Ipv4Addr::from(0xC000_0200 + svc).into(),
                Ipv4Addr::from(0x0A00_0000 + (svc << 8) + dest + 1).into(),
            )
        };
        let udp = svc % 4 == 3;
        let template = kind >= 98;
        let port = if udp { 53 } else { 80 + (svc % 3) as u16 };
        let (proto, state, max) = match (udp, template) {
            (_, true) => (if udp { "UDP" } else { "TCP" }, "ASSURED", 360),
            (true, false) => ("UDP", "UDP", 300),
            (false, false) => {
                let (st, t) = STATES[rng.below(6) as usize];
                ("TCP", st, t)
            }
        };
        let cport = if template {
            0
        } else {
            1024 + rng.below(60_000) as u16
        };
        write!(s, "{proto:<3} ").unwrap();
        hex_addr(&mut s, c);
        write!(s, " {cport:04X} ").unwrap();
        hex_addr(&mut s, v);
        write!(s, " {port:04X} ").unwrap();
        hex_addr(&mut s, d);
        writeln!(
            s,
            " {port:04X} {state:<11} {:>7}",
            rng.below(u64::from(max) + 1)
        )
        .unwrap();
    }
    s
}

/// The floor: find every line, nothing else.
fn count_lines(text: &[u8]) -> usize {
    text.iter().filter(|&&b| b == b'\n').count()
}

/// What a quick tool does: split on whitespace, from_str_radix, and a HashMap per real server.
fn naive_by_rs(text: &str) -> usize {
    let mut m: std::collections::HashMap<(String, u16), u64> = std::collections::HashMap::new();
    for l in text.lines().skip(1) {
        let f: Vec<&str> = l.split_whitespace().collect();
        if f.len() < 9 {
            continue;
        }
        let port = u16::from_str_radix(f[6], 16).unwrap_or(0);
        let _cport = u16::from_str_radix(f[2], 16).unwrap_or(0);
        *m.entry((f[5].to_string(), port)).or_default() += 1;
    }
    m.len()
}

/// CPU time of this thread: what "per core" means on a machine shared with other work, where
/// wall time also counts the time other processes held the core.
fn thread_cpu() -> Duration {
    nix::time::clock_gettime(nix::time::ClockId::CLOCK_THREAD_CPUTIME_ID)
        .map(Duration::from)
        .unwrap_or_default()
}

/// Best of `runs` CPU times of `f` (see [`thread_cpu`]), and its last result.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = thread_cpu();
        let r = f();
        best = best.min(thread_cpu() - t);
        out = Some(r);
    }
    (best, out.unwrap())
}

/// Streams `text` through the reader as the console and CLI do; returns lines, held rows and
/// the peak heap used above what was live before.
fn stream(text: &[u8], limits: Limits) -> (u64, usize, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut c = Collector::new(Filter::default(), limits);
    reader::stream(text, &mut c, &Progress::default(), &AtomicBool::new(false)).unwrap();
    let t = c.finish();
    let groups = t.groups(GroupBy::Server, usize::MAX).len();
    assert!(groups > 0);
    let peak = PEAK.load(Ordering::Relaxed) - base;
    (t.counts.lines, t.rows.len(), peak)
}

fn mib(b: usize) -> String {
    format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (n, runs) = if full { (1_000_000, 5) } else { (10_000, 1) };
    let clients = 50_000;
    let text = generate(n, clients);
    let mlps = |d: Duration| n as f64 / d.as_secs_f64() / 1e6;
    println!(
        "conns bench: generated {n} lines, {} (kernel format; 40 services x 10 real servers, {clients} clients, 5% IPv6, 2% templates)",
        mib(text.len())
    );

    if let Ok(k) = std::env::var("CONNS_BENCH_PROFILE") {
        // For a profiler: only the streaming read, k times.
        let clients = if std::env::var_os("CONNS_BENCH_NO_CLIENTS").is_some() {
            0
        } else {
            Limits::default().max_clients
        };
        let limits = Limits {
            max_rows: 0,
            max_templates: 0,
            max_clients: clients,
        };
        let (t, _) = best(k.parse().unwrap_or(20), || stream(text.as_bytes(), limits));
        println!(
            "conns bench: aggregates only, best of {k}: {:.1} M lines/s",
            mlps(t)
        );
        return;
    }
    let (t_floor, lines) = best(runs, || count_lines(text.as_bytes()));
    assert_eq!(lines, n + 1);
    let (t_naive, _) = best(runs, || naive_by_rs(&text));
    let aggr_only = Limits {
        max_rows: 0,
        max_templates: 0,
        ..Limits::default()
    };
    let hold_all = Limits {
        max_rows: n,
        max_templates: n,
        ..Limits::default()
    };
    let (t_aggr, (l, _, peak_aggr)) = best(runs, || stream(text.as_bytes(), aggr_only));
    assert_eq!(l as usize, n);
    let no_clients = Limits {
        max_clients: 0,
        ..aggr_only
    };
    let (t_no_clients, _) = best(runs, || stream(text.as_bytes(), no_clients));
    let (t_hold, (_, held, peak_hold)) = best(runs, || stream(text.as_bytes(), hold_all));
    assert_eq!(held, n);

    println!(
        "conns bench: reference, counting lines only (memchr): {:.1} M lines/s",
        mlps(t_floor)
    );
    println!(
        "conns bench: reference, naive parser (split_whitespace, from_str_radix, HashMap by real server): {:.1} M lines/s",
        mlps(t_naive)
    );
    println!(
        "conns bench: aggregates only: {:.1} M lines/s on one core ({:.2}x the naive parser, {:.2}x the line-count floor's time), peak heap {}",
        mlps(t_aggr),
        t_naive.as_secs_f64() / t_aggr.as_secs_f64(),
        t_aggr.as_secs_f64() / t_floor.as_secs_f64(),
        mib(peak_aggr)
    );
    println!(
        "conns bench: aggregates without top clients (what --group-by rs|state|service needs): {:.1} M lines/s ({:.2}x the naive parser)",
        mlps(t_no_clients),
        t_naive.as_secs_f64() / t_no_clients.as_secs_f64()
    );
    println!(
        "conns bench: holding all {held} rows: {:.1} M lines/s, peak heap {} = {:.1} bytes per held row above aggregates only (Row is {} bytes; Vec growth doubles)",
        mlps(t_hold),
        mib(peak_hold),
        (peak_hold - peak_aggr) as f64 / held as f64,
        std::mem::size_of::<ipvs_tui::ipvs::conns::Row>()
    );
    // Memory independent of the number of lines: the same 5,000 clients and the same routes in
    // a quarter of the lines and in all of them (with 50,000 clients, a quarter of the lines has
    // not met every client yet, so it would measure distinct clients instead).
    let few = 5_000;
    let (quarter, whole) = (generate(n / 4, few), generate(n, few));
    let (_, _, peak_quarter) = stream(quarter.as_bytes(), aggr_only);
    let (_, _, peak_whole) = stream(whole.as_bytes(), aggr_only);
    println!(
        "conns bench: aggregates only, {few} clients: peak heap {} for {} lines, {} for {n} lines (ratio {:.2})",
        mib(peak_quarter),
        n / 4,
        mib(peak_whole),
        peak_whole as f64 / peak_quarter as f64
    );
    let default_rows = Limits::default();
    let (_, held, peak_default) = stream(text.as_bytes(), default_rows);
    println!(
        "conns bench: default limits (100,000 rows held of {n}): peak heap {}, {held} rows held",
        mib(peak_default)
    );
}
