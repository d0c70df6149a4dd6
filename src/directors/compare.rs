//! Two tables compared as ipvsadm rules: the lines only on A, only on B, and the objects on both
//! whose settings differ (scheduler, persistence, flags, forwarding, weight), each side's line
//! written as `ipvsadm -Sn` writes it (see `ipvs::rules`), so any line can be fed to ipvsadm.

use crate::ipvs::listing::{sort_dests, sort_services};
use crate::ipvs::model::{Service, Snapshot};
use crate::ipvs::rules::{dest_line, service_line};
use serde::Serialize;
use std::fmt::Write;

/// An object on both sides whose line differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Differ {
    pub a: String,
    pub b: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub only_a: Vec<String>,
    pub only_b: Vec<String>,
    pub differ: Vec<Differ>,
}

impl Comparison {
    pub fn equal(&self) -> bool {
        self.only_a.is_empty() && self.only_b.is_empty() && self.differ.is_empty()
    }

    /// As text, `a` and `b` naming the sides: a heading per part, then its lines.
    pub fn render(&self, a: &str, b: &str) -> String {
        let mut out = String::new();
        if self.equal() {
            writeln!(out, "{a} and {b} hold the same rules").unwrap();
            return out;
        }
        if !self.only_a.is_empty() {
            writeln!(out, "only on {a}:").unwrap();
            self.only_a
                .iter()
                .for_each(|l| writeln!(out, "  {l}").unwrap());
        }
        if !self.only_b.is_empty() {
            writeln!(out, "only on {b}:").unwrap();
            self.only_b
                .iter()
                .for_each(|l| writeln!(out, "  {l}").unwrap());
        }
        if !self.differ.is_empty() {
            writeln!(out, "different settings:").unwrap();
            let width = a.chars().count().max(b.chars().count());
            for d in &self.differ {
                writeln!(out, "  {a:<width$}  {}", d.a).unwrap();
                writeln!(out, "  {b:<width$}  {}", d.b).unwrap();
            }
        }
        out
    }
}

fn sorted(table: &Snapshot) -> Vec<&Service> {
    let mut services: Vec<&Service> = table.services.iter().collect();
    sort_services(&mut services);
    services
}

/// The service's `-A` line and its real servers' `-a` lines, in ipvsadm's order.
fn lines(service: &Service) -> Vec<String> {
    let mut dests: Vec<_> = service.dests.iter().collect();
    sort_dests(&mut dests);
    std::iter::once(service_line(&service.config))
        .chain(
            dests
                .into_iter()
                .map(|d| dest_line(&service.config.key, &d.config)),
        )
        .collect()
}

/// How `b`'s rules differ from `a`'s. Counters, connections and sync daemons are left out: a
/// pair differs in those by design.
pub fn compare(a: &Snapshot, b: &Snapshot) -> Comparison {
    let mut out = Comparison::default();
    for sa in sorted(a) {
        let key = sa.config.key;
        let Some(sb) = b.service(&key) else {
            out.only_a.extend(lines(sa));
            continue;
        };
        let (la, lb) = (service_line(&sa.config), service_line(&sb.config));
        if la != lb {
            out.differ.push(Differ { a: la, b: lb });
        }
        let mut dests: Vec<_> = sa.dests.iter().collect();
        sort_dests(&mut dests);
        for da in dests {
            let same = |db: &&crate::ipvs::model::Dest| {
                db.config.addr == da.config.addr && db.config.port == da.config.port
            };
            let la = dest_line(&key, &da.config);
            match sb.dests.iter().find(same) {
                None => out.only_a.push(la),
                Some(db) => {
                    let lb = dest_line(&key, &db.config);
                    if la != lb {
                        out.differ.push(Differ { a: la, b: lb });
                    }
                }
            }
        }
        let mut extra: Vec<_> = sb
            .dests
            .iter()
            .filter(|db| {
                !sa.dests
                    .iter()
                    .any(|da| da.config.addr == db.config.addr && da.config.port == db.config.port)
            })
            .collect();
        sort_dests(&mut extra);
        out.only_b
            .extend(extra.into_iter().map(|d| dest_line(&key, &d.config)));
    }
    for sb in sorted(b) {
        if a.service(&sb.config.key).is_none() {
            out.only_b.extend(lines(sb));
        }
    }
    if a.timeouts != b.timeouts {
        let set =
            |t: &crate::ipvs::model::Timeouts| format!("--set {} {} {}", t.tcp, t.tcp_fin, t.udp);
        out.differ.push(Differ {
            a: set(&a.timeouts),
            b: set(&b.timeouts),
        });
    }
    out
}
