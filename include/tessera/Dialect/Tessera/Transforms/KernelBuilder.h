//===- KernelBuilder.h - Helpers for hand-built CPU kernels -----*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// The fused kernels (attention, linear) are built directly from scf, memref
// and vector ops; these helpers keep that code short and shared.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_TRANSFORMS_KERNELBUILDER_H
#define TESSERA_DIALECT_TESSERA_TRANSFORMS_KERNELBUILDER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::tessera::kernel {

inline int64_t roundUp(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

/// Tile shapes of the target-independent schedules (tessera.tile_* ops):
/// column tiles (keys, Dv, linear outputs) are multiples of kTileLanes, the
/// f32 lanes of the widest vector of any target; row tiles are multiples of
/// kRowQuantum, the most rows of a register block, unless fewer rows exist.
constexpr int64_t kTileLanes = 16;
constexpr int64_t kRowQuantum = 8;

/// Rows of a tile covering `n` rows: n itself below kRowQuantum, else
/// rounded up to a multiple of it.
inline int64_t rowTile(int64_t n) {
  return n < kRowQuantum ? n : roundUp(n, kRowQuantum);
}

/// What the kernels are built for, from the module's `#tessera.cpu_target`
/// (see getKernelConfig).
struct KernelConfig {
  /// Bits of one vector register.
  int64_t vectorBits = 256;
  /// Architectural vector registers.
  int64_t registers = 16;
  /// Fused multiply-add instructions exist.
  bool fma = true;

  /// f32 lanes of one vector.
  int64_t lanes() const { return vectorBits / 32; }
};

/// The shape of an outer-product register block: `rows` broadcast scalars
/// times `vectors` loaded vectors, accumulated into rows × vectors
/// registers.
struct RegisterBlock {
  int64_t rows, vectors;
};

/// What a register block must satisfy.
struct BlockLimits {
  /// The vectors divide this (0: any number).
  int64_t divides = 0;
  int64_t maxVectors = 8;
  int64_t maxRows = 8;
  /// The rows divide this (0: any number).
  int64_t rowsDivide = 0;
  /// Exactly this many rows or vectors (0: chosen).
  int64_t rows = 0, vectors = 0;
  /// Registers kept free for other values of the inner loop.
  int64_t reserved = 0;
};

/// The register block with the most accumulators such that accumulators,
/// the loaded vectors, one broadcast and the reserved registers fit in
/// `registers`. Ties go to fewer loads per FMA, then to more vectors.
inline RegisterBlock chooseRegisterBlock(int64_t registers,
                                         const BlockLimits &limits) {
  RegisterBlock best{0, 0};
  auto better = [](RegisterBlock a, RegisterBlock b) {
    int64_t accA = a.rows * a.vectors, accB = b.rows * b.vectors;
    if (accA != accB)
      return accA > accB;
    // (rows + vectors) loads feed rows·vectors FMAs.
    int64_t lhs = (a.rows + a.vectors) * accB,
            rhs = (b.rows + b.vectors) * accA;
    if (lhs != rhs)
      return lhs < rhs;
    return a.vectors > b.vectors;
  };
  for (int64_t v = 1; v <= std::max(limits.maxVectors, limits.vectors); ++v) {
    if ((limits.divides > 0 && limits.divides % v != 0) ||
        (limits.vectors && v != limits.vectors))
      continue;
    int64_t free = registers - limits.reserved - v - 1;
    int64_t r = limits.rows ? limits.rows : std::min(limits.maxRows, free / v);
    while (!limits.rows && r > 1 && limits.rowsDivide > 0 &&
           limits.rowsDivide % r != 0)
      --r;
    if (r < 1 || r * v > free)
      continue;
    if (better({r, v}, best))
      best = {r, v};
  }
  // Nothing fits: the smallest block (it spills, but is correct).
  if (best.rows == 0)
    best = {limits.rows ? limits.rows : 1, limits.vectors ? limits.vectors : 1};
  return best;
}

inline VectorType vec(Type et, int64_t lanes) {
  return VectorType::get({lanes}, et);
}

inline Value idx(ImplicitLocOpBuilder &b, int64_t v) {
  return arith::ConstantIndexOp::create(b, v);
}

inline Value f32(ImplicitLocOpBuilder &b, double v) {
  return arith::ConstantOp::create(b, b.getF32FloatAttr(v));
}

inline Value splat(ImplicitLocOpBuilder &b, Value scalar, int64_t lanes) {
  return vector::BroadcastOp::create(b, vec(scalar.getType(), lanes), scalar);
}

/// a · x + acc: one FMA where the target has it, else a multiply and an
/// add (a vector FMA would become a libm call there).
inline Value fma(ImplicitLocOpBuilder &b, const KernelConfig &config, Value a,
                 Value x, Value acc) {
  if (config.fma)
    return vector::FMAOp::create(b, a, x, acc);
  return arith::AddFOp::create(b, arith::MulFOp::create(b, a, x), acc);
}

/// `x > y ? x : y`, which is one max instruction on x86 (a NaN x gives
/// y; `arith.maxnumf` costs a compare and a blend more).
inline Value selectMax(ImplicitLocOpBuilder &b, Value x, Value y) {
  return arith::SelectOp::create(
      b, arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, x, y), x, y);
}

