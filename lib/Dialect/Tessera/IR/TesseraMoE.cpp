//===- TesseraMoE.cpp - Mixture-of-Experts op and routing -------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// `tessera.moe` and the routing attributes implementing
// RoutingAttrInterface. Each routing mode checks its own operands, so a new
// mode needs no change to the op verifier. Sizes are overflow-checked.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"
#include "VerifyUtils.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tessera;
using namespace mlir::tessera::detail;

//===----------------------------------------------------------------------===//
// Parameter parsers
//===----------------------------------------------------------------------===//

FailureOr<bool> mlir::tessera::parseBoolParameter(AsmParser &parser) {
  if (succeeded(parser.parseOptionalKeyword("true")))
    return true;
  if (succeeded(parser.parseOptionalKeyword("false")))
    return false;
  return parser.emitError(parser.getCurrentLocation(),
                          "expected 'true' or 'false'");
}

FailureOr<llvm::APFloat>
mlir::tessera::parseDoubleParameter(AsmParser &parser) {
  double value;
  if (parser.parseFloat(value))
    return failure();
  return llvm::APFloat(value);
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static bool isDyn(int64_t d) { return ShapedType::isDynamic(d); }

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// C = min(T, max(1, ceil(assignments · factor / E))), in double; nullopt
/// for a factor that is not finite and positive.
static std::optional<int64_t> capacityFor(int64_t assignments,
                                          int64_t numTokens,
                                          int64_t numExperts, double factor) {
  if (!std::isfinite(factor) || !(factor > 0.0))
    return std::nullopt;
  double v = static_cast<double>(assignments) * factor /
             static_cast<double>(numExperts);
  if (!std::isfinite(v) || v >= static_cast<double>(numTokens))
    return numTokens;
  // v < T <= 2^62: the conversion is exact and in range.
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(v)));
}

/// A row-major table of `rows` rows: non-empty, a multiple of `rows` long,
/// entries >= 0 and no repeat within a row.
static LogicalResult
verifyExpertTable(function_ref<InFlightDiagnostic()> emitError, StringRef rowName,
                  int64_t rows, ArrayRef<int64_t> table) {
  if (table.empty() || table.size() % rows != 0)
    return emitError() << "expects an experts table of " << rows
                       << " rows of equal length (a non-empty multiple of "
                       << rows << " entries), got " << table.size()
                       << " entries";
  int64_t m = table.size() / rows;
  for (int64_t r = 0; r < rows; ++r) {
    llvm::SmallDenseSet<int64_t> seen;
    for (int64_t e : table.slice(r * m, m)) {
      if (e < 0)
        return emitError() << "expects expert indices >= 0, got " << e;
      if (!seen.insert(e).second)
        return emitError() << "expects distinct experts in each " << rowName
                           << " row, got expert " << e << " twice in row "
                           << r;
    }
  }
  return success();
}

/// Every table entry is below E (the attribute cannot know E).
static LogicalResult verifyTableBound(Operation *op, ArrayRef<int64_t> table,
                                      int64_t numExperts) {
  if (isDyn(numExperts))
    return success();
  for (int64_t e : table)
    if (e >= numExperts)
      return op->emitOpError("expects expert indices in [0, E) in the "
                             "routing table, got ")
             << e << " with E = " << numExperts;
  return success();
}

static LogicalResult verifyAbsent(Operation *op, StringRef mode,
                                  StringRef what, Value v) {
  if (!v)
    return success();
  return op->emitOpError("does not take a ")
         << what << " operand with " << mode << " routing";
}

static LogicalResult verifyRouter(Operation *op, StringRef mode, Value router,
                                  ArrayRef<int64_t> expected) {
  if (!router)
    return op->emitOpError("expects a router operand with ")
           << mode << " routing";
  return verifyShape(op, "router", router, expected);
}

