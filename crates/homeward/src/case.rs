//! Caseworker commands for case management: `homeward case`, `homeward service` and
//! `homeward assessment`. Values are given as words (`case_plan`, `legal_aid`, `ngo`), checked
//! here so that a typo names the flag at fault before anything is sent; tables by default,
//! `--json` for scripts.

use crate::connect::ConnectArgs;
use crate::output::{table, time};
use crate::person::status_error;
use anyhow::{Context, anyhow};
use clap::{Args, Subcommand};
use homeward_core::case::{
    AssessmentRound, CaseStatus, ClosureReason, LegalBasis, ProviderKind, RiskLevel, ServiceOutcome, ServiceType,
};
use homeward_proto::case as convert;
use homeward_proto::pb;

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Open a case at intake for an enrolled person.
    Open {
        /// The person's record id.
        #[arg(long)]
        record: String,
        #[command(flatten)]
        details: CaseDetailsArgs,
        #[arg(long)]
        json: bool,
    },
    /// Show one case with its history.
    Get {
        case_id: String,
        #[arg(long)]
        json: bool,
    },
    /// List cases in id order.
    List(CaseListArgs),
    /// Change a case's details; only the flags given are changed.
    Update {
        case_id: String,
        #[command(flatten)]
        details: CaseDetailsArgs,
        #[arg(long)]
        json: bool,
    },
    /// Move a case along its lifecycle: intake, assessment, case_plan, services, monitoring,
    /// closed (needs --reason), reopened, transferred.
    Transition {
        case_id: String,
        #[arg(long)]
        to: String,
        /// Closure reason: support_completed, no_longer_eligible, opted_out, moved_away,
        /// transferred, deceased.
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Close a case with a reason.
    Close {
        case_id: String,
        /// support_completed, no_longer_eligible, opted_out, moved_away, transferred, deceased.
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Reopen a closed or transferred case.
    Reopen {
        case_id: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct CaseDetailsArgs {
    /// Return date: YYYY-MM-DD, YYYY-MM or YYYY.
    #[arg(long)]
    pub return_date: Option<String>,
    /// Country returned from (alpha-2, alpha-3 or name).
    #[arg(long)]
    pub returned_from: Option<String>,
    #[arg(long)]
    pub legal_situation: Option<String>,
    #[arg(long)]
    pub agency: Option<String>,
    #[arg(long)]
    pub caseworker: Option<String>,
    /// Consent given, comma separated: services, sharing, reporting, tracing (or `none`).
    #[arg(long)]
    pub consent: Option<String>,
    /// consent, legal_obligation, vital_interest, public_task, best_interests_of_child.
    #[arg(long)]
    pub legal_basis: Option<String>,
}

impl CaseDetailsArgs {
    /// The case message and the mask of the fields given.
    fn to_pb(&self) -> anyhow::Result<(pb::Case, Vec<String>)> {
        let mut case = pb::Case::default();
        let mut mask = Vec::new();
        let mut set = |path: &str, given: bool| {
            if given {
                mask.push(path.to_string());
            }
        };
        set("return_date", self.return_date.is_some());
        set("returned_from", self.returned_from.is_some());
        set("legal_situation", self.legal_situation.is_some());
        set("agency", self.agency.is_some());
        set("caseworker", self.caseworker.is_some());
        set("consent", self.consent.is_some());
        set("legal_basis", self.legal_basis.is_some());
        case.return_date = self.return_date.clone().unwrap_or_default();
        case.returned_from = self.returned_from.clone().unwrap_or_default();
        case.legal_situation = self.legal_situation.clone().unwrap_or_default();
        case.agency = self.agency.clone().unwrap_or_default();
        case.caseworker = self.caseworker.clone().unwrap_or_default();
        if let Some(consent) = &self.consent {
            let mut flags = pb::Consent::default();
            for word in consent.split(',').map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()) {
                match word.as_str() {
                    "services" => flags.services = true,
                    "sharing" => flags.sharing = true,
                    "reporting" => flags.reporting = true,
                    "tracing" => flags.tracing = true,
                    "none" => {}
                    other => anyhow::bail!(
                        "--consent: unknown flag {other:?} (services, sharing, reporting, tracing or none)"
                    ),
                }
            }
            case.consent = Some(flags);
        }
        if let Some(basis) = &self.legal_basis {
            let basis = LegalBasis::parse(basis).ok_or_else(|| {
                anyhow!(
                    "--legal-basis: unknown {basis:?} (consent, legal_obligation, vital_interest, public_task, best_interests_of_child)"
                )
            })?;
            case.legal_basis = convert::basis_to_pb(basis) as i32;
        }
        Ok((case, mask))
    }
}

#[derive(Debug, Args)]
pub struct CaseListArgs {
    #[arg(long, default_value = "")]
    pub record: String,
    /// Only cases in this status.
    #[arg(long, default_value = "")]
    pub status: String,
    #[arg(long, default_value = "")]
    pub caseworker: String,
    #[arg(long, default_value = "")]
    pub agency: String,
    #[arg(long, default_value_t = 50)]
    pub page_size: u32,
    #[arg(long, default_value = "")]
    pub page_token: String,
    /// Fetch every page.
    #[arg(long)]
    pub all: bool,
    #[arg(long)]
    pub json: bool,
}

fn parse_status(flag: &str, text: &str) -> anyhow::Result<CaseStatus> {
    CaseStatus::parse(text).ok_or_else(|| {
        let all: Vec<&str> = CaseStatus::ALL.iter().map(|s| s.label()).collect();
        anyhow!("{flag}: unknown status {text:?} (one of {})", all.join(", "))
    })
}

fn parse_reason(text: &str) -> anyhow::Result<ClosureReason> {
    ClosureReason::parse(text).ok_or_else(|| {
        let all: Vec<&str> = ClosureReason::ALL.iter().map(|r| r.label()).collect();
        anyhow!("--reason: unknown closure reason {text:?} (one of {})", all.join(", "))
    })
}

fn status_label(value: i32) -> &'static str {
    convert::status_from_pb("status", value).ok().flatten().map(|s| s.label()).unwrap_or("")
}

fn reason_label(value: i32) -> &'static str {
    convert::closure_from_pb(value).ok().flatten().map(|r| r.label()).unwrap_or("")
}

