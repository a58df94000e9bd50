#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ and runs each for SECONDS seconds
# (default 30) from its seed corpus in fuzz/corpus/<target>/.
#
#   scripts/fuzz.sh [SECONDS] [--no-ir]
#
# The runtime targets (npy, safetensors, json, signature: runtime code only,
# no LLVM) are built directly with clang++-22 into $FUZZ_BUILD_DIR (default
# build-fuzz/). The compiler target ir_fuzzer is built by a separate CMake
# build in $FUZZ_BUILD_DIR/ir configured with -DTESSERA_ENABLE_FUZZERS=ON
# (the first build compiles the project with sanitizers: minutes); --no-ir
# skips it. Every run starts from the checked-in seeds (new inputs go to
# $FUZZ_BUILD_DIR/run/<target>/corpus, crash reproducers next to it), so the
# script is idempotent. No network is used once libclang-rt-22-dev (libFuzzer)
# is installed. Prints one line per target with its number of executions and
# exits 1 if any target crashed, leaked, timed out or ran out of memory.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
CXX="${FUZZ_CXX:-clang++-22}"
CC="${FUZZ_CC:-clang-22}"
JOBS="${FUZZ_JOBS:-2}"
SECONDS_PER_TARGET=30
IR=1
for arg in "$@"; do
  case "$arg" in
  --no-ir) IR=0 ;;
  '' | *[!0-9]*)
    echo "usage: scripts/fuzz.sh [SECONDS] [--no-ir]" >&2
    exit 2
    ;;
  *) SECONDS_PER_TARGET=$arg ;;
  esac
done

# libFuzzer comes with compiler-rt (Debian's libclang-rt-22-dev).
probe() {
  echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char *, unsigned long) { return 0; }' |
    "$CXX" -x c++ -fsanitize=fuzzer - -o /dev/null 2>/dev/null
}
if ! probe; then
  if command -v dpkg-query >/dev/null &&
    ! dpkg-query -W -f='${Status}' libclang-rt-22-dev 2>/dev/null | grep -q "install ok installed"; then
    echo "fuzz: installing libclang-rt-22-dev (libFuzzer)"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      libclang-rt-22-dev >/dev/null
  fi
  probe || { echo "fuzz: $CXX cannot build libFuzzer targets" >&2; exit 1; }
fi

mkdir -p "$OUT/obj" "$OUT/bin"
FLAGS=(-std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined
       -fno-sanitize-recover=undefined -I"$ROOT/runtime" -I"$ROOT/include")
RUNTIME_TARGETS=(npy safetensors json signature)

# Rebuilds OUTPUT from SOURCE when either or a header is newer.
stale() { # OUTPUT SOURCE
  [ ! -e "$1" ] || [ "$2" -nt "$1" ] ||
    [ -n "$(find "$ROOT/runtime" "$ROOT/fuzz" -maxdepth 1 -name '*.h' -newer "$1")" ]
}
build_failed=0
objs=()
for src in "$ROOT"/runtime/{Json,Npy,SafeTensors,Signature,Support}.cpp; do
  obj="$OUT/obj/$(basename "$src" .cpp).o"
  objs+=("$obj")
  if stale "$obj" "$src"; then
    "$CXX" "${FLAGS[@]}" -fsanitize=fuzzer-no-link -c "$src" -o "$obj" || build_failed=1
  fi
done
for t in "${RUNTIME_TARGETS[@]}"; do
  src="$ROOT/fuzz/${t}_fuzzer.cpp"
  obj="$OUT/obj/${t}_fuzzer.o"
  if stale "$obj" "$src"; then
    "$CXX" "${FLAGS[@]}" -c "$src" -o "$obj" || build_failed=1
  fi
  "$CXX" "${FLAGS[@]}" "$obj" "${objs[@]}" -o "$OUT/bin/${t}_fuzzer" || build_failed=1
done

if [ "$IR" = 1 ]; then
  if [ ! -f "$OUT/ir/build.ninja" ]; then
    launcher=()
    command -v ccache >/dev/null &&
      launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -G Ninja -S "$ROOT" -B "$OUT/ir" \
      -DCMAKE_BUILD_TYPE=Release -DTESSERA_ENABLE_FUZZERS=ON \
      -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" "${launcher[@]}" \
      -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
      -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit >/dev/null || build_failed=1
  fi
  if [ -f "$OUT/ir/build.ninja" ]; then
    echo "fuzz: building ir_fuzzer in $OUT/ir"
    ninja -C "$OUT/ir" -j"$JOBS" ir_fuzzer | grep -vE '^\[[0-9]+/[0-9]+\]|^ninja: (Entering|no work)'
    [ "${PIPESTATUS[0]}" = 0 ] || build_failed=1
  fi
fi
if [ "$build_failed" = 1 ]; then
  echo "fuzz: build failed" >&2
  exit 1
fi

# run_target NAME BINARY: fuzzes for SECONDS_PER_TARGET from the seeds.
crashed=0
run_target() {
  local name=$1 bin=$2
  local work="$OUT/run/$name"
  rm -rf "$work"
  mkdir -p "$work/corpus"
  # The outer timeout only guards against a fuzzer that ignores its limits.
  timeout -k 10 $((SECONDS_PER_TARGET * 2 + 120)) "$bin" \
    -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/" \
    "$work/corpus" "$ROOT/fuzz/corpus/$name" >"$work/log.txt" 2>&1
  local rc=$?
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$work/log.txt" | tail -1)
  if [ "$rc" = 0 ]; then
    echo "fuzz: $name: ${execs:-?} executions in ${SECONDS_PER_TARGET}s, no crash"
  else
    crashed=$((crashed + 1))
    echo "fuzz: $name: CRASH (exit $rc) after ${execs:-?} executions; log: $work/log.txt"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*FUZZ_CHECK failed|LLVM ERROR|.*Assertion)' "$work/log.txt" | head -5 | sed 's/^/  /'
    ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null | sed 's/^/  reproducer: /'
  fi
}
targets=0
for t in "${RUNTIME_TARGETS[@]}"; do
  run_target "$t" "$OUT/bin/${t}_fuzzer"
  targets=$((targets + 1))
done
if [ "$IR" = 1 ]; then
  run_target ir "$OUT/ir/bin/ir_fuzzer"
  targets=$((targets + 1))
fi
echo "fuzz: $targets targets, $crashed crashed"
[ "$crashed" = 0 ]
