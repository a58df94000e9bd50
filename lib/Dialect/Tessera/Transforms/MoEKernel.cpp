//===- MoEKernel.cpp - Grouped mixture-of-experts kernel ---------*- C++
//-*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Lowers tessera.moe (static shapes, f32) to routing, a counting sort and two
// grouped GEMMs, all on buffers of O(T·K·(d + f)) elements (K: slots per
// token from the RoutingPlan); no [T, E, f] buffer:
//
//   route      scf.parallel over token chunks: gate logits, softmax, top-k
//              -> sel[T·K] (expert or -1), w[T·K]; expert choice: scores
//              per token, then per expert a stable merge sort of its
//              tokens by score (O(T log T)) and the first C taken
//   histogram  one pass in token order: capacity drops, counts per expert
//   offsets    prefix sum; row tiles of at most kTileRows rows per expert
//   scatter    rows of each expert's group -> (token, slot)
//   up         scf.parallel (row tile, column chunk): x·W_upᵀ (+ W_gate) with
//              bias and activation in the epilogue -> H[T·K, f]
//   down       scf.parallel (row tile, column chunk): H·W_downᵀ + b, times
//              the routing weight -> P[T·K, d] at the row's slot
//   combine    scf.parallel over tokens: y_t = Σ_slots P (slot order) + Σ
//              shared experts (same grouped kernels, one group per expert)
//
// Row tiles come from the run-time offsets: an expert with no token has no
// tile, so its weights are never read, and no unrouted pair is computed.
// Every output element is written by one task and summed in a fixed order,
// so results do not depend on the thread count.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"
#include "tessera/Dialect/Tessera/Transforms/KernelBuilder.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <cmath>
#include <functional>

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERALOWERMOEPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;
using namespace mlir::tessera::kernel;

namespace {

using B = ImplicitLocOpBuilder;

/// Rows per parallel task, rows of one register block, and output columns
/// per parallel task.
constexpr int64_t kTileRows = 32;
constexpr int64_t kRowBlock = 4;
constexpr int64_t kColChunk = 64;

/// The register blocks of the grouped GEMMs: kRowBlock rows × `cols`
/// output columns, each column one accumulator per weight matrix read (two
/// for SwiGLU), such that the accumulators, one loaded vector per weight
/// row and one per input row fit the target's vector registers.
struct Blocking {
  KernelConfig config;
  int64_t upCols = 1, downCols = 1;