/// Combines the lanes of `v` pairwise, halves first (log2(lanes) vector
/// steps instead of a serial chain), into a scalar.
inline Value
reduceTree(ImplicitLocOpBuilder &b, Value v,
           function_ref<Value(ImplicitLocOpBuilder &, Value, Value)> combine) {
  auto vt = cast<VectorType>(v.getType());
  for (int64_t n = vt.getNumElements(); n > 1; n /= 2) {
    Value lo = vector::ExtractStridedSliceOp::create(b, v, ArrayRef<int64_t>{0},
                                                     ArrayRef<int64_t>{n / 2},
                                                     ArrayRef<int64_t>{1});
    Value hi = vector::ExtractStridedSliceOp::create(
        b, v, ArrayRef<int64_t>{n / 2}, ArrayRef<int64_t>{n / 2},
        ArrayRef<int64_t>{1});
    v = combine(b, lo, hi);
  }
  return vector::ExtractOp::create(b, v, ArrayRef<int64_t>{0});
}

/// A splat tensor constant as the equivalent vector constant.
inline Value splatConstant(ImplicitLocOpBuilder &b, DenseElementsAttr attr,
                           int64_t lanes) {
  auto vt = vec(attr.getElementType(), lanes);
  return arith::ConstantOp::create(
      b, vt, DenseElementsAttr::get(vt, attr.getSplatValue<Attribute>()));
}

inline Value toI64(ImplicitLocOpBuilder &b, Value index) {
  return arith::IndexCastOp::create(b, b.getI64Type(), index);
}

/// `for iv in [lb, ub) step s` with the body built by `fn`.
inline void forLoop(ImplicitLocOpBuilder &b, Value lb, Value ub, int64_t step,
                    function_ref<void(ImplicitLocOpBuilder &, Value)> fn) {
  auto loop = scf::ForOp::create(b, lb, ub, idx(b, step));
  ImplicitLocOpBuilder nb =
      ImplicitLocOpBuilder::atBlockBegin(b.getLoc(), loop.getBody());
  nb.setInsertionPoint(loop.getBody()->getTerminator());
  fn(nb, loop.getInductionVar());
}

/// The storage type (f16, bf16) that the entries of `v` were widened from
/// by tessera-widen-storage, so that they are exact in it; null if unknown.
inline Type widenedFrom(Value v) {
  auto ext = v.getDefiningOp<arith::ExtFOp>();
  if (!ext)
    return {};
  Type t = getElementTypeOrSelf(ext.getIn().getType());
  return t.isF16() || t.isBF16() ? t : Type();
}

