//===- TesseraToGPU.cpp - Host-side mapping of kernels onto a GPU -*- C++
//-*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// The CUDA target reuses every phase up to bufferization: the same schedules
// (task grids of tile ops, linalg loop nests) arrive here as top-level
// scf.parallel loops of the host functions. These passes decide which of
// them run as kernels, make the host's buffers visible to the device, and
// turn the serialized PTX into one fatbin per module.
//
//===----------------------------------------------------------------------===//

#include "tessera/Conversion/TesseraToGPU/TesseraToGPU.h"
#include "tessera/Dialect/Tessera/IR/TesseraDialect.h"
#include "tessera/Dialect/Tessera/IR/TesseraOps.h"
#include "tessera/Dialect/Tessera/Transforms/KernelBuilder.h"

#include "TileMMA.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/Support/MathExtras.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include <numeric>

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERAGPUMAPLOOPSPASS
#define GEN_PASS_DEF_TESSERAGPUHOSTMEMORYPASS
#define GEN_PASS_DEF_TESSERAGPUFATBINPASS
#define GEN_PASS_DEF_TESSERAGPUEMULATELAUNCHESPASS
#include "tessera/Conversion/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;

/// Functions outside gpu.modules.
static SmallVector<func::FuncOp> hostFunctions(ModuleOp module) {
  return llvm::to_vector(module.getOps<func::FuncOp>());
}

//===----------------------------------------------------------------------===//
// tessera-gpu-map-loops
//===----------------------------------------------------------------------===//

namespace {

/// Follows view-like ops (subview, reshapes, casts) to the buffer a memref
/// value is a view of.
Value viewRoot(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(def)) {
      v = view.getViewSource();
      continue;
    }
    if (auto cast = dyn_cast<memref::CastOp>(def)) {
      v = cast.getSource();
      continue;
    }
    break;
  }
  return v;
}

class LoopMapper {
public:
  LoopMapper(ModuleOp module, int64_t maxThreads, bool remarks, bool mma,
             bool emulateMMA)
      : module(module), symbols(module), maxThreads(maxThreads),
        remarks(remarks), mma(mma), emulateMMA(emulateMMA) {}

  LogicalResult run() {
    // Device functions: everything reachable by calls from a loop body.
    SmallVector<func::FuncOp> work;
    module.walk([&](scf::ParallelOp loop) {
      loop.getBody()->walk([&](func::CallOp call) {
        if (auto f = symbols.lookup<func::FuncOp>(call.getCallee()))
          if (device.insert(f))
            work.push_back(f);
      });
    });
    while (!work.empty()) {
      func::FuncOp f = work.pop_back_val();
      f.walk([&](func::CallOp call) {
        if (auto g = symbols.lookup<func::FuncOp>(call.getCallee()))
          if (device.insert(g))
            work.push_back(g);
      });
    }
    SmallVector<scf::ParallelOp> loops;
    for (func::FuncOp f : hostFunctions(module)) {
      if (device.contains(f))
        continue;
      // A grid of one task lost its loop to canonicalization: a tile op
      // outside loops gets one back, to run on a warp.
      f.walk([&](Operation *op) {
        if (!isTileOp(op) || op->getParentOfType<scf::ParallelOp>())
          return;
        OpBuilder b(op);
        Location loc = op->getLoc();
        Value zero = arith::ConstantIndexOp::create(b, loc, 0);
        Value one = arith::ConstantIndexOp::create(b, loc, 1);
        auto loop = scf::ParallelOp::create(b, loc, ValueRange{zero},
                                            ValueRange{one}, ValueRange{one});
        op->moveBefore(loop.getBody()->getTerminator());
      });
      f.walk([&](scf::ParallelOp loop) {
        if (!loop->getParentOfType<scf::ParallelOp>())
          loops.push_back(loop);
      });
    }
    for (scf::ParallelOp loop : loops) {
      std::string why = whyNotOnDevice(loop);
      if (!why.empty()) {
        if (remarks)
          loop.emitRemark() << "runs on the host: " << why;
        continue;
      }
      sinkGlobals(loop);
      if (failed(map(loop)))
        return failure();
    }
    return success();
  }

private:
  /// Why `loop` cannot run as a kernel, or "" if it can.
  std::string whyNotOnDevice(scf::ParallelOp loop) {
    if (!loop.getInitVals().empty())
      return "it has reductions";
    std::string why;
    auto check = [&](Operation *op) {
      if (isa<memref::AllocOp, memref::DeallocOp, memref::ReallocOp>(op))
        why = "it allocates";
      else if (isa<gpu::GPUDialect>(op->getDialect()))
        why = "it holds GPU ops already";
      else if (auto call = dyn_cast<func::CallOp>(op)) {
        auto f = symbols.lookup<func::FuncOp>(call.getCallee());
        if (!f || f.isExternal())
          why = "it calls an external function";
      }
      return why.empty() ? WalkResult::advance() : WalkResult::interrupt();
    };
    if (loop.getBody()->walk(check).wasInterrupted())
      return why;
    llvm::SetVector<func::FuncOp> callees;
    loop.getBody()->walk([&](func::CallOp call) {
      if (auto f = symbols.lookup<func::FuncOp>(call.getCallee()))
        callees.insert(f);
    });
    for (size_t i = 0; i < callees.size(); ++i) {
      func::FuncOp callee = callees[i];
      if (callee.walk(check).wasInterrupted())
        return why + " (in @" + callee.getSymName().str() + ")";
      callee.walk([&](func::CallOp call) {
        if (auto f = symbols.lookup<func::FuncOp>(call.getCallee()))
          callees.insert(f);
      });
    }
    // Every buffer the kernel reads from outside must be device-visible.
    // Globals read by device functions are copied to the device by
    // outlining; they must not change.
    auto checkGlobal = [&](memref::GetGlobalOp get) {
      auto global = symbols.lookup<memref::GlobalOp>(get.getName());
      if (!global || !global.getConstant())
        why = "it reads a mutable global";
    };
    for (func::FuncOp f : callees.takeVector())
      f.walk(checkGlobal);
    if (!why.empty())
      return why;
    loop.getBody()->walk([&](Operation *op) {
      if (auto get = dyn_cast<memref::GetGlobalOp>(op))
        checkGlobal(get);
      for (Value operand : op->getOperands()) {
        if (!isa<MemRefType>(operand.getType()) ||
            loop->isProperAncestor(operand.getParentBlock()->getParentOp()))
          continue;
        Value root = viewRoot(operand);
        if (auto get = root.getDefiningOp<memref::GetGlobalOp>()) {
          checkGlobal(get);
          continue;
        }
        DenseSet<Value> visited;
        if (!isAllocated(root, visited))
          why = "it reads a buffer that may not be an allocation or an "
                "argument";
      }
      return why.empty() ? WalkResult::advance() : WalkResult::interrupt();
    });
    return why;
  }