/// A `task` / `category` operand: present, of shape [] or [B].
static LogicalResult verifySelector(Operation *op, StringRef mode,
                                    StringRef what, Value v, int64_t batch) {
  if (!v)
    return op->emitOpError("expects a ")
           << what << " operand with " << mode << " routing";
  ArrayRef<int64_t> s = shapeOf(v);
  if (s.empty() ||
      (s.size() == 1 && (isDyn(s[0]) || isDyn(batch) || s[0] == batch)))
    return success();
  std::string msg;
  llvm::raw_string_ostream os(msg);
  os << "expects the " << what << " operand of shape [] or [" << batch
     << "] (one per sample), got ";
  printShape(os, s);
  return op->emitOpError(msg);
}

static LogicalResult verifyK(Operation *op, int64_t k, int64_t numExperts) {
  if (isDyn(numExperts) || k <= numExperts)
    return success();
  return op->emitOpError("expects k <= the number of experts, got k = ")
         << k << " and E = " << numExperts;
}

/// The token-choice plan shared by token_choice and task_conditioned.
static FailureOr<RoutingPlan>
tokenChoicePlan(TokenChoiceRoutingAttr gate, int64_t numTokens,
                int64_t numExperts, std::optional<double> capacityFactor) {
  RoutingPlan plan;
  plan.selection = RoutingPlan::Selection::TokensChooseExperts;
  plan.slotsPerToken = gate.getK();
  plan.softmaxFirst = gate.getOrder() == TopKOrder::softmax_then_topk;
  plan.renormalize = gate.getRenormalize();
  plan.capacity = numTokens;
  if (capacityFactor) {
    std::optional<int64_t> assignments =
        llvm::checkedMul(gate.getK(), numTokens);
    if (!assignments)
      return failure();
    std::optional<int64_t> c =
        capacityFor(*assignments, numTokens, numExperts, *capacityFactor);
    if (!c)
      return failure();
    plan.capacity = *c;
  }
  return plan;
}

//===----------------------------------------------------------------------===//
// TokenChoiceRoutingAttr
//===----------------------------------------------------------------------===//

LogicalResult
TokenChoiceRoutingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               int64_t k, TopKOrder order, bool renormalize) {
  if (k < 1)
    return emitError() << "expects k >= 1, got " << k;
  if (renormalize && order == TopKOrder::topk_then_softmax)
    return emitError() << "expects renormalize = false with order = "
                          "topk_then_softmax (its weights already sum to 1)";
  return success();
}

LogicalResult TokenChoiceRoutingAttr::verifyOperands(
    Operation *op, int64_t numExperts, int64_t modelDim, int64_t batch,
    Value router, Value task, Value category) const {
  StringRef mode = "token_choice";
  if (failed(verifyRouter(op, mode, router, {numExperts, modelDim})) ||
      failed(verifyAbsent(op, mode, "task", task)) ||
      failed(verifyAbsent(op, mode, "category", category)))
    return failure();
  return verifyK(op, getK(), numExperts);
}

bool TokenChoiceRoutingAttr::acceptsCapacityFactor() const { return true; }

FailureOr<RoutingPlan>
TokenChoiceRoutingAttr::describeRouting(int64_t numTokens, int64_t numExperts,
                                        std::optional<double> factor) const {
  return tokenChoicePlan(*this, numTokens, numExperts, factor);
}

//===----------------------------------------------------------------------===//
// ExpertChoiceRoutingAttr
//===----------------------------------------------------------------------===//

LogicalResult
ExpertChoiceRoutingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                llvm::APFloat factor) {
  double capacityFactor = factor.convertToDouble();
  if (!std::isfinite(capacityFactor) || !(capacityFactor > 0.0))
    return emitError() << "expects a finite capacity_factor > 0, got "
                       << capacityFactor;
  return success();
}

