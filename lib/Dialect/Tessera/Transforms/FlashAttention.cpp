//===- FlashAttention.cpp - Fused, tiled CPU attention ----------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Lowers tessera.attention to a flash-style kernel that never materialises
// the Sq×Sk score matrix:
//
//   scf.parallel (b, head group, query tile)      -> OpenMP
//     call @__tessera_attention_task_N(...)        (scratch lives in its frame)
//       for each key tile the mask can reach        (compile-time tile table)
//         for each query head of the group          (K/V tile stays in cache)
//           S = scale·Q·Kᵀ  (register-blocked vector FMAs), score_mod, mask
//           online softmax: running max/sum, rescale the accumulator
//           acc += P·V      (register-blocked vector FMAs)
//       out = acc / sum    (0 for a row that may attend nothing)
//
// Inputs are first copied into padded, contiguous layouts (K transposed to
// [B, Hkv, nKT, D, Tk]) so that every inner loop is unit-stride; this costs
// O(S·D) memory. With a mask attribute and a static query shift, the key
// tiles each query tile visits are listed at compile time from the mask's
// classification (empty tiles are absent; full tiles skip all mask
// arithmetic); the list is a constant CSR table, so the loop bounds come
// from the mask, not from a test inside the loop.
//
// Masked keys contribute exactly nothing: a masked score becomes -inf, its
// probability is stored as -0.0 (a marker no exp() result carries), and in
// tiles that may hold masked keys (partial tiles, and every tile under an
// explicit mask or a score_mod) P·V skips marked entries instead of
// multiplying, so NaN/Inf in a masked key's K or V never reaches the
// output. Full tiles run the plain FMA loop.
//
// Limits (all compile-time work and scratch is bounded): every operand
// dimension at most 2^40 and every buffer's byte size representable in
// 64 bits; kernel tiles of at most kMaxTileQ query rows and kMaxTileK keys
// (block_index blocks larger than that are visited as several tiles); at
// most kMaxClassifyWork tile classifications (tile pairs × mask size) and
// kMaxTableEntries table entries, above which every key tile is visited
// and masked at run time; kMaxScratchBytes of per-task scratch, which
// bounds Dv (about 65000); `q_offset` clamped to ±2^61.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"
#include "tessera/Dialect/Tessera/Transforms/KernelBuilder.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERAFLASHATTENTIONPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;
using namespace mlir::tessera::kernel;

namespace {

/// Upper bound on the per-task scratch (stack of an OpenMP worker).
constexpr int64_t kMaxScratchBytes = 1 << 20;
/// Largest operand dimension the lowering accepts.
constexpr int64_t kMaxDim = int64_t(1) << 40;
/// Kernel tile limits: the key tile is unrolled (kRows × tk/16 vector
/// accumulators), the query tile sizes the scratch.
constexpr int64_t kMaxTileK = 128;
constexpr int64_t kMaxTileQ = 512;
/// Compile-time tile table limits: classifications (tile pairs × mask
/// size) and entries.
constexpr int64_t kMaxClassifyWork = int64_t(1) << 22;
constexpr int64_t kMaxTableEntries = int64_t(1) << 20;
/// Run-time q_offset is clamped to ±kMaxQueryShift: with sequences of at
/// most kMaxDim, every position stays below 2^62 in magnitude and mask
/// predicates on differences of positions cannot wrap.
constexpr int64_t kMaxQueryShift = int64_t(1) << 61;
/// The bit pattern of -0.0f: the probability of a masked score.
constexpr int32_t kMaskedBits = static_cast<int32_t>(0x80000000u);

/// ceil(a / b) for a >= 0, b > 0, without forming a + b - 1.
int64_t ceilDiv(int64_t a, int64_t b) { return a / b + (a % b != 0 ? 1 : 0); }


/// Static description of one lowering.
struct Plan {
  KernelConfig config;
  int64_t lanes;        // f32 lanes of a vector
  int64_t rows;         // query rows of a register block
  int64_t scoreVectors; // key vectors of a Q·Kᵀ register block
  int64_t pvVectors;    // Dv vectors of a P·V register block
  int64_t b, hq, hkv, grp, sq, sk, d, dv;
  int64_t tq, tk;          // kernel tile sizes
  int64_t qBlock;          // query rows per query block (block_index row)
  int64_t qSub;            // query tiles per query block
  int64_t nqb;             // query blocks
  int64_t kSub;            // key tiles per block_index key block
  int64_t nkb;             // block_index key blocks
  int64_t sqp, skp, dvp;   // padded extents
  int64_t nqt, nkt;        // query tasks (nqb · qSub), key tiles
  int64_t headsPerTask;    // query heads sharing one task (and K/V tile)
  int64_t staticShift;     // query position shift when known
  bool hasStaticShift;
  bool emptyResult = false; // the result has no elements
  /// Every tile may hold -inf scores (explicit mask, score_mod): P·V skips
  /// masked entries everywhere, not only in partial tiles.
  bool guardAll = false;
  MaskAttrInterface mask;
  // Compile-time tile table (CSR): rowPtr[nqt + 1], entries = kt·2 + partial.
  SmallVector<int32_t> rowPtr, entries;
  bool useTable = false;
  bool keyTail() const { return sk % tk != 0; }
};

/// The values the task function works on.
struct TaskArgs {
  Value q, kt, v, out, mask, blockIndex, qShift; // memrefs, shift (i64)
  Value b, hg, p;                                 // task coordinates
  Value rowPtr, entries;                          // tile table, if any
  SmallVector<Value> epilogue;                    // epilogue operands
};

/// Elementwise consumers fused into the output write: a chain of
/// single-use ops, each taking the previous result, whose other operands
/// are splat constants or tensors of the output's type.
struct Epilogue {
  SmallVector<Operation *> ops;
  SmallVector<Value> inputs; // tensors read at the output's coordinates

  static Epilogue match(AttentionOp op) {
    Epilogue e;
    Value current = op.getResult();
    Type type = current.getType();
    while (current.hasOneUse()) {
      Operation *user = *current.getUsers().begin();
      if (!user->hasTrait<OpTrait::Elementwise>() || user->getNumResults() != 1 ||
          user->getNumRegions() != 0 || user->getResult(0).getType() != type ||
          user->getBlock() != op->getBlock())
        break;
      SmallVector<Value> inputs;
      bool ok = true;
      for (Value operand : user->getOperands()) {
        if (operand == current)
          continue;
        DenseElementsAttr splat;
        if (matchPattern(operand, m_Constant(&splat)) && splat.isSplat())
          continue;
        if (operand.getType() != type) {
          ok = false;
          break;
        }
        inputs.push_back(operand);
      }
      if (!ok)
        break;
      e.ops.push_back(user);
      e.inputs.append(inputs);
      current = user->getResult(0);
    }
    return e;
  }
};

class AttentionLowering {
public:
  AttentionLowering(AttentionOp op, Plan plan, ModuleOp module)
      : op(op), plan(std::move(plan)), module(module), L(this->plan.lanes),
        kRows(this->plan.rows) {}

  LogicalResult run();

private:
  // Tensor-level preparation.
  Value prepareMask(ImplicitLocOpBuilder &b);
  Value globalTable(ImplicitLocOpBuilder &b, ArrayRef<int32_t> data,
                    StringRef name);
  func::FuncOp buildTaskFunction(ArrayRef<Type> argTypes);

