//! Case management: a returnee's case and its lifecycle, the services planned and delivered,
//! and the reintegration assessments, in the manner of IOM's return-and-reintegration case
//! management and Primero's case workflow (intake, assessment, case plan, services, follow-up,
//! closure).
//!
//! The lifecycle is one table, [`CaseStatus::allowed_next`]: every entry point (gRPC, CLI,
//! retention) asks it, so an illegal transition is refused the same way everywhere and changes
//! nothing. Validation errors name the field at fault, like [`crate::person::PersonError`].

use crate::person::{MAX_FIELD_BYTES, PartialDate};
use serde::{Deserialize, Serialize};

/// Where a case stands. `Reopened` is a closed case taken up again; `Transferred` is a case whose
/// responsibility passed to another agency or country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CaseStatus {
    Intake,
    Assessment,
    CasePlan,
    Services,
    Monitoring,
    Closed,
    Reopened,
    Transferred,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 8] = [
        CaseStatus::Intake,
        CaseStatus::Assessment,
        CaseStatus::CasePlan,
        CaseStatus::Services,
        CaseStatus::Monitoring,
        CaseStatus::Closed,
        CaseStatus::Reopened,
        CaseStatus::Transferred,
    ];

    /// The lifecycle table: the states a case in this state may move to. Forward along the
    /// workflow; back from services to a revised plan and from monitoring to more services;
    /// from any open state to closed (with a reason) or transferred; a closed or transferred
    /// case only reopens, and a reopened case resumes at any working stage.
    pub fn allowed_next(self) -> &'static [CaseStatus] {
        use CaseStatus::*;
        match self {
            Intake => &[Assessment, Closed, Transferred],
            Assessment => &[CasePlan, Closed, Transferred],
            CasePlan => &[Services, Closed, Transferred],
            Services => &[Monitoring, CasePlan, Closed, Transferred],
            Monitoring => &[Services, Closed, Transferred],
            Closed => &[Reopened],
            Reopened => &[Assessment, CasePlan, Services, Monitoring, Closed, Transferred],
            Transferred => &[Reopened],
        }
    }

    pub fn can_move_to(self, next: CaseStatus) -> bool {
        self.allowed_next().contains(&next)
    }

    /// Closed and transferred cases are no longer worked here: no services or assessments are
    /// recorded on them, and retention counts from when they ended.
    pub fn is_ended(self) -> bool {
        matches!(self, CaseStatus::Closed | CaseStatus::Transferred)
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Intake => "intake",
            CaseStatus::Assessment => "assessment",
            CaseStatus::CasePlan => "case_plan",
            CaseStatus::Services => "services",
            CaseStatus::Monitoring => "monitoring",
            CaseStatus::Closed => "closed",
            CaseStatus::Reopened => "reopened",
            CaseStatus::Transferred => "transferred",
        }
    }

    pub fn parse(text: &str) -> Option<CaseStatus> {
        let text = normalise_label(text);
        CaseStatus::ALL.into_iter().find(|s| s.label() == text || (text == "plan" && *s == CaseStatus::CasePlan))
    }
}

/// Why a case was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClosureReason {
    SupportCompleted,
    NoLongerEligible,
    OptedOut,
    MovedAway,
    Transferred,
    Deceased,
}

impl ClosureReason {
    pub const ALL: [ClosureReason; 6] = [
        ClosureReason::SupportCompleted,
        ClosureReason::NoLongerEligible,
        ClosureReason::OptedOut,
        ClosureReason::MovedAway,
        ClosureReason::Transferred,
        ClosureReason::Deceased,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ClosureReason::SupportCompleted => "support_completed",
            ClosureReason::NoLongerEligible => "no_longer_eligible",
            ClosureReason::OptedOut => "opted_out",
            ClosureReason::MovedAway => "moved_away",
            ClosureReason::Transferred => "transferred",
            ClosureReason::Deceased => "deceased",
        }
    }

    pub fn parse(text: &str) -> Option<ClosureReason> {
        let text = normalise_label(text);
        ClosureReason::ALL.into_iter().find(|r| r.label() == text)
    }
}

/// The legal ground for processing and sharing a person's data when consent is not (or not
/// only) the basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum LegalBasis {
    #[default]
    Unspecified,
    Consent,
    LegalObligation,
    VitalInterest,
    PublicTask,
    BestInterestsOfChild,
}

