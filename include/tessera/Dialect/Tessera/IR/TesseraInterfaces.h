//===- TesseraInterfaces.h - Tessera interfaces -----------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_H
#define TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::tessera {

/// How a (query tile, key tile) pair meets a mask.
enum class TileKind { Empty, Partial, Full };

/// What a MoE routing mode computes, in the terms a lowering needs
/// (`RoutingAttrInterface::describeRouting`). Every mode fills a per-token
/// table of K (expert, weight) slots; unused slots have expert -1 and
/// weight 0.
struct RoutingPlan {
  /// Who selects: tokens pick their top-k experts from router logits,
  /// experts pick their top-C tokens from router probabilities, or a
  /// run-time selector looks the experts up in a fixed table.
  enum class Selection { TokensChooseExperts, ExpertsChooseTokens, Table };
  /// The run-time operand that selects a router or a table row.
  enum class Selector { None, Task, Category };
  Selection selection = Selection::TokensChooseExperts;
  Selector selector = Selector::None;
  /// Rank of the router weight operand: 2 ([E, d]), 3 ([tasks, E, d]) or
  /// 0 (no router).
  int64_t routerRank = 2;
  /// Slots per token (K): k for token choice, E for expert choice (a token
  /// may be picked by every expert), the table row length for tables.
  int64_t slotsPerToken = 1;
  /// Tokens each expert processes at most (C, in [1, T]); T means
  /// dropless.
  int64_t capacity = 1;
  /// Token choice: softmax over all (allowed) experts before the top-k
  /// (GShard) rather than over the k selected logits (Mixtral).
  bool softmaxFirst = true;
  /// Token choice with softmaxFirst: divide the k weights by their sum.
  bool renormalize = false;
  /// Table / task subsets: row r lists the experts of selector value r,
  /// `rowLength` entries per row (empty: every expert).
  llvm::ArrayRef<int64_t> table;
  int64_t rowLength = 0;
};

/// The per-step coefficients of a diffusion sampling run
/// (`SchedulerAttrInterface::getSchedule`), each of length numSteps; see
/// the interface for the step they define. `level` is the noise level the
/// denoiser may take as its last region argument: ᾱ at T[i] for
/// variance-preserving schedulers, σ for flow matching.
struct SamplingSchedule {
  llvm::SmallVector<double> timestep, inputScale, level;
  llvm::SmallVector<double> sampleCoef, outputCoef, noiseCoef, stateCoef;
  llvm::SmallVector<double> stateSampleCoef, stateOutputCoef;
  /// The initial latent is drawn N(0, 1) and multiplied by this.
  double initNoiseSigma = 1.0;
  /// Whether the scheduler adds noise (takes a noise operand or a seed) and
  /// whether it is multistep (takes and returns a state), whatever the
  /// number of steps: a run whose coefficients happen to be zero (DDPM with
  /// one step at t = 0, DPM-Solver++ with two first-order steps) keeps the
  /// same operands.
  bool stochastic = false;
  bool multistep = false;

  int64_t size() const { return static_cast<int64_t>(timestep.size()); }
  bool usesNoise() const { return stochastic; }
  bool usesState() const { return multistep; }
};

} // namespace mlir::tessera

#include "tessera/Dialect/Tessera/IR/TesseraAttrInterfaces.h.inc"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/PatternMatch.h"
#include "tessera/Dialect/Tessera/IR/TesseraOpInterfaces.h.inc"

namespace mlir::tessera {

/// Composite masks (`all_of`, `any_of`) nest at most this many levels.
constexpr int64_t kMaxMaskDepth = 32;
/// A mask holds at most this many masks in all, counting every use of a
/// repeated one (so the emitted predicate and tile classification stay
/// small).
constexpr int64_t kMaxMaskNodes = 256;

/// The number of masks in `mask` counting repeats (1 for a simple mask),
/// saturated at kMaxMaskNodes + 1.
int64_t getMaskSize(Attribute mask);

} // namespace mlir::tessera

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_H
