//! The demo's step 2: after the hits, one pair of agencies follows one up as caseworkers would —
//! both confirm the link, one asks for two named fields and the other approves them, then a
//! case is handed over. Everything goes through the Registry API and the nodes' outboxes.

use homeward_node::harness::Federation;
use homeward_proto::pb;
use homeward_proto::pb::registry_client::RegistryClient;
use std::time::{Duration, Instant};
use tonic::transport::Channel;

const DEADLINE: Duration = Duration::from_secs(60);

/// Polls `probe` until it gives a value or [`DEADLINE`] passes.
async fn eventually<T, Fut>(what: &str, mut probe: impl FnMut() -> Fut) -> anyhow::Result<T>
where
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = probe().await? {
            return Ok(value);
        }
        anyhow::ensure!(start.elapsed() < DEADLINE, "demo follow-up: {what} did not happen within {DEADLINE:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An open case of `record_id` at this node, opened for the demo when there is none.
async fn open_case_of(client: &mut RegistryClient<Channel>, record_id: &str) -> anyhow::Result<pb::Case> {
    let cases = client
        .list_cases(pb::ListCasesRequest { record_id: record_id.into(), ..Default::default() })
        .await?
        .into_inner()
        .cases;
    let ended = [pb::CaseStatus::Closed as i32, pb::CaseStatus::Transferred as i32];
    if let Some(case) = cases.into_iter().find(|c| !ended.contains(&c.status)) {
        return Ok(case);
    }
    let case = pb::Case {
        record_id: record_id.into(),
        consent: Some(pb::Consent { services: true, sharing: true, reporting: true, tracing: true }),
        legal_basis: pb::LegalBasis::Consent as i32,
        ..Default::default()
    };
    Ok(client.open_case(pb::OpenCaseRequest { case: Some(case) }).await?.into_inner())
}

/// Runs the follow-up between `from` and the first peer it holds a same-person link with, and
/// returns what happened, one line per step.
pub async fn run(federation: &Federation, from: &str) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::new();
    let links = federation.links(from, false).await?;
    let Some(link) = links
        .iter()
        .filter(|l| l.kind == pb::LinkKind::SamePerson as i32 && l.status == pb::LinkStatus::AutoConfirmed as i32)
        .max_by(|a, b| a.score.total_cmp(&b.score))
        .cloned()
    else {
        lines.push(format!("{from} holds no auto-confirmed link to follow up"));
        return Ok(lines);
    };
    let peer = link.peer_country.clone();
    let mut ours = federation.registry(from).await?;
    let mut theirs = federation.registry(&peer).await?;
    let started = Instant::now();

    // Step 1 done; both caseworkers confirm the hit.
    ours.review_link(pb::ReviewLinkRequest {
        link_id: link.link_id.clone(),
        decision: pb::ReviewDecision::Confirm as i32,
        reason: "demo: identity documents compared".into(),
    })
    .await?;
    let peer_name = peer.as_str();
    let their_link = eventually("the confirmation reaching the peer", || {
        let own_ref = link.own_ref.clone();
        async move {
            let links = federation.links(peer_name, false).await?;
            Ok(links.into_iter().find(|l| l.peer_ref == own_ref && l.peer_review.is_some()))
        }
    })
    .await?;
    theirs
        .review_link(pb::ReviewLinkRequest {
            link_id: their_link.link_id.clone(),
            decision: pb::ReviewDecision::Confirm as i32,
            reason: "demo: same person".into(),
        })
        .await?;
    lines.push(format!(
        "{from} record {} ↔ {peer} record {}: link confirmed by both caseworkers (score {:.3})",
        link.record_id, their_link.record_id, link.score
    ));

    // Step 2: a disclosure of two named fields.
    let asked = ours
        .request_disclosure(pb::RequestDisclosureRequest {
            link_id: link.link_id.clone(),
            fields: vec!["given_name".into(), "date_of_birth".into()],
            purpose: "demo: verify identity before a transfer".into(),
            legal_basis: "demo: bilateral agreement".into(),
        })
        .await?
        .into_inner();
    let id = asked.disclosure_id.clone();
    eventually("the request reaching the peer", || {
        let mut theirs = theirs.clone();
        let id = id.clone();
        async move { Ok(theirs.get_disclosure(pb::GetDisclosureRequest { disclosure_id: id }).await.ok().map(|_| ())) }
    })
    .await?;
    let approve = |justification: &str| pb::AnswerDisclosureRequest {
        disclosure_id: id.clone(),
        approve: true,
        fields: Vec::new(),
        refusal_reason: String::new(),
        override_justification: justification.into(),
    };
    let overridden = match theirs.answer_disclosure(approve("")).await {
        Ok(_) => false,
        Err(status) if status.code() == tonic::Code::FailedPrecondition => {
            theirs.answer_disclosure(approve("demo: supervisor's approval")).await?;
            true
        }
        Err(status) => return Err(status.into()),
    };
    let delivered = eventually("the approved values reaching the requester", || {
        let mut ours = ours.clone();
        let id = id.clone();
        async move {
            let d = ours.get_disclosure(pb::GetDisclosureRequest { disclosure_id: id }).await?.into_inner();
            Ok((d.state == pb::DisclosureState::Delivered as i32).then_some(d))
        }
    })
    .await?;
    lines.push(format!(
        "disclosure {id}: {from} asked {peer} for {}; approved{}; {} values delivered to {from} alone",
        asked.requested_fields.join(" and "),
        if overridden { " by override (no consent to share recorded)" } else { "" },
        delivered.delivered.len()
    ));

    // A transfer of responsibility.
    let case = open_case_of(&mut ours, &link.record_id).await?;
    let sent = ours
        .create_referral(pb::CreateReferralRequest {
            link_id: link.link_id.clone(),
            case_id: case.case_id.clone(),
            kind: pb::ReferralKind::Transfer as i32,
            note: "demo: the family has moved".into(),
            override_justification: "demo: supervisor's approval".into(),
        })
        .await?
        .into_inner();
    let referral_id = sent.referral_id.clone();
    eventually("the referral reaching the peer", || {
        let mut theirs = theirs.clone();
        let id = referral_id.clone();
        async move { Ok(theirs.get_referral(pb::GetReferralRequest { referral_id: id }).await.ok().map(|_| ())) }
    })
    .await?;
    let accepted = theirs
        .act_on_referral(pb::ActOnReferralRequest {
            referral_id: referral_id.clone(),
            action: pb::ReferralAction::Accept as i32,
            reason: String::new(),
        })
        .await?
        .into_inner();
    eventually("the sender's case being transferred", || {
        let mut ours = ours.clone();
        let case_id = case.case_id.clone();
        async move {
            let case = ours.get_case(pb::GetCaseRequest { case_id }).await?.into_inner();
            Ok((case.status == pb::CaseStatus::Transferred as i32).then_some(()))
        }
    })
    .await?;
    lines.push(format!(
        "referral {referral_id} (transfer): {peer} accepted and opened {}; {from}'s {} is now transferred",
        accepted.case_id, case.case_id
    ));
    lines.push(format!("all of it on both audit logs, in {:.1} s", started.elapsed().as_secs_f64()));
    Ok(lines)
}
