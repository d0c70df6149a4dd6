//! The order ipvsadm lists services and real servers in: libipvs's comparators run through glibc's
//! `qsort`, wrap-arounds and all, so that `list`/`save` match `ipvsadm -L`/`-S` line for line.
//!
//! libipvs compares by C `int` subtraction of unsigned 32-bit values (`ntohl(a) - ntohl(b)`,
//! `s1->fwmark - s2->fwmark`). When two values are 2^31 or more apart the difference wraps and
//! the sign flips: 200.0.0.1 sorts *before* 10.0.0.1, fwmark 4294967295 before every address
//! service. The relation is then not transitive (10.x < 100.x < 200.x < 10.x), so the result also
//! depends on the input order (the kernel's dump order) and on the exact sorting algorithm:
//! glibc's `qsort` is a top-down merge sort (`stdlib/msort.c`), reproduced here step for step.

use super::super::model::Service;
use super::super::model::{Dest, DestConfig, Family, ServiceKey};
use std::borrow::Borrow;
use std::net::IpAddr;

/// `ipvs_cmp_services`: negative, zero or positive like the C function (not a total order).
pub fn cmp_services(a: &ServiceKey, b: &ServiceKey) -> i32 {
    let (a, b) = (SvcFields::of(a), SvcFields::of(b));
    let r = c_sub(a.fwmark, b.fwmark);
    if r != 0 {
        return r;
    }
    // af and protocol are u16 in C: promoted to int, no wrap.
    let r = i32::from(a.af) - i32::from(b.af);
    if r != 0 {
        return r;
    }
    let r = i32::from(a.protocol) - i32::from(b.protocol);
    if r != 0 {
        return r;
    }
    let r = addr_diff(a.af == Family::AF_INET6, &a.addr, &b.addr);
    if r != 0 {
        return r;
    }
    i32::from(a.port) - i32::from(b.port)
}

/// `ipvs_cmp_dests`. The first server's family decides how many address words are compared,
/// which matters only for mixed-family (tunnel) servers: an IPv4 address is word 0 of a zeroed
/// 16-byte union.
pub fn cmp_dests(a: &DestConfig, b: &DestConfig) -> i32 {
    let r = addr_diff(a.addr.is_ipv6(), &words(&a.addr), &words(&b.addr));
    if r != 0 {
        return r;
    }
    i32::from(a.port) - i32::from(b.port)
}

/// Sorts services in place as `ipvsadm -L`/`-S` does. Give them in the kernel's dump order:
/// with far-apart addresses or marks the result depends on it.
pub fn sort_services<S: Borrow<Service>>(services: &mut [S]) {
    let order = glibc_msort(services.len(), |i, j| {
        cmp_services(
            &services[i].borrow().config.key,
            &services[j].borrow().config.key,
        )
    });
    apply_order(services, &order);
}

/// Sorts one service's real servers in place as ipvsadm does; give them in the kernel's dump order.
pub fn sort_dests<D: Borrow<Dest>>(dests: &mut [D]) {
    let order = glibc_msort(dests.len(), |i, j| {
        cmp_dests(&dests[i].borrow().config, &dests[j].borrow().config)
    });
    apply_order(dests, &order);
}

/// The fields of `ipvs_service_entry_t` the comparator reads. The kernel sends no protocol,
/// address or port for a fwmark service, and libipvs zeroes the entry, so they compare as 0.
struct SvcFields {
    fwmark: u32,
    af: u16,
    protocol: u16,
    addr: [u32; 4],
    port: u16,
}

impl SvcFields {
    fn of(key: &ServiceKey) -> SvcFields {
        match key {
            ServiceKey::Addr {
                protocol,
                addr,
                port,
            } => SvcFields {
                fwmark: 0,
                af: Family::of(addr).af(),
                protocol: protocol.number(),
                addr: words(addr),
                port: *port,
            },
            ServiceKey::Fwmark { mark, family } => SvcFields {
                fwmark: *mark,
                af: family.af(),
                protocol: 0,
                addr: [0; 4],
                port: 0,
            },
        }
    }
}

