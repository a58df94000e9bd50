//===- TesseraSchedulers.cpp - Diffusion scheduler tables -------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// SchedulerAttrInterface for the diffusers-compatible schedulers: each
// computes, in float64, the affine coefficients of every step of a run
// (see SamplingSchedule). The noise schedules, timestep spacings and step
// rules follow diffusers' DDIMScheduler, DDPMScheduler,
// EulerDiscreteScheduler, DPMSolverMultistepScheduler,
// FlowMatchEulerDiscreteScheduler and LCMScheduler; the independent NumPy
// reference is test/reference/schedulers.py.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::tessera;

using Diag = llvm::function_ref<InFlightDiagnostic()>;

/// Training timesteps accepted by every scheduler (tables are linear in it).
static constexpr int64_t kMaxTrainTimesteps = int64_t(1) << 20;

namespace {

/// `v` as an affine function a·x + b·m of the sample x and the model
/// output m.
struct Affine {
  double x = 0.0, m = 0.0;
  Affine operator*(double s) const { return {x * s, m * s}; }
  Affine operator+(const Affine &o) const { return {x + o.x, m + o.m}; }
};

/// The data prediction x0 and the noise prediction ε of a model output, at
/// noise level x = α·x0 + σ·ε.
std::pair<Affine, Affine> predictions(PredictionType type, double alpha,
                                      double sigma) {
  switch (type) {
  case PredictionType::epsilon:
    return {{1.0 / alpha, -sigma / alpha}, {0.0, 1.0}};
  case PredictionType::sample:
    return {{0.0, 1.0}, {1.0 / sigma, -alpha / sigma}};
  case PredictionType::v_prediction:
    // v = α·ε − σ·x0 with α² + σ² = 1.
    return {{alpha, -sigma}, {sigma, alpha}};
  }
  return {};
}

/// numpy.linspace(lo, hi, n).
SmallVector<double> linspace(double lo, double hi, int64_t n) {
  SmallVector<double> v(n);
  for (int64_t i = 0; i < n; ++i)
    v[i] = n == 1 ? lo : lo + (hi - lo) * static_cast<double>(i) / (n - 1);
  if (n > 1)
    v[n - 1] = hi;
  return v;
}

/// numpy.round (half to even).
double roundEven(double v) { return std::nearbyint(v); }

/// diffusers' "trailing" spacing: round(arange(N, 0, -N/n)) - 1. For some n
/// (61, 103, ... with N = 1000) the float arange has n + 1 entries and
/// diffusers silently runs a step at t = -1; those n are rejected.
LogicalResult trailingTimesteps(int64_t numTrain, int64_t n,
                                MutableArrayRef<double> ts, Diag emitError) {
  double ratio = static_cast<double>(numTrain) / n;
  if (static_cast<int64_t>(std::ceil(numTrain / ratio)) != n)
    return emitError() << "timestep_spacing = trailing is not defined for " << n
                       << " steps of " << numTrain << " (diffusers gives "
                       << n + 1 << " timesteps, the last -1)";
  for (int64_t i = 0; i < n; ++i)
    ts[i] = roundEven(numTrain - i * ratio) - 1.0;
  return success();
}

/// The keys shared by the discrete-time schedulers.
struct BetaConfig {
  int64_t numTrain;
  double betaStart, betaEnd;
  BetaSchedule schedule;
  PredictionType prediction;
  TimestepSpacing spacing;
  int64_t stepsOffset;
  bool zeroSnr;

  template <typename AttrT> static BetaConfig of(AttrT a) {
    return {a.getNumTrainTimesteps(),
            a.getBetaStart().convertToDouble(),
            a.getBetaEnd().convertToDouble(),
            a.getBetaSchedule(),
            a.getPredictionType(),
            a.getTimestepSpacing(),
            a.getStepsOffset(),
            a.getRescaleBetasZeroSnr()};
  }

