//! End-to-end uploads through upload sessions against the local Graph emulator.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use graph_docs_emulator::{sha256_file, Emulator, FaultKind, RecordedRequest, Trigger};
use graph_docs_runtime::upload::{UploadBuilder, UploadSessionState, DEFAULT_SLICE_SIZE};
use graph_docs_runtime::{
    ActionRequest, Client, Error, Json, Operation, Path, Permissions, RetryPolicy, Scopes,
};
use serde_json::{json, Value};

const TOKEN: &str = "upload-test-token";
const KIB320: u64 = 327_680;

static CREATE_UPLOAD_SESSION: Operation = Operation {
    name: "createUploadSession",
    method: "POST",
    routes: &[
        "/drives/{drivesId}/root/createUploadSession",
        "/drives/{drivesId}/items/{driveItemId}/createUploadSession",
    ],
    doc: "api/driveitem-createuploadsession.md",
    permissions: Permissions {
        delegated_work: Scopes::Unknown,
        delegated_personal: Scopes::NotSupported,
        application: Scopes::Unknown,
    },
};

static GET_CONTENT: Operation = Operation {
    name: "get",
    method: "GET",
    routes: &["/me/drive/items/{item-id}/content"],
    doc: "api/driveitem-get-content.md",
    permissions: Permissions {
        delegated_work: Scopes::AnyOf(&["Files.Read"]),
        delegated_personal: Scopes::AnyOf(&["Files.Read"]),
        application: Scopes::AnyOf(&["Files.Read.All"]),
    },
};

static PUT_CONTENT: Operation = Operation {
    name: "put",
    method: "PUT",
    routes: &["/me/drive/items/{parent-id}:/{filename}:/content"],
    doc: "api/driveitem-put-content.md",
    permissions: Permissions {
        delegated_work: Scopes::AnyOf(&["Files.ReadWrite"]),
        delegated_personal: Scopes::AnyOf(&["Files.ReadWrite"]),
        application: Scopes::AnyOf(&["Files.ReadWrite.All"]),
    },
};

async fn setup() -> (Emulator, Client) {
    let emu = Emulator::builder().token(TOKEN).start().await.unwrap();
    let client = client_for(&emu);
    (emu, client)
}

fn client_for(emu: &Emulator) -> Client {
    Client::builder()
        .base_url(emu.base_url())
        .token(TOKEN)
        .build()
}

/// `POST /me/drive/root:/{path}:/createUploadSession`.
fn create(client: &Client, path: &str) -> graph_docs_runtime::Request<Json<Value>> {
    Path::root(client)
        .segment("me")
        .segment("drive")
        .segment("root")
        .colon_path(path, true)
        .segment("createUploadSession")
        .request::<Json<Value>>(&CREATE_UPLOAD_SESSION)
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(4)
        .base_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(100))
}

fn random_file(dir: &tempfile::TempDir, name: &str, len: usize) -> std::path::PathBuf {
    let mut rng = fastrand::Rng::with_seed(len as u64 ^ 0x5eed);
    let mut data = vec![0u8; len];
    rng.fill(&mut data);
    let p = dir.path().join(name);
    std::fs::write(&p, &data).unwrap();
    p
}

fn puts(emu: &Emulator) -> Vec<RecordedRequest> {
    emu.upload_requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect()
}

/// The acceptance rule: nothing that went to an upload URL carried a token, while API calls did.
fn assert_token_only_on_api(emu: &Emulator) {
    let all = emu.requests();
    assert!(all.iter().any(|r| r.upload), "no upload requests recorded");
    for r in &all {
        if r.upload {
            assert!(
                !r.authorization && r.header("authorization").is_none(),
                "Authorization reached the upload URL: {r:?}"
            );
        } else {
            assert_eq!(
                r.header("authorization"),
                Some(format!("Bearer {TOKEN}").as_str()),
                "{r:?}"
            );
        }
    }
}

async fn upload_and_check(len: usize, slice: u64) -> (Emulator, Value, Vec<RecordedRequest>) {
    let (emu, client) = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let path = random_file(&dir, "src.bin", len);
    let item: Value = UploadBuilder::new(create(&client, "up/file.bin"))
        .slice_size(slice)
        .unwrap()
        .upload_file(&path)
        .await
        .unwrap();
    assert_eq!(item["name"], "file.bin");
    assert_eq!(item["size"], len as u64);
    let want = sha256_file(&path).unwrap();
    assert_eq!(emu.sha256_of("up/file.bin").unwrap(), want);
    assert_eq!(
        item["file"]["hashes"]["sha256Hash"],
        want.to_uppercase(),
        "hash in the returned DriveItem"
    );
    assert_token_only_on_api(&emu);
    let p = puts(&emu);
    (emu, item, p)
}