  explicit Blocking(const KernelConfig &config, bool swiglu) : config(config) {
    int64_t weights = (config.registers - 1) / (kRowBlock + 1);
    downCols = std::clamp<int64_t>(weights, 1, 6);
    upCols = std::clamp<int64_t>(weights / (swiglu ? 2 : 1), 1, 6);
  }
};
/// Tokens per parallel routing task.
constexpr int64_t kRouteChunk = 64;

Value add(B &b, Value x, Value y) { return arith::AddIOp::create(b, x, y); }
Value mul(B &b, Value x, Value y) { return arith::MulIOp::create(b, x, y); }
Value minI(B &b, Value x, Value y) { return arith::MinSIOp::create(b, x, y); }
Value cmp(B &b, arith::CmpIPredicate p, Value x, Value y) {
  return arith::CmpIOp::create(b, p, x, y);
}
Value ld(B &b, Value buf, ValueRange at) {
  return memref::LoadOp::create(b, buf, at);
}
void st(B &b, Value v, Value buf, ValueRange at) {
  memref::StoreOp::create(b, v, buf, at);
}
Value alloc(B &b, ArrayRef<int64_t> shape, Type et) {
  return memref::AllocOp::create(b, MemRefType::get(shape, et),
                                 IntegerAttr::get(b.getI64Type(), 64));
}
Value isNaN(B &b, Value x) {
  return arith::CmpFOp::create(b, arith::CmpFPredicate::UNO, x, x);
}
Value exp(B &b, Value x) { return math::ExpOp::create(b, x); }
Value silu(B &b, Value x) {
  Value one = f32(b, 1.0);
  return arith::DivFOp::create(
      b, x, arith::AddFOp::create(b, one, exp(b, arith::NegFOp::create(b, x))));
}
Value gelu(B &b, Value x) {
  Value e =
      math::ErfOp::create(b, arith::MulFOp::create(b, x, f32(b, M_SQRT1_2)));
  return arith::MulFOp::create(b, arith::MulFOp::create(b, f32(b, 0.5), x),
                               arith::AddFOp::create(b, f32(b, 1.0), e));
}

/// A constant index table as a read-only buffer.
Value tableBuffer(B &b, ArrayRef<int64_t> table) {
  SmallVector<APInt> v;
  for (int64_t e : table)
    v.push_back(APInt(64, e));
  auto tt = RankedTensorType::get({(int64_t)table.size()}, b.getI64Type());
  Value t = arith::ConstantOp::create(b, DenseElementsAttr::get(tt, v));
  return toBuffer(b, t);
}

/// The row tiles of one grouped GEMM and how a row maps to its token, its
/// output row and its routing weight.
struct Groups {
  Value numTiles;
  /// (expert, first row, end row) of a tile.
  std::function<std::array<Value, 3>(B &, Value)> tile;
  std::function<Value(B &, Value)> token, outRow;
  /// The routing weight of a row; null for weight 1.
  std::function<Value(B &, Value)> weight;
};

/// Row indices of a kRowBlock block at `r0` clamped to `end - 1` (rows past
/// the end are computed from a valid row and not stored).
SmallVector<Value> blockRows(B &b, Value r0, Value end) {
  SmallVector<Value> rows;
  Value last = arith::SubIOp::create(b, end, idx(b, 1));
  for (int64_t r = 0; r < kRowBlock; ++r)
    rows.push_back(minI(b, add(b, r0, idx(b, r)), last));
  return rows;
}

/// Runs `body(b, expert, rows, rowValid, col0)` for every register block of
/// every tile of `g` and every column block of [0, n).
void forEachBlock(
    B &b, const Groups &g, int64_t n, int64_t colBlock,
    function_ref<void(B &, Value, ArrayRef<Value>, ArrayRef<Value>, Value)>
        body) {
  // Whole column blocks per task: no column is computed by two tasks.
  int64_t chunk = std::max(colBlock, kColChunk / colBlock * colBlock);
  int64_t chunks = (n + chunk - 1) / chunk;
  parallelFor(b, {g.numTiles, idx(b, chunks)}, [&](B &b, ValueRange iv) {
    std::array<Value, 3> tile = g.tile(b, iv[0]);
    Value e = tile[0], begin = tile[1], end = tile[2];
    Value c0 = mul(b, iv[1], idx(b, chunk));
    Value c1 = minI(b, add(b, c0, idx(b, chunk)), idx(b, n));
    // The task's blocks are independent: a nested scf.parallel, run in
    // order on the CPU (tessera-serialize-nested-parallel), columns outer
    // so that a block's weight rows stay in cache across the tile; spread
    // over the lanes of a warp on the GPU (tessera-gpu-map-loops).
    parallelFor(b, {c0, begin}, {c1, end},
                {idx(b, colBlock), idx(b, kRowBlock)},
                [&](B &b, ValueRange block) {
                  Value col = block[0], r0 = block[1];
                  SmallVector<Value> rows = blockRows(b, r0, end), valid;
                  for (int64_t r = 0; r < kRowBlock; ++r)
                    valid.push_back(cmp(b, arith::CmpIPredicate::slt,
                                        add(b, r0, idx(b, r)), end));
                  body(b, e, rows, valid, col);
                });
  });
}

/// Columns of a `count`-column block at `c0` clamped to n - 1, and whether each
/// exists.
std::pair<SmallVector<Value>, SmallVector<Value>>
blockCols(B &b, Value c0, int64_t n, int64_t count) {
  SmallVector<Value> cols, valid;
  for (int64_t c = 0; c < count; ++c) {
    Value col = add(b, c0, idx(b, c));
    valid.push_back(cmp(b, arith::CmpIPredicate::slt, col, idx(b, n)));
    cols.push_back(minI(b, col, idx(b, n - 1)));
  }
  return {cols, valid};
}

/// H[row, :] = act(x[token(row)] · W_up[e]ᵀ + b_up[e]) (SwiGLU: silu of the
/// gate times the up projection).
void emitUp(B &b, const Blocking &blk, const Groups &g, Value x, Value wUp,
            Value wGate, Value bUp, Value bGate, MoeActivation act, int64_t d,
            int64_t f, Value h) {
  const int64_t kColBlock = blk.upCols;
  forEachBlock(
      b, g, f, kColBlock,
      [&](B &b, Value e, ArrayRef<Value> rows, ArrayRef<Value> rowValid,
          Value c0) {
        SmallVector<Value> cols, colValid;
        std::tie(cols, colValid) = blockCols(b, c0, f, kColBlock);
        SmallVector<RowRef> a, w;
        SmallVector<Value> toks;
        for (Value r : rows) {
          toks.push_back(g.token(b, r));
          a.push_back({x, {toks.back()}});
        }
        for (Value c : cols)
          w.push_back({wUp, {e, c}});
        if (wGate)
          for (Value c : cols)
            w.push_back({wGate, {e, c}});
        SmallVector<Value> acc = dotBlock(b, blk.config, d, a, w);
        size_t nw = w.size();
        for (int64_t r = 0; r < kRowBlock; ++r)
          for (int64_t c = 0; c < kColBlock; ++c) {
            Value u = acc[r * nw + c];
            if (bUp)
              u = arith::AddFOp::create(b, u, ld(b, bUp, {e, cols[c]}));
            Value v;
            if (act == MoeActivation::swiglu) {
              Value gt = acc[r * nw + kColBlock + c];
              if (bGate)
                gt = arith::AddFOp::create(b, gt, ld(b, bGate, {e, cols[c]}));
              v = arith::MulFOp::create(b, silu(b, gt), u);
            } else {
              v = act == MoeActivation::gelu ? gelu(b, u) : silu(b, u);
            }
            Value ok = arith::AndIOp::create(b, rowValid[r], colValid[c]);
            ifThen(b, ok, [&](B &b) { st(b, v, h, {rows[r], cols[c]}); });
          }
      });
}

/// P[outRow(row), :] = weight(row) · (H[row] · W_down[e]ᵀ + b_down[e]).
void emitDown(B &b, const Blocking &blk, const Groups &g, Value h, Value wDown,
              Value bDown, int64_t d, int64_t f, Value p) {
  const int64_t kColBlock = blk.downCols;
  forEachBlock(
      b, g, d, kColBlock,
      [&](B &b, Value e, ArrayRef<Value> rows, ArrayRef<Value> rowValid,
          Value c0) {
        SmallVector<Value> cols, colValid;
        std::tie(cols, colValid) = blockCols(b, c0, d, kColBlock);
        SmallVector<RowRef> a, w;
        for (Value r : rows)
          a.push_back({h, {r}});
        for (Value c : cols)
          w.push_back({wDown, {e, c}});
        SmallVector<Value> acc = dotBlock(b, blk.config, f, a, w);
        for (int64_t r = 0; r < kRowBlock; ++r) {
          Value out = g.outRow(b, rows[r]);
          Value wt = g.weight ? g.weight(b, rows[r]) : Value();
          for (int64_t c = 0; c < kColBlock; ++c) {
            Value v = acc[r * kColBlock + c];
            if (bDown)
              v = arith::AddFOp::create(b, v, ld(b, bDown, {e, cols[c]}));
            if (wt)
              v = arith::MulFOp::create(b, wt, v);
            Value ok = arith::AndIOp::create(b, rowValid[r], colValid[c]);
            ifThen(b, ok, [&](B &b) { st(b, v, p, {out, cols[c]}); });
          }
        }
      });
}

/// `better(l, best)` for the ranking "NaN first, then larger, ties to the
/// lower index" when candidates are scanned in increasing index order.
Value ranksBefore(B &b, Value l, Value best, Value haveBest) {
  Value ln = isNaN(b, l), bn = isNaN(b, best);
  Value gt = arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, l, best);
  Value notB = arith::XOrIOp::create(
      b, bn, arith::ConstantIntOp::create(b, b.getI1Type(), 1));
  Value wins = arith::OrIOp::create(b, arith::AndIOp::create(b, ln, notB),
                                    arith::AndIOp::create(b, notB, gt));
  return arith::OrIOp::create(
      b,
      arith::XOrIOp::create(b, haveBest,
                            arith::ConstantIntOp::create(b, b.getI1Type(), 1)),
      wins);
}

