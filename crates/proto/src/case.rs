//! Conversions between the case-management messages (`case.proto`) and the domain types of
//! `homeward_core::case`. Input is validated here, once; errors name the field at fault.

use crate::pb;
use homeward_core::case::{
    Assessment, AssessmentRound, Case, CaseDetails, CaseError, CaseStatus, ClosureReason, Consent, LegalBasis,
    ProviderKind, RiskLevel, Service, ServiceDetails, ServiceOutcome, ServiceType, StatusChange, parse_full_date,
    parse_partial_date,
};

fn unknown(field: &'static str, value: i32) -> CaseError {
    CaseError::invalid(field, format!("unknown value {value}"))
}

/// A status from the wire; `UNSPECIFIED` is `None`.
pub fn status_from_pb(field: &'static str, value: i32) -> Result<Option<CaseStatus>, CaseError> {
    use pb::CaseStatus as P;
    Ok(Some(match P::try_from(value).map_err(|_| unknown(field, value))? {
        P::Unspecified => return Ok(None),
        P::Intake => CaseStatus::Intake,
        P::Assessment => CaseStatus::Assessment,
        P::CasePlan => CaseStatus::CasePlan,
        P::Services => CaseStatus::Services,
        P::Monitoring => CaseStatus::Monitoring,
        P::Closed => CaseStatus::Closed,
        P::Reopened => CaseStatus::Reopened,
        P::Transferred => CaseStatus::Transferred,
    }))
}

pub fn status_to_pb(status: CaseStatus) -> pb::CaseStatus {
    use pb::CaseStatus as P;
    match status {
        CaseStatus::Intake => P::Intake,
        CaseStatus::Assessment => P::Assessment,
        CaseStatus::CasePlan => P::CasePlan,
        CaseStatus::Services => P::Services,
        CaseStatus::Monitoring => P::Monitoring,
        CaseStatus::Closed => P::Closed,
        CaseStatus::Reopened => P::Reopened,
        CaseStatus::Transferred => P::Transferred,
    }
}

pub fn closure_from_pb(value: i32) -> Result<Option<ClosureReason>, CaseError> {
    use pb::ClosureReason as P;
    Ok(Some(match P::try_from(value).map_err(|_| unknown("closure_reason", value))? {
        P::Unspecified => return Ok(None),
        P::SupportCompleted => ClosureReason::SupportCompleted,
        P::NoLongerEligible => ClosureReason::NoLongerEligible,
        P::OptedOut => ClosureReason::OptedOut,
        P::MovedAway => ClosureReason::MovedAway,
        P::Transferred => ClosureReason::Transferred,
        P::Deceased => ClosureReason::Deceased,
    }))
}

pub fn closure_to_pb(reason: Option<ClosureReason>) -> pb::ClosureReason {
    use pb::ClosureReason as P;
    match reason {
        None => P::Unspecified,
        Some(ClosureReason::SupportCompleted) => P::SupportCompleted,
        Some(ClosureReason::NoLongerEligible) => P::NoLongerEligible,
        Some(ClosureReason::OptedOut) => P::OptedOut,
        Some(ClosureReason::MovedAway) => P::MovedAway,
        Some(ClosureReason::Transferred) => P::Transferred,
        Some(ClosureReason::Deceased) => P::Deceased,
    }
}

pub fn basis_from_pb(value: i32) -> Result<LegalBasis, CaseError> {
    use pb::LegalBasis as P;
    Ok(match P::try_from(value).map_err(|_| unknown("legal_basis", value))? {
        P::Unspecified => LegalBasis::Unspecified,
        P::Consent => LegalBasis::Consent,
        P::LegalObligation => LegalBasis::LegalObligation,
        P::VitalInterest => LegalBasis::VitalInterest,
        P::PublicTask => LegalBasis::PublicTask,
        P::BestInterestsOfChild => LegalBasis::BestInterestsOfChild,
    })
}

pub fn basis_to_pb(basis: LegalBasis) -> pb::LegalBasis {
    use pb::LegalBasis as P;
    match basis {
        LegalBasis::Unspecified => P::Unspecified,
        LegalBasis::Consent => P::Consent,
        LegalBasis::LegalObligation => P::LegalObligation,
        LegalBasis::VitalInterest => P::VitalInterest,
        LegalBasis::PublicTask => P::PublicTask,
        LegalBasis::BestInterestsOfChild => P::BestInterestsOfChild,
    }
}

