//===- PlanBuffers.cpp - Compile-time buffer planning -----------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// After bufferization, the intermediate buffers of a function body are
// statically shaped memref.alloc / memref.dealloc pairs in its one block
// (the deallocation pipeline often puts every dealloc at the end). A
// buffer is live from its alloc to the last op of the block that uses it
// or a view of it (subview, cast, reshape, ...; uses in nested regions
// count at their top-level ancestor; the ops run in order, parallel loops
// included, and none retains a pointer). Two buffers whose intervals do
// not intersect can share memory. This pass places every such buffer at
// an offset of one arena (largest buffers first, each at the lowest offset
// where it overlaps no placed buffer it is live with), allocates the arena
// once per call, and turns each buffer into a memref.view of it: one
// allocation per call instead of one per buffer, and a footprint of the
// planned peak instead of the sum. A buffer that flows anywhere else (a
// yield, a select, a non-view op with memref results) keeps its own
// allocation.
//
// The planned size is recorded as `tessera.scratch_bytes` on the function
// and, for an exported entry, as a `scratch_bytes N` line of its signature
// (the runtime's --print-signature shows it).
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/Support/CheckedArithmetic.h"

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERAPLANBUFFERSPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;

namespace {

/// Offsets (and the arena) are aligned to this many bytes.
constexpr int64_t kAlignment = 64;
/// Functions with more candidate buffers are planned in groups of this
/// many (placement is quadratic in the group size).
constexpr size_t kMaxGroup = 4096;

struct Buffer {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
  int64_t start, end; // live over [start, end) of the block's op order
  int64_t bytes;      // rounded up to kAlignment
  int64_t offset = 0;
};

/// The byte size of a plannable alloc: static shape, identity layout,
/// default memory space, whole-byte elements, alignment at most
/// kAlignment, and a size that fits in int64 after rounding.
std::optional<int64_t> plannableBytes(memref::AllocOp alloc) {
  MemRefType type = alloc.getType();
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      type.getMemorySpace() || !alloc.getDynamicSizes().empty() ||
      !alloc.getSymbolOperands().empty())
    return std::nullopt;
  if (std::optional<uint64_t> a = alloc.getAlignment(); a && *a > kAlignment)
    return std::nullopt;
  Type et = type.getElementType();
  if (!et.isIntOrFloat() || et.getIntOrFloatBitWidth() % 8 != 0)
    return std::nullopt;
  std::optional<int64_t> bytes = et.getIntOrFloatBitWidth() / 8;
  for (int64_t d : type.getShape())
    if (bytes)
      bytes = llvm::checkedMul(*bytes, d);
  if (bytes)
    bytes = llvm::checkedAdd(*bytes, kAlignment - 1);
  if (!bytes)
    return std::nullopt;
  return std::max<int64_t>(*bytes / kAlignment * kAlignment, kAlignment);
}

/// Places `group` (offsets relative to 0); returns the arena size, or
/// nullopt if it would overflow.
std::optional<int64_t> place(MutableArrayRef<Buffer> group) {
  SmallVector<Buffer *> order;
  for (Buffer &b : group)
    order.push_back(&b);
  // Largest first; equal sizes in program order.
  llvm::sort(order, [](const Buffer *a, const Buffer *b) {
    return a->bytes != b->bytes ? a->bytes > b->bytes : a->start < b->start;
  });
  SmallVector<Buffer *> placed;
  int64_t peak = 0;
  for (Buffer *b : order) {
    SmallVector<Buffer *> live;
    for (Buffer *p : placed)
      if (p->start < b->end && b->start < p->end)
        live.push_back(p);
    llvm::sort(live, [](const Buffer *x, const Buffer *y) {
      return x->offset < y->offset;
    });
    int64_t offset = 0;
    for (Buffer *p : live) {
      if (p->offset >= offset && p->offset - offset >= b->bytes)
        break;
      offset = std::max(offset, p->offset + p->bytes);
    }
    std::optional<int64_t> top = llvm::checkedAdd(offset, b->bytes);
    if (!top)
      return std::nullopt;
    b->offset = offset;
    peak = std::max(peak, *top);
    placed.push_back(b);
  }
  return peak;
}

