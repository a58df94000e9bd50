//===- TileMMA.cpp - Tile products on tensor cores --------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// A tessera.tile_matmul whose operands are exact in f16 or bf16 becomes
// warp-wide m16n8k16 mma.sync instructions (f32 accumulation). C is covered
// by 16 × 8 blocks; a warp takes a row of blocks at a time, up to
// kMaxBlocks of them, their accumulators in registers over the whole
// reduction, and for each 16-deep step of K loads one A fragment and one
// B fragment per block straight from the tile's memory. The fragments are
// those of the PTX ISA for mma.m16n8k16 with .row.col layouts (lane l,
// g = l / 4, t = l % 4; each 32-bit register holds two entries, the first
// in its low half):
//
//   A (16 × 16): register r holds (g + 8·(r % 2), 2t + 8·(r / 2) + {0, 1})
//   B (16 × 8):  register r holds (2t + 8r + {0, 1}, g)
//   C (16 × 8):  entry r is (g + 8·(r / 2), 2t + r % 2)
//
// Entries past the edges of A and B read as zero (clamped address,
// select), so that any static shape works; C is written where it exists.
//
// The emulation for the host (tessera_target=cuda-emulate) keeps the loads
// and stores and replaces the instruction by a loop that finds each entry
// of A and B in the 32 lanes' registers through the inverse of the layout,
// so that a wrong fragment fails the CPU-executed suites.
//
//===----------------------------------------------------------------------===//

#include "TileMMA.h"
#include "tessera/Dialect/Tessera/Transforms/KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::tessera;
using namespace mlir::tessera::kernel;

namespace {

constexpr int64_t kM = 16, kN = 8, kK = 16, kWarp = 32;
/// Blocks of a row of C whose accumulators stay in registers (4 f32 each
/// per lane).
constexpr int64_t kMaxBlocks = 8;

Value add(ImplicitLocOpBuilder &b, Value x, int64_t c) {
  return c ? arith::AddIOp::create(b, x, idx(b, c)).getResult() : x;
}
Value add(ImplicitLocOpBuilder &b, Value x, Value y) {
  return arith::AddIOp::create(b, x, y);
}
Value mul(ImplicitLocOpBuilder &b, Value x, int64_t c) {
  return arith::MulIOp::create(b, x, idx(b, c));
}
Value div(ImplicitLocOpBuilder &b, Value x, int64_t c) {
  return arith::DivUIOp::create(b, x, idx(b, c));
}
Value rem(ImplicitLocOpBuilder &b, Value x, int64_t c) {
  return arith::RemUIOp::create(b, x, idx(b, c));
}

class MMALowering {
public:
  MMALowering(TileMatmulOp op, ValueRange fragments)
      : op(op), storage(*op.getOperandType()), fragments(fragments) {
    ArrayRef<int64_t> as = cast<MemRefType>(op.getA().getType()).getShape();
    m = as[0];
    k = as[1];
    n = cast<MemRefType>(op.getB().getType()).getShape()[1];
  }

  void lower(ImplicitLocOpBuilder &b, Value lane) {
    int64_t mBlocks = llvm::divideCeil(m, kM);
    int64_t nBlocks = llvm::divideCeil(n, kN);
    int64_t group = kMaxBlocks;
    while (nBlocks % group)
      --group;
    forLoop(b, idx(b, 0), idx(b, mBlocks * kM), kM,
            [&](ImplicitLocOpBuilder &b, Value m0) {
              forLoop(b, idx(b, 0), idx(b, nBlocks * kN), group * kN,
                      [&](ImplicitLocOpBuilder &b, Value n0) {
                        if (fragments.empty())
                          warpProducts(b, lane, m0, n0, group);
                        else
                          emulatedProducts(b, m0, n0, group);
                      });
            });
  }

private:
  /// The registers of one warp: the products of C's blocks
  /// [m0, m0 + 16) × [n0, n0 + 8·group).
  void warpProducts(ImplicitLocOpBuilder &b, Value lane, Value m0, Value n0,
                    int64_t group) {
    Value g = div(b, lane, 4), t = rem(b, lane, 4);
    SmallVector<Value> init(4 * group, f32(b, 0.0));
    SmallVector<Value> acc = forAccumulate(
        b, idx(b, 0), idx(b, llvm::divideCeil(k, kK) * kK), kK, init,
        [&](ImplicitLocOpBuilder &b, Value k0, ValueRange acc) {
          SmallVector<Value> a = loadA(b, g, t, m0, k0), next;
          for (int64_t j = 0; j < group; ++j)
            llvm::append_range(next,
                               mma(b, a, loadB(b, g, t, k0, add(b, n0, j * kN)),
                                   acc.slice(4 * j, 4)));
          return next;
        });
    for (int64_t j = 0; j < group; ++j)
      storeC(b, g, t, m0, add(b, n0, j * kN), ArrayRef(acc).slice(4 * j, 4));
  }

