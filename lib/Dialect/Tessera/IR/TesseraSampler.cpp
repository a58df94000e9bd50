//===- TesseraSampler.cpp - Diffusion sampling ops --------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers and decompositions of tessera.scheduler_step and tessera.sample.
// Both decompose (decompose phase) into linalg on tensors: the scheduler's
// float64 tables become f32 constants indexed by the step, and each step is
// one elementwise linalg.generic (plus, with a guidance rescale, one
// reduction for the two standard deviations); tessera.sample becomes an
// scf.for over the steps with the denoiser region inlined in its body.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/LinalgBuilder.h"
#include "tessera/Dialect/Tessera/IR/TesseraOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::tessera;

static RankedTensorType tensorOf(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Checks that `v` is a statically shaped f32 tensor of rank >= 1.
static LogicalResult verifyLatent(Operation *op, Value v, StringRef what) {
  RankedTensorType t = tensorOf(v);
  if (!t.getElementType().isF32())
    return op->emitOpError("expects an f32 ") << what << ", got " << t;
  if (t.getRank() < 1 || !t.hasStaticShape())
    return op->emitOpError("expects a statically shaped ")
           << what << " of rank >= 1 ([B, ...]), got " << t;
  return success();
}

//===----------------------------------------------------------------------===//
// Tables and the fused step
//===----------------------------------------------------------------------===//

namespace {

/// A schedule's tables as f32 constants, indexed by the step.
struct Tables {
  Value timestep, inputScale, level, a, b, c, d, p, q;

  Tables(OpBuilder &bld, Location loc, const SamplingSchedule &s) {
    auto make = [&](ArrayRef<double> v) -> Value {
      SmallVector<float> f(v.begin(), v.end());
      auto type = RankedTensorType::get({static_cast<int64_t>(f.size())},
                                        bld.getF32Type());
      return arith::ConstantOp::create(
          bld, loc, type, DenseElementsAttr::get(type, ArrayRef<float>(f)));
    };
    timestep = make(s.timestep);
    inputScale = make(s.inputScale);
    level = make(s.level);
    a = make(s.sampleCoef);
    b = make(s.outputCoef);
    c = make(s.noiseCoef);
    d = make(s.stateCoef);
    p = make(s.stateSampleCoef);
    q = make(s.stateOutputCoef);
  }

  static Value at(OpBuilder &bld, Location loc, Value table, Value i) {
    return tensor::ExtractOp::create(bld, loc, table, ValueRange{i});
  }
};

/// The step's coefficients, read once per step.
struct StepCoefficients {
  Value a, b, c, d, p, q;
};

/// Philox-4x32-10 (Salmon et al. 2011) on i32 words.
SmallVector<Value, 4> philox(OpBuilder &b, Location loc,
                             SmallVector<Value, 4> ctr, Value k0, Value k1) {
  Type i32 = b.getI32Type();
  auto cst = [&](uint32_t v) {
    return arith::ConstantOp::create(
        b, loc, i32, b.getIntegerAttr(i32, static_cast<int32_t>(v)));
  };
  Value m0 = cst(0xD2511F53u), m1 = cst(0xCD9E8D57u);
  Value w0 = cst(0x9E3779B9u), w1 = cst(0xBB67AE85u);
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 = arith::AddIOp::create(b, loc, k0, w0);
      k1 = arith::AddIOp::create(b, loc, k1, w1);
    }
    auto p0 = arith::MulUIExtendedOp::create(b, loc, m0, ctr[0]);
    auto p1 = arith::MulUIExtendedOp::create(b, loc, m1, ctr[2]);
    Value n0 = arith::XOrIOp::create(
        b, loc, arith::XOrIOp::create(b, loc, p1.getHigh(), ctr[1]), k0);
    Value n2 = arith::XOrIOp::create(
        b, loc, arith::XOrIOp::create(b, loc, p0.getHigh(), ctr[3]), k1);
    ctr = {n0, p1.getLow(), n2, p0.getLow()};
  }
  return ctr;
}