/// The details of a case from the wire, validated.
pub fn case_details_from_pb(case: &pb::Case) -> Result<CaseDetails, CaseError> {
    let consent = case.consent.unwrap_or_default();
    CaseDetails {
        return_date: parse_partial_date("return_date", &case.return_date)?,
        returned_from: case.returned_from.clone(),
        legal_situation: case.legal_situation.clone(),
        agency: case.agency.clone(),
        caseworker: case.caseworker.clone(),
        consent: Consent {
            services: consent.services,
            sharing: consent.sharing,
            reporting: consent.reporting,
            tracing: consent.tracing,
        },
        legal_basis: basis_from_pb(case.legal_basis)?,
    }
    .validated()
}

/// The field paths UpdateCase accepts.
pub const CASE_MASK_PATHS: &[&str] =
    &["return_date", "returned_from", "legal_situation", "agency", "caseworker", "consent", "legal_basis"];

/// `current` with the fields named in `mask` (all when empty) taken from `new`.
pub fn merge_case_details(current: &CaseDetails, new: CaseDetails, mask: &[String]) -> Result<CaseDetails, CaseError> {
    if mask.is_empty() {
        return Ok(new);
    }
    let mut merged = current.clone();
    for path in mask {
        match path.as_str() {
            "return_date" => merged.return_date = new.return_date,
            "returned_from" => merged.returned_from = new.returned_from.clone(),
            "legal_situation" => merged.legal_situation = new.legal_situation.clone(),
            "agency" => merged.agency = new.agency.clone(),
            "caseworker" => merged.caseworker = new.caseworker.clone(),
            "consent" => merged.consent = new.consent,
            "legal_basis" => merged.legal_basis = new.legal_basis,
            other => {
                return Err(CaseError::invalid(
                    "update_mask",
                    format!("unknown path {other:?} (one of {})", CASE_MASK_PATHS.join(", ")),
                ));
            }
        }
    }
    Ok(merged)
}

pub fn case_to_pb(case: &Case) -> pb::Case {
    pb::Case {
        case_id: case.case_id.clone(),
        record_id: case.record_id.clone(),
        status: status_to_pb(case.status) as i32,
        closure_reason: closure_to_pb(case.closure_reason) as i32,
        return_date: case.return_date.map(|d| d.to_string()).unwrap_or_default(),
        returned_from: case.returned_from.clone(),
        legal_situation: case.legal_situation.clone(),
        agency: case.agency.clone(),
        caseworker: case.caseworker.clone(),
        consent: Some(pb::Consent {
            services: case.consent.services,
            sharing: case.consent.sharing,
            reporting: case.consent.reporting,
            tracing: case.consent.tracing,
        }),
        legal_basis: basis_to_pb(case.legal_basis) as i32,
        history: case.history.iter().map(change_to_pb).collect(),
        create_time: case.create_time,
        update_time: case.update_time,
        status_time: case.status_time,
    }
}

fn change_to_pb(change: &StatusChange) -> pb::StatusChange {
    pb::StatusChange {
        from: status_to_pb(change.from) as i32,
        to: status_to_pb(change.to) as i32,
        time: change.time,
        actor: change.actor.clone(),
        closure_reason: closure_to_pb(change.closure_reason) as i32,
        note: change.note.clone(),
    }
}

pub fn service_type_from_pb(value: i32, required: bool) -> Result<Option<ServiceType>, CaseError> {
    use pb::ServiceType as P;
    Ok(Some(match P::try_from(value).map_err(|_| unknown("type", value))? {
        P::Unspecified if required => return Err(CaseError::invalid("type", "a service needs a type")),
        P::Unspecified => return Ok(None),
        P::Psychosocial => ServiceType::Psychosocial,
        P::Medical => ServiceType::Medical,
        P::LegalAid => ServiceType::LegalAid,
        P::CivilDocumentation => ServiceType::CivilDocumentation,
        P::Education => ServiceType::Education,
        P::VocationalTraining => ServiceType::VocationalTraining,
        P::Employment => ServiceType::Employment,
        P::BusinessStartup => ServiceType::BusinessStartup,
        P::Housing => ServiceType::Housing,
        P::SocialProtection => ServiceType::SocialProtection,
        P::FamilyMediation => ServiceType::FamilyMediation,
        P::ReligiousCounselling => ServiceType::ReligiousCounselling,
        P::CommunityEngagement => ServiceType::CommunityEngagement,
    }))
}

pub fn service_type_to_pb(kind: ServiceType) -> pb::ServiceType {
    use pb::ServiceType as P;
    match kind {
        ServiceType::Psychosocial => P::Psychosocial,
        ServiceType::Medical => P::Medical,
        ServiceType::LegalAid => P::LegalAid,
        ServiceType::CivilDocumentation => P::CivilDocumentation,
        ServiceType::Education => P::Education,
        ServiceType::VocationalTraining => P::VocationalTraining,
        ServiceType::Employment => P::Employment,
        ServiceType::BusinessStartup => P::BusinessStartup,
        ServiceType::Housing => P::Housing,
        ServiceType::SocialProtection => P::SocialProtection,
        ServiceType::FamilyMediation => P::FamilyMediation,
        ServiceType::ReligiousCounselling => P::ReligiousCounselling,
        ServiceType::CommunityEngagement => P::CommunityEngagement,
    }
}