impl LegalBasis {
    pub const ALL: [LegalBasis; 6] = [
        LegalBasis::Unspecified,
        LegalBasis::Consent,
        LegalBasis::LegalObligation,
        LegalBasis::VitalInterest,
        LegalBasis::PublicTask,
        LegalBasis::BestInterestsOfChild,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LegalBasis::Unspecified => "unspecified",
            LegalBasis::Consent => "consent",
            LegalBasis::LegalObligation => "legal_obligation",
            LegalBasis::VitalInterest => "vital_interest",
            LegalBasis::PublicTask => "public_task",
            LegalBasis::BestInterestsOfChild => "best_interests_of_child",
        }
    }

    pub fn parse(text: &str) -> Option<LegalBasis> {
        let text = normalise_label(text);
        if text.is_empty() {
            return Some(LegalBasis::Unspecified);
        }
        LegalBasis::ALL.into_iter().find(|b| b.label() == text)
    }
}

/// What the person (or their guardian) agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Consent {
    /// To receive services.
    pub services: bool,
    /// To have their data shared with other organisations (referrals, disclosures).
    pub sharing: bool,
    /// To be counted in reporting.
    pub reporting: bool,
    /// To be traced (family tracing and reunification).
    pub tracing: bool,
}

/// One step of a case's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub from: CaseStatus,
    pub to: CaseStatus,
    pub time: i64,
    /// Who, as the audit log names them.
    pub actor: String,
    pub closure_reason: Option<ClosureReason>,
    pub note: String,
}

/// A returnee's case on this node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Assigned by the node, e.g. `case-00000001`.
    pub case_id: String,
    /// The person's record id.
    pub record_id: String,
    pub status: CaseStatus,
    /// Set while the case is closed.
    pub closure_reason: Option<ClosureReason>,
    pub return_date: Option<PartialDate>,
    /// ISO 3166 alpha-2 code of the country the person returned from.
    pub returned_from: String,
    /// Free text: charges, sentence served, documentation status…
    pub legal_situation: String,
    pub agency: String,
    pub caseworker: String,
    pub consent: Consent,
    pub legal_basis: LegalBasis,
    pub history: Vec<StatusChange>,
    pub create_time: i64,
    pub update_time: i64,
    /// When the status last changed (retention counts from here for ended cases).
    pub status_time: i64,
}

/// The fields of a case a caseworker sets directly (everything but id, person, status and
/// times); used for opening a case and for explicit replacement.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseDetails {
    pub return_date: Option<PartialDate>,
    pub returned_from: String,
    pub legal_situation: String,
    pub agency: String,
    pub caseworker: String,
    pub consent: Consent,
    pub legal_basis: LegalBasis,
}

impl CaseDetails {
    /// Trims and checks every field; the first problem names its field.
    pub fn validated(mut self) -> Result<CaseDetails, CaseError> {
        clean("returned_from", &mut self.returned_from)?;
        if !self.returned_from.is_empty() {
            self.returned_from = crate::country::parse(&self.returned_from)
                .ok_or_else(|| {
                    CaseError::invalid("returned_from", format!("unknown country {:?}", self.returned_from))
                })?
                .to_string();
        }
        clean("legal_situation", &mut self.legal_situation)?;
        clean("agency", &mut self.agency)?;
        clean("caseworker", &mut self.caseworker)?;
        Ok(self)
    }
}

impl Case {
    /// A new case at intake.
    pub fn open(case_id: String, record_id: String, details: CaseDetails, time: i64) -> Case {
        let mut case = Case {
            case_id,
            record_id,
            status: CaseStatus::Intake,
            closure_reason: None,
            return_date: None,
            returned_from: String::new(),
            legal_situation: String::new(),
            agency: String::new(),
            caseworker: String::new(),
            consent: Consent::default(),
            legal_basis: LegalBasis::Unspecified,
            history: Vec::new(),
            create_time: time,
            update_time: time,
            status_time: time,
        };
        case.set_details(details);
        case
    }

    pub fn details(&self) -> CaseDetails {
        CaseDetails {
            return_date: self.return_date,
            returned_from: self.returned_from.clone(),
            legal_situation: self.legal_situation.clone(),
            agency: self.agency.clone(),
            caseworker: self.caseworker.clone(),
            consent: self.consent,
            legal_basis: self.legal_basis,
        }
    }

    pub fn set_details(&mut self, details: CaseDetails) {
        self.return_date = details.return_date;
        self.returned_from = details.returned_from;
        self.legal_situation = details.legal_situation;
        self.agency = details.agency;
        self.caseworker = details.caseworker;
        self.consent = details.consent;
        self.legal_basis = details.legal_basis;
    }

