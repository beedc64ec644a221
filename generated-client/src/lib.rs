//! A typed Microsoft Graph client generated at compile time from the pages in `docs/`.
//!
//! Everything below is produced by one line, `include_graph_api!("../docs")`: the `Client`,
//! the `paths` node types, the `requests` builders, the `models` and the `operations`
//! metadata. Add a page to `docs/` and the next `cargo build` has the new endpoint.
//!
//! ```no_run
//! # async fn demo() -> Result<(), generated_client::runtime::Error> {
//! use generated_client::{models::DriveItemUploadableProperties, Client};
//!
//! let client = Client::new("<token>");
//! let session = client
//!     .drives()
//!     .by_id("d1")
//!     .root()
//!     .create_upload_session()
//!     .item(DriveItemUploadableProperties { file_size: Some(8), ..Default::default() })
//!     .defer_commit(true)
//!     .send()
//!     .await?;
//! println!("{:?}", session.upload_url);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

graph_docs_macros::include_graph_api!("../docs", example_tests = true);

/// The runtime the generated code calls (client settings, errors, paging, uploads).
pub use graph_docs_runtime as runtime;