fn case_json(c: &pb::Case) -> serde_json::Value {
    let consent = c.consent.unwrap_or_default();
    serde_json::json!({
        "case_id": c.case_id, "record_id": c.record_id, "status": status_label(c.status),
        "closure_reason": reason_label(c.closure_reason), "return_date": c.return_date,
        "returned_from": c.returned_from, "legal_situation": c.legal_situation, "agency": c.agency,
        "caseworker": c.caseworker,
        "consent": {"services": consent.services, "sharing": consent.sharing, "reporting": consent.reporting, "tracing": consent.tracing},
        "legal_basis": convert::basis_from_pb(c.legal_basis).map(|b| b.label()).unwrap_or(""),
        "history": c.history.iter().map(|h| serde_json::json!({
            "from": status_label(h.from), "to": status_label(h.to), "time": h.time, "actor": h.actor,
            "closure_reason": reason_label(h.closure_reason), "note": h.note,
        })).collect::<Vec<_>>(),
        "create_time": c.create_time, "update_time": c.update_time, "status_time": c.status_time,
    })
}

const CASE_HEADER: &[&str] = &["CASE", "RECORD", "STATUS", "REASON", "AGENCY", "CASEWORKER", "RETURNED", "UPDATED"];

fn case_row(c: &pb::Case) -> Vec<String> {
    let returned = match (c.return_date.as_str(), c.returned_from.as_str()) {
        ("", "") => String::new(),
        (date, "") => date.to_string(),
        (date, from) => format!("{date} from {from}").trim().to_string(),
    };
    vec![
        c.case_id.clone(),
        c.record_id.clone(),
        status_label(c.status).to_string(),
        reason_label(c.closure_reason).to_string(),
        c.agency.clone(),
        c.caseworker.clone(),
        returned,
        time(c.update_time),
    ]
}

