//===- FlashAttention.cpp - Fused, tiled attention schedule -----*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Schedules tessera.attention as a flash-style kernel that never
// materialises the Sq×Sk score matrix, in the target-independent tile-level
// form (the tile ops are lowered per target, see LowerTiles.cpp):
//
//   scf.parallel (b, head group, query tile)      -> OpenMP
//     call @__tessera_attention_task_N(...)        (scratch lives in its frame)
//       for each key tile the mask can reach        (compile-time tile table)
//         for each query head of the group          (K/V tile stays in cache)
//           tile_matmul       S = scale·Q·Kᵀ
//           tile_score_mod, tile_add_mask, tile_mask (partial tiles only)
//           tile_online_softmax  running max/sum, rescale the accumulator
//           tile_matmul       acc += P·V
//       tile_normalize     out = epilogue(acc / sum)  (0 for a row that may
//                                                    attend nothing)
//
// Inputs are first copied into padded, contiguous layouts (K transposed to
// [B, Hkv, nKT, D, Tk]) so that every tile is unit-stride; this costs
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
// output. Full tiles run the plain product.
//
// With Q, K and V all widened from one storage type (f16, bf16), both
// products carry it as their operand_type, so that a target with tensor
// cores may multiply in it (the CUDA target runs such a task on a warp).
//
// Tile shapes do not depend on the target: key tiles and the padded Dv are
// multiples of 16 (the widest vector of any target), query tiles multiples
// of 8 (the most rows of a register block) unless the sequence is shorter.
//
// Limits (all compile-time work and scratch is bounded): every operand
// dimension at most 2^40 and every buffer's byte size representable in
// 64 bits; kernel tiles of at most kMaxTileQ query rows and kMaxTileK keys
// (block_index blocks larger than that are visited as several tiles); at
// most kMaxClassifyWork tile classifications (tile pairs × mask size) and
// kMaxTableEntries table entries, above which every key tile is visited
// and masked at run time; kMaxScratchBytes of per-task scratch, which
// bounds Dv (about 260000); `q_offset` clamped to ±2^61.
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

/// ceil(a / b) for a >= 0, b > 0, without forming a + b - 1.
int64_t ceilDiv(int64_t a, int64_t b) { return a / b + (a % b != 0 ? 1 : 0); }

/// Static description of one lowering.
struct Plan {
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
  /// Tensors read at the output's coordinates, each once.
  llvm::SetVector<Value> inputs;

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
      llvm::SetVector<Value> inputs;
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
        inputs.insert(operand);
      }
      if (!ok)
        break;
      e.ops.push_back(user);
      e.inputs.insert(inputs.begin(), inputs.end());
      current = user->getResult(0);
    }
    return e;
  }
};

class AttentionLowering {
public:
  AttentionLowering(AttentionOp op, Plan plan, ModuleOp module)
      : op(op), plan(std::move(plan)), module(module) {}

  LogicalResult run();

private:
  // Tensor-level preparation.
  Value prepareMask(ImplicitLocOpBuilder &b);
  Value globalTable(ImplicitLocOpBuilder &b, ArrayRef<int32_t> data,
                    StringRef name);

  // The schedule (inside the task function).
  void buildTask(ImplicitLocOpBuilder &b, TaskArgs &a);
  void visitKeyTile(ImplicitLocOpBuilder &b, TaskArgs &a, Value kt,
                    Value partial, Value qBase, Value kvh, Value sBuf,
                    Value accBuf, Value mBuf, Value lBuf);
  void finalize(ImplicitLocOpBuilder &b, TaskArgs &a, Value qBase,
                Value rowsValid, Value accBuf, Value lBuf);
  /// The fused epilogue as the scalar region of a tile_normalize.
  void buildEpilogue(Region &region);

