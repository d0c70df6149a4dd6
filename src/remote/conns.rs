//! Connection queries over the wire: the agent counts its director's connection table where it
//! lies ([`ConnTable`], filtered and bounded), and only the aggregates and the rows asked for
//! travel back, to be made a `ConnTable` again on the client's side.

use super::protocol::{ConnsAnswer, ConnsQuery, WireRoute, WireRow};
use crate::ipvs::conns::clients::TopClients;
use crate::ipvs::conns::table::FirstMalformed;
use crate::ipvs::conns::{ConnTable, Filter, Limits, Route, Row, State};
use crate::ipvs::model::Snapshot;
use std::sync::Arc;

/// Where an agent reads connections: the kernel's file, or the simulator's table.
#[derive(Clone)]
pub enum ConnsFrom {
    File(std::path::PathBuf),
    Sim(Arc<crate::ipvs::sim::SimBackend>),
}

/// Runs `query` against `from`; `table` gives the persistence netmasks of its services.
pub async fn answer(
    from: &ConnsFrom,
    query: &ConnsQuery,
    table: Option<&Snapshot>,
) -> Result<ConnsAnswer, String> {
    let filter =
        Filter::parse(&query.filter).map_err(|e| format!("filter {:?}: {}", e.term, e.reason))?;
    let masks = table
        .map(|t| crate::ipvs::conns::filter::persistence_masks(&t.services))
        .unwrap_or_default();
    let within = query
        .within
        .iter()
        .map(|terms| Filter::parse(terms).map_err(|e| format!("scope {:?}: {}", e.term, e.reason)))
        .collect::<Result<Vec<_>, _>>()?;
    let filter = filter.with_masks(masks).within(within);
    let limits = Limits {
        max_rows: query.max_rows,
        max_templates: query.max_templates,
        max_clients: query.max_clients,
    };
    let table = match from {
        ConnsFrom::File(path) => {
            crate::ipvs::conns::read_path_async(
                path.clone(),
                filter,
                limits,
                Arc::default(),
                Arc::default(),
            )
            .await
            .map_err(|e| e.to_string())?
            .table
        }
        ConnsFrom::Sim(sim) => ConnTable::from_text(&sim.conn_table(), filter, limits),
    };
    Ok(to_wire(&table))
}

pub fn to_wire(t: &ConnTable) -> ConnsAnswer {
    let row = |r: &Row| WireRow {
        client: r.client(),
        cport: r.cport(),
        route: r.route() as u32,
        state: r.state().index() as u8,
        expires: r.expires(),
        template: r.is_template(),
    };
    ConnsAnswer {
        counts: t.counts,
        first_malformed: t
            .first_malformed
            .as_ref()
            .map(|m| (m.line, m.reason.clone())),
        routes: t
            .routes
            .iter()
            .map(|r| WireRoute {
                proto: r.proto,
                virt: r.virt,
                vport: r.vport,
                dest: r.dest,
                dport: r.dport,
            })
            .collect(),
        route_states: t.route_states.iter().map(|s| s.to_vec()).collect(),
        clients: t.clients.top(usize::MAX),
        clients_error_bound: t.clients.error_bound(),
        clients_capacity: t.clients.capacity() as u64,
        rows: t.rows.iter().map(row).collect(),
        templates: t.templates.iter().map(row).collect(),
    }
}

/// The table again; None when the answer does not hold together (a row's route or state out
/// of range): a broken agent, never trusted to index out of bounds.
pub fn from_wire(a: ConnsAnswer) -> Option<ConnTable> {
    let routes: Vec<Route> = a
        .routes
        .iter()
        .map(|r| Route {
            proto: r.proto,
            virt: r.virt,
            vport: r.vport,
            dest: r.dest,
            dport: r.dport,
        })
        .collect();
    let row = |r: &WireRow| {
        ((r.route as usize) < routes.len()).then_some(())?;
        let state = State::from_index(usize::from(r.state))?;
        Some(Row::new(
            r.client, r.cport, r.route, state, r.expires, r.template,
        ))
    };
    let rows = a.rows.iter().map(row).collect::<Option<Vec<_>>>()?;
    let templates = a.templates.iter().map(row).collect::<Option<Vec<_>>>()?;
    let route_states = a
        .route_states
        .iter()
        .map(|s| s.as_slice().try_into().ok())
        .collect::<Option<Vec<_>>>()?;
    if a.route_states.len() != routes.len() {
        return None;
    }
    Some(ConnTable {
        counts: a.counts,
        first_malformed: a
            .first_malformed
            .map(|(line, reason)| FirstMalformed { line, reason }),
        routes,
        route_states,
        clients: TopClients::from_counts(
            a.clients_capacity as usize,
            &a.clients,
            a.clients_error_bound,
        ),
        rows,
        templates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_table_counted_there_is_the_same_here() {
        let sim = crate::ipvs::sim::SimBackend::demo(1);
        sim.advance(std::time::Duration::from_secs(30));
        let text = sim.conn_table();
        let query = ConnsQuery {
            filter: vec![],
            max_rows: 50,
            max_templates: 10,
            max_clients: 1000,
            within: vec![],
        };
        let answer = answer(&ConnsFrom::Sim(Arc::new(sim)), &query, None)
            .await
            .unwrap();
        let here = ConnTable::from_text(
            &text,
            Filter::default(),
            Limits {
                max_rows: 50,
                max_templates: 10,
                max_clients: 1000,
            },
        );
        assert!(here.counts.matched > 0);
        let there = from_wire(answer.clone()).unwrap();
        assert_eq!(there.counts, here.counts);
        assert_eq!(there.routes, here.routes);
        assert_eq!(there.route_states, here.route_states);
        assert_eq!(there.rows, here.rows);
        assert_eq!(there.clients.top(5), here.clients.top(5));
        let mut broken = answer;
        broken.rows[0].route = 10_000;
        assert!(from_wire(broken).is_none());
    }

    #[tokio::test]
    async fn a_bad_filter_is_an_answer_in_words() {
        let query = ConnsQuery {
            filter: vec!["rs:10.0.0".into()],
            max_rows: 0,
            max_templates: 0,
            max_clients: 0,
            within: vec![],
        };
        let sim = Arc::new(crate::ipvs::sim::SimBackend::demo(1));
        let e = answer(&ConnsFrom::Sim(sim), &query, None)
            .await
            .unwrap_err();
        assert!(e.starts_with("filter \"rs:10.0.0\": "), "{e}");
    }

    /// A scope counts there as it would here: only the connections of its routes.
    #[tokio::test]
    async fn a_scope_counts_there_as_here() {
        let sim = crate::ipvs::sim::SimBackend::demo(1);
        sim.advance(std::time::Duration::from_secs(30));
        let text = sim.conn_table();
        let all = ConnTable::from_text(&text, Filter::default(), Limits::default());
        let route = all.routes[0];
        let rs = format!("rs:{}", route.dest);
        let scope = vec![vec![rs.clone()]];
        let query = ConnsQuery {
            filter: vec![],
            max_rows: 0,
            max_templates: 0,
            max_clients: 10,
            within: scope.clone(),
        };
        let there = answer(&ConnsFrom::Sim(Arc::new(sim)), &query, None)
            .await
            .unwrap();
        let within = vec![Filter::parse(&[rs]).unwrap()];
        let here = ConnTable::from_text(&text, Filter::default().within(within), Limits::default());
        assert!(here.counts.matched > 0 && here.counts.matched < all.counts.matched);
        assert_eq!(
            from_wire(there).unwrap().counts.matched,
            here.counts.matched
        );
    }
}