  // Kernel pieces (inside the task function).
  void buildTask(ImplicitLocOpBuilder &b, TaskArgs &a);
  void visitKeyTile(ImplicitLocOpBuilder &b, TaskArgs &a, Value kt,
                    Value partial, Value qBase, Value kvh, Value sBuf,
                    Value accBuf, Value mBuf, Value lBuf);
  void computeScores(ImplicitLocOpBuilder &b, TaskArgs &a, Value h, Value kvh,
                     Value qBase, Value kt, Value k0, Value sBuf);
  void applyMask(ImplicitLocOpBuilder &b, TaskArgs &a, Value qBase, Value k0,
                 Value sBuf);
  void softmaxUpdate(ImplicitLocOpBuilder &b, Value g, Value sBuf,
                     Value accBuf, Value mBuf, Value lBuf);
  void accumulate(ImplicitLocOpBuilder &b, TaskArgs &a, Value g, Value kvh,
                  Value k0, Value sBuf, Value accBuf, bool skipMasked);
  void finalize(ImplicitLocOpBuilder &b, TaskArgs &a, Value qBase,
                Value rowsValid, Value accBuf, Value lBuf);
  Value scoreMod(ImplicitLocOpBuilder &b, Value s, ValueRange coords);

  // Helpers.
  /// Key positions k0 + j·L + [0, L) as a vector of i64.
  Value keyPositions(ImplicitLocOpBuilder &b, Value k0, int64_t j) {
    SmallVector<int64_t> lanes;
    for (int64_t i = 0; i < L; ++i)
      lanes.push_back(j * L + i);
    auto vt = vec(b.getI64Type(), L);
    Value iota = arith::ConstantOp::create(
        b, vt, DenseElementsAttr::get(vt, ArrayRef<int64_t>(lanes)));
    return arith::AddIOp::create(b, splat(b, toI64(b, k0), L), iota);
  }
  /// Applies the fused epilogue to one output vector.
  Value applyEpilogue(ImplicitLocOpBuilder &b, TaskArgs &a, Value o,
                      ValueRange at, Value tailMask);

  AttentionOp op;
  Plan plan;
  ModuleOp module;
  /// Vector lanes and register-block rows (from the plan).
  const int64_t L, kRows;
  Value scaleValue;
  /// Per-row rescaling factors of the current key tile (task scratch).
  Value alphaBuf;
  Epilogue epilogue;
};

//===----------------------------------------------------------------------===//
// Tensor-level preparation
//===----------------------------------------------------------------------===//

/// The explicit mask as an additive f32 tensor (0 or -inf for i1 masks),
/// with query and key extents padded where they are not broadcast.
Value AttentionLowering::prepareMask(ImplicitLocOpBuilder &b) {
  Value m = op.getExplicitMask();
  if (!m)
    return Value();
  auto type = cast<RankedTensorType>(m.getType());
  // A mask of rank < 4 broadcasts over the leading dimensions: view it as
  // rank 4 with unit dimensions in front.
  if (int64_t rank = type.getRank(); rank < 4) {
    SmallVector<int64_t> shape4(4 - rank, 1);
    llvm::append_range(shape4, type.getShape());
    SmallVector<ReassociationIndices> groups;
    for (int64_t i = 0; i < rank; ++i) {
      ReassociationIndices group;
      if (i == 0)
        for (int64_t j = 0; j < 4 - rank; ++j)
          group.push_back(j);
      group.push_back(4 - rank + i);
      groups.push_back(group);
    }
    type = RankedTensorType::get(shape4, type.getElementType());
    m = tensor::ExpandShapeOp::create(b, type, m, groups);
  }
  SmallVector<int64_t> shape(type.getShape());
  Value additive = m;
  if (type.getElementType().isInteger(1)) {
    Value init = tensor::EmptyOp::create(b, shape, b.getF32Type());
    auto map = b.getMultiDimIdentityMap(4);
    SmallVector<utils::IteratorType> iters(4, utils::IteratorType::parallel);
    additive =
        linalg::GenericOp::create(
            b, TypeRange{init.getType()}, ValueRange{m}, ValueRange{init},
            ArrayRef<AffineMap>{map, map}, iters,
            [&](OpBuilder &nb, Location l, ValueRange args) {
              Value zero = arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(0));
              Value ninf =
                  arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(-INFINITY));
              Value r = arith::SelectOp::create(nb, l, args[0], zero, ninf);
              linalg::YieldOp::create(nb, l, r);
            })
            .getResult(0);
  }
  if (shape[2] != 1)
    shape[2] = plan.sqp;
  if (shape[3] != 1)
    shape[3] = plan.skp;
  return padded(b, additive, shape);
}