/// The index in [0, n) of the best not-yet-taken candidate.
Value selectBest(B &b, Value n, function_ref<Value(B &, Value)> score,
                 function_ref<Value(B &, Value)> taken) {
  Value none = idx(b, -1);
  SmallVector<Value> res = forAccumulate(
      b, idx(b, 0), n, 1, {none, f32(b, 0.0)},
      [&](B &b, Value j, ValueRange acc) -> SmallVector<Value> {
        Value l = score(b, j);
        Value have = cmp(b, arith::CmpIPredicate::sge, acc[0], idx(b, 0));
        Value take = arith::AndIOp::create(
            b, ranksBefore(b, l, acc[1], have),
            arith::XOrIOp::create(
                b, taken(b, j),
                arith::ConstantIntOp::create(b, b.getI1Type(), 1)));
        return {arith::SelectOp::create(b, take, j, acc[0]),
                arith::SelectOp::create(b, take, l, acc[1])};
      });
  return res[0];
}

struct MoELowering {
  MoEOp op;
  KernelConfig config;
  RoutingPlan plan;
  int64_t t = 0, d = 0, e = 0, f = 0, k = 0, perSample = 1;
  Value x, sel, wt;

  /// The run-time selector of token `tok` and whether it is in [0, rows).
  std::pair<Value, Value> selector(B &b, Value buf, Value tok, int64_t rows) {
    auto mt = cast<MemRefType>(buf.getType());
    SmallVector<Value> at;
    if (mt.getRank() == 1)
      at.push_back(arith::DivUIOp::create(b, tok, idx(b, perSample)));
    Value v = ld(b, buf, at);
    if (!v.getType().isInteger(64))
      v = arith::ExtSIOp::create(b, b.getI64Type(), v);
    Value ok = arith::AndIOp::create(
        b,
        arith::CmpIOp::create(
            b, arith::CmpIPredicate::sge, v,
            arith::ConstantIntOp::create(b, b.getI64Type(), 0)),
        arith::CmpIOp::create(
            b, arith::CmpIPredicate::slt, v,
            arith::ConstantIntOp::create(b, b.getI64Type(), rows)));
    Value i = arith::IndexCastOp::create(b, b.getIndexType(), v);
    return {arith::SelectOp::create(b, ok, i, idx(b, 0)), ok};
  }