LogicalResult ExpertChoiceRoutingAttr::verifyOperands(
    Operation *op, int64_t numExperts, int64_t modelDim, int64_t batch,
    Value router, Value task, Value category) const {
  StringRef mode = "expert_choice";
  if (failed(verifyRouter(op, mode, router, {numExperts, modelDim})) ||
      failed(verifyAbsent(op, mode, "task", task)))
    return failure();
  return verifyAbsent(op, mode, "category", category);
}

bool ExpertChoiceRoutingAttr::acceptsCapacityFactor() const { return false; }

FailureOr<RoutingPlan>
ExpertChoiceRoutingAttr::describeRouting(int64_t numTokens, int64_t numExperts,
                                         std::optional<double>) const {
  std::optional<int64_t> c =
      capacityFor(numTokens, numTokens, numExperts,
                  getCapacityFactor().convertToDouble());
  if (!c)
    return failure();
  RoutingPlan plan;
  plan.selection = RoutingPlan::Selection::ExpertsChooseTokens;
  plan.slotsPerToken = numExperts;
  plan.capacity = *c;
  return plan;
}

//===----------------------------------------------------------------------===//
// TaskConditionedRoutingAttr
//===----------------------------------------------------------------------===//

LogicalResult TaskConditionedRoutingAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, int64_t tasks,
    Attribute gate, DenseI64ArrayAttr experts) {
  if (tasks < 1)
    return emitError() << "expects tasks >= 1, got " << tasks;
  auto tokenChoice = dyn_cast_if_present<TokenChoiceRoutingAttr>(gate);
  if (!tokenChoice)
    return emitError() << "expects gate to be a #tessera.token_choice, got "
                       << gate;
  if (!experts)
    return success();
  if (failed(verifyExpertTable(emitError, "task", tasks, experts.asArrayRef())))
    return failure();
  int64_t m = experts.size() / tasks;
  if (tokenChoice.getK() > m)
    return emitError() << "expects k <= the experts per task, got k = "
                       << tokenChoice.getK() << " and " << m;
  return success();
}

LogicalResult TaskConditionedRoutingAttr::verifyOperands(
    Operation *op, int64_t numExperts, int64_t modelDim, int64_t batch,
    Value router, Value task, Value category) const {
  StringRef mode = "task_conditioned";
  if (failed(verifyRouter(op, mode, router,
                          {getTasks(), numExperts, modelDim})) ||
      failed(verifySelector(op, mode, "task", task, batch)) ||
      failed(verifyAbsent(op, mode, "category", category)))
    return failure();
  if (DenseI64ArrayAttr table = getExperts())
    if (failed(verifyTableBound(op, table.asArrayRef(), numExperts)))
      return failure();
  return verifyK(op, cast<TokenChoiceRoutingAttr>(getGate()).getK(),
                 numExperts);
}

bool TaskConditionedRoutingAttr::acceptsCapacityFactor() const { return true; }

FailureOr<RoutingPlan> TaskConditionedRoutingAttr::describeRouting(
    int64_t numTokens, int64_t numExperts, std::optional<double> factor) const {
  FailureOr<RoutingPlan> plan = tokenChoicePlan(
      cast<TokenChoiceRoutingAttr>(getGate()), numTokens, numExperts, factor);
  if (failed(plan))
    return failure();
  plan->selector = RoutingPlan::Selector::Task;
  plan->routerRank = 3;
  if (DenseI64ArrayAttr table = getExperts()) {
    plan->table = table.asArrayRef();
    plan->rowLength = table.size() / getTasks();
  }
  return plan;
}

//===----------------------------------------------------------------------===//
// CategoryConditionedRoutingAttr
//===----------------------------------------------------------------------===//

LogicalResult CategoryConditionedRoutingAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, int64_t categories,
    DenseI64ArrayAttr experts) {
  if (categories < 1)
    return emitError() << "expects categories >= 1, got " << categories;
  if (!experts)
    return emitError() << "expects an experts table";
  return verifyExpertTable(emitError, "category", categories,
                           experts.asArrayRef());
}

