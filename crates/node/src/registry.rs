//! The Registry service: what caseworkers of this node's country do with persons and links.

use crate::auth::caller;
use crate::crypto::{blind_persons_fingerprinted, today};
use crate::error::{internal, store_status};
use crate::state::{NodeState, ShownLink};
use homeward_core::matching::score::score_family;
use homeward_core::matching::{
    Decision, FamilyRole, KeyKind, KeySet, LinkKind, family_role_of, pair, resolve_keeping_ties,
};
use homeward_core::person::Person;
use homeward_proto::convert::{person_from_pb, person_to_pb};
use homeward_proto::pb;
use homeward_proto::pb::registry_server::Registry;
use homeward_store::{PersonRow, PutMode, PutOutcome, StoredLink};
use std::sync::Arc;
use tonic::{Request, Response, Status, Streaming};

const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 1000;
/// Rows blinded and written together during an import.
const IMPORT_CHUNK: usize = 256;

pub struct RegistryService {
    pub state: Arc<NodeState>,
}

fn page_size(requested: u32) -> usize {
    match requested as usize {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    }
}

fn decode_token(token: &str) -> Result<Option<Vec<u8>>, Status> {
    if token.is_empty() {
        return Ok(None);
    }
    hex::decode(token).map(Some).map_err(|_| Status::invalid_argument("page_token: not a token this service issued"))
}

pub fn row_to_pb(row: &PersonRow) -> pb::Person {
    let mut person = person_to_pb(&row.person);
    person.minor = row.person.is_minor_on(today());
    person.create_time = row.create_time;
    person.update_time = row.update_time;
    person
}

/// Records held by the node of a family link's mother: this node's own count when it holds
/// the mother, the count the peer last declared when it holds the child. Both nodes of a link
/// so read the same node's size (its last declaration is sent after its last change).
fn mother_node_records(state: &NodeState, kinds: KeySet, peer: &str) -> u64 {
    let holds_mother = family_role_of(kinds) == Some(FamilyRole::Mother);
    let records = if holds_mother { state.store.count_persons() } else { state.store.peer_declared(peer) };
    records.unwrap_or(0)
}

/// A stored link as the API shows it, or `None` when its score is below the review threshold
/// and `include_below` is false.
pub fn link_to_pb(state: &NodeState, link: &StoredLink, include_below: bool) -> Option<pb::Link> {
    let kind = LinkKind::from_code(link.link_kind).unwrap_or(LinkKind::SamePerson);
    let kinds = KeySet(link.row.kinds);
    if kind == LinkKind::Family {
        // A family hit is a link only between a child and a mother: both sides tell each other
        // their role once the hit exists; until then, and for child↔child or mother↔mother hits,
        // nothing is shown.
        let own = family_role_of(kinds).map(crate::crypto::role_code);
        let our_ref = homeward_core::token::peer_ref(&state.secrets.ref_key, &link.peer, &link.record_id);
        let peer = state.store.peer_role(&link.peer, &link.peer_ref, &our_ref).ok().flatten();
        if !matches!((own, peer), (Some(1), Some(2)) | (Some(2), Some(1))) {
            return None;
        }
    }
    let evidence = (kind == LinkKind::SamePerson).then(|| crate::pair::evidence_of(state, link)).flatten();
    let thresholds = state.thresholds(kind);
    let (value, decision) = match kind {
        LinkKind::SamePerson => {
            let assessment = pair::assess_same_person(kinds, evidence.as_ref());
            (assessment.score(), assessment.decide(&thresholds))
        }
        LinkKind::Family => {
            let mother_records = mother_node_records(state, kinds, &link.peer);
            let value = score_family(kinds, mother_records, state.config.matching.family_reference_records);
            (value, thresholds.decide(value))
        }
    };
    let (pair_agreeing, pair_close, pair_differing) = evidence.as_ref().map(pair::outcomes).unwrap_or_default();
    let review = crate::followup::review_of(state, link);
    let own_decision = review.own.as_ref().map(|d| d.decision);
    let status = match (own_decision, decision) {
        (Some(d), _) if d == pb::ReviewDecision::Confirm as i32 => pb::LinkStatus::Confirmed,
        (Some(d), _) if d == pb::ReviewDecision::Reject as i32 => pb::LinkStatus::Rejected,
        (_, Decision::AutoConfirm) if state.config.matching.auto_confirm_enabled => pb::LinkStatus::AutoConfirmed,
        (_, Decision::AutoConfirm | Decision::NeedsReview) => pb::LinkStatus::NeedsReview,
        (_, Decision::NoLink) if include_below => pb::LinkStatus::Unspecified,
        (_, Decision::NoLink) => return None,
    };
    let (own_review, peer_review) = crate::followup::review_fields(&review);
    Some(pb::Link {
        link_id: link_id_of(&link.record_id, &link.peer, &link.peer_ref, link.link_kind),
        kind: match kind {
            LinkKind::SamePerson => pb::LinkKind::SamePerson,
            LinkKind::Family => pb::LinkKind::Family,
        } as i32,
        record_id: link.record_id.clone(),
        peer_country: link.peer.clone(),
        peer_ref: hex::encode(link.peer_ref),
        agreeing_keys: kinds.kinds().map(|k: KeyKind| k.label().to_string()).collect(),
        keys_differing: homeward_core::matching::score::key_conflicts(kind, kinds)
            .into_iter()
            .map(str::to_string)
            .collect(),
        score: value,
        status: status as i32,
        create_time: link.row.create_time,
        update_time: link.row.update_time,
        own_ref: hex::encode(homeward_core::token::peer_ref(&state.secrets.ref_key, &link.peer, &link.record_id)),
        own_review,
        peer_review,
        pair_agreeing,
        pair_close,
        pair_differing,
    })
}