  /// ᾱ_t for t in [0, numTrain) (diffusers' alphas_cumprod).
  FailureOr<SmallVector<double>> alphasCumprod(Diag emitError) const {
    if (numTrain < 1 || numTrain > kMaxTrainTimesteps)
      return emitError() << "expects num_train_timesteps in [1, "
                         << kMaxTrainTimesteps << "], got " << numTrain;
    if (!(betaStart >= 0.0 && betaEnd >= 0.0 && betaStart < 1.0 &&
          betaEnd < 1.0))
      return emitError() << "expects beta_start and beta_end in [0, 1)";
    SmallVector<double> betas(numTrain);
    switch (schedule) {
    case BetaSchedule::linear:
      betas = linspace(betaStart, betaEnd, numTrain);
      break;
    case BetaSchedule::scaled_linear:
      betas = linspace(std::sqrt(betaStart), std::sqrt(betaEnd), numTrain);
      for (double &b : betas)
        b *= b;
      break;
    case BetaSchedule::squaredcos_cap_v2: {
      auto alphaBar = [](double t) {
        double c = std::cos((t + 0.008) / 1.008 * M_PI / 2.0);
        return c * c;
      };
      for (int64_t i = 0; i < numTrain; ++i) {
        double t1 = static_cast<double>(i) / numTrain;
        double t2 = static_cast<double>(i + 1) / numTrain;
        betas[i] = std::min(1.0 - alphaBar(t2) / alphaBar(t1), 0.999);
      }
      break;
    }
    }
    SmallVector<double> ac(numTrain);
    double prod = 1.0;
    for (int64_t i = 0; i < numTrain; ++i)
      ac[i] = prod *= 1.0 - betas[i];
    if (zeroSnr && numTrain > 1) {
      // Lin et al. 2024: shift sqrt(ᾱ) so that its last value is 0 and
      // scale it so that its first is unchanged.
      double first = std::sqrt(ac.front()), last = std::sqrt(ac.back());
      for (double &a : ac) {
        double s = (std::sqrt(a) - last) * first / (first - last);
        a = s * s;
      }
    }
    return ac;
  }

  /// ᾱ for the σ-space schedulers (Euler, DPM-Solver++): with zero terminal
  /// SNR the last ᾱ is 2^-24 so that σ stays finite (as diffusers does),
  /// and at most numTrain steps.
  FailureOr<SmallVector<double>> sigmaAlphasCumprod(int64_t n,
                                                    Diag emitError) const {
    if (n > numTrain)
      return emitError() << "expects at most num_train_timesteps = " << numTrain
                         << " inference steps, got " << n;
    auto ac = alphasCumprod(emitError);
    if (succeeded(ac) && zeroSnr)
      ac->back() = std::pow(2.0, -24);
    return ac;
  }

