//! The one mapping from errors to gRPC status codes.

use homeward_store::StoreError;
use tonic::Status;

pub fn store_status(error: StoreError) -> Status {
    match error {
        StoreError::NotFound(what) => Status::not_found(format!("{what} not found")),
        StoreError::AlreadyExists(what) => Status::already_exists(format!("{what} already exists")),
        StoreError::FailedPrecondition(why) => Status::failed_precondition(why),
        other => {
            tracing::error!(error = %other, "storage failure");
            Status::internal("storage failure")
        }
    }
}

pub fn internal(context: &str, error: impl std::fmt::Display) -> Status {
    tracing::error!(%error, context, "internal error");
    Status::internal(context.to_string())
}

/// A case-management refusal: a bad value names its field (InvalidArgument); a move the
/// lifecycle does not allow is FailedPrecondition.
pub fn case_status(error: homeward_core::case::CaseError) -> Status {
    match error {
        homeward_core::case::CaseError::Invalid { .. } => Status::invalid_argument(error.to_string()),
        homeward_core::case::CaseError::IllegalTransition { .. } | homeward_core::case::CaseError::Ended { .. } => {
            Status::failed_precondition(error.to_string())
        }
    }
}
