//! CSV import through the same path as `homeward import`: the file read by
//! `homeward_core::import::ImportReader`, rows streamed to the node's ImportPersons (client
//! streaming), one report at the end. FEBRL4 imports; broken rows are reported by line and the
//! good rows kept; a re-import changes nothing; a client that dies mid-stream leaves only whole
//! records. (`crates/homeward/tests/cli_cases.rs` does the same with the real binary.)

use homeward_core::import::{ImportReader, person_from_fields};
use homeward_node::harness::{Federation, Options};
use homeward_proto::pb;
use homeward_proto::pb::registry_client::RegistryClient;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tonic::transport::Channel;

/// The rows of a CSV as the CLI sends them.
fn rows_of(bytes: &[u8]) -> Vec<pb::ImportRow> {
    let mut reader = ImportReader::new(bytes).expect("header");
    let mut rows = Vec::new();
    while let Some(next) = reader.next_fields() {
        rows.push(match next {
            Ok(row) => {
                let (header, values) = row.fields.into_iter().unzip();
                pb::ImportRow { line: row.line, header, values, client_error: String::new() }
            }
            Err(error) => pb::ImportRow { line: error.line, client_error: error.reason, ..Default::default() },
        });
    }
    rows
}

async fn import(client: &mut RegistryClient<Channel>, bytes: &[u8]) -> pb::ImportReport {
    let rows = rows_of(bytes);
    client.import_persons(tokio_stream::iter(rows)).await.expect("import").into_inner()
}

async fn all_persons(client: &mut RegistryClient<Channel>) -> Vec<pb::Person> {
    let mut out = Vec::new();
    let mut page_token = String::new();
    loop {
        let page =
            client.list_persons(pb::ListPersonsRequest { page_size: 1000, page_token }).await.unwrap().into_inner();
        out.extend(page.persons);
        if page.next_page_token.is_empty() {
            return out;
        }
        page_token = page.next_page_token;
    }
}