/// The position in `block` of the last op using `alloc` or a view of it
/// (deallocs aside), or nullopt if the buffer flows anywhere but into
/// views and uses.
std::optional<int64_t> lastUse(memref::AllocOp alloc, Block &block,
                               const DenseMap<Operation *, int64_t> &position) {
  int64_t last = position.lookup(alloc);
  SmallVector<Value> worklist = {alloc.getResult()};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (isa<memref::DeallocOp>(user))
        continue;
      if (auto view = dyn_cast<ViewLikeOpInterface>(user);
          view && view.getViewSource() == v) {
        worklist.push_back(view->getResult(0));
      } else if (user->hasTrait<OpTrait::IsTerminator>() ||
                 llvm::any_of(user->getResultTypes(),
                              llvm::IsaPred<BaseMemRefType>)) {
        return std::nullopt; // flows on: a yield, a select, a call result
      }
      Operation *top = block.findAncestorOpInBlock(*user);
      if (!top)
        return std::nullopt;
      last = std::max(last, position.lookup(top));
    }
  }
  return last;
}

/// Plans the buffers of `func`; returns the arena bytes (0: none planned).
FailureOr<int64_t> planFunction(func::FuncOp func) {
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return 0;
  Block &block = func.getBody().front();
  DenseMap<Operation *, int64_t> position;
  int64_t n = 0;
  for (Operation &op : block)
    position[&op] = n++;
  SmallVector<Buffer> buffers;
  for (Operation &op : block) {
    auto alloc = dyn_cast<memref::AllocOp>(op);
    if (!alloc)
      continue;
    std::optional<int64_t> bytes = plannableBytes(alloc);
    if (!bytes)
      continue;
    // Exactly one dealloc, in this block; a buffer freed elsewhere (or not
    // at all: a result) keeps its own allocation.
    memref::DeallocOp dealloc;
    bool ok = true;
    for (Operation *user : alloc->getUsers()) {
      auto d = dyn_cast<memref::DeallocOp>(user);
      if (!d)
        continue;
      if (dealloc || d->getBlock() != &block)
        ok = false;
      dealloc = d;
    }
    if (!ok || !dealloc)
      continue;
    std::optional<int64_t> end = lastUse(alloc, block, position);
    if (!end)
      continue;
    buffers.push_back({alloc, dealloc, position[alloc], *end + 1, *bytes});
  }
  if (buffers.size() < 2)
    return 0;

  // Groups of kMaxGroup buffers in program order, stacked.
  int64_t arena = 0;
  for (size_t first = 0; first < buffers.size(); first += kMaxGroup) {
    MutableArrayRef<Buffer> group = MutableArrayRef<Buffer>(buffers).slice(
        first, std::min(kMaxGroup, buffers.size() - first));
    std::optional<int64_t> size = place(group);
    if (!size)
      return 0;
    for (Buffer &b : group)
      b.offset += arena;
    std::optional<int64_t> total = llvm::checkedAdd(arena, *size);
    if (!total)
      return 0;
    arena = *total;
  }

  OpBuilder b = OpBuilder::atBlockBegin(&block);
  Location loc = func.getLoc();
  auto arenaType = MemRefType::get({arena}, b.getI8Type());
  Value base = memref::AllocOp::create(
      b, loc, arenaType, IntegerAttr::get(b.getI64Type(), kAlignment));
  for (Buffer &buf : buffers) {
    b.setInsertionPoint(buf.alloc);
    Value offset = arith::ConstantIndexOp::create(b, buf.alloc.getLoc(),
                                                  buf.offset);
    Value view = memref::ViewOp::create(b, buf.alloc.getLoc(),
                                        buf.alloc.getType(), base, offset,
                                        ValueRange{});
    buf.alloc.getResult().replaceAllUsesWith(view);
    buf.dealloc.erase();
    buf.alloc.erase();
  }
  b.setInsertionPoint(block.getTerminator());
  memref::DeallocOp::create(b, loc, base);
  return arena;
}

struct TesseraPlanBuffersPass
    : tessera::impl::TesseraPlanBuffersPassBase<TesseraPlanBuffersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    llvm::StringMap<int64_t> planned;
    for (auto func : module.getOps<func::FuncOp>()) {
      FailureOr<int64_t> bytes = planFunction(func);
      if (failed(bytes))
        return signalPassFailure();
      if (*bytes == 0)
        continue;
      func->setAttr(kScratchBytesAttrName,
                    IntegerAttr::get(IntegerType::get(ctx, 64), *bytes));
      planned[func.getSymName()] = *bytes;
    }
    // The signatures of exported entries say how much they plan.
    appendSignatureLines(module, [&](StringRef function, StringRef signature) {
      auto it = planned.find(function);
      if (it == planned.end() || signature.contains("\nscratch_bytes "))
        return std::string();
      return "scratch_bytes " + std::to_string(it->second);
    });
  }
};

} // namespace