/// The opaque, stable id of a link on this node.
pub fn link_id_of(record_id: &str, peer: &str, peer_ref: &[u8; 16], link_kind: u8) -> String {
    let mut id = blake3::Hasher::new();
    id.update(record_id.as_bytes());
    id.update(&[0]);
    id.update(peer.as_bytes());
    id.update(peer_ref);
    id.update(&[link_kind]);
    id.finalize().to_hex()[..20].to_string()
}

/// A link rejected by either side takes no part in one-to-one resolution; one confirmed by
/// either side comes before any candidate.
fn resolution_weight(link: &pb::Link) -> Option<f64> {
    let decided = |review: &Option<pb::LinkReview>, decision: pb::ReviewDecision| {
        review.as_ref().is_some_and(|r| r.decision == decision as i32)
    };
    if decided(&link.own_review, pb::ReviewDecision::Reject) || decided(&link.peer_review, pb::ReviewDecision::Reject) {
        return None;
    }
    if decided(&link.own_review, pb::ReviewDecision::Confirm) || decided(&link.peer_review, pb::ReviewDecision::Confirm)
    {
        return Some(link.score + 1_000.0);
    }
    Some(link.score)
}

impl RegistryService {
    /// Blinds and stores one person (create, replace or upsert), then wakes the sync tasks.
    async fn put(&self, person: Person, mode: PutMode, actor: String) -> Result<(PersonRow, PutOutcome), Status> {
        let state = self.state.clone();
        let (row, outcome) = tokio::task::spawn_blocking(move || {
            let federation = &state.config.federation;
            let made = blind_persons_fingerprinted(
                federation,
                &state.secrets.blinding,
                std::slice::from_ref(&person),
                today(),
            );
            let (tokens, fingerprint) = match made.first() {
                Some((tokens, fingerprint)) => (tokens.as_slice(), Some(fingerprint)),
                None => (&[][..], None),
            };
            let refs = state.refs_for(&person.record_id);
            state.store.put_person_fingerprinted(person, mode, (tokens, fingerprint), &refs, &actor)
        })
        .await
        .map_err(|e| internal("enrolment task", e))?
        .map_err(store_status)?;
        self.state.store.flush().await.map_err(store_status)?;
        self.state.wake_all();
        Ok((row, outcome))
    }
}

#[tonic::async_trait]
impl Registry for RegistryService {
    async fn enrol_person(&self, request: Request<pb::EnrolPersonRequest>) -> Result<Response<pb::Person>, Status> {
        let actor = caller(&request)?.actor();
        let person = request.into_inner().person.ok_or_else(|| Status::invalid_argument("person: required"))?;
        let person = person_from_pb(person).map_err(|e| Status::invalid_argument(e.to_string()))?;
        let (row, _) = self.put(person, PutMode::Create, actor).await?;
        Ok(Response::new(row_to_pb(&row)))
    }

