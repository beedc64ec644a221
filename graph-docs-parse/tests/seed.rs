//! The seed page, `docs/api/driveitem-createuploadsession.md`, parsed field by field.

use std::path::{Path, PathBuf};

use graph_docs_parse::*;
use serde_json::json;

fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/api/driveitem-createuploadsession.md")
}

fn seed() -> (ApiPage, Vec<Diagnostic>) {
    let path = seed_path();
    let text = std::fs::read_to_string(&path).expect("the seed page is in docs/api");
    match parse_page(&path, &text) {
        (Page::Api(a), d) => (a, d),
        (other, _) => panic!("seed parsed as {other:?}"),
    }
}

const ROUTES: [&str; 23] = [
    "/drives/{drivesId}/root/createUploadSession",
    "/shares/{sharesId}/root/createUploadSession",
    "/workbooks/{workbooksId}/createUploadSession",
    "/shares/{sharesId}/driveItem/createUploadSession",
    "/me/joinedGroups/{groupId}/drive/root/createUploadSession",
    "/drives/{drivesId}/items/{driveItemId}/createUploadSession",
    "/shares/{sharesId}/items/{driveItemId}/createUploadSession",
    "/drives/{drivesId}/bundles/{driveItemId}/createUploadSession",
    "/drives/{drivesId}/special/{driveItemId}/createUploadSession",
    "/drives/{drivesId}/following/{driveItemId}/createUploadSession",
    "/workbooks/{workbooksId}/children/{driveItemId}/createUploadSession",
    "/me/joinedGroups/{groupId}/drive/items/{driveItemId}/createUploadSession",
    "/me/joinedGroups/{groupId}/drive/bundles/{driveItemId}/createUploadSession",
    "/me/joinedGroups/{groupId}/drive/special/{driveItemId}/createUploadSession",
    "/me/joinedGroups/{groupId}/drive/following/{driveItemId}/createUploadSession",
    "/me/joinedGroups/{groupId}/team/channels/{channelId}/filesFolder/createUploadSession",
    "/me/joinedGroups/{groupId}/drive/activities/{itemActivityOLDId}/driveItem/createUploadSession",
    "/me/joinedGroups/{groupId}/drive/activities/{itemActivityOLDId}/driveItem/listItem/driveItem/createUploadSession",
    "/me/joinedGroups/{groupId}/drive/activities/{itemActivityOLDId}/driveItem/children/{driveItemId}/createUploadSession",
    "/me/joinedGroups/{groupId}/sites/{siteId}/items/{baseItemId}/microsoft.graph.sharedDriveItem/root/createUploadSession",
    "/me/joinedGroups/{groupId}/sites/{siteId}/items/{baseItemId}/microsoft.graph.sharedDriveItem/driveItem/createUploadSession",
    "/me/joinedGroups/{groupId}/sites/{siteId}/items/{baseItemId}/microsoft.graph.sharedDriveItem/items/{driveItemId}/createUploadSession",
    "/me/joinedGroups/{groupId}/drive/activities/{itemActivityOLDId}/driveItem/analytics/itemActivityStats/{itemActivityStatId}/activities/{itemActivityId}/driveItem/createUploadSession",
];

#[test]
fn seed_meta() {
    let (a, _) = seed();
    assert_eq!(a.meta.title.as_deref(), Some("createUploadSession"));
    assert_eq!(a.meta.description.as_deref(), Some(""));
    assert_eq!(a.meta.doc_type.as_deref(), Some("apiPageType"));
    assert_eq!(
        a.meta.front_matter.get("localization_priority"),
        Some("Normal")
    );
    assert_eq!(a.meta.front_matter.len(), 6);
    assert_eq!(a.meta.h1.as_deref(), Some("createUploadSession"));
    assert_eq!(a.meta.namespace.as_deref(), Some("microsoft.graph"));
    assert_eq!(a.meta.path, seed_path());
}

#[test]
fn seed_routes_exactly() {
    let (a, _) = seed();
    let paths: Vec<&str> = a.routes.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ROUTES);
    assert!(a
        .routes
        .iter()
        .all(|r| r.method == Method::Post && r.query.is_none()));
    // the block's first line is line 31 of the page
    assert_eq!(a.routes[0].loc, Loc { line: 31, col: 1 });
    assert_eq!(a.routes[22].loc, Loc { line: 53, col: 1 });
    assert_eq!(
        a.routes[0].original,
        "POST /drives/{drivesId}/root/createUploadSession"
    );
    assert_eq!(
        a.routes[0].segments,
        vec![
            Segment::Literal("drives".into()),
            Segment::Key {
                names: vec!["drivesId".into()]
            },
            Segment::Literal("root".into()),
            Segment::Literal("createUploadSession".into()),
        ]
    );
    assert_eq!(
        a.routes[19].segments[7],
        Segment::Cast("microsoft.graph.sharedDriveItem".into())
    );
    assert_eq!(a.routes[0].key(), "/drives/{}/root/createUploadSession");
    // 23 distinct endpoints
    let keys: std::collections::BTreeSet<String> = a.routes.iter().map(|r| r.key()).collect();
    assert_eq!(keys.len(), 23);
}

