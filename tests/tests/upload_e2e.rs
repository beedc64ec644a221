//! The generated `create_upload_session()` builder drives a whole upload against the local
//! server: the bytes stored are the bytes sent, and the token never reaches the upload URL.

use generated_client::models::DriveItemUploadableProperties;
use generated_client::Client;
use graph_docs_emulator::{sha256_hex, Emulator};

fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    // xorshift: deterministic, no extra dependency.
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

async fn client_for(emu: &Emulator) -> Client {
    Client::from(
        Client::builder()
            .base_url(emu.base_url())
            .token(emu.token())
            .build(),
    )
}

#[tokio::test]
async fn generated_builder_uploads_a_file_by_path_with_a_dropped_slice() {
    let emu = Emulator::builder().token("t0k3n").start().await.unwrap();
    let client = client_for(&emu).await;
    let data = random_bytes(3 * 327_680 + 17, 7);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.bin");
    std::fs::write(&file, &data).unwrap();
    emu.faults().drop_connection_on_slice(1);

    let item = client
        .me()
        .drive()
        .root()
        .item_by_path("reports/report.bin")
        .create_upload_session()
        .item(DriveItemUploadableProperties {
            name: Some("report.bin".into()),
            ..Default::default()
        })
        .uploader()
        .slice_size(327_680)
        .unwrap()
        .upload_file(&file)
        .await
        .unwrap();

    assert_eq!(item.name.as_deref(), Some("report.bin"));
    assert_eq!(item.size, Some(data.len() as i64));
    assert_eq!(
        emu.sha256_of("reports/report.bin").unwrap(),
        sha256_hex(&data)
    );
    let uploads = emu.upload_requests();
    assert!(
        uploads.len() >= 5,
        "4 slices plus a retry, got {}",
        uploads.len()
    );
    assert!(uploads.iter().all(|r| !r.authorization));
    emu.shutdown().await;
}

#[tokio::test]
async fn upload_into_a_parent_folder_by_id() {
    let emu = Emulator::builder().token("t").start().await.unwrap();
    let client = client_for(&emu).await;
    let parent = emu.create_folder("inbox").unwrap();
    let data = random_bytes(1000, 3);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.bin");
    std::fs::write(&file, &data).unwrap();
    let item = client
        .me()
        .drive()
        .items()
        .by_id(parent)
        .item_by_path("a.bin")
        .create_upload_session()
        .upload_file(&file)
        .await
        .unwrap();
    assert_eq!(item.size, Some(1000));
    assert_eq!(emu.sha256_of("inbox/a.bin").unwrap(), sha256_hex(&data));
    emu.shutdown().await;
}