    async fn update_person(&self, request: Request<pb::UpdatePersonRequest>) -> Result<Response<pb::Person>, Status> {
        let actor = caller(&request)?.actor();
        let person = request.into_inner().person.ok_or_else(|| Status::invalid_argument("person: required"))?;
        let person = person_from_pb(person).map_err(|e| Status::invalid_argument(e.to_string()))?;
        let (row, _) = self.put(person, PutMode::Replace, actor).await?;
        Ok(Response::new(row_to_pb(&row)))
    }

    async fn get_person(&self, request: Request<pb::GetPersonRequest>) -> Result<Response<pb::Person>, Status> {
        let actor = caller(&request)?.actor();
        let record_id = request.into_inner().record_id;
        let row = self
            .state
            .store
            .get_person(&record_id)
            .map_err(store_status)?
            .ok_or_else(|| Status::not_found(format!("person {record_id} not found")))?;
        self.state.store.audit(&actor, "person.read", &record_id, "").map_err(store_status)?;
        Ok(Response::new(row_to_pb(&row)))
    }

    async fn list_persons(
        &self,
        request: Request<pb::ListPersonsRequest>,
    ) -> Result<Response<pb::ListPersonsResponse>, Status> {
        let actor = caller(&request)?.actor();
        let request = request.into_inner();
        let limit = page_size(request.page_size);
        let after = decode_token(&request.page_token)?
            .map(String::from_utf8)
            .transpose()
            .map_err(|_| Status::invalid_argument("page_token: not a token this service issued"))?;
        let rows = self.state.store.list_persons(after.as_deref(), limit).map_err(store_status)?;
        let next_page_token = if rows.len() == limit {
            rows.last().map(|r| hex::encode(r.person.record_id.as_bytes())).unwrap_or_default()
        } else {
            String::new()
        };
        let detail = format!("count={}", rows.len());
        self.state.store.audit(&actor, "person.list", "", &detail).map_err(store_status)?;
        Ok(Response::new(pb::ListPersonsResponse { persons: rows.iter().map(row_to_pb).collect(), next_page_token }))
    }

    async fn erase_person(
        &self,
        request: Request<pb::ErasePersonRequest>,
    ) -> Result<Response<pb::ErasePersonResponse>, Status> {
        let actor = caller(&request)?.actor();
        let record_id = request.into_inner().record_id;
        let refs = self.state.refs_for(&record_id);
        crate::followup::withdraw_disclosures_of(&self.state, &record_id, &actor).map_err(store_status)?;
        let erased = self.state.store.erase_person(&record_id, &refs, &actor).map_err(store_status)?;
        if !erased {
            return Err(Status::not_found(format!("person {record_id} not found")));
        }
        self.state.store.flush().await.map_err(store_status)?;
        self.state.wake_all();
        Ok(Response::new(pb::ErasePersonResponse { peers_notified: refs.len() as u32 }))
    }

    async fn list_links(
        &self,
        request: Request<pb::ListLinksRequest>,
    ) -> Result<Response<pb::ListLinksResponse>, Status> {
        let actor = caller(&request)?.actor();
        let request = request.into_inner();
        let limit = page_size(request.page_size);
        let after = decode_token(&request.page_token)?;
        let record = (!request.record_id.is_empty()).then_some(request.record_id.as_str());
        let peer = request.peer_country.trim().to_ascii_uppercase();
        if !peer.is_empty() && !self.state.config.peers.iter().any(|p| p.country == peer) {
            let known: Vec<&str> = self.state.config.peers.iter().map(|p| p.country.as_str()).collect();
            return Err(Status::invalid_argument(format!(
                "peer_country: {peer} is not a peer of this node (peers: {})",
                known.join(", ")
            )));
        }
        let include_below = request.include_below_threshold;
        let state = &self.state;
        let task_state = state.clone();
        let record_filter = record.map(str::to_string);
        let (links, cursor) = tokio::task::spawn_blocking(move || {
            let state = &task_state;
            let index = visible_link_index(state, include_below)?;
            let mut links = Vec::new();
            let mut cursor = None;
            for shown in index.iter() {
                let stored = &shown.stored;
                let key =
                    homeward_store::keys::link(&stored.record_id, &stored.peer, &stored.peer_ref, stored.link_kind);
                if after.as_ref().is_some_and(|after| &key <= after)
                    || record_filter.as_ref().is_some_and(|r| *r != stored.record_id)
                    || (!peer.is_empty() && stored.peer != peer)
                    || (request.waiting && !shown.waiting)
                {
                    continue;
                }
                // Rendered now, from the same store version as the index (or a newer one: a
                // link that changed meanwhile shows as it is now, or not at all).
                let Some(link) = render(state, shown, include_below) else { continue };
                if request.waiting && !waits_for_review(&link) {
                    continue;
                }
                links.push(link);
                if links.len() >= limit {
                    cursor = Some(key);
                    break;
                }
            }
            Ok::<_, homeward_store::StoreError>((links, cursor))
        })
        .await
        .map_err(|e| internal("link listing task", e))?
        .map_err(store_status)?;
        state
            .store
            .audit(&actor, "link.list", record.unwrap_or(""), &format!("count={}", links.len()))
            .map_err(store_status)?;
        Ok(Response::new(pb::ListLinksResponse { links, next_page_token: cursor.map(hex::encode).unwrap_or_default() }))
    }

