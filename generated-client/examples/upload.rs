//! Uploads a file through an upload session, end to end, with the generated client.
//!
//! ```text
//! cargo run --release -p generated-client --example upload -- FILE [DEST_PATH] [--verify]
//! ```
//!
//! Without `GRAPH_TOKEN` it starts the local Graph-compatible server (graph-docs-emulator) in
//! this process and uploads there; the final hash is computed by the server over the bytes it
//! stored. With `GRAPH_TOKEN` set it uploads to the real service (`/me/drive/root:/DEST:`); with
//! `--verify` it downloads the file back and hashes what came back.
//!
//! It ends with exactly one line on stdout:
//! `uploaded <bytes> bytes in <slices> slices to <dest>; sha256 <hex>`.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use generated_client::runtime::upload::DEFAULT_SLICE_SIZE;
use generated_client::Client;
use sha2::{Digest, Sha256};

fn usage() -> ExitCode {
    eprintln!("usage: upload FILE [DEST_PATH] [--verify]");
    ExitCode::from(2)
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut verify = false;
    let mut positional = Vec::new();
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--verify" => verify = true,
            "-h" | "--help" => return usage(),
            _ => positional.push(a),
        }
    }
    let Some(file) = positional.first().cloned() else {
        return usage();
    };
    let size = match std::fs::metadata(&file) {
        Ok(m) if m.is_file() => m.len(),
        Ok(_) => {
            eprintln!("error: `{file}` is not a file");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: cannot read `{file}`: {e}");
            return ExitCode::from(2);
        }
    };
    let dest = positional.get(1).cloned().unwrap_or_else(|| {
        std::path::Path::new(&file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "upload.bin".into())
    });
    match run(&file, &dest, size, verify).await {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(
    file: &str,
    dest: &str,
    size: u64,
    verify: bool,
) -> Result<String, Box<dyn std::error::Error>> {
    let token = std::env::var("GRAPH_TOKEN").ok().filter(|t| !t.is_empty());
    let emulator = match token {
        Some(_) => None,
        None => Some(
            graph_docs_emulator::Emulator::builder()
                .token("local-token")
                .start()
                .await?,
        ),
    };
    let client = match (&token, &emulator) {
        (Some(t), _) => Client::new(t.clone()),
        (None, Some(emu)) => Client::from(
            Client::builder()
                .base_url(emu.base_url())
                .token(emu.token())
                .build(),
        ),
        (None, None) => unreachable!("either a token or the local server"),
    };

    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(size);
        bar.set_style(indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )?);
        Some(bar)
    } else {
        None
    };
    let progress_bar = bar.clone().map(Arc::new);

    let item = client
        .me()
        .drive()
        .root()
        .item_by_path(dest)
        .create_upload_session()
        .uploader()
        .progress(move |done, _total| {
            if let Some(b) = &progress_bar {
                b.set_position(done);
            }
        })
        .upload_file(file)
        .await?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    let (slices, sha) = match &emulator {
        Some(emu) => {
            let stored = emu
                .sha256_of(dest)
                .ok_or("the server has no item at the destination path")?;
            (emu.slices_received(), stored)
        }
        None => {
            let slices = size.div_ceil(DEFAULT_SLICE_SIZE).max(1);
            let sha = if verify {
                let bytes = client
                    .me()
                    .drive()
                    .root()
                    .item_by_path(dest)
                    .content()
                    .get()
                    .send()
                    .await?;
                hex::encode(Sha256::digest(&bytes))
            } else {
                item.file
                    .as_ref()
                    .and_then(|f| f.hashes.as_ref())
                    .and_then(|h| h.sha256_hash.clone())
                    .map(|h| h.to_ascii_lowercase())
                    .unwrap_or_else(|| "unknown (use --verify)".into())
            };
            (slices, sha)
        }
    };
    if let Some(emu) = emulator {
        emu.shutdown().await;
    }
    Ok(format!(
        "uploaded {size} bytes in {slices} slices to {dest}; sha256 {sha}"
    ))
}
