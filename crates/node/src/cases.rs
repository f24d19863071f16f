//! Case management over the Registry API: the bodies of the case, service and assessment RPCs,
//! as functions of the node state so that `registry.rs` stays a thin list of delegations.
//!
//! Input is validated at the boundary (`homeward_proto::case`); domain refusals map to
//! InvalidArgument (a bad value, naming its field) or FailedPrecondition (an illegal
//! transition). The store audits every read and write; writes are flushed before they are
//! acknowledged.

use crate::error::{case_status, store_status};
use crate::state::NodeState;
use homeward_core::case::CaseError;
use homeward_proto::case as convert;
use homeward_proto::pb;
use homeward_store::{CaseFilter, Page, keys};
use tonic::Status;

const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 1000;

fn page_size(requested: u32) -> usize {
    match requested as usize {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    }
}

/// The key a page token continues after; it must be a key of the listing's kind (`prefixes`).
fn cursor(token: &str, prefixes: &[u8]) -> Result<Option<Vec<u8>>, Status> {
    if token.is_empty() {
        return Ok(None);
    }
    match hex::decode(token) {
        Ok(key) if key.first().is_some_and(|p| prefixes.contains(p)) => Ok(Some(key)),
        _ => Err(Status::invalid_argument("page_token: not a token this listing issued")),
    }
}

fn next_token<T>(page: &Page<T>) -> String {
    page.next.as_ref().map(hex::encode).unwrap_or_default()
}

fn required<'a>(field: &'static str, value: &'a str) -> Result<&'a str, Status> {
    if value.trim().is_empty() {
        return Err(Status::invalid_argument(format!("{field}: required")));
    }
    Ok(value.trim())
}

async fn flushed<T>(state: &NodeState, value: T) -> Result<T, Status> {
    state.store.flush().await.map_err(store_status)?;
    Ok(value)
}

pub async fn open_case(state: &NodeState, actor: &str, request: pb::OpenCaseRequest) -> Result<pb::Case, Status> {
    let case = request.case.ok_or_else(|| Status::invalid_argument("case: required"))?;
    let record_id = required("case.record_id", &case.record_id)?;
    let details = convert::case_details_from_pb(&case).map_err(case_status)?;
    let case = state.store.open_case(record_id, details, actor).map_err(store_status)?;
    flushed(state, convert::case_to_pb(&case)).await
}

pub fn get_case(state: &NodeState, actor: &str, request: pb::GetCaseRequest) -> Result<pb::Case, Status> {
    let case_id = required("case_id", &request.case_id)?;
    let case = state.store.get_case(case_id, actor).map_err(store_status)?;
    Ok(convert::case_to_pb(&case))
}

pub async fn update_case(state: &NodeState, actor: &str, request: pb::UpdateCaseRequest) -> Result<pb::Case, Status> {
    let case = request.case.ok_or_else(|| Status::invalid_argument("case: required"))?;
    let case_id = required("case.case_id", &case.case_id)?.to_string();
    let new = convert::case_details_from_pb(&case).map_err(case_status)?;
    let mask = request.update_mask;
    let changed = state
        .store
        .change_case(&case_id, "case.update", actor, |current| {
            if current.status.is_ended() {
                return Err(CaseError::Ended { status: current.status, what: "its details" });
            }
            let merged = convert::merge_case_details(&current.details(), new, &mask)?;
            current.set_details(merged);
            Ok(if mask.is_empty() { "fields=all".to_string() } else { format!("fields={}", mask.join(",")) })
        })
        .map_err(store_status)?
        .map_err(case_status)?;
    flushed(state, convert::case_to_pb(&changed)).await
}

pub async fn transition_case(
    state: &NodeState,
    actor: &str,
    request: pb::TransitionCaseRequest,
) -> Result<pb::Case, Status> {
    let case_id = required("case_id", &request.case_id)?.to_string();
    let to = convert::status_from_pb("to", request.to)
        .map_err(case_status)?
        .ok_or_else(|| Status::invalid_argument("to: required (the status to move to)"))?;
    let reason = convert::closure_from_pb(request.closure_reason).map_err(case_status)?;
    let time = crate::crypto::unix_now();
    let changed = state
        .store
        .change_case(&case_id, "case.transition", actor, |case| {
            let from = case.status;
            case.transition(to, reason, &request.note, actor, time)?;
            let mut detail = format!("from={} to={}", from.label(), to.label());
            if let Some(reason) = reason {
                detail.push_str(&format!(" reason={}", reason.label()));
            }
            Ok(detail)
        })
        .map_err(store_status)?
        .map_err(case_status)?;
    flushed(state, convert::case_to_pb(&changed)).await
}