    async fn import_persons(
        &self,
        request: Request<Streaming<pb::ImportRow>>,
    ) -> Result<Response<pb::ImportReport>, Status> {
        let actor = caller(&request)?.actor();
        let mut stream = request.into_inner();
        let mut report = pb::ImportReport::default();
        let mut chunk: Vec<ImportedRow> = Vec::with_capacity(IMPORT_CHUNK);
        loop {
            let next = stream.message().await?;
            let done = next.is_none();
            if let Some(row) = next {
                if !row.client_error.is_empty() {
                    report.rejected.push(pb::RejectedRow {
                        line: row.line,
                        record_id: String::new(),
                        reason: row.client_error,
                    });
                } else if row.header.len() != row.values.len() {
                    report.rejected.push(pb::RejectedRow {
                        line: row.line,
                        record_id: String::new(),
                        reason: format!("{} values for {} columns", row.values.len(), row.header.len()),
                    });
                } else {
                    let fields: Vec<(String, String)> = row.header.into_iter().zip(row.values).collect();
                    let record_id =
                        fields.iter().find(|(h, _)| h == "record_id").map(|(_, v)| v.clone()).unwrap_or_default();
                    match homeward_core::import::person_from_fields(&fields) {
                        Ok(person) => chunk.push((row.line, person, fields.into_iter().map(|(h, _)| h).collect())),
                        Err(reason) => report.rejected.push(pb::RejectedRow { line: row.line, record_id, reason }),
                    }
                }
            }
            if chunk.len() >= IMPORT_CHUNK || (done && !chunk.is_empty()) {
                self.import_chunk(std::mem::take(&mut chunk), &actor, &mut report).await?;
            }
            if done {
                break;
            }
        }
        self.state.store.flush().await.map_err(store_status)?;
        self.state.wake_all();
        Ok(Response::new(report))
    }

    async fn get_node_status(
        &self,
        request: Request<pb::GetNodeStatusRequest>,
    ) -> Result<Response<pb::NodeStatus>, Status> {
        caller(&request)?;
        probe_peers(&self.state).await;
        Ok(Response::new(node_status(&self.state).map_err(store_status)?))
    }

    // Case management: thin delegations to `cases.rs`.

    async fn open_case(&self, request: Request<pb::OpenCaseRequest>) -> Result<Response<pb::Case>, Status> {
        let actor = caller(&request)?.actor();
        Ok(Response::new(crate::cases::open_case(&self.state, &actor, request.into_inner()).await?))
    }

    async fn get_case(&self, request: Request<pb::GetCaseRequest>) -> Result<Response<pb::Case>, Status> {
        let actor = caller(&request)?.actor();
        Ok(Response::new(crate::cases::get_case(&self.state, &actor, request.into_inner())?))
    }

    async fn update_case(&self, request: Request<pb::UpdateCaseRequest>) -> Result<Response<pb::Case>, Status> {
        let actor = caller(&request)?.actor();
        Ok(Response::new(crate::cases::update_case(&self.state, &actor, request.into_inner()).await?))
    }

    async fn list_cases(
        &self,
        request: Request<pb::ListCasesRequest>,
    ) -> Result<Response<pb::ListCasesResponse>, Status> {
        let actor = caller(&request)?.actor();
        Ok(Response::new(crate::cases::list_cases(&self.state, &actor, request.into_inner())?))
    }