    /// Moves the case to `to` if the lifecycle allows it. Closing needs a reason; any other
    /// move refuses one. On error the case is unchanged.
    pub fn transition(
        &mut self,
        to: CaseStatus,
        closure_reason: Option<ClosureReason>,
        note: &str,
        actor: &str,
        time: i64,
    ) -> Result<(), CaseError> {
        if note.len() > MAX_FIELD_BYTES {
            return Err(CaseError::invalid("note", format!("longer than {MAX_FIELD_BYTES} bytes")));
        }
        match (to, closure_reason) {
            (CaseStatus::Closed, None) => {
                return Err(CaseError::invalid(
                    "closure_reason",
                    "closing a case needs a reason (support_completed, no_longer_eligible, opted_out, moved_away, transferred, deceased)",
                ));
            }
            (to, Some(_)) if to != CaseStatus::Closed => {
                return Err(CaseError::invalid("closure_reason", "only a closure takes a reason"));
            }
            _ => {}
        }
        if !self.status.can_move_to(to) {
            let allowed: Vec<&str> = self.status.allowed_next().iter().map(|s| s.label()).collect();
            return Err(CaseError::IllegalTransition { from: self.status, to, allowed: allowed.join(", ") });
        }
        self.history.push(StatusChange {
            from: self.status,
            to,
            time,
            actor: actor.to_string(),
            closure_reason,
            note: note.trim().to_string(),
        });
        self.status = to;
        self.closure_reason = closure_reason;
        self.status_time = time;
        self.update_time = time;
        Ok(())
    }
}

/// The service types of the brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceType {
    Psychosocial,
    Medical,
    LegalAid,
    CivilDocumentation,
    Education,
    VocationalTraining,
    Employment,
    BusinessStartup,
    Housing,
    SocialProtection,
    FamilyMediation,
    ReligiousCounselling,
    CommunityEngagement,
}

impl ServiceType {
    pub const ALL: [ServiceType; 13] = [
        ServiceType::Psychosocial,
        ServiceType::Medical,
        ServiceType::LegalAid,
        ServiceType::CivilDocumentation,
        ServiceType::Education,
        ServiceType::VocationalTraining,
        ServiceType::Employment,
        ServiceType::BusinessStartup,
        ServiceType::Housing,
        ServiceType::SocialProtection,
        ServiceType::FamilyMediation,
        ServiceType::ReligiousCounselling,
        ServiceType::CommunityEngagement,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ServiceType::Psychosocial => "psychosocial",
            ServiceType::Medical => "medical",
            ServiceType::LegalAid => "legal_aid",
            ServiceType::CivilDocumentation => "civil_documentation",
            ServiceType::Education => "education",
            ServiceType::VocationalTraining => "vocational_training",
            ServiceType::Employment => "employment",
            ServiceType::BusinessStartup => "business_startup",
            ServiceType::Housing => "housing",
            ServiceType::SocialProtection => "social_protection",
            ServiceType::FamilyMediation => "family_mediation",
            ServiceType::ReligiousCounselling => "religious_counselling",
            ServiceType::CommunityEngagement => "community_engagement",
        }
    }

    pub fn parse(text: &str) -> Option<ServiceType> {
        let text = normalise_label(text);
        let alias = match text.as_str() {
            "mental_health" | "psychosocial_mental_health" => Some(ServiceType::Psychosocial),
            "school_enrolment" | "school" => Some(ServiceType::Education),
            "job_placement" => Some(ServiceType::Employment),
            "family_reunification" => Some(ServiceType::FamilyMediation),
            _ => None,
        };
        alias.or_else(|| ServiceType::ALL.into_iter().find(|t| t.label() == text))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum ProviderKind {
    #[default]
    Unspecified,
    Government,
    Ngo,
    InternationalOrganisation,
}

impl ProviderKind {
    pub fn label(self) -> &'static str {
        match self {
            ProviderKind::Unspecified => "unspecified",
            ProviderKind::Government => "government",
            ProviderKind::Ngo => "ngo",
            ProviderKind::InternationalOrganisation => "international_organisation",
        }
    }

    pub fn parse(text: &str) -> Option<ProviderKind> {
        match normalise_label(text).as_str() {
            "" | "unspecified" => Some(ProviderKind::Unspecified),
            "government" | "gov" | "state" => Some(ProviderKind::Government),
            "ngo" => Some(ProviderKind::Ngo),
            "international_organisation" | "international_organization" | "io" => {
                Some(ProviderKind::InternationalOrganisation)
            }
            _ => None,
        }
    }
}

