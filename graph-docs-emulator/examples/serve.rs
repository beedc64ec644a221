//! Runs the emulator in the foreground, for trying a client or the CLI against it by hand.
//!
//! ```sh
//! cargo run -p graph-docs-emulator --example serve -- [PORT] [TOKEN]
//! ```
//!
//! Prints the base URL and the token, then serves until the process is stopped.

use std::net::SocketAddr;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let port: u16 = match args.next().map(|p| p.parse()) {
        None => 0,
        Some(Ok(p)) => p,
        Some(Err(e)) => {
            eprintln!("usage: serve [PORT] [TOKEN]: bad port: {e}");
            std::process::exit(2);
        }
    };
    let token = args.next().unwrap_or_else(|| "emulator-token".to_string());
    let emu = match graph_docs_emulator::Emulator::builder()
        .token(token)
        .bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .start()
        .await
    {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot start the emulator: {e}");
            std::process::exit(1);
        }
    };
    println!("base URL: {}", emu.base_url());
    println!("token:    {}", emu.token());
    println!("drive id: {}", emu.drive_id());
    std::future::pending::<()>().await;
}