#[tokio::test]
async fn one_byte() {
    let (_emu, _, puts) = upload_and_check(1, DEFAULT_SLICE_SIZE).await;
    assert_eq!(puts.len(), 1);
    assert_eq!(puts[0].content_range.as_deref(), Some("bytes 0-0/1"));
    assert_eq!(puts[0].content_length, Some(1));
    assert_eq!(puts[0].status, Some(201));
}

#[tokio::test]
async fn exactly_320_kib() {
    let (_emu, _, puts) = upload_and_check(KIB320 as usize, KIB320).await;
    assert_eq!(puts.len(), 1);
    assert_eq!(
        puts[0].content_range.as_deref(),
        Some("bytes 0-327679/327680")
    );
    assert_eq!(puts[0].content_length, Some(KIB320));
}

#[tokio::test]
async fn one_byte_more_than_320_kib() {
    let (_emu, _, puts) = upload_and_check(KIB320 as usize + 1, KIB320).await;
    let ranges: Vec<_> = puts
        .iter()
        .map(|r| r.content_range.clone().unwrap())
        .collect();
    assert_eq!(
        ranges,
        ["bytes 0-327679/327681", "bytes 327680-327680/327681"]
    );
    assert_eq!(puts[0].status, Some(202));
    assert_eq!(puts[1].status, Some(201));
    assert_eq!(puts[1].content_length, Some(1));
}

#[tokio::test]
async fn twenty_five_mib_of_random_bytes_with_progress() {
    let (emu, client) = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let len = 25 * 1024 * 1024;
    let path = random_file(&dir, "big.bin", len);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let item: Value = UploadBuilder::new(create(&client, "big.bin"))
        .progress(move |done, total| s.lock().unwrap().push((done, total)))
        .upload_file(&path)
        .await
        .unwrap();
    assert_eq!(item["size"], len as u64);
    assert_eq!(
        emu.sha256_of("big.bin").unwrap(),
        sha256_file(&path).unwrap()
    );
    let ranges: Vec<_> = puts(&emu).iter().map(|r| r.range().unwrap()).collect();
    let t = len as u64;
    assert_eq!(
        ranges,
        [
            (0, 10_485_759, t),
            (10_485_760, 20_971_519, t),
            (20_971_520, t - 1, t)
        ]
    );
    let total = len as u64;
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            (0, total),
            (10_485_760, total),
            (20_971_520, total),
            (total, total)
        ]
    );
    assert_token_only_on_api(&emu);
}

/// Uploads 1 MiB in 320 KiB slices (4 slices) with `arm` applied first.
async fn upload_with_fault(
    arm: impl FnOnce(&Emulator),
) -> (Emulator, Result<Value, Error>, Duration) {
    let (emu, client) = setup().await;
    arm(&emu);
    let dir = tempfile::tempdir().unwrap();
    let path = random_file(&dir, "f.bin", 1024 * 1024);
    let start = Instant::now();
    let result = UploadBuilder::new(create(&client, "f.bin"))
        .slice_size(KIB320)
        .unwrap()
        .retry(fast_retry())
        .slice_timeout(Duration::from_millis(500))
        .upload_file(&path)
        .await;
    let elapsed = start.elapsed();
    if result.is_ok() {
        assert_eq!(
            emu.sha256_of("f.bin").unwrap(),
            sha256_file(&path).unwrap(),
            "stored bytes differ"
        );
    }
    assert_token_only_on_api(&emu);
    (emu, result, elapsed)
}

/// The upload requests as `(method, Content-Range or "", status)`.
fn trace(emu: &Emulator) -> Vec<(String, String, Option<u16>)> {
    emu.upload_requests()
        .iter()
        .map(|r| {
            (
                r.method.clone(),
                r.content_range.clone().unwrap_or_default(),
                r.status,
            )
        })
        .collect()
}

fn t(m: &str, r: &str, s: Option<u16>) -> (String, String, Option<u16>) {
    (m.to_string(), r.to_string(), s)
}