/// How a service ended, or that it has not yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum ServiceOutcome {
    #[default]
    Pending,
    Completed,
    PartiallyCompleted,
    DroppedOut,
    Declined,
    NotAvailable,
}

impl ServiceOutcome {
    pub const ALL: [ServiceOutcome; 6] = [
        ServiceOutcome::Pending,
        ServiceOutcome::Completed,
        ServiceOutcome::PartiallyCompleted,
        ServiceOutcome::DroppedOut,
        ServiceOutcome::Declined,
        ServiceOutcome::NotAvailable,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ServiceOutcome::Pending => "pending",
            ServiceOutcome::Completed => "completed",
            ServiceOutcome::PartiallyCompleted => "partially_completed",
            ServiceOutcome::DroppedOut => "dropped_out",
            ServiceOutcome::Declined => "declined",
            ServiceOutcome::NotAvailable => "not_available",
        }
    }

    pub fn parse(text: &str) -> Option<ServiceOutcome> {
        let text = normalise_label(text);
        if text.is_empty() {
            return Some(ServiceOutcome::Pending);
        }
        ServiceOutcome::ALL.into_iter().find(|o| o.label() == text)
    }
}

/// A service planned or delivered within a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Assigned by the node, e.g. `svc-00000001`.
    pub service_id: String,
    pub case_id: String,
    pub record_id: String,
    pub details: ServiceDetails,
    pub create_time: i64,
    pub update_time: i64,
}

/// What a caseworker records about a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDetails {
    pub service_type: ServiceType,
    pub provider: String,
    pub provider_kind: ProviderKind,
    pub referred: Option<PartialDate>,
    pub started: Option<PartialDate>,
    pub completed: Option<PartialDate>,
    pub outcome: ServiceOutcome,
    pub note: String,
}

impl ServiceDetails {
    /// Trims and checks; dates must be in order (referred ≤ started ≤ completed), and a
    /// completion date goes with an outcome other than pending.
    pub fn validated(mut self) -> Result<ServiceDetails, CaseError> {
        clean("provider", &mut self.provider)?;
        clean("note", &mut self.note)?;
        let order =
            [("referred_date", self.referred), ("started_date", self.started), ("completed_date", self.completed)];
        for (i, (later_field, later)) in order.iter().enumerate() {
            for (earlier_field, earlier) in &order[..i] {
                if let (Some(a), Some(b)) = (earlier, later)
                    && b < a
                {
                    return Err(CaseError::invalid(later_field, format!("{b} is before {earlier_field} {a}")));
                }
            }
        }
        if self.completed.is_some() && self.outcome == ServiceOutcome::Pending {
            return Err(CaseError::invalid("outcome", "a completed service needs an outcome other than pending"));
        }
        Ok(self)
    }
}

/// Which assessment of a case this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AssessmentRound {
    Baseline,
    /// Follow-up number n, from 1.
    FollowUp(u32),
}

impl AssessmentRound {
    /// `baseline`, `follow_up_N`, `followup-N` or a bare number (0 is baseline).
    pub fn parse(text: &str) -> Option<AssessmentRound> {
        let text = normalise_label(text);
        if text == "baseline" || text == "0" {
            return Some(AssessmentRound::Baseline);
        }
        let number = text
            .strip_prefix("follow_up_")
            .or_else(|| text.strip_prefix("followup_"))
            .or_else(|| text.strip_prefix("follow_up"))
            .unwrap_or(&text);
        number.parse::<u32>().ok().filter(|n| *n > 0).map(AssessmentRound::FollowUp)
    }

    /// 0 for the baseline, n for follow-up n.
    pub fn number(self) -> u32 {
        match self {
            AssessmentRound::Baseline => 0,
            AssessmentRound::FollowUp(n) => n,
        }
    }

    pub fn from_number(n: u32) -> AssessmentRound {
        if n == 0 { AssessmentRound::Baseline } else { AssessmentRound::FollowUp(n) }
    }

