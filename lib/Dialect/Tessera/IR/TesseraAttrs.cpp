//===- TesseraAttrs.cpp - Attention mask attributes -------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Each mask gives a closed-form tile classification, a compile-time
// predicate, and the same predicate as IR. The compile-time functions are
// exact for any int64 arguments and attribute values: differences are
// compared through overflow checks (`cmpDiff`), never computed unchecked.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::tessera;

#include "tessera/Dialect/Tessera/IR/TesseraAttrInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Compares the exact difference x - y with r: -1, 0 or 1 as x - y is
/// less than, equal to or greater than r. No overflow for any arguments.
static int cmpDiff(int64_t x, int64_t y, int64_t r) {
  int64_t d;
  if (llvm::SubOverflow(x, y, d))
    return x > y ? 1 : -1; // |x - y| > 2^63 > |r|
  return d < r ? -1 : (d > r ? 1 : 0);
}

/// x - y <= r and x - y >= r, exactly.
static bool diffLE(int64_t x, int64_t y, int64_t r) { return cmpDiff(x, y, r) <= 0; }
static bool diffGE(int64_t x, int64_t y, int64_t r) { return cmpDiff(x, y, r) >= 0; }

/// Floor division by b > 0 (positions may be negative under bottom-right
/// alignment).
static int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// a mod b in [0, b) for b > 0.
static int64_t floorMod(int64_t a, int64_t b) {
  int64_t m = a % b;
  return m < 0 ? m + b : m;
}

/// Whether [q0, q1) × [k0, k1) holds no pair.
static bool emptyTile(int64_t q0, int64_t q1, int64_t k0, int64_t k1) {
  return q0 >= q1 || k0 >= k1;
}

/// An i64 constant shaped like `like` (scalar or vector).
static Value constantLike(OpBuilder &b, Location loc, Value like, int64_t v) {
  Type t = like.getType();
  if (auto vt = dyn_cast<VectorType>(t))
    return arith::ConstantOp::create(
        b, loc, vt, DenseElementsAttr::get(vt, b.getI64IntegerAttr(v)));
  return arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, v));
}

static Value cmp(OpBuilder &b, Location loc, arith::CmpIPredicate p, Value x,
                 Value y) {
  return arith::CmpIOp::create(b, loc, p, x, y);
}

static Value floorDivBuild(OpBuilder &b, Location loc, Value x, int64_t d) {
  return arith::FloorDivSIOp::create(b, loc, x, constantLike(b, loc, x, d));
}

static LogicalResult verifyPositive(function_ref<InFlightDiagnostic()> emitError,
                                    StringRef name, int64_t v) {
  if (v > 0)
    return success();
  return emitError() << "expects " << name << " > 0, got " << v;
}

namespace {
/// Nesting depth (levels of all_of / any_of; 0 for a simple mask) and
/// size (masks counted with repeats) of a mask.
struct MaskStats {
  int64_t depth = 0, size = 1;
};
} // namespace

/// Memoised over shared sub-masks, so aliases repeated in a DAG cost their
/// distinct count, not their expanded count; sizes saturate.
static MaskStats
computeMaskStats(Attribute mask, llvm::DenseMap<Attribute, MaskStats> &memo) {
  ArrayAttr children;
  if (auto all = dyn_cast<AllOfMaskAttr>(mask))
    children = all.getMasks();
  else if (auto any = dyn_cast<AnyOfMaskAttr>(mask))
    children = any.getMasks();
  if (!children)
    return MaskStats();
  if (auto it = memo.find(mask); it != memo.end())
    return it->second;
  MaskStats stats{/*depth=*/1, /*size=*/1};
  for (Attribute child : children) {
    MaskStats c = computeMaskStats(child, memo);
    stats.depth = std::max(stats.depth, std::min(c.depth, kMaxMaskDepth) + 1);
    stats.size = std::min(stats.size + c.size, kMaxMaskNodes + 1);
  }
  memo[mask] = stats;
  return stats;
}

int64_t mlir::tessera::getMaskSize(Attribute mask) {
  llvm::DenseMap<Attribute, MaskStats> memo;
  return computeMaskStats(mask, memo).size;
}