#[tokio::test]
async fn dropped_connection_mid_slice_is_resumed() {
    let (emu, r, _) = upload_with_fault(|e| {
        e.faults().drop_connection_on_slice(2);
    })
    .await;
    r.unwrap();
    assert_eq!(
        trace(&emu),
        vec![
            t("PUT", "bytes 0-327679/1048576", Some(202)),
            t("PUT", "bytes 327680-655359/1048576", None),
            t("GET", "", Some(200)),
            t("PUT", "bytes 327680-655359/1048576", Some(202)),
            t("PUT", "bytes 655360-983039/1048576", Some(202)),
            t("PUT", "bytes 983040-1048575/1048576", Some(201)),
        ]
    );
}

#[tokio::test]
async fn lost_answer_is_not_resent() {
    // The server stores slice 2 but the answer never arrives: the status says so, and the
    // driver goes on with slice 3 instead of sending slice 2 again.
    let (emu, r, _) = upload_with_fault(|e| {
        e.faults().drop_response_on_slice(2);
    })
    .await;
    r.unwrap();
    assert_eq!(
        trace(&emu),
        vec![
            t("PUT", "bytes 0-327679/1048576", Some(202)),
            t("PUT", "bytes 327680-655359/1048576", None),
            t("GET", "", Some(200)),
            t("PUT", "bytes 655360-983039/1048576", Some(202)),
            t("PUT", "bytes 983040-1048575/1048576", Some(201)),
        ]
    );
}

#[tokio::test]
async fn lost_final_answer_says_the_upload_probably_completed() {
    let (emu, r, _) = upload_with_fault(|e| {
        e.faults().drop_response_on_slice(4);
    })
    .await;
    let err = r.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(
        err.to_string()
            .contains("the upload most likely completed (a finished session is removed)"),
        "{err}"
    );
    // It did: the file is there, whole.
    assert_eq!(emu.item_by_path("f.bin").unwrap()["size"], 1_048_576);
}

#[tokio::test]
async fn server_errors_500_and_503_are_retried() {
    let (emu, r, _) = upload_with_fault(|e| {
        // Slice numbers count every PUT: the 4th is the third range's first attempt.
        e.faults().status_on_slice(2, 500).status_on_slice(4, 503);
    })
    .await;
    r.unwrap();
    assert_eq!(
        trace(&emu),
        vec![
            t("PUT", "bytes 0-327679/1048576", Some(202)),
            t("PUT", "bytes 327680-655359/1048576", Some(500)),
            t("GET", "", Some(200)),
            t("PUT", "bytes 327680-655359/1048576", Some(202)),
            t("PUT", "bytes 655360-983039/1048576", Some(503)),
            t("GET", "", Some(200)),
            t("PUT", "bytes 655360-983039/1048576", Some(202)),
            t("PUT", "bytes 983040-1048575/1048576", Some(201)),
        ]
    );
}

#[tokio::test]
async fn throttled_slice_waits_for_retry_after() {
    let (emu, r, elapsed) = upload_with_fault(|e| {
        e.faults().throttle_slice(3, 1);
    })
    .await;
    r.unwrap();
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    let tr = trace(&emu);
    assert_eq!(tr[2], t("PUT", "bytes 655360-983039/1048576", Some(429)));
    assert_eq!(tr[3], t("GET", "", Some(200)));
    assert_eq!(tr[4], t("PUT", "bytes 655360-983039/1048576", Some(202)));
    assert_eq!(tr.len(), 6);
}

#[tokio::test]
async fn throttled_create_request_is_retried_by_the_client() {
    // Request 1 is the createUploadSession POST: 429 with Retry-After, which the client retries.
    let (emu, r, _) = upload_with_fault(|e| {
        e.faults().throttle_request(1, 1);
    })
    .await;
    r.unwrap();
    let all = emu.requests();
    assert_eq!(all[0].status, Some(429));
    assert_eq!(all[1].method, "POST");
    assert_eq!(all[1].header("retry-attempt"), Some("1"));
    assert_eq!(all[1].status, Some(200));
}