Value AttentionLowering::globalTable(ImplicitLocOpBuilder &b,
                                     ArrayRef<int32_t> data, StringRef name) {
  auto type = MemRefType::get({static_cast<int64_t>(data.size())},
                              b.getI32Type());
  auto tensorType = RankedTensorType::get(type.getShape(), b.getI32Type());
  OpBuilder mb = OpBuilder::atBlockBegin(module.getBody());
  auto global = memref::GlobalOp::create(
      mb, b.getLoc(), name, mb.getStringAttr("private"), type,
      DenseElementsAttr::get(tensorType, data), /*constant=*/true,
      /*alignment=*/IntegerAttr());
  return memref::GetGlobalOp::create(b, type, global.getSymName());
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

LogicalResult AttentionLowering::run() {
  if (plan.emptyResult) {
    ImplicitLocOpBuilder b(op.getLoc(), op);
    auto type = cast<RankedTensorType>(op.getResult().getType());
    Value empty = tensor::EmptyOp::create(b, type.getShape(),
                                          type.getElementType());
    op.getResult().replaceAllUsesWith(empty);
    op.erase();
    return success();
  }
  epilogue = Epilogue::match(op);
  // Everything the fused consumers read dominates the last of them.
  ImplicitLocOpBuilder b(op.getLoc(), epilogue.ops.empty()
                                          ? op.getOperation()
                                          : epilogue.ops.back());
  Type et = b.getF32Type();
  const Plan &p = plan;

  // Contiguous, padded operands.
  Value q = padded(b, op.getQuery(), {p.b, p.hq, p.sqp, p.d});
  // K as contiguous transposed tiles [B, Hkv, nKT, D, Tk]: one key tile is
  // one block (a row stride of Skp floats would alias in L1 sets).
  Value kPad = padded(b, op.getKey(), {p.b, p.hkv, p.skp, p.d});
  Value kTiles = tensor::ExpandShapeOp::create(
      b, RankedTensorType::get({p.b, p.hkv, p.nkt, p.tk, p.d}, et), kPad,
      SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4}});
  Value ktInit = tensor::EmptyOp::create(
      b, ArrayRef<int64_t>{p.b, p.hkv, p.nkt, p.d, p.tk}, et);
  Value kt = linalg::TransposeOp::create(b, kTiles, ktInit,
                                         ArrayRef<int64_t>{0, 1, 2, 4, 3})
                 .getResult()[0];
  Value v = padded(b, op.getValue(), {p.b, p.hkv, p.skp, p.dvp});
  Value mask = prepareMask(b);

  auto toBuffer = [&](Value t) { return kernel::toBuffer(b, t); };
  TaskArgs a;
  a.q = toBuffer(q);
  a.kt = toBuffer(kt);
  a.v = toBuffer(v);
  a.mask = toBuffer(mask);
  a.blockIndex = toBuffer(op.getBlockIndex());
  auto outType = cast<RankedTensorType>(op.getResult().getType());
  a.out = memref::AllocOp::create(
      b, MemRefType::get(outType.getShape(), et), IntegerAttr::get(b.getI64Type(), 64));
  if (op.getQOffset()) {
    // Clamped so that positions stay far from the i64 limits (see
    // kMaxQueryShift).
    Value shift = toI64(b, op.getQOffset());
    shift = arith::MinSIOp::create(
        b, shift, arith::ConstantOp::create(b, b.getI64IntegerAttr(kMaxQueryShift)));
    a.qShift = arith::MaxSIOp::create(
        b, shift, arith::ConstantOp::create(b, b.getI64IntegerAttr(-kMaxQueryShift)));
  } else {
    a.qShift = arith::ConstantOp::create(b, b.getI64IntegerAttr(p.staticShift));
  }

  static unsigned counter = 0;
  std::string suffix = std::to_string(counter++);
  while (module.lookupSymbol("__tessera_attention_task_" + suffix) ||
         module.lookupSymbol("__tessera_attention_rows_" + suffix) ||
         module.lookupSymbol("__tessera_attention_tiles_" + suffix))
    suffix = std::to_string(counter++);
  if (p.useTable) {
    a.rowPtr = globalTable(b, p.rowPtr, "__tessera_attention_rows_" + suffix);
    a.entries = globalTable(b, p.entries.empty() ? ArrayRef<int32_t>{0}
                                                 : ArrayRef<int32_t>(p.entries),
                            "__tessera_attention_tiles_" + suffix);
  }

  // The task function: one (batch, head group, query tile).
  for (Value t : epilogue.inputs)
    a.epilogue.push_back(toBuffer(t));
  SmallVector<Value> buffers;
  for (Value val : {a.q, a.kt, a.v, a.out, a.mask, a.blockIndex, a.rowPtr,
                    a.entries})
    if (val)
      buffers.push_back(val);
  buffers.append(a.epilogue);
  SmallVector<Type> argTypes;
  for (Value val : buffers)
    argTypes.push_back(val.getType());
  argTypes.push_back(b.getI64Type());
  argTypes.append(3, b.getIndexType());
  auto parent = op->getParentOfType<func::FuncOp>();
  OpBuilder fnBuilder(parent);
  auto func = func::FuncOp::create(fnBuilder, op.getLoc(),
                                   "__tessera_attention_task_" + suffix,
                                   b.getFunctionType(argTypes, {}));
  func.setPrivate();
  {
    Block *entry = func.addEntryBlock();
    ImplicitLocOpBuilder fb =
        ImplicitLocOpBuilder::atBlockBegin(op.getLoc(), entry);
    TaskArgs ta;
    unsigned i = 0;
    auto next = [&](Value orig) {
      return orig ? Value(entry->getArgument(i++)) : Value();
    };
    ta.q = next(a.q);
    ta.kt = next(a.kt);
    ta.v = next(a.v);
    ta.out = next(a.out);
    ta.mask = next(a.mask);
    ta.blockIndex = next(a.blockIndex);
    ta.rowPtr = next(a.rowPtr);
    ta.entries = next(a.entries);
    for (Value e : a.epilogue)
      ta.epilogue.push_back(next(e));
    ta.qShift = entry->getArgument(i++);
    ta.b = entry->getArgument(i++);
    ta.hg = entry->getArgument(i++);
    ta.p = entry->getArgument(i++);
    scaleValue = f32(fb, op.getEffectiveScale());
    buildTask(fb, ta);
    func::ReturnOp::create(fb);
  }

  // The parallel loop over tasks.
  Value zero = idx(b, 0), one = idx(b, 1);
  auto par = scf::ParallelOp::create(
      b, ValueRange{zero, zero, zero},
      ValueRange{idx(b, p.b), idx(b, p.hq / p.headsPerTask), idx(b, p.nqt)},
      ValueRange{one, one, one});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(par.getBody()->getTerminator());
    SmallVector<Value> operands(buffers);
    operands.push_back(a.qShift);
    auto ivs = par.getInductionVars();
    operands.append(ivs.begin(), ivs.end());
    func::CallOp::create(b, func, operands);
  }
  Value result = bufferization::ToTensorOp::create(b, outType, a.out,
                                                   /*restrict=*/true,
                                                   /*writable=*/true);
  Operation *last = epilogue.ops.empty() ? op.getOperation() : epilogue.ops.back();
  last->getResult(0).replaceAllUsesWith(result);
  for (Operation *fused : llvm::reverse(epilogue.ops))
    fused->erase();
  op.erase();
  return success();
}

Value AttentionLowering::applyEpilogue(ImplicitLocOpBuilder &b, TaskArgs &a,
                                       Value o, ValueRange at, Value tailMask) {
  Type et = b.getF32Type();
  IRMapping map;
  Value current = op.getResult();
  map.map(current, o);
  unsigned next = 0;
  for (Operation *fused : epilogue.ops) {
    for (Value operand : fused->getOperands()) {
      if (map.contains(operand))
        continue;
      DenseElementsAttr cst;
      if (matchPattern(operand, m_Constant(&cst))) {
        map.map(operand, splatConstant(b, cst, L));
        continue;
      }
      Value buf = a.epilogue[next++];
      Value v =
          tailMask
              ? vector::MaskedLoadOp::create(b, vec(et, L), buf, at, tailMask,
                                             splat(b, f32(b, 0.0), L))
                    .getResult()
              : vector::LoadOp::create(b, vec(et, L), buf, at).getResult();
      map.map(operand, v);
    }
    OperationState state(b.getLoc(), fused->getName());
    for (Value operand : fused->getOperands())
      state.addOperands(map.lookup(operand));
    state.addTypes(vec(et, L));
    state.addAttributes(fused->getAttrs());
    map.map(fused->getResult(0), b.create(state)->getResult(0));
  }
  return map.lookup(epilogue.ops.back()->getResult(0));
}

//===----------------------------------------------------------------------===//
// Kernel
//===----------------------------------------------------------------------===//