static LogicalResult
verifyMaskList(function_ref<InFlightDiagnostic()> emitError, ArrayAttr masks) {
  if (masks.empty())
    return emitError() << "expects at least one mask";
  for (Attribute a : masks)
    if (!isa<MaskAttrInterface>(a))
      return emitError() << "expects mask attributes, got " << a;
  // Children were verified when they were built, so their depth is bounded
  // and this walk is shallow.
  llvm::DenseMap<Attribute, MaskStats> memo;
  MaskStats stats{/*depth=*/1, /*size=*/1};
  for (Attribute a : masks) {
    MaskStats c = computeMaskStats(a, memo);
    stats.depth = std::max(stats.depth, std::min(c.depth, kMaxMaskDepth) + 1);
    stats.size = std::min(stats.size + c.size, kMaxMaskNodes + 1);
  }
  if (stats.depth > kMaxMaskDepth)
    return emitError() << "expects masks nested at most " << kMaxMaskDepth
                       << " levels deep";
  if (stats.size > kMaxMaskNodes)
    return emitError() << "expects at most " << kMaxMaskNodes
                       << " masks in all (counting repeats)";
  return success();
}

/// Parses `<[mask, ...]>` of all_of / any_of. Nested composites are parsed
/// recursively through this function, so a depth counter stops a deep
/// nesting before it can exhaust the stack.
static FailureOr<ArrayAttr> parseMaskList(AsmParser &parser) {
  static thread_local int64_t depth = 0;
  if (depth >= kMaxMaskDepth) {
    parser.emitError(parser.getCurrentLocation())
        << "expects masks nested at most " << kMaxMaskDepth << " levels deep";
    return failure();
  }
  ++depth;
  llvm::scope_exit restore([] { --depth; });
  SmallVector<Attribute> masks;
  if (parser.parseLess() ||
      parser.parseCommaSeparatedList(
          AsmParser::Delimiter::Square, [&]() -> ParseResult {
            // A plain nested array is never a mask: refuse it before the
            // generic parser recurses into it.
            llvm::SMLoc loc = parser.getCurrentLocation();
            if (succeeded(parser.parseOptionalLSquare()))
              return parser.emitError(loc)
                     << "expects mask attributes, got an array";
            Attribute a;
            if (parser.parseAttribute(a))
              return failure();
            masks.push_back(a);
            return success();
          }) ||
      parser.parseGreater())
    return failure();
  return ArrayAttr::get(parser.getContext(), masks);
}

static void printMaskList(AsmPrinter &printer, ArrayAttr masks) {
  printer << '<';
  printer.printAttribute(masks);
  printer << '>';
}

//===----------------------------------------------------------------------===//
// CausalMaskAttr
//===----------------------------------------------------------------------===//

TileKind CausalMaskAttr::classifyTile(int64_t q0, int64_t q1, int64_t k0,
                                      int64_t k1) const {
  if (emptyTile(q0, q1, k0, k1) || k0 > q1 - 1)
    return TileKind::Empty;
  return k1 - 1 <= q0 ? TileKind::Full : TileKind::Partial;
}

bool CausalMaskAttr::isAllowed(int64_t q, int64_t k) const { return k <= q; }

Value CausalMaskAttr::buildAllowed(OpBuilder &b, Location loc, Value q,
                                   Value k) const {
  return cmp(b, loc, arith::CmpIPredicate::sle, k, q);
}

//===----------------------------------------------------------------------===//
// SlidingWindowMaskAttr
//===----------------------------------------------------------------------===//

LogicalResult
SlidingWindowMaskAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                              int64_t left, int64_t right) {
  if (left < 0 || right < 0)
    return emitError() << "expects non-negative window sizes, got left = "
                       << left << ", right = " << right;
  return success();
}

// k - q over the tile spans [k0 - (q1 - 1), (k1 - 1) - q0]; the window
// allows [-left, right].
TileKind SlidingWindowMaskAttr::classifyTile(int64_t q0, int64_t q1,
                                             int64_t k0, int64_t k1) const {
  if (emptyTile(q0, q1, k0, k1) || !diffGE(k1 - 1, q0, -getLeft()) ||
      !diffLE(k0, q1 - 1, getRight()))
    return TileKind::Empty;
  if (diffGE(k0, q1 - 1, -getLeft()) && diffLE(k1 - 1, q0, getRight()))
    return TileKind::Full;
  return TileKind::Partial;
}

bool SlidingWindowMaskAttr::isAllowed(int64_t q, int64_t k) const {
  return diffGE(k, q, -getLeft()) && diffLE(k, q, getRight());
}

