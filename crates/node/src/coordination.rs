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
/// cells that no suppressed value can be recovered exactly from the published ones and the
/// totals. Cells marked suppressed on entry (fewer than k persons behind a larger count) are
/// withheld the same way.
///
/// A coordinator may know (or compute from other tables) the total of the whole table and of
/// every line of it (all cells that agree on every label but one); each such group is one
/// equation over the withheld cells. Three things are made to hold, in turn, until all do:
///
/// 1. No group holds exactly one withheld cell: it would equal the total minus the others.
/// 2. In every group with withheld cells, their sum exceeds the number of them that are
///    non-zero. A label that appears in a table usually has a count of at least 1, so a
///    coordinator may know each withheld non-zero cell is at least 1; two withheld cells that
///    sum to 2 are then both exactly 1 (`persons_by_case_status` withholding *assessment* and
///    *closed* beside *intake* 48, while `persons_by_nationality` publishes the 50 persons).
/// 3. No withheld cell is a linear combination of the groups' equations: cells withheld two to
///    a line can still chain across lines so that one of them is pinned (see
///    `withheld_cells_that_chain_across_lines_are_not_pinned_by_the_line_totals`).
///
/// Each repair withholds the smallest published non-zero cell of a group concerned (a zero
/// when the group has nothing else: one small count among zeros equals the total). Zeros stay
/// shown otherwise. What is not ruled out: bounds from several groups at once narrowing a
/// withheld cell to an interval (a full linear-programming audit), and differences between
/// tables read at two times (see ARCHITECTURE.md, "Known limits").
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
    // The published cell to withhold next in `group`: the smallest non-zero one, else a zero.
    let complement = |cells: &[pb::Cell], group: &[usize], zero_too: bool| {
        group
            .iter()
            .copied()
            .filter(|&i| !cells[i].suppressed && (zero_too || cells[i].value > 0))
            .min_by_key(|&i| (cells[i].value == 0, cells[i].value, cells[i].labels.clone()))
    };
    loop {
        let mut changed = false;
        for group in &groups {
            let withheld: Vec<usize> = group.iter().copied().filter(|&i| cells[i].suppressed).collect();
            let sum: u64 = withheld.iter().map(|&i| cells[i].value).sum();
            let non_zero = withheld.iter().filter(|&&i| cells[i].value > 0).count() as u64;
            let pick = if withheld.len() == 1 {
                complement(cells, group, true)
            } else if !withheld.is_empty() && sum <= non_zero {
                complement(cells, group, false)
            } else {
                None
            };
            if let Some(i) = pick {
                cells[i].suppressed = true;
                changed = true;
            }
        }
        if changed {
            continue;
        }
        // Rule 3, once the first two hold: a pinned cell takes a complement from one of its
        // groups, and the rules are checked again.
        for pinned in pinned_cells(cells, &groups) {
            let pick = groups.iter().filter(|g| g.contains(&pinned)).find_map(|g| complement(cells, g, false));
            if let Some(i) = pick {
                cells[i].suppressed = true;
                changed = true;
                break;
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

/// Withheld cells whose value follows from the groups' totals by linear algebra alone: those
/// whose unit vector lies in the row space of the groups' incidence over the withheld cells.
fn pinned_cells(cells: &[pb::Cell], groups: &[Vec<usize>]) -> Vec<usize> {
    let withheld: Vec<usize> = (0..cells.len()).filter(|&i| cells[i].suppressed).collect();
    if withheld.is_empty() {
        return Vec::new();
    }
    let column: BTreeMap<usize, usize> = withheld.iter().enumerate().map(|(c, &i)| (i, c)).collect();
    let mut rows: Vec<Vec<f64>> = groups
        .iter()
        .filter_map(|group| {
            let mut row = vec![0.0; withheld.len()];
            for i in group {
                if let Some(&c) = column.get(i) {
                    row[c] = 1.0;
                }
            }
            row.iter().any(|&x| x != 0.0).then_some(row)
        })
        .collect();
    // Reduced row echelon form: each pivot row has 1 in its pivot column and 0 in the others'.
    let mut pivots: Vec<(usize, usize)> = Vec::new();
    let mut next = 0;
    for c in 0..withheld.len() {
        let Some(r) = (next..rows.len()).max_by(|&a, &b| rows[a][c].abs().total_cmp(&rows[b][c].abs())) else {
            break;
        };
        if rows[r][c].abs() < 1e-9 {
            continue;
        }
        rows.swap(next, r);
        let scale = rows[next][c];
        rows[next].iter_mut().for_each(|x| *x /= scale);
        let pivot = rows[next].clone();
        for (other, row) in rows.iter_mut().enumerate() {
            if other != next && row[c].abs() > 1e-12 {
                let factor = row[c];
                row.iter_mut().zip(&pivot).for_each(|(x, p)| *x -= factor * p);
            }
        }
        pivots.push((next, c));
        next += 1;
    }
    withheld
        .iter()
        .enumerate()
        .filter(|&(c, _)| {
            let mut unit = vec![0.0; withheld.len()];
            unit[c] = 1.0;
            for &(r, p) in &pivots {
                let factor = unit[p];
                if factor != 0.0 {
                    unit.iter_mut().zip(&rows[r]).for_each(|(x, v)| *x -= factor * v);
                }
            }
            unit.iter().all(|x| x.abs() < 1e-9)
        })
        .map(|(_, &i)| i)
        .collect()
}

/// A mean over `count` scores between 0 and 1, rounded so that the step times the count is at
/// least 1: `12 × m₁ − 11 × m₀` from two readings around one new assessment then spans the
/// whole scale instead of giving back its scores. 10–99 scores: one decimal; 100–999: two;
/// from 1,000: three (and fewer than 10, under a k below 10: none).
fn published_mean(mean: f64, count: u64) -> f64 {
    let decimals = count.max(1).ilog10().min(3) as i32;
    let step = 10f64.powi(-decimals);
    (mean / step).round() * step
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

/// A table under construction: label tuple → count, sum (for means) and the persons behind it.
#[derive(Default)]
struct Counter {
    cells: BTreeMap<Vec<String>, Tally>,
}

#[derive(Default)]
struct Tally {
    count: u64,
    sum: f64,
    /// The record ids counted: a cell of k services given to one person is that person's.
    persons: std::collections::HashSet<String>,
}

impl Counter {
    /// A cell shown even when nothing is counted in it (a zero).
    fn declare(&mut self, labels: &[&str]) {
        self.cells.entry(labels.iter().map(|s| s.to_string()).collect()).or_default();
    }

    /// Counts one event of the person `record_id`.
    fn add(&mut self, labels: &[&str], record_id: &str) {
        self.observe(labels, record_id, 0.0);
    }

    fn observe(&mut self, labels: &[&str], record_id: &str, value: f64) {
        let cell = self.cells.entry(labels.iter().map(|s| s.to_string()).collect()).or_default();
        cell.count += 1;
        cell.sum += value;
        if !cell.persons.contains(record_id) {
            cell.persons.insert(record_id.to_string());
        }
    }

    /// The table with its small cells suppressed: a count from 1 to k-1, or a larger count of
    /// fewer than k persons, and their complements ([`suppress`]). Means are rounded by
    /// [`published_mean`].
    fn table(self, name: &str, dimensions: &[&str], means: bool, k: u32) -> pb::Table {
        let mut cells: Vec<pb::Cell> = self
            .cells
            .into_iter()
            .map(|(labels, tally)| pb::Cell {
                labels,
                value: tally.count,
                suppressed: tally.count > 0 && (tally.persons.len() as u64) < u64::from(k),
                mean: if means && tally.count > 0 {
                    published_mean(tally.sum / tally.count as f64, tally.count)
                } else {
                    0.0
                },
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
    by_node.declare(&[&own]);
    store
        .for_each_person(|row| {
            let record_id = row.person.record_id.as_str();
            by_node.add(&[&own], record_id);
            let Some(case) = reportable.get(&row.person.record_id) else { return };
            let person = &row.person;
            by_status.add(&[case.status.label()], record_id);
            by_sex_age.add(
                &[
                    match person.sex.code() {
                        "" => "unknown",
                        code => code,
                    },
                    age_band(person, today),
                ],
                record_id,
            );
            by_nationality.add(&[person.nationalities.first().map(String::as_str).unwrap_or("unknown")], record_id);
            monthly.add(&[&month_of(row.create_time), "enrolments"], record_id);
            for change in &case.history {
                if change.to == homeward_core::case::CaseStatus::Closed {
                    monthly.add(&[&month_of(change.time), "closures"], record_id);
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
            services_by_type.add(&[d.service_type.label()], &service.record_id);
            services_by_provider.add(&[d.provider_kind.label()], &service.record_id);
            services_by_status.add(&[status], &service.record_id);
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
                scores.observe(&[&round, dimension], &assessment.record_id, value);
            }
        })
        .map_err(store_status)?;

    // Each link is counted once across its two nodes: by the node whose code sorts first.
    let mut links = Counter::default();
    let mut links_by_status = Counter::default();
    for peer in state.peers() {
        if peer.country > own {
            for kind in ["same_person", "family"] {
                links.declare(&[&own, &peer.country, kind]);
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
        links.add(&[&own, &stored.peer, kind], &stored.record_id);
        links_by_status.add(&[kind, status], &stored.record_id);
        monthly.add(&[&month_of(stored.row.create_time), "links"], &stored.record_id);
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
    fn withheld_cells_that_can_only_be_ones_take_a_complement() {
        // Intake 48 beside one case in assessment and one closed, while another table publishes
        // the 50 persons: two withheld labels that appear at all hold at least 1 each, and sum
        // to 2, so both are exactly 1 unless a third cell is withheld with them.
        let mut table = cells(&[(&["assessment"], 1), (&["closed"], 1), (&["intake"], 48)]);
        suppress(&mut table, 10);
        assert_eq!(shown(&table), vec![None, None, None]);
        // Withheld cells of 2 and 1 leave either one to be the 2: nothing more is withheld.
        let mut table = cells(&[(&["assessment"], 2), (&["closed"], 1), (&["intake"], 47)]);
        suppress(&mut table, 10);
        assert_eq!(shown(&table), vec![None, None, Some(47)]);
    }

    /// Solves for the withheld cells of a two-way table from its row and column totals, when
    /// the equations pin a cell: returns the pinned cells with their recovered values.
    fn recoverable(original: &[pb::Cell], published: &[pb::Cell]) -> Vec<(Vec<String>, u64)> {
        let mut groups: Vec<Vec<usize>> = vec![(0..original.len()).collect()];
        for free in 0..2 {
            let mut lines: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, c) in original.iter().enumerate() {
                lines.entry(c.labels[1 - free].clone()).or_default().push(i);
            }
            groups.extend(lines.into_values());
        }
        pinned_cells(published, &groups).into_iter().map(|i| (original[i].labels.clone(), original[i].value)).collect()
    }

    #[test]
    fn withheld_cells_that_chain_across_lines_are_not_pinned_by_the_line_totals() {
        // Two withheld cells on every line, yet r2/c3 = (r1 + r2) − (c1 + c2) over the withheld
        // cells: 6 = (5 + 15) − (6 + 8). Every cell not listed is 50.
        let small: BTreeMap<(&str, &str), u64> = [
            (("r1", "c1"), 2),
            (("r1", "c2"), 3),
            (("r2", "c1"), 4),
            (("r2", "c2"), 5),
            (("r2", "c3"), 6),
            (("r3", "c3"), 2),
            (("r3", "c4"), 3),
            (("r4", "c3"), 4),
            (("r4", "c4"), 5),
        ]
        .into_iter()
        .collect();
        let mut rows: Vec<(Vec<&str>, u64)> = Vec::new();
        for r in ["r1", "r2", "r3", "r4"] {
            for c in ["c1", "c2", "c3", "c4"] {
                rows.push((vec![r, c], small.get(&(r, c)).copied().unwrap_or(50)));
            }
        }
        let original: Vec<pb::Cell> = rows
            .iter()
            .map(|(labels, value)| pb::Cell {
                labels: labels.iter().map(|s| s.to_string()).collect(),
                value: *value,
                suppressed: false,
                mean: 0.0,
            })
            .collect();
        // What the first two rules alone withhold: the nine small cells, two or more per line.
        let mut lines_only = original.clone();
        lines_only.iter_mut().for_each(|c| c.suppressed = c.value < 10);
        assert_eq!(recoverable(&original, &lines_only), vec![(vec!["r2".to_string(), "c3".to_string()], 6)]);

        let mut table = original.clone();
        suppress(&mut table, 10);
        assert!(recoverable(&original, &table).is_empty(), "pinned: {:?}", recoverable(&original, &table));
        for (cell, before) in table.iter().zip(&original) {
            assert!(cell.suppressed || before.value >= 10, "{:?} published", before.labels);
        }
    }

    #[test]
    fn a_count_of_fewer_than_k_persons_is_withheld_however_large() {
        // Ten religious counselling services given to one person, thirty others to thirty.
        let mut counter = Counter::default();
        for _ in 0..10 {
            counter.add(&["religious_counselling"], "KZ-1");
        }
        for i in 0..30 {
            counter.add(&["vocational_training"], &format!("KZ-{}", 100 + i));
            counter.add(&["legal_aid"], &format!("KZ-{}", 200 + i));
        }
        let table = counter.table("services_by_type", &["type"], false, 10);
        let shown: Vec<(String, Option<u64>)> =
            table.cells.iter().map(|c| (c.labels[0].clone(), (!c.suppressed).then_some(c.value))).collect();
        assert_eq!(
            shown,
            vec![
                ("legal_aid".to_string(), None),
                ("religious_counselling".to_string(), None),
                ("vocational_training".to_string(), Some(30)),
            ]
        );
    }

    #[test]
    fn one_more_assessment_cannot_be_read_back_from_two_means() {
        // Eleven scores, then a twelfth: with the means published to one decimal, what the
        // twelfth could be from them spans more than the whole 0–1 scale.
        let scores = [0.62, 0.55, 0.71, 0.48, 0.66, 0.59, 0.52, 0.64, 0.57, 0.61, 0.45];
        let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
        let before = published_mean(mean(&scores), 11);
        let mut after_scores = scores.to_vec();
        after_scores.push(0.123);
        let after = published_mean(mean(&after_scores), 12);
        // The mean read each time lies within half a step of the true one.
        let (low, high) =
            (12.0 * (after - 0.05) - 11.0 * (before + 0.05), 12.0 * (after + 0.05) - 11.0 * (before - 0.05));
        assert!(low <= 0.123 && 0.123 <= high);
        assert!(high - low >= 1.0, "the twelfth score is narrowed to [{low}, {high}]");
        assert_eq!(published_mean(0.5444, 12), 0.5);
        assert_eq!(published_mean(0.5444, 120), 0.54);
        assert_eq!(published_mean(0.5444, 1200), 0.544);
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
