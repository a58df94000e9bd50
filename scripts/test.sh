#!/usr/bin/env bash
# Builds Tessera and runs the whole lit suite (check-tessera); then, unless
# TESSERA_QUICK=1, the same suite in a sanitizer build (scripts/sanitize.sh)
# and a short run of every fuzzer (scripts/fuzz.sh, FUZZ_SECONDS each).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cmake --build "$BUILD_DIR" --target check-tessera
# The executed suites again for each x86-64 level this host can run (the
# kernels' vector width and register blocks follow --mcpu; code for a level
# the host lacks is checked in test/Pipelines/cpu-levels.mlir).
has() {
  local f
  for f in "$@"; do
    grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | grep -qw -- "$f" || return 1
  done
}
levels=()
if has avx2 fma bmi2; then levels+=(x86-64-v3); fi
if has avx512f avx512bw avx512dq avx512vl; then levels+=(x86-64-v4); fi
for level in "${levels[@]+"${levels[@]}"}"; do
  echo "== executed suites at --mcpu=$level"
  /usr/lib/llvm-22/bin/lit -q --param "tessera_mcpu=$level" \
    "$BUILD_DIR/test/Integration/CPU" "$BUILD_DIR/test/Examples"
done
# The CUDA target's kernel mapping, run as CPU loops (every machine), and
# on a GPU where the driver finds one (tier 3: the executed suites on the
# device, against the same NumPy references).
echo "== executed suites through the CUDA mapping, emulated on the CPU"
/usr/lib/llvm-22/bin/lit -q --param tessera_target=cuda-emulate \
  "$BUILD_DIR/test/Integration/CPU" "$BUILD_DIR/test/Examples"
if python3 -c 'import ctypes, sys
c = ctypes.CDLL("libcuda.so.1"); n = ctypes.c_int(0)
sys.exit(not (c.cuInit(0) == 0 and c.cuDeviceGetCount(ctypes.byref(n)) == 0
              and n.value > 0))' 2>/dev/null; then
  echo "== executed suites on the CUDA device"
  /usr/lib/llvm-22/bin/lit -q --param tessera_target=cuda \
    "$BUILD_DIR/test/Integration/CPU" "$BUILD_DIR/test/Examples"
fi
if [ "${TESSERA_QUICK:-0}" = 1 ]; then
  exit 0
fi
echo "== sanitizer suite (ASan + UBSan)"
"$ROOT/scripts/sanitize.sh"
if [ -x "$ROOT/scripts/fuzz.sh" ]; then
  echo "== fuzz smoke runs"
  "$ROOT/scripts/fuzz.sh" "${FUZZ_SECONDS:-20}"
fi