fn show_case(c: &pb::Case, json: bool) {
    if json {
        println!("{}", case_json(c));
        return;
    }
    print!("{}", table(CASE_HEADER, &[case_row(c)]));
    let consent = c.consent.unwrap_or_default();
    let given: Vec<&str> = [
        ("services", consent.services),
        ("sharing", consent.sharing),
        ("reporting", consent.reporting),
        ("tracing", consent.tracing),
    ]
    .into_iter()
    .filter(|(_, on)| *on)
    .map(|(name, _)| name)
    .collect();
    println!(
        "consent: {}; legal basis: {}",
        if given.is_empty() { "none".to_string() } else { given.join(", ") },
        convert::basis_from_pb(c.legal_basis).map(|b| b.label()).unwrap_or("")
    );
    if !c.legal_situation.is_empty() {
        println!("legal situation: {}", c.legal_situation);
    }
    for h in &c.history {
        let reason = reason_label(h.closure_reason);
        println!(
            "  {}  {} → {}{}  by {}{}",
            time(h.time),
            status_label(h.from),
            status_label(h.to),
            if reason.is_empty() { String::new() } else { format!(" ({reason})") },
            h.actor,
            if h.note.is_empty() { String::new() } else { format!(": {}", h.note) }
        );
    }
}

async fn transition(
    connect: &ConnectArgs,
    case_id: String,
    to: CaseStatus,
    reason: Option<ClosureReason>,
    note: String,
    json: bool,
) -> anyhow::Result<()> {
    let mut client = connect.registry().await?;
    let request = pb::TransitionCaseRequest {
        case_id,
        to: convert::status_to_pb(to) as i32,
        closure_reason: convert::closure_to_pb(reason) as i32,
        note,
    };
    let case = client.transition_case(request).await.map_err(status_error)?.into_inner();
    show_case(&case, json);
    Ok(())
}