  /// Whether every buffer `v` may be is a function argument or an
  /// allocation (all of which tessera-gpu-host-memory makes host-shared),
  /// through views, selects and the values carried by scf loops and ifs.
  static bool isAllocated(Value v, DenseSet<Value> &visited) {
    v = viewRoot(v);
    if (!visited.insert(v).second)
      return true; // Being checked further up.
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      Operation *owner = arg.getOwner()->getParentOp();
      if (isa<func::FuncOp>(owner))
        return true;
      if (auto loop = dyn_cast<scf::ForOp>(owner)) {
        if (arg.getArgNumber() == 0)
          return false;
        unsigned i = arg.getArgNumber() - 1;
        return isAllocated(loop.getInitArgs()[i], visited) &&
               isAllocated(loop.getYieldedValues()[i], visited);
      }
      return false;
    }
    Operation *def = v.getDefiningOp();
    unsigned i = cast<OpResult>(v).getResultNumber();
    if (isa<memref::AllocOp>(def))
      return true;
    if (auto select = dyn_cast<arith::SelectOp>(def))
      return isAllocated(select.getTrueValue(), visited) &&
             isAllocated(select.getFalseValue(), visited);
    if (auto loop = dyn_cast<scf::ForOp>(def))
      return isAllocated(loop.getInitArgs()[i], visited) &&
             isAllocated(loop.getYieldedValues()[i], visited);
    if (auto branch = dyn_cast<scf::IfOp>(def))
      return isAllocated(branch.thenYield().getOperand(i), visited) &&
             (branch.getElseRegion().empty() ||
              isAllocated(branch.elseYield().getOperand(i), visited));
    return false;
  }

  /// Clones the get_global (and the views of it) that `loop` reads from
  /// outside into its body, so that outlining copies the constant to the
  /// device instead of passing the host's address.
  void sinkGlobals(scf::ParallelOp loop) {
    OpBuilder b = OpBuilder::atBlockBegin(loop.getBody());
    IRMapping mapping;
    std::function<Value(Value)> sink = [&](Value v) -> Value {
      if (Value mapped = mapping.lookupOrNull(v))
        return mapped;
      Operation *def = v.getDefiningOp();
      for (Value operand : def->getOperands())
        if (isa<MemRefType>(operand.getType()))
          sink(operand);
      Operation *clone = b.clone(*def, mapping);
      return clone->getResult(cast<OpResult>(v).getResultNumber());
    };
    loop.getBody()->walk([&](Operation *op) {
      for (OpOperand &use : op->getOpOperands()) {
        Value v = use.get();
        if (!isa<MemRefType>(v.getType()) || !v.getDefiningOp() ||
            loop->isAncestor(v.getDefiningOp()))
          continue;
        Value root = viewRoot(v);
        if (root.getDefiningOp<memref::GetGlobalOp>())
          use.set(sink(v));
      }
    });
  }

  static std::optional<int64_t> extent(scf::ParallelOp loop, unsigned d) {
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()[d]);
    std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound()[d]);
    std::optional<int64_t> step = getConstantIntValue(loop.getStep()[d]);
    if (!lb || !ub || !step || *step <= 0)
      return std::nullopt;
    return *ub <= *lb ? 0 : (*ub - *lb + *step - 1) / *step;
  }

  /// The bytes of a task's slice of the shared scratch taken by `alloca`
  /// (64-byte aligned).
  static int64_t scratchBytes(memref::AllocaOp alloca) {
    MemRefType t = alloca.getType();
    return llvm::alignTo(t.getNumElements() *
                             llvm::divideCeil(t.getElementTypeBitWidth(), 8),
                         64);
  }

  /// Whether `tasks` tasks' lanes and their scratch (the allocas of the
  /// loop body and of its task functions) stay far from overflow.
  bool warpScratchFits(scf::ParallelOp loop, std::optional<int64_t> tasks) {
    constexpr int64_t kMaxBytes = int64_t{1} << 40;
    int64_t perTask = 0;
    auto add = [&](Block &top) {
      for (auto alloca : top.getOps<memref::AllocaOp>())
        perTask += scratchBytes(alloca);
    };
    add(*loop.getBody());
    loop.getBody()->walk([&](func::CallOp call) {
      if (func::FuncOp f = taskFunction(call))
        add(f.getBody().front());
    });
    // A run-time number of tasks (MoE's row tiles) has no scratch to size.
    if (!tasks)
      return perTask == 0;
    int64_t bytes, lanes;
    return !llvm::MulOverflow(*tasks, std::max<int64_t>(perTask, 1), bytes) &&
           bytes <= kMaxBytes && !llvm::MulOverflow(*tasks, int64_t{32}, lanes);
  }

  static bool isTileOp(Operation *op) {
    return isa<TileMatmulOp, TileScoreModOp, TileAddMaskOp, TileMaskOp,
               TileOnlineSoftmaxOp, TileNormalizeOp>(op);
  }

  /// Whether `op`, or an op it holds, satisfies `pred`.
  static bool holds(Operation *op, function_ref<bool(Operation *)> pred) {
    return op
        ->walk([&](Operation *inner) {
          return pred(inner) ? WalkResult::interrupt() : WalkResult::advance();
        })
        .wasInterrupted();
  }

  /// Whether `op` holds a tile op (or is one).
  static bool holdsTileOps(Operation *op) { return holds(op, isTileOp); }

  /// Whether `op` is an `scf.parallel` nested in a task: independent
  /// blocks whose iterations the warp's lanes share.
  static bool isLaneLoop(Operation *op) {
    auto loop = dyn_cast<scf::ParallelOp>(op);
    return loop && loop->getParentOfType<scf::ParallelOp>();
  }

  /// Whether `op` holds work split over the lanes: tile ops or lane loops.
  static bool holdsLaneWork(Operation *op) {
    return holds(op, [](Operation *inner) {
      return isTileOp(inner) || isLaneLoop(inner);
    });
  }

  /// Whether `op` multiplies on tensor cores.
  bool onTensorCores(TileMatmulOp op) const {
    return mma && isTensorCoreMatmul(op);
  }

  /// The function a task calls that holds tile ops (an attention task), to
  /// be inlined for the warps; null if none.
  func::FuncOp taskFunction(func::CallOp call) {
    auto f = symbols.lookup<func::FuncOp>(call.getCallee());
    if (!f || f.isExternal() || !llvm::hasSingleElement(f.getBody()) ||
        call.getNumResults() != 0)
      return {};
    return holdsTileOps(f) ? f : func::FuncOp();
  }

  /// Whether each task of `loop` (with its task function inlined) can run
  /// on a warp: it has tile ops or nested parallel loops (independent
  /// blocks, without reductions or tile ops of their own), and besides
  /// them it writes only its own scratch (allocas of static shape at the
  /// top of the task), so that its other code can run alike in the 32
  /// lanes and its scratch can be shared by them.
  bool isWarpTask(scf::ParallelOp loop) {
    bool work = false;
    auto check = [&](Block &top) {
      return !top.walk<WalkOrder::PreOrder>([&](Operation *op) {
                   if (isTileOp(op)) {
                     work = true;
                     return WalkResult::skip();
                   }
                   if (auto inner = dyn_cast<scf::ParallelOp>(op)) {
                     if (!inner.getInitVals().empty() || holdsTileOps(inner))
                       return WalkResult::interrupt();
                     work = true;
                     return WalkResult::skip();
                   }
                   if (auto alloca = dyn_cast<memref::AllocaOp>(op))
                     return op->getBlock() == &top &&
                                    alloca.getType().hasStaticShape() &&
                                    alloca.getType().getLayout().isIdentity() &&
                                    !alloca.getType().getMemorySpace()
                                ? WalkResult::advance()
                                : WalkResult::interrupt();
                   if (auto call = dyn_cast<func::CallOp>(op))
                     return op->getBlock() == &top && taskFunction(call)
                                ? WalkResult::advance()
                                : WalkResult::interrupt();
                   if (op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
                     return WalkResult::advance();
                   auto effects = dyn_cast<MemoryEffectOpInterface>(op);
                   if (!effects)
                     return WalkResult::interrupt();
                   SmallVector<MemoryEffects::EffectInstance> list;
                   effects.getEffects(list);
                   for (const MemoryEffects::EffectInstance &e : list) {
                     if (isa<MemoryEffects::Read>(e.getEffect()))
                       continue;
                     Value v = e.getValue();
                     auto scratch =
                         v ? viewRoot(v).getDefiningOp<memref::AllocaOp>()
                           : memref::AllocaOp();
                     if (!isa<MemoryEffects::Write>(e.getEffect()) ||
                         !scratch || scratch->getBlock() != &top)
                       return WalkResult::interrupt();
                   }
                   return WalkResult::advance();
                 })
                  .wasInterrupted();
    };
    if (!check(*loop.getBody()))
      return false;
    bool ok = true;
    loop.getBody()->walk([&](func::CallOp call) {
      if (func::FuncOp f = taskFunction(call))
        ok &= check(f.getBody().front());
    });
    return ok && work;
  }

  /// Replaces the 1-D `loop` over `tasks` tasks by a loop over their
  /// lanes, 32 per task: the task functions inlined, the scratch one slice
  /// per task of a buffer the lanes share, the tile ops lowered for the
  /// warp (products on tensor cores, the other ops row by row across the
  /// lanes) with a warp barrier after each write.
  scf::ParallelOp mapTasksToWarps(scf::ParallelOp loop,
                                  std::optional<int64_t> tasks) {
    // Inline the task functions.
    SmallVector<func::CallOp> calls;
    loop.getBody()->walk([&](func::CallOp call) { calls.push_back(call); });
    for (func::CallOp call : calls) {
      func::FuncOp f = taskFunction(call);
      IRMapping map;
      map.map(f.getArguments(), call.getOperands());
      OpBuilder cb(call);
      for (Operation &op : f.getBody().front().without_terminator())
        cb.clone(op, map);
      call.erase();
    }

    ImplicitLocOpBuilder b(loop.getLoc(), loop);
    auto cst = [&](int64_t v) { return arith::ConstantIndexOp::create(b, v); };
    // The scratch of every task, 64-byte aligned slices of one buffer.
    SmallVector<std::pair<memref::AllocaOp, int64_t>> scratch;
    int64_t perTask = 0;
    for (auto alloca : loop.getBody()->getOps<memref::AllocaOp>()) {
      scratch.push_back({alloca, perTask});
      perTask += scratchBytes(alloca);
    }
    Value buffer;
    if (perTask) {
      buffer = memref::AllocOp::create(
          b, MemRefType::get({*tasks * perTask}, b.getI8Type()),
          b.getI64IntegerAttr(64));
      OpBuilder after(loop->getContext());
      after.setInsertionPointAfter(loop);
      memref::DeallocOp::create(after, loop.getLoc(), buffer);
    }

    Value lb = loop.getLowerBound()[0], step = loop.getStep()[0];
    Value lanes =
        tasks
            ? Value(cst(*tasks * 32))
            : arith::MulIOp::create(
                  b, tripCount(b, lb, loop.getUpperBound()[0], step), cst(32));
    auto warps = scf::ParallelOp::create(b, ValueRange{cst(0)},
                                         ValueRange{lanes}, ValueRange{cst(1)});
    Block *body = warps.getBody();
    b.setInsertionPointToStart(body);
    Value t = warps.getInductionVars()[0];
    Value index = arith::DivUIOp::create(b, t, cst(32));
    Value task =
        arith::AddIOp::create(b, lb, arith::MulIOp::create(b, index, step));
    Value lane = arith::RemUIOp::create(b, t, cst(32));
    SmallVector<Value> fragments;
    if (emulateMMA)
      fragments = allocateEmulatedFragments(b, loop.getLoc());
    for (auto [alloca, offset] : scratch) {
      OpBuilder ab(alloca);
      Value at = arith::AddIOp::create(
          ab, alloca.getLoc(),
          arith::MulIOp::create(
              ab, alloca.getLoc(), index,
              arith::ConstantIndexOp::create(ab, alloca.getLoc(), perTask)),
          arith::ConstantIndexOp::create(ab, alloca.getLoc(), offset));
      Value view = memref::ViewOp::create(ab, alloca.getLoc(), alloca.getType(),
                                          buffer, at, ValueRange{});
      alloca.replaceAllUsesWith(view);
      alloca.erase();
    }
    loop.getInductionVars()[0].replaceAllUsesWith(task);
    Block *old = loop.getBody();
    Block *work = body;
    if (emulateMMA) {
      // On the host, lane 0 does its warp's work for all 32 lanes.
      Value first =
          arith::CmpIOp::create(b, arith::CmpIPredicate::eq, lane, cst(0));
      auto ifOp = scf::IfOp::create(b, first, /*withElseRegion=*/false);
      work = ifOp.thenBlock();
    }
    work->getOperations().splice(work->getTerminator()->getIterator(),
                                 old->getOperations(), old->begin(),
                                 std::prev(old->end()));
    loop.erase();
    if (!emulateMMA)
      insertWarpBarriers(*work);
    distributeLaneLoops(*work, lane);
    return lowerForWarp(warps, lane, fragments) ? warps : scf::ParallelOp();
  }

  /// max(0, ceil((ub - lb) / step)) for a positive step.
  static Value tripCount(ImplicitLocOpBuilder &b, Value lb, Value ub,
                         Value step) {
    Value n =
        arith::CeilDivSIOp::create(b, arith::SubIOp::create(b, ub, lb), step);
    return arith::MaxSIOp::create(b, n, arith::ConstantIndexOp::create(b, 0));
  }

  /// Spreads the iterations of each lane loop of a warp task over the
  /// lanes: the loop's iteration space, linearized with its first
  /// dimension outermost, is taken in steps of 32 from the lane's index (on
  /// the host, by lane 0 for each lane in turn).
  void distributeLaneLoops(Block &task, Value lane) {
    SmallVector<scf::ParallelOp> loops;
    task.walk<WalkOrder::PreOrder>([&](scf::ParallelOp loop) {
      loops.push_back(loop);
      return WalkResult::skip();
    });
    for (scf::ParallelOp loop : loops) {
      ImplicitLocOpBuilder b(loop.getLoc(), loop);
      auto cst = [&](int64_t v) {
        return arith::ConstantIndexOp::create(b, v);
      };
      SmallVector<Value> counts;
      Value total = cst(1);
      for (auto [lb, ub, step] : llvm::zip(
               loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
        counts.push_back(tripCount(b, lb, ub, step));
        total = arith::MulIOp::create(b, total, counts.back());
      }
      Value first = lane;
      if (emulateMMA) {
        auto lanes = scf::ForOp::create(b, cst(0), cst(32), cst(1));
        b.setInsertionPoint(lanes.getBody()->getTerminator());
        first = lanes.getInductionVar();
      }
      auto blocks = scf::ForOp::create(b, first, total, cst(32));
      b.setInsertionPoint(blocks.getBody()->getTerminator());
      Value rest = blocks.getInductionVar();
      SmallVector<Value> ivs(counts.size());
      for (int64_t d = counts.size() - 1; d >= 0; --d) {
        Value at = d ? arith::RemUIOp::create(b, rest, counts[d]) : rest;
        if (d)
          rest = arith::DivUIOp::create(b, rest, counts[d]);
        ivs[d] = arith::AddIOp::create(
            b, loop.getLowerBound()[d],
            arith::MulIOp::create(b, at, loop.getStep()[d]));
      }
      for (auto [from, to] : llvm::zip(loop.getInductionVars(), ivs))
        from.replaceAllUsesWith(to);
      Block *body = loop.getBody();
      b.getInsertionBlock()->getOperations().splice(
          b.getInsertionPoint(), body->getOperations(), body->begin(),
          std::prev(body->end()));
      loop.erase();
    }
  }

  /// Whether `op` may write memory.
  static bool mayWrite(Operation *op) {
    if (auto effects = dyn_cast<MemoryEffectOpInterface>(op))
      return effects.hasEffect<MemoryEffects::Write>();
    if (!op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return true;
    return op
        ->walk([&](Operation *inner) {
          return inner != op &&
                         !inner->hasTrait<
                             OpTrait::HasRecursiveMemoryEffects>() &&
                         mayWrite(inner)
                     ? WalkResult::interrupt()
                     : WalkResult::advance();
        })
        .wasInterrupted();
  }

  /// A warp barrier after each tile op and after each other write of the
  /// task, so that what one lane writes is seen by the others (and no
  /// lane's redundant write of the scratch lands after another's update).
  static void insertWarpBarriers(Block &block) {
    for (Operation &op : llvm::make_early_inc_range(block)) {
      if (!isTileOp(&op) && !isLaneLoop(&op) && holdsLaneWork(&op)) {
        for (Region &r : op.getRegions())
          for (Block &inner : r)
            insertWarpBarriers(inner);
        continue;
      }
      if (!isTileOp(&op) && !mayWrite(&op))
        continue;
      OpBuilder b(op.getContext());
      b.setInsertionPointAfter(&op);
      Value all =
          arith::ConstantIntOp::create(b, op.getLoc(), b.getI32Type(), -1);
      NVVM::SyncWarpOp::create(b, op.getLoc(), all);
    }
  }

  /// Lowers the tile ops of a warp task: products with an operand type on
  /// tensor cores, every other tile op row by row across the lanes (on the
  /// host: by lane 0 for each lane in turn).
  bool lowerForWarp(scf::ParallelOp warps, Value lane, ValueRange fragments) {
    SmallVector<Operation *> ops;
    warps.getBody()->walk([&](Operation *op) {
      if (isTileOp(op))
        ops.push_back(op);
      return isTileOp(op) ? WalkResult::skip() : WalkResult::advance();
    });
    kernel::KernelConfig config = kernel::getKernelConfig(module);
    for (Operation *op : ops) {
      if (auto mm = dyn_cast<TileMatmulOp>(op); mm && onTensorCores(mm)) {
        lowerTileMatmulToMMA(mm, lane, fragments);
        continue;
      }
      if (!emulateMMA) {
        if (failed(kernel::lowerTileOpRows(op, config, lane, 32)))
          return false;
        continue;
      }
      OpBuilder b(op);
      Location loc = op->getLoc();
      auto lanes =
          scf::ForOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, 0),
                             arith::ConstantIndexOp::create(b, loc, 32),
                             arith::ConstantIndexOp::create(b, loc, 1));
      b.setInsertionPoint(lanes.getBody()->getTerminator());
      Operation *copy = b.clone(*op);
      op->erase();
      if (failed(kernel::lowerTileOpRows(copy, config, lanes.getInductionVar(),
                                         32)))
        return false;
    }
    return true;
  }

  /// Collapses `loop` into one dimension, splits it into blocks of up to
  /// maxThreads threads and maps blocks and threads to x. One linear grid
  /// keeps every warp full whatever the shape (a task grid of 2 x 16 x 8
  /// tiles is 256 threads, not 8 per block) and has no 65535-block limit.
  LogicalResult map(scf::ParallelOp loop) {
    MLIRContext *ctx = loop.getContext();
    unsigned n = loop.getNumLoops();
    std::optional<int64_t> total = 1;
    for (unsigned d = 0; d < n && total; ++d) {
      std::optional<int64_t> e = extent(loop, d);
      int64_t product;
      if (!e || llvm::MulOverflow(*total, *e, product))
        total = std::nullopt;
      else
        total = product;
    }
    if (n > 1) {
      Operation *next = loop->getNextNode();
      IRRewriter rewriter(ctx);
      rewriter.setInsertionPoint(loop);
      std::vector<unsigned> dims(n);
      std::iota(dims.begin(), dims.end(), 0u);
      collapseParallelLoops(rewriter, loop, {dims});
      loop = dyn_cast_or_null<scf::ParallelOp>(next->getPrevNode());
      if (!loop)
        return next->emitError() << "cannot collapse a loop for the GPU";
    }
    if (isWarpTask(loop) && warpScratchFits(loop, total)) {
      loop = mapTasksToWarps(loop, total);
      if (!loop)
        return failure();
      if (total)
        *total *= 32;
    }
    // Whole warps, unless the loop has fewer iterations than one.
    int64_t threads = maxThreads;
    if (total && *total < maxThreads)
      threads = *total <= 32 ? std::max<int64_t>(*total, 1)
                             : llvm::alignTo(*total, 32);
    auto [outer, inner] =
        scf::tileParallelLoop(loop, {threads}, /*noMinMaxBounds=*/true);
    AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
    auto dim = [&](gpu::Processor p) {
      return gpu::ParallelLoopDimMappingAttr::get(ctx, p, id, id);
    };
    if (failed(gpu::setMappingAttr(outer, {dim(gpu::Processor::BlockX)})) ||
        failed(gpu::setMappingAttr(inner, {dim(gpu::Processor::ThreadX)})))
      return outer.emitError() << "cannot map the loop onto the GPU";
    // Loops nested in a kernel run sequentially in its threads.
    inner.getBody()->walk([&](scf::ParallelOp nested) {
      SmallVector<gpu::ParallelLoopDimMappingAttr> seq(
          nested.getNumLoops(), dim(gpu::Processor::Sequential));
      (void)gpu::setMappingAttr(nested, seq);
    });
    return success();
  }

  ModuleOp module;
  SymbolTable symbols;
  llvm::SetVector<func::FuncOp> device;
  int64_t maxThreads;
  bool remarks, mma, emulateMMA;
};