#[tokio::test]
async fn slow_slice_times_out_and_is_resent() {
    let (emu, r, _) = upload_with_fault(|e| {
        e.faults().delay_slice(2, 2_000);
    })
    .await;
    r.unwrap();
    let tr = trace(&emu);
    // The delayed PUT was abandoned by the client (its handler dropped, so it has no record)
    // or was recorded late; either way the slice was sent again after a status request and
    // no range was stored twice.
    let confirmed: Vec<_> = tr
        .iter()
        .filter(|(m, _, s)| m == "PUT" && matches!(s, Some(201 | 202)))
        .map(|(_, r, _)| r.clone())
        .collect();
    assert_eq!(
        confirmed,
        [
            "bytes 0-327679/1048576",
            "bytes 327680-655359/1048576",
            "bytes 655360-983039/1048576",
            "bytes 983040-1048575/1048576"
        ]
    );
    assert!(tr.iter().any(|(m, _, _)| m == "GET"), "{tr:?}");
    assert_eq!(
        emu.faults().fired()[0].kind,
        FaultKind::Delay { millis: 2_000 }
    );
}

#[tokio::test]
async fn expired_session_is_a_clear_error() {
    let (emu, r, _) = upload_with_fault(|e| {
        e.faults().expire_session_on_slice(3);
    })
    .await;
    let err = r.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.code(), Some("itemNotFound"));
    let msg = err.to_string();
    assert!(
        msg.contains("upload session expired or was cancelled: the upload URL answered 404"),
        "{msg}"
    );
    assert!(emu.id_of("f.bin").is_none());
    // No retry after a 404.
    assert_eq!(trace(&emu).len(), 3);
}

#[tokio::test]
async fn retries_are_bounded() {
    let (emu, r, _) = upload_with_fault(|e| {
        e.faults()
            .inject(Trigger::Slice(2), FaultKind::Status(503), 100);
    })
    .await;
    let err = r.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    // One good slice, then 1 + 4 retries of the second.
    assert_eq!(puts(&emu).len(), 6);
}

#[tokio::test]
async fn a_416_asks_the_status_and_continues_from_the_server() {
    let (emu, client) = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let path = random_file(&dir, "r.bin", 3 * KIB320 as usize);
    let mut upload = UploadBuilder::new(create(&client, "r.bin"))
        .slice_size(KIB320)
        .unwrap()
        .retry(fast_retry())
        .start(&path)
        .await
        .unwrap();
    // Another writer sends the first slice behind the driver's back.
    let data = std::fs::read(&path).unwrap();
    let r = foreign_put(
        &upload.state().upload_url,
        &data[..KIB320 as usize],
        0,
        data.len(),
    )
    .await;
    assert_eq!(r, 202);
    upload.run().await.unwrap();
    assert_eq!(emu.sha256_of("r.bin").unwrap(), sha256_file(&path).unwrap());
    assert_eq!(
        trace(&emu),
        vec![
            t("PUT", "bytes 0-327679/983040", Some(202)),
            t("PUT", "bytes 0-327679/983040", Some(416)),
            t("GET", "", Some(200)),
            t("PUT", "bytes 327680-655359/983040", Some(202)),
            t("PUT", "bytes 655360-983039/983040", Some(201)),
        ]
    );
}

