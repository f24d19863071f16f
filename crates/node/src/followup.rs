//! What agencies do after a hit (workflows 3–5 of the brief): link review, disclosure requests
//! (step 2, as in Prüm and FIU.net Ma3tch) and referrals.
//!
//! A caseworker acts through the Registry; the action changes this node's follow-up record,
//! appends an audit entry and queues a `FollowUp` message for the link's peer, all in one store
//! batch ([`homeward_store::followup::Work`]). The message travels in that peer's outbox, in
//! order with its tokens, to that peer alone; the peer keeps it in its inbox in the batch of the
//! Exchange that carried it, and [`drain`] acts on it (again one batch: the new state, the
//! audit entry, any answer). So every step is on the record on both sides, nothing is lost when
//! a node is killed, and nothing is applied twice.
//!
//! Personal fields cross the border only in a disclosure answer, only the fields the holder's
//! caseworker approved, and only to the requesting node.

use crate::auth::caller;
use crate::error::store_status;
use crate::registry::{link_id_of, render, visible_link_index};
use crate::state::NodeState;
use homeward_core::case::{CaseDetails, CaseStatus, LegalBasis};
use homeward_proto::pb;
use homeward_proto::pb::follow_up::Body;
use homeward_store::StoredLink;
use homeward_store::followup::{Table, Work};
use prost::Message;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tonic::{Request, Status};

/// Longest free text (reason, purpose, note, justification) accepted, in bytes.
pub const MAX_TEXT: usize = 2000;
/// Most fields one disclosure request may name.
const MAX_FIELDS: usize = 32;
/// How the audit log names the node's own follow-up task (expiry, retention of disclosed data).
pub const ACTOR: &str = "node:self:followup";

use crate::crypto::unix_now as now;

// ---- records --------------------------------------------------------------------------------

/// One side's review decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// `ReviewDecision` (1 confirm, 2 reject).
    pub decision: i32,
    pub reason: String,
    pub time: i64,
    /// Own side only.
    pub actor: String,
}

/// Both sides' decisions on one link, keyed like the link (it outlives the link's tokens, so a
/// rejected link is still rejected when the same tokens match again).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReviewRow {
    pub own: Option<Decision>,
    pub peer: Option<Decision>,
}

