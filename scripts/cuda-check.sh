#!/usr/bin/env bash
# The checks that need a CUDA GPU, as one script (for a machine with a GPU,
# the driver and the toolkit): tier 3 of the CUDA tests (the executed
# suites compiled with --target=cuda, against the same NumPy references),
# the CUDA tests of tiers 1 and 2, and the attention, linear and MoE
# benchmarks.
#   scripts/cuda-check.sh [--quick]    (--quick: the benchmark's small sizes)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cmake --build "$BUILD_DIR" --target tesserac tessera-opt TesseraRuntime
echo "== tier 3: executed suites on the CUDA device"
/usr/lib/llvm-22/bin/lit -sv --param tessera_target=cuda \
  "$BUILD_DIR/test/Integration/CPU" "$BUILD_DIR/test/Examples"
echo "== tiers 1 and 2"
/usr/lib/llvm-22/bin/lit -sv "$BUILD_DIR/test/Integration/CUDA" \
  "$BUILD_DIR/test/Conversion/TesseraToGPU"
echo "== attention benchmark"
python3 "$ROOT/bench/attention/cuda.py" "$@"
echo "== linear benchmark"
python3 "$ROOT/bench/linear/cuda.py" "$@"
echo "== MoE benchmark"
python3 "$ROOT/bench/moe/cuda.py" "$@"