  /// The same products computed by one thread for the 32 lanes: fragments
  /// [32, 4] (A), [32, kMaxBlocks, 2] (B) and accumulators
  /// [32, kMaxBlocks, 4].
  void emulatedProducts(ImplicitLocOpBuilder &b, Value m0, Value n0,
                        int64_t group) {
    Value aFrag = fragments[0], bFrag = fragments[1], cFrag = fragments[2];
    auto forLanes =
        [&](ImplicitLocOpBuilder &b,
            function_ref<void(ImplicitLocOpBuilder &, Value, Value, Value)>
                fn) {
          forLoop(b, idx(b, 0), idx(b, kWarp), 1,
                  [&](ImplicitLocOpBuilder &b, Value l) {
                    fn(b, l, div(b, l, 4), rem(b, l, 4));
                  });
        };
    forLanes(b, [&](ImplicitLocOpBuilder &b, Value l, Value, Value) {
      for (int64_t j = 0; j < group; ++j)
        for (int64_t r = 0; r < 4; ++r)
          memref::StoreOp::create(b, f32(b, 0.0), cFrag,
                                  ValueRange{l, idx(b, j), idx(b, r)});
    });
    forLoop(
        b, idx(b, 0), idx(b, llvm::divideCeil(k, kK) * kK), kK,
        [&](ImplicitLocOpBuilder &b, Value k0) {
          forLanes(b, [&](ImplicitLocOpBuilder &b, Value l, Value g, Value t) {
            for (auto [r, v] : llvm::enumerate(loadA(b, g, t, m0, k0)))
              memref::StoreOp::create(b, v, aFrag, ValueRange{l, idx(b, r)});
            for (int64_t j = 0; j < group; ++j)
              for (auto [r, v] :
                   llvm::enumerate(loadB(b, g, t, k0, add(b, n0, j * kN))))
                memref::StoreOp::create(b, v, bFrag,
                                        ValueRange{l, idx(b, j), idx(b, r)});
          });
          forLoop(b, idx(b, 0), idx(b, group), 1,
                  [&](ImplicitLocOpBuilder &b, Value j) {
                    emulatedInstruction(b, j);
                  });
        });
    forLanes(b, [&](ImplicitLocOpBuilder &b, Value l, Value g, Value t) {
      for (int64_t j = 0; j < group; ++j) {
        SmallVector<Value> acc;
        for (int64_t r = 0; r < 4; ++r)
          acc.push_back(memref::LoadOp::create(
              b, cFrag, ValueRange{l, idx(b, j), idx(b, r)}));
        storeC(b, g, t, m0, add(b, n0, j * kN), acc);
      }
    });
  }

  /// D = A·B + C for block j of the emulated fragments, each entry looked
  /// up through the inverse of the layout.
  void emulatedInstruction(ImplicitLocOpBuilder &b, Value j) {
    Value aFrag = fragments[0], bFrag = fragments[1], cFrag = fragments[2];
    forLoop(
        b, idx(b, 0), idx(b, kWarp), 1, [&](ImplicitLocOpBuilder &b, Value l) {
          forLoop(
              b, idx(b, 0), idx(b, 4), 1,
              [&](ImplicitLocOpBuilder &b, Value r) {
                // D: lane l holds rows l/4 (entries 0, 1) and l/4 + 8 (2, 3),
                // the columns 2·(l % 4) and the next.
                Value row = add(b, div(b, l, 4), mul(b, div(b, r, 2), 8));
                Value col = add(b, mul(b, rem(b, l, 4), 2), rem(b, r, 2));
                Value c0 =
                    memref::LoadOp::create(b, cFrag, ValueRange{l, j, r});
                Value sum = forAccumulate(
                    b, idx(b, 0), idx(b, kK), 1, {c0},
                    [&](ImplicitLocOpBuilder &b, Value kk,
                        ValueRange acc) -> SmallVector<Value> {
                      // A[row, kk]: the lane of its row (mod 8) and column pair
                      // (mod 8), the register of its halves of rows and
                      // columns.
                      Value pair = div(b, rem(b, kk, 8), 2);
                      Value aLane = add(b, mul(b, rem(b, row, 8), 4), pair);
                      Value aReg =
                          add(b, mul(b, div(b, kk, 8), 2), div(b, row, 8));
                      Value a = unpack(b,
                                       memref::LoadOp::create(
                                           b, aFrag, ValueRange{aLane, aReg}),
                                       rem(b, kk, 2));
                      // B[kk, col]: the lane of its column and row pair, the
                      // register of its half of the rows.
                      Value bLane = add(b, mul(b, col, 4), pair);
                      Value bv = unpack(
                          b,
                          memref::LoadOp::create(
                              b, bFrag, ValueRange{bLane, j, div(b, kk, 8)}),
                          rem(b, kk, 2));
                      Value prod = arith::MulFOp::create(b, a, bv);
                      return {arith::AddFOp::create(b, acc[0], prod)};
                    })[0];
                memref::StoreOp::create(b, sum, cFrag, ValueRange{l, j, r});
              });
        });
  }

