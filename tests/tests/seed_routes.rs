//! Every one of the seed page's 23 routes is reachable from `Client` and builds its exact
//! request: method, URL, headers and JSON body.

use generated_client::models::DriveItemUploadableProperties;
use generated_client::requests::CreateUploadSessionRequest;
use generated_client::Client;

const BASE: &str = "https://graph.microsoft.com/v1.0";

fn check(req: CreateUploadSessionRequest, path: &str) {
    let built = req
        .item(DriveItemUploadableProperties {
            file_size: Some(8),
            ..Default::default()
        })
        .defer_commit(true)
        .build()
        .expect("builds");
    assert_eq!(built.method(), "POST");
    assert_eq!(built.uri().to_string(), format!("{BASE}{path}"));
    let headers: Vec<(String, String)> = built
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        headers,
        vec![("content-type".to_string(), "application/json".to_string())]
    );
    assert_eq!(
        std::str::from_utf8(built.body()).unwrap(),
        r#"{"item":{"fileSize":8},"deferCommit":true}"#
    );
}

#[test]
fn acceptance_example() {
    let c = Client::new("token");
    check(
        c.drives().by_id("d1").root().create_upload_session(),
        "/drives/d1/root/createUploadSession",
    );
}

#[test]
fn all_23_seed_routes() {
    let c = Client::new("token");
    let g = || c.me().joined_groups().by_id("g1");
    let act = || g().drive().activities().by_id("a1").drive_item();
    let shared = || {
        g().sites()
            .by_id("s1")
            .items()
            .by_id("b1")
            .as_shared_drive_item()
    };
    let cases: Vec<(CreateUploadSessionRequest, &str)> = vec![
        (c.drives().by_id("d1").root().create_upload_session(), "/drives/d1/root/createUploadSession"),
        (c.shares().by_id("s1").root().create_upload_session(), "/shares/s1/root/createUploadSession"),
        (c.workbooks().by_id("w1").create_upload_session(), "/workbooks/w1/createUploadSession"),
        (c.shares().by_id("s1").drive_item().create_upload_session(), "/shares/s1/driveItem/createUploadSession"),
        (g().drive().root().create_upload_session(), "/me/joinedGroups/g1/drive/root/createUploadSession"),
        (c.drives().by_id("d1").items().by_id("i1").create_upload_session(), "/drives/d1/items/i1/createUploadSession"),
        (c.shares().by_id("s1").items().by_id("i1").create_upload_session(), "/shares/s1/items/i1/createUploadSession"),
        (c.drives().by_id("d1").bundles().by_id("i1").create_upload_session(), "/drives/d1/bundles/i1/createUploadSession"),
        (c.drives().by_id("d1").special().by_id("i1").create_upload_session(), "/drives/d1/special/i1/createUploadSession"),
        (c.drives().by_id("d1").following().by_id("i1").create_upload_session(), "/drives/d1/following/i1/createUploadSession"),
        (c.workbooks().by_id("w1").children().by_id("i1").create_upload_session(), "/workbooks/w1/children/i1/createUploadSession"),
        (g().drive().items().by_id("i1").create_upload_session(), "/me/joinedGroups/g1/drive/items/i1/createUploadSession"),
        (g().drive().bundles().by_id("i1").create_upload_session(), "/me/joinedGroups/g1/drive/bundles/i1/createUploadSession"),
        (g().drive().special().by_id("i1").create_upload_session(), "/me/joinedGroups/g1/drive/special/i1/createUploadSession"),
        (g().drive().following().by_id("i1").create_upload_session(), "/me/joinedGroups/g1/drive/following/i1/createUploadSession"),
        (g().team().channels().by_id("c1").files_folder().create_upload_session(), "/me/joinedGroups/g1/team/channels/c1/filesFolder/createUploadSession"),
        (act().create_upload_session(), "/me/joinedGroups/g1/drive/activities/a1/driveItem/createUploadSession"),
        (act().list_item().drive_item().create_upload_session(), "/me/joinedGroups/g1/drive/activities/a1/driveItem/listItem/driveItem/createUploadSession"),
        (act().children().by_id("i1").create_upload_session(), "/me/joinedGroups/g1/drive/activities/a1/driveItem/children/i1/createUploadSession"),
        (shared().root().create_upload_session(), "/me/joinedGroups/g1/sites/s1/items/b1/microsoft.graph.sharedDriveItem/root/createUploadSession"),
        (shared().drive_item().create_upload_session(), "/me/joinedGroups/g1/sites/s1/items/b1/microsoft.graph.sharedDriveItem/driveItem/createUploadSession"),
        (shared().items().by_id("i1").create_upload_session(), "/me/joinedGroups/g1/sites/s1/items/b1/microsoft.graph.sharedDriveItem/items/i1/createUploadSession"),
        (
            act().analytics().item_activity_stats().by_id("st1").activities().by_id("a2").drive_item().create_upload_session(),
            "/me/joinedGroups/g1/drive/activities/a1/driveItem/analytics/itemActivityStats/st1/activities/a2/driveItem/createUploadSession",
        ),
    ];
    assert_eq!(cases.len(), 23);
    for (req, path) in cases {
        check(req, path);
    }
}

#[test]
fn path_values_stay_in_their_segment() {
    let c = Client::new("token");
    check(
        c.drives()
            .by_id("a/b?c#d%e f")
            .items()
            .by_id("..")
            .create_upload_session(),
        "/drives/a%2Fb%3Fc%23d%25e%20f/items/%2E%2E/createUploadSession",
    );
}

#[test]
fn operation_metadata_carries_permissions_and_routes() {
    let c = Client::new("token");
    let req = c
        .drives()
        .by_id("d1")
        .root()
        .create_upload_session()
        .into_request();
    let op = req.operation();
    assert_eq!(op.name, "createUploadSession");
    assert_eq!(op.method, "POST");
    assert_eq!(op.doc, "api/driveitem-createuploadsession.md");
    assert_eq!(
        op.routes,
        &["POST /drives/{drivesId}/root/createUploadSession"]
    );
    use generated_client::runtime::Scopes;
    assert_eq!(op.permissions.delegated_work, Scopes::Unknown);
    assert_eq!(op.permissions.delegated_personal, Scopes::NotSupported);
    assert_eq!(op.permissions.application, Scopes::Unknown);
}

#[test]
fn everyday_drive_operations_build_exact_requests() {
    let c = Client::new("token");
    let r = c
        .me()
        .drive()
        .items()
        .by_id("01ABC")
        .delete()
        .if_match("\"etag-1\"")
        .build()
        .unwrap();
    assert_eq!(r.method(), "DELETE");
    assert_eq!(r.uri().to_string(), format!("{BASE}/me/drive/items/01ABC"));
    assert_eq!(r.headers()["if-match"], "\"etag-1\"");
    assert!(r.body().is_empty());

    let r = c
        .me()
        .drive()
        .root()
        .item_by_path("Documents/a b.txt")
        .content()
        .put("text/plain", b"hello".to_vec())
        .build()
        .unwrap();
    assert_eq!(r.method(), "PUT");
    assert_eq!(
        r.uri().to_string(),
        format!("{BASE}/me/drive/root:/Documents/a%20b.txt:/content")
    );
    assert_eq!(r.headers()["content-type"], "text/plain");
    assert_eq!(r.body().as_slice(), b"hello");

    let r = c
        .me()
        .drive()
        .root()
        .children()
        .get()
        .select(["id", "name"])
        .top(2)
        .build()
        .unwrap();
    assert_eq!(
        r.uri().to_string(),
        format!("{BASE}/me/drive/root/children?$select=id,name&$top=2")
    );
}
