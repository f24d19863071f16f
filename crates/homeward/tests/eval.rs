//! `homeward eval`, run as an evaluator runs it: the real binary, one node per input on
//! loopback with real mutual TLS, the links read back and scored against a truth file.

use std::process::Command;

const HEADER: &str = "record_id,given_name,family_name,patronymic,sex,date_of_birth,place_of_birth,nationality,\
document_number,mother_given_name,mother_family_name,locality,father_given_name\n";

#[test]
fn eval_scores_the_pipelines_links_and_says_which_rows_it_could_not_read() {
    let dir = tempfile::tempdir().unwrap();
    // The same three people written by two countries' lists: Uzbek Latin and Cyrillic, a month
    // named in Uzbek and in Russian, a document with a space, "unknown" in Uzbek and Kazakh, a
    // father's name for a patronymic; and one row no reader can take (31 February).
    let uz = format!(
        "{HEADER}UZ-1,Toʻlqin,Karimov,,erkak,12 mart 1990,Toshkent,Oʻzbekiston,AA1234567,,,Toshkent,\n\
         UZ-2,Gulnora,Rahimova,Rustamovna,ayol,\"March 3, 1988\",,UZ,,,,Samarqand,\n\
         UZ-3,Aziz,Rahimov,,nomaʼlum,2015,,UZ,,Гулнора,Рахимова,Samarqand,Rustam\n\
         UZ-4,Dilshod,Yusupov,,M,31 February 1990,,UZ,,,,Buxoro,\n"
    );
    let kz = format!(
        "{HEADER}KZ-1,Тулкин,Каримов,,М,12.03.1990,Ташкент,Узбекистан,AA 1234567,,,Алматы,\n\
         KZ-2,Гульнора,Рахимова,,Ж,03 марта 1988 г.,,белгісіз,,,,Шымкент,\n\
         KZ-3,Азиз,Рахимов,Рустамович,,2015-06-01,,UZ,,Gulnora,Rahimova,Шымкент,\n"
    );
    let truth = "person_id,node,record_id\np1,UZ,UZ-1\np1,KZ,KZ-1\np2,UZ,UZ-2\np2,KZ,KZ-2\np3,UZ,UZ-3\np3,KZ,KZ-3\n";
    let family = "child_node,child_record_id,mother_node,mother_record_id\nKZ,KZ-3,UZ,UZ-2\n";
    for (name, text) in [("uz.csv", uz.as_str()), ("kz.csv", kz.as_str()), ("truth.csv", truth), ("family.csv", family)]
    {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let path = |name: &str| dir.path().join(name).display().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_homeward"))
        .args(["eval", "--json", "--timeout", "120"])
        .args(["--node", &format!("UZ={}", path("uz.csv")), "--node", &format!("KZ={}", path("kz.csv"))])
        .args(["--truth", &path("truth.csv"), "--family-truth", &path("family.csv")])
        .output()
        .expect("run homeward eval");
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "eval failed: {stderr}\n{stdout}");
    assert!(stderr.contains("UZ-4") && stderr.contains("does not exist"), "the rejected row and why: {stderr}");
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).expect("eval --json prints one JSON object");
    let auto = &summary["same_person"]["auto"];
    assert_eq!(auto["precision"].as_f64(), Some(1.0), "{summary}");
    assert_eq!(auto["recall"].as_f64(), Some(1.0), "all three people found across scripts: {summary}");
    for key in ["precision", "recall", "f1"] {
        assert!(summary["same_person"]["candidates"][key].is_number(), "{summary}");
        assert!(summary["family"]["auto"][key].is_number(), "{summary}");
    }
    // The child's record names its mother by her names only: at most a candidate for review.
    assert_eq!(summary["family"]["auto"]["recall"].as_f64(), Some(0.0), "{summary}");
    assert!(summary["seconds"].as_f64().is_some_and(|s| s > 0.0), "{summary}");
}

#[test]
fn eval_lists_the_links_it_got_wrong_with_the_records() {
    let dir = tempfile::tempdir().unwrap();
    // Twin boys Hasan and Husan, one recorded in each country: they share everything but the
    // given name, and must not become one person. Gulnora's second record has only her birth
    // year: a true pair that waits for review.
    let uz = format!(
        "{HEADER}UZ-1,Hasan,Karimov,,M,2012-04-01,,UZ,,Zarina,Karimova,Toshkent,Rustam\n\
         UZ-2,Gulnora,Rahimova,,F,1988-03-03,,UZ,,,,Samarqand,\n"
    );
    let kz = format!(
        "{HEADER}KZ-1,Хусан,Каримов,,М,01.04.2012,,UZ,,Зарина,Каримова,Алматы,Рустам\n\
         KZ-2,Гульнора,Рахимова,,Ж,1988,,UZ,,,,Шымкент,\n"
    );
    let truth = "person_id,node,record_id\nhasan,UZ,UZ-1\nhusan,KZ,KZ-1\np2,UZ,UZ-2\np2,KZ,KZ-2\n";
    for (name, text) in [("uz.csv", uz.as_str()), ("kz.csv", kz.as_str()), ("truth.csv", truth)] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let path = |name: &str| dir.path().join(name).display().to_string();
    let run = |json: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_homeward"));
        command.args(["eval", "--errors", "5", "--timeout", "120"]);
        command.args(["--node", &format!("UZ={}", path("uz.csv")), "--node", &format!("KZ={}", path("kz.csv"))]);
        command.args(["--truth", &path("truth.csv")]);
        if json {
            command.arg("--json");
        }
        let output = command.output().expect("run homeward eval");
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        assert!(output.status.success(), "eval failed: {}\n{stdout}", String::from_utf8_lossy(&output.stderr));
        stdout
    };
    let summary: serde_json::Value = serde_json::from_str(run(true).trim()).expect("one JSON object");
    let errors = &summary["errors"]["same person"];
    assert_eq!(errors["false_auto_total"].as_u64(), Some(0), "the twins are not auto-confirmed: {summary}");
    assert_eq!(errors["false_review_total"].as_u64(), Some(1), "{summary}");
    let twins = &errors["false_review"][0];
    assert_eq!((twins["a"].as_str(), twins["b"].as_str()), (Some("KZ:KZ-1"), Some("UZ:UZ-1")), "{summary}");
    assert!(twins["link"].as_str().is_some_and(|l| l.contains("!given_name")), "the round shows why: {summary}");
    assert!(twins["b_record"].as_str().is_some_and(|r| r.contains("Hasan")), "{summary}");
    // What family keys would use: the nationality and the mother the record names.
    assert!(
        twins["b_record"].as_str().is_some_and(|r| r.contains("nationality UZ, mother Zarina Karimova, Toshkent")),
        "{summary}"
    );
    assert_eq!(errors["missed_total"].as_u64(), Some(1), "{summary}");
    assert!(errors["missed"][0]["a_record"].as_str().is_some_and(|r| r.contains("Рахимова")), "{summary}");

    let text = run(false);
    assert!(text.contains("same person: false links for review (1)"), "{text}");
    assert!(text.contains("same person: true pairs not auto-confirmed (1)"), "{text}");
    assert!(text.contains("KZ:KZ-2 (Рахимова, Гульнора, 1988, nationality UZ, Шымкент)"), "{text}");
}