/// The address as the four host-order words of `union nf_inet_addr`.
fn words(addr: &IpAddr) -> [u32; 4] {
    match addr {
        IpAddr::V4(a) => [u32::from(*a), 0, 0, 0],
        IpAddr::V6(a) => {
            let x = u128::from(*a);
            [
                (x >> 96) as u32,
                (x >> 64) as u32,
                (x >> 32) as u32,
                x as u32,
            ]
        }
    }
}

/// IPv6: word by word until one differs; IPv4: word 0 only.
fn addr_diff(ipv6: bool, a: &[u32; 4], b: &[u32; 4]) -> i32 {
    let n = if ipv6 { 4 } else { 1 };
    a.iter()
        .zip(b)
        .take(n)
        .map(|(x, y)| c_sub(*x, *y))
        .find(|r| *r != 0)
        .unwrap_or(0)
}

/// `(int)(a - b)` on unsigned 32-bit values.
fn c_sub(a: u32, b: u32) -> i32 {
    a.wrapping_sub(b) as i32
}

/// glibc `msort_with_tmp` over indices: split at n/2, sort both halves, merge taking the left
/// element while `cmp(left, right) <= 0`. Returns the sorted order of `0..n`.
fn glibc_msort(n: usize, cmp: impl Fn(usize, usize) -> i32) -> Vec<usize> {
    fn sort(b: &mut [usize], tmp: &mut Vec<usize>, cmp: &dyn Fn(usize, usize) -> i32) {
        let n = b.len();
        if n <= 1 {
            return;
        }
        let n1 = n / 2;
        let (left, right) = b.split_at_mut(n1);
        sort(left, tmp, cmp);
        sort(right, tmp, cmp);
        tmp.clear();
        let (mut i, mut j) = (0, n1);
        while i < n1 && j < n {
            if cmp(b[i], b[j]) <= 0 {
                tmp.push(b[i]);
                i += 1;
            } else {
                tmp.push(b[j]);
                j += 1;
            }
        }
        // Leftovers of the left half go after the merged part; those of the right half are
        // already in place.
        tmp.extend_from_slice(&b[i..n1]);
        b[..tmp.len()].copy_from_slice(tmp);
    }
    let mut order: Vec<usize> = (0..n).collect();
    sort(&mut order, &mut Vec::with_capacity(n), &cmp);
    order
}