  /// The inference timesteps of DDIM / DDPM / LCM-style discrete schedulers
  /// (diffusers' set_timesteps), largest first.
  FailureOr<SmallVector<double>> discreteTimesteps(int64_t n,
                                                   Diag emitError) const {
    if (n > numTrain)
      return emitError() << "expects at most num_train_timesteps = " << numTrain
                         << " inference steps, got " << n;
    SmallVector<double> ts(n);
    switch (spacing) {
    case TimestepSpacing::linspace: {
      SmallVector<double> l = linspace(0.0, numTrain - 1, n);
      for (int64_t i = 0; i < n; ++i)
        ts[i] = roundEven(l[n - 1 - i]);
      break;
    }
    case TimestepSpacing::leading: {
      int64_t ratio = numTrain / n;
      for (int64_t i = 0; i < n; ++i)
        ts[i] = static_cast<double>((n - 1 - i) * ratio + stepsOffset);
      break;
    }
    case TimestepSpacing::trailing:
      if (failed(trailingTimesteps(numTrain, n, ts, emitError)))
        return failure();
      break;
    }
    for (double t : ts)
      if (t < 0 || t >= numTrain)
        return emitError() << "timestep " << static_cast<int64_t>(t)
                           << " (from steps_offset) is outside [0, " << numTrain
                           << ")";
    return ts;
  }
};

/// Starts a schedule of `n` steps with every coefficient 0 and S = 1.
SamplingSchedule emptySchedule(int64_t n) {
  SamplingSchedule s;
  for (auto *v :
       {&s.timestep, &s.level, &s.sampleCoef, &s.outputCoef, &s.noiseCoef,
        &s.stateCoef, &s.stateSampleCoef, &s.stateOutputCoef})
    v->assign(n, 0.0);
  s.inputScale.assign(n, 1.0);
  return s;
}

/// Rejects a schedule with a non-finite coefficient (e.g. an ε-prediction
/// at ᾱ = 0 from rescale_betas_zero_snr).
FailureOr<SamplingSchedule> checked(SamplingSchedule s, Diag emitError) {
  for (int64_t i = 0; i < s.size(); ++i)
    for (const auto *v :
         {&s.timestep, &s.inputScale, &s.level, &s.sampleCoef, &s.outputCoef,
          &s.noiseCoef, &s.stateCoef, &s.stateSampleCoef, &s.stateOutputCoef})
      if (!std::isfinite((*v)[i]))
        return emitError() << "gives a non-finite coefficient at step " << i
                           << " (e.g. ε-prediction at ᾱ = 0: use "
                              "prediction_type = v_prediction with "
                              "rescale_betas_zero_snr)";
  if (!std::isfinite(s.initNoiseSigma))
    return emitError() << "gives a non-finite init_noise_sigma";
  return s;
}

/// σ(t) for fractional t by linear interpolation of `sigmas` over integer
/// timesteps (numpy.interp).
double interp(ArrayRef<double> sigmas, double t) {
  int64_t n = sigmas.size();
  if (t <= 0)
    return sigmas.front();
  if (t >= n - 1)
    return sigmas.back();
  int64_t lo = static_cast<int64_t>(std::floor(t));
  double w = t - lo;
  return sigmas[lo] * (1.0 - w) + sigmas[lo + 1] * w;
}

/// Karras et al. (2022) σ spacing with ρ = 7 between the ends of `sigmas`.
SmallVector<double> karras(double sigmaMin, double sigmaMax, int64_t n) {
  const double rho = 7.0;
  double lo = std::pow(sigmaMin, 1.0 / rho), hi = std::pow(sigmaMax, 1.0 / rho);
  SmallVector<double> ramp = linspace(0.0, 1.0, n), out(n);
  for (int64_t i = 0; i < n; ++i)
    out[i] = std::pow(hi + ramp[i] * (lo - hi), rho);
  return out;
}

/// The fractional training timestep of σ: linear interpolation in log σ
/// between the two neighbouring training sigmas (diffusers' _sigma_to_t).
double sigmaToT(ArrayRef<double> trainSigmas, double sigma) {
  int64_t n = trainSigmas.size();
  double ls = std::log(std::max(sigma, 1e-10));
  // Index of the last training sigma <= σ (sigmas increase with t).
  int64_t low = 0;
  for (int64_t i = 0; i < n; ++i)
    if (ls - std::log(trainSigmas[i]) >= 0)
      low = i;
  low = std::min<int64_t>(low, n - 2);
  double l0 = std::log(trainSigmas[low]), l1 = std::log(trainSigmas[low + 1]);
  double w = std::clamp((l0 - ls) / (l0 - l1), 0.0, 1.0);
  return (1.0 - w) * low + w * (low + 1);
}

SmallVector<double> trainSigmas(ArrayRef<double> ac) {
  SmallVector<double> s;
  for (double a : ac)
    s.push_back(std::sqrt((1.0 - a) / a));
  return s;
}

} // namespace

//===----------------------------------------------------------------------===//
// DDIM
//===----------------------------------------------------------------------===//

FailureOr<SamplingSchedule>
DDIMSchedulerAttr::getSchedule(int64_t n, Diag emitError) const {
  BetaConfig cfg = BetaConfig::of(*this);
  double eta = getEta().convertToDouble();
  if (!(eta >= 0.0 && std::isfinite(eta)))
    return emitError() << "expects eta >= 0, got " << eta;
  auto ac = cfg.alphasCumprod(emitError);
  if (failed(ac))
    return failure();
  auto ts = cfg.discreteTimesteps(n, emitError);
  if (failed(ts))
    return failure();
  double finalAlpha = getSetAlphaToOne() ? 1.0 : ac->front();
  int64_t ratio = cfg.numTrain / n;
  SamplingSchedule s = emptySchedule(n);
  s.stochastic = eta > 0.0;
  for (int64_t i = 0; i < n; ++i) {
    int64_t t = static_cast<int64_t>((*ts)[i]), prev = t - ratio;
    double a = (*ac)[t], ap = prev >= 0 ? (*ac)[prev] : finalAlpha;
    auto [x0, eps] =
        predictions(cfg.prediction, std::sqrt(a), std::sqrt(1 - a));
    double var = (1 - ap) / (1 - a) * (1 - a / ap);
    double sigma = eta * std::sqrt(std::max(var, 0.0));
    Affine next = x0 * std::sqrt(ap) +
                  eps * std::sqrt(std::max(1 - ap - sigma * sigma, 0.0));
    s.timestep[i] = t;
    s.level[i] = a;
    s.sampleCoef[i] = next.x;
    s.outputCoef[i] = next.m;
    s.noiseCoef[i] = sigma;
  }
  return checked(std::move(s), emitError);
}

