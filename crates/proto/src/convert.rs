//! Conversions between `pb` messages and `homeward_core` types.

use crate::pb;
use homeward_core::person::{IdentityDocument, ParentNames, PartialDate, Person, PersonError, Sex};

fn sex_from_pb(value: i32) -> Result<Sex, PersonError> {
    match pb::Sex::try_from(value) {
        Ok(pb::Sex::Unspecified) => Ok(Sex::Unknown),
        Ok(pb::Sex::Male) => Ok(Sex::Male),
        Ok(pb::Sex::Female) => Ok(Sex::Female),
        Err(_) => Err(PersonError::invalid("sex", format!("unknown value {value}"))),
    }
}

pub fn sex_to_pb(sex: Sex) -> pb::Sex {
    match sex {
        Sex::Unknown => pb::Sex::Unspecified,
        Sex::Male => pb::Sex::Male,
        Sex::Female => pb::Sex::Female,
    }
}

fn parent_from_pb(field: &'static str, parent: Option<pb::ParentNames>) -> Result<ParentNames, PersonError> {
    let parent = parent.unwrap_or_default();
    let date_of_birth =
        PartialDate::parse_birth(&parent.date_of_birth).map_err(|e| PersonError::invalid(field, e.to_string()))?;
    Ok(ParentNames {
        given_name: parent.given_name,
        family_name: parent.family_name,
        patronymic: parent.patronymic,
        date_of_birth,
    })
}

fn parent_to_pb(parent: &ParentNames) -> Option<pb::ParentNames> {
    if parent.is_empty() {
        return None;
    }
    Some(pb::ParentNames {
        given_name: parent.given_name.clone(),
        family_name: parent.family_name.clone(),
        patronymic: parent.patronymic.clone(),
        date_of_birth: parent.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
    })
}

/// Checks a person from the wire and turns it into a validated domain person.
pub fn person_from_pb(person: pb::Person) -> Result<Person, PersonError> {
    let domain = Person {
        record_id: person.record_id,
        given_name: person.given_name,
        family_name: person.family_name,
        patronymic: person.patronymic,
        aliases: person.aliases,
        sex: sex_from_pb(person.sex)?,
        date_of_birth: PartialDate::parse_birth(&person.date_of_birth)?,
        place_of_birth: person.place_of_birth,
        nationalities: person.nationalities,
        documents: person
            .documents
            .into_iter()
            .map(|d| IdentityDocument { kind: d.r#type, number: d.number, issuing_country: d.issuing_country })
            .collect(),
        mother: parent_from_pb("mother", person.mother)?,
        father: parent_from_pb("father", person.father)?,
        locality: person.locality,
    };
    domain.validated()
}

/// A domain person for the wire; `minor` and the times are filled in by the caller.
pub fn person_to_pb(person: &Person) -> pb::Person {
    pb::Person {
        record_id: person.record_id.clone(),
        given_name: person.given_name.clone(),
        family_name: person.family_name.clone(),
        patronymic: person.patronymic.clone(),
        aliases: person.aliases.clone(),
        sex: sex_to_pb(person.sex) as i32,
        date_of_birth: person.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        place_of_birth: person.place_of_birth.clone(),
        nationalities: person.nationalities.clone(),
        documents: person
            .documents
            .iter()
            .map(|d| pb::IdentityDocument {
                r#type: d.kind.clone(),
                number: d.number.clone(),
                issuing_country: d.issuing_country.clone(),
            })
            .collect(),
        mother: parent_to_pb(&person.mother),
        father: parent_to_pb(&person.father),
        locality: person.locality.clone(),
        minor: false,
        create_time: 0,
        update_time: 0,
    }
}