void AttentionLowering::buildTask(ImplicitLocOpBuilder &b, TaskArgs &a) {
  const Plan &p = plan;
  Type et = b.getF32Type();
  // Interleave query tiles (0, n-1, 1, n-2, ...) so that static scheduling
  // gives every thread the same amount of causal work.
  Value two = idx(b, 2);
  Value half = arith::DivUIOp::create(b, a.p, two);
  Value odd = arith::CmpIOp::create(b, arith::CmpIPredicate::ne,
                                    arith::RemUIOp::create(b, a.p, two), idx(b, 0));
  Value qt = arith::SelectOp::create(
      b, odd, arith::SubIOp::create(b, idx(b, p.nqt - 1), half), half);
  // Query tile qt is sub-tile `sub` of query block `qb` (one tile per block
  // without block_index); its valid rows end at the block or at Sq.
  Value qb = qt, qBase, rowsValid;
  if (!a.blockIndex) {
    qBase = arith::MulIOp::create(b, qt, idx(b, p.tq));
    rowsValid = arith::MinSIOp::create(
        b, idx(b, p.tq), arith::SubIOp::create(b, idx(b, p.sq), qBase));
  } else {
    Value sub = idx(b, 0);
    if (p.qSub != 1) {
      qb = arith::DivUIOp::create(b, qt, idx(b, p.qSub));
      sub = arith::RemUIOp::create(b, qt, idx(b, p.qSub));
    }
    Value subBase = arith::MulIOp::create(b, sub, idx(b, p.tq));
    qBase = arith::AddIOp::create(
        b, arith::MulIOp::create(b, qb, idx(b, p.qBlock)), subBase);
    rowsValid = arith::MinSIOp::create(
        b,
        arith::MinSIOp::create(b, idx(b, p.tq),
                               arith::SubIOp::create(b, idx(b, p.qBlock), subBase)),
        arith::SubIOp::create(b, idx(b, p.sq), qBase));
  }
  Value kvh = arith::DivUIOp::create(
      b, arith::MulIOp::create(b, a.hg, idx(b, p.headsPerTask)), idx(b, p.grp));

  int64_t hpt = p.headsPerTask;
  Value sBuf = memref::AllocaOp::create(
      b, MemRefType::get({p.tq, p.tk}, et), IntegerAttr::get(b.getI64Type(), 64));
  Value accBuf = memref::AllocaOp::create(
      b, MemRefType::get({hpt, p.tq, p.dvp}, et), IntegerAttr::get(b.getI64Type(), 64));
  Value mBuf = memref::AllocaOp::create(b, MemRefType::get({hpt, p.tq}, et));
  Value lBuf = memref::AllocaOp::create(b, MemRefType::get({hpt, p.tq}, et));
  alphaBuf = memref::AllocaOp::create(b, MemRefType::get({p.tq}, et));
  Value zeroV = splat(b, f32(b, 0.0), L);
  forLoop(b, idx(b, 0), idx(b, hpt), 1, [&](ImplicitLocOpBuilder &b, Value g) {
    forLoop(b, idx(b, 0), idx(b, p.tq), 1, [&](ImplicitLocOpBuilder &b, Value r) {
      memref::StoreOp::create(b, f32(b, -INFINITY), mBuf, ValueRange{g, r});
      memref::StoreOp::create(b, f32(b, 0.0), lBuf, ValueRange{g, r});
      forLoop(b, idx(b, 0), idx(b, p.dvp), L,
              [&](ImplicitLocOpBuilder &b, Value e) {
                vector::StoreOp::create(b, zeroV, accBuf, ValueRange{g, r, e});
              });
    });
  });

  auto visit = [&](ImplicitLocOpBuilder &b, Value kt, Value partial) {
    visitKeyTile(b, a, kt, partial, qBase, kvh, sBuf, accBuf, mBuf, lBuf);
  };
  if (p.useTable) {
    Value lo = arith::IndexCastOp::create(
        b, b.getIndexType(), memref::LoadOp::create(b, a.rowPtr, ValueRange{qt}));
    Value hi = arith::IndexCastOp::create(
        b, b.getIndexType(),
        memref::LoadOp::create(b, a.rowPtr,
                               ValueRange{arith::AddIOp::create(b, qt, idx(b, 1))}));
    forLoop(b, lo, hi, 1, [&](ImplicitLocOpBuilder &b, Value e) {
      Value entry = memref::LoadOp::create(b, a.entries, ValueRange{e});
      Value one = arith::ConstantOp::create(b, b.getI32IntegerAttr(1));
      Value kt = arith::IndexCastOp::create(
          b, b.getIndexType(), arith::ShRUIOp::create(b, entry, one));
      Value partial = arith::TruncIOp::create(b, b.getI1Type(),
                                              arith::AndIOp::create(b, entry, one));
      visit(b, kt, partial);
    });
  } else if (a.blockIndex) {
    auto biShape = cast<MemRefType>(a.blockIndex.getType()).getShape();
    Value bb = biShape[0] == 1 ? idx(b, 0) : a.b;
    // Per-head lists imply one head per task (see planning).
    Value hh = biShape[1] == 1 ? idx(b, 0)
                               : arith::MulIOp::create(b, a.hg, idx(b, hpt));
    bool anyPartial = p.mask || p.keyTail();
    forLoop(b, idx(b, 0), idx(b, biShape[3]), 1, [&](ImplicitLocOpBuilder &b, Value j) {
      Value raw = memref::LoadOp::create(b, a.blockIndex, ValueRange{bb, hh, qb, j});
      Value kb = arith::IndexCastOp::create(b, b.getIndexType(), raw);
      Value zero32 = arith::ConstantOp::create(b, b.getI32IntegerAttr(0));
      Value raw64 = arith::ExtSIOp::create(b, b.getI64Type(), raw);
      Value n64 = arith::ConstantOp::create(b, b.getI64IntegerAttr(p.nkb));
      Value valid = arith::AndIOp::create(
          b, arith::CmpIOp::create(b, arith::CmpIPredicate::sge, raw, zero32),
          arith::CmpIOp::create(b, arith::CmpIPredicate::slt, raw64, n64));
      // A list is a set ended by a negative entry: skip repeats and
      // everything after the end.
      auto seen = scf::ForOp::create(
          b, idx(b, 0), j, idx(b, 1),
          ValueRange{arith::ConstantOp::create(b, b.getBoolAttr(false))},
          [&](OpBuilder &nb, Location l, Value i, ValueRange acc) {
            Value prev = memref::LoadOp::create(nb, l, a.blockIndex,
                                                ValueRange{bb, hh, qt, i});
            Value same = arith::OrIOp::create(
                nb, l,
                arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, prev, raw),
                arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, prev,
                                      zero32));
            scf::YieldOp::create(
                nb, l, ValueRange{arith::OrIOp::create(nb, l, acc[0], same)});
          });
      valid = arith::AndIOp::create(
          b, valid,
          arith::XOrIOp::create(b, seen.getResult(0),
                                arith::ConstantOp::create(b, b.getBoolAttr(true))));
      auto ifOp = scf::IfOp::create(b, valid, /*withElse=*/false);
      ImplicitLocOpBuilder ib = ImplicitLocOpBuilder::atBlockBegin(
          b.getLoc(), ifOp.thenBlock());
      ib.setInsertionPoint(ifOp.thenBlock()->getTerminator());
      // A key block is kSub kernel tiles (fewer at the end of the keys).
      auto visitTile = [&](ImplicitLocOpBuilder &b, Value kt) {
        Value partial;
        if (p.mask || !p.keyTail())
          partial = arith::ConstantOp::create(b, b.getBoolAttr(anyPartial));
        else
          partial = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, kt,
                                          idx(b, p.nkt - 1));
        visit(b, kt, partial);
      };
      if (p.kSub == 1) {
        visitTile(ib, kb);
      } else {
        Value first = arith::MulIOp::create(ib, kb, idx(ib, p.kSub));
        Value count = arith::MinSIOp::create(
            ib, idx(ib, p.kSub), arith::SubIOp::create(ib, idx(ib, p.nkt), first));
        forLoop(ib, idx(ib, 0), count, 1, [&](ImplicitLocOpBuilder &b, Value s) {
          visitTile(b, arith::AddIOp::create(b, first, s));
        });
      }
    });
  } else {
    // Every key tile: all partial under a run-time shift with a mask, else
    // only the last one when Sk is not a multiple of the tile.
    forLoop(b, idx(b, 0), idx(b, p.nkt), 1, [&](ImplicitLocOpBuilder &b, Value kt) {
      Value partial;
      if (p.mask)
        partial = arith::ConstantOp::create(b, b.getBoolAttr(true));
      else if (p.keyTail())
        partial = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, kt,
                                        idx(b, p.nkt - 1));
      else
        partial = arith::ConstantOp::create(b, b.getBoolAttr(false));
      visit(b, kt, partial);
    });
  }
  finalize(b, a, qBase, rowsValid, accBuf, lBuf);
}

