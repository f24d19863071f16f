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
/// suppressed too, until no group holds exactly one. Zeros stay shown unless a group has nothing
/// else to withhold: one small count among zeros equals the total, so a zero is withheld with it.
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
            // The smallest other count; when every other cell is zero, a zero: withheld too, it
            // leaves the reader unable to tell which cell holds the small count.
            let complement = group
                .iter()
                .copied()
                .filter(|&i| !cells[i].suppressed)
                .min_by_key(|&i| (cells[i].value == 0, cells[i].value, cells[i].labels.clone()));
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

/// Whole years to age bands used in every table.
fn age_band(person: &homeward_core::Person, today: (u16, u8, u8)) -> &'static str {
    match person.date_of_birth.and_then(|d| d.age_on(today)) {
        None => "unknown",
        Some(0..=4) => "0-4",
        Some(5..=11) => "5-11",
        Some(12..=17) => "12-17",
        Some(18..=29) => "18-29",
        Some(30..=44) => "30-44",
        Some(45..=59) => "45-59",
        Some(_) => "60+",
    }
}

fn month_of(seconds: i64) -> String {
    let (y, m, _) = crate::crypto::civil_from_days(seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}")
}

/// A table under construction: label tuple → count (and sum, for means).
#[derive(Default)]
struct Counter {
    cells: BTreeMap<Vec<String>, (u64, f64)>,
}

impl Counter {
    fn add(&mut self, labels: &[&str]) {
        self.cells.entry(labels.iter().map(|s| s.to_string()).collect()).or_default().0 += 1;
    }

    fn observe(&mut self, labels: &[&str], value: f64) {
        let cell = self.cells.entry(labels.iter().map(|s| s.to_string()).collect()).or_default();
        cell.0 += 1;
        cell.1 += value;
    }

    fn table(self, name: &str, dimensions: &[&str], means: bool, k: u32) -> pb::Table {
        let mut cells: Vec<pb::Cell> = self
            .cells
            .into_iter()
            .map(|(labels, (value, sum))| pb::Cell {
                labels,
                value,
                suppressed: false,
                mean: if means && value > 0 { sum / value as f64 } else { 0.0 },
            })
            .collect();
        suppress(&mut cells, k);
        for cell in &mut cells {
            if cell.suppressed {
                cell.mean = 0.0;
            }
        }
        pb::Table { name: name.into(), dimensions: dimensions.iter().map(|d| d.to_string()).collect(), cells, means }
    }
}

