//! Caseworker commands on persons and links, and the node status.

use crate::connect::ConnectArgs;
use crate::output::{table, time};
use clap::{Args, Subcommand};
use homeward_core::matching::KeyKind;
use homeward_proto::pb;

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Enrol a person.
    Enrol(PersonFields),
    /// Replace a person's record (every field as given).
    Update(PersonFields),
    /// Show one person.
    Get {
        record_id: String,
        #[arg(long)]
        json: bool,
    },
    /// List persons, in record-id order.
    List {
        #[arg(long, default_value_t = 50)]
        page_size: u32,
        /// Continue from a previous page.
        #[arg(long, default_value = "")]
        page_token: String,
        /// Fetch every page.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Erase a person: personal data removed, tokens and links withdrawn from every peer.
    Erase { record_id: String },
}

#[derive(Debug, Args)]
pub struct PersonFields {
    /// The agency's id for this record.
    #[arg(long)]
    pub record_id: String,
    #[arg(long, default_value = "")]
    pub given_name: String,
    #[arg(long, default_value = "")]
    pub family_name: String,
    #[arg(long, default_value = "")]
    pub patronymic: String,
    /// Another full name; repeatable.
    #[arg(long)]
    pub alias: Vec<String>,
    /// M, F or empty.
    #[arg(long, default_value = "")]
    pub sex: String,
    /// YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY, MM.YYYY or with the month's name (12 March 1990).
    #[arg(long, default_value = "")]
    pub date_of_birth: String,
    #[arg(long, default_value = "")]
    pub place_of_birth: String,
    /// Alpha-2, alpha-3 or a country name; repeatable.
    #[arg(long)]
    pub nationality: Vec<String>,
    /// Document number (passport or ID); its issuing country is the first nationality unless
    /// --document-country is given.
    #[arg(long, default_value = "")]
    pub document_number: String,
    #[arg(long, default_value = "")]
    pub document_country: String,
    /// Type of the document: passport, national_id, birth_certificate…
    #[arg(long, default_value = "passport")]
    pub document_type: String,
    #[arg(long, default_value = "")]
    pub mother_given_name: String,
    #[arg(long, default_value = "")]
    pub mother_family_name: String,
    #[arg(long, default_value = "")]
    pub locality: String,
    #[arg(long)]
    pub json: bool,
}

impl PersonFields {
    /// Warns, on stderr, when a name is in letters Homeward does not read and no alias gives a
    /// readable spelling: the record is kept, but no peer can find it by that name.
    fn warn_about_unread_names(&self) {
        let aliases = self.alias.join(";");
        let fields = [
            ("given_name", self.given_name.as_str()),
            ("family_name", self.family_name.as_str()),
            ("patronymic", self.patronymic.as_str()),
            ("mother_given_name", self.mother_given_name.as_str()),
            ("mother_family_name", self.mother_family_name.as_str()),
            ("aliases", aliases.as_str()),
        ];
        if let Some((column, value)) = homeward_core::import::unread_name_of(fields) {
            eprintln!(
                "warning: {column} {value:?} is in letters Homeward does not read; the record is kept, but no peer \
                 can find it by that name (give a Latin or Cyrillic spelling with --alias)"
            );
        }
    }

    fn to_pb(&self) -> anyhow::Result<pb::Person> {
        let sex = match homeward_core::Sex::parse(&self.sex)? {
            homeward_core::Sex::Unknown => pb::Sex::Unspecified,
            homeward_core::Sex::Male => pb::Sex::Male,
            homeward_core::Sex::Female => pb::Sex::Female,
        };
        let documents = if self.document_number.is_empty() {
            vec![]
        } else {
            vec![pb::IdentityDocument {
                r#type: self.document_type.clone(),
                number: self.document_number.clone(),
                issuing_country: if self.document_country.is_empty() {
                    self.nationality.first().cloned().unwrap_or_default()
                } else {
                    self.document_country.clone()
                },
            }]
        };
        let mother =
            (!self.mother_given_name.is_empty() || !self.mother_family_name.is_empty()).then(|| pb::ParentNames {
                given_name: self.mother_given_name.clone(),
                family_name: self.mother_family_name.clone(),
                ..Default::default()
            });
        Ok(pb::Person {
            record_id: self.record_id.clone(),
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            patronymic: self.patronymic.clone(),
            aliases: self.alias.clone(),
            sex: sex as i32,
            date_of_birth: self.date_of_birth.clone(),
            place_of_birth: self.place_of_birth.clone(),
            nationalities: self.nationality.clone(),
            documents,
            mother,
            father: None,
            locality: self.locality.clone(),
            ..Default::default()
        })
    }
}

