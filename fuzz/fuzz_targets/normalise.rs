//! Every normaliser on arbitrary UTF-8: no panic, and folding is idempotent.
#![no_main]

use homeward_core::matching::normalise;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let given = normalise::given_name(text);
    assert_eq!(normalise::given_name(&given), given);
    let family = normalise::family_name(text);
    assert_eq!(normalise::family_name(&family), family);
    let patronymic = normalise::patronymic(text);
    assert_eq!(normalise::patronymic(&patronymic), patronymic);
    let folded = normalise::fold(text);
    assert_eq!(normalise::fold(&folded), folded);
    let _ = normalise::skeleton(&family);
    let _ = normalise::document_number(text);
    let _ = normalise::nationality(text);
    let place = normalise::place(text);
    assert_eq!(normalise::place(&place), place);
    let _ = normalise::split_patronymic(text);
    let _ = normalise::looks_like_family_name(text);
    let _ = normalise::names(text, text, text);
    let _ = normalise::name_fields(text, "", text);
    let _ = normalise::name_fields("", text, "");
});
