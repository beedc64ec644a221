//! The emulator against a real HTTP client on loopback.

use std::time::Duration;

use graph_docs_emulator::{Emulator, FaultKind, Trigger, SLICE_MULTIPLE};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const TOKEN: &str = "test-token";

async fn emu() -> Emulator {
    Emulator::builder().token(TOKEN).start().await.unwrap()
}

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| {
            (i as u32)
                .wrapping_mul(2_654_435_761)
                .rotate_left(seed as u32 % 32) as u8
        })
        .collect()
}

async fn create(emu: &Emulator, route: &str, body: Value) -> (StatusCode, Value) {
    let r = http()
        .post(format!("{}{route}", emu.base_url()))
        .bearer_auth(TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    let st = r.status();
    (st, r.json().await.unwrap())
}

/// Creates an upload session at `route` with an empty body; returns its upload URL.
async fn new_session(emu: &Emulator, route: &str) -> String {
    let (_, s) = create(emu, route, json!({})).await;
    s["uploadUrl"].as_str().unwrap().to_string()
}

async fn put_slice(url: &str, data: &[u8], start: u64, total: u64) -> reqwest::Response {
    let end = start + data.len() as u64 - 1;
    http()
        .put(url)
        .header("Content-Range", format!("bytes {start}-{end}/{total}"))
        .body(data.to_vec())
        .send()
        .await
        .unwrap()
}

async fn json_of(r: reqwest::Response) -> (StatusCode, Value) {
    let st = r.status();
    let v = r.json().await.unwrap_or(Value::Null);
    (st, v)
}

#[tokio::test]
async fn api_routes_need_the_bearer_token() {
    let emu = emu().await;
    let c = http();
    let r = c
        .get(format!("{}/me", emu.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "InvalidAuthenticationToken");
    let r = c
        .get(format!("{}/me", emu.base_url()))
        .bearer_auth("wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .get(format!("{}/me", emu.base_url()))
        .bearer_auth(TOKEN)
        .header("client-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["client-request-id"], "abc-123");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["displayName"], "Emulated User");

    let r = c
        .get(format!("{}/me/drive", emu.base_url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["id"], emu.drive_id());
    let r = c
        .get(format!("{}/drives/{}", emu.base_url(), emu.drive_id()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .get(format!("{}/drives/nope", emu.base_url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let recs = emu.requests();
    assert_eq!(recs.len(), 6);
    assert!(!recs[0].authorization);
    assert_eq!(recs[2].header("authorization"), Some("Bearer test-token"));
    assert_eq!(recs[2].status, Some(200));
    emu.shutdown().await;
}

#[tokio::test]
async fn upload_session_in_slices_creates_the_file() {
    let emu = emu().await;
    let data = bytes(2 * SLICE_MULTIPLE as usize + 1000, 3);
    let total = data.len() as u64;
    let (st, s) = create(
        &emu,
        "/me/drive/root:/docs/big%20file.bin:/createUploadSession",
        json!({"item": {"fileSize": total}}),
    )
    .await;
    assert_eq!(st, 200);
    let url = s["uploadUrl"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{}/up/", emu.origin())), "{url}");
    assert_eq!(s["nextExpectedRanges"], json!(["0-"]));
    assert!(s["expirationDateTime"].as_str().unwrap().ends_with('Z'));

    let m = SLICE_MULTIPLE as usize;
    let (st, v) = json_of(put_slice(&url, &data[..m], 0, total).await).await;
    assert_eq!(st, 202);
    assert_eq!(v["nextExpectedRanges"], json!(["327680-"]));

    // Status.
    let (st, v) = json_of(http().get(&url).send().await.unwrap()).await;
    assert_eq!(st, 200);
    assert_eq!(v["nextExpectedRanges"], json!(["327680-"]));

    let (st, _) = json_of(put_slice(&url, &data[m..2 * m], m as u64, total).await).await;
    assert_eq!(st, 202);
    let (st, item) = json_of(put_slice(&url, &data[2 * m..], 2 * m as u64, total).await).await;
    assert_eq!(st, 201);
    assert_eq!(item["name"], "big file.bin");
    assert_eq!(item["size"], total);
    let want = hex::encode(Sha256::digest(&data));
    assert_eq!(item["file"]["hashes"]["sha256Hash"], want.to_uppercase());
    assert_eq!(item["parentReference"]["path"], "/drive/root:/docs");
    assert_eq!(item["parentReference"]["driveId"], emu.drive_id());
    let id = item["id"].as_str().unwrap();
    assert_eq!(emu.sha256_of("docs/big file.bin").unwrap(), want);
    assert_eq!(emu.item_content(id).unwrap(), data);

    // The session is gone once complete.
    let r = http().get(&url).send().await.unwrap();
    assert_eq!(r.status(), 404);

    // Metadata by id and by path, and the content.
    let c = http();
    for route in [
        format!("/me/drive/items/{id}"),
        format!("/drives/{}/items/{id}", emu.drive_id()),
        "/me/drive/root:/docs/big%20file.bin".to_string(),
        "/me/drive/root:/docs/big%20file.bin:".to_string(),
    ] {
        let r = c
            .get(format!("{}{route}", emu.base_url()))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{route}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["id"], id, "{route}");
    }
    let r = c
        .get(format!("{}/me/drive/items/{id}/content", emu.base_url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), &data[..]);

    // Slices never carried a token; the API calls did.
    let recs = emu.requests();
    assert!(recs.iter().filter(|r| r.upload).all(|r| !r.authorization));
    let ranges: Vec<_> = recs.iter().filter_map(|r| r.range()).collect();
    assert_eq!(
        ranges,
        vec![
            (0, 327_679, total),
            (327_680, 655_359, total),
            (655_360, total - 1, total)
        ]
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn slices_are_validated_like_the_service() {
    let emu = emu().await;
    let m = SLICE_MULTIPLE as usize;
    let data = bytes(3 * m, 1);
    let total = data.len() as u64;
    let url = new_session(&emu, "/me/drive/root:/v.bin:/createUploadSession").await;

    // Not a multiple of 320 KiB (and not the last slice).
    let (st, v) = json_of(put_slice(&url, &data[..1000], 0, total).await).await;
    assert_eq!(st, 400);
    assert!(v["error"]["message"].as_str().unwrap().contains("327680"));
    // Starting past the next expected byte.
    let (st, v) = json_of(put_slice(&url, &data[m..2 * m], m as u64, total).await).await;
    assert_eq!(st, 416);
    assert_eq!(v["error"]["code"], "invalidRange");
    // Range and length disagree.
    let r = http()
        .put(&url)
        .header("Content-Range", format!("bytes 0-{}/{total}", m))
        .body(data[..m].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Missing Content-Range.
    let r = http()
        .put(&url)
        .body(data[..m].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    // A good slice, then an overlap and a total that changed.
    assert_eq!(put_slice(&url, &data[..m], 0, total).await.status(), 202);
    let (st, v) = json_of(put_slice(&url, &data[..m], 0, total).await).await;
    assert_eq!(st, 416);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("next expected range is 327680-"));
    let (st, _) = json_of(put_slice(&url, &data[m..2 * m], m as u64, total + 1).await).await;
    assert_eq!(st, 400);
    // Status is unchanged by the rejected slices.
    let (_, v) = json_of(http().get(&url).send().await.unwrap()).await;
    assert_eq!(v["nextExpectedRanges"], json!(["327680-"]));

    // A slice of 60 MiB or more is refused from its headers alone.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let path = url.trim_start_matches(emu.origin());
    let mut sock = tokio::net::TcpStream::connect(emu.addr()).await.unwrap();
    let req = format!(
        "PUT {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nContent-Range: bytes 327680-63242239/99999999\r\n\r\n",
        60 * 1024 * 1024
    );
    sock.write_all(req.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = sock.read(&mut buf).await.unwrap();
    let head = String::from_utf8_lossy(&buf[..n]);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    emu.shutdown().await;
}

#[tokio::test]
async fn upload_urls_refuse_a_bearer_token() {
    let emu = emu().await;
    let url = new_session(&emu, "/me/drive/root:/t.bin:/createUploadSession").await;
    let r = http()
        .put(&url)
        .bearer_auth(TOKEN)
        .header("Content-Range", "bytes 0-9/10")
        .body(vec![7u8; 10])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "unauthenticated");
    assert!(emu.id_of("t.bin").is_none());
    let (st, _) = json_of(put_slice(&url, &[7u8; 10], 0, 10).await).await;
    assert_eq!(st, 201);
    assert_eq!(
        emu.item_content(&emu.id_of("t.bin").unwrap()).unwrap(),
        vec![7u8; 10]
    );
    let ups = emu.upload_requests();
    assert_eq!(ups.len(), 2);
    assert!(ups[0].authorization);
    assert_eq!(ups[0].status, Some(401));
    assert!(!ups[1].authorization);
    emu.shutdown().await;
}

#[tokio::test]
async fn defer_commit_waits_for_an_explicit_commit() {
    let emu = emu().await;
    let (_, s) = create(
        &emu,
        "/me/drive/root:/d.bin:/createUploadSession",
        json!({"item": {"fileSize": 5}, "deferCommit": true}),
    )
    .await;
    let url = s["uploadUrl"].as_str().unwrap().to_string();
    let (st, v) = json_of(put_slice(&url, b"hello", 0, 5).await).await;
    assert_eq!(st, 202);
    assert_eq!(v["nextExpectedRanges"], json!([]));
    assert!(emu.id_of("d.bin").is_none());
    let r = http()
        .post(&url)
        .header("Content-Length", "0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["name"], "d.bin");
    assert_eq!(
        emu.item_content(v["id"].as_str().unwrap()).unwrap(),
        b"hello"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn committing_early_and_cancelling() {
    let emu = emu().await;
    let (_, s) = create(
        &emu,
        "/me/drive/root:/c.bin:/createUploadSession",
        json!({"deferCommit": true}),
    )
    .await;
    let url = s["uploadUrl"].as_str().unwrap().to_string();
    let r = http().post(&url).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(emu.open_sessions(), 1);
    let r = http().delete(&url).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(emu.open_sessions(), 0);
    let (st, v) = json_of(http().get(&url).send().await.unwrap()).await;
    assert_eq!(st, 404);
    assert_eq!(v["error"]["code"], "itemNotFound");
    emu.shutdown().await;
}

#[tokio::test]
async fn sessions_expire() {
    let emu = Emulator::builder()
        .token(TOKEN)
        .session_lifetime(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let url = new_session(&emu, "/me/drive/root:/e.bin:/createUploadSession").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (st, v) = json_of(put_slice(&url, b"abc", 0, 3).await).await;
    assert_eq!(st, 404);
    assert_eq!(v["error"]["code"], "itemNotFound");
    assert!(v["error"]["message"].as_str().unwrap().contains("expired"));

    // And on demand.
    let url = new_session(&emu, "/me/drive/root:/f.bin:/createUploadSession").await;
    emu.expire_sessions();
    assert_eq!(put_slice(&url, b"abc", 0, 3).await.status(), 404);
    emu.shutdown().await;
}

#[tokio::test]
async fn injected_faults_fire_once_each() {
    let emu = emu().await;
    let m = SLICE_MULTIPLE as usize;
    let data = bytes(2 * m, 9);
    let total = data.len() as u64;
    let url = new_session(&emu, "/me/drive/root:/faults.bin:/createUploadSession").await;
    emu.faults()
        .drop_connection_on_slice(1)
        .status_on_slice(2, 503)
        .status_on_slice(3, 500);

    // Slice 1: dropped mid-body.
    let end = m - 1;
    let r = http()
        .put(&url)
        .header("Content-Range", format!("bytes 0-{end}/{total}"))
        .body(data[..m].to_vec())
        .send()
        .await;
    assert!(r.is_err(), "the connection should drop: {r:?}");
    let (_, v) = json_of(http().get(&url).send().await.unwrap()).await;
    assert_eq!(v["nextExpectedRanges"], json!(["0-"]));
    // Slices 2 and 3: 503 then 500, nothing stored.
    let (st, v) = json_of(put_slice(&url, &data[..m], 0, total).await).await;
    assert_eq!(st, 503);
    assert_eq!(v["error"]["code"], "serviceNotAvailable");
    assert_eq!(put_slice(&url, &data[..m], 0, total).await.status(), 500);
    // Slice 4 goes through.
    assert_eq!(put_slice(&url, &data[..m], 0, total).await.status(), 202);

    // 429 with Retry-After on the next request, whatever it is.
    let next = emu.requests().len() as u64 + 1;
    emu.faults().throttle_request(next, 2);
    let r = http().get(&url).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "2");

    // Expire on the next slice.
    emu.faults()
        .expire_session_on_slice(emu.slices_received() + 1);
    assert_eq!(
        put_slice(&url, &data[m..], m as u64, total).await.status(),
        404
    );
    assert_eq!(emu.open_sessions(), 0);

    let fired: Vec<_> = emu.faults().fired().iter().map(|f| f.kind).collect();
    assert_eq!(
        fired,
        vec![
            FaultKind::DropConnection,
            FaultKind::Status(503),
            FaultKind::Status(500),
            FaultKind::Throttle {
                retry_after_secs: 2
            },
            FaultKind::ExpireSession
        ]
    );
    assert!(emu.faults().armed().is_empty());
    let recs = emu.upload_requests();
    assert_eq!(recs[0].status, None, "dropped requests have no status");
    emu.shutdown().await;
}

#[tokio::test]
async fn a_fault_can_fire_several_times() {
    let emu = emu().await;
    let url = new_session(&emu, "/me/drive/root:/n.bin:/createUploadSession").await;
    emu.faults()
        .inject(Trigger::Slice(1), FaultKind::Status(503), 2);
    assert_eq!(put_slice(&url, b"ab", 0, 2).await.status(), 503);
    assert_eq!(put_slice(&url, b"ab", 0, 2).await.status(), 503);
    assert_eq!(put_slice(&url, b"ab", 0, 2).await.status(), 201);
    emu.shutdown().await;
}

#[tokio::test]
async fn small_uploads_and_their_limit() {
    let emu = emu().await;
    let c = http();
    let r = c
        .put(format!(
            "{}/me/drive/root:/s/small.txt:/content",
            emu.base_url()
        ))
        .bearer_auth(TOKEN)
        .body("hi there")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["size"], 8);
    assert_eq!(v["file"]["mimeType"], "text/plain");
    let folder = emu.id_of("s").unwrap();
    // Into a folder by id, then replace.
    for (body, status) in [("one", 201), ("two!", 200)] {
        let r = c
            .put(format!(
                "{}/me/drive/items/{folder}:/n.txt:/content",
                emu.base_url()
            ))
            .bearer_auth(TOKEN)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status);
    }
    assert_eq!(
        emu.item_content(&emu.id_of("s/n.txt").unwrap()).unwrap(),
        b"two!"
    );
    let r = c
        .put(format!(
            "{}/me/drive/root:/big.bin:/content",
            emu.base_url()
        ))
        .bearer_auth(TOKEN)
        .body(vec![0u8; 4 * 1024 * 1024 + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(emu.id_of("big.bin").is_none());
    emu.shutdown().await;
}

#[tokio::test]
async fn children_are_paged_with_next_links() {
    let emu = emu().await;
    for i in 0..5 {
        emu.put_file(&format!("dir/f{i}.txt"), format!("{i}").as_bytes())
            .unwrap();
    }
    let c = http();
    let dir = emu.id_of("dir").unwrap();
    let mut url = format!("{}/me/drive/items/{dir}/children?$top=2", emu.base_url());
    let mut names = Vec::new();
    let mut pages = 0;
    loop {
        let v: Value = c
            .get(&url)
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        pages += 1;
        for it in v["value"].as_array().unwrap() {
            names.push(it["name"].as_str().unwrap().to_string());
        }
        match v["@odata.nextLink"].as_str() {
            Some(n) => url = n.to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt"]);
    let v: Value = c
        .get(format!("{}/me/drive/root/children", emu.base_url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["value"][0]["name"], "dir");
    assert_eq!(v["value"][0]["folder"]["childCount"], 5);
    assert!(v.get("@odata.nextLink").is_none());
    emu.shutdown().await;
}

#[tokio::test]
async fn seed_routes_create_sessions() {
    let emu = emu().await;
    let existing = emu.put_file("old.bin", b"old").unwrap();
    let folder = emu.create_folder("up").unwrap();
    let d = emu.drive_id();
    let cases: Vec<(String, Value, &str, u16)> = vec![
        (
            format!("/drives/{d}/root/createUploadSession"),
            json!({"item": {"name": "r.bin"}}),
            "r.bin",
            201,
        ),
        (
            format!("/drives/{d}/items/{existing}/createUploadSession"),
            json!({}),
            "old.bin",
            200,
        ),
        (
            format!("/me/drive/items/{folder}:/new.bin:/createUploadSession"),
            json!({}),
            "up/new.bin",
            201,
        ),
        (
            format!("/drives/{d}/items/{folder}:/new2.bin:/createUploadSession"),
            json!({}),
            "up/new2.bin",
            201,
        ),
        (
            "/me/drive/root/createUploadSession".to_string(),
            json!({"item": {"name": "m.bin"}}),
            "m.bin",
            201,
        ),
        (
            format!("/shares/s1/items/{folder}/createUploadSession"),
            json!({"item": {"name": "sh.bin"}}),
            "up/sh.bin",
            201,
        ),
        (
            "/me/joinedGroups/g/drive/root/createUploadSession".to_string(),
            json!({"item": {"name": "g.bin"}}),
            "g.bin",
            201,
        ),
    ];
    for (route, body, path, status) in cases {
        let (st, s) = create(&emu, &route, body).await;
        assert_eq!(st, 200, "{route}: {s}");
        let url = s["uploadUrl"].as_str().unwrap().to_string();
        let r = put_slice(&url, path.as_bytes(), 0, path.len() as u64).await;
        assert_eq!(r.status().as_u16(), status, "{route}");
        let id = emu.id_of(path).unwrap_or_else(|| panic!("{route}: {path}"));
        assert_eq!(emu.item_content(&id).unwrap(), path.as_bytes(), "{route}");
    }
    // A folder target needs a name.
    let (st, v) = create(&emu, "/me/drive/root/createUploadSession", json!({})).await;
    assert_eq!(st, 400, "{v}");
    // Unknown item.
    let (st, _) = create(&emu, "/me/drive/items/NOPE/createUploadSession", json!({})).await;
    assert_eq!(st, 404);
    // conflictBehavior fail.
    let (st, v) = create(
        &emu,
        "/me/drive/root:/old.bin:/createUploadSession",
        json!({"item": {"@microsoft.graph.conflictBehavior": "fail"}}),
    )
    .await;
    assert_eq!(st, 409);
    assert_eq!(v["error"]["code"], "nameAlreadyExists");
    // rename.
    let (_, s) = create(
        &emu,
        "/me/drive/root:/old.bin:/createUploadSession",
        json!({"item": {"@microsoft.graph.conflictBehavior": "rename"}}),
    )
    .await;
    let (st, v) = json_of(put_slice(s["uploadUrl"].as_str().unwrap(), b"x", 0, 1).await).await;
    assert_eq!(st, 201);
    assert_eq!(v["name"], "old 1.bin");
    emu.shutdown().await;
}

#[tokio::test]
async fn lost_answers_and_slow_slices() {
    let emu = emu().await;
    let url = new_session(&emu, "/me/drive/root:/l.bin:/createUploadSession").await;
    let m = SLICE_MULTIPLE as usize;
    let data = bytes(2 * m, 4);
    let total = data.len() as u64;
    emu.faults().drop_response_on_slice(1).delay_slice(2, 300);
    // The first slice is stored, but its answer never arrives.
    let r = http()
        .put(&url)
        .header("Content-Range", format!("bytes 0-{}/{total}", m - 1))
        .body(data[..m].to_vec())
        .send()
        .await;
    assert!(r.is_err(), "{r:?}");
    let (_, v) = json_of(http().get(&url).send().await.unwrap()).await;
    assert_eq!(v["nextExpectedRanges"], json!(["327680-"]));
    // The second is handled after a delay.
    let started = std::time::Instant::now();
    let (st, _) = json_of(put_slice(&url, &data[m..], m as u64, total).await).await;
    assert_eq!(st, 201);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        emu.sha256_of("l.bin").unwrap(),
        hex::encode(Sha256::digest(&data))
    );
    let ups = emu.upload_requests();
    assert_eq!(ups[0].status, None);
    assert_eq!(ups[2].status, Some(201));
    emu.shutdown().await;
}

#[tokio::test]
async fn downloads_can_redirect_to_a_pre_authenticated_url() {
    let emu = Emulator::builder()
        .token(TOKEN)
        .redirect_downloads(true)
        .start()
        .await
        .unwrap();
    let id = emu.put_file("a.txt", b"hello").unwrap();
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = c
        .get(format!("{}/me/drive/items/{id}/content", emu.base_url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        location,
        format!("http://localhost:{}/dl/{id}", emu.addr().port())
    );
    let r = c.get(&location).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let r = c.get(&location).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"hello");
    let recs = emu.requests();
    assert!(recs[1].download && recs[1].authorization);
    assert!(recs[2].download && !recs[2].authorization);
    emu.shutdown().await;
}
