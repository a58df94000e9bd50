#!/usr/bin/env bash
# Installs what Tessera needs (Debian packages) and builds it into build/.
# Idempotent: quiet when everything is already there. Sourced by demo.sh and
# test.sh; BUILD_DIR overrides the build directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
PACKAGES=(llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
          libomp-22-dev libclang-rt-22-dev cmake ninja-build ccache python3-numpy g++)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# The tests run NumPy references; the system python3 has python3-numpy.
export PATH="/usr/bin:$PATH"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
# Paths relative to the checkout, so a clone in another folder hits the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}" CCACHE_NOHASHDIR=1

# Configures build directory $1 (once) with the project's toolchain; further
# arguments are extra CMake options (scripts/sanitize.sh adds the sanitizers).
tessera_configure() {
  local dir=$1; shift
  [ -f "$dir/build.ninja" ] && return 0
  cmake -G Ninja -S "$ROOT" -B "$dir" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit -DLLVM_LIT_ARGS=-sv \
    "$@" >/dev/null
}
tessera_configure "$BUILD_DIR"
cmake --build "$BUILD_DIR" -- -j"$(nproc)" | grep -vE '^\[[0-9]+/[0-9]+\]' || true
test -x "$BUILD_DIR/bin/tesserac"