fn sex_code(value: i32) -> &'static str {
    match pb::Sex::try_from(value) {
        Ok(pb::Sex::Male) => "M",
        Ok(pb::Sex::Female) => "F",
        _ => "",
    }
}

fn person_json(p: &pb::Person) -> serde_json::Value {
    serde_json::json!({
        "record_id": p.record_id,
        "given_name": p.given_name,
        "family_name": p.family_name,
        "patronymic": p.patronymic,
        "aliases": p.aliases,
        "sex": sex_code(p.sex),
        "date_of_birth": p.date_of_birth,
        "place_of_birth": p.place_of_birth,
        "nationalities": p.nationalities,
        "documents": p.documents.iter().map(|d| serde_json::json!({"type": d.r#type, "number": d.number, "issuing_country": d.issuing_country})).collect::<Vec<_>>(),
        "mother": p.mother.as_ref().map(|m| serde_json::json!({"given_name": m.given_name, "family_name": m.family_name, "patronymic": m.patronymic, "date_of_birth": m.date_of_birth})),
        "father": p.father.as_ref().map(|m| serde_json::json!({"given_name": m.given_name, "family_name": m.family_name})),
        "locality": p.locality,
        "minor": p.minor,
        "create_time": p.create_time,
        "update_time": p.update_time,
    })
}

fn person_rows(persons: &[pb::Person]) -> Vec<Vec<String>> {
    persons
        .iter()
        .map(|p| {
            vec![
                p.record_id.clone(),
                [p.given_name.as_str(), p.patronymic.as_str(), p.family_name.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" "),
                sex_code(p.sex).to_string(),
                p.date_of_birth.clone(),
                p.nationalities.join(","),
                if p.minor { "yes".into() } else { String::new() },
            ]
        })
        .collect()
}

const PERSON_HEADER: &[&str] = &["RECORD", "NAME", "SEX", "BORN", "NATIONALITY", "MINOR"];

fn show_person(p: &pb::Person, json: bool) {
    if json {
        println!("{}", person_json(p));
        return;
    }
    print!("{}", table(PERSON_HEADER, &person_rows(std::slice::from_ref(p))));
    if !p.aliases.is_empty() {
        println!("aliases: {}", p.aliases.join("; "));
    }
    for (label, value) in [("place of birth", &p.place_of_birth), ("locality", &p.locality)] {
        if !value.is_empty() {
            println!("{label}: {value}");
        }
    }
    for d in &p.documents {
        let country = if d.issuing_country.is_empty() { String::new() } else { format!(" ({})", d.issuing_country) };
        println!("document: {} {}{country}", d.r#type, d.number);
    }
    let words = |parts: &[&str]| parts.iter().filter(|w| !w.is_empty()).copied().collect::<Vec<_>>().join(" ");
    for (label, parent) in [("mother", &p.mother), ("father", &p.father)] {
        if let Some(m) = parent {
            let text = words(&[&m.given_name, &m.patronymic, &m.family_name, &m.date_of_birth]);
            if !text.is_empty() {
                println!("{label}: {text}");
            }
        }
    }
    println!("enrolled {}, updated {}", time(p.create_time), time(p.update_time));
}

pub async fn run(connect: &ConnectArgs, command: PersonCommand) -> anyhow::Result<()> {
    let mut client = connect.registry().await?;
    match command {
        PersonCommand::Enrol(fields) => {
            fields.warn_about_unread_names();
            let person = client
                .enrol_person(pb::EnrolPersonRequest { person: Some(fields.to_pb()?) })
                .await
                .map_err(status_error)?
                .into_inner();
            show_person(&person, fields.json);
        }
        PersonCommand::Update(fields) => {
            fields.warn_about_unread_names();
            let person = client
                .update_person(pb::UpdatePersonRequest { person: Some(fields.to_pb()?) })
                .await
                .map_err(|status| {
                    let invalid = status.code() == tonic::Code::InvalidArgument;
                    let error = status_error(status);
                    if invalid {
                        error.context(
                            "`person update` replaces every field of the record: give them all, as `person get` \
                             shows them (a field left out is cleared)",
                        )
                    } else {
                        error
                    }
                })?
                .into_inner();
            show_person(&person, fields.json);
        }
        PersonCommand::Get { record_id, json } => {
            let person =
                client.get_person(pb::GetPersonRequest { record_id }).await.map_err(status_error)?.into_inner();
            show_person(&person, json);
        }
        PersonCommand::List { page_size, mut page_token, all, json } => {
            let mut persons = Vec::new();
            let next = loop {
                let page = client
                    .list_persons(pb::ListPersonsRequest { page_size, page_token })
                    .await
                    .map_err(status_error)?
                    .into_inner();
                persons.extend(page.persons);
                if !all || page.next_page_token.is_empty() {
                    break page.next_page_token;
                }
                page_token = page.next_page_token;
            };
            if json {
                let value = serde_json::json!({
                    "persons": persons.iter().map(person_json).collect::<Vec<_>>(),
                    "next_page_token": next,
                });
                println!("{value}");
            } else {
                print!("{}", table(PERSON_HEADER, &person_rows(&persons)));
                if !next.is_empty() {
                    println!("more: --page-token {next}");
                }
            }
        }
        PersonCommand::Erase { record_id } => {
            let answer = client
                .erase_person(pb::ErasePersonRequest { record_id: record_id.clone() })
                .await
                .map_err(status_error)?
                .into_inner();
            println!("erased {record_id}; withdrawal queued for {} peers", answer.peers_notified);
        }
    }
    Ok(())
}

/// Turns a gRPC status into an error that reads well on a terminal.
pub fn status_error(status: tonic::Status) -> anyhow::Error {
    anyhow::anyhow!("{} ({:?})", status.message(), status.code())
}

#[derive(Debug, Args)]
pub struct LinksArgs {
    /// Only the links of this record.
    #[arg(long, default_value = "")]
    pub record: String,
    /// Only links to this peer country.
    #[arg(long, default_value = "")]
    pub peer: String,
    /// Include candidates scored below the review threshold.
    #[arg(long)]
    pub all: bool,
    /// Only links that wait for a review here.
    #[arg(long)]
    pub waiting: bool,
    #[arg(long)]
    pub json: bool,
}

pub fn link_status(value: i32) -> &'static str {
    match pb::LinkStatus::try_from(value) {
        Ok(pb::LinkStatus::NeedsReview) => "needs_review",
        Ok(pb::LinkStatus::AutoConfirmed) => "auto_confirmed",
        Ok(pb::LinkStatus::Confirmed) => "confirmed",
        Ok(pb::LinkStatus::Rejected) => "rejected",
        _ => "below_threshold",
    }
}

/// A review decision as a word ("confirmed", "rejected"), or "-" when there is none.
pub fn review_label(review: &Option<pb::LinkReview>) -> String {
    match review.as_ref().map(|r| pb::ReviewDecision::try_from(r.decision)) {
        Some(Ok(pb::ReviewDecision::Confirm)) => "confirmed".into(),
        Some(Ok(pb::ReviewDecision::Reject)) => "rejected".into(),
        _ => "-".into(),
    }
}

fn review_json(review: &Option<pb::LinkReview>) -> serde_json::Value {
    match review {
        None => serde_json::Value::Null,
        Some(r) => serde_json::json!({
            "decision": review_label(review), "reason": r.reason, "time": r.time, "actor": r.actor,
        }),
    }
}

/// A link as `--json` prints it.
pub fn link_json(l: &pb::Link) -> serde_json::Value {
    serde_json::json!({
        "link_id": l.link_id, "kind": link_kind(l.kind), "record_id": l.record_id,
        "peer_country": l.peer_country, "peer_ref": l.peer_ref, "own_ref": l.own_ref, "agreeing_keys": l.agreeing_keys,
        "score": l.score, "status": link_status(l.status), "create_time": l.create_time,
        "own_review": review_json(&l.own_review), "peer_review": review_json(&l.peer_review),
        "pair_round": {
            "agreeing": l.pair_agreeing, "close": l.pair_close, "differing": l.pair_differing,
            "recorded_differently": recorded_differently(&l.pair_differing, &l.agreeing_keys),
        },
        "keys_differing": l.keys_differing,
    })
}

/// The round's differing names that the agreeing keys meet on in another spelling, an alias or
/// the other name order: the fields a table marks `!field*`.
fn recorded_differently<'a>(differing: &'a [String], agreeing_keys: &[String]) -> Vec<&'a str> {
    let met = homeward_core::matching::pair::names_met_by_keys(agreeing_keys.iter().map(String::as_str));
    differing.iter().map(String::as_str).filter(|f| met.contains(f)).collect()
}

/// The keys in one cell: those that agree on a value, then `!field` for what the keys show to
/// differ. Marks (which agree only on both records knowing a field) are left out: beside a
/// difference they would read as its opposite.
fn keys_cell(l: &pb::Link) -> String {
    let is_mark = |label: &str| KeyKind::ALL.iter().any(|k| k.is_mark() && k.label() == label);
    let differing = l.keys_differing.iter().map(|f| format!("!{f}"));
    l.agreeing_keys.iter().filter(|k| !is_mark(k)).cloned().chain(differing).collect::<Vec<_>>().join(",")
}

/// The pair round's outcome in one cell: agreeing fields, `~close`, `!differing`; a name the
/// keys meet on in another form is marked `!given_name*` ([`differing_cells`]).
fn pair_cell(l: &pb::Link) -> String {
    let close = l.pair_close.iter().map(|f| format!("~{f}"));
    let differing = differing_cells(&l.pair_differing, &l.agreeing_keys);
    l.pair_agreeing.iter().cloned().chain(close).chain(differing).collect::<Vec<_>>().join(",")
}

/// The round's differing fields as `!field`, and as `!field*` for a name that the agreeing keys
/// meet on in another spelling, an alias or the other name order
/// (`homeward_core::matching::pair::names_met_by_keys`): recorded differently, not another name.
pub fn differing_cells(differing: &[String], agreeing_keys: &[String]) -> Vec<String> {
    let met = recorded_differently(differing, agreeing_keys);
    differing.iter().map(|f| if met.contains(&f.as_str()) { format!("!{f}*") } else { format!("!{f}") }).collect()
}

/// The legend of the `*` mark, printed under a table that shows one.
pub const RECORDED_DIFFERENTLY: &str =
    "* recorded differently: the keys meet on this name in another spelling, an alias or the other name order";

pub fn link_kind(value: i32) -> &'static str {
    match pb::LinkKind::try_from(value) {
        Ok(pb::LinkKind::Family) => "family",
        _ => "same_person",
    }
}

