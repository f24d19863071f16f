//! Reads the FEBRL4 benchmark (converted to the person-import CSV v1, see
//! `shared/data/febrl4/README.md`) and checks that every row imports.
//!
//! Every row reads; three carry no name at all (`rec-725-org` in A, `rec-725-dup-0` and
//! `rec-2052-dup-0` in B: empty given and family name, only a birth date, a document number and
//! a suburb), and `Person::validated` refuses a person without a given name, family name or
//! alias. Those three, and only those, may be rejected, for that reason and no other; should the
//! rule be relaxed, the test still passes with none rejected.

use homeward_core::import::ImportReader;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::PathBuf;
use std::time::Instant;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/febrl4")
}

#[test]
fn febrl4_files_import_completely() {
    let dir = data_dir();
    for name in ["persons_a.csv", "persons_b.csv"] {
        let path = dir.join(name);
        let Ok(file) = File::open(&path) else {
            eprintln!("skipped: {} is absent", path.display());
            continue;
        };
        let started = Instant::now();
        let reader = ImportReader::new(std::io::BufReader::new(file)).expect("header");
        assert!(reader.warnings().is_empty(), "{name}: {:?}", reader.warnings());
        let mut imported = 0usize;
        let mut with_birth_date = 0usize;
        let mut with_document = 0usize;
        let mut rejected = Vec::new();
        for row in reader {
            match row {
                Ok(person) => {
                    imported += 1;
                    with_birth_date += usize::from(person.date_of_birth.is_some());
                    with_document += usize::from(!person.documents.is_empty());
                }
                Err(error) => rejected.push(error),
            }
        }
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for error in &rejected {
            let field = error.reason.split(':').next().unwrap_or_default();
            *reasons.entry(field).or_default() += 1;
        }
        println!(
            "{name}: {imported} imported, {} rejected {reasons:?}, {with_birth_date} with a birth \
             date, {with_document} with a document, in {:?}",
            rejected.len(),
            started.elapsed()
        );
        for error in &rejected {
            println!("  {error}");
        }
        // Three rows have no name but a document number: they are kept.
        assert!(rejected.is_empty(), "{name}: unexpected rejections {rejected:?}");
        assert_eq!(imported + rejected.len(), 5000, "{name}");
    }
}
