//===- EntryPasses.cpp - Entry signature and packed entry point -*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// The executable's runtime knows nothing about the compiled model except what
// these passes leave behind: a textual signature (names, dtypes, shapes) and
// one arity-independent entry point.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraDialect.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERAEXPORTENTRYPASS
#define GEN_PASS_DEF_TESSERAEMITENTRYWRAPPERPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;

/// The runtime's name for an element type, or an empty string.
static StringRef dtypeName(Type t) {
  if (t.isF32())
    return "f32";
  if (t.isF64())
    return "f64";
  if (t.isF16())
    return "f16";
  if (t.isBF16())
    return "bf16";
  if (t.isSignlessInteger(1))
    return "i1";
  if (t.isSignlessInteger(8))
    return "i8";
  if (t.isSignlessInteger(32))
    return "i32";
  if (t.isSignlessInteger(64))
    return "i64";
  return "";
}

static constexpr llvm::StringLiteral kNameAttr = kTensorNameAttrName;
/// What the entry function is renamed to, and its C interface.
static constexpr llvm::StringLiteral kModelSymbol = "tessera_model";
static constexpr llvm::StringLiteral kModelCInterface =
    "_mlir_ciface_tessera_model";

namespace {

struct TesseraExportEntryPass
    : tessera::impl::TesseraExportEntryPassBase<TesseraExportEntryPass> {
  using Base::Base;

  /// Appends one signature line; fails with a diagnostic on types the
  /// runtime cannot feed.
  LogicalResult addLine(func::FuncOp func, llvm::raw_ostream &os,
                        StringRef kind, StringRef name, Type type,
                        llvm::StringSet<> &seen,
                        DenseI64ArrayAttr range = {}) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape())
      return func.emitError() << "entry " << kind << " '" << name
                              << "' must be a statically shaped tensor, got "
                              << type;
    if (!getBoundedByteSize(tensor))
      return func.emitError() << "entry " << kind << " '" << name
                              << "' is larger than 2^62 bytes";
    StringRef dtype = dtypeName(tensor.getElementType());
    if (dtype.empty())
      return func.emitError() << "entry " << kind << " '" << name
                              << "' has unsupported element type "
                              << tensor.getElementType();
    // The verifier checks explicit names; this guards IR built without it.
    if (!isValidTensorName(name))
      return func.emitError() << "entry " << kind
                              << " has an invalid tensor name";
    if (!seen.insert(name).second)
      return func.emitError() << "entry tensor name '" << name
                              << "' is used twice";
    os << kind << ' ' << name << ' ' << dtype << ' ';
    llvm::interleave(tensor.getShape(), os, ",");
    if (range)
      os << " range=" << range[0] << ',' << range[1];
    os << '\n';
    return success();
  }

  static std::string nameOf(DictionaryAttr attrs, StringRef prefix,
                            unsigned index) {
    if (attrs)
      if (auto name = attrs.getAs<StringAttr>(kNameAttr))
        return name.str();
    return (prefix + Twine(index)).str();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>(entry);
    if (!func || func.isExternal()) {
      std::string shown;
      llvm::raw_string_ostream(shown).write_escaped(entry, true);
      module.emitError() << "entry function '@" << shown
                         << "' not found (use --entry=NAME)";
      return signalPassFailure();
    }
    if (func.getNumResults() == 0) {
      func.emitError() << "entry function '@" << entry
                       << "' must return at least one tensor";
      return signalPassFailure();
    }

    // The entry's name is the signature's first line: it must be a word.
    if (!isValidTensorName(entry)) {
      func.emitError() << "entry function name must match "
                          "[A-Za-z_][A-Za-z0-9_.-]* and be at most "
                       << kMaxTensorNameLength << " bytes long";
      return signalPassFailure();
    }

    std::string text;
    llvm::raw_string_ostream os(text);
    os << "entry " << entry << '\n';
    llvm::StringSet<> seen;
    for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
      if (failed(addLine(func, os, "input", nameOf(func.getArgAttrDict(i), "arg", i),
                         type, seen,
                         func.getArgAttrOfType<DenseI64ArrayAttr>(
                             i, kValidRangeAttrName))))
        return signalPassFailure();
    for (auto [i, type] : llvm::enumerate(func.getResultTypes()))
      if (failed(addLine(func, os, "output",
                         nameOf(func.getResultAttrDict(i), "result", i), type,
                         seen)))
        return signalPassFailure();
    text.push_back('\0');

    // The names now live in the signature; LLVM IR has no place for them.
    // Other functions become private: only the entry is exported (and none
    // may clash with the runtime's `main`); symbol-dce drops the unused ones.
    for (auto f : module.getOps<func::FuncOp>()) {
      for (unsigned i = 0, e = f.getNumArguments(); i < e; ++i) {
        f.removeArgAttr(i, kNameAttr);
        f.removeArgAttr(i, kValidRangeAttrName);
      }
      for (unsigned i = 0, e = f.getNumResults(); i < e; ++i)
        f.removeResultAttr(i, StringAttr::get(&getContext(), kNameAttr));
      if (f != func && !f.isExternal())
        f.setPrivate();
    }
    // The runtime defines `main`; give the entry a fixed, private name.
    if (failed(SymbolTable::replaceAllSymbolUses(
            func, StringAttr::get(&getContext(), kModelSymbol), module))) {
      func.emitError("cannot rename the entry function");
      return signalPassFailure();
    }
    func.setSymName(kModelSymbol);
    func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                  UnitAttr::get(&getContext()));
    if (auto old = module.lookupSymbol("tessera_signature"))
      old->erase();
    for (StringRef sym : {"tessera_signature_size", "tessera_num_inputs",
                          "tessera_num_outputs"})
      if (auto old = module.lookupSymbol(sym))
        old->erase();
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    auto arrayType =
        LLVM::LLVMArrayType::get(IntegerType::get(&getContext(), 8), text.size());
    LLVM::GlobalOp::create(b, module.getLoc(), arrayType, /*isConstant=*/true,
                           LLVM::Linkage::External, "tessera_signature",
                           b.getStringAttr(text));
    // The runtime checks the text against these before trusting it: a
    // length that differs from strlen() or a line count that differs from
    // the entry's arity is a malformed signature, never an out-of-bounds
    // argument array.
    auto i64 = b.getI64Type();
    auto addI64 = [&](StringRef sym, int64_t value) {
      LLVM::GlobalOp::create(b, module.getLoc(), i64, /*isConstant=*/true,
                             LLVM::Linkage::External, sym,
                             b.getI64IntegerAttr(value));
    };
    addI64("tessera_signature_size", int64_t(text.size()) - 1);
    addI64("tessera_num_inputs", func.getNumArguments());
    addI64("tessera_num_outputs", func.getNumResults());
  }
};