//===----------------------------------------------------------------------===//
// DDPM
//===----------------------------------------------------------------------===//

FailureOr<SamplingSchedule>
DDPMSchedulerAttr::getSchedule(int64_t n, Diag emitError) const {
  BetaConfig cfg = BetaConfig::of(*this);
  auto ac = cfg.alphasCumprod(emitError);
  if (failed(ac))
    return failure();
  auto ts = cfg.discreteTimesteps(n, emitError);
  if (failed(ts))
    return failure();
  SamplingSchedule s = emptySchedule(n);
  s.stochastic = true;
  for (int64_t i = 0; i < n; ++i) {
    // The previous timestep is the next one in the list (-1 after the last).
    int64_t t = static_cast<int64_t>((*ts)[i]);
    int64_t prev = i + 1 < n ? static_cast<int64_t>((*ts)[i + 1]) : -1;
    double a = (*ac)[t], ap = prev >= 0 ? (*ac)[prev] : 1.0;
    double curAlpha = a / ap, curBeta = 1 - curAlpha;
    Affine x0 =
        predictions(cfg.prediction, std::sqrt(a), std::sqrt(1 - a)).first;
    double c0 = std::sqrt(ap) * curBeta / (1 - a);
    double ct = std::sqrt(curAlpha) * (1 - ap) / (1 - a);
    Affine next = x0 * c0 + Affine{ct, 0.0};
    double var = std::max((1 - ap) / (1 - a) * curBeta, 1e-20);
    s.timestep[i] = t;
    s.level[i] = a;
    s.sampleCoef[i] = next.x;
    s.outputCoef[i] = next.m;
    s.noiseCoef[i] = t > 0 ? std::sqrt(var) : 0.0;
  }
  return checked(std::move(s), emitError);
}

//===----------------------------------------------------------------------===//
// Euler discrete
//===----------------------------------------------------------------------===//

FailureOr<SamplingSchedule>
EulerSchedulerAttr::getSchedule(int64_t n, Diag emitError) const {
  BetaConfig cfg = BetaConfig::of(*this);
  auto ac = cfg.sigmaAlphasCumprod(n, emitError);
  if (failed(ac))
    return failure();
  SmallVector<double> train = trainSigmas(*ac);
  SmallVector<double> ts(n);
  switch (cfg.spacing) {
  case TimestepSpacing::linspace: {
    // Fractional timesteps, rounded to float32 as diffusers stores them.
    SmallVector<double> l = linspace(0.0, cfg.numTrain - 1, n);
    for (int64_t i = 0; i < n; ++i)
      ts[i] = static_cast<float>(l[n - 1 - i]);
    break;
  }
  case TimestepSpacing::leading: {
    int64_t ratio = cfg.numTrain / n;
    for (int64_t i = 0; i < n; ++i)
      ts[i] = static_cast<double>((n - 1 - i) * ratio + cfg.stepsOffset);
    break;
  }
  case TimestepSpacing::trailing:
    if (failed(trailingTimesteps(cfg.numTrain, n, ts, emitError)))
      return failure();
    break;
  }
  SmallVector<double> sig(n);
  for (int64_t i = 0; i < n; ++i)
    sig[i] = interp(train, ts[i]);
  if (getUseKarrasSigmas()) {
    sig = karras(sig.back(), sig.front(), n);
    for (int64_t i = 0; i < n; ++i)
      ts[i] = sigmaToT(train, sig[i]);
  }
  sig.push_back(0.0);
  SamplingSchedule s = emptySchedule(n);
  double maxSigma = *std::max_element(sig.begin(), sig.end());
  s.initNoiseSigma = cfg.spacing == TimestepSpacing::leading
                         ? std::sqrt(maxSigma * maxSigma + 1)
                         : maxSigma;
  for (int64_t i = 0; i < n; ++i) {
    double sg = sig[i], dt = sig[i + 1] - sg;
    Affine x0;
    switch (cfg.prediction) {
    case PredictionType::epsilon:
      x0 = {1.0, -sg};
      break;
    case PredictionType::v_prediction:
      x0 = {1.0 / (sg * sg + 1), -sg / std::sqrt(sg * sg + 1)};
      break;
    case PredictionType::sample:
      x0 = {0.0, 1.0};
      break;
    }
    // x' = x + dt · (x − x0) / σ.
    Affine next = Affine{1.0, 0.0} + (Affine{1.0, 0.0} + x0 * -1.0) * (dt / sg);
    s.timestep[i] = ts[i];
    s.inputScale[i] = 1.0 / std::sqrt(sg * sg + 1);
    s.level[i] = 1.0 / (sg * sg + 1);
    s.sampleCoef[i] = next.x;
    s.outputCoef[i] = next.m;
  }
  return checked(std::move(s), emitError);
}