  /// tile[r, c] as f32, zero past rows × cols where an edge may be crossed
  /// (`checkRows`, `checkCols`).
  Value load(ImplicitLocOpBuilder &b, Value tile, Value r, Value c,
             bool checkRows, bool checkCols) {
    ArrayRef<int64_t> shape = cast<MemRefType>(tile.getType()).getShape();
    Value inside;
    auto clamp = [&](Value &i, int64_t size, bool check) {
      if (!check)
        return;
      Value in =
          arith::CmpIOp::create(b, arith::CmpIPredicate::ult, i, idx(b, size));
      inside = inside ? arith::AndIOp::create(b, inside, in).getResult() : in;
      i = arith::MinUIOp::create(b, i, idx(b, size - 1));
    };
    clamp(r, shape[0], checkRows);
    clamp(c, shape[1], checkCols);
    Value v = memref::LoadOp::create(b, tile, ValueRange{r, c});
    return inside ? arith::SelectOp::create(b, inside, v, f32(b, 0.0)) : v;
  }

  /// lo and hi rounded to the operand type, in one register: lo in the
  /// low half.
  Value pack(ImplicitLocOpBuilder &b, Value lo, Value hi) {
    auto bits = [&](Value v) -> Value {
      Value narrow = arith::TruncFOp::create(b, storage, v);
      Value i16 = arith::BitcastOp::create(b, b.getI16Type(), narrow);
      return arith::ExtUIOp::create(b, b.getI32Type(), i16);
    };
    Value sixteen = arith::ConstantIntOp::create(b, b.getI32Type(), 16);
    return arith::OrIOp::create(b, bits(lo),
                                arith::ShLIOp::create(b, bits(hi), sixteen));
  }

  /// The entry of `word`'s half `half` (0: low) as f32.
  Value unpack(ImplicitLocOpBuilder &b, Value word, Value half) {
    Value shift =
        arith::IndexCastOp::create(b, b.getI32Type(), mul(b, half, 16));
    Value bits = arith::TruncIOp::create(
        b, b.getI16Type(), arith::ShRUIOp::create(b, word, shift));
    Value narrow = arith::BitcastOp::create(b, storage, bits);
    return arith::ExtFOp::create(b, b.getF32Type(), narrow);
  }

  bool edgeM() const { return m % kM != 0; }
  bool edgeN() const { return n % kN != 0; }
  bool edgeK() const { return k % kK != 0; }

  SmallVector<Value> loadA(ImplicitLocOpBuilder &b, Value g, Value t, Value m0,
                           Value k0) {
    SmallVector<Value> regs;
    Value row0 = add(b, m0, g), col0 = add(b, k0, mul(b, t, 2));
    for (int64_t r = 0; r < 4; ++r) {
      Value row = add(b, row0, 8 * (r % 2)), col = add(b, col0, 8 * (r / 2));
      regs.push_back(
          pack(b, load(b, op.getA(), row, col, edgeM(), edgeK()),
               load(b, op.getA(), row, add(b, col, 1), edgeM(), edgeK())));
    }
    return regs;
  }

  SmallVector<Value> loadB(ImplicitLocOpBuilder &b, Value g, Value t, Value k0,
                           Value n0) {
    SmallVector<Value> regs;
    Value row0 = add(b, k0, mul(b, t, 2)), col = add(b, n0, g);
    for (int64_t r = 0; r < 2; ++r) {
      Value row = add(b, row0, 8 * r);
      regs.push_back(
          pack(b, load(b, op.getB(), row, col, edgeK(), edgeN()),
               load(b, op.getB(), add(b, row, 1), col, edgeK(), edgeN())));
    }
    return regs;
  }

