#!/usr/bin/env bash
# Installs what witness needs beyond a stock Rust toolchain.  Idempotent; the
# xtask and the tests also do the project-local parts (npm ci, the Python venv)
# on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Rust guest compiles to wasm32-wasip2 (RUSTUP_AUTO_INSTALL=0 means no
# implicit installs).
rustup target add wasm32-wasip2