LogicalResult CategoryConditionedRoutingAttr::verifyOperands(
    Operation *op, int64_t numExperts, int64_t modelDim, int64_t batch,
    Value router, Value task, Value category) const {
  StringRef mode = "category_conditioned";
  if (failed(verifyAbsent(op, mode, "router", router)) ||
      failed(verifyAbsent(op, mode, "task", task)) ||
      failed(verifySelector(op, mode, "category", category, batch)))
    return failure();
  return verifyTableBound(op, getExperts().asArrayRef(), numExperts);
}

bool CategoryConditionedRoutingAttr::acceptsCapacityFactor() const {
  return false;
}

FailureOr<RoutingPlan> CategoryConditionedRoutingAttr::describeRouting(
    int64_t numTokens, int64_t numExperts, std::optional<double>) const {
  RoutingPlan plan;
  plan.selection = RoutingPlan::Selection::Table;
  plan.selector = RoutingPlan::Selector::Category;
  plan.routerRank = 0;
  plan.table = getExperts().asArrayRef();
  plan.rowLength = getExperts().size() / getCategories();
  plan.slotsPerToken = plan.rowLength;
  plan.capacity = numTokens;
  return plan;
}

//===----------------------------------------------------------------------===//
// MoEOp
//===----------------------------------------------------------------------===//

int64_t MoEOp::getNumTokens() {
  ArrayRef<int64_t> s = shapeOf(getInput());
  if (s.size() == 2)
    return s[0];
  if (s.size() != 3 || isDyn(s[0]) || isDyn(s[1]))
    return ShapedType::kDynamic;
  std::optional<int64_t> t = llvm::checkedMul(s[0], s[1]);
  return t ? *t : ShapedType::kDynamic;
}

FailureOr<RoutingPlan> MoEOp::getRoutingPlan() {
  int64_t t = getNumTokens(), e = shapeOf(getWUp())[0];
  if (isDyn(t) || isDyn(e) || t < 1 || e < 1)
    return failure();
  std::optional<double> factor;
  if (FloatAttr cf = getCapacityFactorAttr())
    factor = cf.getValueAsDouble();
  return getRouting().describeRouting(t, e, factor);
}

