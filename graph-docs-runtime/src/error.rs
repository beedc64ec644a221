//! The one error type of the runtime.

/// Everything that can go wrong building, sending or decoding a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller supplied something that cannot be sent (a bad header value, a body that does
    /// not serialise, an invalid base URL, ...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The response body could not be decoded into the expected type.
    #[error("could not decode the response as {type_name}: {message}; body starts with: {excerpt}")]
    Decode {
        /// The Rust type that was expected.
        type_name: &'static str,
        /// What serde said.
        message: String,
        /// The first bytes of the body.
        excerpt: String,
    },
}
