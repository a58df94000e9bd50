//===- TesseraAttrs.cpp - Attention mask attributes -------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Each mask gives a closed-form tile classification where one is cheap and
// exact enough, a compile-time predicate, and the same predicate as IR.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::tessera;

#include "tessera/Dialect/Tessera/IR/TesseraAttrInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

TileKind mlir::tessera::classifyByEnumeration(MaskAttrInterface mask,
                                              int64_t q0, int64_t q1,
                                              int64_t k0, int64_t k1) {
  bool anyAllowed = false, anyMasked = false;
  for (int64_t q = q0; q < q1; ++q) {
    for (int64_t k = k0; k < k1; ++k) {
      (mask.isAllowed(q, k) ? anyAllowed : anyMasked) = true;
      if (anyAllowed && anyMasked)
        return TileKind::Partial;
    }
  }
  return anyAllowed ? TileKind::Full : TileKind::Empty;
}

/// Floor division (positions may be negative under bottom-right alignment).
static int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
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

static LogicalResult
verifyMaskList(function_ref<InFlightDiagnostic()> emitError, ArrayAttr masks) {
  if (masks.empty())
    return emitError() << "expects at least one mask";
  for (Attribute a : masks)
    if (!isa<MaskAttrInterface>(a))
      return emitError() << "expects mask attributes, got " << a;
  return success();
}

//===----------------------------------------------------------------------===//
// CausalMaskAttr
//===----------------------------------------------------------------------===//

TileKind CausalMaskAttr::classifyTile(int64_t q0, int64_t q1, int64_t k0,
                                      int64_t k1) const {
  if (k0 > q1 - 1)
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

TileKind SlidingWindowMaskAttr::classifyTile(int64_t q0, int64_t q1,
                                             int64_t k0, int64_t k1) const {
  if (k1 - 1 < q0 - getLeft() || k0 > q1 - 1 + getRight())
    return TileKind::Empty;
  if (k0 >= q1 - 1 - getLeft() && k1 - 1 <= q0 + getRight())
    return TileKind::Full;
  return TileKind::Partial;
}

bool SlidingWindowMaskAttr::isAllowed(int64_t q, int64_t k) const {
  return k >= q - getLeft() && k <= q + getRight();
}

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

TileKind Neighborhood2DMaskAttr::classifyTile(int64_t q0, int64_t q1,
                                              int64_t k0, int64_t k1) const {
  // Every allowed key lies within radius_h rows (plus radius_w columns) of
  // its query in the row-major numbering: prune far tiles before counting.
  int64_t reach = getRadiusH() * getWidth() + getRadiusW();
  if (k1 - 1 < q0 - reach || k0 > q1 - 1 + reach)
    return TileKind::Empty;
  return classifyByEnumeration(*this, q0, q1, k0, k1);
}

bool Neighborhood2DMaskAttr::isAllowed(int64_t q, int64_t k) const {
  int64_t w = getWidth();
  int64_t dr = floorDiv(q, w) - floorDiv(k, w);
  int64_t dc = (q - floorDiv(q, w) * w) - (k - floorDiv(k, w) * w);
  return std::abs(dr) <= getRadiusH() && std::abs(dc) <= getRadiusW();
}

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

TileKind AllOfMaskAttr::classifyTile(int64_t q0, int64_t q1, int64_t k0,
                                     int64_t k1) const {
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
