//! Benchmarks for normalisation and key derivation (criterion): the per-record cost before any
//! token crypto.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use homeward_core::matching::{match_keys, normalise};
use homeward_core::{IdentityDocument, ParentNames, PartialDate, Person, Sex};

fn record() -> Person {
    Person {
        record_id: "r1".into(),
        given_name: "Xurshida".into(),
        family_name: "Yusupova".into(),
        patronymic: "Ahmad qizi".into(),
        aliases: vec!["Хуршида Юсупова".into()],
        sex: Sex::Female,
        date_of_birth: PartialDate::parse("1991-04-12").unwrap(),
        place_of_birth: "Namangan".into(),
        nationalities: vec!["UZ".into()],
        documents: vec![IdentityDocument {
            kind: "passport".into(),
            number: "AA1234567".into(),
            issuing_country: "UZ".into(),
        }],
        mother: ParentNames::default(),
        father: ParentNames::default(),
        locality: "Tashkent".into(),
    }
}

fn normalisation(c: &mut Criterion) {
    c.bench_function("normalise/family_name_cyrillic", |b| b.iter(|| normalise::family_name(black_box("Рахимзода"))));
    c.bench_function("normalise/given_name_uzbek_latin", |b| b.iter(|| normalise::given_name(black_box("Oʻtkirbek"))));
    c.bench_function("normalise/names_with_patronymic", |b| {
        b.iter(|| normalise::names(black_box("Gulnora"), black_box("Karimova Ahmad qizi"), black_box("")))
    });
}

fn keys(c: &mut Criterion) {
    let person = record();
    c.bench_function("keys/match_keys_adult_woman", |b| b.iter(|| match_keys(black_box(&person), (2026, 11, 28))));
}

criterion_group!(benches, normalisation, keys);
criterion_main!(benches);
