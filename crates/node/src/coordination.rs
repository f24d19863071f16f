//! The Coordination service: aggregate tables for regional coordinators, computed over this
//! node's own data, with cells from 1 to k-1 suppressed. It never returns a person, a record id
//! or a token.
//!
//! A cross-border link is held by both of its nodes; to count it once across the federation,
//! a node reports only its links to peers whose country code sorts after its own.

use crate::auth::caller;
use crate::error::store_status;
use crate::registry::visible_links;
use crate::state::NodeState;
use homeward_proto::pb;
use homeward_proto::pb::coordination_server::Coordination;
use std::collections::BTreeMap;
use std::sync::Arc;
use tonic::{Request, Response, Status};

pub struct CoordinationService {
    pub state: Arc<NodeState>,
}

/// Suppresses every cell with a value from 1 to k-1 (its value is withheld).
pub fn suppress(cells: &mut [pb::Cell], k: u32) {
    for cell in cells {
        if cell.value > 0 && cell.value < u64::from(k) {
            cell.value = 0;
            cell.suppressed = true;
        }
    }
}

pub fn aggregates(state: &NodeState) -> Result<pb::Aggregates, Status> {
    let own = state.config.country.clone();
    let k = state.config.suppression_k;
    let persons = state.store.count_persons().map_err(store_status)?;
    let mut person_cells = vec![pb::Cell { labels: vec![own.clone()], value: persons, suppressed: false }];
    suppress(&mut person_cells, k);

    let mut pairs: BTreeMap<(String, String), u64> = BTreeMap::new();
    for peer in state.peers() {
        if peer.country > own {
            pairs.insert((peer.country.clone(), "same_person".into()), 0);
            pairs.insert((peer.country.clone(), "family".into()), 0);
        }
    }
    for (link, shown) in visible_links(state, false).map_err(store_status)? {
        if link.peer <= own {
            continue;
        }
        let kind = if shown.kind == pb::LinkKind::Family as i32 { "family" } else { "same_person" };
        *pairs.entry((link.peer.clone(), kind.to_string())).or_default() += 1;
    }
    let mut link_cells: Vec<pb::Cell> = pairs
        .into_iter()
        .map(|((peer, kind), value)| pb::Cell { labels: vec![own.clone(), peer, kind], value, suppressed: false })
        .collect();
    suppress(&mut link_cells, k);
    Ok(pb::Aggregates {
        country: own,
        k,
        tables: vec![
            pb::Table { name: "persons_by_node".into(), dimensions: vec!["country".into()], cells: person_cells },
            pb::Table {
                name: "links_by_country_pair".into(),
                dimensions: vec!["country_a".into(), "country_b".into(), "kind".into()],
                cells: link_cells,
            },
        ],
    })
}

#[tonic::async_trait]
impl Coordination for CoordinationService {
    async fn get_aggregates(
        &self,
        request: Request<pb::GetAggregatesRequest>,
    ) -> Result<Response<pb::Aggregates>, Status> {
        let actor = caller(&request)?.actor();
        let result = aggregates(&self.state)?;
        self.state.store.audit(&actor, "aggregates.read", "", "").map_err(store_status)?;
        Ok(Response::new(result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cells_are_suppressed() {
        let mut cells: Vec<pb::Cell> =
            [0u64, 1, 9, 10, 25].iter().map(|&value| pb::Cell { labels: vec![], value, suppressed: false }).collect();
        suppress(&mut cells, 10);
        let shown: Vec<(u64, bool)> = cells.iter().map(|c| (c.value, c.suppressed)).collect();
        assert_eq!(shown, vec![(0, false), (0, true), (0, true), (10, false), (25, false)]);
    }
}