struct GPUMapLoopsPass
    : tessera::impl::TesseraGPUMapLoopsPassBase<GPUMapLoopsPass> {
  using Base::Base;
  void runOnOperation() override {
    if (maxThreads < 32 || maxThreads > 1024 || maxThreads % 32) {
      getOperation().emitError()
          << "max-threads must be a multiple of 32 in [32, 1024], got "
          << static_cast<int64_t>(maxThreads);
      return signalPassFailure();
    }
    if (failed(LoopMapper(getOperation(), maxThreads, remarks, mma, emulateMMA)
                   .run()))
      signalPassFailure();
  }
};

//===----------------------------------------------------------------------===//
// tessera-gpu-emulate-launches
//===----------------------------------------------------------------------===//

struct GPUEmulateLaunchesPass
    : tessera::impl::TesseraGPUEmulateLaunchesPassBase<GPUEmulateLaunchesPass> {
  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation()->walk([&](gpu::LaunchOp l) { launches.push_back(l); });
    for (gpu::LaunchOp launch : launches) {
      Region &body = launch.getBody();
      if (!llvm::hasSingleElement(body) || launch.getAsyncToken() ||
          launch.hasClusterSize() || launch.getDynamicSharedMemorySize()) {
        launch.emitError() << "only a synchronous single-block launch "
                              "without clusters or shared memory can be "
                              "emulated";
        return signalPassFailure();
      }
      Location loc = launch.getLoc();
      OpBuilder b(launch);
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      Value one = arith::ConstantIndexOp::create(b, loc, 1);
      gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
      gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
      SmallVector<Value> ubs = {grid.x,  grid.y,  grid.z,
                                block.x, block.y, block.z};
      auto loop = scf::ParallelOp::create(b, loc, SmallVector<Value>(6, zero),
                                          ubs, SmallVector<Value>(6, one));
      Block *src = &body.front();
      Block *dst = loop.getBody();
      src->getTerminator()->erase();
      gpu::KernelDim3 ids[] = {launch.getBlockIds(), launch.getThreadIds()};
      gpu::KernelDim3 sizes[] = {launch.getGridSize(), launch.getBlockSize()};
      for (int k = 0; k < 2; ++k) {
        for (auto [j, v] :
             llvm::enumerate(SmallVector<Value>{ids[k].x, ids[k].y, ids[k].z}))
          cast<BlockArgument>(v).replaceAllUsesWith(
              loop.getInductionVars()[3 * k + j]);
        for (auto [j, v] : llvm::enumerate(
                 SmallVector<Value>{sizes[k].x, sizes[k].y, sizes[k].z}))
          cast<BlockArgument>(v).replaceAllUsesWith(ubs[3 * k + j]);
      }
      dst->getOperations().splice(dst->begin(), src->getOperations());
      launch.erase();
      // The body becomes a function, as a task is: the OpenMP lowering
      // wraps a loop body in an alloca scope, which cannot hold the
      // control flow of the kernel's guards.
      IRRewriter rewriter(loop.getContext());
      std::string name;
      do
        name = ("__tessera_emulated_kernel_" + Twine(counter++)).str();
      while (SymbolTable::lookupSymbolIn(getOperation(), name));
      FailureOr<func::FuncOp> kernel =
          outlineSingleBlockRegion(rewriter, loc, loop.getRegion(), name);
      if (failed(kernel)) {
        loop.emitError() << "cannot outline an emulated kernel";
        return signalPassFailure();
      }
      kernel->setPrivate();
    }
  }
  unsigned counter = 0;
};

