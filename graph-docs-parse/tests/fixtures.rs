//! The IR on small hand-written pages: every route shape, table shape and permissions variant.

use std::path::Path;

use graph_docs_parse::*;
use serde_json::json;

fn api(text: &str) -> (ApiPage, Vec<Diagnostic>) {
    api_at(Path::new("api/x.md"), text)
}

fn api_at(path: &Path, text: &str) -> (ApiPage, Vec<Diagnostic>) {
    match parse_page(path, text) {
        (Page::Api(a), d) => (a, d),
        (p, d) => panic!("not an API page: {p:?} {d:?}"),
    }
}

fn scopes(s: &[&str]) -> PermissionState {
    PermissionState::Scopes(s.iter().map(|x| x.to_string()).collect())
}

fn named(n: &str, link: Option<&str>) -> TypeRef {
    TypeRef::Named {
        name: n.into(),
        link: link.map(str::to_string),
    }
}

const ROUTES_PAGE: &str = "# Get things\n\n## HTTP Request\n\nFor a user:\n\n```HTTP\nGET /users/{id | userPrincipalName}/events/{id}\nGET https://graph.microsoft.com/v1.0/me/calendar/reminderView(startDateTime={startDateTime},endDateTime={endDateTime})\nGET me/drive/root/delta()/\nGET /sites/{site-id}/lists('{list-id}')/items?$expand=fields\nGET /workbook/worksheets({id})/range(address='{address}')\nPUT /me/drive/root:/{item-path}:/content\nPUT /me/drive/items/{parent-id}:/{filename}:/content\nGET /items/{id}/microsoft.graph.sharedDriveItem/driveItem/$value\nDELETE /groups/{id}/members/{id}/$ref\nGET /users/$count\n```\n\n```\nGET   /beta/users/{userId} \nThis is not a route\nPOST /x/{broken\n```\n";

#[test]
fn every_route_shape() {
    let (a, d) = api(ROUTES_PAGE);
    let paths: Vec<&str> = a.routes.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/users/{id|userPrincipalName}/events/{id}",
            "/me/calendar/reminderView(startDateTime={startDateTime},endDateTime={endDateTime})",
            "/me/drive/root/delta()",
            "/sites/{site-id}/lists('{list-id}')/items",
            "/workbook/worksheets({id})/range(address='{address}')",
            "/me/drive/root:/{item-path}:/content",
            "/me/drive/items/{parent-id}:/{filename}:/content",
            "/items/{id}/microsoft.graph.sharedDriveItem/driveItem/$value",
            "/groups/{id}/members/{id}/$ref",
            "/users/$count",
            "/users/{userId}",
        ]
    );
    assert_eq!(a.routes[3].query.as_deref(), Some("$expand=fields"));
    assert_eq!(a.routes[10].original, "GET   /beta/users/{userId} ");
    assert_eq!(a.routes[0].key(), "/users/{}/events/{}");
    assert_eq!(a.routes[10].key(), "/users/{}");
    assert_eq!(a.routes[0].loc, Loc { line: 8, col: 1 });
    assert_eq!(
        a.routes[2].segments.last(),
        Some(&Segment::Function {
            name: "delta".into(),
            params: vec![]
        })
    );
    assert_eq!(
        a.routes[4].segments[1],
        Segment::KeyInParens {
            collection: "worksheets".into(),
            names: vec!["id".into()],
            quoted: false
        }
    );
    assert_eq!(
        a.routes[5].segments[3],
        Segment::ColonPath {
            parts: vec![PathPart::Placeholder("item-path".into())],
            closed: true
        }
    );
    assert_eq!(
        a.routes[7].segments[2],
        Segment::Cast("microsoft.graph.sharedDriveItem".into())
    );
    assert_eq!(a.routes[9].segments[1], Segment::Literal("$count".into()));
    // the two bad lines are located errors
    let errs: Vec<(&str, u32)> = d
        .iter()
        .filter(|x| x.severity == Severity::Error)
        .map(|x| (x.code, x.loc.line))
        .collect();
    assert_eq!(errs, [("GD010", 22), ("GD011", 23)]);
    let msg = d.iter().find(|x| x.code == "GD010").unwrap().to_string();
    assert_eq!(
        msg,
        "api/x.md:22:1: error[GD010]: route line `This is not a route` is not `METHOD /path` (METHOD one of GET, POST, PUT, PATCH, DELETE)"
    );
}

