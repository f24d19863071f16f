use homeward_core::matching::normalise;
#[test]
fn probe() {
    for (a, b) in [
        ("Алиевич", "Aliuly"),
        ("Асқатқызы", "Асхатовна"),
        ("Nurlanowiç", "Нурланович"),
        ("Ilhomowiç", "Ильхомович"),
        ("Азиз угли", "Азизович"),
    ] {
        println!("P {} {}", normalise::patronymic(a), normalise::patronymic(b));
    }
}
