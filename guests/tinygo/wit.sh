#!/bin/sh
# Assembles the WIT package the TinyGo guest is built against in $1:
# wit/world.wit, with in deps/ the contract's own package (from
# $WITNESS_WIT, unchanged) and the WASI 0.2.0 packages that the installed
# TinyGo's wasip2 runtime was built for ($TINYGOROOT/lib/wasi-cli/wit).
set -eu
out=$1
root=$(tinygo env TINYGOROOT)
wasi=$root/lib/wasi-cli/wit
if [ ! -f "$wasi/imports.wit" ]; then
  echo "wit.sh: $wasi/imports.wit not found: is TINYGOROOT ($root) a TinyGo with wasip2 support?" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out/deps/contract" "$out/deps/cli"
cp wit/world.wit "$out/"
cp "$WITNESS_WIT"/*.wit "$out/deps/contract/"
# The contract's own dependencies, if it has any, sit beside it.
if [ -d "$WITNESS_WIT/deps" ]; then
  cp -R "$WITNESS_WIT/deps/." "$out/deps/"
fi
cp "$wasi"/*.wit "$out/deps/cli/"
cp -R "$wasi/deps/." "$out/deps/"
