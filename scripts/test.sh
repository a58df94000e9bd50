#!/usr/bin/env bash
# Builds Tessera and runs the whole lit suite (check-tessera).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cmake --build "$BUILD_DIR" --target check-tessera