/// Every page of a link listing.
pub async fn all_links(
    client: &mut homeward_proto::pb::registry_client::RegistryClient<tonic::transport::Channel>,
    mut request: pb::ListLinksRequest,
) -> anyhow::Result<Vec<pb::Link>> {
    request.page_size = 1000;
    let mut links = Vec::new();
    loop {
        let page = client.list_links(request.clone()).await.map_err(status_error)?.into_inner();
        links.extend(page.links);
        if page.next_page_token.is_empty() {
            return Ok(links);
        }
        request.page_token = page.next_page_token;
    }
}

pub async fn links(connect: &ConnectArgs, args: LinksArgs) -> anyhow::Result<()> {
    let mut client = connect.registry().await?;
    let request = pb::ListLinksRequest {
        record_id: args.record.clone(),
        peer_country: args.peer.clone(),
        include_below_threshold: args.all,
        waiting: args.waiting,
        ..Default::default()
    };
    let links = all_links(&mut client, request).await?;
    if args.json {
        let value: Vec<serde_json::Value> = links.iter().map(link_json).collect();
        println!("{}", serde_json::json!({ "links": value }));
        return Ok(());
    }
    let shown = links_table(&links, true);
    print!("{shown}");
    println!("{} links", links.len());
    if shown.contains("_name*") {
        println!("{RECORDED_DIFFERENTLY}");
    }
    Ok(())
}