pub fn provider_kind_from_pb(value: i32) -> Result<ProviderKind, CaseError> {
    use pb::ProviderKind as P;
    Ok(match P::try_from(value).map_err(|_| unknown("provider_kind", value))? {
        P::Unspecified => ProviderKind::Unspecified,
        P::Government => ProviderKind::Government,
        P::Ngo => ProviderKind::Ngo,
        P::InternationalOrganisation => ProviderKind::InternationalOrganisation,
    })
}

pub fn provider_kind_to_pb(kind: ProviderKind) -> pb::ProviderKind {
    use pb::ProviderKind as P;
    match kind {
        ProviderKind::Unspecified => P::Unspecified,
        ProviderKind::Government => P::Government,
        ProviderKind::Ngo => P::Ngo,
        ProviderKind::InternationalOrganisation => P::InternationalOrganisation,
    }
}

pub fn outcome_from_pb(value: i32) -> Result<ServiceOutcome, CaseError> {
    use pb::ServiceOutcome as P;
    Ok(match P::try_from(value).map_err(|_| unknown("outcome", value))? {
        P::Unspecified | P::Pending => ServiceOutcome::Pending,
        P::Completed => ServiceOutcome::Completed,
        P::PartiallyCompleted => ServiceOutcome::PartiallyCompleted,
        P::DroppedOut => ServiceOutcome::DroppedOut,
        P::Declined => ServiceOutcome::Declined,
        P::NotAvailable => ServiceOutcome::NotAvailable,
    })
}

pub fn outcome_to_pb(outcome: ServiceOutcome) -> pb::ServiceOutcome {
    use pb::ServiceOutcome as P;
    match outcome {
        ServiceOutcome::Pending => P::Pending,
        ServiceOutcome::Completed => P::Completed,
        ServiceOutcome::PartiallyCompleted => P::PartiallyCompleted,
        ServiceOutcome::DroppedOut => P::DroppedOut,
        ServiceOutcome::Declined => P::Declined,
        ServiceOutcome::NotAvailable => P::NotAvailable,
    }
}

/// The service paths UpdateService accepts.
pub const SERVICE_MASK_PATHS: &[&str] =
    &["type", "provider", "provider_kind", "referred_date", "started_date", "completed_date", "outcome", "note"];