    pub fn label(self) -> String {
        match self {
            AssessmentRound::Baseline => "baseline".into(),
            AssessmentRound::FollowUp(n) => format!("follow_up_{n}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub enum RiskLevel {
    #[default]
    Unspecified,
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::Unspecified => "unspecified",
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }

    pub fn parse(text: &str) -> Option<RiskLevel> {
        match normalise_label(text).as_str() {
            "" | "unspecified" => Some(RiskLevel::Unspecified),
            "low" => Some(RiskLevel::Low),
            "medium" => Some(RiskLevel::Medium),
            "high" => Some(RiskLevel::High),
            _ => None,
        }
    }
}

/// Reintegration scores per dimension, each in 0..=1 as in IOM's Reintegration Sustainability
/// Survey. The composite, when not given, is the unweighted mean of the three.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub economic: f64,
    pub social: f64,
    pub psychosocial: f64,
    pub composite: f64,
}

/// One assessment of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// Assigned by the node, e.g. `asm-00000001`.
    pub assessment_id: String,
    pub case_id: String,
    pub record_id: String,
    pub date: PartialDate,
    pub round: AssessmentRound,
    pub scores: Scores,
    pub risk_level: RiskLevel,
    pub note: String,
    pub create_time: i64,
}

impl Assessment {
    /// Checks the scores (finite, 0..=1), fills in a missing composite, and requires a full
    /// date.
    pub fn check_scores(
        economic: f64,
        social: f64,
        psychosocial: f64,
        composite: Option<f64>,
    ) -> Result<Scores, CaseError> {
        for (field, value) in [("economic", economic), ("social", social), ("psychosocial", psychosocial)]
            .into_iter()
            .chain(composite.map(|c| ("composite", c)))
        {
            if !value.is_finite() || !(0.0..=1.0).contains(&value) {
                return Err(CaseError::invalid(field, format!("{value} is not a score between 0 and 1")));
            }
        }
        let composite = composite.unwrap_or((economic + social + psychosocial) / 3.0);
        Ok(Scores { economic, social, psychosocial, composite })
    }
}

/// Parses a date that must be complete (YYYY-MM-DD or DD.MM.YYYY, see [`PartialDate::parse`]);
/// empty is `None`.
pub fn parse_full_date(field: &'static str, text: &str) -> Result<Option<PartialDate>, CaseError> {
    let date = PartialDate::parse(text).map_err(|e| {
        let reason = e.to_string();
        CaseError::invalid(field, reason.strip_prefix("date_of_birth: ").unwrap_or(&reason).to_string())
    })?;
    if let Some(d) = date
        && d.day.is_none()
    {
        return Err(CaseError::invalid(field, format!("{text:?} is not a full date (YYYY-MM-DD)")));
    }
    Ok(date)
}

/// Parses a date that may be partial (YYYY-MM-DD, YYYY-MM, YYYY); empty is `None`.
pub fn parse_partial_date(field: &'static str, text: &str) -> Result<Option<PartialDate>, CaseError> {
    PartialDate::parse(text).map_err(|e| {
        let reason = e.to_string();
        CaseError::invalid(field, reason.strip_prefix("date_of_birth: ").unwrap_or(&reason).to_string())
    })
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("a case cannot move from {} to {} (allowed: {allowed})", from.label(), to.label())]
    IllegalTransition { from: CaseStatus, to: CaseStatus, allowed: String },
    /// A change to a closed or transferred case, which is kept as it ended until reopened.
    #[error("the case is {}: reopen it before changing {what}", status.label())]
    Ended { status: CaseStatus, what: &'static str },
}

impl CaseError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> CaseError {
        CaseError::Invalid { field, reason: reason.into() }
    }
}

fn clean(field: &'static str, value: &mut String) -> Result<(), CaseError> {
    let trimmed = value.trim();
    if trimmed.len() > MAX_FIELD_BYTES {
        return Err(CaseError::invalid(field, format!("longer than {MAX_FIELD_BYTES} bytes")));
    }
    if trimmed.chars().any(|c| c.is_control()) {
        return Err(CaseError::invalid(field, "contains control characters"));
    }
    if trimmed.len() != value.len() {
        *value = trimmed.to_string();
    }
    Ok(())
}