  /// Token choice (also per task): logits over the allowed experts, top-k,
  /// softmax weights.
  void routeTokens(B &b, Value router, Value task, Value table) {
    int64_t m = plan.table.empty() ? e : plan.rowLength;
    // Scratch (logits, taken flags) per chunk of tokens, reused in the chunk.
    int64_t chunks = (t + kRouteChunk - 1) / kRouteChunk;
    Value logitsAll = alloc(b, {chunks, m}, b.getF32Type());
    Value takenAll = alloc(b, {chunks, m}, b.getI1Type());
    parallelFor(b, {idx(b, chunks)}, [&](B &b, ValueRange civ) {
      Value t0 = mul(b, civ[0], idx(b, kRouteChunk));
      Value t1 = minI(b, add(b, t0, idx(b, kRouteChunk)), idx(b, t));
      forLoop(b, t0, t1, 1, [&](B &b, Value tok) {
        Value base = mul(b, tok, idx(b, k));
        // Loops over the k slots (not unrolled): compile time and code size
        // do not grow with k.
        auto slot = [&](B &b, Value s) { return add(b, base, s); };
        forLoop(b, idx(b, 0), idx(b, k), 1, [&](B &b, Value s) {
          st(b, idx(b, -1), sel, {slot(b, s)});
          st(b, f32(b, 0.0), wt, {slot(b, s)});
        });
        Value tau, valid;
        if (task)
          std::tie(tau, valid) = selector(
              b, task, tok,
              cast<TaskConditionedRoutingAttr>(op.getRouting()).getTasks());
        auto body = [&](B &b) {
          Value logits = logitsAll, taken = takenAll, c = civ[0];
          auto expertOf = [&](B &b, Value j) -> Value {
            if (!table)
              return j;
            Value v = ld(b, table, {add(b, mul(b, tau, idx(b, m)), j)});
            return arith::IndexCastOp::create(b, b.getIndexType(), v);
          };
          forLoop(b, idx(b, 0), idx(b, m), 1, [&](B &b, Value j) {
            Value ex = expertOf(b, j);
            SmallVector<Value> pre;
            if (task)
              pre.push_back(tau);
            pre.push_back(ex);
            Value l = dotBlock(b, config, d, {RowRef{x, {tok}}},
                               {RowRef{router, pre}})[0];
            st(b, l, logits, {c, j});
            st(b, arith::ConstantIntOp::create(b, b.getI1Type(), 0), taken,
               {c, j});
          });
          // Slot s first holds the picked candidate's index in the allowed
          // list; the expert index replaces it at the end.
          auto pickedLogit = [&](B &b, Value s) {
            return ld(b, logits, {c, ld(b, sel, {slot(b, s)})});
          };
          forLoop(b, idx(b, 0), idx(b, k), 1, [&](B &b, Value s) {
            Value j = selectBest(
                b, idx(b, m),
                [&](B &b, Value j) {
                  return ld(b, logits, {c, j});
                },
                [&](B &b, Value j) {
                  return ld(b, taken, {c, j});
                });
            st(b, arith::ConstantIntOp::create(b, b.getI1Type(), 1), taken,
               {c, j});
            st(b, j, sel, {slot(b, s)});
          });
          // Softmax over all allowed experts or over the k picked ones.
          Value n = idx(b, plan.softmaxFirst ? m : k);
          auto logit = [&](B &b, Value j) -> Value {
            return plan.softmaxFirst ? ld(b, logits, {c, j})
                                     : pickedLogit(b, j);
          };
          Value mx = forAccumulate(
              b, idx(b, 0), n, 1, {f32(b, -INFINITY)},
              [&](B &b, Value j, ValueRange acc) {
                return SmallVector<Value>{
                    arith::MaximumFOp::create(b, acc[0], logit(b, j))};
              })[0];
          Value sum = forAccumulate(
              b, idx(b, 0), n, 1, {f32(b, 0.0)},
              [&](B &b, Value j, ValueRange acc) {
                return SmallVector<Value>{arith::AddFOp::create(
                    b, acc[0],
                    exp(b, arith::SubFOp::create(b, logit(b, j), mx)))};
              })[0];
          forLoop(b, idx(b, 0), idx(b, k), 1, [&](B &b, Value s) {
            st(b,
               arith::DivFOp::create(
                   b, exp(b, arith::SubFOp::create(b, pickedLogit(b, s), mx)),
                   sum),
               wt, {slot(b, s)});
          });
          if (plan.softmaxFirst && plan.renormalize) {
            Value total =
                forAccumulate(b, idx(b, 0), idx(b, k), 1, {f32(b, 0.0)},
                              [&](B &b, Value s, ValueRange acc) {
                                return SmallVector<Value>{arith::AddFOp::create(
                                    b, acc[0], ld(b, wt, {slot(b, s)}))};
                              })[0];
            forLoop(b, idx(b, 0), idx(b, k), 1, [&](B &b, Value s) {
              st(b, arith::DivFOp::create(b, ld(b, wt, {slot(b, s)}), total),
                 wt, {slot(b, s)});
            });
          }
          forLoop(b, idx(b, 0), idx(b, k), 1, [&](B &b, Value s) {
            st(b, expertOf(b, ld(b, sel, {slot(b, s)})), sel, {slot(b, s)});
          });
        };
        if (valid)
          ifThen(b, valid, body);
        else
          body(b);
      });
    });
  }

