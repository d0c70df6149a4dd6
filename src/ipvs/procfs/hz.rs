//! The kernel's tick rate, which /proc/net/ip_vs counts persistence timeouts in.

/// The kernel's tick rate (CONFIG_HZ), which the persistence timeouts in /proc/net/ip_vs are
/// counted in. No interface states it, but the coarse clocks tick once per jiffy and report that
/// tick (TICK_NSEC) as their resolution; failing that, the kernel's build configuration when it
/// is installed. USER_HZ (sysconf CLK_TCK, always 100) says nothing about it.
pub fn kernel_hz() -> Option<u32> {
    let tick = nix::time::clock_getres(nix::time::ClockId::CLOCK_MONOTONIC_COARSE)
        .ok()
        .and_then(|res| {
            u64::try_from(res.tv_sec())
                .ok()?
                .checked_mul(1_000_000_000)?
                .checked_add(u64::try_from(res.tv_nsec()).ok()?)
        });
    tick.and_then(hz_of_tick).or_else(configured_hz)
}

/// TICK_NSEC is 1e9/HZ rounded: 10 ms at 100, 4 ms at 250, 3.333 ms at 300, 1 ms at 1000.
pub(super) fn hz_of_tick(tick_ns: u64) -> Option<u32> {
    let hz = 1_000_000_000u64
        .checked_add(tick_ns / 2)?
        .checked_div(tick_ns)?;
    u32::try_from(hz)
        .ok()
        .filter(|hz| (10..=10_000).contains(hz))
}

fn configured_hz() -> Option<u32> {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").ok()?;
    let config = std::fs::read_to_string(format!("/boot/config-{}", release.trim())).ok()?;
    config
        .lines()
        .find_map(|l| l.strip_prefix("CONFIG_HZ=")?.trim().parse().ok())
        .filter(|hz| *hz > 0)
}