/// One N(0, 1) draw for element `n` (i64) at step `step` (i64) under
/// `seed` (i64), as documented on tessera.sample; f32.
Value gaussian(OpBuilder &b, Location loc, Value seed, Value n, Value step) {
  Type i32 = b.getI32Type(), i64 = b.getI64Type(), f64 = b.getF64Type();
  auto lo = [&](Value v) { return arith::TruncIOp::create(b, loc, i32, v); };
  auto hi = [&](Value v) {
    return lo(arith::ShRUIOp::create(
        b, loc, v,
        arith::ConstantOp::create(b, loc, i64, b.getIntegerAttr(i64, 32))));
  };
  Value zero = arith::ConstantOp::create(b, loc, i32, b.getIntegerAttr(i32, 0));
  SmallVector<Value, 4> w =
      philox(b, loc, {lo(n), hi(n), lo(step), zero}, lo(seed), hi(seed));
  auto f = [&](double v) {
    return arith::ConstantOp::create(b, loc, f64, b.getF64FloatAttr(v));
  };
  Value u1 = arith::MulFOp::create(
      b, loc,
      arith::AddFOp::create(b, loc, arith::UIToFPOp::create(b, loc, f64, w[0]),
                            f(1.0)),
      f(std::ldexp(1.0, -32)));
  Value u2 =
      arith::MulFOp::create(b, loc, arith::UIToFPOp::create(b, loc, f64, w[1]),
                            f(std::ldexp(1.0, -32)));
  Value r = math::SqrtOp::create(
      b, loc,
      arith::MulFOp::create(b, loc, f(-2.0), math::LogOp::create(b, loc, u1)));
  Value z = arith::MulFOp::create(
      b, loc, r,
      math::CosOp::create(b, loc,
                          arith::MulFOp::create(b, loc, f(2 * M_PI), u2)));
  return arith::TruncFOp::create(b, loc, b.getF32Type(), z);
}

/// Inputs of the fused step pass over a latent of shape [B, ...].
struct StepInputs {
  Value sample;
  /// The model output, or, with guidance, its unconditional and
  /// conditional halves and the per-sample rescale factor [B] (or null).
  Value output, uncond, cond, factor;
  double guidance = 1.0;
  Value noise;      // an operand (scheduler_step) ...
  Value seed, step; // ... or drawn here (tessera.sample), i64
  Value state;      // multistep state, or null
};

/// x' = A·x + B·m + C·z + D·h (and h' = P·x + Q·m) in one linalg.generic.
SmallVector<Value> fusedStep(OpBuilder &bld, Location loc, const StepInputs &in,
                             const StepCoefficients &k) {
  GenericBuilder g(bld, loc);
  RankedTensorType type = tensorOf(in.sample);
  unsigned rank = type.getRank();
  SmallVector<unsigned> all = GenericBuilder::iota(rank);
  SmallVector<Value> inputs = {in.sample};
  SmallVector<SmallVector<unsigned>> dims = {all};
  auto addInput = [&](Value v, SmallVector<unsigned> d) -> int {
    if (!v)
      return -1;
    inputs.push_back(v);
    dims.push_back(std::move(d));
    return inputs.size() - 1;
  };
  int iOut = addInput(in.output, all), iU = addInput(in.uncond, all),
      iC = addInput(in.cond, all), iF = addInput(in.factor, {0}),
      iZ = addInput(in.noise, all), iH = addInput(in.state, all);
  // Written over the sample and the state (read elementwise before), so
  // the loop's buffers are updated in place.
  SmallVector<Value> inits = {in.sample};
  if (in.state)
    inits.push_back(in.state);
  SmallVector<SmallVector<unsigned>> outDims(inits.size(), all);
  ArrayRef<int64_t> shape = type.getShape();
  return g.generic(
      rank, {}, inputs, dims, inits, outDims,
      [&](OpBuilder &b, Location l, ValueRange args) -> SmallVector<Value> {
        auto fma = [&](Value coef, Value v, Value acc) -> Value {
          Value p = arith::MulFOp::create(b, l, coef, v);
          return acc ? arith::AddFOp::create(b, l, acc, p).getResult() : p;
        };
        Value x = args[0], m;
        if (iOut >= 0) {
          m = args[iOut];
        } else {
          // g = u + s · (c − u), times the rescale factor.
          Value u = args[iU], c = args[iC];
          Value s = arith::ConstantOp::create(b, l, b.getF32Type(),
                                              b.getF32FloatAttr(in.guidance));
          m = fma(s, arith::SubFOp::create(b, l, c, u), u);
          if (iF >= 0)
            m = arith::MulFOp::create(b, l, m, args[iF]);
        }
        Value next = fma(k.b, m, fma(k.a, x, Value()));
        Value z;
        if (iZ >= 0) {
          z = args[iZ];
        } else if (in.seed) {
          Type i64 = b.getI64Type();
          Value n =
              arith::ConstantOp::create(b, l, i64, b.getI64IntegerAttr(0));
          for (unsigned dim = 0; dim < rank; ++dim) {
            Value id = arith::IndexCastOp::create(
                b, l, i64, linalg::IndexOp::create(b, l, dim));
            n = arith::AddIOp::create(
                b, l,
                arith::MulIOp::create(
                    b, l, n,
                    arith::ConstantOp::create(b, l, i64,
                                              b.getI64IntegerAttr(shape[dim]))),
                id);
          }
          z = gaussian(b, l, in.seed, n, in.step);
        }
        if (z)
          next = fma(k.c, z, next);
        if (iH < 0)
          return {next};
        next = fma(k.d, args[iH], next);
        return {next, fma(k.q, m, fma(k.p, x, Value()))};
      });
}