//===----------------------------------------------------------------------===//
// tessera-gpu-host-memory
//===----------------------------------------------------------------------===//

struct GPUHostMemoryPass
    : tessera::impl::TesseraGPUHostMemoryPassBase<GPUHostMemoryPass> {
  void runOnOperation() override {
    // The runtime must hand such a model host-shared inputs (and free its
    // results as such): the signature says so.
    appendSignatureLines(getOperation(), [](StringRef, StringRef signature) {
      return signature.contains("\ntarget ") ? std::string()
                                             : std::string("target cuda");
    });
    for (func::FuncOp f : hostFunctions(getOperation())) {
      SmallVector<Operation *> ops;
      f.walk([&](Operation *op) {
        if (isa<memref::AllocOp, memref::DeallocOp>(op))
          ops.push_back(op);
      });
      for (Operation *op : ops) {
        OpBuilder b(op);
        if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
          auto shared = gpu::AllocOp::create(
              b, alloc.getLoc(), alloc.getType(), /*asyncToken=*/Type(),
              ValueRange(), alloc.getDynamicSizes(), alloc.getSymbolOperands(),
              /*hostShared=*/true);
          alloc.replaceAllUsesWith(shared.getMemref());
        } else {
          // The runtime lowering frees on a stream: wait for one, free,
          // and wait for the free.
          auto dealloc = cast<memref::DeallocOp>(op);
          Location loc = dealloc.getLoc();
          Type token = gpu::AsyncTokenType::get(b.getContext());
          Value stream =
              gpu::WaitOp::create(b, loc, token, ValueRange()).getAsyncToken();
          Value freed =
              gpu::DeallocOp::create(b, loc, token, stream, dealloc.getMemref())
                  .getAsyncToken();
          gpu::WaitOp::create(b, loc, Type(), freed);
        }
        op->erase();
      }
    }
  }
};

