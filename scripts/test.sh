#!/usr/bin/env bash
# Builds Tessera and runs the whole lit suite (check-tessera); then, unless
# TESSERA_QUICK=1, the same suite in a sanitizer build (scripts/sanitize.sh)
# and a short run of every fuzzer (scripts/fuzz.sh, FUZZ_SECONDS each).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cmake --build "$BUILD_DIR" --target check-tessera
if [ "${TESSERA_QUICK:-0}" = 1 ]; then
  exit 0
fi
echo "== sanitizer suite (ASan + UBSan)"
"$ROOT/scripts/sanitize.sh"
if [ -x "$ROOT/scripts/fuzz.sh" ]; then
  echo "== fuzz smoke runs"
  "$ROOT/scripts/fuzz.sh" "${FUZZ_SECONDS:-20}"
fi