/// A bare PUT with the runtime's own client machinery is not what we want here: this is a second,
/// independent writer.
async fn foreign_put(url: &str, data: &[u8], start: usize, total: usize) -> u16 {
    let c = Client::builder()
        .base_url("http://127.0.0.1:9/v1.0")
        .build();
    let req = http::Request::builder()
        .method("PUT")
        .uri(url)
        .header(
            "Content-Range",
            format!("bytes {start}-{}/{total}", start + data.len() - 1),
        )
        .body(bytes::Bytes::copy_from_slice(data))
        .unwrap();
    c.execute(req, graph_docs_runtime::ExecuteOptions::new())
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn resumed_upload_after_restart_sends_no_confirmed_byte_twice() {
    let emu = Emulator::builder().token(TOKEN).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let len = 3 * 1024 * 1024;
    let path = random_file(&dir, "resume.bin", len);
    let saved = Arc::new(Mutex::new(String::new()));

    // First process: save the state when the session exists, stop once 1 MiB is confirmed.
    {
        let client = client_for(&emu);
        let s = saved.clone();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let upload = UploadBuilder::new(create(&client, "resume.bin"))
            .slice_size(KIB320)
            .unwrap()
            .on_session(move |state| {
                *s.lock().unwrap() = serde_json::to_string(state).unwrap();
            })
            .progress(move |done, _| {
                let _ = tx.send(done);
            })
            .upload_file(&path);
        tokio::pin!(upload);
        loop {
            tokio::select! {
                r = &mut upload => panic!("finished before the simulated crash: {r:?}"),
                Some(done) = rx.recv() => if done >= 1024 * 1024 { break },
            }
        }
        // Dropping the future here is the crash: no cleanup, no cancel. A slice may be in
        // flight; let the server finish with it before taking stock.
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = emu.requests().len();
    let confirmed: Vec<(u64, u64)> = puts(&emu)
        .iter()
        .filter(|r| matches!(r.status, Some(202 | 201)))
        .map(|r| {
            let (a, b, _) = r.range().unwrap();
            (a, b)
        })
        .collect();
    assert!(confirmed.len() >= 4, "{confirmed:?}");
    assert!(emu.id_of("resume.bin").is_none());

    // Second process: a new client, the state read back from its saved form.
    let state: UploadSessionState = serde_json::from_str(&saved.lock().unwrap()).unwrap();
    assert_eq!(state.total(), len as u64);
    let client = client_for(&emu);
    let item: Value = UploadBuilder::for_client(&client)
        .resume(state, &path)
        .await
        .unwrap();
    assert_eq!(item["size"], len as u64);
    assert_eq!(
        emu.sha256_of("resume.bin").unwrap(),
        sha256_file(&path).unwrap()
    );

    let after: Vec<RecordedRequest> = emu.requests().into_iter().skip(before).collect();
    assert_eq!(after[0].method, "GET", "resume asks the status first");
    assert!(after[0].upload);
    for r in after.iter().filter(|r| r.method == "PUT") {
        let (a, b, _) = r.range().unwrap();
        for (ca, cb) in &confirmed {
            assert!(
                b < *ca || a > *cb,
                "resent confirmed bytes {ca}-{cb} in {a}-{b}"
            );
        }
    }
    // Every byte was sent exactly once in a confirmed slice overall.
    let mut all: Vec<(u64, u64)> = puts(&emu)
        .iter()
        .filter(|r| matches!(r.status, Some(202 | 201)))
        .map(|r| {
            let (a, b, _) = r.range().unwrap();
            (a, b)
        })
        .collect();
    all.sort();
    let mut next = 0;
    for (a, b) in all {
        assert_eq!(a, next);
        next = b + 1;
    }
    assert_eq!(next, len as u64);
    assert_token_only_on_api(&emu);
}

#[tokio::test]
async fn resume_refuses_a_changed_file() {
    let (emu, client) = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let path = random_file(&dir, "c.bin", 700_000);
    let upload = UploadBuilder::new(create(&client, "c.bin"))
        .start(&path)
        .await
        .unwrap();
    let state = upload.state().clone();
    std::fs::write(&path, b"different").unwrap();
    let err = UploadBuilder::for_client(&client)
        .resume(state, &path)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("changed since its upload session was created"),
        "{err}"
    );
    assert!(emu.upload_requests().is_empty());
}

#[tokio::test]
async fn defer_commit_sessions_are_committed_explicitly() {
    let (emu, client) = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let path = random_file(&dir, "d.bin", 400_000);
    #[derive(serde::Serialize)]
    struct Body {
        item: Value,
        #[serde(rename = "deferCommit")]
        defer_commit: bool,
    }
    let action = ActionRequest::new(
        create(&client, "d.bin"),
        Body {
            item: json!({"@microsoft.graph.conflictBehavior": "replace"}),
            defer_commit: true,
        },
    );
    let item: Value = UploadBuilder::from_action(action)
        .slice_size(KIB320)
        .unwrap()
        .upload_file(&path)
        .await
        .unwrap();
    assert_eq!(item["name"], "d.bin");
    assert_eq!(emu.sha256_of("d.bin").unwrap(), sha256_file(&path).unwrap());
    assert_eq!(
        trace(&emu),
        vec![
            t("PUT", "bytes 0-327679/400000", Some(202)),
            t("PUT", "bytes 327680-399999/400000", Some(202)),
            t("POST", "", Some(201)),
        ]
    );
    let commit = &emu.upload_requests()[2];
    assert_eq!(commit.content_length, Some(0));
    assert_token_only_on_api(&emu);
}

#[tokio::test]
async fn cancel_deletes_the_session() {
    let (emu, client) = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let path = random_file(&dir, "x.bin", 10);
    let upload = UploadBuilder::new(create(&client, "x.bin"))
        .start(&path)
        .await
        .unwrap();
    assert_eq!(emu.open_sessions(), 1);
    upload.cancel().await.unwrap();
    assert_eq!(emu.open_sessions(), 0);
    assert_eq!(trace(&emu), vec![t("DELETE", "", Some(204))]);
    assert_token_only_on_api(&emu);
}

#[tokio::test]
async fn typed_items_and_small_uploads() {
    let (emu, client) = setup().await;
    let parent = emu.create_folder("docs").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = random_file(&dir, "s.bin", 5000);
    #[derive(serde::Deserialize, Debug)]
    struct Item {
        name: String,
        size: u64,
    }
    let put = Path::root(&client)
        .segment("me")
        .segment("drive")
        .segment("items")
        .key(&parent)
        .colon_path("s.bin", true)
        .segment("content")
        .request::<Json<Value>>(&PUT_CONTENT);
    let item: Item = UploadBuilder::new(create(&client, "docs/s.bin"))
        .small_upload(put)
        .decode_as::<Item>()
        .upload_file(&path)
        .await
        .unwrap();
    assert_eq!((item.name.as_str(), item.size), ("s.bin", 5000));
    assert_eq!(
        emu.sha256_of("docs/s.bin").unwrap(),
        sha256_file(&path).unwrap()
    );
    // One request, no session.
    let all = emu.requests();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].method, "PUT");
    assert_eq!(
        all[0].path,
        format!("/v1.0/me/drive/items/{parent}:/s.bin:/content")
    );
    assert_eq!(
        all[0].header("content-type"),
        Some("application/octet-stream")
    );
}