void AttentionLowering::visitKeyTile(ImplicitLocOpBuilder &b, TaskArgs &a,
                                     Value kt, Value partial, Value qBase,
                                     Value kvh, Value sBuf, Value accBuf,
                                     Value mBuf, Value lBuf) {
  const Plan &p = plan;
  Value k0 = arith::MulIOp::create(b, kt, idx(b, p.tk));
  forLoop(b, idx(b, 0), idx(b, p.headsPerTask), 1, [&](ImplicitLocOpBuilder &b, Value g) {
    Value h = arith::AddIOp::create(
        b, arith::MulIOp::create(b, a.hg, idx(b, p.headsPerTask)), g);
    computeScores(b, a, h, kvh, qBase, kt, k0, sBuf);
    // Only partial tiles pay for the predicate, and for skipping masked
    // keys in P·V.
    auto cst = partial.getDefiningOp<arith::ConstantOp>();
    if (!cst) {
      auto ifOp = scf::IfOp::create(b, partial, /*withElse=*/false);
      ImplicitLocOpBuilder ib = ImplicitLocOpBuilder::atBlockBegin(
          b.getLoc(), ifOp.thenBlock());
      ib.setInsertionPoint(ifOp.thenBlock()->getTerminator());
      applyMask(ib, a, qBase, k0, sBuf);
      softmaxUpdate(b, g, sBuf, accBuf, mBuf, lBuf);
      if (p.guardAll) {
        accumulate(b, a, g, kvh, k0, sBuf, accBuf, /*skipMasked=*/true);
      } else {
        auto acc = scf::IfOp::create(b, partial, /*withElse=*/true);
        ImplicitLocOpBuilder tb = ImplicitLocOpBuilder::atBlockBegin(
            b.getLoc(), acc.thenBlock());
        tb.setInsertionPoint(acc.thenBlock()->getTerminator());
        accumulate(tb, a, g, kvh, k0, sBuf, accBuf, /*skipMasked=*/true);
        ImplicitLocOpBuilder eb = ImplicitLocOpBuilder::atBlockBegin(
            b.getLoc(), acc.elseBlock());
        eb.setInsertionPoint(acc.elseBlock()->getTerminator());
        accumulate(eb, a, g, kvh, k0, sBuf, accBuf, /*skipMasked=*/false);
      }
      return;
    }
    bool isPartial = cast<BoolAttr>(cst.getValue()).getValue();
    if (isPartial)
      applyMask(b, a, qBase, k0, sBuf);
    softmaxUpdate(b, g, sBuf, accBuf, mBuf, lBuf);
    accumulate(b, a, g, kvh, k0, sBuf, accBuf,
               /*skipMasked=*/isPartial || p.guardAll);
  });
}

/// S[r, :] = scale · Q[b, h, qBase + r, :] · Kt[b, kvh, kt, :, :],
/// then score_mod and the explicit mask.
void AttentionLowering::computeScores(ImplicitLocOpBuilder &b, TaskArgs &a,
                                      Value h, Value kvh, Value qBase,
                                      Value kt, Value k0, Value sBuf) {
  const Plan &p = plan;
  int64_t nv = p.tk / L;
  Type et = b.getF32Type();
  // One register block is kRows query rows × `cs` key vectors; the key
  // tile is covered by nv / cs blocks, each its own pass over D.
  int64_t cs = p.scoreVectors;
  forLoop(b, idx(b, 0), idx(b, p.tq), kRows,
          [&](ImplicitLocOpBuilder &b, Value rb) {
            SmallVector<Value> rows;
            for (int64_t r = 0; r < kRows; ++r)
              rows.push_back(arith::AddIOp::create(
                  b, qBase, arith::AddIOp::create(b, rb, idx(b, r))));
            Value scaleV = splat(b, scaleValue, L);
            for (int64_t j0 = 0; j0 < nv; j0 += cs) {
              SmallVector<Value> init(kRows * cs, splat(b, f32(b, 0.0), L));
              SmallVector<Value> acc = outerProductBlock(
                  b, p.config, p.d, init, kRows,
                  [&](ImplicitLocOpBuilder &ib, Value d) {
                    SmallVector<Value> kv;
                    for (int64_t j = 0; j < cs; ++j)
                      kv.push_back(vector::LoadOp::create(
                          ib, vec(et, L), a.kt,
                          ValueRange{a.b, kvh, kt, d, idx(ib, (j0 + j) * L)}));
                    return kv;
                  },
                  [&](ImplicitLocOpBuilder &ib, Value d, int64_t r) -> Value {
                    return memref::LoadOp::create(
                        ib, a.q, ValueRange{a.b, h, rows[r], d});
                  });
              for (int64_t r = 0; r < kRows; ++r) {
                for (int64_t j = j0; j < j0 + cs; ++j) {
                  Value s =
                      arith::MulFOp::create(b, acc[r * cs + j - j0], scaleV);
                  Value col = idx(b, j * L);
                  Value row = arith::AddIOp::create(b, rb, idx(b, r));
                  if (!op.getScoreMod().empty()) {
                    Value qPos = arith::IndexCastOp::create(
                        b, b.getIndexType(),
                        arith::AddIOp::create(b, toI64(b, rows[r]), a.qShift));
                    Value kPos = arith::IndexCastOp::create(
                        b, vec(b.getIndexType(), L), keyPositions(b, k0, j));
                    s = scoreMod(b, s, {a.b, h, qPos, kPos});
                  }
                  if (a.mask) {
                    auto ms = cast<MemRefType>(a.mask.getType()).getShape();
                    SmallVector<Value> at = {ms[0] == 1 ? idx(b, 0) : a.b,
                                             ms[1] == 1 ? idx(b, 0) : h,
                                             ms[2] == 1 ? idx(b, 0) : rows[r]};
                    Value add;
                    if (ms[3] == 1) {
                      at.push_back(idx(b, 0));
                      add = splat(b, memref::LoadOp::create(b, a.mask, at), L);
                    } else {
                      at.push_back(arith::AddIOp::create(b, k0, col));
                      add = vector::LoadOp::create(b, vec(et, L), a.mask, at);
                    }
                    // A -inf entry masks the key whatever its score (even NaN).
                    Value ninf = splat(b, f32(b, -INFINITY), L);
                    Value masked = arith::CmpFOp::create(
                        b, arith::CmpFPredicate::OEQ, add, ninf);
                    s = arith::SelectOp::create(
                        b, masked, ninf, arith::AddFOp::create(b, s, add));
                  }
                  vector::StoreOp::create(b, s, sBuf, ValueRange{row, col});
                }
              }
            }
          });
}

/// Inlines the score_mod region on vectors: every op is elementwise, so it
/// is recreated with vector types; scalar coordinates are broadcast.
Value AttentionLowering::scoreMod(ImplicitLocOpBuilder &b, Value s,
                                  ValueRange coords) {
  Block &body = op.getScoreMod().front();
  IRMapping map;
  map.map(body.getArgument(0), s);
  for (auto [arg, c] : llvm::zip(body.getArguments().drop_front(), coords))
    map.map(arg, isa<VectorType>(c.getType()) ? c : splat(b, c, L));
  for (Operation &inner : body.without_terminator()) {
    if (auto cst = dyn_cast<arith::ConstantOp>(inner)) {
      auto vt = vec(cst.getType(), L);
      map.map(cst.getResult(),
              arith::ConstantOp::create(
                  b, vt, DenseElementsAttr::get(vt, cst.getValue())));
      continue;
    }
    OperationState state(b.getLoc(), inner.getName());
    for (Value operand : inner.getOperands())
      state.addOperands(map.lookup(operand));
    for (Type t : inner.getResultTypes())
      state.addTypes(vec(t, L));
    state.addAttributes(inner.getAttrs());
    Operation *clone = b.create(state);
    map.map(inner.getResults(), clone->getResults());
  }
  return map.lookup(cast<YieldOp>(body.getTerminator()).getValue());
}