struct TesseraEmitEntryWrapperPass
    : tessera::impl::TesseraEmitEntryWrapperPassBase<TesseraEmitEntryWrapperPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(kModelCInterface);
    if (!callee) {
      module.emitError() << "'" << kModelCInterface
                         << "' not found: run tessera-export-entry before "
                            "lowering to the LLVM dialect";
      return signalPassFailure();
    }
    if (module.lookupSymbol("tessera_entry")) {
      module.emitError() << "symbol 'tessera_entry' is already defined";
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    Location loc = callee.getLoc();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto wrapper = LLVM::LLVMFuncOp::create(
        b, loc, "tessera_entry",
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptrType}));
    Block *body = wrapper.addEntryBlock(b);
    b.setInsertionPointToStart(body);
    SmallVector<Value> operands;
    for (unsigned i = 0, e = callee.getNumArguments(); i < e; ++i) {
      Value slot = LLVM::GEPOp::create(b, loc, ptrType, ptrType,
                                       body->getArgument(0),
                                       ArrayRef<LLVM::GEPArg>{int32_t(i)});
      operands.push_back(LLVM::LoadOp::create(b, loc, ptrType, slot));
    }
    LLVM::CallOp::create(b, loc, callee, operands);
    LLVM::ReturnOp::create(b, loc, ValueRange());
  }
};

} // namespace