/// Service details from the wire, unvalidated (the caller validates after merging a mask).
/// With `require_type`, a missing type is refused.
pub fn service_fields_from_pb(
    service: &pb::Service,
    require_type: bool,
) -> Result<(Option<ServiceType>, ServiceDetailsParts), CaseError> {
    Ok((
        service_type_from_pb(service.r#type, require_type)?,
        ServiceDetailsParts {
            provider: service.provider.clone(),
            provider_kind: provider_kind_from_pb(service.provider_kind)?,
            referred: parse_full_date("referred_date", &service.referred_date)?,
            started: parse_full_date("started_date", &service.started_date)?,
            completed: parse_full_date("completed_date", &service.completed_date)?,
            outcome: outcome_from_pb(service.outcome)?,
            note: service.note.clone(),
        },
    ))
}

/// The parts of a service's details besides its type, as read from the wire.
pub struct ServiceDetailsParts {
    pub provider: String,
    pub provider_kind: ProviderKind,
    pub referred: Option<homeward_core::person::PartialDate>,
    pub started: Option<homeward_core::person::PartialDate>,
    pub completed: Option<homeward_core::person::PartialDate>,
    pub outcome: ServiceOutcome,
    pub note: String,
}

/// A new service's details from the wire, validated.
pub fn service_details_from_pb(service: &pb::Service) -> Result<ServiceDetails, CaseError> {
    let (service_type, parts) = service_fields_from_pb(service, true)?;
    let service_type = service_type.ok_or_else(|| CaseError::invalid("type", "a service needs a type"))?;
    ServiceDetails {
        service_type,
        provider: parts.provider,
        provider_kind: parts.provider_kind,
        referred: parts.referred,
        started: parts.started,
        completed: parts.completed,
        outcome: parts.outcome,
        note: parts.note,
    }
    .validated()
}

/// `current` with the paths of `mask` (all when empty) taken from `new`, validated.
pub fn merge_service(
    current: &ServiceDetails,
    new: &pb::Service,
    mask: &[String],
) -> Result<ServiceDetails, CaseError> {
    if mask.is_empty() {
        return service_details_from_pb(new);
    }
    let (service_type, parts) = service_fields_from_pb(new, false)?;
    let mut merged = current.clone();
    for path in mask {
        match path.as_str() {
            "type" => {
                merged.service_type =
                    service_type.ok_or_else(|| CaseError::invalid("type", "a service needs a type"))?
            }
            "provider" => merged.provider = parts.provider.clone(),
            "provider_kind" => merged.provider_kind = parts.provider_kind,
            "referred_date" => merged.referred = parts.referred,
            "started_date" => merged.started = parts.started,
            "completed_date" => merged.completed = parts.completed,
            "outcome" => merged.outcome = parts.outcome,
            "note" => merged.note = parts.note.clone(),
            other => {
                return Err(CaseError::invalid(
                    "update_mask",
                    format!("unknown path {other:?} (one of {})", SERVICE_MASK_PATHS.join(", ")),
                ));
            }
        }
    }
    merged.validated()
}

pub fn service_to_pb(service: &Service) -> pb::Service {
    let d = &service.details;
    let date = |d: Option<homeward_core::person::PartialDate>| d.map(|d| d.to_string()).unwrap_or_default();
    pb::Service {
        service_id: service.service_id.clone(),
        case_id: service.case_id.clone(),
        record_id: service.record_id.clone(),
        r#type: service_type_to_pb(d.service_type) as i32,
        provider: d.provider.clone(),
        provider_kind: provider_kind_to_pb(d.provider_kind) as i32,
        referred_date: date(d.referred),
        started_date: date(d.started),
        completed_date: date(d.completed),
        outcome: outcome_to_pb(d.outcome) as i32,
        note: d.note.clone(),
        create_time: service.create_time,
        update_time: service.update_time,
    }
}

pub fn risk_from_pb(value: i32) -> Result<RiskLevel, CaseError> {
    use pb::RiskLevel as P;
    Ok(match P::try_from(value).map_err(|_| unknown("risk_level", value))? {
        P::Unspecified => RiskLevel::Unspecified,
        P::Low => RiskLevel::Low,
        P::Medium => RiskLevel::Medium,
        P::High => RiskLevel::High,
    })
}

pub fn risk_to_pb(risk: RiskLevel) -> pb::RiskLevel {
    use pb::RiskLevel as P;
    match risk {
        RiskLevel::Unspecified => P::Unspecified,
        RiskLevel::Low => P::Low,
        RiskLevel::Medium => P::Medium,
        RiskLevel::High => P::High,
    }
}

/// A new assessment from the wire, validated; ids and times are set by the store.
pub fn assessment_from_pb(assessment: &pb::Assessment) -> Result<Assessment, CaseError> {
    let date = parse_full_date("date", &assessment.date)?
        .ok_or_else(|| CaseError::invalid("date", "an assessment needs its date (YYYY-MM-DD)"))?;
    // An assessment records what was found: it cannot be dated after today.
    if (date.year, date.month.unwrap_or(1), date.day.unwrap_or(1)) > homeward_core::person::today() {
        return Err(CaseError::invalid(
            "date",
            format!("{date} is after today; an assessment is dated when it is made"),
        ));
    }
    let scores = Assessment::check_scores(
        assessment.economic,
        assessment.social,
        assessment.psychosocial,
        assessment.composite,
    )?;
    let mut note = assessment.note.trim().to_string();
    if note.len() > homeward_core::person::MAX_FIELD_BYTES {
        return Err(CaseError::invalid("note", "too long"));
    }
    if note.chars().any(|c| c.is_control() && c != '\n') {
        note = note.replace(|c: char| c.is_control(), " ");
    }
    Ok(Assessment {
        assessment_id: String::new(),
        case_id: String::new(),
        record_id: String::new(),
        date,
        round: AssessmentRound::from_number(assessment.round),
        scores,
        risk_level: risk_from_pb(assessment.risk_level)?,
        note,
        create_time: 0,
    })
}

pub fn assessment_to_pb(assessment: &Assessment) -> pb::Assessment {
    pb::Assessment {
        assessment_id: assessment.assessment_id.clone(),
        case_id: assessment.case_id.clone(),
        record_id: assessment.record_id.clone(),
        date: assessment.date.to_string(),
        round: assessment.round.number(),
        economic: assessment.scores.economic,
        social: assessment.scores.social,
        psychosocial: assessment.scores.psychosocial,
        composite: Some(assessment.scores.composite),
        risk_level: risk_to_pb(assessment.risk_level) as i32,
        note: assessment.note.clone(),
        create_time: assessment.create_time,
    }
}