pub fn list_cases(
    state: &NodeState,
    actor: &str,
    request: pb::ListCasesRequest,
) -> Result<pb::ListCasesResponse, Status> {
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let filter = CaseFilter {
        record_id: some(&request.record_id),
        status: convert::status_from_pb("status", request.status).map_err(case_status)?,
        caseworker: some(&request.caseworker),
        agency: some(&request.agency),
    };
    let after = cursor(&request.page_token, &[keys::CASE, keys::CASE_BY_PERSON])?;
    let page =
        state.store.list_cases(&filter, after.as_deref(), page_size(request.page_size), actor).map_err(store_status)?;
    Ok(pb::ListCasesResponse {
        next_page_token: next_token(&page),
        cases: page.items.iter().map(convert::case_to_pb).collect(),
    })
}

pub async fn add_service(
    state: &NodeState,
    actor: &str,
    request: pb::AddServiceRequest,
) -> Result<pb::Service, Status> {
    let case_id = required("case_id", &request.case_id)?;
    let service = request.service.ok_or_else(|| Status::invalid_argument("service: required"))?;
    let details = convert::service_details_from_pb(&service).map_err(case_status)?;
    let service = state.store.add_service(case_id, details, actor).map_err(store_status)?;
    flushed(state, convert::service_to_pb(&service)).await
}

pub async fn update_service(
    state: &NodeState,
    actor: &str,
    request: pb::UpdateServiceRequest,
) -> Result<pb::Service, Status> {
    let service = request.service.ok_or_else(|| Status::invalid_argument("service: required"))?;
    let case_id = required("service.case_id", &service.case_id)?.to_string();
    let service_id = required("service.service_id", &service.service_id)?.to_string();
    let mask = request.update_mask;
    let updated = state
        .store
        .update_service(&case_id, &service_id, actor, |current| convert::merge_service(current, &service, &mask))
        .map_err(store_status)?
        .map_err(case_status)?;
    flushed(state, convert::service_to_pb(&updated)).await
}

pub fn list_services(
    state: &NodeState,
    actor: &str,
    request: pb::ListServicesRequest,
) -> Result<pb::ListServicesResponse, Status> {
    let case_id = request.case_id.trim();
    let record_id = request.record_id.trim().to_string();
    let service_type = convert::service_type_from_pb(request.r#type, false).map_err(case_status)?;
    let after = cursor(&request.page_token, &[keys::SERVICE])?;
    let page = state
        .store
        .list_services(
            (!case_id.is_empty()).then_some(case_id),
            after.as_deref(),
            page_size(request.page_size),
            actor,
            |s| {
                (record_id.is_empty() || s.record_id == record_id)
                    && service_type.is_none_or(|t| t == s.details.service_type)
            },
        )
        .map_err(store_status)?;
    Ok(pb::ListServicesResponse {
        next_page_token: next_token(&page),
        services: page.items.iter().map(convert::service_to_pb).collect(),
    })
}

pub async fn add_assessment(
    state: &NodeState,
    actor: &str,
    request: pb::AddAssessmentRequest,
) -> Result<pb::Assessment, Status> {
    let case_id = required("case_id", &request.case_id)?;
    let assessment = request.assessment.ok_or_else(|| Status::invalid_argument("assessment: required"))?;
    let assessment = convert::assessment_from_pb(&assessment).map_err(case_status)?;
    let stored = state.store.add_assessment(case_id, assessment, actor).map_err(store_status)?;
    flushed(state, convert::assessment_to_pb(&stored)).await
}

pub fn list_assessments(
    state: &NodeState,
    actor: &str,
    request: pb::ListAssessmentsRequest,
) -> Result<pb::ListAssessmentsResponse, Status> {
    let case_id = request.case_id.trim();
    let record_id = request.record_id.trim().to_string();
    let after = cursor(&request.page_token, &[keys::ASSESSMENT])?;
    let page = state
        .store
        .list_assessments(
            (!case_id.is_empty()).then_some(case_id),
            after.as_deref(),
            page_size(request.page_size),
            actor,
            |a| record_id.is_empty() || a.record_id == record_id,
        )
        .map_err(store_status)?;
    Ok(pb::ListAssessmentsResponse {
        next_page_token: next_token(&page),
        assessments: page.items.iter().map(convert::assessment_to_pb).collect(),
    })
}