#[test]
fn tables_without_outer_pipes_bold_names_entities_and_br() {
    let page = "# Create thing\n\n## HTTP request\n```http\nPOST /things\n```\n\n## Optional query parameters\nThis method supports the `$select`, `$filter` and `$top` [OData query parameters](/graph/query-parameters).\n\n| Name | Type | Description |\n|---|---|---|\n| startDateTime | DateTimeOffset | The start. Required. |\n\n## Request headers\nName | Value | Description\n---|---|---\n**Authorization** | Bearer &lt;token&gt; | Required.\n`Prefer` | return=minimal | Optional.<br>Asks for less.\n\n## Request body\nIn the request body, supply a JSON representation of the parameters.\n\n| Parameter | Type | Description |\n|:--|:--|:--|\n| **displayName** | String | The name.<br>Required. |\n| `tags` | String collection | Tags. |\n| owners | [user](../resources/user.md) collection | Owners. |\n| `@microsoft.graph.conflictBehavior` | Collection(Edm.Int32) | Optional. |\n\n## Response\nIf successful, this method returns a `201 Created` response code and a collection of [thing](../resources/thing.md) objects in the response body.\n";
    let (a, _) = api(page);
    assert_eq!(a.odata_options, ["select", "filter", "top"]);
    assert_eq!(a.query_params.len(), 1);
    assert_eq!(a.query_params[0].name, "startDateTime");
    assert_eq!(
        a.query_params[0].ty,
        TypeRef::Primitive(Primitive::DateTimeOffset)
    );
    assert!(a.query_params[0].required);

    assert_eq!(a.headers.len(), 2);
    assert_eq!(a.headers[0].name, "Authorization");
    assert_eq!(a.headers[0].value, "Bearer <token>");
    assert_eq!(a.headers[0].required, None); // the value column says nothing; description is elsewhere
    assert_eq!(a.headers[1].name, "Prefer");
    assert_eq!(a.headers[1].value, "return=minimal");

    assert_eq!(a.body, RequestBody::Params);
    let names: Vec<&str> = a.body_params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "displayName",
            "tags",
            "owners",
            "@microsoft.graph.conflictBehavior"
        ]
    );
    assert_eq!(a.body_params[0].description, "The name.\nRequired.");
    assert!(a.body_params[0].required);
    assert!(!a.body_params[1].required);
    assert_eq!(
        a.body_params[1].ty,
        TypeRef::Collection(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    assert_eq!(
        a.body_params[2].ty,
        TypeRef::Collection(Box::new(named("user", Some("../resources/user.md"))))
    );
    assert_eq!(
        a.body_params[3].ty,
        TypeRef::Collection(Box::new(TypeRef::Primitive(Primitive::Int32)))
    );

    let r = a.response.unwrap();
    assert_eq!(r.status, 201);
    assert_eq!(
        r.body,
        ResponseBody::Collection(named("thing", Some("../resources/thing.md")))
    );
}

#[test]
fn request_body_resource_binary_and_204() {
    let (a, _) = api("# Update\n## HTTP request\n```\nPATCH /users/{id}\n```\n## Request body\nIn the request body, supply a JSON representation of a [user](../resources/user.md) object.\n## Response\nIf successful, this method returns a `204 No Content` response code.\n");
    assert_eq!(
        a.body,
        RequestBody::Resource(named("user", Some("../resources/user.md")))
    );
    assert_eq!(a.response.unwrap().body, ResponseBody::None);
    let (a, _) = api("# Upload\n## HTTP request\n```\nPUT /me/drive/items/{id}/content\n```\n## Request body\nThe contents of the file to upload, as a binary stream.\n## Response\nIf successful, this method returns a `200 OK` response code and a [driveItem](../resources/driveitem.md) object.\n");
    assert_eq!(a.body, RequestBody::Binary);
    assert_eq!(
        a.response.unwrap().body,
        ResponseBody::Single(named("driveItem", Some("../resources/driveitem.md")))
    );
    let (a, _) = api("# Get\n## HTTP request\n```\nGET /me/photo/$value\n```\n## Response\nIf successful, this method returns a `200 OK` response code and the binary data of the photo.\n");
    assert_eq!(a.response.unwrap().body, ResponseBody::Binary);
}

#[test]
fn permissions_variants() {
    // least to most, Prerequisites heading, "Not supported"
    let (a, d) = api("# x\n## Prerequisites\n|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n|Delegated (work or school account)|User.Read, User.ReadWrite.All|\n|Delegated (personal Microsoft account)|Not supported.|\n|Application|User.Read.All|\n## HTTP request\n```\nGET /me\n```\n");
    assert_eq!(
        a.permissions.delegated_work,
        scopes(&["User.Read", "User.ReadWrite.All"])
    );
    assert_eq!(
        a.permissions.delegated_personal,
        PermissionState::NotSupported
    );
    assert_eq!(a.permissions.application, scopes(&["User.Read.All"]));
    assert_eq!(a.permissions.source, PermissionSource::Inline);
    assert!(d.iter().all(|x| !x.code.starts_with("GD02")));

    // most to least: reversed; a missing row is unknown with a warning
    let (a, d) = api("# x\n## Permissions\n| Permission type | Permissions (from most to least privileged) |\n|---|---|\n| Delegated (work or school account) | Files.ReadWrite.All, Files.Read |\n## HTTP request\n```\nGET /me\n```\n");
    assert_eq!(
        a.permissions.delegated_work,
        scopes(&["Files.Read", "Files.ReadWrite.All"])
    );
    assert_eq!(a.permissions.application, PermissionState::Unknown);
    assert_eq!(d.iter().filter(|x| x.code == "GD021").count(), 2);

    // transposed: permission types as columns, one row per resource (merged in order)
    let (a, _) = api("# x\n## Permissions\n| Supported resource | Delegated (work or school account) | Delegated (personal Microsoft account) | Application |\n|:--|:--|:--|:--|\n| user | User.Read | User.Read | Not supported. |\n| group | Group.Read.All | Not supported. | Group.Read.All |\n## HTTP request\n```\nGET /me\n```\n");
    assert_eq!(
        a.permissions.delegated_work,
        scopes(&["User.Read", "Group.Read.All"])
    );
    assert_eq!(a.permissions.delegated_personal, scopes(&["User.Read"]));
    assert_eq!(a.permissions.application, scopes(&["Group.Read.All"]));

    // newer pages: least and higher privileged scopes in two columns, least first
    let (a, d) = api("# x\n## Permissions\n|Permission type|Least privileged permissions|Higher privileged permissions|\n|:---|:---|:---|\n|Delegated (work or school account)|User.Read|User.ReadWrite, User.ReadWrite.All|\n|Delegated (personal Microsoft account)|Not supported.|Not supported.|\n|Application|User.Read.All|Not available.|\n## HTTP request\n```\nGET /me\n```\n");
    assert_eq!(
        a.permissions.delegated_work,
        scopes(&["User.Read", "User.ReadWrite", "User.ReadWrite.All"])
    );
    assert_eq!(
        a.permissions.delegated_personal,
        PermissionState::NotSupported
    );
    assert_eq!(a.permissions.application, scopes(&["User.Read.All"]));
    assert!(d.iter().all(|x| !x.code.starts_with("GD02")), "{d:?}");

    // several tables (acting on self / on other users) are merged; a table of scenarios after
    // them, whose rows mention "delegated", is not a permissions table
    let (a, d) = api("# x\n## Permissions\n### Permissions acting on self\n|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n|Delegated (work or school account)|Method.Read|\n|Delegated (personal Microsoft account)|Not supported.|\n|Application|Not supported.|\n### Permissions acting on other users\n|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n|Delegated (work or school account)|Method.Read.All|\n|Delegated (personal Microsoft account)|Not supported.|\n|Application|Method.Read.All, Method.ReadWrite.All|\n\n| Context | Response contains |\n|:--|:--|\n| Delegated permission, admin user | everything |\n## HTTP request\n```\nGET /me/methods\n```\n");
    assert_eq!(
        a.permissions.delegated_work,
        scopes(&["Method.Read", "Method.Read.All"])
    );
    assert_eq!(
        a.permissions.delegated_personal,
        PermissionState::NotSupported
    );
    assert_eq!(
        a.permissions.application,
        scopes(&["Method.Read.All", "Method.ReadWrite.All"])
    );
    assert!(d.iter().all(|x| !x.code.starts_with("GD02")), "{d:?}");

    // transposed with the order stated by the row's label: reversed too
    let (a, _) = api("# x\n## Permissions\n| Permission type | Delegated (work or school account) | Delegated (personal Microsoft account) | Application |\n|---|---|---|---|\n| Permissions (from most to least privileged) | Files.ReadWrite.All, Files.Read | Not supported. | Files.ReadWrite.All, Files.Read.All |\n## HTTP request\n```\nGET /me\n```\n");
    assert_eq!(
        a.permissions.delegated_work,
        scopes(&["Files.Read", "Files.ReadWrite.All"])
    );
    assert_eq!(
        a.permissions.delegated_personal,
        PermissionState::NotSupported
    );
    assert_eq!(
        a.permissions.application,
        scopes(&["Files.Read.All", "Files.ReadWrite.All"])
    );

    // no section at all
    let (a, d) = api("# x\n## HTTP request\n```\nGET /me\n```\n");
    assert_eq!(a.permissions, Permissions::default());
    assert!(d.iter().any(|x| x.code == "GD020"));
}

#[test]
fn permissions_include_resolved_relative_to_the_page() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("api")).unwrap();
    std::fs::create_dir_all(dir.path().join("includes/permissions")).unwrap();
    let inc = dir
        .path()
        .join("includes/permissions/user-get-permissions.md");
    std::fs::write(&inc, "|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n|Delegated (work or school account)|User.Read|\n|Delegated (personal Microsoft account)|User.Read|\n|Application|User.Read.All|\n").unwrap();
    let page_path = dir.path().join("api/user-get.md");
    let text = "# x\n## Permissions\n[!INCLUDE [permissions-table](../includes/permissions/user-get-permissions.md)]\n## HTTP request\n```\nGET /me\n```\n";
    let (a, d) = api_at(&page_path, text);
    assert_eq!(a.permissions.delegated_work, scopes(&["User.Read"]));
    assert_eq!(a.permissions.application, scopes(&["User.Read.All"]));
    assert_eq!(
        a.permissions.source,
        PermissionSource::Include(
            dir.path()
                .join("api/../includes/permissions/user-get-permissions.md")
        )
    );
    assert!(d.iter().all(|x| !x.code.starts_with("GD02")), "{d:?}");

    // missing include: unknown + warning naming the file
    let text = "# x\n## Permissions\n[!INCLUDE [permissions-table](../includes/permissions/nope.md)]\n## HTTP request\n```\nGET /me\n```\n";
    let (a, d) = api_at(&page_path, text);
    assert_eq!(a.permissions.delegated_work, PermissionState::Unknown);
    let w = d.iter().find(|x| x.code == "GD022").expect("warning");
    assert_eq!(w.loc.line, 3);
    assert!(w.message.contains("nope.md"), "{}", w.message);

    // the corpus lists the included file among the files read
    std::fs::write(&page_path, "# x\n## Permissions\n[!INCLUDE [permissions-table](../includes/permissions/user-get-permissions.md)]\n## HTTP request\n```\nGET /me\n```\n").unwrap();
    let c = Corpus::load(&dir.path().join("api")).unwrap();
    assert_eq!(
        c.files,
        vec![
            std::fs::canonicalize(&page_path).unwrap(),
            std::fs::canonicalize(&inc).unwrap()
        ]
    );
}

