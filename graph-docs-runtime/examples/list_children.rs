//! Lists the children of the signed-in user's drive root with the runtime alone (no generated
//! code): a `Path`, an `Operation` and `Request::items()`, which follows `@odata.nextLink`.
//!
//! ```text
//! cargo run -p graph-docs-runtime --example list_children            # in-process mock server
//! GRAPH_TOKEN=eyJ0... cargo run -p graph-docs-runtime --example list_children   # real service
//! ```
//!
//! Without `GRAPH_TOKEN` a small axum server on 127.0.0.1 plays the service: it checks the
//! bearer token and serves the listing in two pages.

use futures_util::StreamExt;
use graph_docs_runtime::{Client, Collection, Operation, Path, Permissions, Scopes};
use serde::Deserialize;

/// What the generated client would carry for "List children of a driveItem".
static LIST_CHILDREN: Operation = Operation {
    name: "get",
    method: "GET",
    routes: &[
        "/me/drive/root/children",
        "/drives/{drive-id}/items/{item-id}/children",
    ],
    doc: "api/driveitem-list-children.md",
    permissions: Permissions {
        delegated_work: Scopes::AnyOf(&["Files.Read", "Files.ReadWrite", "Files.Read.All"]),
        delegated_personal: Scopes::AnyOf(&["Files.Read", "Files.ReadWrite"]),
        application: Scopes::AnyOf(&["Files.Read.All", "Files.ReadWrite.All"]),
    },
};

#[derive(Debug, Deserialize)]
struct DriveItem {
    name: String,
    #[serde(default)]
    size: i64,
    #[serde(default)]
    folder: Option<serde_json::Value>,
}

#[tokio::main]
async fn main() {
    let client = match std::env::var("GRAPH_TOKEN") {
        Ok(token) if !token.is_empty() => Client::new(token),
        _ => {
            let base = mock::start().await;
            println!("GRAPH_TOKEN is not set: using a mock server at {base}");
            Client::builder()
                .base_url(format!("{base}/v1.0"))
                .token("mock-token")
                .build()
        }
    };

    let request = Path::root(&client)
        .segment("me")
        .segment("drive")
        .segment("root")
        .segment("children")
        .request::<Collection<DriveItem>>(&LIST_CHILDREN)
        .select(["name", "size", "folder"])
        .top(2);
    println!("GET {}", request.url());

    let mut items = std::pin::pin!(request.items().take(100));
    let mut count = 0;
    while let Some(item) = items.next().await {
        match item {
            Ok(item) => {
                count += 1;
                let kind = if item.folder.is_some() {
                    "folder"
                } else {
                    "file"
                };
                println!("{:<6} {:>10} bytes  {}", kind, item.size, item.name);
            }
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
    }
    println!("{count} items");
}

mod mock {
    use axum::extract::{Query, State};
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::routing::get;
    use axum::{Json, Router};
    use serde_json::json;
    use std::collections::HashMap;

    /// Starts the mock on 127.0.0.1 and returns its base URL.
    pub async fn start() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = Router::new()
            .route("/v1.0/me/drive/root/children", get(children))
            .with_state(base.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        base
    }

    async fn children(
        State(base): State<String>,
        headers: HeaderMap,
        Query(q): Query<HashMap<String, String>>,
    ) -> Response {
        if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer mock-token") {
            let body = json!({"error": {"code": "InvalidAuthenticationToken",
                                        "message": "Access token is empty."}});
            return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
        }
        let page = match q.get("$skiptoken").map(String::as_str) {
            None => json!({
                "value": [
                    {"name": "Documents", "size": 40960, "folder": {"childCount": 3}},
                    {"name": "notes.txt", "size": 1234},
                ],
                "@odata.nextLink":
                    format!("{base}/v1.0/me/drive/root/children?$select=name,size,folder&$top=2&$skiptoken=2"),
            }),
            Some(_) => json!({"value": [{"name": "photo.jpg", "size": 2_500_000}]}),
        };
        Json(page).into_response()
    }
}