/// Rearranges `items` so that position `k` holds what was at `order[k]`, by swaps.
fn apply_order<T>(items: &mut [T], order: &[usize]) {
    // where_is[orig] = current position of the item first at `orig`; who[pos] = its inverse.
    let mut where_is: Vec<usize> = (0..items.len()).collect();
    let mut who = where_is.clone();
    for (k, &orig) in order.iter().enumerate() {
        let from = where_is[orig];
        items.swap(k, from);
        let displaced = who[k];
        who[from] = displaced;
        where_is[displaced] = from;
        who[k] = orig;
        where_is[orig] = k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::model::{Protocol, ServiceConfig, Stats};

    fn tcp(s: &str) -> ServiceKey {
        let (addr, port) = s.rsplit_once(':').unwrap();
        let addr = addr
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .unwrap();
        ServiceKey::Addr {
            protocol: Protocol::Tcp,
            addr,
            port: port.parse().unwrap(),
        }
    }

    fn fwm(mark: u32) -> ServiceKey {
        ServiceKey::Fwmark {
            mark,
            family: Family::Inet,
        }
    }

    fn sorted(keys: &[ServiceKey]) -> Vec<ServiceKey> {
        let mut services: Vec<Service> = keys
            .iter()
            .map(|k| Service {
                config: ServiceConfig::new(*k),
                stats: Stats::default(),
                dests: Default::default(),
            })
            .collect();
        sort_services(&mut services);
        services.into_iter().map(|s| s.config.key).collect()
    }

    #[test]
    fn addresses_2_pow_31_apart_sort_backwards() {
        assert!(cmp_services(&tcp("200.0.0.1:80"), &tcp("10.0.0.1:80")) < 0);
        assert!(cmp_services(&tcp("100.0.0.1:80"), &tcp("10.0.0.1:80")) > 0);
        assert_eq!(
            sorted(&[tcp("10.0.0.1:80"), tcp("200.0.0.1:80")]),
            [tcp("200.0.0.1:80"), tcp("10.0.0.1:80")]
        );
        // Ports are u16: promoted, never wrap.
        assert_eq!(
            sorted(&[tcp("10.0.0.1:65535"), tcp("10.0.0.1:1")]),
            [tcp("10.0.0.1:1"), tcp("10.0.0.1:65535")]
        );
        // IPv6 compares word by word with the same wrap: 2001:: sorts after fd00::.
        assert!(cmp_services(&tcp("[2001:db8::1]:80"), &tcp("[fd00::1]:80")) > 0);
        assert!(cmp_services(&tcp("[2001:db8::1]:80"), &tcp("[2001:db8::2]:80")) < 0);
    }

    #[test]
    fn fwmarks_above_i32_max_sort_before_address_services() {
        assert_eq!(
            sorted(&[tcp("10.0.0.1:80"), fwm(1), fwm(u32::MAX)]),
            [fwm(u32::MAX), tcp("10.0.0.1:80"), fwm(1)]
        );
        let v6 = ServiceKey::Fwmark {
            mark: 1,
            family: Family::Inet6,
        };
        assert_eq!(sorted(&[v6, fwm(2), fwm(1)]), [fwm(1), v6, fwm(2)]);
    }

    #[test]
    fn a_cycle_is_resolved_as_glibc_merge_sort_does() {
        // 10 < 100 < 200 < 10: the answer depends on the input order, like ipvsadm's.
        let (a, b, c) = (tcp("10.0.0.1:80"), tcp("100.0.0.1:80"), tcp("200.0.0.1:80"));
        assert_eq!(sorted(&[a, b, c]), [a, b, c]);
        assert_eq!(sorted(&[c, b, a]), [c, a, b]);
        assert_eq!(sorted(&[b, a, c]), [b, c, a]);
    }

    #[test]
    fn merge_sort_is_stable_and_sorts_a_total_order() {
        let keys: Vec<ServiceKey> = [7u16, 3, 9, 3, 1, 8, 2, 2, 6]
            .iter()
            .map(|p| tcp(&format!("10.0.0.1:{p}")))
            .collect();
        let want: Vec<ServiceKey> = [1u16, 2, 2, 3, 3, 6, 7, 8, 9]
            .iter()
            .map(|p| tcp(&format!("10.0.0.1:{p}")))
            .collect();
        assert_eq!(sorted(&keys), want);
        let mut refs: Vec<&str> = vec!["d", "a", "c", "b"];
        let order = glibc_msort(refs.len(), |i, j| refs[i].cmp(refs[j]) as i32);
        apply_order(&mut refs, &order);
        assert_eq!(refs, ["a", "b", "c", "d"]);
    }

    #[test]
    fn mixed_family_dests_compare_by_the_first_ones_family() {
        let d = |s: &str| {
            let (addr, port) = s.rsplit_once(':').unwrap();
            let addr = addr
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse()
                .unwrap();
            DestConfig::new(addr, port.parse().unwrap())
        };
        // Seen in the lab: 10.2.0.7:443 before [2001:db8::5]:443 either way round.
        assert!(cmp_dests(&d("10.2.0.7:443"), &d("[2001:db8::5]:443")) < 0);
        assert!(cmp_dests(&d("[2001:db8::5]:443"), &d("10.2.0.7:443")) > 0);
        // IPv4 first word equal to the IPv6 one's: falls through to the port.
        assert!(cmp_dests(&d("32.1.13.184:80"), &d("[2001:db8::5]:81")) < 0);
    }
}