//===----------------------------------------------------------------------===//
// DPM-Solver++ 2M
//===----------------------------------------------------------------------===//

FailureOr<SamplingSchedule>
DPMSolverSchedulerAttr::getSchedule(int64_t n, Diag emitError) const {
  BetaConfig cfg = BetaConfig::of(*this);
  auto ac = cfg.sigmaAlphasCumprod(n, emitError);
  if (failed(ac))
    return failure();
  int64_t N = cfg.numTrain;
  SmallVector<double> train = trainSigmas(*ac);
  SmallVector<double> ts(n);
  switch (cfg.spacing) {
  case TimestepSpacing::linspace: {
    SmallVector<double> l = linspace(0.0, N - 1, n + 1);
    for (int64_t i = 0; i < n; ++i)
      ts[i] = roundEven(l[n - i]);
    break;
  }
  case TimestepSpacing::leading: {
    int64_t ratio = N / (n + 1);
    for (int64_t i = 0; i < n; ++i)
      ts[i] = static_cast<double>((n - i) * ratio + cfg.stepsOffset);
    break;
  }
  case TimestepSpacing::trailing:
    if (failed(trailingTimesteps(N, n, ts, emitError)))
      return failure();
    break;
  }
  SmallVector<double> sig(n);
  for (int64_t i = 0; i < n; ++i)
    sig[i] = interp(train, ts[i]);
  if (getUseKarrasSigmas()) {
    // Between the ends of the training sigmas (not of the spaced ones);
    // timesteps rounded, or truncated for squaredcos_cap_v2 (as diffusers).
    sig = karras(train.front(), train.back(), n);
    for (int64_t i = 0; i < n; ++i) {
      double t = sigmaToT(train, sig[i]);
      ts[i] = cfg.schedule == BetaSchedule::squaredcos_cap_v2 ? std::trunc(t)
                                                              : roundEven(t);
    }
  }
  sig.push_back(0.0);
  auto alphaOf = [&](int64_t i) {
    return 1.0 / std::sqrt(sig[i] * sig[i] + 1);
  };
  auto sigmaOf = [&](int64_t i) { return sig[i] * alphaOf(i); };
  auto lambdaOf = [&](int64_t i) {
    return std::log(alphaOf(i)) - std::log(sigmaOf(i));
  };
  SamplingSchedule s = emptySchedule(n);
  s.multistep = true;
  for (int64_t i = 0; i < n; ++i) {
    double alphaS = alphaOf(i), sigmaS = sigmaOf(i);
    double alphaT = alphaOf(i + 1), sigmaT = sigmaOf(i + 1);
    Affine x0 = predictions(cfg.prediction, alphaS, sigmaS).first;
    double h = lambdaOf(i + 1) - lambdaOf(i);
    double c = -alphaT * std::expm1(-h); // −α_t (e^{−h} − 1)
    double ratio = sigmaT / sigmaS;
    // First order at the first step and at the final step (σ = 0).
    bool firstOrder = i == 0 || i == n - 1;
    double w0 = c, w1 = 0.0;
    if (!firstOrder) {
      double r0 = (lambdaOf(i) - lambdaOf(i - 1)) / h;
      w0 = c * (1.0 + 0.5 / r0);
      w1 = -0.5 * c / r0;
    }
    Affine next = Affine{ratio, 0.0} + x0 * w0;
    s.timestep[i] = ts[i];
    s.level[i] = alphaS * alphaS;
    s.sampleCoef[i] = next.x;
    s.outputCoef[i] = next.m;
    s.stateCoef[i] = w1;
    s.stateSampleCoef[i] = x0.x;
    s.stateOutputCoef[i] = x0.m;
  }
  return checked(std::move(s), emitError);
}

