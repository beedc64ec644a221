//! Upload-session throughput and memory on loopback.
//!
//! Uploads one 256 MiB file of random bytes to the in-process Graph emulator twice each way,
//! alternating: one plain `PUT .../content` streaming the whole file (the emulator's one-shot
//! limit raised for the comparison), and an upload session through `UploadBuilder` with 10 MiB
//! slices. Prints each run, the ratio of the best session run to the best plain run, and the
//! process's peak RSS (`VmHWM`). Targets: ratio ≥ 80 %, peak RSS < 64 MiB.
//!
//! ```sh
//! cargo bench -p graph-docs-runtime --bench upload            # 256 MiB
//! UPLOAD_BENCH_MIB=64 cargo bench -p graph-docs-runtime --bench upload
//! ```

use std::io::Write;
use std::path::Path as FsPath;
use std::time::{Duration, Instant};

use graph_docs_emulator::{sha256_file, Emulator};
use graph_docs_runtime::upload::{UploadBuilder, DEFAULT_SLICE_SIZE};
use graph_docs_runtime::{Client, Json, Operation, Path, Permissions, RetryPolicy, Scopes};
use serde_json::Value;

static CREATE_UPLOAD_SESSION: Operation = Operation {
    name: "createUploadSession",
    method: "POST",
    routes: &["/me/drive/root:/{item-path}:/createUploadSession"],
    doc: "api/driveitem-createuploadsession.md",
    permissions: Permissions {
        delegated_work: Scopes::Unknown,
        delegated_personal: Scopes::NotSupported,
        application: Scopes::Unknown,
    },
};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn write_random_file(path: &FsPath, mib: usize) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut rng = fastrand::Rng::with_seed(42);
    let mut chunk = vec![0u8; 1024 * 1024];
    for _ in 0..mib {
        rng.fill(&mut chunk);
        f.write_all(&chunk)?;
    }
    f.flush()
}

/// One plain `PUT` streaming the file from disk (1 MiB chunks), with the bearer token.
async fn plain_put(
    emu: &Emulator,
    http: &reqwest::Client,
    path: &FsPath,
    dest: &str,
) -> Result<Duration, String> {
    let len = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| e.to_string())?;
    let stream = futures_util::stream::unfold(Some(file), |f| async move {
        use tokio::io::AsyncReadExt;
        let mut f = f?;
        let mut buf = vec![0u8; 1024 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(bytes::Bytes::from(buf)), Some(f)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    let start = Instant::now();
    let r = http
        .put(format!("{}/me/drive/root:/{dest}:/content", emu.base_url()))
        .bearer_auth(emu.token())
        .header("content-length", len)
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status();
    let _ = r.bytes().await;
    if !status.is_success() {
        return Err(format!("plain PUT answered {status}"));
    }
    Ok(start.elapsed())
}

async fn session_upload(client: &Client, path: &FsPath, dest: &str) -> Result<Duration, String> {
    let create = Path::root(client)
        .segment("me")
        .segment("drive")
        .segment("root")
        .colon_path(dest, true)
        .segment("createUploadSession")
        .request::<Json<Value>>(&CREATE_UPLOAD_SESSION);
    let start = Instant::now();
    let _item: Value = UploadBuilder::new(create)
        .slice_size(DEFAULT_SLICE_SIZE)
        .map_err(|e| e.to_string())?
        .retry(RetryPolicy::none())
        .upload_file(path)
        .await
        .map_err(|e| e.to_string())?;
    Ok(start.elapsed())
}

fn mib_per_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / d.as_secs_f64()
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing special. Either way
    // run the measurement, but with a small size under `cargo test` so CI stays quick.
    let under_test = !std::env::args().any(|a| a == "--bench");
    let mib: usize = std::env::var("UPLOAD_BENCH_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if under_test { 16 } else { 256 });
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start tokio: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = rt.block_on(run(mib)) {
        eprintln!("upload bench failed: {e}");
        std::process::exit(1);
    }
}

async fn run(mib: usize) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let src = dir.path().join("bench.bin");
    write_random_file(&src, mib).map_err(|e| e.to_string())?;
    let want = sha256_file(&src).map_err(|e| e.to_string())?;
    let bytes = (mib * 1024 * 1024) as u64;

    let emu = Emulator::builder()
        .token("bench-token")
        .simple_upload_limit(u64::MAX)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    let client = Client::builder()
        .base_url(emu.base_url())
        .token("bench-token")
        .timeout(Duration::from_secs(600))
        .build();
    let http = reqwest::Client::new();

    let mut plain = Vec::new();
    let mut session = Vec::new();
    let rounds: usize = std::env::var("UPLOAD_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let only = std::env::var("UPLOAD_BENCH_ONLY").unwrap_or_default();
    for round in 0..rounds {
        if only == "session" {
            plain.push(Duration::from_secs(1));
        } else {
            let dest = format!("plain-{round}.bin");
            let d = plain_put(&emu, &http, &src, &dest).await?;
            check(&emu, &dest, &want)?;
            delete(&emu, &http, &dest).await?;
            println!(
                "plain PUT        {mib} MiB: {:>7.1} ms  {:>7.1} MiB/s",
                d.as_secs_f64() * 1e3,
                mib_per_s(bytes, d)
            );
            plain.push(d);
        }
        if only == "plain" {
            session.push(Duration::from_secs(1));
            continue;
        }
        let dest = format!("session-{round}.bin");
        let d = session_upload(&client, &src, &dest).await?;
        check(&emu, &dest, &want)?;
        delete(&emu, &http, &dest).await?;
        println!(
            "upload session   {mib} MiB: {:>7.1} ms  {:>7.1} MiB/s  (10 MiB slices)",
            d.as_secs_f64() * 1e3,
            mib_per_s(bytes, d)
        );
        session.push(d);
    }
    plain.sort();
    session.sort();
    let ratio = |p: Duration, s: Duration| p.as_secs_f64() / s.as_secs_f64() * 100.0;
    let (bp, bs) = (plain[0], session[0]);
    let (mp, ms) = (plain[plain.len() / 2], session[session.len() / 2]);
    println!(
        "best:   plain {:.1} MiB/s, session {:.1} MiB/s",
        mib_per_s(bytes, bp),
        mib_per_s(bytes, bs)
    );
    println!(
        "median: plain {:.1} MiB/s, session {:.1} MiB/s",
        mib_per_s(bytes, mp),
        mib_per_s(bytes, ms)
    );
    println!(
        "session/plain throughput: {:.1} % best-vs-best, {:.1} % median-vs-median (target >= 80 %)",
        ratio(bp, bs),
        ratio(mp, ms)
    );
    let rss = peak_rss_kib().unwrap_or(0);
    println!(
        "peak RSS (VmHWM, whole process incl. the emulator): {:.1} MiB (target < 64 MiB)",
        rss as f64 / 1024.0
    );
    emu.shutdown().await;
    Ok(())
}

/// Deletes an uploaded file so the runs do not fill the disk cache with dirty pages.
async fn delete(emu: &Emulator, http: &reqwest::Client, dest: &str) -> Result<(), String> {
    let r = http
        .delete(format!("{}/me/drive/root:/{dest}", emu.base_url()))
        .bearer_auth(emu.token())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() != 204 {
        return Err(format!("DELETE {dest} answered {}", r.status()));
    }
    Ok(())
}

fn check(emu: &Emulator, dest: &str, want: &str) -> Result<(), String> {
    match emu.sha256_of(dest) {
        Some(h) if h == want => Ok(()),
        Some(h) => Err(format!("{dest}: stored sha256 {h} != source {want}")),
        None => Err(format!("{dest}: not stored")),
    }
}
