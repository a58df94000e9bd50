#!/usr/bin/env bash
# Builds Tessera with AddressSanitizer and UndefinedBehaviorSanitizer
# (clang-22) into build-asan/ and runs the whole lit suite there: the
# compiler, the runtime linked into every executed test, the plugin and the
# embedding consumer all run instrumented. SANITIZE_BUILD_DIR overrides the
# directory; SANITIZERS the list (default address,undefined).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
ASAN_DIR="${SANITIZE_BUILD_DIR:-$ROOT/build-asan}"
SANITIZERS="${SANITIZERS:-address,undefined}"
tessera_configure "$ASAN_DIR" -DTESSERA_SANITIZE="$SANITIZERS"
cmake --build "$ASAN_DIR" -- -j"$(nproc)" | grep -vE '^\[[0-9]+/[0-9]+\]' || true
cmake --build "$ASAN_DIR" --target check-tessera