#[test]
fn unannotated_examples_found_by_heading_and_first_line() {
    let page = "# Get\n## HTTP request\n```http\nGET /me/events\n```\n## Example\n### Request\nHere is an example.\n``` http\nGET https://graph.microsoft.com/v1.0/me/events\nPrefer: outlook.timezone=\"UTC\"\n```\n# [C#](#tab/csharp)\n[!INCLUDE [sample-code](../includes/x.md)]\n\n---\n\n### Response\n```\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{\n  // a comment\n  \"value\": [ {\"id\": \"1\"}, ... ],\n}\n```\n";
    let (a, d) = api(page);
    assert_eq!(a.examples.len(), 1, "{d:?}");
    let e = &a.examples[0];
    assert_eq!(e.name.as_deref(), Some("Example"));
    let req = e.request.as_ref().unwrap();
    assert!(req.annotation.is_empty());
    assert_eq!(
        req.headers,
        vec![("Prefer".to_string(), "outlook.timezone=\"UTC\"".to_string())]
    );
    assert_eq!(req.body, None);
    let resp = e.response.as_ref().unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json.as_deref(), Some(&json!({"value": [{"id": "1"}]})));
}

#[test]
fn malformed_annotation_warns_and_keeps_going() {
    let page = "# Get\n## HTTP request\n```\nGET /me\n```\n## Example\n<!-- {\n  \"blockType\": \"request\",\n  \"name\": \"get_me\",\n} -->\n```http\nGET https://graph.microsoft.com/v1.0/me\n```\n<!-- { \"blockType\": response, oops -->\n```http\nHTTP/1.1 204 No Content\n```\n";
    let (a, d) = api(page);
    assert_eq!(a.examples.len(), 1);
    assert_eq!(a.examples[0].name.as_deref(), Some("get_me"));
    assert_eq!(a.examples[0].response.as_ref().unwrap().status, 204);
    let codes: Vec<(&str, u32)> = d
        .iter()
        .filter(|x| x.code.starts_with("GD04"))
        .map(|x| (x.code, x.loc.line))
        .collect();
    assert_eq!(codes, [("GD040", 7), ("GD041", 14)]);
}