/// S[r, j] = -inf where the mask attribute (or the end of the keys)
/// excludes the pair.
void AttentionLowering::applyMask(ImplicitLocOpBuilder &b, TaskArgs &a,
                                  Value qBase, Value k0, Value sBuf) {
  const Plan &p = plan;
  Type et = b.getF32Type();
  forLoop(b, idx(b, 0), idx(b, p.tq), 1, [&](ImplicitLocOpBuilder &b, Value r) {
    Value qPos = arith::AddIOp::create(
        b, toI64(b, arith::AddIOp::create(b, qBase, r)), a.qShift);
    Value qv = splat(b, qPos, L);
    Value ninf = splat(b, f32(b, -INFINITY), L);
    for (int64_t j = 0; j < p.tk / L; ++j) {
      Value kv = keyPositions(b, k0, j);
      Value allowed;
      if (p.mask)
        allowed = p.mask.buildAllowed(b, b.getLoc(), qv, kv);
      if (p.keyTail()) {
        auto vt = vec(b.getI64Type(), L);
        Value sk = arith::ConstantOp::create(
            b, vt, DenseElementsAttr::get(vt, b.getI64IntegerAttr(p.sk)));
        Value inRange = arith::CmpIOp::create(b, arith::CmpIPredicate::slt, kv, sk);
        allowed = allowed ? arith::AndIOp::create(b, allowed, inRange).getResult()
                          : inRange;
      }
      if (!allowed)
        continue;
      Value col = idx(b, j * L);
      Value s = vector::LoadOp::create(b, vec(et, L), sBuf, ValueRange{r, col});
      vector::StoreOp::create(b, arith::SelectOp::create(b, allowed, s, ninf),
                              sBuf, ValueRange{r, col});
    }
  });
}

/// Online softmax: new running max, P = exp(S - max) in place, running sum,
/// and the accumulator rescaled by exp(old max - new max).
void AttentionLowering::softmaxUpdate(ImplicitLocOpBuilder &b, Value g,
                                      Value sBuf, Value accBuf, Value mBuf,
                                      Value lBuf) {
  const Plan &p = plan;
  Type et = b.getF32Type();
  int64_t nv = p.tk / L;
  // Two passes over the rows: the new maxima first, then the exponentials
  // reading the scores again, so no row's score vectors stay live across
  // the exp polynomial (they would spill).
  forLoop(b, idx(b, 0), idx(b, p.tq), 1, [&](ImplicitLocOpBuilder &b, Value r) {
    Value mx;
    for (int64_t j = 0; j < nv; ++j) {
      Value sj = vector::LoadOp::create(b, vec(et, L), sBuf,
                                        ValueRange{r, idx(b, j * L)});
      mx = mx ? selectMax(b, sj, mx) : sj;
    }
    // One max instruction per vector: a NaN score is either skipped or
    // becomes the maximum, and reaches the output through exp(s - max)
    // either way.
    Value tileMax =
        reduceTree(b, mx, [](ImplicitLocOpBuilder &b, Value x, Value y) {
          return selectMax(b, x, y);
        });
    Value mOld = memref::LoadOp::create(b, mBuf, ValueRange{g, r});
    Value mNew = arith::MaxNumFOp::create(b, mOld, tileMax);
    // A row with nothing allowed so far keeps max = -inf; subtract 0 then.
    Value isNinf = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, mNew,
                                         f32(b, -INFINITY));
    Value mSafe = arith::SelectOp::create(b, isNinf, f32(b, 0.0), mNew);
    Value alpha = math::ExpOp::create(b, arith::SubFOp::create(b, mOld, mSafe));
    memref::StoreOp::create(b, mNew, mBuf, ValueRange{g, r});
    memref::StoreOp::create(b, alpha, alphaBuf, ValueRange{r});
  });
  forLoop(b, idx(b, 0), idx(b, p.tq), 1, [&](ImplicitLocOpBuilder &b, Value r) {
    Value mNew = memref::LoadOp::create(b, mBuf, ValueRange{g, r});
    Value isNinf = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, mNew,
                                         f32(b, -INFINITY));
    Value mSafe = arith::SelectOp::create(b, isNinf, f32(b, 0.0), mNew);
    Value alpha = memref::LoadOp::create(b, alphaBuf, ValueRange{r});
    Value mSafeV = splat(b, mSafe, L);
    Value sum;
    // Masked scores give exactly -0.0: the vectorised exp returns tiny
    // subnormal values far below its range, which would make every P·V FMA
    // of a partially masked tile take a slow microcode path; the sign marks
    // the entry for P·V to skip (exp never returns -0.0).
    Value ninfV = splat(b, f32(b, -INFINITY), L);
    Value negZeroV = splat(b, f32(b, -0.0), L);
    for (int64_t j = 0; j < nv; ++j) {
      Value sj = vector::LoadOp::create(b, vec(et, L), sBuf,
                                        ValueRange{r, idx(b, j * L)});
      Value e = math::ExpOp::create(b, arith::SubFOp::create(b, sj, mSafeV));
      Value masked =
          arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, sj, ninfV);
      Value pj = arith::SelectOp::create(b, masked, negZeroV, e);
      vector::StoreOp::create(b, pj, sBuf, ValueRange{r, idx(b, j * L)});
      sum = sum ? arith::AddFOp::create(b, sum, pj).getResult() : pj;
    }
    Value tileSum =
        reduceTree(b, sum, [](ImplicitLocOpBuilder &b, Value x, Value y) {
          return arith::AddFOp::create(b, x, y);
        });
    Value lOld = memref::LoadOp::create(b, lBuf, ValueRange{g, r});
    Value lNew = arith::AddFOp::create(b, arith::MulFOp::create(b, lOld, alpha),
                                       tileSum);
    memref::StoreOp::create(b, lNew, lBuf, ValueRange{g, r});
    Value alphaV = splat(b, alpha, L);
    forEachVector(b, L, p.dvp, [&](ImplicitLocOpBuilder &b, Value e) {
      SmallVector<Value> at = {g, r, e};
      Value acc = vector::LoadOp::create(b, vec(et, L), accBuf, at);
      vector::StoreOp::create(b, arith::MulFOp::create(b, acc, alphaV), accBuf, at);
    });
  });
}

/// acc[g, r, :] += Σ_j P[r, j] · V[b, kvh, k0 + j, :], with kRows rows and
/// the target-derived number of Dv vectors held in registers
/// (outerProductBlock). With `skipMasked`, entries whose P is the masked marker
/// (-0.0) leave the accumulator untouched, so a NaN or Inf in a masked key's V
/// row cannot turn 0 · V into NaN.
void AttentionLowering::accumulate(ImplicitLocOpBuilder &b, TaskArgs &a,
                                   Value g, Value kvh, Value k0, Value sBuf,
                                   Value accBuf, bool skipMasked) {
  const Plan &p = plan;
  Type et = b.getF32Type();
  int64_t chunk = p.pvVectors;
  forLoop(
      b, idx(b, 0), idx(b, p.tq), kRows,
      [&](ImplicitLocOpBuilder &b, Value rb) {
        forLoop(
            b, idx(b, 0), idx(b, p.dvp), chunk * L,
            [&](ImplicitLocOpBuilder &b, Value e0) {
              SmallVector<Value> init;
              SmallVector<SmallVector<Value>> at;
              for (int64_t r = 0; r < kRows; ++r) {
                for (int64_t c = 0; c < chunk; ++c) {
                  at.push_back({g, arith::AddIOp::create(b, rb, idx(b, r)),
                                arith::AddIOp::create(b, e0, idx(b, c * L))});
                  init.push_back(
                      vector::LoadOp::create(b, vec(et, L), accBuf, at.back()));
                }
              }
              // With `skipMasked`, entries whose P is the masked marker
              // (-0.0) leave the accumulators untouched.
              auto isMasked = [&](ImplicitLocOpBuilder &ib, Value pr) -> Value {
                return arith::CmpIOp::create(
                    ib, arith::CmpIPredicate::eq,
                    arith::BitcastOp::create(ib, ib.getI32Type(), pr),
                    arith::ConstantOp::create(
                        ib, ib.getI32IntegerAttr(kMaskedBits)));
              };
              SmallVector<Value> acc = outerProductBlock(
                  b, p.config, p.tk, init, kRows,
                  [&](ImplicitLocOpBuilder &ib, Value j) {
                    Value key = arith::AddIOp::create(ib, k0, j);
                    SmallVector<Value> vrow;
                    for (int64_t c = 0; c < chunk; ++c)
                      vrow.push_back(vector::LoadOp::create(
                          ib, vec(et, L), a.v,
                          ValueRange{
                              a.b, kvh, key,
                              arith::AddIOp::create(ib, e0, idx(ib, c * L))}));
                    return vrow;
                  },
                  [&](ImplicitLocOpBuilder &ib, Value j, int64_t r) -> Value {
                    return memref::LoadOp::create(
                        ib, sBuf,
                        ValueRange{arith::AddIOp::create(ib, rb, idx(ib, r)),
                                   j});
                  },
                  skipMasked
                      ? function_ref<Value(ImplicitLocOpBuilder &, Value)>(
                            isMasked)
                      : nullptr);
              for (auto [i, res] : llvm::enumerate(acc))
                vector::StoreOp::create(b, res, accBuf, at[i]);
            });
      });
}