  AttentionOp op;
  Plan plan;
  ModuleOp module;
  /// Q, K and V all widened from this storage type: the products may
  /// multiply in it (Q·Kᵀ exactly; P·V rounding the probabilities, as
  /// flash attention does on tensor cores).
  TypeAttr operandType;
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
  if (Type t = widenedFrom(op.getQuery());
      t && t == widenedFrom(op.getKey()) && t == widenedFrom(op.getValue()))
    operandType = TypeAttr::get(t);
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

void AttentionLowering::buildEpilogue(Region &region) {
  Type et = Float32Type::get(op.getContext());
  Block *block = new Block();
  region.push_back(block);
  IRMapping map;
  map.map(op.getResult(), block->addArgument(et, op.getLoc()));
  for (Value in : epilogue.inputs)
    map.map(in, block->addArgument(et, op.getLoc()));
  ImplicitLocOpBuilder b =
      ImplicitLocOpBuilder::atBlockBegin(op.getLoc(), block);
  for (Operation *fused : epilogue.ops) {
    for (Value operand : fused->getOperands()) {
      if (map.contains(operand))
        continue;
      // What is not the chain or an input is a splat constant (see match).
      DenseElementsAttr cst;
      (void)matchPattern(operand, m_Constant(&cst));
      map.map(operand, arith::ConstantOp::create(
                           b, cast<TypedAttr>(cst.getSplatValue<Attribute>())));
    }
    OperationState state(b.getLoc(), fused->getName());
    for (Value operand : fused->getOperands())
      state.addOperands(map.lookup(operand));
    state.addTypes(et);
    state.addAttributes(fused->getAttrs());
    map.map(fused->getResult(0), b.create(state)->getResult(0));
  }
  YieldOp::create(b, map.lookup(epilogue.ops.back()->getResult(0)));
}

//===----------------------------------------------------------------------===//
// Schedule
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
  // Running max -inf, sum 0, accumulator 0, row by row: independent rows
  // (a nested scf.parallel: in order on the CPU, where LLVM turns the
  // scalar loops into whatever the target does best; spread over the
  // lanes of a warp on the GPU).
  parallelFor(b, {idx(b, hpt), idx(b, p.tq)},
              [&](ImplicitLocOpBuilder &b, ValueRange row) {
                memref::StoreOp::create(b, f32(b, -INFINITY), mBuf, row);
                memref::StoreOp::create(b, f32(b, 0.0), lBuf, row);
                forLoop(b, idx(b, 0), idx(b, p.dvp), 1,
                        [&](ImplicitLocOpBuilder &b, Value e) {
                          memref::StoreOp::create(
                              b, f32(b, 0.0), accBuf,
                              ValueRange{row[0], row[1], e});
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
  auto i = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
  forLoop(b, idx(b, 0), idx(b, p.headsPerTask), 1, [&](ImplicitLocOpBuilder &b, Value g) {
    Value h = arith::AddIOp::create(
        b, arith::MulIOp::create(b, a.hg, idx(b, p.headsPerTask)), g);
    // Positions of the tile's first query and key.
    Value q0 = arith::AddIOp::create(b, toI64(b, qBase), a.qShift);
    Value k0Pos = toI64(b, k0);
    Value qTile = tileView(b, a.q, {a.b, h, qBase, i(0)}, {i(p.tq), i(p.d)});
    Value kTile =
        tileView(b, a.kt, {a.b, kvh, kt, i(0), i(0)}, {i(p.d), i(p.tk)});
    Value vTile = tileView(b, a.v, {a.b, kvh, k0, i(0)}, {i(p.tk), i(p.dvp)});
    Value accTile = tileView(b, accBuf, {g, i(0), i(0)}, {i(p.tq), i(p.dvp)});
    Value mRow = tileView(b, mBuf, {g, i(0)}, {i(p.tq)});
    Value lRow = tileView(b, lBuf, {g, i(0)}, {i(p.tq)});

    TileMatmulOp::create(b, qTile, kTile, sBuf, /*bias=*/Value(),
                         /*accumulate=*/false,
                         /*skip_masked=*/false,
                         b.getF32FloatAttr(op.getEffectiveScale()),
                         operandType);
    if (!op.getScoreMod().empty()) {
      auto mod = TileScoreModOp::create(b, sBuf, a.b, h, q0, k0Pos);
      IRMapping map;
      op.getScoreMod().cloneInto(&mod.getBody(), map);
    }
    if (a.mask) {
      auto ms = cast<MemRefType>(a.mask.getType()).getShape();
      Value zero = idx(b, 0);
      Value mTile =
          tileView(b, a.mask,
                   {ms[0] == 1 ? zero : a.b, ms[1] == 1 ? zero : h,
                    ms[2] == 1 ? zero : qBase, ms[3] == 1 ? zero : k0},
                   {i(ms[2] == 1 ? 1 : p.tq), i(ms[3] == 1 ? 1 : p.tk)});
      TileAddMaskOp::create(b, mTile, sBuf);
    }
    auto applyMask = [&](ImplicitLocOpBuilder &b) {
      TileMaskOp::create(b, sBuf, q0, k0Pos, p.mask,
                         p.keyTail() ? b.getI64IntegerAttr(p.sk)
                                     : IntegerAttr());
    };
    auto accumulate = [&](ImplicitLocOpBuilder &b, bool skipMasked) {
      TileMatmulOp::create(b, sBuf, vTile, accTile, /*bias=*/Value(),
                           /*accumulate=*/true, skipMasked, FloatAttr(),
                           operandType);
    };
    // Only partial tiles pay for the predicate, and for skipping masked
    // keys in P·V.
    auto cst = partial.getDefiningOp<arith::ConstantOp>();
    if (!cst) {
      ifThen(b, partial, applyMask);
      TileOnlineSoftmaxOp::create(b, sBuf, mRow, lRow, accTile);
      if (p.guardAll) {
        accumulate(b, /*skipMasked=*/true);
      } else {
        auto acc = scf::IfOp::create(b, partial, /*withElse=*/true);
        ImplicitLocOpBuilder tb = ImplicitLocOpBuilder::atBlockBegin(
            b.getLoc(), acc.thenBlock());
        tb.setInsertionPoint(acc.thenBlock()->getTerminator());
        accumulate(tb, /*skipMasked=*/true);
        ImplicitLocOpBuilder eb = ImplicitLocOpBuilder::atBlockBegin(
            b.getLoc(), acc.elseBlock());
        eb.setInsertionPoint(acc.elseBlock()->getTerminator());
        accumulate(eb, /*skipMasked=*/false);
      }
      return;
    }
    bool isPartial = cast<BoolAttr>(cst.getValue()).getValue();
    if (isPartial)
      applyMask(b);
    TileOnlineSoftmaxOp::create(b, sBuf, mRow, lRow, accTile);
    accumulate(b, /*skipMasked=*/isPartial || p.guardAll);
  });
}

/// out[b, h, qBase + r, :] = epilogue(acc / sum), or 0 where nothing was
/// allowed, for the first `rowsValid` rows of the tile.
void AttentionLowering::finalize(ImplicitLocOpBuilder &b, TaskArgs &a,
                                 Value qBase, Value rowsValid, Value accBuf,
                                 Value lBuf) {
  const Plan &p = plan;
  auto i = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
  forLoop(b, idx(b, 0), idx(b, p.headsPerTask), 1, [&](ImplicitLocOpBuilder &b, Value g) {
    Value h = arith::AddIOp::create(
        b, arith::MulIOp::create(b, a.hg, idx(b, p.headsPerTask)), g);
    SmallVector<OpFoldResult> at = {a.b, h, qBase, i(0)};
    SmallVector<OpFoldResult> size = {rowsValid, i(p.dv)};
    Value outTile = tileView(b, a.out, at, size);
    SmallVector<Value> inputs;
    for (Value e : a.epilogue)
      inputs.push_back(tileView(b, e, at, size));
    Value accTile = tileView(b, accBuf, {g, i(0), i(0)}, {i(p.tq), i(p.dvp)});
    Value lRow = tileView(b, lBuf, {g, i(0)}, {i(p.tq)});
    auto norm = TileNormalizeOp::create(b, accTile, lRow, outTile, inputs);
    if (!epilogue.ops.empty())
      buildEpilogue(norm.getEpilogue());
  });
}

//===----------------------------------------------------------------------===//
// Planning
//===----------------------------------------------------------------------===//

FailureOr<Plan> makePlan(AttentionOp op, int64_t tileQ, int64_t tileK) {
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
    p.tk = std::min(kMaxTileK, roundUp(std::min(bk, p.sk), kTileLanes));
    while (bk % p.tk != 0)
      p.tk -= kTileLanes;
    p.kSub = bk / p.tk;
    p.nkb = ceilDiv(p.sk, bk);
    p.qBlock = (*bs)[0];
    p.nqb = ceilDiv(p.sq, p.qBlock);
    p.tq = rowTile(std::min(p.qBlock, p.sq));
  } else {
    // Small problems get small tiles (decode: one query row).
    p.tk = std::min({tileK, roundUp(p.sk, kTileLanes), kMaxTileK});
    p.kSub = 1;
    p.tq = rowTile(std::min(tileQ, p.sq));
  }
  p.tq = std::min(p.tq, kMaxTileQ);
  p.dvp = roundUp(p.dv, kTileLanes);
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
    if (p.tq > 1)
      p.tq = rowTile(ceilDiv(p.tq, 2));
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
    if (tileQ <= 0 || tileK <= 0 || tileK % kTileLanes != 0) {
      module.emitError() << "tessera-flash-attention: tile-q must be positive "
                            "and tile-k a positive multiple of "
                         << kTileLanes;
      return signalPassFailure();
    }
    SmallVector<AttentionOp> ops;
    module.walk([&](AttentionOp op) { ops.push_back(op); });
    for (AttentionOp op : ops) {
      FailureOr<Plan> plan = makePlan(op, tileQ, tileK);
      if (failed(plan))
        return signalPassFailure();
      if (failed(AttentionLowering(op, std::move(*plan), module).run()))
        return signalPassFailure();
    }
  }
};

} // namespace