// |k - q| < 2^63 for the positions the lowering passes (see the interface),
// and -left, right are representable: no wrap for any window.
Value SlidingWindowMaskAttr::buildAllowed(OpBuilder &b, Location loc, Value q,
                                          Value k) const {
  Value d = arith::SubIOp::create(b, loc, k, q);
  Value lo = cmp(b, loc, arith::CmpIPredicate::sge, d,
                 constantLike(b, loc, d, -getLeft()));
  Value hi = cmp(b, loc, arith::CmpIPredicate::sle, d,
                 constantLike(b, loc, d, getRight()));
  return arith::AndIOp::create(b, loc, lo, hi);
}

//===----------------------------------------------------------------------===//
// BlockCausalMaskAttr
//===----------------------------------------------------------------------===//

LogicalResult
BlockCausalMaskAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                            int64_t frame) {
  return verifyPositive(emitError, "frame", frame);
}

TileKind BlockCausalMaskAttr::classifyTile(int64_t q0, int64_t q1, int64_t k0,
                                           int64_t k1) const {
  if (emptyTile(q0, q1, k0, k1))
    return TileKind::Empty;
  int64_t f = getFrame();
  if (floorDiv(k0, f) > floorDiv(q1 - 1, f))
    return TileKind::Empty;
  return floorDiv(k1 - 1, f) <= floorDiv(q0, f) ? TileKind::Full
                                                 : TileKind::Partial;
}

bool BlockCausalMaskAttr::isAllowed(int64_t q, int64_t k) const {
  return floorDiv(k, getFrame()) <= floorDiv(q, getFrame());
}

Value BlockCausalMaskAttr::buildAllowed(OpBuilder &b, Location loc, Value q,
                                        Value k) const {
  return cmp(b, loc, arith::CmpIPredicate::sle,
             floorDivBuild(b, loc, k, getFrame()),
             floorDivBuild(b, loc, q, getFrame()));
}

//===----------------------------------------------------------------------===//
// BlockDiagonalMaskAttr
//===----------------------------------------------------------------------===//

LogicalResult
BlockDiagonalMaskAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                              int64_t block) {
  return verifyPositive(emitError, "block", block);
}

TileKind BlockDiagonalMaskAttr::classifyTile(int64_t q0, int64_t q1,
                                             int64_t k0, int64_t k1) const {
  if (emptyTile(q0, q1, k0, k1))
    return TileKind::Empty;
  int64_t n = getBlock();
  int64_t qa = floorDiv(q0, n), qb = floorDiv(q1 - 1, n);
  int64_t ka = floorDiv(k0, n), kb = floorDiv(k1 - 1, n);
  if (kb < qa || ka > qb)
    return TileKind::Empty;
  return (qa == qb && ka == kb && qa == ka) ? TileKind::Full
                                            : TileKind::Partial;
}

bool BlockDiagonalMaskAttr::isAllowed(int64_t q, int64_t k) const {
  return floorDiv(k, getBlock()) == floorDiv(q, getBlock());
}

Value BlockDiagonalMaskAttr::buildAllowed(OpBuilder &b, Location loc, Value q,
                                          Value k) const {
  return cmp(b, loc, arith::CmpIPredicate::eq,
             floorDivBuild(b, loc, k, getBlock()),
             floorDivBuild(b, loc, q, getBlock()));
}

//===----------------------------------------------------------------------===//
// Neighborhood2DMaskAttr
//===----------------------------------------------------------------------===//

LogicalResult
Neighborhood2DMaskAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               int64_t height, int64_t width, int64_t radiusH,
                               int64_t radiusW) {
  if (failed(verifyPositive(emitError, "height", height)) ||
      failed(verifyPositive(emitError, "width", width)))
    return failure();
  if (radiusH < 0 || radiusW < 0)
    return emitError() << "expects non-negative radii, got radius_h = "
                       << radiusH << ", radius_w = " << radiusW;
  return success();
}

namespace {
/// A rectangle of grid cells: rows [r0, r1] × columns [c0, c1].
struct GridRect {
  int64_t r0, r1, c0, c1;
};
} // namespace

