//! Homeward's gRPC API, `homeward.v1`, generated at build time from `proto/`, and the
//! conversions between its messages and the domain types of `homeward-core`.
//!
//! Conversions from the wire validate once, here, at the boundary: a `pb::Person` that becomes a
//! `core::Person` has been checked field by field, and errors name the field at fault.

#[allow(clippy::all, clippy::pedantic)]
pub mod pb {
    tonic::include_proto!("homeward.v1");

    /// The encoded descriptor set for the reflection service.
    pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("homeward_descriptor");
}

pub mod case;
pub mod convert;