/// out[b, h, qBase + r, :] = acc / sum, or 0 where nothing was allowed,
/// for the first `rowsValid` rows of the tile.
void AttentionLowering::finalize(ImplicitLocOpBuilder &b, TaskArgs &a,
                                 Value qBase, Value rowsValid, Value accBuf,
                                 Value lBuf) {
  const Plan &p = plan;
  Type et = b.getF32Type();
  forLoop(b, idx(b, 0), idx(b, p.headsPerTask), 1, [&](ImplicitLocOpBuilder &b, Value g) {
    Value h = arith::AddIOp::create(
        b, arith::MulIOp::create(b, a.hg, idx(b, p.headsPerTask)), g);
    forLoop(b, idx(b, 0), rowsValid, 1, [&](ImplicitLocOpBuilder &b, Value r) {
      Value l = memref::LoadOp::create(b, lBuf, ValueRange{g, r});
      Value isZero = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, l, f32(b, 0.0));
      Value inv = arith::SelectOp::create(
          b, isZero, f32(b, 0.0), arith::DivFOp::create(b, f32(b, 1.0), l));
      Value invV = splat(b, inv, L);
      Value row = arith::AddIOp::create(b, qBase, r);
      auto store = [&](ImplicitLocOpBuilder &b, Value e, Value tail) {
        Value acc =
            vector::LoadOp::create(b, vec(et, L), accBuf, ValueRange{g, r, e});
        Value o = arith::MulFOp::create(b, acc, invV);
        SmallVector<Value> at = {a.b, h, row, e};
        if (!epilogue.ops.empty())
          o = applyEpilogue(b, a, o, at, tail);
        if (tail)
          vector::MaskedStoreOp::create(b, a.out, at, tail, o);
        else
          vector::StoreOp::create(b, o, a.out, at);
      };
      int64_t dvFull = p.dv / L * L;
      forEachVector(b, L, dvFull, [&](ImplicitLocOpBuilder &b, Value e) {
        store(b, e, Value());
      });
      if (dvFull < p.dv)
        store(b, idx(b, dvFull),
              vector::ConstantMaskOp::create(
                  b, VectorType::get({L}, b.getI1Type()),
                  ArrayRef<int64_t>{p.dv - dvFull}));
    });
  });
}

//===----------------------------------------------------------------------===//
// Planning
//===----------------------------------------------------------------------===//

/// Options that override the target-derived register blocks (0: derived).
struct BlockOverride {
  int64_t rows = 0, scoreVectors = 0, pvVectors = 0;
};