#[tokio::test]
async fn bad_slice_sizes_and_empty_files_are_refused() {
    let (emu, client) = setup().await;
    let err = UploadBuilder::new(create(&client, "a.bin"))
        .slice_size(1_000_000)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid input: slice size 1000000 is not allowed: upload slices must be a multiple of \
         320 KiB (327,680 bytes) and smaller than 60 MiB (62,914,560 bytes), e.g. 983040 or the \
         default 10485760 (10 MiB)"
    );
    assert!(UploadBuilder::new(create(&client, "a.bin"))
        .slice_size(60 * 1024 * 1024)
        .is_err());
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.bin");
    std::fs::write(&empty, b"").unwrap();
    let err = UploadBuilder::new(create(&client, "a.bin"))
        .upload_file(&empty)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot carry 0 bytes"), "{err}");
    assert!(emu.requests().is_empty());
}

#[tokio::test]
async fn uploaded_bytes_download_back_through_the_redirect() {
    // `GET .../content` answers 302 to a pre-authenticated URL on another host name: the client
    // follows it without the token, and the bytes are the file's.
    let emu = Emulator::builder()
        .token(TOKEN)
        .redirect_downloads(true)
        .start()
        .await
        .unwrap();
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    let path = random_file(&dir, "back.bin", 700_000);
    let item: Value = UploadBuilder::new(create(&client, "back.bin"))
        .slice_size(KIB320)
        .unwrap()
        .upload_file(&path)
        .await
        .unwrap();
    let id = item["id"].as_str().unwrap();
    let bytes = Path::root(&client)
        .segment("me")
        .segment("drive")
        .segment("items")
        .key(id)
        .segment("content")
        .request::<graph_docs_runtime::Binary>(&GET_CONTENT)
        .send()
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), std::fs::read(&path).unwrap().as_slice());
    let dl: Vec<_> = emu.requests().into_iter().filter(|r| r.download).collect();
    assert_eq!(dl.len(), 1);
    assert!(!dl[0].authorization, "the token followed the redirect");
    assert_eq!(dl[0].status, Some(200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_run_on_spawned_tasks() {
    // The upload future is `Send`: it can be spawned, and several can run at once.
    let (emu, client) = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let mut handles = Vec::new();
    for i in 0..3 {
        let path = random_file(&dir, &format!("p{i}.bin"), 400_000 + i);
        let up = UploadBuilder::new(create(&client, &format!("par/p{i}.bin")))
            .slice_size(KIB320)
            .unwrap();
        handles.push((path.clone(), tokio::spawn(up.upload_file(path))));
    }
    for (i, (path, h)) in handles.into_iter().enumerate() {
        let item = h.await.unwrap().unwrap();
        assert_eq!(item["name"], format!("p{i}.bin"));
        assert_eq!(
            emu.sha256_of(&format!("par/p{i}.bin")).unwrap(),
            sha256_file(&path).unwrap()
        );
    }
    assert_token_only_on_api(&emu);
}