    async fn transition_case(&self, request: Request<pb::TransitionCaseRequest>) -> Result<Response<pb::Case>, Status> {
        let actor = caller(&request)?.actor();
        Ok(Response::new(crate::cases::transition_case(&self.state, &actor, request.into_inner()).await?))
    }

    async fn add_service(&self, request: Request<pb::AddServiceRequest>) -> Result<Response<pb::Service>, Status> {
        let actor = caller(&request)?.actor();
        Ok(Response::new(crate::cases::add_service(&self.state, &actor, request.into_inner()).await?))
    }

    async fn update_service(
        &self,
        request: Request<pb::UpdateServiceRequest>,
    ) -> Result<Response<pb::Service>, Status> {
        let actor = caller(&request)?.actor();
        Ok(Response::new(crate::cases::update_service(&self.state, &actor, request.into_inner()).await?))
    }

    async fn list_services(
        &self,
        request: Request<pb::ListServicesRequest>,
    ) -> Result<Response<pb::ListServicesResponse>, Status> {
        let actor = caller(&request)?.actor();
        Ok(Response::new(crate::cases::list_services(&self.state, &actor, request.into_inner())?))
    }

    async fn add_assessment(
        &self,
        request: Request<pb::AddAssessmentRequest>,
    ) -> Result<Response<pb::Assessment>, Status> {
        let actor = caller(&request)?.actor();
        Ok(Response::new(crate::cases::add_assessment(&self.state, &actor, request.into_inner()).await?))
    }

    async fn review_link(&self, request: Request<pb::ReviewLinkRequest>) -> Result<Response<pb::Link>, Status> {
        crate::followup::review_link(&self.state, request).await.map(Response::new)
    }

    async fn request_disclosure(
        &self,
        request: Request<pb::RequestDisclosureRequest>,
    ) -> Result<Response<pb::Disclosure>, Status> {
        crate::followup::request_disclosure(&self.state, request).await.map(Response::new)
    }

    async fn get_disclosure(
        &self,
        request: Request<pb::GetDisclosureRequest>,
    ) -> Result<Response<pb::Disclosure>, Status> {
        crate::followup::get_disclosure(&self.state, request).await.map(Response::new)
    }

    async fn list_disclosures(
        &self,
        request: Request<pb::ListDisclosuresRequest>,
    ) -> Result<Response<pb::ListDisclosuresResponse>, Status> {
        let disclosures = crate::followup::list_disclosures(&self.state, request).await?;
        Ok(Response::new(pb::ListDisclosuresResponse { disclosures }))
    }

    async fn answer_disclosure(
        &self,
        request: Request<pb::AnswerDisclosureRequest>,
    ) -> Result<Response<pb::Disclosure>, Status> {
        crate::followup::answer_disclosure(&self.state, request).await.map(Response::new)
    }

    async fn create_referral(
        &self,
        request: Request<pb::CreateReferralRequest>,
    ) -> Result<Response<pb::Referral>, Status> {
        crate::followup::create_referral(&self.state, request).await.map(Response::new)
    }

    async fn get_referral(&self, request: Request<pb::GetReferralRequest>) -> Result<Response<pb::Referral>, Status> {
        crate::followup::get_referral(&self.state, request).await.map(Response::new)
    }

    async fn list_referrals(
        &self,
        request: Request<pb::ListReferralsRequest>,
    ) -> Result<Response<pb::ListReferralsResponse>, Status> {
        let referrals = crate::followup::list_referrals(&self.state, request).await?;
        Ok(Response::new(pb::ListReferralsResponse { referrals }))
    }

    async fn act_on_referral(
        &self,
        request: Request<pb::ActOnReferralRequest>,
    ) -> Result<Response<pb::Referral>, Status> {
        crate::followup::act_on_referral(&self.state, request).await.map(Response::new)
    }

    async fn list_assessments(
        &self,
        request: Request<pb::ListAssessmentsRequest>,
    ) -> Result<Response<pb::ListAssessmentsResponse>, Status> {
        let actor = caller(&request)?.actor();
        Ok(Response::new(crate::cases::list_assessments(&self.state, &actor, request.into_inner())?))
    }
}

/// An import row read: its line, the person it makes, and the columns it carries.
type ImportedRow = (u64, Person, Vec<String>);

