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

/// Suppresses every cell with a value from 1 to k-1, and then, complementarily, enough other
/// cells that no suppressed value can be recovered by subtraction from a total.
///
/// A coordinator may know (or compute from other tables) the total of the whole table and of
/// every line of it (all cells that agree on every label but one). In any such group, a single
/// suppressed cell beside published ones equals the total minus the others; so wherever a group
/// holds exactly one suppressed cell, the smallest published non-zero cell of that group is
/// suppressed too, until no group holds exactly one. Zero cells reveal nothing and stay shown.
pub fn suppress(cells: &mut [pb::Cell], k: u32) {
    for cell in cells.iter_mut() {
        if cell.value > 0 && cell.value < u64::from(k) {
            cell.suppressed = true;
        }
    }
    let dimensions = cells.iter().map(|c| c.labels.len()).max().unwrap_or(0);
    // Groups: the whole table, and for each dimension the lines along it.
    let mut groups: Vec<Vec<usize>> = vec![(0..cells.len()).collect()];
    for free in 0..dimensions {
        let mut lines: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
        for (index, cell) in cells.iter().enumerate() {
            let fixed: Vec<String> =
                cell.labels.iter().enumerate().filter(|(d, _)| *d != free).map(|(_, l)| l.clone()).collect();
            lines.entry(fixed).or_default().push(index);
        }
        groups.extend(lines.into_values().filter(|line| line.len() > 1));
    }
    loop {
        let mut changed = false;
        for group in &groups {
            let suppressed = group.iter().filter(|&&i| cells[i].suppressed).count();
            if suppressed != 1 {
                continue;
            }
            let complement = group
                .iter()
                .copied()
                .filter(|&i| !cells[i].suppressed && cells[i].value > 0)
                .min_by_key(|&i| (cells[i].value, cells[i].labels.clone()));
            if let Some(i) = complement {
                cells[i].suppressed = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for cell in cells.iter_mut() {
        if cell.suppressed {
            cell.value = 0;
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

    fn cells(rows: &[(&[&str], u64)]) -> Vec<pb::Cell> {
        rows.iter()
            .map(|(labels, value)| pb::Cell {
                labels: labels.iter().map(|s| s.to_string()).collect(),
                value: *value,
                suppressed: false,
            })
            .collect()
    }

    fn shown(cells: &[pb::Cell]) -> Vec<Option<u64>> {
        cells.iter().map(|c| (!c.suppressed).then_some(c.value)).collect()
    }

    #[test]
    fn small_cells_are_suppressed_and_zero_is_shown() {
        let mut table = cells(&[(&["a"], 0), (&["b"], 1), (&["c"], 9), (&["d"], 10), (&["e"], 25)]);
        suppress(&mut table, 10);
        assert_eq!(shown(&table), vec![Some(0), None, None, Some(10), Some(25)]);
    }

    #[test]
    fn a_lone_small_cell_takes_a_complement_with_it() {
        // Total 43 is known elsewhere (e.g. persons per node): 3 = 43 - 25 - 15 would be
        // recoverable, so the smallest other cell is suppressed too.
        let mut table = cells(&[(&["open"], 3), (&["closed"], 25), (&["transferred"], 15)]);
        suppress(&mut table, 10);
        assert_eq!(shown(&table), vec![None, Some(25), None]);
        for cell in &table {
            assert!(!cell.suppressed || cell.value == 0, "a suppressed cell carried its value");
        }
    }

    #[test]
    fn complements_hold_along_every_line_of_a_two_way_table() {
        // sex × status; one small cell at (F, closed).
        let mut table =
            cells(&[(&["F", "open"], 40), (&["F", "closed"], 4), (&["M", "open"], 30), (&["M", "closed"], 20)]);
        suppress(&mut table, 10);
        // Every row, every column and the whole table: zero or at least two suppressed.
        let suppressed_in = |pred: &dyn Fn(&pb::Cell) -> bool| table.iter().filter(|c| pred(c) && c.suppressed).count();
        for group in [
            suppressed_in(&|c| c.labels[0] == "F"),
            suppressed_in(&|c| c.labels[0] == "M"),
            suppressed_in(&|c| c.labels[1] == "open"),
            suppressed_in(&|c| c.labels[1] == "closed"),
            suppressed_in(&|_| true),
        ] {
            assert!(group != 1, "a line with one suppressed cell: {table:?}");
        }
        assert!(table[1].suppressed);
    }
}