/// The step's coefficients at index `i` (index type).
StepCoefficients coefficientsAt(OpBuilder &b, Location loc, const Tables &t,
                                Value i) {
  return {Tables::at(b, loc, t.a, i), Tables::at(b, loc, t.b, i),
          Tables::at(b, loc, t.c, i), Tables::at(b, loc, t.d, i),
          Tables::at(b, loc, t.p, i), Tables::at(b, loc, t.q, i)};
}

} // namespace

/// The op's schedule, or its diagnostic on the op.
template <typename OpT> static FailureOr<SamplingSchedule> scheduleOf(OpT op) {
  return op.getScheduler().getSchedule(op.getNumInferenceSteps(),
                                       [&] { return op.emitOpError(); });
}

//===----------------------------------------------------------------------===//
// SchedulerStepOp
//===----------------------------------------------------------------------===//

LogicalResult SchedulerStepOp::verify() {
  if (failed(verifyLatent(*this, getSample(), "sample")))
    return failure();
  Type type = getSample().getType();
  if (getModelOutput().getType() != type || getPrevSample().getType() != type)
    return emitOpError("expects model_output and the result to have the "
                       "sample's type ")
           << type;
  FailureOr<SamplingSchedule> s = scheduleOf(*this);
  if (failed(s))
    return failure();
  if (s->usesNoise() != static_cast<bool>(getNoise()))
    return emitOpError(s->usesNoise()
                           ? "expects a noise operand: the scheduler adds noise"
                           : "expects no noise operand: the scheduler adds "
                             "none");
  if (getNoise() && getNoise().getType() != type)
    return emitOpError("expects noise of the sample's type ") << type;
  bool multistep = s->usesState();
  if (multistep != static_cast<bool>(getState()) ||
      multistep != static_cast<bool>(getNextState()))
    return emitOpError(multistep
                           ? "expects a state operand and a next-state result: "
                             "the scheduler is multistep"
                           : "expects no state: the scheduler is single-step");
  if (getState() &&
      (getState().getType() != type || getNextState().getType() != type))
    return emitOpError("expects the state and next state of the sample's type ")
           << type;
  return success();
}