/// The review record's id for a link: peer, peer reference, stored link kind, record.
pub fn review_id(peer: &str, peer_ref: &[u8; 16], link_kind: u8, record_id: &str) -> String {
    format!("{peer}:{}:{link_kind}:{record_id}", hex::encode(peer_ref))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DisclosureState {
    Pending,
    Approved,
    Refused,
    Delivered,
    Expired,
}

impl DisclosureState {
    pub fn label(self) -> &'static str {
        match self {
            DisclosureState::Pending => "pending",
            DisclosureState::Approved => "approved",
            DisclosureState::Refused => "refused",
            DisclosureState::Delivered => "delivered",
            DisclosureState::Expired => "expired",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DisclosureRow {
    pub id: String,
    /// True on the holder.
    pub incoming: bool,
    pub record_id: String,
    pub peer: String,
    /// The peer's reference for its record, and ours for our record (hex).
    pub peer_ref: String,
    pub own_ref: String,
    /// Stored link kind (0 same person, 1 family).
    pub link_kind: u8,
    pub requested: Vec<String>,
    pub approved: Vec<String>,
    pub purpose: String,
    pub legal_basis: String,
    pub state: DisclosureState,
    pub refusal_reason: String,
    pub override_justification: String,
    pub create_time: i64,
    pub update_time: i64,
    pub expire_time: i64,
    /// Requester only: the delivered values, from `peer`, for this request.
    pub delivered: Vec<(String, String)>,
    pub retain_until: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReferralState {
    InProgress,
    Accepted,
    Rejected,
    Done,
    Revoked,
}

impl ReferralState {
    pub fn label(self) -> &'static str {
        match self {
            ReferralState::InProgress => "in progress",
            ReferralState::Accepted => "accepted",
            ReferralState::Rejected => "rejected",
            ReferralState::Done => "done",
            ReferralState::Revoked => "revoked",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReferralRow {
    pub id: String,
    /// True on the receiver.
    pub incoming: bool,
    pub record_id: String,
    pub peer: String,
    pub peer_ref: String,
    pub own_ref: String,
    pub link_kind: u8,
    /// `ReferralKind`.
    pub kind: i32,
    /// The sender's case (sender), or the case opened by accepting a transfer (receiver).
    pub case_id: String,
    pub note: String,
    pub legal_basis: String,
    pub override_justification: String,
    pub state: ReferralState,
    pub reason: String,
    pub create_time: i64,
    pub update_time: i64,
}

// ---- conversions ----------------------------------------------------------------------------

/// The fields a disclosure may name: the columns of the person-import CSV (not the record id,
/// which means nothing outside its node).
pub fn disclosable_fields() -> Vec<&'static str> {
    homeward_core::import::csv_header().into_iter().filter(|c| *c != "record_id").collect()
}

fn decision_pb(decision: &Decision, with_actor: bool) -> pb::LinkReview {
    pb::LinkReview {
        decision: decision.decision,
        reason: decision.reason.clone(),
        time: decision.time,
        actor: if with_actor { decision.actor.clone() } else { String::new() },
    }
}

/// The review state of a stored link, as the Link message shows it.
pub fn review_of(state: &NodeState, link: &StoredLink) -> ReviewRow {
    let id = review_id(&link.peer, &link.peer_ref, link.link_kind, &link.record_id);
    state.store.follow_up_get::<ReviewRow>(Table::Review, &id).ok().flatten().unwrap_or_default()
}

pub fn review_fields(row: &ReviewRow) -> (Option<pb::LinkReview>, Option<pb::LinkReview>) {
    (row.own.as_ref().map(|d| decision_pb(d, true)), row.peer.as_ref().map(|d| decision_pb(d, false)))
}

fn disclosure_state_pb(state: DisclosureState) -> pb::DisclosureState {
    match state {
        DisclosureState::Pending => pb::DisclosureState::Pending,
        DisclosureState::Approved => pb::DisclosureState::Approved,
        DisclosureState::Refused => pb::DisclosureState::Refused,
        DisclosureState::Delivered => pb::DisclosureState::Delivered,
        DisclosureState::Expired => pb::DisclosureState::Expired,
    }
}

fn referral_state_pb(state: ReferralState) -> pb::ReferralState {
    match state {
        ReferralState::InProgress => pb::ReferralState::InProgress,
        ReferralState::Accepted => pb::ReferralState::Accepted,
        ReferralState::Rejected => pb::ReferralState::Rejected,
        ReferralState::Done => pb::ReferralState::Done,
        ReferralState::Revoked => pb::ReferralState::Revoked,
    }
}

fn ref_bytes(hex_ref: &str) -> [u8; 16] {
    hex::decode(hex_ref).ok().and_then(|b| b.try_into().ok()).unwrap_or([0; 16])
}

pub fn disclosure_to_pb(row: &DisclosureRow, with_values: bool) -> pb::Disclosure {
    pb::Disclosure {
        disclosure_id: row.id.clone(),
        incoming: row.incoming,
        link_id: link_id_of(&row.record_id, &row.peer, &ref_bytes(&row.peer_ref), row.link_kind),
        record_id: row.record_id.clone(),
        peer_country: row.peer.clone(),
        requested_fields: row.requested.clone(),
        approved_fields: row.approved.clone(),
        purpose: row.purpose.clone(),
        legal_basis: row.legal_basis.clone(),
        state: disclosure_state_pb(row.state) as i32,
        refusal_reason: row.refusal_reason.clone(),
        override_justification: row.override_justification.clone(),
        create_time: row.create_time,
        update_time: row.update_time,
        expire_time: row.expire_time,
        delivered: if with_values {
            row.delivered
                .iter()
                .map(|(name, value)| pb::DisclosedField { name: name.clone(), value: value.clone() })
                .collect()
        } else {
            Vec::new()
        },
        retain_until: row.retain_until,
    }
}

pub fn referral_to_pb(row: &ReferralRow) -> pb::Referral {
    pb::Referral {
        referral_id: row.id.clone(),
        incoming: row.incoming,
        link_id: link_id_of(&row.record_id, &row.peer, &ref_bytes(&row.peer_ref), row.link_kind),
        record_id: row.record_id.clone(),
        peer_country: row.peer.clone(),
        kind: row.kind,
        case_id: row.case_id.clone(),
        note: row.note.clone(),
        legal_basis: row.legal_basis.clone(),
        override_justification: row.override_justification.clone(),
        state: referral_state_pb(row.state) as i32,
        reason: row.reason.clone(),
        create_time: row.create_time,
        update_time: row.update_time,
    }
}

/// The wire link kind (1 same person, 2 family) of a stored one (0, 1), and back.
fn wire_kind(stored: u8) -> i32 {
    i32::from(stored) + 1
}

fn stored_kind(wire: i32) -> Option<u8> {
    match wire {
        1 => Some(0),
        2 => Some(1),
        _ => None,
    }
}

/// A wire enum value's name as the audit log and messages write it: lower case, without its
/// type's prefix (`REFERRAL_ACTION_ACCEPT` → `accept`).
fn wire_label(name: &str, prefix: &str) -> String {
    name.trim_start_matches(prefix).to_lowercase()
}

fn kind_label(kind: i32) -> String {
    wire_label(pb::ReferralKind::try_from(kind).unwrap_or_default().as_str_name(), "REFERRAL_KIND_")
}

// ---- checks ---------------------------------------------------------------------------------

fn text(field: &str, value: &str, required: bool) -> Result<String, Status> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(Status::invalid_argument(format!("{field}: required")));
    }
    if value.len() > MAX_TEXT {
        return Err(Status::invalid_argument(format!("{field}: longer than {MAX_TEXT} bytes")));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Status::invalid_argument(format!("{field}: control characters are not allowed")));
    }
    Ok(value.to_string())
}

/// The named fields, checked against [`disclosable_fields`], without repeats, in the order
/// given.
fn field_list(fields: &[String]) -> Result<Vec<String>, Status> {
    let allowed = disclosable_fields();
    let mut out: Vec<String> = Vec::new();
    for field in fields.iter().flat_map(|f| f.split(',')).map(str::trim).filter(|f| !f.is_empty()) {
        if !allowed.contains(&field) {
            return Err(Status::invalid_argument(format!(
                "fields: unknown field {field:?}; fields are: {}",
                allowed.join(", ")
            )));
        }
        if !out.iter().any(|f| f == field) {
            out.push(field.to_string());
        }
    }
    if out.len() > MAX_FIELDS {
        return Err(Status::invalid_argument(format!("fields: at most {MAX_FIELDS}")));
    }
    Ok(out)
}

/// Does any case of the person record consent to share with other organisations, or a legal
/// basis? Without either, sharing needs an explicit override with a justification.
fn sharing_allowed(work: &Work<'_, '_>, record_id: &str) -> homeward_store::Result<bool> {
    Ok(work.cases_of(record_id)?.iter().any(|case| case.consent.sharing || case.legal_basis != LegalBasis::Unspecified))
}

fn refused<T>(status: Status) -> homeward_store::Result<Result<T, Status>> {
    Ok(Err(status))
}

/// The link a caseworker names, as this node shows it (rejected links included, so that they
/// can be reopened).
fn find_link(state: &NodeState, link_id: &str) -> Result<(StoredLink, pb::Link), Status> {
    if link_id.trim().is_empty() {
        return Err(Status::invalid_argument("link_id: required"));
    }
    let link_id = link_id.trim();
    visible_link_index(state, false)
        .map_err(store_status)?
        .iter()
        .find(|shown| {
            let stored = &shown.stored;
            link_id_of(&stored.record_id, &stored.peer, &stored.peer_ref, stored.link_kind) == link_id
        })
        .and_then(|shown| render(state, shown, false).map(|link| (shown.stored.clone(), link)))
        .map_or_else(
            || {
                // A candidate that `links --all` lists below the review threshold is no link to act on.
                let below = visible_link_index(state, true).map_err(store_status)?.iter().any(|shown| {
                    let stored = &shown.stored;
                    link_id_of(&stored.record_id, &stored.peer, &stored.peer_ref, stored.link_kind) == link_id
                });
                Err(if below {
                    Status::failed_precondition(format!(
                        "link {link_id} scores below the review threshold: it is listed for information and is \
                         not reviewed or followed up (only links for review or auto-confirmed are)"
                    ))
                } else {
                    Status::not_found(format!("link {link_id} not found"))
                })
            },
            Ok,
        )
}

fn encode(body: Body) -> Vec<u8> {
    pb::FollowUp { body: Some(body) }.encode_to_vec()
}

async fn settle(state: &NodeState, peer: &str) -> Result<(), Status> {
    state.store.flush().await.map_err(store_status)?;
    state.wake(peer);
    Ok(())
}

// ---- link review ----------------------------------------------------------------------------

pub async fn review_link(state: &NodeState, request: Request<pb::ReviewLinkRequest>) -> Result<pb::Link, Status> {
    let actor = caller(&request)?.actor();
    let request = request.into_inner();
    let decision = match pb::ReviewDecision::try_from(request.decision) {
        Ok(d @ (pb::ReviewDecision::Confirm | pb::ReviewDecision::Reject | pb::ReviewDecision::Reopen)) => d,
        _ => return Err(Status::invalid_argument("decision: confirm, reject or reopen")),
    };
    let reason = text("reason", &request.reason, decision == pb::ReviewDecision::Reject)?;
    let (stored, link) = find_link(state, &request.link_id)?;
    let id = review_id(&stored.peer, &stored.peer_ref, stored.link_kind, &stored.record_id);
    let time = now();
    let own_ref = ref_bytes(&link.own_ref);
    state
        .store
        .follow_up(|work| {
            let mut row: ReviewRow = work.get(Table::Review, &id)?.unwrap_or_default();
            row.own = match decision {
                pb::ReviewDecision::Reopen => None,
                _ => Some(Decision { decision: decision as i32, reason: reason.clone(), time, actor: actor.clone() }),
            };
            work.put(Table::Review, &id, &stored.record_id, &row);
            work.audit(
                &actor,
                "link.review",
                &stored.record_id,
                &format!(
                    "link={} peer={} decision={} reason={reason:?}",
                    link.link_id,
                    stored.peer,
                    wire_label(decision.as_str_name(), "REVIEW_DECISION_")
                ),
            )?;
            work.send(
                &stored.peer,
                encode(Body::Review(pb::PeerReview {
                    sender_ref: own_ref.to_vec(),
                    receiver_ref: stored.peer_ref.to_vec(),
                    link_kind: wire_kind(stored.link_kind),
                    decision: decision as i32,
                    reason: reason.clone(),
                    time,
                })),
            )?;
            Ok(Ok::<(), Status>(()))
        })
        .map_err(store_status)??;
    settle(state, &stored.peer).await?;
    find_link(state, &link.link_id).map(|(_, link)| link)
}

// ---- disclosures ----------------------------------------------------------------------------

pub async fn request_disclosure(
    state: &NodeState,
    request: Request<pb::RequestDisclosureRequest>,
) -> Result<pb::Disclosure, Status> {
    let actor = caller(&request)?.actor();
    let request = request.into_inner();
    let fields = field_list(&request.fields)?;
    if fields.is_empty() {
        return Err(Status::invalid_argument("fields: name at least one field"));
    }
    let purpose = text("purpose", &request.purpose, true)?;
    let legal_basis = text("legal_basis", &request.legal_basis, true)?;
    let (stored, link) = find_link(state, &request.link_id)?;
    if link.status == pb::LinkStatus::Rejected as i32 {
        return Err(Status::failed_precondition(format!("link {} is rejected here; reopen it first", link.link_id)));
    }
    let time = now();
    let expire_time = time.saturating_add(state.config.followup.request_expiry.as_secs() as i64);
    let country = state.config.country.clone();
    let row = state
        .store
        .follow_up(|work| {
            let id = work.next_id("disclosure", &format!("{country}-D"))?;
            let row = DisclosureRow {
                id: id.clone(),
                incoming: false,
                record_id: stored.record_id.clone(),
                peer: stored.peer.clone(),
                peer_ref: hex::encode(stored.peer_ref),
                own_ref: link.own_ref.clone(),
                link_kind: stored.link_kind,
                requested: fields.clone(),
                approved: Vec::new(),
                purpose: purpose.clone(),
                legal_basis: legal_basis.clone(),
                state: DisclosureState::Pending,
                refusal_reason: String::new(),
                override_justification: String::new(),
                create_time: time,
                update_time: time,
                expire_time,
                delivered: Vec::new(),
                retain_until: 0,
            };
            work.put(Table::Disclosure, &id, &stored.record_id, &row);
            work.audit(
                &actor,
                "disclosure.request",
                &stored.record_id,
                &format!(
                    "disclosure={id} peer={} link={} fields={} purpose={purpose:?} legal_basis={legal_basis:?}",
                    stored.peer,
                    link.link_id,
                    fields.join(",")
                ),
            )?;
            work.send(
                &stored.peer,
                encode(Body::DisclosureRequest(pb::PeerDisclosureRequest {
                    disclosure_id: id,
                    sender_ref: ref_bytes(&link.own_ref).to_vec(),
                    receiver_ref: stored.peer_ref.to_vec(),
                    link_kind: wire_kind(stored.link_kind),
                    fields: fields.clone(),
                    purpose: purpose.clone(),
                    legal_basis: legal_basis.clone(),
                    expire_time,
                })),
            )?;
            Ok(Ok::<DisclosureRow, Status>(row))
        })
        .map_err(store_status)??;
    settle(state, &row.peer).await?;
    Ok(disclosure_to_pb(&row, false))
}

pub async fn get_disclosure(
    state: &NodeState,
    request: Request<pb::GetDisclosureRequest>,
) -> Result<pb::Disclosure, Status> {
    let actor = caller(&request)?.actor();
    let id = request.into_inner().disclosure_id;
    expire_due(state, now()).map_err(store_status)?;
    let row: DisclosureRow = state
        .store
        .follow_up_get(Table::Disclosure, &id)
        .map_err(store_status)?
        .ok_or_else(|| Status::not_found(format!("disclosure {id} not found")))?;
    let detail = format!("disclosure={id} values={}", row.delivered.len());
    state.store.audit(&actor, "disclosure.read", &row.record_id, &detail).map_err(store_status)?;
    Ok(disclosure_to_pb(&row, true))
}

pub async fn list_disclosures(
    state: &NodeState,
    request: Request<pb::ListDisclosuresRequest>,
) -> Result<Vec<pb::Disclosure>, Status> {
    let actor = caller(&request)?.actor();
    let request = request.into_inner();
    expire_due(state, now()).map_err(store_status)?;
    let rows: Vec<DisclosureRow> = state.store.follow_up_list(Table::Disclosure).map_err(store_status)?;
    let shown: Vec<pb::Disclosure> = rows
        .iter()
        .filter(|row| !request.waiting || (row.incoming && row.state == DisclosureState::Pending))
        .filter(|row| request.record_id.is_empty() || row.record_id == request.record_id)
        .map(|row| disclosure_to_pb(row, false))
        .collect();
    state
        .store
        .audit(&actor, "disclosure.list", &request.record_id, &format!("count={}", shown.len()))
        .map_err(store_status)?;
    Ok(shown)
}

pub async fn answer_disclosure(
    state: &NodeState,
    request: Request<pb::AnswerDisclosureRequest>,
) -> Result<pb::Disclosure, Status> {
    let actor = caller(&request)?.actor();
    let request = request.into_inner();
    let approved_fields = field_list(&request.fields)?;
    let refusal_reason = text("refusal_reason", &request.refusal_reason, !request.approve)?;
    let justification = text("override_justification", &request.override_justification, false)?;
    let id = request.disclosure_id.trim().to_string();
    expire_due(state, now()).map_err(store_status)?;
    let time = now();
    let row = state
        .store
        .follow_up(|work| {
            let Some(mut row) = work.get::<DisclosureRow>(Table::Disclosure, &id)? else {
                return refused(Status::not_found(format!("disclosure {id} not found")));
            };
            if !row.incoming {
                return refused(Status::failed_precondition(format!(
                    "disclosure {id} was asked by this node; only its holder ({}) answers it",
                    row.peer
                )));
            }
            if row.state != DisclosureState::Pending {
                return refused(Status::failed_precondition(format!(
                    "disclosure {id} is {}, not pending",
                    row.state.label()
                )));
            }
            let answer = if request.approve {
                let fields = if approved_fields.is_empty() { row.requested.clone() } else { approved_fields.clone() };
                if let Some(extra) = fields.iter().find(|f| !row.requested.contains(f)) {
                    return refused(Status::invalid_argument(format!(
                        "fields: {extra} was not requested (requested: {})",
                        row.requested.join(", ")
                    )));
                }
                if !sharing_allowed(work, &row.record_id)? && justification.is_empty() {
                    return refused(Status::failed_precondition(format!(
                        "no case of {} records consent to share or a legal basis: approving needs an override \
                         with a justification",
                        row.record_id
                    )));
                }
                let Some(person) = work.person(&row.record_id)? else {
                    return refused(Status::failed_precondition(format!("person {} is gone", row.record_id)));
                };
                let header = homeward_core::import::csv_header();
                let values = homeward_core::import::person_to_fields(&person.person);
                let disclosed: Vec<pb::DisclosedField> = fields
                    .iter()
                    .map(|field| pb::DisclosedField {
                        name: field.clone(),
                        value: header
                            .iter()
                            .position(|h| h == field)
                            .and_then(|i| values.get(i).cloned())
                            .unwrap_or_default(),
                    })
                    .collect();
                row.state = DisclosureState::Approved;
                row.approved = fields.clone();
                row.override_justification = justification.clone();
                work.audit(
                    &actor,
                    "disclosure.approve",
                    &row.record_id,
                    &format!(
                        "disclosure={id} peer={} fields={}{}",
                        row.peer,
                        fields.join(","),
                        if justification.is_empty() { String::new() } else { format!(" override={justification:?}") }
                    ),
                )?;
                pb::PeerDisclosureAnswer {
                    disclosure_id: id.clone(),
                    approved: true,
                    fields: disclosed,
                    refusal_reason: String::new(),
                }
            } else {
                row.state = DisclosureState::Refused;
                row.refusal_reason = refusal_reason.clone();
                work.audit(
                    &actor,
                    "disclosure.refuse",
                    &row.record_id,
                    &format!("disclosure={id} peer={} reason={refusal_reason:?}", row.peer),
                )?;
                pb::PeerDisclosureAnswer {
                    disclosure_id: id.clone(),
                    approved: false,
                    fields: Vec::new(),
                    refusal_reason: refusal_reason.clone(),
                }
            };
            row.update_time = time;
            work.put(Table::Disclosure, &id, &row.record_id.clone(), &row);
            work.send(&row.peer, encode(Body::DisclosureAnswer(answer)))?;
            Ok(Ok(row))
        })
        .map_err(store_status)??;
    settle(state, &row.peer).await?;
    Ok(disclosure_to_pb(&row, false))
}

// ---- referrals ------------------------------------------------------------------------------

pub async fn create_referral(
    state: &NodeState,
    request: Request<pb::CreateReferralRequest>,
) -> Result<pb::Referral, Status> {
    let actor = caller(&request)?.actor();
    let request = request.into_inner();
    let kind = match pb::ReferralKind::try_from(request.kind) {
        Ok(pb::ReferralKind::Unspecified) | Err(_) => {
            return Err(Status::invalid_argument("kind: family_reunification, service or transfer"));
        }
        Ok(kind) => kind,
    };
    let note = text("note", &request.note, false)?;
    let justification = text("override_justification", &request.override_justification, false)?;
    let case_id = text("case_id", &request.case_id, true)?;
    let (stored, link) = find_link(state, &request.link_id)?;
    if link.status == pb::LinkStatus::Rejected as i32 {
        return Err(Status::failed_precondition(format!("link {} is rejected here; reopen it first", link.link_id)));
    }
    let time = now();
    let country = state.config.country.clone();
    let row = state
        .store
        .follow_up(|work| {
            let Some(case) = work.case(&case_id)? else {
                return refused(Status::not_found(format!("case {case_id} not found")));
            };
            if case.record_id != stored.record_id {
                return refused(Status::invalid_argument(format!(
                    "case {case_id} is not a case of {}, the record of link {}",
                    stored.record_id, link.link_id
                )));
            }
            if case.status.is_ended() {
                return refused(Status::failed_precondition(format!(
                    "case {case_id} is {}; only an open case is referred",
                    case.status.label()
                )));
            }
            if kind == pb::ReferralKind::Transfer {
                // One case moves to one country: a second transfer waits until the first is
                // rejected or revoked. (The case is a case of the link's record.)
                let rows: Vec<ReferralRow> = work.about(Table::Referral, &stored.record_id)?;
                let open = rows.iter().find(|r| {
                    !r.incoming
                        && r.case_id == case_id
                        && r.kind == pb::ReferralKind::Transfer as i32
                        && matches!(r.state, ReferralState::InProgress | ReferralState::Accepted | ReferralState::Done)
                });
                if let Some(other) = open {
                    return refused(Status::failed_precondition(format!(
                        "case {case_id} is already referred for transfer to {} ({}, {}); a case is transferred \
                         to one country: revoke that referral first, or wait for its rejection",
                        other.peer,
                        other.id,
                        other.state.label()
                    )));
                }
            }
            let allowed = case.consent.sharing || case.legal_basis != LegalBasis::Unspecified;
            if !allowed && justification.is_empty() {
                return refused(Status::failed_precondition(format!(
                    "case {case_id} records no consent to share and no legal basis: referring needs an override \
                     with a justification"
                )));
            }
            let id = work.next_id("referral", &format!("{country}-R"))?;
            let row = ReferralRow {
                id: id.clone(),
                incoming: false,
                record_id: stored.record_id.clone(),
                peer: stored.peer.clone(),
                peer_ref: hex::encode(stored.peer_ref),
                own_ref: link.own_ref.clone(),
                link_kind: stored.link_kind,
                kind: kind as i32,
                case_id: case_id.clone(),
                note: note.clone(),
                legal_basis: case.legal_basis.label().to_string(),
                override_justification: justification.clone(),
                state: ReferralState::InProgress,
                reason: String::new(),
                create_time: time,
                update_time: time,
            };
            work.put(Table::Referral, &id, &stored.record_id, &row);
            work.audit(
                &actor,
                "referral.create",
                &stored.record_id,
                &format!(
                    "referral={id} peer={} kind={} case={case_id}{}",
                    stored.peer,
                    kind_label(kind as i32),
                    if justification.is_empty() { String::new() } else { format!(" override={justification:?}") }
                ),
            )?;
            work.send(
                &stored.peer,
                encode(Body::Referral(pb::PeerReferral {
                    referral_id: id,
                    sender_ref: ref_bytes(&link.own_ref).to_vec(),
                    receiver_ref: stored.peer_ref.to_vec(),
                    link_kind: wire_kind(stored.link_kind),
                    kind: kind as i32,
                    note: note.clone(),
                    legal_basis: row.legal_basis.clone(),
                })),
            )?;
            Ok(Ok(row))
        })
        .map_err(store_status)??;
    settle(state, &row.peer).await?;
    Ok(referral_to_pb(&row))
}

pub async fn get_referral(state: &NodeState, request: Request<pb::GetReferralRequest>) -> Result<pb::Referral, Status> {
    let actor = caller(&request)?.actor();
    let id = request.into_inner().referral_id;
    let row: ReferralRow = state
        .store
        .follow_up_get(Table::Referral, &id)
        .map_err(store_status)?
        .ok_or_else(|| Status::not_found(format!("referral {id} not found")))?;
    state.store.audit(&actor, "referral.read", &row.record_id, &format!("referral={id}")).map_err(store_status)?;
    Ok(referral_to_pb(&row))
}

pub async fn list_referrals(
    state: &NodeState,
    request: Request<pb::ListReferralsRequest>,
) -> Result<Vec<pb::Referral>, Status> {
    let actor = caller(&request)?.actor();
    let request = request.into_inner();
    let rows: Vec<ReferralRow> = state.store.follow_up_list(Table::Referral).map_err(store_status)?;
    let shown: Vec<pb::Referral> = rows
        .iter()
        .filter(|row| !request.waiting || (row.incoming && row.state == ReferralState::InProgress))
        .filter(|row| request.record_id.is_empty() || row.record_id == request.record_id)
        .map(referral_to_pb)
        .collect();
    state
        .store
        .audit(&actor, "referral.list", &request.record_id, &format!("count={}", shown.len()))
        .map_err(store_status)?;
    Ok(shown)
}

/// The state a caseworker's `action` moves a referral to, on the sender (`incoming` false) or
/// the receiver; `None` when the action is not open to this side in this state.
fn local_referral_action(
    action: pb::ReferralAction,
    incoming: bool,
    state: ReferralState,
    transfer: bool,
) -> Option<ReferralState> {
    use ReferralState as S;
    use pb::ReferralAction as A;
    match (action, incoming, state) {
        (A::Accept, true, S::InProgress) => Some(S::Accepted),
        (A::Reject, true, S::InProgress) => Some(S::Rejected),
        (A::Done, _, S::Accepted) => Some(S::Done),
        (A::Revoke, false, S::InProgress) => Some(S::Revoked),
        (A::Revoke, false, S::Accepted) if !transfer => Some(S::Revoked),
        _ => None,
    }
}

/// What a peer's update of a referral does here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PeerUpdate {
    Move(ReferralState),
    /// It crossed an action of ours that the peer resolves the same way: nothing changes.
    Crossed,
    /// It cannot follow from any state the peer could have been in: a fault, logged.
    Dropped,
}

/// A peer's update `next` of a referral that is `current` here. Both sides act without waiting
/// for each other, so an update may cross one of ours; each crossing is resolved so that both
/// sides end in one state (`crossed_referral_actions_leave_both_sides_in_one_state`).
fn peer_referral_update(incoming: bool, current: ReferralState, next: pb::ReferralState, transfer: bool) -> PeerUpdate {
    use PeerUpdate::{Crossed, Dropped, Move};
    use ReferralState as S;
    use pb::ReferralState as N;
    match (incoming, current, next) {
        // On the sender: the receiver's answers.
        (false, S::InProgress, N::Accepted) => Move(S::Accepted),
        (false, S::InProgress, N::Rejected) => Move(S::Rejected),
        (false, S::Accepted | S::Revoked, N::Done) => Move(S::Done),
        // An acceptance that crossed our revocation: a transfer goes through (the receiver keeps
        // its acceptance, below); any other referral stays revoked, as the receiver applies our
        // revocation to its acceptance.
        (false, S::Revoked, N::Accepted) if transfer => Move(S::Accepted),
        (false, S::Revoked, N::Accepted | N::Rejected) | (false, S::Done, N::Done) => Crossed,
        // On the receiver: the sender's revocation or completion. A revocation that crossed our
        // rejection wins on both sides; one that crossed our completion loses on both.
        (true, S::InProgress | S::Rejected, N::Revoked) => Move(S::Revoked),
        (true, S::Accepted, N::Revoked) if !transfer => Move(S::Revoked),
        (true, S::Accepted, N::Done) => Move(S::Done),
        (true, S::Accepted, N::Revoked) | (true, S::Done, N::Revoked | N::Done) => Crossed,
        _ => Dropped,
    }
}

pub async fn act_on_referral(
    state: &NodeState,
    request: Request<pb::ActOnReferralRequest>,
) -> Result<pb::Referral, Status> {
    let caller = caller(&request)?;
    let actor = caller.actor();
    let request = request.into_inner();
    let action = match pb::ReferralAction::try_from(request.action) {
        Ok(pb::ReferralAction::Unspecified) | Err(_) => {
            return Err(Status::invalid_argument("action: accept, reject, done or revoke"));
        }
        Ok(action) => action,
    };
    let needs_reason = matches!(action, pb::ReferralAction::Reject | pb::ReferralAction::Revoke);
    let reason = text("reason", &request.reason, needs_reason)?;
    let id = request.referral_id.trim().to_string();
    let time = now();
    let row = state
        .store
        .follow_up(|work| {
            let Some(mut row) = work.get::<ReferralRow>(Table::Referral, &id)? else {
                return refused(Status::not_found(format!("referral {id} not found")));
            };
            let transfer = row.kind == pb::ReferralKind::Transfer as i32;
            let next = match (action, row.incoming, row.state) {
                _ if let Some(next) = local_referral_action(action, row.incoming, row.state, transfer) => next,
                (pb::ReferralAction::Accept | pb::ReferralAction::Reject, false, _) => {
                    return refused(Status::failed_precondition(format!(
                        "referral {id} was sent by this node; its receiver ({}) accepts or rejects it",
                        row.peer
                    )));
                }
                (pb::ReferralAction::Revoke, true, _) => {
                    return refused(Status::failed_precondition(format!(
                        "referral {id} was sent by {}; only its sender revokes it",
                        row.peer
                    )));
                }
                (_, _, state) => {
                    return refused(Status::failed_precondition(format!(
                        "referral {id} is {}; {} is not possible now{}",
                        state.label(),
                        wire_label(action.as_str_name(), "REFERRAL_ACTION_"),
                        if transfer && state == ReferralState::Accepted {
                            " (an accepted transfer has moved the case)"
                        } else {
                            ""
                        }
                    )));
                }
            };
            if next == ReferralState::Accepted && transfer {
                let details = CaseDetails {
                    return_date: None,
                    returned_from: String::new(),
                    legal_situation: String::new(),
                    agency: String::new(),
                    caseworker: caller.name.clone(),
                    consent: Default::default(),
                    legal_basis: LegalBasis::parse(&row.legal_basis).unwrap_or_default(),
                };
                let case = work.open_case(&row.record_id, details, &actor)?;
                row.case_id = case.case_id;
            }
            row.state = next;
            row.reason = reason.clone();
            row.update_time = time;
            work.put(Table::Referral, &id, &row.record_id.clone(), &row);
            work.audit(
                &actor,
                &format!("referral.{}", wire_label(action.as_str_name(), "REFERRAL_ACTION_")),
                &row.record_id,
                &format!(
                    "referral={id} peer={} kind={} case={} reason={reason:?}",
                    row.peer,
                    kind_label(row.kind),
                    row.case_id
                ),
            )?;
            work.send(
                &row.peer,
                encode(Body::ReferralUpdate(pb::PeerReferralUpdate {
                    referral_id: id.clone(),
                    state: referral_state_pb(next) as i32,
                    reason: reason.clone(),
                })),
            )?;
            Ok(Ok(row))
        })
        .map_err(store_status)??;
    settle(state, &row.peer).await?;
    Ok(referral_to_pb(&row))
}

// ---- messages from peers --------------------------------------------------------------------

/// Before `record_id` is erased here: asks every node this node disclosed values of it to
/// (approved or delivered requests) to erase them, and refuses the requests about it still
/// pending, in the follow-up outbox. Sent first, so that an erasure never leaves copies behind;
/// a failure after it leaves the record and no copies.
pub fn withdraw_disclosures_of(state: &NodeState, record_id: &str, actor: &str) -> homeward_store::Result<usize> {
    let sent = state
        .store
        .follow_up(|work| -> homeward_store::Result<Result<usize, ()>> {
            let rows: Vec<DisclosureRow> = work.about(Table::Disclosure, record_id)?;
            let mut sent = 0;
            for row in rows.iter().filter(|r| r.incoming) {
                let (message, action) = match row.state {
                    // Nothing was given: the request is refused, so that the requester does not
                    // wait for its expiry.
                    DisclosureState::Pending => {
                        let answer = pb::PeerDisclosureAnswer {
                            disclosure_id: row.id.clone(),
                            approved: false,
                            fields: Vec::new(),
                            refusal_reason: "the record was erased".into(),
                        };
                        (Body::DisclosureAnswer(answer), "disclosure.refuse")
                    }
                    DisclosureState::Approved | DisclosureState::Delivered => {
                        let withdrawal = pb::PeerDisclosureWithdrawal { disclosure_id: row.id.clone() };
                        (Body::DisclosureWithdrawal(withdrawal), "disclosure.withdraw")
                    }
                    _ => continue,
                };
                work.send(&row.peer, encode(message))?;
                work.audit(
                    actor,
                    action,
                    record_id,
                    &format!("disclosure={} peer={} (record erased)", row.id, row.peer),
                )?;
                sent += 1;
            }
            // Nothing to send: no commit.
            Ok(if sent == 0 { Err(()) } else { Ok(sent) })
        })?
        .unwrap_or(0);
    Ok(sent)
}

/// Acts on every follow-up message waiting in the inbox. Returns how many were acted on.
pub fn drain(state: &NodeState) -> homeward_store::Result<usize> {
    let mut done = 0;
    loop {
        let batch = state.store.inbox(256)?;
        if batch.is_empty() {
            break;
        }
        for (peer, seq, bytes) in batch {
            let acted = state.store.follow_up_inbox(&peer, seq, |work| act(state, work, &peer, &bytes))?;
            if acted {
                done += 1;
            }
        }
    }
    if done > 0 {
        state.store.flush_blocking()?;
        state.wake_all();
    }
    Ok(done)
}

/// A message that cannot be acted on is dropped with an audit entry naming why; it must not
/// jam the inbox.
fn dropped(work: &mut Work<'_, '_>, peer: &str, why: &str) -> homeward_store::Result<()> {
    tracing::warn!(peer, why, "follow-up message dropped");
    work.audit(&format!("node:{peer}"), "followup.dropped", "", why)
}

fn act(state: &NodeState, work: &mut Work<'_, '_>, peer: &str, bytes: &[u8]) -> homeward_store::Result<()> {
    let actor = format!("node:{peer}");
    let body = match pb::FollowUp::decode(bytes) {
        Ok(pb::FollowUp { body: Some(body) }) => body,
        _ => return dropped(work, peer, "undecodable or empty follow-up message"),
    };
    let time = now();
    // The record of ours a message is about, from our reference; the link must exist here.
    let ours = |work: &Work<'_, '_>, receiver_ref: &[u8], sender_ref: &[u8], kind: i32| {
        let (Ok(receiver_ref), Ok(sender_ref), Some(kind)) =
            (<[u8; 16]>::try_from(receiver_ref), <[u8; 16]>::try_from(sender_ref), stored_kind(kind))
        else {
            return Ok(None);
        };
        Ok::<_, homeward_store::StoreError>(
            work.resolve_our_ref(peer, &receiver_ref)?.map(|record| (record, sender_ref, kind)),
        )
    };
    match body {
        Body::Review(review) => {
            let Some((record, sender_ref, kind)) =
                ours(work, &review.receiver_ref, &review.sender_ref, review.link_kind)?
            else {
                return dropped(work, peer, "review of a record not held here");
            };
            // The peer's tokens for its record came before this message in its outbox; a review
            // of a record it never told us of is not kept (it would only grow our store).
            if !state.store.holds_peer_ref(peer, &sender_ref).unwrap_or(false) {
                return dropped(work, peer, "review of a record whose tokens are not held here");
            }
            let decision = pb::ReviewDecision::try_from(review.decision).unwrap_or(pb::ReviewDecision::Unspecified);
            if decision == pb::ReviewDecision::Unspecified || review.reason.len() > MAX_TEXT {
                return dropped(work, peer, "review without a valid decision");
            }
            let id = review_id(peer, &sender_ref, kind, &record);
            let mut row: ReviewRow = work.get(Table::Review, &id)?.unwrap_or_default();
            row.peer = match decision {
                pb::ReviewDecision::Reopen => None,
                _ => Some(Decision {
                    decision: decision as i32,
                    reason: review.reason.clone(),
                    time: review.time,
                    actor: String::new(),
                }),
            };
            work.put(Table::Review, &id, &record, &row);
            let label = wire_label(decision.as_str_name(), "REVIEW_DECISION_");
            work.audit(
                &actor,
                "link.review.peer",
                &record,
                &format!("peer_ref={} decision={label} reason={:?}", hex::encode(sender_ref), review.reason),
            )
        }
        Body::DisclosureRequest(request) => {
            let id = request.disclosure_id.clone();
            if !id.starts_with(&format!("{peer}-D")) || id.len() > 64 {
                return dropped(work, peer, &format!("disclosure id {id:?} is not the sender's"));
            }
            if work.get::<DisclosureRow>(Table::Disclosure, &id)?.is_some() {
                return dropped(work, peer, &format!("disclosure {id} seen before"));
            }
            let checked = ours(work, &request.receiver_ref, &request.sender_ref, request.link_kind)?;
            let fields = field_list(&request.fields).ok().filter(|f| !f.is_empty());
            let refusal = match (&checked, &fields) {
                (None, _) => Some("no such record here"),
                (Some((record, sender_ref, kind)), _) if !link_exists(state, record, peer, sender_ref, *kind) => {
                    Some("no such link here")
                }
                (_, None) => Some("no valid field named"),
                _ if request.purpose.trim().is_empty() || request.legal_basis.trim().is_empty() => {
                    Some("a request needs a purpose and a legal basis")
                }
                _ if request.purpose.len() > MAX_TEXT || request.legal_basis.len() > MAX_TEXT => Some("text too long"),
                _ => None,
            };
            if let Some(reason) = refusal {
                work.audit(&actor, "disclosure.refuse", "", &format!("disclosure={id} reason={reason:?} (automatic)"))?;
                return work.send(
                    peer,
                    encode(Body::DisclosureAnswer(pb::PeerDisclosureAnswer {
                        disclosure_id: id,
                        approved: false,
                        fields: Vec::new(),
                        refusal_reason: reason.to_string(),
                    })),
                );
            }
            let (Some((record, sender_ref, kind)), Some(fields)) = (checked, fields) else {
                return Ok(());
            };
            let row = DisclosureRow {
                id: id.clone(),
                incoming: true,
                record_id: record.clone(),
                peer: peer.to_string(),
                peer_ref: hex::encode(sender_ref),
                own_ref: hex::encode(&request.receiver_ref),
                link_kind: kind,
                requested: fields.clone(),
                approved: Vec::new(),
                purpose: request.purpose.trim().to_string(),
                legal_basis: request.legal_basis.trim().to_string(),
                state: if request.expire_time <= time { DisclosureState::Expired } else { DisclosureState::Pending },
                refusal_reason: String::new(),
                override_justification: String::new(),
                create_time: time,
                update_time: time,
                expire_time: request.expire_time,
                delivered: Vec::new(),
                retain_until: 0,
            };
            work.put(Table::Disclosure, &id, &record, &row);
            work.audit(
                &actor,
                "disclosure.received",
                &record,
                &format!(
                    "disclosure={id} fields={} purpose={:?} legal_basis={:?}",
                    fields.join(","),
                    row.purpose,
                    row.legal_basis
                ),
            )
        }
        Body::DisclosureAnswer(answer) => {
            let id = answer.disclosure_id.clone();
            let Some(mut row) = work.get::<DisclosureRow>(Table::Disclosure, &id)? else {
                return dropped(work, peer, &format!("answer to unknown disclosure {id:?}"));
            };
            if row.incoming || row.peer != peer {
                return dropped(work, peer, &format!("answer to disclosure {id} from a node it was not asked of"));
            }
            if !matches!(row.state, DisclosureState::Pending | DisclosureState::Expired) {
                return dropped(work, peer, &format!("disclosure {id} answered twice"));
            }
            row.update_time = time;
            if answer.approved {
                // Only fields that were asked for are kept; anything else the holder sent is
                // dropped unread.
                let mut delivered = Vec::new();
                for field in &answer.fields {
                    if row.requested.contains(&field.name) && field.value.len() <= MAX_TEXT {
                        delivered.push((field.name.clone(), field.value.clone()));
                    }
                }
                row.approved = delivered.iter().map(|(name, _)| name.clone()).collect();
                row.delivered = delivered;
                row.state = DisclosureState::Delivered;
                row.retain_until = time.saturating_add(state.config.followup.disclosed_retention.as_secs() as i64);
                work.put(Table::Disclosure, &id, &row.record_id.clone(), &row);
                work.audit(
                    &actor,
                    "disclosure.delivered",
                    &row.record_id,
                    &format!(
                        "disclosure={id} origin={peer} fields={} retain_until={}",
                        row.approved.join(","),
                        row.retain_until
                    ),
                )?;
                work.send(peer, encode(Body::DisclosureReceipt(pb::PeerDisclosureReceipt { disclosure_id: id })))
            } else {
                row.state = DisclosureState::Refused;
                row.refusal_reason = answer.refusal_reason.chars().take(MAX_TEXT).collect();
                work.put(Table::Disclosure, &id, &row.record_id.clone(), &row);
                work.audit(
                    &actor,
                    "disclosure.refused",
                    &row.record_id,
                    &format!("disclosure={id} reason={:?}", row.refusal_reason),
                )
            }
        }
        Body::DisclosureWithdrawal(withdrawal) => {
            let id = withdrawal.disclosure_id;
            let Some(mut row) = work.get::<DisclosureRow>(Table::Disclosure, &id)? else {
                // Erased here already (our record erased, or the values' retention over).
                return work.audit(&actor, "disclosure.withdrawn", "", &format!("disclosure={id} (not held here)"));
            };
            if row.incoming || row.peer != peer {
                return dropped(work, peer, &format!("withdrawal of disclosure {id} from a node that did not hold it"));
            }
            let erased = row.delivered.len();
            row.delivered.clear();
            row.retain_until = row.retain_until.min(time);
            row.update_time = time;
            work.put(Table::Disclosure, &id, &row.record_id.clone(), &row);
            work.audit(
                &actor,
                "disclosure.withdrawn",
                &row.record_id,
                &format!("disclosure={id} the holder erased its record; {erased} values erased here"),
            )
        }
        Body::DisclosureReceipt(receipt) => {
            let id = receipt.disclosure_id;
            let Some(mut row) = work.get::<DisclosureRow>(Table::Disclosure, &id)? else {
                return dropped(work, peer, &format!("receipt for unknown disclosure {id:?}"));
            };
            if !row.incoming || row.peer != peer || row.state != DisclosureState::Approved {
                return dropped(work, peer, &format!("receipt for disclosure {id} out of turn"));
            }
            row.state = DisclosureState::Delivered;
            row.update_time = time;
            work.put(Table::Disclosure, &id, &row.record_id.clone(), &row);
            work.audit(&actor, "disclosure.receipt", &row.record_id, &format!("disclosure={id}"))
        }
        Body::Referral(referral) => {
            let id = referral.referral_id.clone();
            if !id.starts_with(&format!("{peer}-R")) || id.len() > 64 {
                return dropped(work, peer, &format!("referral id {id:?} is not the sender's"));
            }
            if work.get::<ReferralRow>(Table::Referral, &id)?.is_some() {
                return dropped(work, peer, &format!("referral {id} seen before"));
            }
            let kind_ok = matches!(
                pb::ReferralKind::try_from(referral.kind),
                Ok(pb::ReferralKind::FamilyReunification | pb::ReferralKind::Service | pb::ReferralKind::Transfer)
            );
            let checked = ours(work, &referral.receiver_ref, &referral.sender_ref, referral.link_kind)?;
            let refusal = match &checked {
                None => Some("no such record here"),
                Some((record, sender_ref, kind)) if !link_exists(state, record, peer, sender_ref, *kind) => {
                    Some("no such link here")
                }
                _ if !kind_ok => Some("unknown referral kind"),
                _ if referral.note.len() > MAX_TEXT || referral.legal_basis.len() > MAX_TEXT => Some("text too long"),
                _ => None,
            };
            if let Some(reason) = refusal {
                work.audit(&actor, "referral.reject", "", &format!("referral={id} reason={reason:?} (automatic)"))?;
                return work.send(
                    peer,
                    encode(Body::ReferralUpdate(pb::PeerReferralUpdate {
                        referral_id: id,
                        state: pb::ReferralState::Rejected as i32,
                        reason: reason.to_string(),
                    })),
                );
            }
            let Some((record, sender_ref, kind)) = checked else {
                return Ok(());
            };
            let row = ReferralRow {
                id: id.clone(),
                incoming: true,
                record_id: record.clone(),
                peer: peer.to_string(),
                peer_ref: hex::encode(sender_ref),
                own_ref: hex::encode(&referral.receiver_ref),
                link_kind: kind,
                kind: referral.kind,
                case_id: String::new(),
                note: referral.note.clone(),
                legal_basis: referral.legal_basis.clone(),
                override_justification: String::new(),
                state: ReferralState::InProgress,
                reason: String::new(),
                create_time: time,
                update_time: time,
            };
            work.put(Table::Referral, &id, &record, &row);
            work.audit(&actor, "referral.received", &record, &format!("referral={id} kind={}", kind_label(row.kind)))
        }
        Body::ReferralUpdate(update) => {
            let id = update.referral_id.clone();
            let Some(mut row) = work.get::<ReferralRow>(Table::Referral, &id)? else {
                return dropped(work, peer, &format!("update of unknown referral {id:?}"));
            };
            if row.peer != peer {
                return dropped(work, peer, &format!("update of referral {id} from a node not party to it"));
            }
            let transfer = row.kind == pb::ReferralKind::Transfer as i32;
            let next = pb::ReferralState::try_from(update.state).unwrap_or(pb::ReferralState::Unspecified);
            let new_state = match peer_referral_update(row.incoming, row.state, next, transfer) {
                PeerUpdate::Move(state) => state,
                PeerUpdate::Crossed => {
                    return work.audit(
                        &actor,
                        "referral.crossed",
                        &row.record_id,
                        &format!("referral={id} {next:?} crossed our {}; it stays so", row.state.label()),
                    );
                }
                PeerUpdate::Dropped => {
                    return dropped(
                        work,
                        peer,
                        &format!(
                            "referral {id}: {next:?} does not follow {:?} (receiver: {})",
                            row.state, row.incoming
                        ),
                    );
                }
            };
            use ReferralState as S;
            if new_state == S::Accepted && !row.incoming && transfer {
                match work.case(&row.case_id)? {
                    Some(mut case) if case.status.can_move_to(CaseStatus::Transferred) => {
                        let note = format!("transferred to {peer} (referral {id})");
                        if case.transition(CaseStatus::Transferred, None, &note, &actor, time).is_ok() {
                            work.save_case(&case, "case.transition", &actor, &format!("to=transferred referral={id}"))?;
                        }
                    }
                    _ => {
                        work.audit(
                            &actor,
                            "referral.transfer.case_unchanged",
                            &row.record_id,
                            &format!("referral={id} case={} cannot move to transferred", row.case_id),
                        )?;
                    }
                }
            }
            row.state = new_state;
            row.reason = update.reason.chars().take(MAX_TEXT).collect();
            row.update_time = time;
            work.put(Table::Referral, &id, &row.record_id.clone(), &row);
            work.audit(
                &actor,
                &format!("referral.{}", wire_label(next.as_str_name(), "REFERRAL_STATE_")),
                &row.record_id,
                &format!("referral={id} reason={:?}", row.reason),
            )
        }
    }
}

fn link_exists(state: &NodeState, record: &str, peer: &str, peer_ref: &[u8; 16], kind: u8) -> bool {
    state.store.link_exists(record, peer, peer_ref, kind).unwrap_or(false)
}

// ---- expiry and retention -------------------------------------------------------------------

/// Marks pending requests past their expiry time expired (both sides do, each by the time in
/// the request) and erases delivered values past their retention. Returns how many changed.
pub fn expire_due(state: &NodeState, time: i64) -> homeward_store::Result<usize> {
    let rows: Vec<DisclosureRow> = state.store.follow_up_list(Table::Disclosure)?;
    let mut changed = 0;
    for row in rows {
        let expire = row.state == DisclosureState::Pending && row.expire_time <= time;
        let erase = !row.delivered.is_empty() && row.retain_until <= time;
        if !expire && !erase {
            continue;
        }
        state
            .store
            .follow_up(|work| -> homeward_store::Result<Result<(), ()>> {
                let Some(mut row) = work.get::<DisclosureRow>(Table::Disclosure, &row.id)? else {
                    return Ok(Ok(()));
                };
                if row.state == DisclosureState::Pending && row.expire_time <= time {
                    row.state = DisclosureState::Expired;
                    row.update_time = time;
                    work.audit(ACTOR, "disclosure.expired", &row.record_id, &format!("disclosure={}", row.id))?;
                }
                if !row.delivered.is_empty() && row.retain_until <= time {
                    let fields: Vec<String> = row.delivered.iter().map(|(name, _)| name.clone()).collect();
                    row.delivered.clear();
                    row.retain_until = 0;
                    work.audit(
                        ACTOR,
                        "disclosure.values_erased",
                        &row.record_id,
                        &format!("disclosure={} fields={} (retention)", row.id, fields.join(",")),
                    )?;
                }
                work.put(Table::Disclosure, &row.id.clone(), &row.record_id.clone(), &row);
                Ok(Ok(()))
            })?
            .ok();
        changed += 1;
    }
    Ok(changed)
}

/// The node's follow-up task: acts on the inbox when an Exchange brings messages (and at
/// start, for what a crash left there), and checks expiry and retention every few seconds.
pub async fn run(state: Arc<NodeState>, mut stop: watch::Receiver<bool>) {
    let every = Duration::from_secs(5);
    loop {
        let task_state = state.clone();
        match tokio::task::spawn_blocking(move || {
            let acted = drain(&task_state)?;
            expire_due(&task_state, now())?;
            Ok::<_, homeward_store::StoreError>(acted)
        })
        .await
        {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::debug!(messages = n, "follow-up messages acted on"),
            Ok(Err(error)) => tracing::error!(%error, "follow-up run failed"),
            Err(error) => tracing::error!(%error, "follow-up task panicked"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = state.followup_wake.notified() => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, VecDeque};

    /// Sender and receiver of one referral, each with the updates in flight towards it (in
    /// order, as the outbox delivers them).
    #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct World {
        sender: u8,
        receiver: u8,
        to_sender: VecDeque<u8>,
        to_receiver: VecDeque<u8>,
    }

    const STATES: [ReferralState; 5] = [
        ReferralState::InProgress,
        ReferralState::Accepted,
        ReferralState::Rejected,
        ReferralState::Done,
        ReferralState::Revoked,
    ];

    fn code(state: ReferralState) -> u8 {
        STATES.iter().position(|s| *s == state).unwrap() as u8
    }

    #[test]
    fn crossed_referral_actions_leave_both_sides_in_one_state() {
        use pb::ReferralAction as A;
        for transfer in [false, true] {
            // Every interleaving of both caseworkers' actions and of the deliveries.
            let start = World {
                sender: code(ReferralState::InProgress),
                receiver: code(ReferralState::InProgress),
                to_sender: VecDeque::new(),
                to_receiver: VecDeque::new(),
            };
            let mut seen = BTreeSet::from([start.clone()]);
            let mut todo = vec![start];
            let mut settled = 0;
            while let Some(world) = todo.pop() {
                let mut next = Vec::new();
                for action in [A::Accept, A::Reject, A::Done, A::Revoke] {
                    for incoming in [false, true] {
                        let own = if incoming { world.receiver } else { world.sender };
                        if let Some(to) = local_referral_action(action, incoming, STATES[own as usize], transfer) {
                            let mut w = world.clone();
                            if incoming {
                                w.receiver = code(to);
                                w.to_sender.push_back(code(to));
                            } else {
                                w.sender = code(to);
                                w.to_receiver.push_back(code(to));
                            }
                            next.push(w);
                        }
                    }
                }
                for incoming in [false, true] {
                    let mut w = world.clone();
                    let queue = if incoming { &mut w.to_receiver } else { &mut w.to_sender };
                    let Some(update) = queue.pop_front() else { continue };
                    let own = if incoming { &mut w.receiver } else { &mut w.sender };
                    let wire = referral_state_pb(STATES[update as usize]);
                    match peer_referral_update(incoming, STATES[*own as usize], wire, transfer) {
                        PeerUpdate::Move(to) => *own = code(to),
                        PeerUpdate::Crossed => {}
                        PeerUpdate::Dropped => panic!(
                            "transfer {transfer}: {wire:?} dropped at {:?} (receiver: {incoming}) from {world:?}",
                            STATES[*own as usize]
                        ),
                    }
                    next.push(w);
                }
                if world.to_sender.is_empty() && world.to_receiver.is_empty() {
                    settled += 1;
                    assert_eq!(
                        STATES[world.sender as usize], STATES[world.receiver as usize],
                        "transfer {transfer}: the sides disagree once every update is delivered: {world:?}"
                    );
                }
                for w in next {
                    if seen.insert(w.clone()) {
                        todo.push(w);
                    }
                }
            }
            assert!(settled >= 5, "transfer {transfer}: only {settled} settled states explored");
        }
    }
}
