//! Lab test: a large table in the console, `list` and `save` against ipvsadm (tests/lab/scale.sh).
use crate::lab;

/// 10,000 services x 5 real servers (the console reads their real servers in steps over several
/// polls): `list` and `save` equal ipvsadm's; the console's first
/// screen lists ipvsadm's first services while it says it is still loading; once whole, End
/// shows ipvsadm's last service with ipvsadm's real servers. `tests/scale_bench.sh` runs the same
/// script with figures (SCALE_SERVICES, SCALE_BENCH, passed through from the host).
#[test]
fn a_large_table_in_the_console_list_and_save_equals_ipvsadm() {
    let mut lab = lab::Lab::new(&lab::script("scale.sh"));
    for var in [
        "SCALE_SERVICES",
        "SCALE_DESTS",
        "SCALE_BENCH",
        "SCALE_RSS_SECS",
        "SCALE_CPU_SECS",
    ] {
        if let Ok(v) = std::env::var(var) {
            lab = lab.env(var, &v);
        }
    }
    let out = lab.check("scale OK");
    for line in out.lines().filter(|l| l.starts_with("scale")) {
        eprintln!("{line}");
    }
}