LogicalResult SchedulerStepOp::decompose(RewriterBase &rewriter) {
  Location loc = getLoc();
  rewriter.setInsertionPoint(*this);
  FailureOr<SamplingSchedule> s = scheduleOf(*this);
  if (failed(s))
    return failure();
  int64_t n = s->size();
  declareValidRange(getStep(), 0, n);
  Tables tables(rewriter, loc, *s);
  // The step, clamped to [0, n).
  Value step =
      tensor::ExtractOp::create(rewriter, loc, getStep(), ValueRange{});
  Type i64 = rewriter.getI64Type();
  if (!step.getType().isInteger(64))
    step = arith::ExtSIOp::create(rewriter, loc, i64, step);
  auto c64 = [&](int64_t v) {
    return arith::ConstantOp::create(rewriter, loc, i64,
                                     rewriter.getI64IntegerAttr(v));
  };
  step = arith::MinSIOp::create(
      rewriter, loc, arith::MaxSIOp::create(rewriter, loc, step, c64(0)),
      c64(n - 1));
  Value i =
      arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(), step);
  StepInputs in;
  in.sample = getSample();
  in.output = getModelOutput();
  in.noise = getNoise();
  in.state = getState();
  SmallVector<Value> results =
      fusedStep(rewriter, loc, in, coefficientsAt(rewriter, loc, tables, i));
  rewriter.replaceOp(*this, results);
  return success();
}

//===----------------------------------------------------------------------===//
// SampleOp
//===----------------------------------------------------------------------===//

/// The batch the denoiser sees: 2B with guidance, else B.
static int64_t regionBatch(SampleOp op) {
  int64_t b = tensorOf(op.getLatent()).getShape()[0];
  return op.getGuidanceScaleAttr() ? 2 * b : b;
}

LogicalResult SampleOp::verify() {
  if (failed(verifyLatent(*this, getLatent(), "latent")))
    return failure();
  RankedTensorType latent = tensorOf(getLatent());
  if (getResult().getType() != latent)
    return emitOpError("expects the result to have the latent's type ")
           << latent;
  int64_t batch = latent.getShape()[0];
  for (Value c : getCond())
    if (tensorOf(c).getRank() < 1 || tensorOf(c).getShape()[0] != batch)
      return emitOpError("expects every cond tensor to have the latent's "
                         "batch ")
             << batch << " as its first dimension, got " << c.getType();
  std::optional<double> scale;
  if (FloatAttr a = getGuidanceScaleAttr())
    scale = a.getValueAsDouble();
  if (scale.has_value() != !getUncond().empty())
    return emitOpError("expects uncond operands exactly when guidance_scale "
                       "is set (classifier-free guidance)");
  if (scale) {
    if (!(std::abs(*scale) <= std::numeric_limits<float>::max()))
      return emitOpError("expects a finite guidance_scale (f32)");
    if (getUncond().size() != getCond().size())
      return emitOpError("expects one uncond tensor per cond tensor, got ")
             << getUncond().size() << " and " << getCond().size();
    for (auto [u, c] : llvm::zip(getUncond(), getCond()))
      if (u.getType() != c.getType())
        return emitOpError("expects each uncond tensor to have its cond "
                           "tensor's type ")
               << c.getType() << ", got " << u.getType();
  }
  double rescale = getGuidanceRescale().convertToDouble();
  if (!(rescale >= 0.0 && rescale <= std::numeric_limits<float>::max()))
    return emitOpError("expects a finite guidance_rescale >= 0, got ")
           << rescale;
  if (rescale != 0.0 && !scale)
    return emitOpError("expects guidance_scale with guidance_rescale");
  FailureOr<SamplingSchedule> s = scheduleOf(*this);
  if (failed(s))
    return failure();
  if (s->usesNoise() != static_cast<bool>(getSeed()))
    return emitOpError(
        s->usesNoise() ? "expects a seed operand: the scheduler adds noise"
                       : "expects no seed operand: the scheduler adds none");
  return success();
}

