//! Choosing a real server for a new connection, per scheduler. Only available servers are
//! offered (weight above 0, not over their upper threshold), so weight 0 never gets one.
//!
//! lc, wlc, sed, nq, fo, ovf and rr follow the kernel's rule; sh and mh hash the client (with
//! sh-port/mh-port, its port too) and dh the destination address, so they stay sticky; wrr,
//! lblc, lblcr and twos are approximated by a random choice in proportion to the weights.

use super::rng::{Rng, hash};
use crate::ipvs::model::SchedFlags;
use std::net::IpAddr;

pub(super) struct Candidate {
    pub weight: u32,
    pub active: u32,
    pub inactive: u32,
    pub addr: IpAddr,
    pub port: u16,
}

/// What the scheduler may look at in the packet.
pub(super) struct Packet {
    pub caddr: IpAddr,
    pub cport: u16,
    pub vaddr: IpAddr,
}

/// ip_vs_dest_conn_overhead: active connections weigh 256 times an inactive one.
fn overhead(c: &Candidate) -> u128 {
    c.active as u128 * 256 + c.inactive as u128
}

/// The index in `cands` of the least `cost / weight`, the first one on ties (as the kernel).
fn least(cands: &[Candidate], cost: impl Fn(&Candidate) -> u128) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, c) in cands.iter().enumerate() {
        match best {
            Some(b) if cost(c) * cands[b].weight as u128 >= cost(&cands[b]) * c.weight as u128 => {}
            _ => best = Some(i),
        }
    }
    best
}

fn addr_word(a: &IpAddr) -> u64 {
    match a {
        IpAddr::V4(v4) => u32::from(*v4) as u64,
        IpAddr::V6(v6) => {
            let x = u128::from(*v6);
            (x as u64) ^ ((x >> 64) as u64).rotate_left(17)
        }
    }
}

/// Weighted rendezvous hashing: the same key picks the same server while it stays available,
/// in proportion to the weights, and only the keys of a server that goes away move.
fn sticky(cands: &[Candidate], key: &[u64]) -> Option<usize> {
    let score = |c: &Candidate| {
        let mut words = key.to_vec();
        words.extend([addr_word(&c.addr), c.port as u64]);
        let u = ((hash(&words) >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        c.weight as f64 / -u.ln()
    };
    (0..cands.len()).max_by(|&a, &b| {
        score(&cands[a])
            .total_cmp(&score(&cands[b]))
            .then(b.cmp(&a))
    })
}

fn weighted_random(cands: &[Candidate], rng: &mut Rng) -> Option<usize> {
    let total: u64 = cands.iter().map(|c| c.weight as u64).sum();
    if total == 0 {
        return None;
    }
    let mut pick = rng.below(total);
    for (i, c) in cands.iter().enumerate() {
        if pick < c.weight as u64 {
            return Some(i);
        }
        pick -= c.weight as u64;
    }
    None
}

/// The index in `cands` (all available) of the server to use, or None to drop the packet.
pub(super) fn choose(
    scheduler: &str,
    flags: SchedFlags,
    cands: &[Candidate],
    packet: &Packet,
    rr_cursor: &mut usize,
    rng: &mut Rng,
) -> Option<usize> {
    if cands.is_empty() {
        return None;
    }
    match scheduler {
        "rr" => {
            *rr_cursor = (*rr_cursor + 1) % cands.len();
            Some(*rr_cursor)
        }
        "lc" => least(cands, |c| overhead(c) * c.weight as u128),
        "wlc" => least(cands, overhead),
        "sed" => least(cands, |c| c.active as u128 + 1),
        "nq" => cands
            .iter()
            .position(|c| c.active == 0)
            .or_else(|| least(cands, |c| c.active as u128 + 1)),
        // Highest weight first; ovf only while the server has fewer active connections than
        // its weight.
        "fo" => (0..cands.len()).rev().max_by_key(|&i| cands[i].weight),
        "ovf" => (0..cands.len())
            .rev()
            .filter(|&i| cands[i].active < cands[i].weight)
            .max_by_key(|&i| cands[i].weight),
        "sh" | "mh" => {
            let port = if flags.flag2 { packet.cport as u64 } else { 0 };
            sticky(cands, &[addr_word(&packet.caddr), port])
        }
        "dh" => sticky(cands, &[addr_word(&packet.vaddr)]),
        _ => weighted_random(cands, rng),
    }
}