//===----------------------------------------------------------------------===//
// tessera-gpu-fatbin
//===----------------------------------------------------------------------===//

/// A CUDA toolkit program: `<toolkit>/bin/<name>` if a toolkit is given;
/// else the configured toolkit's, CUDA_HOME's, CUDA_ROOT's, CUDA_PATH's or
/// PATH's, the first that exists.
std::optional<std::string> findTool(StringRef toolkit, StringRef name) {
  auto inRoot = [&](StringRef root) -> std::optional<std::string> {
    SmallString<256> path(root);
    llvm::sys::path::append(path, "bin", name);
    if (!root.empty() && llvm::sys::fs::can_execute(path))
      return std::string(path);
    return std::nullopt;
  };
  if (!toolkit.empty())
    return inRoot(toolkit);
  if (auto found = inRoot(TESSERA_CUDA_TOOLKIT))
    return found;
  for (const char *var : {"CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"})
    if (const char *root = std::getenv(var))
      if (auto found = inRoot(root))
        return found;
  if (auto found = llvm::sys::findProgramByName(name))
    return *found;
  return std::nullopt;
}

/// `sm_90a` -> `90a` (fatbinary's spelling).
StringRef smNumber(StringRef chip) { return chip.drop_front(3); }

struct TempFile {
  SmallString<128> path;
  LogicalResult create(Operation *op, StringRef suffix) {
    int fd;
    if (auto ec = llvm::sys::fs::createTemporaryFile("tessera-cuda", suffix, fd,
                                                     path))
      return op->emitError()
             << "cannot create a temporary file: " << ec.message();
    llvm::sys::Process::SafelyCloseFileDescriptor(fd);
    return success();
  }
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};

