#!/usr/bin/env bash
# Installs what witness needs beyond a stock Rust toolchain.  Idempotent; the
# xtask and the tests also do the project-local parts (npm ci, the Python venv)
# on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Rust guest compiles to wasm32-wasip2 (RUSTUP_AUTO_INSTALL=0 means no
# implicit installs).
rustup target add wasm32-wasip2

# The browser column runs guests in Debian's headless Chromium (the node and
# python columns set themselves up on first use: `npm ci`, and a venv under
# target/witness/venv from hosts/python/requirements.txt).
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
  else
    echo "setup: chromium is missing; install it with: sudo apt-get install chromium" >&2
  fi
fi
