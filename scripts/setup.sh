#!/usr/bin/env bash
# Installs what witness needs beyond a stock Rust toolchain.  Idempotent; the
# xtask and the tests also do the project-local parts (npm ci, the Python venv)
# on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Rust guest compiles to wasm32-wasip2 (RUSTUP_AUTO_INSTALL=0 means no
# implicit installs).
rustup target add wasm32-wasip2

# Debian packages:
# - chromium: the browser column runs guests in headless Chromium (the node
#   and python columns set themselves up on first use: `npm ci`, and a venv
#   under target/witness/venv from hosts/python/requirements.txt);
# - clang-16, lld-16, wasi-libc, libclang-rt-16-dev-wasm32, make: the C guest
#   (and the C pipeline) compile for wasm32-wasi with Debian's clang.
packages=(chromium clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32 make)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: missing Debian packages; install them with: sudo apt-get install ${missing[*]}" >&2
  fi
fi
