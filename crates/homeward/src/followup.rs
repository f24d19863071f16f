//! Caseworker commands after a hit: review links, ask for and answer disclosures, send and
//! answer referrals, and see what waits for this node.

use crate::connect::ConnectArgs;
use crate::output::{table, time};
use crate::person::{all_links, link_json, link_kind, link_status, links_table, review_label, status_error};
use clap::{Args, Subcommand};
use homeward_proto::pb;
use homeward_proto::pb::registry_client::RegistryClient;
use tonic::transport::Channel;

#[derive(Debug, Args)]
#[group(required = true, multiple = false, id = "decision")]
pub struct DecisionArgs {
    #[arg(long)]
    confirm: bool,
    /// Needs --reason.
    #[arg(long)]
    reject: bool,
    /// Withdraw this node's decision: the link is shown by its score again.
    #[arg(long)]
    reopen: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The link, as `homeward links` shows it.
    pub link_id: String,
    #[command(flatten)]
    decision: DecisionArgs,
    #[arg(long, default_value = "")]
    pub reason: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum DisclosureCommand {
    /// Ask the link's peer for named fields of its record (step 2 after a hit).
    Request {
        link_id: String,
        /// Columns of the person-import CSV, comma separated (e.g. given_name,date_of_birth).
        #[arg(long, value_delimiter = ',', required = true)]
        fields: Vec<String>,
        #[arg(long)]
        purpose: String,
        #[arg(long)]
        legal_basis: String,
        #[arg(long)]
        json: bool,
    },
    /// Requests of this node and requests to it.
    List {
        /// Only requests that wait for this node's answer.
        #[arg(long)]
        waiting: bool,
        #[arg(long, default_value = "")]
        record: String,
        #[arg(long)]
        json: bool,
    },
    /// One request, with the values delivered to this node (read is audited).
    Show {
        disclosure_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Approve a request to this node: all requested fields, or those given.
    Approve {
        disclosure_id: String,
        #[arg(long, value_delimiter = ',')]
        fields: Vec<String>,
        /// Needed when no case of the person records consent to share or a legal basis.
        #[arg(long = "override", value_name = "JUSTIFICATION", default_value = "")]
        override_justification: String,
        #[arg(long)]
        json: bool,
    },
    /// Refuse a request to this node.
    Refuse {
        disclosure_id: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReferralKindArg {
    FamilyReunification,
    Service,
    Transfer,
}

#[derive(Debug, Subcommand)]
pub enum ReferralCommand {
    /// Refer a linked case to the link's peer.
    Send {
        link_id: String,
        /// This node's case of the linked record.
        #[arg(long)]
        case: String,
        #[arg(long, value_enum)]
        kind: ReferralKindArg,
        #[arg(long, default_value = "")]
        note: String,
        /// Needed when the case records no consent to share and no legal basis.
        #[arg(long = "override", value_name = "JUSTIFICATION", default_value = "")]
        override_justification: String,
        #[arg(long)]
        json: bool,
    },
    /// Referrals sent and received.
    List {
        /// Only referrals that wait for this node's answer.
        #[arg(long)]
        waiting: bool,
        #[arg(long, default_value = "")]
        record: String,
        #[arg(long)]
        json: bool,
    },
    Show {
        referral_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Accept a referral to this node (a transfer opens a case here).
    Accept {
        referral_id: String,
        #[arg(long)]
        json: bool,
    },
    Reject {
        referral_id: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Mark an accepted referral done.
    Done {
        referral_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Withdraw a referral this node sent.
    Revoke {
        referral_id: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

pub async fn review(connect: &ConnectArgs, args: ReviewArgs) -> anyhow::Result<()> {
    let decision = if args.decision.confirm {
        pb::ReviewDecision::Confirm
    } else if args.decision.reject {
        pb::ReviewDecision::Reject
    } else {
        pb::ReviewDecision::Reopen
    };
    let mut client = connect.registry().await?;
    let link = client
        .review_link(pb::ReviewLinkRequest { link_id: args.link_id, decision: decision as i32, reason: args.reason })
        .await
        .map_err(status_error)?
        .into_inner();
    if args.json {
        println!("{}", link_json(&link));
    } else {
        println!(
            "link {} ({} ↔ {} {}): {} here, peer's review: {}",
            link.link_id,
            link.record_id,
            link.peer_country,
            link_kind(link.kind),
            link_status(link.status),
            review_label(&link.peer_review)
        );
    }
    Ok(())
}

fn disclosure_state(value: i32) -> &'static str {
    match pb::DisclosureState::try_from(value) {
        Ok(pb::DisclosureState::Pending) => "pending",
        Ok(pb::DisclosureState::Approved) => "approved",
        Ok(pb::DisclosureState::Refused) => "refused",
        Ok(pb::DisclosureState::Delivered) => "delivered",
        Ok(pb::DisclosureState::Expired) => "expired",
        _ => "unknown",
    }
}

fn referral_state(value: i32) -> &'static str {
    match pb::ReferralState::try_from(value) {
        Ok(pb::ReferralState::InProgress) => "in_progress",
        Ok(pb::ReferralState::Accepted) => "accepted",
        Ok(pb::ReferralState::Rejected) => "rejected",
        Ok(pb::ReferralState::Done) => "done",
        Ok(pb::ReferralState::Revoked) => "revoked",
        _ => "unknown",
    }
}

fn referral_kind(value: i32) -> &'static str {
    match pb::ReferralKind::try_from(value) {
        Ok(pb::ReferralKind::FamilyReunification) => "family_reunification",
        Ok(pb::ReferralKind::Service) => "service",
        Ok(pb::ReferralKind::Transfer) => "transfer",
        _ => "unknown",
    }
}

fn direction(incoming: bool) -> &'static str {
    if incoming { "incoming" } else { "outgoing" }
}

pub fn disclosure_json(d: &pb::Disclosure) -> serde_json::Value {
    let delivered: serde_json::Map<String, serde_json::Value> =
        d.delivered.iter().map(|f| (f.name.clone(), serde_json::Value::String(f.value.clone()))).collect();
    serde_json::json!({
        "disclosure_id": d.disclosure_id, "direction": direction(d.incoming), "link_id": d.link_id,
        "record_id": d.record_id, "peer_country": d.peer_country, "requested_fields": d.requested_fields,
        "approved_fields": d.approved_fields, "purpose": d.purpose, "legal_basis": d.legal_basis,
        "state": disclosure_state(d.state), "refusal_reason": d.refusal_reason,
        "override_justification": d.override_justification, "create_time": d.create_time,
        "update_time": d.update_time, "expire_time": d.expire_time, "delivered": delivered,
        "delivered_from": if d.delivered.is_empty() { "" } else { d.peer_country.as_str() },
        "retain_until": d.retain_until,
    })
}

pub fn referral_json(r: &pb::Referral) -> serde_json::Value {
    serde_json::json!({
        "referral_id": r.referral_id, "direction": direction(r.incoming), "link_id": r.link_id,
        "record_id": r.record_id, "peer_country": r.peer_country, "kind": referral_kind(r.kind),
        "case_id": r.case_id, "note": r.note, "legal_basis": r.legal_basis,
        "override_justification": r.override_justification, "state": referral_state(r.state),
        "reason": r.reason, "create_time": r.create_time, "update_time": r.update_time,
    })
}

fn disclosure_rows(list: &[pb::Disclosure]) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|d| {
            vec![
                d.disclosure_id.clone(),
                direction(d.incoming).into(),
                d.peer_country.clone(),
                d.record_id.clone(),
                disclosure_state(d.state).into(),
                d.requested_fields.join(","),
                d.approved_fields.join(","),
                time(d.expire_time),
            ]
        })
        .collect();
    table(&["DISCLOSURE", "DIRECTION", "PEER", "RECORD", "STATE", "REQUESTED", "APPROVED", "EXPIRES"], &rows)
}

fn referral_rows(list: &[pb::Referral]) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|r| {
            vec![
                r.referral_id.clone(),
                direction(r.incoming).into(),
                r.peer_country.clone(),
                r.record_id.clone(),
                referral_kind(r.kind).into(),
                referral_state(r.state).into(),
                r.case_id.clone(),
                r.reason.clone(),
            ]
        })
        .collect();
    table(&["REFERRAL", "DIRECTION", "PEER", "RECORD", "KIND", "STATE", "CASE", "REASON"], &rows)
}

fn print_disclosure(d: &pb::Disclosure, json: bool) {
    if json {
        println!("{}", disclosure_json(d));
        return;
    }
    println!(
        "disclosure {} ({}, {} {}): {}",
        d.disclosure_id,
        direction(d.incoming),
        d.peer_country,
        d.record_id,
        disclosure_state(d.state)
    );
    println!("  requested: {}", d.requested_fields.join(", "));
    if !d.approved_fields.is_empty() {
        println!("  approved:  {}", d.approved_fields.join(", "));
    }
    println!("  purpose: {}  legal basis: {}", d.purpose, d.legal_basis);
    if !d.refusal_reason.is_empty() {
        println!("  refused: {}", d.refusal_reason);
    }
    if !d.override_justification.is_empty() {
        println!("  approved by override: {}", d.override_justification);
    }
    println!("  expires: {}", time(d.expire_time));
    if !d.delivered.is_empty() {
        println!("  delivered by {} for this request, kept until {}:", d.peer_country, time(d.retain_until));
        for field in &d.delivered {
            println!("    {:<22} {}", field.name, field.value);
        }
    }
}

fn print_referral(r: &pb::Referral, json: bool) {
    if json {
        println!("{}", referral_json(r));
        return;
    }
    println!(
        "referral {} ({}, {} {}, {}): {}{}",
        r.referral_id,
        direction(r.incoming),
        r.peer_country,
        r.record_id,
        referral_kind(r.kind),
        referral_state(r.state),
        if r.case_id.is_empty() { String::new() } else { format!(", case {}", r.case_id) }
    );
    if !r.note.is_empty() {
        println!("  note: {}", r.note);
    }
    if !r.reason.is_empty() {
        println!("  reason: {}", r.reason);
    }
}

pub async fn disclosure(connect: &ConnectArgs, command: DisclosureCommand) -> anyhow::Result<()> {
    let mut client = connect.registry().await?;
    match command {
        DisclosureCommand::Request { link_id, fields, purpose, legal_basis, json } => {
            let d = client
                .request_disclosure(pb::RequestDisclosureRequest { link_id, fields, purpose, legal_basis })
                .await
                .map_err(status_error)?
                .into_inner();
            print_disclosure(&d, json);
        }
        DisclosureCommand::List { waiting, record, json } => {
            let list = client
                .list_disclosures(pb::ListDisclosuresRequest { waiting, record_id: record })
                .await
                .map_err(status_error)?
                .into_inner()
                .disclosures;
            if json {
                let value: Vec<serde_json::Value> = list.iter().map(disclosure_json).collect();
                println!("{}", serde_json::json!({ "disclosures": value }));
            } else {
                print!("{}", disclosure_rows(&list));
                println!("{} disclosure requests", list.len());
            }
        }
        DisclosureCommand::Show { disclosure_id, json } => {
            let d = client
                .get_disclosure(pb::GetDisclosureRequest { disclosure_id })
                .await
                .map_err(status_error)?
                .into_inner();
            print_disclosure(&d, json);
        }
        DisclosureCommand::Approve { disclosure_id, fields, override_justification, json } => {
            let d = client
                .answer_disclosure(pb::AnswerDisclosureRequest {
                    disclosure_id,
                    approve: true,
                    fields,
                    refusal_reason: String::new(),
                    override_justification,
                })
                .await
                .map_err(status_error)?
                .into_inner();
            print_disclosure(&d, json);
        }
        DisclosureCommand::Refuse { disclosure_id, reason, json } => {
            let d = client
                .answer_disclosure(pb::AnswerDisclosureRequest {
                    disclosure_id,
                    approve: false,
                    fields: Vec::new(),
                    refusal_reason: reason,
                    override_justification: String::new(),
                })
                .await
                .map_err(status_error)?
                .into_inner();
            print_disclosure(&d, json);
        }
    }
    Ok(())
}

async fn acted(
    client: &mut RegistryClient<Channel>,
    request: pb::ActOnReferralRequest,
) -> anyhow::Result<pb::Referral> {
    Ok(client.act_on_referral(request).await.map_err(status_error)?.into_inner())
}

pub async fn referral(connect: &ConnectArgs, command: ReferralCommand) -> anyhow::Result<()> {
    let mut client = connect.registry().await?;
    let act = |referral_id: String, action: pb::ReferralAction, reason: String| pb::ActOnReferralRequest {
        referral_id,
        action: action as i32,
        reason,
    };
    let (referral, json) = match command {
        ReferralCommand::Send { link_id, case, kind, note, override_justification, json } => {
            let kind = match kind {
                ReferralKindArg::FamilyReunification => pb::ReferralKind::FamilyReunification,
                ReferralKindArg::Service => pb::ReferralKind::Service,
                ReferralKindArg::Transfer => pb::ReferralKind::Transfer,
            };
            let request =
                pb::CreateReferralRequest { link_id, case_id: case, kind: kind as i32, note, override_justification };
            (client.create_referral(request).await.map_err(status_error)?.into_inner(), json)
        }
        ReferralCommand::List { waiting, record, json } => {
            let list = client
                .list_referrals(pb::ListReferralsRequest { waiting, record_id: record })
                .await
                .map_err(status_error)?
                .into_inner()
                .referrals;
            if json {
                let value: Vec<serde_json::Value> = list.iter().map(referral_json).collect();
                println!("{}", serde_json::json!({ "referrals": value }));
            } else {
                print!("{}", referral_rows(&list));
                println!("{} referrals", list.len());
            }
            return Ok(());
        }
        ReferralCommand::Show { referral_id, json } => (
            client.get_referral(pb::GetReferralRequest { referral_id }).await.map_err(status_error)?.into_inner(),
            json,
        ),
        ReferralCommand::Accept { referral_id, json } => {
            (acted(&mut client, act(referral_id, pb::ReferralAction::Accept, String::new())).await?, json)
        }
        ReferralCommand::Reject { referral_id, reason, json } => {
            (acted(&mut client, act(referral_id, pb::ReferralAction::Reject, reason)).await?, json)
        }
        ReferralCommand::Done { referral_id, json } => {
            (acted(&mut client, act(referral_id, pb::ReferralAction::Done, String::new())).await?, json)
        }
        ReferralCommand::Revoke { referral_id, reason, json } => {
            (acted(&mut client, act(referral_id, pb::ReferralAction::Revoke, reason)).await?, json)
        }
    };
    print_referral(&referral, json);
    Ok(())
}

/// What waits for this node: links to review, disclosure requests and referrals to answer.
pub async fn waiting(connect: &ConnectArgs, json: bool) -> anyhow::Result<()> {
    let mut client = connect.registry().await?;
    let links = all_links(&mut client, pb::ListLinksRequest { waiting: true, ..Default::default() }).await?;
    let disclosures = client
        .list_disclosures(pb::ListDisclosuresRequest { waiting: true, record_id: String::new() })
        .await
        .map_err(status_error)?
        .into_inner()
        .disclosures;
    let referrals = client
        .list_referrals(pb::ListReferralsRequest { waiting: true, record_id: String::new() })
        .await
        .map_err(status_error)?
        .into_inner()
        .referrals;
    if json {
        println!(
            "{}",
            serde_json::json!({
                "links": links.iter().map(link_json).collect::<Vec<_>>(),
                "disclosures": disclosures.iter().map(disclosure_json).collect::<Vec<_>>(),
                "referrals": referrals.iter().map(referral_json).collect::<Vec<_>>(),
            })
        );
        return Ok(());
    }
    println!("{} links to review", links.len());
    if !links.is_empty() {
        let shown = links_table(&links, false);
        print!("{shown}");
        if shown.contains("_name*") {
            println!("{}", crate::person::RECORDED_DIFFERENTLY);
        }
    }
    println!("\n{} disclosure requests to answer", disclosures.len());
    if !disclosures.is_empty() {
        print!("{}", disclosure_rows(&disclosures));
    }
    println!("\n{} referrals to answer", referrals.len());
    if !referrals.is_empty() {
        print!("{}", referral_rows(&referrals));
    }
    Ok(())
}