  /// C[...] = (accumulate ? C : 0) + scale · acc + bias for this lane's
  /// four entries of the block at (m0, n0).
  void storeC(ImplicitLocOpBuilder &b, Value g, Value t, Value m0, Value n0,
              ArrayRef<Value> acc) {
    std::optional<float> scale;
    if (FloatAttr s = op.getScaleAttr(); s && s.getValueAsDouble() != 1.0)
      scale = s.getValueAsDouble();
    for (int64_t r = 0; r < 4; ++r) {
      Value row = add(b, add(b, m0, g), 8 * (r / 2));
      Value col = add(b, add(b, n0, mul(b, t, 2)), r % 2);
      auto write = [&](ImplicitLocOpBuilder &b) {
        Value x = acc[r];
        if (scale)
          x = arith::MulFOp::create(b, x, f32(b, *scale));
        Value base;
        if (op.getAccumulate())
          base = memref::LoadOp::create(b, op.getC(), ValueRange{row, col});
        if (Value bias = op.getBias()) {
          Value v = memref::LoadOp::create(b, bias, ValueRange{col});
          base = base ? arith::AddFOp::create(b, base, v).getResult() : v;
        }
        if (base)
          x = arith::AddFOp::create(b, base, x);
        memref::StoreOp::create(b, x, op.getC(), ValueRange{row, col});
      };
      Value inside;
      auto check = [&](Value i, int64_t size) {
        Value in = arith::CmpIOp::create(b, arith::CmpIPredicate::ult, i,
                                         idx(b, size));
        inside = inside ? arith::AndIOp::create(b, inside, in).getResult() : in;
      };
      if (edgeM())
        check(row, m);
      if (edgeN())
        check(col, n);
      if (inside)
        ifThen(b, inside, write);
      else
        write(b);
    }
  }

  /// One mma.sync: D = A·B + C for a 16 × 8 block.
  SmallVector<Value> mma(ImplicitLocOpBuilder &b, ArrayRef<Value> a,
                         ArrayRef<Value> bRegs, ValueRange c) {
    bool bf16 = storage.isBF16();
    auto operands = [&](ArrayRef<Value> regs) {
      SmallVector<Value> ops;
      for (Value r : regs)
        ops.push_back(
            bf16 ? r
                 : LLVM::BitcastOp::create(b, VectorType::get({2}, storage), r)
                       .getResult());
      return ops;
    };
    Type f32Type = b.getF32Type();
    auto result = LLVM::LLVMStructType::getLiteral(
        b.getContext(), SmallVector<Type>(4, f32Type));
    NVVM::MMATypes type = bf16 ? NVVM::MMATypes::bf16 : NVVM::MMATypes::f16;
    Value d = NVVM::MmaOp::create(
        b, result, operands(a), operands(bRegs), c,
        ArrayRef<int64_t>{kM, kN, kK}, std::nullopt, std::nullopt,
        std::array<NVVM::MMATypes, 2>{type, type},
        std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                       NVVM::MMALayout::col});
    SmallVector<Value> out;
    for (int64_t i = 0; i < 4; ++i)
      out.push_back(LLVM::ExtractValueOp::create(b, d, ArrayRef<int64_t>{i}));
    return out;
  }

  TileMatmulOp op;
  Type storage;
  ValueRange fragments;
  int64_t m, n, k;
};

} // namespace

bool mlir::tessera::isTensorCoreMatmul(TileMatmulOp op) {
  return op.getOperandType() && !op.getSkipMasked();
}

SmallVector<Value> mlir::tessera::allocateEmulatedFragments(OpBuilder &b,
                                                            Location loc) {
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  return {memref::AllocaOp::create(b, loc, MemRefType::get({kWarp, 4}, i32)),
          memref::AllocaOp::create(
              b, loc, MemRefType::get({kWarp, kMaxBlocks, 2}, i32)),
          memref::AllocaOp::create(
              b, loc, MemRefType::get({kWarp, kMaxBlocks, 4}, f32))};
}

void mlir::tessera::lowerTileMatmulToMMA(TileMatmulOp op, Value lane,
                                         ValueRange fragments) {
  ImplicitLocOpBuilder b(op.getLoc(), op);
  MMALowering(op, fragments).lower(b, lane);
  op.erase();
}