#[test]
fn resource_page_properties_enums_and_json() {
    let page = "---\ntitle: widget resource type\ndoc_type: apiPageType\n---\n# widget resource type\n\nNamespace: microsoft.graph\n\nA widget. Inherits from [entity](entity.md).\n\n## Properties\n| Property | Type | Description |\n|:--|:--|:--|\n| id | String | The id. Read-only. Not nullable. |\n| state | [widgetState](#widgetstate-values) | The state. Possible values are: `on`, `off`, `unknownFutureValue`. |\n| sizes | Int64 collection | Sizes. Nullable. |\n| mystery | ??? | Hmm. |\n\n## Relationships\n| Relationship | Type | Description |\n|:--|:--|:--|\n| parts | [part](part.md) collection | Parts. |\n\n### widgetState values\n| Member | Value | Description |\n|:--|:--|:--|\n| on | 0 | On. |\n| off | 1 | Off. |\n\n## JSON representation\n<!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.widget\", \"keyProperty\": \"id\", \"openType\": true } -->\n```json\n{\n  \"id\": \"string\",\n  \"sizes\": [1024], // comment\n}\n```\n";
    let (p, d) = parse_page(Path::new("resources/widget.md"), page);
    let Page::Resource(r) = p else {
        panic!("not a resource page")
    };
    assert_eq!(r.name, "widget");
    assert_eq!(r.odata_type.as_deref(), Some("microsoft.graph.widget"));
    assert_eq!(r.base_type.as_deref(), Some("entity"));
    assert_eq!(r.key_property.as_deref(), Some("id"));
    assert!(r.open_type);
    let names: Vec<&str> = r.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["id", "state", "sizes", "mystery"]);
    assert!(r.properties[0].read_only);
    assert_eq!(r.properties[0].nullable, Some(false));
    assert_eq!(
        r.properties[1].enum_values,
        ["on", "off", "unknownFutureValue"]
    );
    assert_eq!(
        r.properties[1].ty,
        named("widgetState", Some("#widgetstate-values"))
    );
    assert_eq!(
        r.properties[2].ty,
        TypeRef::Collection(Box::new(TypeRef::Primitive(Primitive::Int64)))
    );
    assert_eq!(r.properties[2].nullable, Some(true));
    assert_eq!(r.properties[3].ty, TypeRef::Unknown("???".into()));
    let unknown = d.iter().find(|x| x.code == "GD030").unwrap();
    assert_eq!((unknown.loc.line, unknown.loc.col), (17, 13));
    assert_eq!(r.relationships.len(), 1);
    assert_eq!(
        r.relationships[0].ty,
        TypeRef::Collection(Box::new(named("part", Some("part.md"))))
    );
    assert_eq!(r.enums.len(), 1);
    assert_eq!(r.enums[0].name, "widgetState");
    assert_eq!(
        r.enums[0]
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.value))
            .collect::<Vec<_>>(),
        [("on", Some(0)), ("off", Some(1))]
    );
    let j = r.json_representation.as_ref().unwrap();
    assert_eq!(
        j.json.as_deref(),
        Some(&json!({"id": "string", "sizes": [1024]}))
    );
}

