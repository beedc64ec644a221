#!/usr/bin/env bash
# Compile-cost benchmark for the generated client (issue: whole v1.0 corpus). Run on the
# 2-core machine: `bash scripts/bench-compile.sh`. Prints one line per measurement.
# Needs ../shared/corpus beside the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
t() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo "$(( (e - s) / 1000000 ))e-3" | awk '{printf "%.1f", $1}'; }

echo "== macro expansion (outside rustc: load + parse + generate + render)"
cargo bench -q -p graph-docs-codegen --bench expand 2>/dev/null | grep -E "corpus|only"

echo "== generated code size"
cargo run -q --release -p graph-docs-codegen --example expand -- ../shared/corpus/graph-docs-2021/v1.0 --skip-invalid 2>/dev/null > target/corpus-expanded.rs
echo "whole corpus: $(wc -c < target/corpus-expanded.rs) bytes, $(wc -l < target/corpus-expanded.rs) lines (prettyplease)"

echo "== dependencies built"
cargo build -q -p corpus-client -p corpus-subset
for kind in check build; do
  for crate in corpus-client corpus-subset; do
    cargo clean -q -p "$crate"
    echo "cargo $kind $crate, from scratch: $(t cargo "$kind" -p "$crate") s"
  done
done
touch tests/corpus-client/src/lib.rs; echo "cargo check corpus-client, incremental: $(t cargo check -p corpus-client) s"

echo "== clean debug build of a downstream crate using the whole client, dependencies included"
rm -rf target/bench-clean
echo "cargo build corpus-client, clean: $(CARGO_TARGET_DIR=target/bench-clean t cargo build -p corpus-client) s"
rm -rf target/bench-clean
