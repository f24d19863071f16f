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