/// Every table of this node. Tables about cases, services, assessments and the persons behind
/// them count only cases whose consent allows reporting (a person counts once, under their most
/// recent such case). Records held and cross-border links are figures about the federation
/// itself and count every record.
pub fn aggregates(state: &NodeState) -> Result<pb::Aggregates, Status> {
    let own = state.config.country.clone();
    let k = state.config.suppression_k;
    let today = crate::crypto::today();
    let store = &state.store;

    // The reportable case of each person: the most recently opened case with reporting consent.
    let mut reportable: BTreeMap<String, homeward_core::case::Case> = BTreeMap::new();
    let mut reportable_cases = std::collections::HashSet::new();
    store
        .for_each_case(|case| {
            if case.consent.reporting {
                reportable_cases.insert(case.case_id.clone());
                let newer = reportable.get(&case.record_id).is_none_or(|held| case.create_time > held.create_time);
                if newer {
                    reportable.insert(case.record_id.clone(), case.clone());
                }
            }
        })
        .map_err(store_status)?;

    let mut by_node = Counter::default();
    let mut by_status = Counter::default();
    let mut by_sex_age = Counter::default();
    let mut by_nationality = Counter::default();
    let mut monthly = Counter::default();
    by_node.cells.insert(vec![own.clone()], (0, 0.0));
    store
        .for_each_person(|row| {
            by_node.add(&[&own]);
            let Some(case) = reportable.get(&row.person.record_id) else { return };
            let person = &row.person;
            by_status.add(&[case.status.label()]);
            by_sex_age.add(&[
                match person.sex.code() {
                    "" => "unknown",
                    code => code,
                },
                age_band(person, today),
            ]);
            by_nationality.add(&[person.nationalities.first().map(String::as_str).unwrap_or("unknown")]);
            monthly.add(&[&month_of(row.create_time), "enrolments"]);
            for change in &case.history {
                if change.to == homeward_core::case::CaseStatus::Closed {
                    monthly.add(&[&month_of(change.time), "closures"]);
                }
            }
        })
        .map_err(store_status)?;

    let mut services_by_type = Counter::default();
    let mut services_by_provider = Counter::default();
    let mut services_by_status = Counter::default();
    store
        .for_each_service(|service| {
            if !reportable_cases.contains(&service.case_id) {
                return;
            }
            let d = &service.details;
            let status = if d.completed.is_some() {
                "completed"
            } else if d.started.is_some() {
                "started"
            } else {
                "referred"
            };
            services_by_type.add(&[d.service_type.label()]);
            services_by_provider.add(&[d.provider_kind.label()]);
            services_by_status.add(&[status]);
        })
        .map_err(store_status)?;

    let mut scores = Counter::default();
    store
        .for_each_assessment(|assessment| {
            if !reportable_cases.contains(&assessment.case_id) {
                return;
            }
            let round = assessment.round.label();
            let s = assessment.scores;
            for (dimension, value) in [
                ("economic", s.economic),
                ("social", s.social),
                ("psychosocial", s.psychosocial),
                ("composite", s.composite),
            ] {
                scores.observe(&[&round, dimension], value);
            }
        })
        .map_err(store_status)?;

    // Each link is counted once across its two nodes: by the node whose code sorts first.
    let mut links = Counter::default();
    let mut links_by_status = Counter::default();
    for peer in state.peers() {
        if peer.country > own {
            for kind in ["same_person", "family"] {
                links.cells.insert(vec![own.clone(), peer.country.clone(), kind.into()], (0, 0.0));
            }
        }
    }
    for (stored, shown) in visible_links(state, false).map_err(store_status)? {
        if stored.peer <= own {
            continue;
        }
        let kind = if shown.kind == pb::LinkKind::Family as i32 { "family" } else { "same_person" };
        let status = match pb::LinkStatus::try_from(shown.status) {
            Ok(pb::LinkStatus::AutoConfirmed) => "auto_confirmed",
            Ok(pb::LinkStatus::Confirmed) => "confirmed",
            Ok(pb::LinkStatus::Rejected) => "rejected",
            _ => "needs_review",
        };
        links.add(&[&own, &stored.peer, kind]);
        links_by_status.add(&[kind, status]);
        monthly.add(&[&month_of(stored.row.create_time), "links"]);
    }

    Ok(pb::Aggregates {
        country: own,
        k,
        tables: vec![
            by_node.table("persons_by_node", &["country"], false, k),
            by_status.table("persons_by_case_status", &["status"], false, k),
            by_sex_age.table("persons_by_sex_and_age", &["sex", "age_band"], false, k),
            by_nationality.table("persons_by_nationality", &["nationality"], false, k),
            services_by_type.table("services_by_type", &["type"], false, k),
            services_by_provider.table("services_by_provider_kind", &["provider_kind"], false, k),
            services_by_status.table("services_by_status", &["status"], false, k),
            scores.table("assessment_scores_by_round", &["round", "dimension"], true, k),
            links.table("links_by_country_pair", &["country_a", "country_b", "kind"], false, k),
            links_by_status.table("links_by_kind_and_status", &["kind", "status"], false, k),
            monthly.table("monthly_counts", &["month", "event"], false, k),
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
                mean: 0.0,
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
    fn a_small_count_among_zeros_takes_a_zero_with_it() {
        // One link to one peer, none to the others: the known total would give it away.
        let mut table = cells(&[(&["KG"], 0), (&["TJ"], 0), (&["UZ"], 1)]);
        suppress(&mut table, 10);
        assert_eq!(shown(&table), vec![None, Some(0), None]);
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