/// `Case Plan`, `case-plan` and `CASE_PLAN` all read as `case_plan`.
fn normalise_label(text: &str) -> String {
    text.trim().to_lowercase().replace([' ', '-'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case_at(status: CaseStatus) -> Case {
        let mut case = Case::open("case-1".into(), "r1".into(), CaseDetails::default(), 0);
        case.status = status;
        case
    }

    #[test]
    fn every_pair_of_states_follows_the_table() {
        for from in CaseStatus::ALL {
            for to in CaseStatus::ALL {
                let mut case = case_at(from);
                let before = case.clone();
                let reason = (to == CaseStatus::Closed).then_some(ClosureReason::SupportCompleted);
                let result = case.transition(to, reason, "", "tester", 10);
                if from.can_move_to(to) {
                    assert!(result.is_ok(), "{from:?} -> {to:?}: {result:?}");
                    assert_eq!(case.status, to);
                    assert_eq!(case.history.len(), 1);
                } else {
                    assert!(
                        matches!(result, Err(CaseError::IllegalTransition { .. })),
                        "{from:?} -> {to:?}: {result:?}"
                    );
                    assert_eq!(case, before, "a refused transition changes nothing");
                }
            }
        }
    }

    #[test]
    fn closing_needs_a_reason_and_only_closing_takes_one() {
        let mut case = case_at(CaseStatus::Monitoring);
        let err = case.transition(CaseStatus::Closed, None, "", "t", 1).unwrap_err();
        assert!(err.to_string().starts_with("closure_reason:"), "{err}");
        let err = case.transition(CaseStatus::Services, Some(ClosureReason::Deceased), "", "t", 1).unwrap_err();
        assert!(err.to_string().starts_with("closure_reason:"), "{err}");
        assert_eq!(case.status, CaseStatus::Monitoring);
    }

    #[test]
    fn labels_parse_back() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.label()), Some(s));
        }
        for r in ClosureReason::ALL {
            assert_eq!(ClosureReason::parse(r.label()), Some(r));
        }
        for t in ServiceType::ALL {
            assert_eq!(ServiceType::parse(t.label()), Some(t));
        }
        assert_eq!(CaseStatus::parse("Case Plan"), Some(CaseStatus::CasePlan));
        assert_eq!(AssessmentRound::parse("baseline"), Some(AssessmentRound::Baseline));
        assert_eq!(AssessmentRound::parse("follow-up-2"), Some(AssessmentRound::FollowUp(2)));
        assert_eq!(AssessmentRound::parse("3"), Some(AssessmentRound::FollowUp(3)));
        assert_eq!(AssessmentRound::parse("later"), None);
    }

    #[test]
    fn scores_out_of_range_are_refused_by_field() {
        let check = |e: f64, s: f64, p: f64, c: Option<f64>, field: Option<&str>| {
            let result = Assessment::check_scores(e, s, p, c);
            match field {
                None => assert!(result.is_ok(), "{result:?}"),
                Some(field) => {
                    assert!(result.unwrap_err().to_string().starts_with(&format!("{field}:")));
                }
            }
        };
        check(0.0, 0.5, 1.0, None, None);
        check(1.2, 0.5, 0.5, None, Some("economic"));
        check(0.5, -0.1, 0.5, None, Some("social"));
        check(0.5, 0.5, f64::NAN, None, Some("psychosocial"));
        check(0.5, 0.5, 0.5, Some(2.0), Some("composite"));
        let scores = Assessment::check_scores(0.3, 0.6, 0.9, None).unwrap();
        assert!((scores.composite - 0.6).abs() < 1e-9);
    }

    #[test]
    fn service_dates_must_be_in_order() {
        let details = |referred: &str, started: &str, completed: &str, outcome| ServiceDetails {
            service_type: ServiceType::Housing,
            provider: "Akimat".into(),
            provider_kind: ProviderKind::Government,
            referred: parse_full_date("referred", referred).unwrap(),
            started: parse_full_date("started", started).unwrap(),
            completed: parse_full_date("completed", completed).unwrap(),
            outcome,
            note: String::new(),
        };
        assert!(details("2025-01-01", "2025-02-01", "2025-03-01", ServiceOutcome::Completed).validated().is_ok());
        let err = details("2025-03-01", "2025-02-01", "", ServiceOutcome::Pending).validated().unwrap_err();
        assert!(err.to_string().starts_with("started_date:"), "{err}");
        let err = details("2025-01-01", "", "2024-12-01", ServiceOutcome::Completed).validated().unwrap_err();
        assert!(err.to_string().starts_with("completed_date:"), "{err}");
        let err = details("", "", "2025-01-01", ServiceOutcome::Pending).validated().unwrap_err();
        assert!(err.to_string().starts_with("outcome:"), "{err}");
        assert!(parse_full_date("started", "2025-01").unwrap_err().to_string().starts_with("started:"));
    }
}