impl RegistryService {
    async fn import_chunk(
        &self,
        chunk: Vec<ImportedRow>,
        actor: &str,
        report: &mut pb::ImportReport,
    ) -> Result<(), Status> {
        let state = self.state.clone();
        let actor = actor.to_string();
        let results = tokio::task::spawn_blocking(move || {
            let mut results = Vec::with_capacity(chunk.len());
            // A row naming a record already held updates what its columns carry and keeps the
            // rest (`merge_into_held`). A row equal to its stored record changes nothing: answer
            // it without blinding, so re-importing a large list costs reads, not curve operations.
            let mut changed = Vec::with_capacity(chunk.len());
            for (line, person, sent) in chunk {
                let sent: Vec<&str> = sent.iter().map(String::as_str).collect();
                match state.store.get_person(&person.record_id) {
                    Ok(Some(row)) => {
                        let merged = homeward_core::import::merge_into_held(&row.person, person, &sent);
                        if row.person == merged {
                            results.push((line, merged.record_id, Ok(PutOutcome::Unchanged)));
                        } else {
                            changed.push((line, merged));
                        }
                    }
                    _ => changed.push((line, person)),
                }
            }
            let persons: Vec<Person> = changed.iter().map(|(_, p)| p.clone()).collect();
            let made =
                blind_persons_fingerprinted(&state.config.federation, &state.secrets.blinding, &persons, today());
            for ((line, person), (tokens, fingerprint)) in changed.into_iter().zip(made) {
                let refs = state.refs_for(&person.record_id);
                let record_id = person.record_id.clone();
                let outcome = state.store.put_person_fingerprinted(
                    person,
                    PutMode::Upsert,
                    (&tokens, Some(&fingerprint)),
                    &refs,
                    &actor,
                );
                results.push((line, record_id, outcome.map(|(_, o)| o)));
            }
            results
        })
        .await
        .map_err(|e| internal("import task", e))?;
        for (line, record_id, outcome) in results {
            match outcome {
                Ok(PutOutcome::Created) => report.imported += 1,
                Ok(PutOutcome::Updated) => report.updated += 1,
                Ok(PutOutcome::Unchanged) => report.unchanged += 1,
                Err(e) => {
                    let status = store_status(e);
                    report.rejected.push(pb::RejectedRow { line, record_id, reason: status.message().to_string() });
                }
            }
        }
        self.state.wake_all();
        Ok(())
    }
}

/// Whether a link waits for this node's caseworkers: needs review and has no review from here.
fn waits_for_review(link: &pb::Link) -> bool {
    link.status == pb::LinkStatus::NeedsReview as i32 && link.own_review.is_none()
}

/// A link of the index as the API shows it (see [`link_to_pb`]), kept from auto-confirmation
/// when it won its resolution by a tie.
pub fn render(state: &NodeState, shown: &ShownLink, include_below: bool) -> Option<pb::Link> {
    let mut link = link_to_pb(state, &shown.stored, include_below)?;
    if shown.tied && link.status == pb::LinkStatus::AutoConfirmed as i32 {
        link.status = pb::LinkStatus::NeedsReview as i32;
    }
    Some(link)
}

/// The links [`visible_links`] shows, without their rendering, computed once per store
/// version: paging through `ListLinks` or asking for the status of an idle node resolves the
/// links once, not on every call. Runs on the blocking pool.
pub fn visible_link_index(state: &NodeState, include_below: bool) -> homeward_store::Result<Arc<Vec<ShownLink>>> {
    let version = state.store.data_version();
    {
        let view = state.links_view.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(view) = view.as_ref()
            && view.version == version
            && view.include_below == include_below
        {
            return Ok(view.links.clone());
        }
    }
    let links: Arc<Vec<ShownLink>> = Arc::new(resolve_links(state, include_below)?);
    *state.links_view.lock().unwrap_or_else(|p| p.into_inner()) =
        Some(crate::state::LinksView { version, include_below, links: links.clone() });
    Ok(links)
}

/// The links caseworkers see and coordinators count, in (record, peer, ref, kind) order: scored
/// at or above the review threshold (or all, with `include_below`), family hits only between a
/// child and a mother, and — when the node resolves one-to-one — for each peer one same-person
/// link per record on either side, and for each child record only its best family candidates.
/// Candidates that are equally good (namesakes born the same day on one node; women of the
/// mother's name) are all shown and none is auto-confirmed: each waits for a caseworker,
/// because the evidence did not choose between them. The one-to-one resolution orders pairs by
/// the pair of references, which both nodes hold, so both sides show the same links.
pub fn visible_links(state: &NodeState, include_below: bool) -> homeward_store::Result<Vec<(StoredLink, pb::Link)>> {
    Ok(resolve_links(state, include_below)?
        .into_iter()
        .filter_map(|shown| render(state, &shown, include_below).map(|link| (shown.stored, link)))
        .collect())
}