  /// Expert choice: scores S = softmax(x·W_gᵀ) in wt [T, E]; each expert
  /// marks its top-C tokens in sel.
  void routeExperts(B &b, Value router) {
    // Loops over the experts (not unrolled), so compile time does not grow
    // with E.
    parallelFor(b, {idx(b, t)}, [&](B &b, ValueRange iv) {
      Value tok = iv[0];
      Value base = mul(b, tok, idx(b, e));
      auto at = [&](B &b, Value j) { return add(b, base, j); };
      forLoop(b, idx(b, 0), idx(b, e), 1, [&](B &b, Value j) {
        st(b,
           dotBlock(b, config, d, {RowRef{x, {tok}}}, {RowRef{router, {j}}})[0],
           wt, {at(b, j)});
        st(b, idx(b, -1), sel, {at(b, j)});
      });
      Value mx =
          forAccumulate(b, idx(b, 0), idx(b, e), 1, {f32(b, -INFINITY)},
                        [&](B &b, Value j, ValueRange acc) {
                          return SmallVector<Value>{arith::MaximumFOp::create(
                              b, acc[0], ld(b, wt, {at(b, j)}))};
                        })[0];
      Value sum = forAccumulate(
          b, idx(b, 0), idx(b, e), 1, {f32(b, 0.0)},
          [&](B &b, Value j, ValueRange acc) {
            Value v =
                exp(b, arith::SubFOp::create(b, ld(b, wt, {at(b, j)}), mx));
            st(b, v, wt, {at(b, j)});
            return SmallVector<Value>{arith::AddFOp::create(b, acc[0], v)};
          })[0];
      forLoop(b, idx(b, 0), idx(b, e), 1, [&](B &b, Value j) {
        st(b, arith::DivFOp::create(b, ld(b, wt, {at(b, j)}), sum), wt,
           {at(b, j)});
      });
    });
    // Each expert sorts its tokens by score (a stable bottom-up merge sort:
    // O(T log T), ties keep the lower token first) and takes the first C.
    Value permA = alloc(b, {e, t}, b.getIndexType());
    Value permB = alloc(b, {e, t}, b.getIndexType());
    parallelFor(b, {idx(b, e)}, [&](B &b, ValueRange iv) {
      Value ex = iv[0];
      auto slot = [&](B &b, Value tok) {
        return add(b, mul(b, tok, idx(b, e)), ex);
      };
      auto score = [&](B &b, Value tok) { return ld(b, wt, {slot(b, tok)}); };
      forLoop(b, idx(b, 0), idx(b, t), 1, [&](B &b, Value i) {
        st(b, i, permA, {ex, i});
      });
      Value src = permA, dst = permB;
      for (int64_t w = 1; w < t; w *= 2) {
        forLoop(b, idx(b, 0), idx(b, t), 2 * w, [&](B &b, Value lo) {
          Value mid = minI(b, add(b, lo, idx(b, w)), idx(b, t));
          Value hi = minI(b, add(b, lo, idx(b, 2 * w)), idx(b, t));
          Value lastLeft = arith::SubIOp::create(b, mid, idx(b, 1));
          Value lastAll = arith::SubIOp::create(b, hi, idx(b, 1));
          forAccumulate(
              b, lo, hi, 1, {lo, mid},
              [&](B &b, Value p, ValueRange ij) -> SmallVector<Value> {
                Value a = ld(b, src, {ex, minI(b, ij[0], lastLeft)});
                Value c = ld(b, src, {ex, minI(b, ij[1], lastAll)});
                Value leftDone = cmp(b, arith::CmpIPredicate::sge, ij[0], mid);
                Value rightLeft = cmp(b, arith::CmpIPredicate::slt, ij[1], hi);
                Value first = ranksBefore(
                    b, score(b, c), score(b, a),
                    arith::ConstantIntOp::create(b, b.getI1Type(), 1));
                Value takeRight = arith::AndIOp::create(
                    b, rightLeft, arith::OrIOp::create(b, leftDone, first));
                st(b, arith::SelectOp::create(b, takeRight, c, a), dst,
                   {ex, p});
                Value one = idx(b, 1), zero = idx(b, 0);
                return {add(b, ij[0],
                            arith::SelectOp::create(b, takeRight, zero, one)),
                        add(b, ij[1],
                            arith::SelectOp::create(b, takeRight, one, zero))};
              });
        });
        std::swap(src, dst);
      }
      forLoop(b, idx(b, 0), idx(b, plan.capacity), 1, [&](B &b, Value i) {
        st(b, ex, sel, {slot(b, ld(b, src, {ex, i}))});
      });
    });
  }

