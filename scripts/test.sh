#!/usr/bin/env bash
# The test command (README, second line): every crate's tests, with every feature (the runtime's
# blocking flavour included). The corpus tests read ../shared/corpus beside the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --all-features