/// What [`visible_links`] shows, with each link's resolution, before rendering.
fn resolve_links(state: &NodeState, include_below: bool) -> homeward_store::Result<Vec<ShownLink>> {
    let shown: Vec<(StoredLink, pb::Link)> = state
        .store
        .all_links()?
        .into_iter()
        .filter_map(|stored| link_to_pb(state, &stored, include_below).map(|link| (stored, link)))
        .collect();
    let mut drop = vec![false; shown.len()];
    let mut tied = vec![false; shown.len()];
    let held = parent_documents(&shown);
    if !state.config.matching.one_to_one {
        return Ok(shown
            .into_iter()
            .zip(held)
            .map(|((stored, link), held)| {
                let held_back = held && link.status == pb::LinkStatus::AutoConfirmed as i32;
                ShownLink { waiting: waits_for_review(&link) || held_back, stored, tied: held }
            })
            .collect());
    }
    let mut by_peer: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for (index, (stored, link)) in shown.iter().enumerate() {
        let candidate = link.status != pb::LinkStatus::Unspecified as i32 && resolution_weight(link).is_some();
        if candidate && stored.link_kind == LinkKind::SamePerson.code() {
            by_peer.entry(stored.peer.as_str()).or_default().push(index);
        }
    }
    for indices in by_peer.values() {
        let candidates: Vec<(&str, &str, f64)> = indices
            .iter()
            .map(|i| {
                let link = &shown[*i].1;
                (link.own_ref.as_str(), link.peer_ref.as_str(), resolution_weight(link).unwrap_or(link.score))
            })
            .collect();
        // Equally good candidates all stay in view, all waiting for a caseworker: keeping one by
        // the order of references would hide the person as often as show them (namesakes born
        // the same day on one node), and would make the links shown depend on the nodes'
        // secrets. Their records take no worse partner besides.
        for &index in indices {
            drop[index] = true;
        }
        for (position, is_tied) in resolve_keeping_ties(&candidates) {
            drop[indices[position]] = false;
            tied[indices[position]] = is_tied;
        }
    }
    // A child has one mother: of the family candidates that share a child record, keep the best.
    // The child's node groups by its own record, the mother's node by the peer's reference, so
    // both sides group the same candidates.
    let mut by_child: std::collections::BTreeMap<(&str, String), Vec<usize>> = std::collections::BTreeMap::new();
    for (index, (stored, link)) in shown.iter().enumerate() {
        if stored.link_kind != LinkKind::Family.code()
            || link.status == pb::LinkStatus::Unspecified as i32
            || resolution_weight(link).is_none()
        {
            continue;
        }
        let own_role = family_role_of(KeySet(stored.row.kinds));
        let child = if own_role == Some(homeward_core::matching::FamilyRole::Child) {
            format!("own:{}", link.own_ref)
        } else {
            format!("peer:{}", link.peer_ref)
        };
        by_child.entry((stored.peer.as_str(), child)).or_default().push(index);
    }
    // Equally good candidates (women of one name, none with more evidence) all stay, each
    // waiting for a caseworker: keeping one by the order of references would hide the mother as
    // often as show her.
    for indices in by_child.values() {
        let weight = |i: usize| resolution_weight(&shown[i].1).unwrap_or(shown[i].1.score);
        let best = indices.iter().map(|&i| weight(i)).fold(f64::NEG_INFINITY, f64::max);
        let equal = indices.iter().filter(|&&i| weight(i) == best).count();
        for &index in indices {
            if weight(index) == best {
                tied[index] = equal > 1;
            } else {
                drop[index] = true;
            }
        }
    }
    // A link kept over an equally good one is not certain, however high its score: it waits for
    // a caseworker ([`render`]). Both nodes see the same candidates, so both hold it back.
    let mut kept = Vec::with_capacity(shown.len());
    for (((stored, link), (dropped, tied)), held) in shown.into_iter().zip(drop.into_iter().zip(tied)).zip(held) {
        if dropped {
            continue;
        }
        let tied = tied || held;
        let held_back = tied && link.status == pb::LinkStatus::AutoConfirmed as i32;
        kept.push(ShownLink { waiting: waits_for_review(&link) || held_back, stored, tied });
    }
    Ok(kept)
}