  /// Table routing: the category's row, weight 1/m.
  void routeTable(B &b, Value category, Value table) {
    int64_t m = plan.rowLength;
    int64_t rows = plan.table.size() / m;
    parallelFor(b, {idx(b, t)}, [&](B &b, ValueRange iv) {
      Value tok = iv[0];
      Value c, valid;
      std::tie(c, valid) = selector(b, category, tok, rows);
      forLoop(b, idx(b, 0), idx(b, m), 1, [&](B &b, Value s) {
        Value ex = arith::IndexCastOp::create(
            b, b.getIndexType(),
            ld(b, table, {add(b, mul(b, c, idx(b, m)), s)}));
        Value at = add(b, mul(b, tok, idx(b, k)), s);
        st(b, arith::SelectOp::create(b, valid, ex, idx(b, -1)), sel, {at});
        st(b, f32(b, 1.0 / m), wt, {at});
      });
    });
  }
};

LogicalResult lowerMoE(MoEOp op, const KernelConfig &config) {
  auto xType = cast<RankedTensorType>(op.getInput().getType());
  auto upType = cast<RankedTensorType>(op.getWUp().getType());
  for (Value v : op->getOperands())
    if (!cast<RankedTensorType>(v.getType()).hasStaticShape())
      return success(); // convert-tessera-to-linalg reports these.
  if (!xType.getElementType().isF32())
    return success();
  if (op.getNumTokens() == 0 || xType.getShape().back() == 0) {
    // No token or no feature: an empty result, and no expert gets a token.
    B b(op.getLoc(), op);
    op.getResult().replaceAllUsesWith(
        tensor::EmptyOp::create(b, xType.getShape(), xType.getElementType()));
    if (Value n = op.getTokensPerExpert()) {
      auto nType = cast<RankedTensorType>(n.getType());
      n.replaceAllUsesWith(arith::ConstantOp::create(
          b, nType,
          DenseElementsAttr::get(nType,
                                 IntegerAttr::get(nType.getElementType(), 0))));
    }
    op.erase();
    return success();
  }
  FailureOr<RoutingPlan> plan = op.getRoutingPlan();
  if (failed(plan))
    return success();
  MoELowering L;
  L.config = config;
  L.op = op;
  L.plan = *plan;
  L.d = xType.getShape().back();
  L.t = op.getNumTokens();
  L.e = upType.getShape()[0];
  L.f = upType.getShape()[1];
  L.k = plan->slotsPerToken;
  L.perSample = xType.getRank() == 3 ? xType.getShape()[1] : L.t;
  int64_t t = L.t, d = L.d, e = L.e, f = L.f, k = L.k;
  int64_t fs =
      op.getSharedUp()
          ? cast<RankedTensorType>(op.getSharedUp().getType()).getShape()[1]
          : 1;
  if (f == 0 || fs == 0)
    return op.emitOpError("cannot be lowered: an expert hidden size of 0 is "
                          "not supported");
  int64_t tk = t * k;

  if (auto task = dyn_cast<TaskConditionedRoutingAttr>(op.getRouting()))
    declareValidRange(op.getTask(), 0, task.getTasks());
  if (auto cat = dyn_cast<CategoryConditionedRoutingAttr>(op.getRouting()))
    declareValidRange(op.getCategory(), 0, cat.getCategories());

  B b(op.getLoc(), op);
  Type et = b.getF32Type(), ix = b.getIndexType();
  Value x = op.getInput();
  if (xType.getRank() == 3)
    x = tensor::CollapseShapeOp::create(
        b, x, SmallVector<ReassociationIndices>{{0, 1}, {2}});
  L.x = x = toBuffer(b, x);
  Value router = toBuffer(b, op.getRouter());
  Value wUp = toBuffer(b, op.getWUp()), wDown = toBuffer(b, op.getWDown());
  Value wGate = toBuffer(b, op.getWGate());
  Value bUp = toBuffer(b, op.getBUp()), bDown = toBuffer(b, op.getBDown());
  Value bGate = toBuffer(b, op.getBGate());
  MoeActivation act = op.getActivation();

  // Routing table.
  L.sel = alloc(b, {tk}, ix);
  L.wt = alloc(b, {tk}, et);
  Value table = plan->table.empty() ? Value() : tableBuffer(b, plan->table);
  switch (plan->selection) {
  case RoutingPlan::Selection::TokensChooseExperts:
    L.routeTokens(b, router, toBuffer(b, op.getTask()), table);
    break;
  case RoutingPlan::Selection::ExpertsChooseTokens:
    L.routeExperts(b, router);
    break;
  case RoutingPlan::Selection::Table:
    L.routeTable(b, toBuffer(b, op.getCategory()), table);
    break;
  }
  Value sel = L.sel, wt = L.wt;

  // Histogram with capacity drops in token order, offsets, row tiles.
  Value cnt = alloc(b, {e}, ix), off = alloc(b, {e + 1}, ix);
  Value cursor = alloc(b, {e}, ix);
  // Routed rows: at most T·K, and at most C per expert (expert choice has
  // K = E slots per token but E·C rows).
  int64_t rows = tk;
  if (plan->capacity <= tk / e)
    rows = e * plan->capacity;
  int64_t maxTiles = (rows + kTileRows - 1) / kTileRows + e;
  Value tileE = alloc(b, {maxTiles}, ix), tileB = alloc(b, {maxTiles}, ix),
        tileEnd = alloc(b, {maxTiles}, ix);
  forLoop(b, idx(b, 0), idx(b, e), 1,
          [&](B &b, Value j) { st(b, idx(b, 0), cnt, {j}); });
  forLoop(b, idx(b, 0), idx(b, tk), 1, [&](B &b, Value i) {
    Value ex = ld(b, sel, {i});
    ifThen(b, cmp(b, arith::CmpIPredicate::sge, ex, idx(b, 0)), [&](B &b) {
      Value n = ld(b, cnt, {ex});
      Value keep = cmp(b, arith::CmpIPredicate::slt, n, idx(b, plan->capacity));
      st(b, arith::SelectOp::create(b, keep, add(b, n, idx(b, 1)), n), cnt,
         {ex});
      st(b, arith::SelectOp::create(b, keep, ex, idx(b, -1)), sel, {i});
    });
  });
  st(b, idx(b, 0), off, {idx(b, 0)});
  Value numTiles = forAccumulate(
      b, idx(b, 0), idx(b, e), 1, {idx(b, 0)},
      [&](B &b, Value j, ValueRange acc) -> SmallVector<Value> {
        Value lo = ld(b, off, {j});
        Value hi = add(b, lo, ld(b, cnt, {j}));
        st(b, hi, off, {add(b, j, idx(b, 1))});
        st(b, lo, cursor, {j});
        return forAccumulate(
            b, lo, hi, kTileRows, {acc[0]},
            [&](B &b, Value r, ValueRange n) -> SmallVector<Value> {
              st(b, j, tileE, {n[0]});
              st(b, r, tileB, {n[0]});
              st(b, minI(b, add(b, r, idx(b, kTileRows)), hi), tileEnd, {n[0]});
              return {add(b, n[0], idx(b, 1))};
            });
      })[0];
  // Scatter rows: token order within each expert's group; slotRow maps a
  // slot back to its row (-1: not routed).
  Value rowSlot = alloc(b, {rows}, ix), slotRow = alloc(b, {tk}, ix);
  forLoop(b, idx(b, 0), idx(b, tk), 1, [&](B &b, Value i) {
    Value ex = ld(b, sel, {i});
    st(b, idx(b, -1), slotRow, {i});
    ifThen(b, cmp(b, arith::CmpIPredicate::sge, ex, idx(b, 0)), [&](B &b) {
      Value p = ld(b, cursor, {ex});
      st(b, i, rowSlot, {p});
      st(b, p, slotRow, {i});
      st(b, add(b, p, idx(b, 1)), cursor, {ex});
    });
  });

  Groups routed;
  routed.numTiles = numTiles;
  routed.tile = [&](B &b, Value i) -> std::array<Value, 3> {
    return {ld(b, tileE, {i}), ld(b, tileB, {i}), ld(b, tileEnd, {i})};
  };
  routed.outRow = [](B &, Value r) { return r; };
  routed.token = [&](B &b, Value r) {
    return arith::DivUIOp::create(b, ld(b, rowSlot, {r}), idx(b, k));
  };
  routed.weight = [&](B &b, Value r) {
    return ld(b, wt, {ld(b, rowSlot, {r})});
  };
  Value h = alloc(b, {rows, f}, et), p = alloc(b, {rows, d}, et);
  Blocking blk(config, act == MoeActivation::swiglu);
  emitUp(b, blk, routed, x, wUp, wGate, bUp, bGate, act, d, f, h);
  emitDown(b, blk, routed, h, wDown, bDown, d, f, p);

  // Shared experts: one group of all T tokens each.
  Value q;
  int64_t numShared = 0;
  if (op.getSharedUp()) {
    auto sType = cast<RankedTensorType>(op.getSharedUp().getType());
    numShared = sType.getShape()[0];
    int64_t fs = sType.getShape()[1];
    int64_t tilesPer = (t + kTileRows - 1) / kTileRows;
    if (numShared > 0 && fs > 0) {
      Groups shared;
      shared.numTiles = idx(b, numShared * tilesPer);
      shared.tile = [&](B &b, Value i) -> std::array<Value, 3> {
        Value s = arith::DivUIOp::create(b, i, idx(b, tilesPer));
        Value lt = arith::RemUIOp::create(b, i, idx(b, tilesPer));
        Value begin =
            add(b, mul(b, s, idx(b, t)), mul(b, lt, idx(b, kTileRows)));
        Value end = minI(b, add(b, begin, idx(b, kTileRows)),
                         mul(b, add(b, s, idx(b, 1)), idx(b, t)));
        return {s, begin, end};
      };
      shared.token = [&](B &b, Value r) {
        return arith::RemUIOp::create(b, r, idx(b, t));
      };
      shared.outRow = [](B &, Value r) { return r; };
      Value hs = alloc(b, {numShared * t, fs}, et);
      q = alloc(b, {numShared * t, d}, et);
      emitUp(b, blk, shared, x, toBuffer(b, op.getSharedUp()),
             toBuffer(b, op.getSharedGate()), Value(), Value(), act, d, fs, hs);
      emitDown(b, blk, shared, hs, toBuffer(b, op.getSharedDown()), Value(), d,
               fs, q);
    } else {
      numShared = 0;
    }
  }

  // y_t = Σ_s P[row of slot t·K + s] over routed slots in slot order + Σ
  // shared.
  Value y = alloc(b, {t, d}, et);
  parallelFor(b, {idx(b, t)}, [&](B &b, ValueRange iv) {
    Value tok = iv[0];
    int64_t width = config.lanes();
    forEachVector(b, width, d, [&](B &b, Value c0) {
      Value lanes =
          minI(b, idx(b, width), arith::SubIOp::create(b, idx(b, d), c0));
      Value mask = vector::CreateMaskOp::create(
          b, VectorType::get({width}, b.getI1Type()), ValueRange{lanes});
      Value zero = splat(b, f32(b, 0.0), width);
      auto load = [&](B &b, Value buf, Value row) -> Value {
        return vector::MaskedLoadOp::create(b, vec(et, width), buf,
                                            ValueRange{row, c0}, mask, zero);
      };
      Value acc = accumulateOver(b, k, zero, [&](B &b, Value s, Value acc) {
        Value row = ld(b, slotRow, {add(b, mul(b, tok, idx(b, k)), s)});
        Value used = cmp(b, arith::CmpIPredicate::sge, row, idx(b, 0));
        auto ifOp = scf::IfOp::create(
            b, used,
            [&](OpBuilder &nb, Location l) {
              B ib(l, nb);
              scf::YieldOp::create(ib, ValueRange{arith::AddFOp::create(
                                           ib, acc, load(ib, p, row))});
            },
            [&](OpBuilder &nb, Location l) {
              scf::YieldOp::create(nb, l, ValueRange{acc});
            });
        return ifOp.getResult(0);
      });
      acc = accumulateOver(b, numShared, acc, [&](B &b, Value s, Value acc) {
        return arith::AddFOp::create(
            b, acc, load(b, q, add(b, mul(b, s, idx(b, t)), tok)));
      });
      vector::MaskedStoreOp::create(b, y, ValueRange{tok, c0}, mask, acc);
    });
  });

  Value result = bufferization::ToTensorOp::create(
      b, RankedTensorType::get({t, d}, et), y, /*restrict=*/true,
      /*writable=*/true);
  if (xType.getRank() == 3)
    result = tensor::ExpandShapeOp::create(
        b, xType, result, SmallVector<ReassociationIndices>{{0, 1}, {2}});
  op.getResult().replaceAllUsesWith(result);
  if (Value n = op.getTokensPerExpert()) {
    auto nType = cast<RankedTensorType>(n.getType());
    Type it = nType.getElementType();
    Value buf = alloc(b, {e}, it);
    forLoop(b, idx(b, 0), idx(b, e), 1, [&](B &b, Value j) {
      st(b, arith::IndexCastOp::create(b, it, ld(b, cnt, {j})), buf, {j});
    });
    n.replaceAllUsesWith(bufferization::ToTensorOp::create(
        b, nType, buf, /*restrict=*/true, /*writable=*/true));
  }
  op.erase();
  return success();
}

struct TesseraLowerMoEPass
    : tessera::impl::TesseraLowerMoEPassBase<TesseraLowerMoEPass> {
  void runOnOperation() override {
    KernelConfig config = getKernelConfig(getOperation());
    SmallVector<MoEOp> ops;
    getOperation()->walk([&](MoEOp op) { ops.push_back(op); });
    for (MoEOp op : ops)
      if (failed(lowerMoE(op, config)))
        return signalPassFailure();
  }
};

} // namespace