LogicalResult MoEOp::verify() {
  // Element types: every float tensor shares the input's.
  Type et = cast<RankedTensorType>(getInput().getType()).getElementType();
  for (Value v : {getRouter(), getWUp(), getWDown(), getWGate(), getBUp(),
                  getBDown(), getBGate(), getSharedUp(), getSharedDown(),
                  getSharedGate(), getResult()})
    if (v && cast<RankedTensorType>(v.getType()).getElementType() != et)
      return emitOpError("expects the input, weights and result to have one "
                         "element type, got ")
             << et << " and "
             << cast<RankedTensorType>(v.getType()).getElementType();

  ArrayRef<int64_t> in = shapeOf(getInput());
  if (in.size() != 2 && in.size() != 3)
    return emitOpError("expects input of rank 2 ([T, d]) or 3 ([B, N, d]), "
                       "got rank ")
           << in.size();
  int64_t d = in.back();
  int64_t batch = in.size() == 3 ? in[0] : 1;

  // Routed experts.
  ArrayRef<int64_t> up = shapeOf(getWUp());
  if (up.size() != 3)
    return emitOpError("expects w_up of rank 3 ([E, f, d]), got rank ")
           << up.size();
  int64_t e = up[0], f = up[1];
  if (e == 0)
    return emitOpError("expects at least one routed expert (E >= 1)");
  if (failed(verifyShape(*this, "w_up", getWUp(), {e, f, d})) ||
      failed(verifyShape(*this, "w_down", getWDown(), {e, d, f})))
    return failure();
  MoeActivation act = getActivation();
  bool swiglu = act == MoeActivation::swiglu;
  if (swiglu && !getWGate())
    return emitOpError("expects a gate operand (W_gate [E, f, d]) with "
                       "activation swiglu");
  if (!swiglu && getWGate())
    return emitOpError("expects no gate operand with activation ")
           << stringifyMoeActivation(act) << " (only swiglu takes one)";
  if (getWGate() && failed(verifyShape(*this, "gate", getWGate(), {e, f, d})))
    return failure();
  if (getBUp() && failed(verifyShape(*this, "up_bias", getBUp(), {e, f})))
    return failure();
  if (getBDown() && failed(verifyShape(*this, "down_bias", getBDown(), {e, d})))
    return failure();
  if (getBGate()) {
    if (!getWGate())
      return emitOpError("expects gate_bias only with a gate operand");
    if (failed(verifyShape(*this, "gate_bias", getBGate(), {e, f})))
      return failure();
  }

  // Shared experts.
  if (Value su = getSharedUp()) {
    ArrayRef<int64_t> s = shapeOf(su);
    if (s.size() != 3)
      return emitOpError("expects shared_up of rank 3 ([S, fs, d]), got rank ")
             << s.size();
    if (failed(verifyShape(*this, "shared_up", su, {s[0], s[1], d})) ||
        failed(verifyShape(*this, "shared_down", getSharedDown(),
                           {s[0], d, s[1]})))
      return failure();
    if (swiglu && !getSharedGate())
      return emitOpError("expects a shared_gate operand with activation "
                         "swiglu and shared experts");
    if (!swiglu && getSharedGate())
      return emitOpError("expects no shared_gate operand with activation ")
             << stringifyMoeActivation(act);
    if (getSharedGate() &&
        failed(verifyShape(*this, "shared_gate", getSharedGate(),
                           {s[0], s[1], d})))
      return failure();
  } else if (getSharedGate()) {
    return emitOpError("expects shared_gate only with shared experts");
  }

  // Routing operands and capacity.
  RoutingAttrInterface routing = getRouting();
  if (failed(routing.verifyOperands(*this, e, d, batch, getRouter(), getTask(),
                                    getCategory())))
    return failure();
  if (FloatAttr cfAttr = getCapacityFactorAttr()) {
    double cf = cfAttr.getValueAsDouble();
    if (!routing.acceptsCapacityFactor())
      return emitOpError("expects no capacity_factor with ")
             << routing << " routing (it has no or its own capacity)";
    if (!std::isfinite(cf) || !(cf > 0.0))
      return emitOpError("expects a finite capacity_factor > 0, got ") << cf;
  }

  // Results.
  if (failed(verifyShape(*this, "result", getResult(), in)))
    return failure();
  if (Value counts = getTokensPerExpert())
    if (failed(verifyShape(*this, "tokens_per_expert", counts, {e})))
      return failure();

  // Sizes the lowering will form: the routing plan and the routed-token
  // buffer of T·K rows.
  int64_t t = getNumTokens();
  if (isDyn(t) || t == 0 || isDyn(e) || isDyn(f) || isDyn(d))
    return success();
  FailureOr<RoutingPlan> plan = getRoutingPlan();
  if (failed(plan))
    return emitOpError("expects routing sizes (T = ")
           << t << ", E = " << e << ") that fit in 64 bits";
  std::optional<int64_t> rows = llvm::checkedMul(t, plan->slotsPerToken);
  std::optional<int64_t> elems =
      rows ? llvm::checkedMul(*rows, std::max(f, d)) : std::nullopt;
  int64_t bytes = et.isIntOrFloat() ? (et.getIntOrFloatBitWidth() + 7) / 8 : 8;
  std::optional<int64_t> size =
      elems ? llvm::checkedMul(*elems, bytes) : std::nullopt;
  if (!size || *size > kMaxTensorBytes)
    return emitOpError("expects the routed-token buffer (T·K = ")
           << t << "·" << plan->slotsPerToken << " rows of max(f, d) = "
           << std::max(f, d) << " elements) to fit in 2^62 bytes";
  return success();
}