/// `t` zero-padded to `shape` (a fresh tensor), or `t` itself when no
/// padding is needed: bufferization copies a strided buffer into the
/// identity layout that `toBuffer` asks for.
inline Value padded(ImplicitLocOpBuilder &b, Value t, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(t.getType());
  if (type.getShape() == shape)
    return t;
  Value zero =
      arith::ConstantOp::create(b, b.getFloatAttr(type.getElementType(), 0.0));
  Value init = tensor::EmptyOp::create(b, shape, type.getElementType());
  Value filled = linalg::FillOp::create(b, zero, init).getResult(0);
  SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(shape.size(), b.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes;
  for (int64_t s : type.getShape())
    sizes.push_back(b.getIndexAttr(s));
  return tensor::InsertSliceOp::create(b, t, filled, offsets, sizes, strides);
}

/// A read-only identity-layout buffer of tensor `t` (null stays null). The
/// op is Pure: no CSE may run between the kernels that use it and
/// bufferization (see populateFuseAndTilePhase).
inline Value toBuffer(ImplicitLocOpBuilder &b, Value t) {
  if (!t)
    return Value();
  auto tt = cast<RankedTensorType>(t.getType());
  return bufferization::ToBufferOp::create(
      b, MemRefType::get(tt.getShape(), tt.getElementType()), t,
      /*read_only=*/true);
}

/// The view `buf[offsets...]` of shape `sizes` over the last sizes.size()
/// dimensions (size 1, dropped, in the leading ones), unit strides.
inline Value tileView(ImplicitLocOpBuilder &b, Value buf,
                      ArrayRef<OpFoldResult> offsets,
                      ArrayRef<OpFoldResult> sizes) {
  auto type = cast<MemRefType>(buf.getType());
  int64_t lead = type.getRank() - static_cast<int64_t>(sizes.size());
  SmallVector<OpFoldResult> allSizes(lead, b.getIndexAttr(1));
  allSizes.append(sizes.begin(), sizes.end());
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  SmallVector<int64_t> shape;
  for (OpFoldResult s : sizes) {
    std::optional<int64_t> c = getConstantIntValue(s);
    shape.push_back(c ? *c : ShapedType::kDynamic);
  }
  auto result = memref::SubViewOp::inferRankReducedResultType(
      shape, type, offsets, allSizes, strides);
  return memref::SubViewOp::create(b, result, buf, offsets, allSizes, strides);
}

/// `if (cond) { fn }` without results.
inline void ifThen(ImplicitLocOpBuilder &b, Value cond,
                   function_ref<void(ImplicitLocOpBuilder &)> fn) {
  auto op = scf::IfOp::create(b, cond, /*withElseRegion=*/false);
  ImplicitLocOpBuilder nb =
      ImplicitLocOpBuilder::atBlockBegin(b.getLoc(), op.thenBlock());
  nb.setInsertionPoint(op.thenBlock()->getTerminator());
  fn(nb);
}

/// `for iv in [lb, ub) step s` carrying `init`; `fn` returns the next values.
inline SmallVector<Value> forAccumulate(
    ImplicitLocOpBuilder &b, Value lb, Value ub, int64_t step, ValueRange init,
    function_ref<SmallVector<Value>(ImplicitLocOpBuilder &, Value, ValueRange)>
        fn) {
  auto loop = scf::ForOp::create(
      b, lb, ub, idx(b, step), init,
      [&](OpBuilder &nb, Location l, Value iv, ValueRange acc) {
        ImplicitLocOpBuilder ib(l, nb);
        scf::YieldOp::create(ib, fn(ib, iv, acc));
      });
  return SmallVector<Value>(loop.getResults());
}

/// Loops over a dimension are unrolled up to this many vectors (or
/// scalar steps), scf.for beyond, so compile time does not grow with it.
constexpr int64_t kMaxUnrolledVectors = 8;

/// Calls `fn` for e = 0, lanes, ... below `n`: unrolled for a few
/// vectors, an scf.for beyond.
inline void
forEachVector(ImplicitLocOpBuilder &b, int64_t lanes, int64_t n,
              function_ref<void(ImplicitLocOpBuilder &, Value)> fn) {
  if (n / lanes <= kMaxUnrolledVectors) {
    for (int64_t e = 0; e < n; e += lanes)
      fn(b, idx(b, e));
    return;
  }
  forLoop(b, idx(b, 0), idx(b, n), lanes, fn);
}

/// acc = fn(s, acc) for s = 0 .. n - 1 in order: unrolled up to
/// kMaxUnrolledVectors steps, an scf.for beyond.
inline Value
accumulateOver(ImplicitLocOpBuilder &b, int64_t n, Value init,
               function_ref<Value(ImplicitLocOpBuilder &, Value, Value)> fn) {
  if (n <= kMaxUnrolledVectors) {
    Value acc = init;
    for (int64_t s = 0; s < n; ++s)
      acc = fn(b, idx(b, s), acc);
    return acc;
  }
  return forAccumulate(b, idx(b, 0), idx(b, n), 1, {init},
                       [&](ImplicitLocOpBuilder &b, Value s, ValueRange acc) {
                         return SmallVector<Value>{fn(b, s, acc[0])};
                       })[0];
}

/// `scf.parallel` over [lb_i, ub_i) in steps of step_i: a kernel's grid of
/// tasks at the top (an OpenMP loop), a task's independent blocks inside
/// one (see tessera-serialize-nested-parallel).
inline void
parallelFor(ImplicitLocOpBuilder &b, ValueRange lbs, ValueRange ubs,
            ValueRange steps,
            function_ref<void(ImplicitLocOpBuilder &, ValueRange)> fn) {
  auto par = scf::ParallelOp::create(b, lbs, ubs, steps);
  ImplicitLocOpBuilder pb =
      ImplicitLocOpBuilder::atBlockBegin(b.getLoc(), par.getBody());
  pb.setInsertionPoint(par.getBody()->getTerminator());
  fn(pb, par.getInductionVars());
}

/// `scf.parallel` over [0, ub_i).
inline void
parallelFor(ImplicitLocOpBuilder &b, ValueRange ubs,
            function_ref<void(ImplicitLocOpBuilder &, ValueRange)> fn) {
  SmallVector<Value> lbs(ubs.size(), idx(b, 0)), steps(ubs.size(), idx(b, 1));
  parallelFor(b, lbs, ubs, steps, fn);
}

/// The outer-product microkernel behind every register-blocked product:
/// for k in [0, n), with rows × V accumulators carried in registers,
///   acc[r·V + v] += splat(scalar(k, r)) · vector_v(k)
/// where `loadVectors(k)` returns the step's V loaded vectors and
/// `loadScalar(k, r)` row r's scalar. With `skip`, row r's accumulators
/// stay as they are where `skip(scalar)` holds (a masked entry). Returns
/// the accumulators after the loop.
inline SmallVector<Value> outerProductBlock(
    ImplicitLocOpBuilder &b, const KernelConfig &config, int64_t n,
    ValueRange init, int64_t rows,
    function_ref<SmallVector<Value>(ImplicitLocOpBuilder &, Value)> loadVectors,
    function_ref<Value(ImplicitLocOpBuilder &, Value, int64_t)> loadScalar,
    function_ref<Value(ImplicitLocOpBuilder &, Value)> skip = {}) {
  return forAccumulate(
      b, idx(b, 0), idx(b, n), 1, init,
      [&](ImplicitLocOpBuilder &ib, Value k, ValueRange acc) {
        SmallVector<Value> vs = loadVectors(ib, k), next;
        for (int64_t r = 0; r < rows; ++r) {
          Value s = loadScalar(ib, k, r);
          Value sv = splat(ib, s, config.lanes());
          Value skipped = skip ? skip(ib, s) : Value();
          for (Value v : vs) {
            Value old = acc[next.size()];
            Value f = fma(ib, config, sv, v, old);
            next.push_back(
                skipped
                    ? arith::SelectOp::create(ib, skipped, old, f).getResult()
                    : f);
          }
        }
        return next;
      });
}

/// A row of a buffer: `buf[prefix..., k]` for k along the last dimension.
struct RowRef {
  Value buf;
  SmallVector<Value> prefix;
};

/// The register-blocked dot-product microkernel: for every (r, c),
/// Σ_k a[r][k] · w[c][k] over k in [0, len), with one vector accumulator
/// per pair kept in registers, a masked tail for len not a multiple of the
/// vector width, and one horizontal add each at the end. Both operands
/// are read along their contiguous last dimension, so weights in the
/// PyTorch [out, in] layout need no transposed copy. Result r·|w| + c.
inline SmallVector<Value> dotBlock(ImplicitLocOpBuilder &b,
                                   const KernelConfig &config, int64_t len,
                                   ArrayRef<RowRef> a, ArrayRef<RowRef> w) {
  Type et = b.getF32Type();
  int64_t lanes = config.lanes();
  VectorType vt = vec(et, lanes);
  Value zero = splat(b, f32(b, 0.0), lanes);
  SmallVector<Value> init(a.size() * w.size(), zero);
  auto at = [](const RowRef &row, Value k) {
    SmallVector<Value> i(row.prefix);
    i.push_back(k);
    return i;
  };
  auto step = [&](ImplicitLocOpBuilder &ib, ValueRange acc,
                  function_ref<Value(const RowRef &)> load) {
    SmallVector<Value> wv, next;
    for (const RowRef &row : w)
      wv.push_back(load(row));
    for (const RowRef &row : a) {
      Value av = load(row);
      for (Value x : wv)
        next.push_back(fma(ib, config, av, x, acc[next.size()]));
    }
    return next;
  };
  int64_t full = len / lanes * lanes;
  SmallVector<Value> acc = forAccumulate(
      b, idx(b, 0), idx(b, full), lanes, init,
      [&](ImplicitLocOpBuilder &ib, Value k, ValueRange acc) {
        return step(ib, acc, [&](const RowRef &row) -> Value {
          return vector::LoadOp::create(ib, vt, row.buf, at(row, k));
        });
      });
  if (len % lanes) {
    Value k = idx(b, full);
    Value mask =
        vector::CreateMaskOp::create(b, VectorType::get({lanes}, b.getI1Type()),
                                     ValueRange{idx(b, len % lanes)});
    acc = step(b, acc, [&](const RowRef &row) -> Value {
      return vector::MaskedLoadOp::create(b, vt, row.buf, at(row, k), mask,
                                          zero);
    });
  }
  SmallVector<Value> out;
  for (Value v : acc)
    out.push_back(
        vector::ReductionOp::create(b, vector::CombiningKind::ADD, v));
  return out;
}

/// The kernel configuration of the module enclosing `op`: from its
/// `tessera.target` attribute, or the x86-64-v3 shape (256-bit vectors, 16
/// registers, FMA) without one.
KernelConfig getKernelConfig(Operation *op);

/// Lowers the tile op `op` as tessera-lower-tiles does for `config`, for
/// one of `stride` threads that share its tiles: only the rows first,
/// first + stride, ... of its output (tile_matmul in register blocks of
/// one row).
LogicalResult lowerTileOpRows(Operation *op, const KernelConfig &config,
                              Value first, int64_t stride);

} // namespace mlir::tessera::kernel

#endif // TESSERA_DIALECT_TESSERA_TRANSFORMS_KERNELBUILDER_H