/// Splits the positions [p0, p1) (p0 < p1) of a row-major grid of width w
/// into at most three rectangles: a partial first row, the full rows in
/// between, a partial last row. Every cell of each rectangle is a position
/// of the range.
static unsigned gridRects(int64_t p0, int64_t p1, int64_t w, GridRect out[3]) {
  int64_t ra = floorDiv(p0, w), ca = floorMod(p0, w);
  int64_t rb = floorDiv(p1 - 1, w), cb = floorMod(p1 - 1, w);
  if (ra == rb) {
    out[0] = {ra, ra, ca, cb};
    return 1;
  }
  unsigned n = 0;
  out[n++] = {ra, ra, ca, w - 1};
  if (rb > ra + 1)
    out[n++] = {ra + 1, rb - 1, 0, w - 1};
  out[n++] = {rb, rb, 0, cb};
  return n;
}

/// Whether some / every pair of [a0, a1] × [b0, b1] is at most r apart.
static bool someWithin(int64_t a0, int64_t a1, int64_t b0, int64_t b1,
                       int64_t r) {
  return diffLE(b0, a1, r) && diffLE(a0, b1, r);
}
static bool allWithin(int64_t a0, int64_t a1, int64_t b0, int64_t b1,
                      int64_t r) {
  return diffLE(b1, a0, r) && diffLE(a1, b0, r);
}

// Closed form: both ranges split into at most three rectangles of cells;
// on a pair of rectangles the row and column conditions are independent,
// so "some pair allowed" and "every pair allowed" are exact per pair.
TileKind Neighborhood2DMaskAttr::classifyTile(int64_t q0, int64_t q1,
                                              int64_t k0, int64_t k1) const {
  if (emptyTile(q0, q1, k0, k1))
    return TileKind::Empty;
  GridRect qs[3], ks[3];
  unsigned nq = gridRects(q0, q1, getWidth(), qs);
  unsigned nk = gridRects(k0, k1, getWidth(), ks);
  bool any = false, all = true;
  for (const GridRect &a : ArrayRef<GridRect>(qs, nq)) {
    for (const GridRect &c : ArrayRef<GridRect>(ks, nk)) {
      any |= someWithin(a.r0, a.r1, c.r0, c.r1, getRadiusH()) &&
             someWithin(a.c0, a.c1, c.c0, c.c1, getRadiusW());
      all &= allWithin(a.r0, a.r1, c.r0, c.r1, getRadiusH()) &&
             allWithin(a.c0, a.c1, c.c0, c.c1, getRadiusW());
    }
  }
  return all ? TileKind::Full : (any ? TileKind::Partial : TileKind::Empty);
}

bool Neighborhood2DMaskAttr::isAllowed(int64_t q, int64_t k) const {
  int64_t w = getWidth();
  int64_t qr = floorDiv(q, w), kr = floorDiv(k, w);
  int64_t qc = floorMod(q, w), kc = floorMod(k, w);
  return someWithin(qr, qr, kr, kr, getRadiusH()) &&
         someWithin(qc, qc, kc, kc, getRadiusW());
}

// For |q|, |k| < 2^62 every intermediate is exact in i64 whatever the
// width and radii: row·width lies in (p - width, p], columns in [0, width).
Value Neighborhood2DMaskAttr::buildAllowed(OpBuilder &b, Location loc, Value q,
                                           Value k) const {
  int64_t w = getWidth();
  Value qr = floorDivBuild(b, loc, q, w), kr = floorDivBuild(b, loc, k, w);
  Value wc = constantLike(b, loc, q, w);
  Value qc = arith::SubIOp::create(b, loc, q, arith::MulIOp::create(b, loc, qr, wc));
  Value kc = arith::SubIOp::create(b, loc, k, arith::MulIOp::create(b, loc, kr, wc));
  auto within = [&](Value x, Value y, int64_t r) {
    Value d = arith::SubIOp::create(b, loc, x, y);
    Value lo = cmp(b, loc, arith::CmpIPredicate::sge, d, constantLike(b, loc, d, -r));
    Value hi = cmp(b, loc, arith::CmpIPredicate::sle, d, constantLike(b, loc, d, r));
    return arith::AndIOp::create(b, loc, lo, hi).getResult();
  };
  return arith::AndIOp::create(b, loc, within(qr, kr, getRadiusH()),
                               within(qc, kc, getRadiusW()));
}

//===----------------------------------------------------------------------===//
// AllOfMaskAttr / AnyOfMaskAttr
//===----------------------------------------------------------------------===//

