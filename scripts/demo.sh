#!/usr/bin/env bash
# Builds Tessera, compiles the example DiT block to a native executable and
# runs it on seeded random weights and inputs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"

EXE="$BUILD_DIR/dit_block"
echo "tesserac examples/dit_block.mlir -o $EXE"
"$BUILD_DIR/bin/tesserac" "$ROOT/examples/dit_block.mlir" -o "$EXE"
"$EXE" --print-signature | head -3
echo "  ..."
# Weights in PyTorch's nn.Linear initialisation; x and t drawn by the runtime.
/usr/bin/python3 "$ROOT/scripts/make_weights.py" "$EXE" "$BUILD_DIR/dit_block.safetensors" --skip x --skip t
"$EXE" --weights "$BUILD_DIR/dit_block.safetensors" --random-inputs --seed 0 \
  --threads "$(nproc)" --bench 10