//===----------------------------------------------------------------------===//
// Flow-matching Euler
//===----------------------------------------------------------------------===//

FailureOr<SamplingSchedule>
FlowMatchEulerSchedulerAttr::getSchedule(int64_t n, Diag emitError) const {
  int64_t N = getNumTrainTimesteps();
  double shift = getShift().convertToDouble();
  if (N < 1 || N > kMaxTrainTimesteps)
    return emitError() << "expects num_train_timesteps in [1, "
                       << kMaxTrainTimesteps << "], got " << N;
  if (!(shift > 0.0 && std::isfinite(shift)))
    return emitError() << "expects shift > 0, got " << shift;
  auto shifted = [&](double sg) { return shift * sg / (1 + (shift - 1) * sg); };
  // Training sigmas t / N for t = N .. 1, shifted; inference timesteps are
  // spaced linearly between the shifted ends and shifted once more.
  double sigmaMax = shifted(1.0), sigmaMin = shifted(1.0 / N);
  SmallVector<double> ts = linspace(sigmaMax * N, sigmaMin * N, n);
  SmallVector<double> sig;
  for (double t : ts)
    sig.push_back(shifted(t / N));
  sig.push_back(0.0);
  SamplingSchedule s = emptySchedule(n);
  for (int64_t i = 0; i < n; ++i) {
    s.timestep[i] = sig[i] * N;
    s.level[i] = sig[i];
    s.sampleCoef[i] = 1.0;
    s.outputCoef[i] = sig[i + 1] - sig[i];
  }
  return checked(std::move(s), emitError);
}

//===----------------------------------------------------------------------===//
// LCM
//===----------------------------------------------------------------------===//

FailureOr<SamplingSchedule>
LCMSchedulerAttr::getSchedule(int64_t n, Diag emitError) const {
  BetaConfig cfg = BetaConfig::of(*this);
  auto ac = cfg.alphasCumprod(emitError);
  if (failed(ac))
    return failure();
  int64_t orig = getOriginalInferenceSteps();
  double scaling = getTimestepScaling().convertToDouble();
  if (orig < 1 || orig > cfg.numTrain)
    return emitError() << "expects original_inference_steps in [1, "
                       << cfg.numTrain << "], got " << orig;
  if (n > orig)
    return emitError() << "expects at most original_inference_steps = " << orig
                       << " inference steps, got " << n;
  // The skipping schedule of the original (distillation) steps.
  int64_t k = cfg.numTrain / orig;
  SmallVector<int64_t> origin;
  for (int64_t j = orig; j >= 1; --j)
    origin.push_back(j * k - 1);
  SmallVector<int64_t> ts;
  for (int64_t i = 0; i < n; ++i)
    ts.push_back(origin[static_cast<int64_t>(
        std::floor(static_cast<double>(i) * orig / n))]);
  const double sigmaData = 0.5;
  SamplingSchedule s = emptySchedule(n);
  s.stochastic = true;
  // The next timestep is never negative (the last step does not re-noise),
  // so set_alpha_to_one has no effect here, as in diffusers.
  for (int64_t i = 0; i < n; ++i) {
    int64_t t = ts[i], prev = i + 1 < n ? ts[i + 1] : t;
    double a = (*ac)[t], ap = (*ac)[prev];
    double st = t * scaling;
    double cSkip = sigmaData * sigmaData / (st * st + sigmaData * sigmaData);
    double cOut = st / std::sqrt(st * st + sigmaData * sigmaData);
    Affine x0 =
        predictions(cfg.prediction, std::sqrt(a), std::sqrt(1 - a)).first;
    Affine denoised = x0 * cOut + Affine{cSkip, 0.0};
    bool last = i == n - 1;
    Affine next = last ? denoised : denoised * std::sqrt(ap);
    s.timestep[i] = t;
    s.level[i] = a;
    s.sampleCoef[i] = next.x;
    s.outputCoef[i] = next.m;
    s.noiseCoef[i] = last ? 0.0 : std::sqrt(1 - ap);
  }
  return checked(std::move(s), emitError);
}