#[test]
fn corpus_merges_types_and_resolves_links_case_insensitively() {
    let dir = tempfile::tempdir().unwrap();
    let res = dir.path().join("resources");
    std::fs::create_dir_all(&res).unwrap();
    std::fs::create_dir_all(dir.path().join("api")).unwrap();
    std::fs::write(res.join("driveitemuploadableproperties.md"), "# driveItemUploadableProperties resource type\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|fileSize|Int64|Size.|\n").unwrap();
    std::fs::write(res.join("extra.md"), "# driveItemUploadableProperties resource type\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|name|String|Name.|\n|fileSize|Int64|Size.|\n").unwrap();
    std::fs::write(res.join("enums.md"), "---\ndoc_type: enumPageType\n---\n# Enum values\n### conflictBehavior values\n|Member|\n|---|\n|fail|\n|replace|\n").unwrap();
    std::fs::write(
        dir.path().join("api/create.md"),
        "# create\n## HTTP request\n```\nPOST /me/drive/root/createUploadSession\n```\n## Request body\n|Parameter|Type|Description|\n|--|--|--|\n|item|[driveItemUploadableProperties](../resources/driveItemUploadableProperties.md)||\n|behavior|microsoft.graph.conflictBehavior||\n|ghost|[ghost](../resources/ghost.md)||\n## Response\nReturns `200 OK`.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.md"), "just prose\n").unwrap();
    let c = Corpus::load(dir.path()).unwrap();
    let Some(TypeDef::Resource(r)) = c.resolve("DriveItemUploadableProperties") else {
        panic!()
    };
    let names: Vec<&str> = r.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["fileSize", "name"]);
    assert!(
        matches!(c.resolve("microsoft.graph.conflictBehavior"), Some(TypeDef::Enum(e)) if e.members.len() == 2)
    );
    let s = c.stats();
    assert_eq!(
        (
            s.pages,
            s.api_pages,
            s.resource_pages,
            s.enum_pages,
            s.other_pages
        ),
        (5, 1, 2, 1, 1)
    );
    assert_eq!((s.type_refs, s.type_refs_resolved), (3, 2));
    let ghost = c.diagnostics.iter().find(|d| d.code == "GD031").unwrap();
    assert_eq!(ghost.file, dir.path().join("api/create.md"));
    assert_eq!(ghost.loc.line, 11);
    assert!(c
        .diagnostics
        .iter()
        .any(|d| d.code == "GD002" && d.file.ends_with("notes.md")));
    assert!(matches!(
        Corpus::load(&dir.path().join("nope")),
        Err(LoadError::NotADirectory(_))
    ));
}

