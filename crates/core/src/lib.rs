//! Homeward's domain: who a person is, how a record is normalised and turned into match keys,
//! how agreeing keys are scored, and the blinded-token maths that lets two nodes compare keys
//! without either learning the other's data.
//!
//! This crate does no IO and knows nothing of gRPC or storage; every other crate depends on it,
//! it depends on none of them.

pub mod case;
pub mod country;
pub mod import;
pub mod matching;
pub mod person;
pub mod synth;
pub mod token;

pub use person::{IdentityDocument, ParentNames, PartialDate, Person, PersonError, Sex};