#[test]
fn seed_permissions() {
    let (a, d) = seed();
    assert_eq!(a.permissions.delegated_work, PermissionState::Unknown);
    assert_eq!(
        a.permissions.delegated_personal,
        PermissionState::NotSupported
    );
    assert_eq!(a.permissions.application, PermissionState::Unknown);
    assert_eq!(a.permissions.source, PermissionSource::Inline);
    let todo: Vec<_> = d.iter().filter(|x| x.code == "GD021").collect();
    assert_eq!(todo.len(), 2, "{d:#?}");
    assert!(todo[0]
        .message
        .contains("Delegated (work or school account)"));
    assert!(todo[1].message.contains("Application"));
}

#[test]
fn seed_headers_and_body() {
    let (a, _) = seed();
    assert_eq!(a.headers.len(), 2);
    assert_eq!(a.headers[0].name, "Authorization");
    assert_eq!(a.headers[0].value, "Bearer {token}");
    assert_eq!(a.headers[0].description, "Bearer {token}.Required");
    assert_eq!(a.headers[0].required, Some(true));
    assert_eq!(a.headers[1].name, "Content-Type");
    assert_eq!(a.headers[1].value, "application/json");
    assert_eq!(a.headers[1].required, Some(true));

    assert_eq!(a.body, RequestBody::Params);
    assert_eq!(a.body_params.len(), 2);
    assert_eq!(a.body_params[0].name, "item");
    assert_eq!(
        a.body_params[0].ty,
        TypeRef::Named {
            name: "driveItemUploadableProperties".into(),
            link: Some("../resources/driveitemuploadableproperties.md".into())
        }
    );
    assert_eq!(a.body_params[0].description, "");
    assert!(!a.body_params[0].required);
    assert_eq!(a.body_params[1].name, "deferCommit");
    assert_eq!(a.body_params[1].ty, TypeRef::Primitive(Primitive::Boolean));
    assert!(a.odata_options.is_empty());
    assert!(a.query_params.is_empty());
}

#[test]
fn seed_response() {
    let (a, _) = seed();
    let r = a.response.expect("response sentence");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        ResponseBody::Single(TypeRef::Named {
            name: "uploadSession".into(),
            link: Some("../resources/uploadsession.md".into())
        })
    );
    assert_eq!(r.loc.line, 75);
}

#[test]
fn seed_example_pair() {
    let (a, _) = seed();
    assert_eq!(a.examples.len(), 1);
    let e = &a.examples[0];
    assert_eq!(e.name.as_deref(), Some("driveitem_createuploadsession"));
    let req = e.request.as_ref().expect("request");
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url,
        "https://graph.microsoft.com/localtest/drives/{drivesId}/root/createUploadSession"
    );
    assert_eq!(
        req.headers,
        vec![
            ("Content-type".to_string(), "application/json".to_string()),
            ("Content-length".to_string(), "134".to_string())
        ]
    );
    assert_eq!(req.annotation.get("blockType"), Some(&json!("request")));
    assert_eq!(
        req.annotation.get("name"),
        Some(&json!("driveitem_createuploadsession"))
    );
    assert_eq!(
        req.json.as_deref(),
        Some(&json!({
            "item": {"@odata.type": "microsoft.graph.driveItemUploadableProperties", "fileSize": 8},
            "deferCommit": true
        }))
    );
    assert!(req.body.as_deref().unwrap().starts_with("{\n  \"item\""));
    assert_eq!(req.loc.line, 86);

    let resp = e.response.as_ref().expect("response");
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.headers,
        vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            ("Content-Length".to_string(), "75".to_string())
        ]
    );
    assert_eq!(resp.annotation.get("truncated"), Some(&json!(true)));
    assert_eq!(
        resp.annotation.get("@odata.type"),
        Some(&json!("microsoft.graph.uploadsession"))
    );
    assert_eq!(
        resp.json.as_deref(),
        Some(&json!({"value": {"@odata.type": "microsoft.graph.uploadSession"}}))
    );
}

#[test]
fn seed_diagnostics_are_only_the_todo_scopes() {
    let (_, d) = seed();
    let codes: Vec<&str> = d.iter().map(|x| x.code).collect();
    assert_eq!(codes, ["GD021", "GD021"], "{d:#?}");
    assert!(d
        .iter()
        .all(|x| x.severity == Severity::Warning && x.loc.line == 19));
}