#[test]
fn table_whose_delimiter_row_holds_tabs_is_still_a_table() {
    // pulldown-cmark reads no table here (the tab in `|---\t|`): the page is fixed and read again
    let text = "# thing resource type\n\n## Properties\n\n| Property | Type | Description |\n|:---\t|:---|:---\t|\n| id | String | The key. Read-only. |\n| size | Int64 | Bytes. |\n\n## JSON representation\n\n```json\n{\n\t\"id\": \"x\"\n}\n```\n";
    let (page, diags) = parse_page(Path::new("resources/thing.md"), text);
    let Page::Resource(r) = page else {
        panic!("not a resource page: {page:?}")
    };
    let got: Vec<(&str, &TypeRef, bool, u32)> = r
        .properties
        .iter()
        .map(|p| (p.name.as_str(), &p.ty, p.read_only, p.loc.line))
        .collect();
    assert_eq!(
        got,
        [
            ("id", &TypeRef::Primitive(Primitive::String), true, 7),
            ("size", &TypeRef::Primitive(Primitive::Int64), false, 8)
        ]
    );
    let d: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        d,
        ["resources/thing.md:6:1: warning[GD033]: this table's delimiter row holds a tab: pulldown-cmark reads no table here; read as one with the row rewritten `| :--- | :--- | :--- |`"]
    );
    // tabs elsewhere (the code block) are left alone
    let j = r.json_representation.as_ref().unwrap();
    assert_eq!(j.text, "{\n\t\"id\": \"x\"\n}\n");
}

#[test]
fn function_parameters_are_read_with_types_and_required() {
    let (a, d) = api("# getActivity\n## HTTP request\n```http\nGET /reports/getActivity(period='{period_value}')\n```\n## Function parameters\nIn the request URL, provide these parameters.\n\n|Parameter|Type|Description|\n|:---|:---|:---|\n|period|String|The length of time. Required.|\n|kind|[activityKind](../resources/activitykind.md)|Which activities. Optional.|\n## Response\nIf successful, this method returns a `200 OK` response code.\n");
    let got: Vec<(&str, &TypeRef, bool, u32)> = a
        .function_params
        .iter()
        .map(|p| (p.name.as_str(), &p.ty, p.required, p.loc.line))
        .collect();
    assert_eq!(
        got,
        [
            ("period", &TypeRef::Primitive(Primitive::String), true, 11),
            (
                "kind",
                &named("activityKind", Some("../resources/activitykind.md")),
                false,
                12
            )
        ]
    );
    assert!(a.query_params.is_empty() && a.body_params.is_empty());
    assert!(d.iter().all(|x| x.severity != Severity::Error), "{d:?}");
}