pub async fn run_case(connect: &ConnectArgs, command: CaseCommand) -> anyhow::Result<()> {
    match command {
        CaseCommand::Open { record, details, json } => {
            let (mut case, _) = details.to_pb()?;
            case.record_id = record;
            let mut client = connect.registry().await?;
            let case =
                client.open_case(pb::OpenCaseRequest { case: Some(case) }).await.map_err(status_error)?.into_inner();
            show_case(&case, json);
        }
        CaseCommand::Get { case_id, json } => {
            let mut client = connect.registry().await?;
            let case = client.get_case(pb::GetCaseRequest { case_id }).await.map_err(status_error)?.into_inner();
            show_case(&case, json);
        }
        CaseCommand::Update { case_id, details, json } => {
            let (mut case, update_mask) = details.to_pb()?;
            anyhow::ensure!(!update_mask.is_empty(), "nothing to change: give at least one field flag");
            case.case_id = case_id;
            let mut client = connect.registry().await?;
            let case = client
                .update_case(pb::UpdateCaseRequest { case: Some(case), update_mask })
                .await
                .map_err(status_error)?
                .into_inner();
            show_case(&case, json);
        }
        CaseCommand::Transition { case_id, to, reason, note, json } => {
            let to = parse_status("--to", &to)?;
            let reason = if reason.is_empty() { None } else { Some(parse_reason(&reason)?) };
            transition(connect, case_id, to, reason, note, json).await?;
        }
        CaseCommand::Close { case_id, reason, note, json } => {
            let reason = parse_reason(&reason)?;
            transition(connect, case_id, CaseStatus::Closed, Some(reason), note, json).await?;
        }
        CaseCommand::Reopen { case_id, note, json } => {
            transition(connect, case_id, CaseStatus::Reopened, None, note, json).await?;
        }
        CaseCommand::List(args) => {
            let status = if args.status.is_empty() {
                pb::CaseStatus::Unspecified
            } else {
                convert::status_to_pb(parse_status("--status", &args.status)?)
            };
            let mut client = connect.registry().await?;
            let mut cases = Vec::new();
            let mut page_token = args.page_token.clone();
            let next = loop {
                let page = client
                    .list_cases(pb::ListCasesRequest {
                        page_size: args.page_size,
                        page_token,
                        record_id: args.record.clone(),
                        status: status as i32,
                        caseworker: args.caseworker.clone(),
                        agency: args.agency.clone(),
                    })
                    .await
                    .map_err(status_error)?
                    .into_inner();
                cases.extend(page.cases);
                if !args.all || page.next_page_token.is_empty() {
                    break page.next_page_token;
                }
                page_token = page.next_page_token;
            };
            if args.json {
                let value = serde_json::json!({"cases": cases.iter().map(case_json).collect::<Vec<_>>(), "next_page_token": next});
                println!("{value}");
            } else {
                let rows: Vec<Vec<String>> = cases.iter().map(case_row).collect();
                print!("{}", table(CASE_HEADER, &rows));
                if !next.is_empty() {
                    println!("more: --page-token {next}");
                }
            }
        }
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum ServiceCommand {
    /// Record a service on an open case.
    Add {
        #[arg(long = "case")]
        case_id: String,
        #[command(flatten)]
        fields: ServiceArgs,
        #[arg(long)]
        json: bool,
    },
    /// Change a service; only the flags given are changed.
    Update {
        #[arg(long = "case")]
        case_id: String,
        #[arg(long = "service")]
        service_id: String,
        #[command(flatten)]
        fields: ServiceArgs,
        #[arg(long)]
        json: bool,
    },
    /// List services (of a case, a person, or all), in id order within each case.
    List {
        #[arg(long = "case", default_value = "")]
        case_id: String,
        #[arg(long, default_value = "")]
        record: String,
        #[arg(long = "type", default_value = "")]
        service_type: String,
        #[arg(long, default_value_t = 100)]
        page_size: u32,
        #[arg(long, default_value = "")]
        page_token: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ServiceArgs {
    /// psychosocial, medical, legal_aid, civil_documentation, education, vocational_training,
    /// employment, business_startup, housing, social_protection, family_mediation,
    /// religious_counselling, community_engagement.
    #[arg(long = "type")]
    pub service_type: Option<String>,
    #[arg(long)]
    pub provider: Option<String>,
    /// government, ngo, international_organisation.
    #[arg(long)]
    pub provider_kind: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    pub referred: Option<String>,
    #[arg(long)]
    pub started: Option<String>,
    #[arg(long)]
    pub completed: Option<String>,
    /// pending, completed, partially_completed, dropped_out, declined, not_available.
    #[arg(long)]
    pub outcome: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

impl ServiceArgs {
    fn to_pb(&self) -> anyhow::Result<(pb::Service, Vec<String>)> {
        let mut service = pb::Service::default();
        let mut mask = Vec::new();
        if let Some(text) = &self.service_type {
            let kind = ServiceType::parse(text).ok_or_else(|| {
                let all: Vec<&str> = ServiceType::ALL.iter().map(|t| t.label()).collect();
                anyhow!("--type: unknown service type {text:?} (one of {})", all.join(", "))
            })?;
            service.r#type = convert::service_type_to_pb(kind) as i32;
            mask.push("type".to_string());
        }
        if let Some(text) = &self.provider_kind {
            let kind = ProviderKind::parse(text).ok_or_else(|| {
                anyhow!("--provider-kind: unknown {text:?} (government, ngo, international_organisation)")
            })?;
            service.provider_kind = convert::provider_kind_to_pb(kind) as i32;
            mask.push("provider_kind".to_string());
        }
        if let Some(text) = &self.outcome {
            let outcome = ServiceOutcome::parse(text).ok_or_else(|| {
                let all: Vec<&str> = ServiceOutcome::ALL.iter().map(|o| o.label()).collect();
                anyhow!("--outcome: unknown outcome {text:?} (one of {})", all.join(", "))
            })?;
            service.outcome = convert::outcome_to_pb(outcome) as i32;
            mask.push("outcome".to_string());
        }
        for (path, value, target) in [
            ("provider", &self.provider, &mut service.provider),
            ("referred_date", &self.referred, &mut service.referred_date),
            ("started_date", &self.started, &mut service.started_date),
            ("completed_date", &self.completed, &mut service.completed_date),
            ("note", &self.note, &mut service.note),
        ] {
            if let Some(value) = value {
                *target = value.clone();
                mask.push(path.to_string());
            }
        }
        Ok((service, mask))
    }
}

fn service_json(s: &pb::Service) -> serde_json::Value {
    serde_json::json!({
        "service_id": s.service_id, "case_id": s.case_id, "record_id": s.record_id,
        "type": service_type_label(s.r#type), "provider": s.provider,
        "provider_kind": convert::provider_kind_from_pb(s.provider_kind).map(|k| k.label()).unwrap_or(""),
        "referred_date": s.referred_date, "started_date": s.started_date, "completed_date": s.completed_date,
        "outcome": outcome_label(s.outcome), "note": s.note,
        "create_time": s.create_time, "update_time": s.update_time,
    })
}

fn service_type_label(value: i32) -> &'static str {
    convert::service_type_from_pb(value, false).ok().flatten().map(|t| t.label()).unwrap_or("")
}

fn outcome_label(value: i32) -> &'static str {
    convert::outcome_from_pb(value).map(|o| o.label()).unwrap_or("")
}

const SERVICE_HEADER: &[&str] =
    &["SERVICE", "CASE", "TYPE", "PROVIDER", "KIND", "REFERRED", "STARTED", "COMPLETED", "OUTCOME"];

fn service_row(s: &pb::Service) -> Vec<String> {
    vec![
        s.service_id.clone(),
        s.case_id.clone(),
        service_type_label(s.r#type).into(),
        s.provider.clone(),
        convert::provider_kind_from_pb(s.provider_kind).map(|k| k.label()).unwrap_or("").into(),
        s.referred_date.clone(),
        s.started_date.clone(),
        s.completed_date.clone(),
        outcome_label(s.outcome).into(),
    ]
}

fn show_services(services: &[pb::Service], next: &str, json: bool) {
    if json {
        if let [one] = services
            && next.is_empty()
        {
            println!("{}", service_json(one));
        } else {
            let value = serde_json::json!({"services": services.iter().map(service_json).collect::<Vec<_>>(), "next_page_token": next});
            println!("{value}");
        }
        return;
    }
    print!("{}", table(SERVICE_HEADER, &services.iter().map(service_row).collect::<Vec<_>>()));
    if !next.is_empty() {
        println!("more: --page-token {next}");
    }
}

pub async fn run_service(connect: &ConnectArgs, command: ServiceCommand) -> anyhow::Result<()> {
    match command {
        ServiceCommand::Add { case_id, fields, json } => {
            let (service, _) = fields.to_pb()?;
            anyhow::ensure!(fields.service_type.is_some(), "--type: required");
            let mut client = connect.registry().await?;
            let service = client
                .add_service(pb::AddServiceRequest { case_id, service: Some(service) })
                .await
                .map_err(status_error)?
                .into_inner();
            if json {
                println!("{}", service_json(&service));
            } else {
                show_services(&[service], "", false);
            }
        }
        ServiceCommand::Update { case_id, service_id, fields, json } => {
            let (mut service, update_mask) = fields.to_pb()?;
            anyhow::ensure!(!update_mask.is_empty(), "nothing to change: give at least one field flag");
            service.case_id = case_id;
            service.service_id = service_id;
            let mut client = connect.registry().await?;
            let service = client
                .update_service(pb::UpdateServiceRequest { service: Some(service), update_mask })
                .await
                .map_err(status_error)?
                .into_inner();
            if json {
                println!("{}", service_json(&service));
            } else {
                show_services(&[service], "", false);
            }
        }
        ServiceCommand::List { case_id, record, service_type, page_size, page_token, json } => {
            let r#type = if service_type.is_empty() {
                0
            } else {
                let kind = ServiceType::parse(&service_type)
                    .with_context(|| format!("--type: unknown service type {service_type:?}"))?;
                convert::service_type_to_pb(kind) as i32
            };
            let mut client = connect.registry().await?;
            let page = client
                .list_services(pb::ListServicesRequest { page_size, page_token, case_id, record_id: record, r#type })
                .await
                .map_err(status_error)?
                .into_inner();
            if json {
                let value = serde_json::json!({"services": page.services.iter().map(service_json).collect::<Vec<_>>(), "next_page_token": page.next_page_token});
                println!("{value}");
            } else {
                show_services(&page.services, &page.next_page_token, false);
            }
        }
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum AssessmentCommand {
    /// Record an assessment (scores in 0..1) on an open case.
    Add {
        #[arg(long = "case")]
        case_id: String,
        /// baseline, follow_up_N (or N).
        #[arg(long)]
        round: String,
        /// YYYY-MM-DD
        #[arg(long)]
        date: String,
        /// Scores from 0 to 1 (a value outside is refused by the node, naming the score).
        #[arg(long, allow_negative_numbers = true)]
        economic: f64,
        #[arg(long, allow_negative_numbers = true)]
        social: f64,
        #[arg(long, allow_negative_numbers = true)]
        psychosocial: f64,
        /// Defaults to the mean of the three.
        #[arg(long, allow_negative_numbers = true)]
        composite: Option<f64>,
        /// low, medium, high.
        #[arg(long, default_value = "")]
        risk: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// List assessments of a case, a person, or all.
    List {
        #[arg(long = "case", default_value = "")]
        case_id: String,
        #[arg(long, default_value = "")]
        record: String,
        #[arg(long, default_value_t = 100)]
        page_size: u32,
        #[arg(long, default_value = "")]
        page_token: String,
        #[arg(long)]
        json: bool,
    },
}

fn assessment_json(a: &pb::Assessment) -> serde_json::Value {
    serde_json::json!({
        "assessment_id": a.assessment_id, "case_id": a.case_id, "record_id": a.record_id, "date": a.date,
        "round": AssessmentRound::from_number(a.round).label(), "economic": a.economic, "social": a.social,
        "psychosocial": a.psychosocial, "composite": a.composite,
        "risk_level": convert::risk_from_pb(a.risk_level).map(|r| r.label()).unwrap_or(""),
        "note": a.note, "create_time": a.create_time,
    })
}

fn assessment_row(a: &pb::Assessment) -> Vec<String> {
    vec![
        a.assessment_id.clone(),
        a.case_id.clone(),
        AssessmentRound::from_number(a.round).label(),
        a.date.clone(),
        format!("{:.2}", a.economic),
        format!("{:.2}", a.social),
        format!("{:.2}", a.psychosocial),
        a.composite.map(|c| format!("{c:.2}")).unwrap_or_default(),
        convert::risk_from_pb(a.risk_level).map(|r| r.label()).unwrap_or("").into(),
    ]
}

const ASSESSMENT_HEADER: &[&str] =
    &["ASSESSMENT", "CASE", "ROUND", "DATE", "ECONOMIC", "SOCIAL", "PSYCHOSOCIAL", "COMPOSITE", "RISK"];

pub async fn run_assessment(connect: &ConnectArgs, command: AssessmentCommand) -> anyhow::Result<()> {
    match command {
        AssessmentCommand::Add {
            case_id,
            round,
            date,
            economic,
            social,
            psychosocial,
            composite,
            risk,
            note,
            json,
        } => {
            let round = AssessmentRound::parse(&round)
                .with_context(|| format!("--round: {round:?} is not baseline or follow_up_N"))?;
            let risk =
                RiskLevel::parse(&risk).with_context(|| format!("--risk: {risk:?} is not low, medium or high"))?;
            let assessment = pb::Assessment {
                date,
                round: round.number(),
                economic,
                social,
                psychosocial,
                composite,
                risk_level: convert::risk_to_pb(risk) as i32,
                note,
                ..Default::default()
            };
            let mut client = connect.registry().await?;
            let assessment = client
                .add_assessment(pb::AddAssessmentRequest { case_id, assessment: Some(assessment) })
                .await
                .map_err(status_error)?
                .into_inner();
            if json {
                println!("{}", assessment_json(&assessment));
            } else {
                print!("{}", table(ASSESSMENT_HEADER, &[assessment_row(&assessment)]));
            }
        }
        AssessmentCommand::List { case_id, record, page_size, page_token, json } => {
            let mut client = connect.registry().await?;
            let page = client
                .list_assessments(pb::ListAssessmentsRequest { page_size, page_token, case_id, record_id: record })
                .await
                .map_err(status_error)?
                .into_inner();
            if json {
                let value = serde_json::json!({"assessments": page.assessments.iter().map(assessment_json).collect::<Vec<_>>(), "next_page_token": page.next_page_token});
                println!("{value}");
            } else {
                print!(
                    "{}",
                    table(ASSESSMENT_HEADER, &page.assessments.iter().map(assessment_row).collect::<Vec<_>>())
                );
                if !page.next_page_token.is_empty() {
                    println!("more: --page-token {}", page.next_page_token);
                }
            }
        }
    }
    Ok(())
}