/// Same-person links that rest on a document number (`score::document_alone`), between two records
/// that a family link also joins as child and mother: a child entered in its mother's passport
/// (as passports of the CIS did until recently) carries her number. The document alone would
/// auto-confirm them as one person; they wait for a caseworker instead, on both nodes (both
/// hold both links).
fn parent_documents(shown: &[(StoredLink, pb::Link)]) -> Vec<bool> {
    let family: std::collections::HashSet<(&str, &str, &str)> = shown
        .iter()
        .filter(|(stored, link)| {
            stored.link_kind == LinkKind::Family.code()
                && link.status != pb::LinkStatus::Unspecified as i32
                && resolution_weight(link).is_some()
        })
        .map(|(stored, link)| (stored.peer.as_str(), link.own_ref.as_str(), link.peer_ref.as_str()))
        .collect();
    shown
        .iter()
        .map(|(stored, link)| {
            stored.link_kind == LinkKind::SamePerson.code()
                && homeward_core::matching::score::document_alone(KeySet(stored.row.kinds))
                && family.contains(&(stored.peer.as_str(), link.own_ref.as_str(), link.peer_ref.as_str()))
        })
        .collect()
}

/// An error and its causes, `: `-joined, each said once: the transport's errors repeat their
/// cause's message (`tcp connect error: tcp connect error: Connection refused`).
pub fn causes(error: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// Reachability now, not as of the last exchange: a TLS connection to every peer, at most
/// [`PROBE_TIMEOUT`] each, all at once. A peer that answers is reachable; one that does not is
/// marked unreachable with the reason.
pub async fn probe_peers(state: &Arc<NodeState>) {
    let mut probes = tokio::task::JoinSet::new();
    for peer in state.peers().to_vec() {
        let tls = state.config.tls.clone();
        probes.spawn(async move {
            let outcome = tokio::time::timeout(PROBE_TIMEOUT, crate::client::connect(&peer.address, &tls)).await;
            (peer.country, outcome)
        });
    }
    while let Some(Ok((country, outcome))) = probes.join_next().await {
        match outcome {
            Ok(Ok(_)) => state.set_health(&country, true, None),
            Ok(Err(e)) => state.set_health(&country, false, Some(format!("status probe: {}", causes(&e)))),
            Err(_) => {
                state.set_health(&country, false, Some(format!("status probe: no answer within {PROBE_TIMEOUT:?}")))
            }
        }
    }
}

/// How long `homeward status` waits for each peer.
const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(1500);

pub fn node_status(state: &NodeState) -> homeward_store::Result<pb::NodeStatus> {
    let mut peers = Vec::new();
    for peer in state.peers() {
        let health = state.health_of(&peer.country);
        peers.push(pb::PeerStatus {
            country: peer.country.clone(),
            address: peer.address.clone(),
            reachable: health.reachable,
            outbox_backlog: state.store.outbox_len(&peer.country)?,
            last_success_time: state.store.last_success(&peer.country)? as i64,
            last_error: health.last_error,
            last_error_time: health.last_error_time,
            tokens_received: state.store.tokens_received(&peer.country)?,
            declared_records: state.store.peer_declared(&peer.country)?,
            keys_version: health.keys_version,
        });
    }
    let links = visible_link_index(state, false)?.len() as u64;
    Ok(pb::NodeStatus {
        country: state.config.country.clone(),
        persons: state.store.count_persons()?,
        links,
        peers,
        pair_rounds_waiting: state.store.pending_pairs(10_000)?.len() as u64,
        keys_version: homeward_core::matching::KEYS_VERSION,
        records_to_remake: state.records_to_remake.load(std::sync::atomic::Ordering::Relaxed),
    })
}

#[cfg(test)]
mod tests {
    use super::causes;

    #[test]
    fn a_cause_that_repeats_its_errors_message_is_said_once() {
        let error = anyhow::anyhow!("Connection refused").context("tcp connect error").context("tcp connect error");
        assert_eq!(causes(&error), "tcp connect error: Connection refused");
        let error = anyhow::anyhow!("refused").context("connect").context("transport error");
        assert_eq!(causes(&error), "transport error: connect: refused");
    }
}