#[test]
fn table_whose_delimiter_row_has_more_cells_than_its_header_is_read_with_a_warning() {
    // seen in real pages: a 2-column permissions table under a 3-cell delimiter row
    let (a, d) = api("# x\n## Permissions\n### Acting on self\n|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n|Delegated (work or school account)|Method.Read|\n|Delegated (personal Microsoft account)|Not supported.|\n|Application|Not supported.|\n\n### Acting on other users\n|Permission type|Permissions (from least to most privileged)|\n|:---|:---|:---|\n|Delegated (work or school account)|Method.Read.All|\n|Delegated (personal Microsoft account)|Not supported.|\n|Application|Method.Read.All|\n\n## HTTP request\n```\nGET /me/methods\n```\n");
    assert_eq!(
        a.permissions.delegated_work,
        scopes(&["Method.Read", "Method.Read.All"])
    );
    assert_eq!(a.permissions.application, scopes(&["Method.Read.All"]));
    let d: Vec<String> = d
        .iter()
        .filter(|d| d.code == "GD033")
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        d,
        ["api/x.md:12:1: warning[GD033]: this table's delimiter row has 3 cells for a header of 2: pulldown-cmark reads no table here; read as one with the row rewritten `| :--- | :--- |`"]
    );
    // a right table is left alone, and no paragraph with pipes is taken for one
    let (_, d) = api("# x\n## Permissions\nUse a | b, or c | d.\n\n|Permission type|Permissions|\n|:---|:---|\n|Application|A.Read|\n## HTTP request\n```\nGET /x\n```\n");
    assert!(d.iter().all(|d| d.code != "GD033"), "{d:?}");
}

#[test]
fn body_tables_with_types_in_a_value_column_or_the_name_in_a_later_column() {
    // `Name | Value | Description` whose values are types
    let (a, _) = api("# checkin\n## HTTP request\n```http\nPOST /items/{id}/checkin\n```\n## Request body\n| Name | Value | Description |\n|:--|:--|:--|\n| checkInAs | string | Optional. The status after check-in. |\n| comment | [itemReference](../resources/itemreference.md) | A comment. Required. |\n## Response\nIf successful, this method returns a `204 No Content` response code.\n");
    let got: Vec<(&str, &TypeRef, bool)> = a
        .body_params
        .iter()
        .map(|p| (p.name.as_str(), &p.ty, p.required))
        .collect();
    assert_eq!(
        got,
        [
            ("checkInAs", &TypeRef::Primitive(Primitive::String), false),
            (
                "comment",
                &named("itemReference", Some("../resources/itemreference.md")),
                true
            )
        ]
    );
    assert_eq!(a.body, RequestBody::Params);

    // the name in the second column
    let (a, _) = api("# update\n## HTTP request\n```http\nPATCH /permissions/{id}\n```\n## Request body\n| Permission Type | Property | Type | Description |\n|:--|:--|:--|:--|\n| User | roles | String collection | The roles. |\n## Response\nIf successful, this method returns a `200 OK` response code.\n");
    assert_eq!(a.body_params.len(), 1);
    assert_eq!(a.body_params[0].name, "roles");
    assert_eq!(
        a.body_params[0].ty,
        TypeRef::Collection(Box::new(TypeRef::Primitive(Primitive::String)))
    );

    // `Name | Value` pairs of literal values are not parameters
    let (a, d) = api("# post\n## HTTP request\n```http\nPOST /me/extensions\n```\n## Request body\n| Name | Value |\n|:--|:--|\n| @odata.type | microsoft.graph.openTypeExtension |\n| extensionName | %unique_string% |\n## Response\nIf successful, this method returns a `201 Created` response code.\n");
    assert!(a.body_params.is_empty(), "{:?}", a.body_params);
    assert!(d.iter().all(|d| d.code != "GD030"), "{d:?}");
}