FailureOr<Plan> makePlan(AttentionOp op, const KernelConfig &config,
                         int64_t tileQ, int64_t tileK,
                         const BlockOverride &override) {
  auto shape = [](Value v) { return cast<RankedTensorType>(v.getType()).getShape(); };
  for (Value v : op->getOperands())
    if (auto t = dyn_cast<RankedTensorType>(v.getType()); t && !t.hasStaticShape())
      return op.emitOpError("cannot be lowered: dynamic shapes are not "
                            "supported yet"),
             failure();
  if (!cast<RankedTensorType>(op.getQuery().getType()).getElementType().isF32())
    return op.emitOpError("cannot be lowered: only f32 attention is supported "
                          "yet"),
           failure();
  for (Value v : op->getOperands())
    if (auto t = dyn_cast<RankedTensorType>(v.getType()))
      for (int64_t dim : t.getShape())
        if (dim > kMaxDim)
          return op.emitOpError("cannot be lowered: operand dimension ")
                     << dim << " exceeds the supported maximum of 2^40",
                 failure();
  Plan p;
  p.config = config;
  const int64_t L = p.lanes = config.lanes();
  ArrayRef<int64_t> q = shape(op.getQuery()), k = shape(op.getKey()),
                    v = shape(op.getValue());
  p.b = q[0];
  p.hq = q[1];
  p.hkv = k[1];
  p.sq = q[2];
  p.sk = k[2];
  p.d = q[3];
  p.dv = v[3];
  p.mask = op.getMaskAttr() ? cast<MaskAttrInterface>(op.getMaskAttr())
                            : MaskAttrInterface();
  p.guardAll = op.getExplicitMask() || !op.getScoreMod().empty();
  if (p.b == 0 || p.hq == 0 || p.sq == 0 || p.dv == 0) {
    p.emptyResult = true;
    return p;
  }
  if (p.sk == 0 || p.d == 0)
    return op.emitOpError("cannot be lowered: empty key or head dimension"),
           failure();
  p.grp = p.hq / p.hkv;
  std::optional<ArrayRef<int64_t>> bs = op.getBlockSizes();
  bool hasBlockIndex = static_cast<bool>(op.getBlockIndex());
  // All sizes below are at most 2^40 + 2^9, so the arithmetic on them
  // cannot overflow; products are checked.
  if (hasBlockIndex) {
    // Query blocks of BQ rows are covered by qSub tiles of tq rows; key
    // blocks of BK keys by kSub tiles of tk keys (tk divides BK, which the
    // verifier made a multiple of 16).
    int64_t bk = (*bs)[1];
    p.tk = std::min(kMaxTileK, roundUp(std::min(bk, p.sk), L));
    while (bk % p.tk != 0)
      p.tk -= L;
    p.kSub = bk / p.tk;
    p.nkb = ceilDiv(p.sk, bk);
  } else {
    // Small problems get small tiles (decode: one query row).
    p.tk = std::min({tileK, roundUp(p.sk, L), kMaxTileK});
    p.kSub = 1;
  }
  // Register blocks from the target: rows × key vectors for Q·Kᵀ (the
  // vectors divide the key tile), then the Dv vectors for P·V with the
  // same rows and one register kept for the masked-entry test.
  if (override.scoreVectors && (p.tk / L) % override.scoreVectors != 0)
    return op.emitOpError("cannot be lowered: block-vectors ")
               << override.scoreVectors << " does not divide the " << p.tk / L
               << " vectors of a key tile",
           failure();
  if (override.pvVectors && (roundUp(p.dv, L) / L) % override.pvVectors != 0)
    return op.emitOpError("cannot be lowered: pv-vectors ")
               << override.pvVectors << " does not divide the "
               << roundUp(p.dv, L) / L << " vectors of a value row",
           failure();
  BlockLimits scores;
  scores.divides = p.tk / L;
  scores.maxRows = std::clamp<int64_t>(p.sq, 1, 8);
  // Query tiles as long as key tiles: a causal diagonal then crosses one
  // key tile per query tile, not two.
  int64_t qTile = hasBlockIndex ? (*bs)[0] : tileQ;
  scores.rowsDivide = qTile <= kMaxTileQ ? qTile : 0;
  scores.rows = override.rows;
  scores.vectors = override.scoreVectors;
  RegisterBlock sb = chooseRegisterBlock(config.registers, scores);
  p.rows = sb.rows;
  p.scoreVectors = sb.vectors;
  const int64_t kRows = p.rows;
  p.dvp = roundUp(p.dv, L);
  BlockLimits pv;
  pv.divides = p.dvp / L;
  pv.rows = p.rows;
  pv.reserved = 1;
  pv.vectors = override.pvVectors;
  p.pvVectors = chooseRegisterBlock(config.registers, pv).vectors;
  if (hasBlockIndex) {
    p.qBlock = (*bs)[0];
    p.nqb = ceilDiv(p.sq, p.qBlock);
    p.tq = roundUp(std::min(p.qBlock, p.sq), kRows);
  } else {
    p.tq = roundUp(std::min(tileQ, roundUp(p.sq, kRows)), kRows);
  }
  p.tq = std::min(p.tq, kMaxTileQ / kRows * kRows);
  p.headsPerTask = p.grp;
  if (Value bi = op.getBlockIndex(); bi && shape(bi)[1] != 1)
    p.headsPerTask = 1;
  // Per-task scratch: accumulators, scores, running max and sum.
  auto scratchFits = [&] {
    std::optional<int64_t> acc = llvm::checkedMul(p.headsPerTask, p.tq);
    if (acc)
      acc = llvm::checkedMul(*acc, p.dvp);
    if (acc)
      acc = llvm::checkedAdd(*acc, p.tq * p.tk + 2 * p.headsPerTask * p.tq);
    if (acc)
      acc = llvm::checkedMul(*acc, int64_t(4));
    return acc && *acc <= kMaxScratchBytes;
  };
  while (!scratchFits()) {
    if (p.tq > kRows)
      p.tq = roundUp(p.tq / 2, kRows);
    else if (p.headsPerTask > 1)
      p.headsPerTask = 1;
    else
      return op.emitOpError("cannot be lowered: a value head dimension of ")
                 << p.dv << " needs more than " << kMaxScratchBytes
                 << " bytes of scratch per task",
             failure();
  }
  if (!hasBlockIndex) {
    p.qBlock = p.tq;
    p.qSub = 1;
    p.nqb = ceilDiv(p.sq, p.tq);
  } else {
    p.qSub = ceilDiv(std::min(p.qBlock, p.sq), p.tq);
  }
  // Rows of the last tile: (nqb - 1)·qBlock < Sq, qSub·tq < qBlock + tq.
  p.sqp = (p.nqb - 1) * p.qBlock + p.qSub * p.tq;
  p.nqt = p.nqb * p.qSub; // <= ceil(Sq / tq) + nqb
  p.nkt = ceilDiv(p.sk, p.tk);
  p.skp = p.nkt * p.tk;
  if (!hasBlockIndex)
    p.nkb = p.nkt;

  // Every buffer's size in bytes must be representable (index arithmetic
  // on it would wrap otherwise).
  auto bytes = [](ArrayRef<int64_t> dims) {
    std::optional<int64_t> n = int64_t(4);
    for (int64_t d : dims)
      if (n)
        n = llvm::checkedMul(*n, d);
    return n;
  };
  SmallVector<SmallVector<int64_t>> buffers = {
      {p.b, p.hq, p.sqp, p.d}, {p.b, p.hkv, p.skp, p.d},
      {p.b, p.hkv, p.skp, p.dvp}, {p.b, p.hq, p.sq, p.dv}};
  if (Value m = op.getExplicitMask()) {
    // Padded like the scores, broadcast dimensions stay 1.
    ArrayRef<int64_t> ms = shape(m);
    SmallVector<int64_t> padded(4 - ms.size(), 1);
    llvm::append_range(padded, ms);
    if (padded[2] != 1)
      padded[2] = p.sqp;
    if (padded[3] != 1)
      padded[3] = p.skp;
    buffers.push_back(padded);
  }
  for (ArrayRef<int64_t> dims : buffers)
    if (!bytes(dims))
      return op.emitOpError("cannot be lowered: operand sizes overflow "
                            "64-bit index arithmetic"),
             failure();

  p.hasStaticShift = !op.getQOffset();
  p.staticShift = p.sk - p.sq;

  // The compile-time tile table, when its construction and size stay
  // bounded; otherwise every key tile is visited and masked at run time.
  if (p.mask && p.hasStaticShift && !hasBlockIndex) {
    std::optional<int64_t> work = llvm::checkedMul(p.nqt, p.nkt);
    if (work)
      work = llvm::checkedMul(*work, getMaskSize(p.mask));
    p.useTable = work && *work <= kMaxClassifyWork;
    if (p.useTable)
      p.rowPtr.push_back(0);
    for (int64_t qt = 0; p.useTable && qt < p.nqt; ++qt) {
      int64_t q0 = qt * p.tq + p.staticShift;
      int64_t q1 = std::min((qt + 1) * p.tq, p.sq) + p.staticShift;
      for (int64_t kt = 0; kt < p.nkt; ++kt) {
        int64_t k0 = kt * p.tk, k1 = std::min((kt + 1) * p.tk, p.sk);
        TileKind kind = p.mask.classifyTile(q0, q1, k0, k1);
        if (kind == TileKind::Empty)
          continue;
        bool partial = kind == TileKind::Partial || (kt + 1) * p.tk > p.sk;
        p.entries.push_back(static_cast<int32_t>(kt * 2 + (partial ? 1 : 0)));
      }
      p.rowPtr.push_back(static_cast<int32_t>(p.entries.size()));
      if (static_cast<int64_t>(p.entries.size()) > kMaxTableEntries)
        p.useTable = false;
    }
    if (!p.useTable) {
      p.rowPtr.clear();
      p.entries.clear();
    }
  }
  return p;
}

struct TesseraFlashAttentionPass
    : tessera::impl::TesseraFlashAttentionPassBase<TesseraFlashAttentionPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    KernelConfig config = getKernelConfig(module);
    if (tileQ <= 0 || tileK <= 0 || tileK % config.lanes() != 0) {
      module.emitError() << "tessera-flash-attention: tile-q must be positive "
                            "and tile-k a positive multiple of "
                         << config.lanes() << " (the target's f32 lanes)";
      return signalPassFailure();
    }
    if (blockRows < 0 || blockRows > 16 || blockVectors < 0 ||
        blockVectors > 16 || pvVectors < 0 || pvVectors > 16) {
      module.emitError() << "tessera-flash-attention: block-rows, "
                            "block-vectors and pv-vectors must be in [0, 16]";
      return signalPassFailure();
    }
    BlockOverride override{blockRows, blockVectors, pvVectors};
    SmallVector<AttentionOp> ops;
    module.walk([&](AttentionOp op) { ops.push_back(op); });
    for (AttentionOp op : ops) {
      FailureOr<Plan> plan = makePlan(op, config, tileQ, tileK, override);
      if (failed(plan))
        return signalPassFailure();
      if (failed(AttentionLowering(op, std::move(*plan), module).run()))
        return signalPassFailure();
    }
  }
};

} // namespace