fn febrl4() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/febrl4/persons_a.csv");
    path.exists().then_some(path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn febrl4_imports_and_rows_without_any_name_are_reported() {
    let Some(path) = febrl4() else {
        eprintln!("skipped: ../shared/data/febrl4/persons_a.csv is not present");
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    let federation = Federation::start(&["KZ"], Options::default()).await.unwrap();
    let mut client = federation.registry("KZ").await.unwrap();
    let report = import(&mut client, &bytes).await;
    let rows = bytes.iter().filter(|b| **b == b'\n').count() as u64 - 1;
    assert_eq!(report.imported + report.rejected.len() as u64, rows, "every row is imported or reported");
    for rejected in &report.rejected {
        // By design: a row with no given name, family name or alias cannot be matched or found.
        assert!(rejected.reason.contains("name"), "unexpected rejection: {rejected:?}");
        assert!(rejected.line >= 2);
    }
    assert!(report.rejected.len() <= 5, "{:?}", report.rejected);
    eprintln!(
        "FEBRL4 persons_a: {rows} rows, {} imported, {} rejected: {:?}",
        report.imported,
        report.rejected.len(),
        report.rejected
    );
    let status = client.get_node_status(pb::GetNodeStatusRequest {}).await.unwrap().into_inner();
    assert_eq!(status.persons, report.imported);
    federation.shutdown().await.unwrap();
}

const HEADER: &str = "record_id,given_name,family_name,patronymic,sex,date_of_birth,place_of_birth,nationality,document_number,mother_given_name,mother_family_name,locality\n";

fn broken_file() -> Vec<u8> {
    let mut bytes = HEADER.as_bytes().to_vec();
    // line 2: good
    bytes.extend_from_slice("KZ-G1,Айгерим,Сапарова,Маратовна,F,1991-02-03,Шымкент,KZ,N123,,,Almaty\n".as_bytes());
    // line 3: wrong column count
    bytes.extend_from_slice(b"KZ-B1,Too,Few\n");
    // line 4: bad date
    bytes.extend_from_slice(b"KZ-B2,Bad,Date,,F,1990-13-45,,KZ,,,,\n");
    // line 5: bad UTF-8 in a name
    bytes.extend_from_slice(b"KZ-B3,\xff\xfeName,Broken,,F,1990,,KZ,,,,\n");
    // line 6: no names at all
    bytes.extend_from_slice(b"KZ-B4,,,,F,1990,,KZ,,,,\n");
    // lines 7-8: good, with a quoted field spanning a comma, and DD.MM.YYYY and a Russian country name
    bytes
        .extend_from_slice("KZ-G2,\"Xurshida, Khurshida\",Yusupova,,F,07.03.1990,,Узбекистан,,,,Tashkent\n".as_bytes());
    bytes.extend_from_slice(b"KZ-G3,Timur,Akhmetov,,M,1985-11,,kaz,,Gulnara,Akhmetova,\n");
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_rows_are_reported_by_line_and_a_reimport_changes_nothing() {
    let federation = Federation::start(&["KZ"], Options::default()).await.unwrap();
    let mut client = federation.registry("KZ").await.unwrap();
    let bytes = broken_file();
    let report = import(&mut client, &bytes).await;
    assert_eq!(report.imported, 3, "{report:?}");
    let mut rejected: Vec<(u64, String)> = report.rejected.iter().map(|r| (r.line, r.reason.clone())).collect();
    rejected.sort();
    let lines: Vec<u64> = rejected.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6], "{rejected:?}");
    assert!(rejected[0].1.contains("fields"), "{}", rejected[0].1);
    assert!(rejected[1].1.starts_with("date_of_birth"), "{}", rejected[1].1);
    assert!(rejected[2].1.contains("UTF-8"), "{}", rejected[2].1);
    assert!(rejected[3].1.contains("name"), "{}", rejected[3].1);

    let before = all_persons(&mut client).await;
    assert_eq!(before.iter().map(|p| p.record_id.as_str()).collect::<Vec<_>>(), vec!["KZ-G1", "KZ-G2", "KZ-G3"]);
    let g2 = before.iter().find(|p| p.record_id == "KZ-G2").unwrap();
    assert_eq!(g2.given_name, "Xurshida, Khurshida");
    assert_eq!(g2.date_of_birth, "1990-03-07");
    assert_eq!(g2.nationalities, vec!["UZ".to_string()]);
    let state = &federation.node("KZ").unwrap().state;
    let outbox_before = state.store.dump_raw().unwrap().iter().filter(|(k, _)| k[0] == b'p').count();

    let again = import(&mut client, &bytes).await;
    assert_eq!((again.imported, again.updated, again.unchanged), (0, 0, 3), "{again:?}");
    assert_eq!(again.rejected.len(), 4);
    let after = all_persons(&mut client).await;
    assert_eq!(before, after, "a re-import changes nothing, not even update times");
    let outbox_after = state.store.dump_raw().unwrap().iter().filter(|(k, _)| k[0] == b'p').count();
    assert_eq!(outbox_before, outbox_after);

    // A file of fewer columns updates what it carries and keeps the rest: a list of corrected
    // given names does not erase dates, documents and nationalities. An empty value clears.
    let partial = "record_id,given_name,locality\nKZ-G1,Aigerim,\n";
    let report = import(&mut client, partial.as_bytes()).await;
    assert_eq!((report.imported, report.updated, report.unchanged), (0, 1, 0), "{report:?}");
    let g1 = all_persons(&mut client).await.into_iter().find(|p| p.record_id == "KZ-G1").unwrap();
    let was = before.iter().find(|p| p.record_id == "KZ-G1").unwrap();
    assert_eq!(g1.given_name, "Aigerim");
    assert_eq!(g1.locality, "", "a column sent empty is cleared");
    assert_eq!(
        (&g1.family_name, &g1.patronymic, &g1.date_of_birth),
        (&was.family_name, &was.patronymic, &was.date_of_birth)
    );
    assert_eq!((&g1.sex, &g1.nationalities, &g1.documents), (&was.sex, &was.nationalities, &was.documents));
    let again = import(&mut client, partial.as_bytes()).await;
    assert_eq!((again.updated, again.unchanged), (0, 1), "{again:?}");
    federation.shutdown().await.unwrap();
}

/// A file of `n` distinct, valid rows.
fn generated_file(n: usize) -> Vec<u8> {
    let given = ["Aziza", "Dilnoza", "Malika", "Gulnara", "Zarina", "Timur", "Rustam", "Bakhtiyor", "Aibek", "Nurlan"];
    let family = ["Karimova", "Yusupova", "Rahimova", "Saidova", "Nazarova", "Akhmetov", "Ergashev", "Tursunov"];
    let mut text = String::from(HEADER);
    for i in 0..n {
        text.push_str(&format!(
            "GEN-{i:06},{},{}-{i},,F,{}-{:02}-{:02},,KZ,D{i:07},,,Almaty\n",
            given[i % given.len()],
            family[i % family.len()],
            1950 + (i % 60),
            1 + (i % 12),
            1 + (i % 28),
        ));
    }
    text.into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_cut_off_mid_stream_leaves_only_whole_records() {
    let federation = Federation::start(&["KZ"], Options::default()).await.unwrap();
    let bytes = generated_file(3000);
    let expected: HashMap<String, homeward_core::person::Person> = {
        let mut reader = ImportReader::new(bytes.as_slice()).unwrap();
        let mut map = HashMap::new();
        while let Some(Ok(row)) = reader.next_fields() {
            let person = person_from_fields(&row.fields).unwrap();
            map.insert(person.record_id.clone(), person);
        }
        map
    };
    let rows = rows_of(&bytes);
    let (sender, receiver) = tokio::sync::mpsc::channel::<pb::ImportRow>(16);
    let mut client = federation.registry("KZ").await.unwrap();
    let call =
        tokio::spawn(async move { client.import_persons(tokio_stream::wrappers::ReceiverStream::new(receiver)).await });
    let state = federation.node("KZ").unwrap().state.clone();
    // Send 600 rows (more than two of the node's write chunks), wait until the node has written
    // some, then kill the client mid-stream: the stream never ends properly.
    let sent = 600;
    for row in rows.into_iter().take(sent) {
        sender.send(row).await.unwrap();
    }
    let start = Instant::now();
    while state.store.count_persons().unwrap() == 0 {
        assert!(start.elapsed() < Duration::from_secs(20), "the node wrote nothing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    call.abort();
    drop(sender);

    // Wait until the node has noticed (the count stops moving), then check every record. The
    // count moves only when a chunk commits, and a chunk of 256 records on a loaded machine can
    // take longer than a second: the count must hold still for two seconds.
    let start = Instant::now();
    let mut last = u64::MAX;
    let mut still_since = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let count = state.store.count_persons().unwrap();
        if count != last {
            last = count;
            still_since = Instant::now();
        } else if still_since.elapsed() >= Duration::from_secs(2) {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(40), "the count kept moving");
    }
    assert!(last > 0 && last < sent as u64, "{last} persons after an import cut off after {sent} rows");
    state
        .store
        .for_each_person(|row| {
            let want = expected.get(&row.person.record_id).expect("a record from the file");
            assert_eq!(&row.person, want, "a stored record is whole");
        })
        .unwrap();
    assert_eq!(state.store.verify_audit().unwrap(), homeward_store::AuditVerdict::Intact { entries: last });

    // Importing the whole file afterwards completes it, without duplicates.
    let mut client = federation.registry("KZ").await.unwrap();
    let report = import(&mut client, &bytes).await;
    assert_eq!(report.imported + report.unchanged, 3000);
    assert_eq!(report.unchanged, last);
    assert_eq!(state.store.count_persons().unwrap(), 3000);
    federation.shutdown().await.unwrap();
}