LogicalResult SampleOp::verifyRegions() {
  Block &body = getDenoiser().front();
  RankedTensorType latent = tensorOf(getLatent());
  int64_t rb = regionBatch(*this);
  auto withBatch = [&](RankedTensorType t) {
    SmallVector<int64_t> shape(t.getShape());
    shape[0] = rb;
    return RankedTensorType::get(shape, t.getElementType());
  };
  Type x = withBatch(latent);
  Type t = RankedTensorType::get({rb}, Float32Type::get(getContext()));
  SmallVector<Type> expected = {x, t};
  for (Value c : getCond())
    expected.push_back(withBatch(tensorOf(c)));
  for (Value v : getInputs())
    expected.push_back(v.getType());
  size_t n = body.getNumArguments();
  if (n != expected.size() && n != expected.size() + 1)
    return emitOpError("expects the denoiser region to take (x, t, cond..., "
                       "inputs...) and optionally the noise level, ")
           << expected.size() << " or " << expected.size() + 1
           << " arguments, got " << n;
  if (n == expected.size() + 1)
    expected.push_back(t);
  for (size_t i = 0; i < n; ++i)
    if (body.getArgument(i).getType() != expected[i])
      return emitOpError("expects denoiser argument #")
             << i << " of type " << expected[i] << ", got "
             << body.getArgument(i).getType();
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield || yield.getValue().getType() != x)
    return emitOpError("expects the denoiser to end with tessera.yield of ")
           << x;
  return success();
}

/// The guidance-rescale factor φ · std(c) / std(g) + (1 − φ) per sample of
/// u, c [B, ...] (g = u + s · (c − u)), as a tensor<Bxf32>: one vectorised
/// pass over each sample accumulating Σc, Σc², Σg, Σg² in f64 registers.
/// The (n − 1) of the unbiased standard deviations cancels in the ratio.
static Value rescaleFactors(OpBuilder &b, Location l, Value u, Value c,
                            double scale, double rescale) {
  RankedTensorType type = tensorOf(u);
  ArrayRef<int64_t> shape = type.getShape();
  int64_t batch = shape[0], n = 1;
  for (int64_t d : shape.drop_front())
    n *= d;
  SmallVector<ReassociationIndices> flat = {{0}, {}};
  for (unsigned d = 1; d < shape.size(); ++d)
    flat[1].push_back(d);
  if (shape.size() == 1)
    flat = {{0}};
  auto rows = [&](Value v) -> Value {
    if (shape.size() == 1)
      return tensor::ExpandShapeOp::create(
          b, l, RankedTensorType::get({batch, 1}, type.getElementType()), v,
          SmallVector<ReassociationIndices>{{0, 1}});
    return tensor::CollapseShapeOp::create(b, l, v, flat);
  };
  Value u2 = rows(u), c2 = rows(c);
  constexpr int64_t kWidth = 8;
  Type f32 = b.getF32Type(), f64 = b.getF64Type();
  auto vf32 = VectorType::get({kWidth}, f32);
  auto vf64 = VectorType::get({kWidth}, f64);
  auto idx = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
  auto cf64 = [&](OpBuilder &nb, double v) {
    return arith::ConstantOp::create(nb, l, f64, nb.getF64FloatAttr(v));
  };
  Value zero32 = arith::ConstantOp::create(b, l, f32, b.getF32FloatAttr(0.0));
  Value vzero = arith::ConstantOp::create(
      b, l, vf64, DenseElementsAttr::get(vf64, b.getF64FloatAttr(0.0)));
  Value vscale = arith::ConstantOp::create(
      b, l, vf64, DenseElementsAttr::get(vf64, b.getF64FloatAttr(scale)));
  Value init = tensor::EmptyOp::create(b, l, ArrayRef<int64_t>{batch}, f32);
  auto perSample = scf::ForOp::create(
      b, l, idx(0), idx(batch), idx(1), ValueRange{init},
      [&](OpBuilder &ob, Location, Value bi, ValueRange outer) {
        // Whole vectors in the loop (plain loads); a tail of n mod 8
        // values once, with a read that pads with 0 (which adds nothing).
        auto accumulate = [&](OpBuilder &ib, Value j, ValueRange acc,
                              bool inBounds) -> SmallVector<Value> {
          auto read = [&](Value t) -> Value {
            Value v = vector::TransferReadOp::create(ib, l, vf32, t,
                                                     ValueRange{bi, j}, zero32,
                                                     ArrayRef<bool>{inBounds});
            return arith::ExtFOp::create(ib, l, vf64, v);
          };
          Value vu = read(u2), vc = read(c2);
          Value g = arith::AddFOp::create(
              ib, l, vu,
              arith::MulFOp::create(ib, l, vscale,
                                    arith::SubFOp::create(ib, l, vc, vu)));
          auto add = [&](Value s, Value v) -> Value {
            return arith::AddFOp::create(ib, l, s, v);
          };
          return {add(acc[0], vc),
                  add(acc[1], arith::MulFOp::create(ib, l, vc, vc)),
                  add(acc[2], g),
                  add(acc[3], arith::MulFOp::create(ib, l, g, g))};
        };
        int64_t whole = n / kWidth * kWidth;
        auto loop = scf::ForOp::create(
            ob, l, idx(0), idx(whole), idx(kWidth),
            ValueRange{vzero, vzero, vzero, vzero},
            [&](OpBuilder &ib, Location, Value j, ValueRange acc) {
              scf::YieldOp::create(ib, l, accumulate(ib, j, acc, true));
            });
        SmallVector<Value> sums(loop.getResults());
        if (whole < n)
          sums = accumulate(ob, idx(whole), sums, false);
        SmallVector<Value> s;
        for (Value v : sums)
          s.push_back(vector::ReductionOp::create(
              ob, l, vector::CombiningKind::ADD, v));
        auto var = [&](Value sum, Value sq) {
          Value mean = arith::DivFOp::create(ob, l, sum,
                                             cf64(ob, static_cast<double>(n)));
          return arith::SubFOp::create(ob, l, sq,
                                       arith::MulFOp::create(ob, l, mean, sum));
        };
        Value ratio = math::SqrtOp::create(
            ob, l,
            arith::DivFOp::create(ob, l, var(s[0], s[1]), var(s[2], s[3])));
        Value f = arith::AddFOp::create(
            ob, l, arith::MulFOp::create(ob, l, cf64(ob, rescale), ratio),
            cf64(ob, 1.0 - rescale));
        Value next = tensor::InsertOp::create(
            ob, l, arith::TruncFOp::create(ob, l, f32, f), outer[0],
            ValueRange{bi});
        scf::YieldOp::create(ob, l, ValueRange{next});
      });
  return perSample.getResult(0);
}

