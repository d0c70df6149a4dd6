//! How `ipvs-tui conns` prints: the listing as `ipvsadm -Lnc`, templates, group tables, JSON.

use crate::ipvs::conns::{self, ConnTable, Group, GroupBy};
use serde_json::{Value, json};
use std::fmt::Write;

fn counts_json(t: &ConnTable, source: &str) -> serde_json::Map<String, Value> {
    let c = &t.counts;
    let mut m = serde_json::Map::new();
    m.insert("source".into(), source.into());
    m.insert("lines".into(), c.lines.into());
    m.insert("matched".into(), c.matched.into());
    m.insert("malformed".into(), c.malformed.into());
    m
}

pub(super) fn groups_json(t: &ConnTable, by: GroupBy, limit: usize, source: &str) -> Value {
    let mut m = counts_json(t, source);
    m.insert("group_by".into(), by.name().into());
    let groups: Vec<Value> = t
        .groups(by, limit)
        .iter()
        .take(limit)
        .map(|g| {
            let mut o = json!({ "key": g.key, "total": g.total });
            if by != GroupBy::Client && by != GroupBy::State {
                o["states"] = g
                    .states
                    .iter()
                    .map(|(s, n)| (s.name().to_string(), Value::from(*n)))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
            }
            o
        })
        .collect();
    m.insert("groups".into(), groups.into());
    if by == GroupBy::Client {
        m.insert("clients_exact".into(), t.clients.exact().into());
        m.insert("clients_error_bound".into(), t.clients.error_bound().into());
    }
    m.into()
}

pub(super) fn rows_json(t: &ConnTable, limit: usize, source: &str) -> Value {
    let mut m = counts_json(t, source);
    m.insert(
        "dropped".into(),
        (t.counts.dropped_rows + t.counts.dropped_templates).into(),
    );
    let rows: Vec<Value> = t
        .rows
        .iter()
        .take(limit)
        .map(|r| {
            let v = t.view(r);
            json!({
                "proto": v.proto, "client": v.client.0.to_string(), "cport": v.client.1,
                "virtual": v.virt.0.to_string(), "vport": v.virt.1, "dest": v.dest.0.to_string(), "dport": v.dest.1,
                "service": v.service, "state": v.state, "expires": v.expires, "template": v.template,
            })
        })
        .collect();
    m.insert("rows".into(), rows.into());
    m.into()
}

/// As `ipvsadm -Lnc`.
pub(super) fn rows_text(t: &ConnTable, limit: usize) -> String {
    let mut s = String::from("IPVS connection entries\n");
    let _ = writeln!(
        s,
        "pro expire {:<11} {:<18} {:<18} destination",
        "state", "source", "virtual"
    );
    for r in t.rows.iter().take(limit) {
        s += &t.view(r).ipvsadm_line();
        s.push('\n');
    }
    s
}

pub(super) fn templates_text(t: &ConnTable, limit: usize) -> String {
    let mut s = String::from("Persistence templates: client -> real server\n");
    let _ = writeln!(
        s,
        "{:<24} {:<30} {:<24} {:<11} expire",
        "client", "service", "real server", "state"
    );
    for r in t.rows.iter().take(limit) {
        let v = t.view(r);
        let _ = writeln!(
            s,
            "{:<24} {:<30} {:<24} {:<11} {:02}:{:02}",
            v.client.0.to_string(),
            v.service,
            v.dest.to_string(),
            v.state,
            v.expires / 60,
            v.expires % 60
        );
    }
    s
}

/// A table with a column per state that occurs (rs, service), or key and count (state, client).
pub(super) fn groups_text(t: &ConnTable, by: GroupBy, limit: usize) -> String {
    let groups: Vec<Group> = t.groups(by, limit).into_iter().take(limit).collect();
    let heading = match by {
        GroupBy::Server => "RemoteAddress:Port",
        GroupBy::Service => "Service",
        GroupBy::State => "State",
        GroupBy::Client => "Client",
    };
    let width = groups
        .iter()
        .map(|g| g.key.len())
        .chain([heading.len()])
        .max()
        .unwrap_or(0);
    let mut s = String::new();
    match by {
        GroupBy::State | GroupBy::Client => {
            let _ = writeln!(s, "{heading:<width$} {:>10}", "Conns");
            for g in &groups {
                let _ = writeln!(s, "{:<width$} {:>10}", g.key, g.total);
            }
            if by == GroupBy::Client && !t.clients.exact() {
                let _ = writeln!(
                    s,
                    "(more distinct clients than counted exactly: each count may be up to {} low)",
                    t.clients.error_bound()
                );
            }
        }
        GroupBy::Server | GroupBy::Service => {
            let mut states: Vec<conns::State> = groups
                .iter()
                .flat_map(|g| g.states.iter().map(|(st, _)| *st))
                .collect();
            states.sort();
            states.dedup();
            let _ = write!(s, "{heading:<width$} {:>10}", "Total");
            for st in &states {
                let _ = write!(s, " {:>11}", st.name());
            }
            s.push('\n');
            for g in &groups {
                let _ = write!(s, "{:<width$} {:>10}", g.key, g.total);
                for st in &states {
                    let n = g
                        .states
                        .iter()
                        .find(|(x, _)| x == st)
                        .map_or(0, |(_, n)| *n);
                    let _ = write!(s, " {n:>11}");
                }
                s.push('\n');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::conns::{Filter, Limits};

    #[test]
    fn group_text_has_a_column_per_state() {
        let text = "TCP CB007102 AD74 CB007164 0051 0A0A000C 0051 ESTABLISHED     894\nUDP CB007102 C875 CB007164 0035 0A0A000C 0035 UDP             294\n";
        let t = ConnTable::from_text(text, Filter::default(), Limits::default());
        let out = groups_text(&t, GroupBy::Server, usize::MAX);
        assert_eq!(
            out,
            "RemoteAddress:Port      Total ESTABLISHED         UDP\n10.10.0.12:53               1           0           1\n10.10.0.12:81               1           1           0\n"
        );
    }
}