LogicalResult AllOfMaskAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                    ArrayAttr masks) {
  return verifyMaskList(emitError, masks);
}

LogicalResult AnyOfMaskAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                    ArrayAttr masks) {
  return verifyMaskList(emitError, masks);
}

Attribute AllOfMaskAttr::parse(AsmParser &parser, Type) {
  llvm::SMLoc loc = parser.getCurrentLocation();
  FailureOr<ArrayAttr> masks = parseMaskList(parser);
  if (failed(masks))
    return {};
  return AllOfMaskAttr::getChecked(
      [&] { return parser.emitError(loc); }, parser.getContext(), *masks);
}

void AllOfMaskAttr::print(AsmPrinter &printer) const {
  printMaskList(printer, getMasks());
}

Attribute AnyOfMaskAttr::parse(AsmParser &parser, Type) {
  llvm::SMLoc loc = parser.getCurrentLocation();
  FailureOr<ArrayAttr> masks = parseMaskList(parser);
  if (failed(masks))
    return {};
  return AnyOfMaskAttr::getChecked(
      [&] { return parser.emitError(loc); }, parser.getContext(), *masks);
}

void AnyOfMaskAttr::print(AsmPrinter &printer) const {
  printMaskList(printer, getMasks());
}

TileKind AllOfMaskAttr::classifyTile(int64_t q0, int64_t q1, int64_t k0,
                                     int64_t k1) const {
  if (emptyTile(q0, q1, k0, k1))
    return TileKind::Empty;
  bool allFull = true;
  for (auto m : getMasks().getAsRange<MaskAttrInterface>()) {
    TileKind kind = m.classifyTile(q0, q1, k0, k1);
    if (kind == TileKind::Empty)
      return TileKind::Empty;
    allFull &= kind == TileKind::Full;
  }
  return allFull ? TileKind::Full : TileKind::Partial;
}

bool AllOfMaskAttr::isAllowed(int64_t q, int64_t k) const {
  return llvm::all_of(getMasks().getAsRange<MaskAttrInterface>(),
                      [&](MaskAttrInterface m) { return m.isAllowed(q, k); });
}

Value AllOfMaskAttr::buildAllowed(OpBuilder &b, Location loc, Value q,
                                  Value k) const {
  Value result;
  for (auto m : getMasks().getAsRange<MaskAttrInterface>()) {
    Value v = m.buildAllowed(b, loc, q, k);
    result = result ? arith::AndIOp::create(b, loc, result, v).getResult() : v;
  }
  return result;
}

TileKind AnyOfMaskAttr::classifyTile(int64_t q0, int64_t q1, int64_t k0,
                                     int64_t k1) const {
  if (emptyTile(q0, q1, k0, k1))
    return TileKind::Empty;
  bool allEmpty = true;
  for (auto m : getMasks().getAsRange<MaskAttrInterface>()) {
    TileKind kind = m.classifyTile(q0, q1, k0, k1);
    if (kind == TileKind::Full)
      return TileKind::Full;
    allEmpty &= kind == TileKind::Empty;
  }
  return allEmpty ? TileKind::Empty : TileKind::Partial;
}

bool AnyOfMaskAttr::isAllowed(int64_t q, int64_t k) const {
  return llvm::any_of(getMasks().getAsRange<MaskAttrInterface>(),
                      [&](MaskAttrInterface m) { return m.isAllowed(q, k); });
}

Value AnyOfMaskAttr::buildAllowed(OpBuilder &b, Location loc, Value q,
                                  Value k) const {
  Value result;
  for (auto m : getMasks().getAsRange<MaskAttrInterface>()) {
    Value v = m.buildAllowed(b, loc, q, k);
    result = result ? arith::OrIOp::create(b, loc, result, v).getResult() : v;
  }
  return result;
}

//===----------------------------------------------------------------------===//
// CPUTargetAttr
//===----------------------------------------------------------------------===//

LogicalResult
CPUTargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      StringRef cpu, int64_t vectorBits,
                      int64_t vectorRegisters, bool fma) {
  if (vectorBits != 128 && vectorBits != 256 && vectorBits != 512)
    return emitError() << "expects vector_bits of 128, 256 or 512, got "
                       << vectorBits;
  if (vectorRegisters < 8 || vectorRegisters > 64)
    return emitError() << "expects 8 to 64 vector_registers, got "
                       << vectorRegisters;
  return success();
}