LogicalResult SampleOp::decompose(RewriterBase &rewriter) {
  Location loc = getLoc();
  rewriter.setInsertionPoint(*this);
  FailureOr<SamplingSchedule> s = scheduleOf(*this);
  if (failed(s))
    return failure();
  GenericBuilder g(rewriter, loc);
  RankedTensorType latent = tensorOf(getLatent());
  ArrayRef<int64_t> shape = latent.getShape();
  int64_t rb = regionBatch(*this);
  bool cfg = static_cast<bool>(getGuidanceScaleAttr());
  Type f32 = rewriter.getF32Type(), i64 = rewriter.getI64Type();
  auto scalar = [&](double v) {
    return arith::ConstantOp::create(rewriter, loc, f32,
                                     rewriter.getF32FloatAttr(v));
  };
  auto scaled = [&](Value x, Value k) {
    return g.elementwise(x, tensorOf(x).getShape(), f32,
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::MulFOp::create(b, l, a[0], k);
                         });
  };
  // [a; b] along dimension 0.
  auto concat = [&](OpBuilder &b, Value x, Value y) -> Value {
    RankedTensorType t = tensorOf(x);
    SmallVector<int64_t> full(t.getShape());
    full[0] *= 2;
    Value out = tensor::EmptyOp::create(b, loc, full, t.getElementType());
    SmallVector<OpFoldResult> offs(t.getRank(), b.getIndexAttr(0)), sizes,
        ones(t.getRank(), b.getIndexAttr(1));
    for (int64_t d : t.getShape())
      sizes.push_back(b.getIndexAttr(d));
    out = tensor::InsertSliceOp::create(b, loc, x, out, offs, sizes, ones);
    offs[0] = b.getIndexAttr(t.getShape()[0]);
    return tensor::InsertSliceOp::create(b, loc, y, out, offs, sizes, ones);
  };
  // Half `which` (0 or 1) of v along dimension 0.
  auto half = [&](OpBuilder &b, Value v, int64_t which) -> Value {
    RankedTensorType t = tensorOf(v);
    SmallVector<int64_t> hs(t.getShape());
    hs[0] /= 2;
    SmallVector<OpFoldResult> offs(t.getRank(), b.getIndexAttr(0)), sizes,
        ones(t.getRank(), b.getIndexAttr(1));
    offs[0] = b.getIndexAttr(which * hs[0]);
    for (int64_t d : hs)
      sizes.push_back(b.getIndexAttr(d));
    return tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get(hs, t.getElementType()), v, offs, sizes,
        ones);
  };

  Value x0 = scaled(getLatent(), scalar(s->initNoiseSigma));
  SmallVector<Value> conds;
  for (auto [i, c] : llvm::enumerate(getCond()))
    conds.push_back(cfg ? concat(rewriter, getUncond()[i], c) : c);
  Value seed;
  if (getSeed()) {
    seed = tensor::ExtractOp::create(rewriter, loc, getSeed(), ValueRange{});
    if (!seed.getType().isInteger(64))
      seed = arith::ExtSIOp::create(rewriter, loc, i64, seed);
  }
  bool multistep = s->usesState();
  Tables tables(rewriter, loc, *s);
  SmallVector<Value> init = {x0};
  if (multistep)
    init.push_back(g.filled(shape, f32, 0.0));
  auto idx = [&](int64_t v) {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  double scale =
      getGuidanceScaleAttr() ? getGuidanceScaleAttr().getValueAsDouble() : 1.0;
  double rescale = getGuidanceRescale().convertToDouble();
  Block &body = getDenoiser().front();
  bool scalesInput =
      llvm::any_of(s->inputScale, [](double v) { return v != 1.0; });
  auto loop = scf::ForOp::create(
      rewriter, loc, idx(0), idx(s->size()), idx(1), init,
      [&](OpBuilder &b, Location l, Value i, ValueRange carried) {
        GenericBuilder gb(b, l);
        Value x = carried[0];
        Value input = x;
        if (scalesInput) {
          Value inputScale = Tables::at(b, l, tables.inputScale, i);
          input = gb.elementwise(
              x, shape, f32,
              [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                return arith::MulFOp::create(nb, nl, a[0], inputScale);
              });
        }
        if (cfg)
          input = concat(b, input, input);
        Value t =
            linalg::FillOp::create(b, l, Tables::at(b, l, tables.timestep, i),
                                   gb.empty({rb}, f32))
                .getResult(0);
        IRMapping map;
        map.map(body.getArgument(0), input);
        map.map(body.getArgument(1), t);
        unsigned argNo = 2;
        for (Value c : conds)
          map.map(body.getArgument(argNo++), c);
        for (Value v : getInputs())
          map.map(body.getArgument(argNo++), v);
        if (body.getNumArguments() > argNo) {
          Value level =
              linalg::FillOp::create(b, l, Tables::at(b, l, tables.level, i),
                                     gb.empty({rb}, f32))
                  .getResult(0);
          map.map(body.getArgument(argNo), level);
        }
        for (Operation &op : body.without_terminator())
          b.clone(op, map);
        Value out = map.lookup(cast<YieldOp>(body.getTerminator()).getValue());
        StepInputs in;
        in.sample = x;
        in.guidance = scale;
        if (cfg) {
          in.uncond = half(b, out, 0);
          in.cond = half(b, out, 1);
        } else {
          in.output = out;
        }
        if (cfg && rescale > 0.0) {
          in.factor = rescaleFactors(b, l, in.uncond, in.cond, scale, rescale);
        }
        if (seed) {
          in.seed = seed;
          in.step = arith::IndexCastOp::create(b, l, i64, i);
        }
        if (multistep)
          in.state = carried[1];
        SmallVector<Value> next =
            fusedStep(b, l, in, coefficientsAt(b, l, tables, i));
        scf::YieldOp::create(b, l, next);
      });
  rewriter.replaceOp(*this, loop.getResult(0));
  return success();
}