LogicalResult runTool(Operation *op, StringRef program,
                      ArrayRef<std::string> args, StringRef what) {
  TempFile log;
  if (failed(log.create(op, "log")))
    return failure();
  SmallVector<StringRef> argv = {program};
  for (const std::string &a : args)
    argv.push_back(a);
  std::optional<StringRef> redirects[] = {std::nullopt, log.path.str(),
                                          log.path.str()};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(program, argv, std::nullopt, redirects,
                                     /*SecondsToWait=*/0, 0, &error);
  if (rc == 0)
    return success();
  auto text = llvm::MemoryBuffer::getFile(log.path);
  InFlightDiagnostic diag = op->emitError() << what << " failed";
  if (!error.empty())
    diag << ": " << error;
  if (text && !(*text)->getBuffer().trim().empty())
    diag << ":\n" << (*text)->getBuffer().trim();
  return failure();
}

struct GPUFatbinPass : tessera::impl::TesseraGPUFatbinPassBase<GPUFatbinPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<gpu::BinaryOp> binaries(getOperation().getOps<gpu::BinaryOp>());
    if (binaries.empty())
      return;
    std::optional<std::string> ptxas = findTool(toolkit, "ptxas");
    std::optional<std::string> fatbinary = findTool(toolkit, "fatbinary");
    if (!ptxas || !fatbinary) {
      getOperation().emitError()
          << "the CUDA toolkit's " << (!ptxas ? "ptxas" : "fatbinary")
          << " was not found "
          << (toolkit.empty()
                  ? "(install the CUDA toolkit, set CUDA_HOME or put it on "
                    "PATH; --emit=ptx needs neither)"
                  : "in '" + toolkit + "/bin'");
      return signalPassFailure();
    }
    for (gpu::BinaryOp binary : binaries)
      if (failed(pack(binary, *ptxas, *fatbinary)))
        return signalPassFailure();
  }

  LogicalResult pack(gpu::BinaryOp binary, StringRef ptxas,
                     StringRef fatbinary) {
    std::vector<std::unique_ptr<TempFile>> files;
    SmallVector<std::string> fatArgs = {"--64", "--create"};
    TempFile &out = *files.emplace_back(std::make_unique<TempFile>());
    if (failed(out.create(binary, "fatbin")))
      return failure();
    fatArgs.push_back(out.path.str().str());
    Attribute firstTarget;
    gpu::KernelTableAttr kernels;
    for (Attribute attr : binary.getObjects()) {
      auto object = cast<gpu::ObjectAttr>(attr);
      auto target = dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget());
      if (!target || object.getFormat() != gpu::CompilationTarget::Assembly)
        return binary.emitError()
               << "expected PTX objects for NVVM targets (run "
                  "gpu-module-to-binary{format=isa} first)";
      StringRef chip = target.getChip();
      TempFile &ptx = *files.emplace_back(std::make_unique<TempFile>());
      TempFile &cubin = *files.emplace_back(std::make_unique<TempFile>());
      if (failed(ptx.create(binary, "ptx")) ||
          failed(cubin.create(binary, "cubin")))
        return failure();
      {
        std::error_code ec;
        llvm::raw_fd_ostream os(ptx.path, ec);
        if (ec)
          return binary.emitError() << "cannot write PTX: " << ec.message();
        // The serializer NUL-terminates the PTX.
        os << object.getObject().getValue().rtrim(StringRef("\0", 1));
      }
      if (failed(runTool(binary, ptxas,
                         {"-arch=" + chip.str(),
                          "-O" + std::to_string(target.getO()),
                          ptx.path.str().str(), "-o", cubin.path.str().str()},
                         ("ptxas for " + chip).str())))
        return failure();
      fatArgs.push_back(
          ("--image3=kind=elf,sm=" + smNumber(chip) + ",file=" + cubin.path)
              .str());
      if (!firstTarget) {
        // The first (lowest) architecture's PTX lets the driver compile for
        // GPUs newer than every cubin.
        fatArgs.push_back(
            ("--image3=kind=ptx,sm=" + smNumber(chip) + ",file=" + ptx.path)
                .str());
        firstTarget = target;
        kernels = object.getKernels();
      }
    }
    if (failed(runTool(binary, fatbinary, fatArgs, "fatbinary")))
      return failure();
    auto data = llvm::MemoryBuffer::getFile(out.path, /*IsText=*/false);
    if (!data)
      return binary.emitError() << "cannot read the fatbin";
    Builder b(binary.getContext());
    auto object = gpu::ObjectAttr::get(
        binary.getContext(), firstTarget, gpu::CompilationTarget::Fatbin,
        b.getStringAttr((*data)->getBuffer()), DictionaryAttr(), kernels);
    binary.setObjectsAttr(b.getArrayAttr({object}));
    return success();
  }
};

} // namespace