/// Links as a table, with or without their status column (`waiting` lists links that all
/// wait for review).
pub fn links_table(links: &[pb::Link], with_status: bool) -> String {
    let rows: Vec<Vec<String>> = links
        .iter()
        .map(|l| {
            let mut row = vec![
                l.link_id.clone(),
                l.record_id.clone(),
                l.peer_country.clone(),
                link_kind(l.kind).into(),
                format!("{:.3}", l.score),
            ];
            if with_status {
                row.push(link_status(l.status).into());
            }
            row.extend([review_label(&l.peer_review), keys_cell(l), pair_cell(l)]);
            row
        })
        .collect();
    let mut header = vec!["LINK", "RECORD", "PEER", "KIND", "SCORE"];
    if with_status {
        header.push("STATUS");
    }
    header.extend(["PEER'S REVIEW", "KEYS (!differs)", "PAIR ROUND (~close !differs)"]);
    table(&header, &rows)
}

pub async fn status(connect: &ConnectArgs, json: bool) -> anyhow::Result<()> {
    let mut client = connect.registry().await?;
    let status = client.get_node_status(pb::GetNodeStatusRequest {}).await.map_err(status_error)?.into_inner();
    if json {
        let peers: Vec<serde_json::Value> = status
            .peers
            .iter()
            .map(|p| {
                serde_json::json!({
                    "country": p.country, "address": p.address, "reachable": p.reachable,
                    "outbox_backlog": p.outbox_backlog, "last_success_time": p.last_success_time,
                    "last_error": p.last_error, "last_error_time": p.last_error_time,
                    "tokens_received": p.tokens_received, "declared_records": p.declared_records,
                    "keys_version": p.keys_version,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({
                "country": status.country, "persons": status.persons, "links": status.links,
                "pair_rounds_waiting": status.pair_rounds_waiting, "keys_version": status.keys_version,
                "records_to_remake": status.records_to_remake, "peers": peers,
            })
        );
        return Ok(());
    }
    println!(
        "node {}: {} persons, {} links, match keys version {}",
        status.country, status.persons, status.links, status.keys_version
    );
    for p in status.peers.iter().filter(|p| p.keys_version != 0 && p.keys_version != status.keys_version) {
        println!(
            "warning: {} makes its tokens with match keys version {}: records whose keys the two versions \
             make differently do not meet until both nodes run one version",
            p.country, p.keys_version
        );
    }
    if status.records_to_remake > 0 {
        println!(
            "upgrade: {} records still to go over for match keys version {} (those whose keys changed are sent \
             again); their links stay meanwhile",
            status.records_to_remake, status.keys_version
        );
    }
    if status.pair_rounds_waiting > 0 {
        println!("{} new links wait for their pair round", status.pair_rounds_waiting);
    }
    let rows: Vec<Vec<String>> = status
        .peers
        .iter()
        .map(|p| {
            vec![
                p.country.clone(),
                p.address.clone(),
                if p.reachable { "yes".into() } else { "no".into() },
                p.outbox_backlog.to_string(),
                time(p.last_success_time),
                p.tokens_received.to_string(),
                if p.declared_records == 0 { "-".into() } else { p.declared_records.to_string() },
                if p.keys_version == 0 { "-".into() } else { p.keys_version.to_string() },
                match (p.last_error.is_empty(), p.last_error_time > 0 && p.last_error_time < p.last_success_time) {
                    (true, _) => String::new(),
                    (false, true) => format!("{} (at {}, recovered since)", p.last_error, time(p.last_error_time)),
                    (false, false) => format!("{} (at {})", p.last_error, time(p.last_error_time)),
                },
            ]
        })
        .collect();
    print!(
        "{}",
        table(
            &["PEER", "ADDRESS", "REACHABLE", "BACKLOG", "LAST EXCHANGE", "TOKENS IN", "RECORDS", "KEYS", "LAST ERROR"],
            &rows
        )
    );
    Ok(())
}
