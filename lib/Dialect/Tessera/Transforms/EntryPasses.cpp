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

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
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

/// Longest symbol prefix accepted.
static constexpr size_t kMaxPrefixLength = 64;

/// A symbol prefix is a C identifier, so every exported symbol is one.
static bool isValidPrefix(StringRef prefix) {
  return !prefix.empty() && prefix.size() <= kMaxPrefixLength &&
         !llvm::isDigit(prefix.front()) && llvm::all_of(prefix, [](char c) {
           return llvm::isAlnum(c) || c == '_';
         });
}

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

  /// Checks `entry` and returns its signature text, or failure.
  FailureOr<std::string> signatureOf(ModuleOp module, StringRef entry) {
    auto func = module.lookupSymbol<func::FuncOp>(entry);
    if (!func || func.isExternal()) {
      module.emitError() << "entry function '@" << quoteForDiagnostic(entry)
                         << "' not found (use --entry=NAME)";
      return failure();
    }
    if (func.getNumResults() == 0)
      return func.emitError() << "entry function '@" << entry
                              << "' must return at least one tensor";
    // The entry's name is the signature's first line: it must be a word.
    if (!isValidTensorName(entry))
      return func.emitError() << "entry function name must match "
                                 "[A-Za-z_][A-Za-z0-9_.-]* and be at most "
                              << kMaxTensorNameLength << " bytes long";
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "entry " << entry << '\n';
    llvm::StringSet<> seen;
    for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
      if (failed(addLine(func, os, "input",
                         nameOf(func.getArgAttrDict(i), "arg", i), type, seen,
                         func.getArgAttrOfType<DenseI64ArrayAttr>(
                             i, kValidRangeAttrName))))
        return failure();
    for (auto [i, type] : llvm::enumerate(func.getResultTypes()))
      if (failed(addLine(func, os, "output",
                         nameOf(func.getResultAttrDict(i), "result", i), type,
                         seen)))
        return failure();
    return text;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    if (!isValidPrefix(symbolPrefix)) {
      module.emitError() << "symbol prefix '"
                         << quoteForDiagnostic(symbolPrefix)
                         << "' must be a C identifier of at most "
                         << kMaxPrefixLength << " characters";
      return signalPassFailure();
    }
    SmallVector<std::string> names(entries.begin(), entries.end());
    if (names.empty())
      names.push_back("main");
    llvm::StringSet<> unique;
    for (const std::string &name : names)
      if (!unique.insert(name).second) {
        module.emitError() << "entry function '@" << quoteForDiagnostic(name)
                           << "' is listed twice";
        return signalPassFailure();
      }

    SmallVector<func::FuncOp> funcs;
    SmallVector<Attribute> models;
    for (const std::string &name : names) {
      FailureOr<std::string> text = signatureOf(module, name);
      if (failed(text))
        return signalPassFailure();
      auto func = module.lookupSymbol<func::FuncOp>(name);
      std::string symbol = symbolPrefix + "_model_" + name;
      if (Operation *other = module.lookupSymbol(symbol);
          other && other != func) {
        other->emitError() << "symbol '@" << symbol
                           << "' is reserved for the exported entry '@" << name
                           << "'";
        return signalPassFailure();
      }
      funcs.push_back(func);
      models.push_back(DictionaryAttr::get(
          ctx, {NamedAttribute(StringAttr::get(ctx, "function"),
                               StringAttr::get(ctx, symbol)),
                NamedAttribute(StringAttr::get(ctx, "signature"),
                               StringAttr::get(ctx, *text)),
                NamedAttribute(StringAttr::get(ctx, "inputs"),
                               IntegerAttr::get(IntegerType::get(ctx, 64),
                                                func.getNumArguments())),
                NamedAttribute(StringAttr::get(ctx, "outputs"),
                               IntegerAttr::get(IntegerType::get(ctx, 64),
                                                func.getNumResults()))}));
    }

    // The names now live in the signatures; LLVM IR has no place for them.
    // Other functions become private: only the entries are exported (and
    // none may clash with the runtime's `main`); symbol-dce drops the
    // unused ones.
    for (auto f : module.getOps<func::FuncOp>()) {
      for (unsigned i = 0, e = f.getNumArguments(); i < e; ++i) {
        f.removeArgAttr(i, kNameAttr);
        f.removeArgAttr(i, kValidRangeAttrName);
      }
      for (unsigned i = 0, e = f.getNumResults(); i < e; ++i)
        f.removeResultAttr(i, StringAttr::get(ctx, kNameAttr));
      if (!llvm::is_contained(funcs, f) && !f.isExternal())
        f.setPrivate();
    }
    for (auto [func, model] : llvm::zip(funcs, models)) {
      auto symbol = cast<DictionaryAttr>(model).getAs<StringAttr>("function");
      if (failed(SymbolTable::replaceAllSymbolUses(func, symbol, module))) {
        func.emitError("cannot rename the entry function");
        return signalPassFailure();
      }
      func.setSymName(symbol);
      func.setPublic();
      // Inputs belong to the caller (zero-copy from NumPy, read-only
      // mappings of weight files): bufferization copies instead of
      // writing into them.
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
        func.setArgAttr(i, "bufferization.writable", BoolAttr::get(ctx, false));
      func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                    UnitAttr::get(ctx));
    }
    module->setAttr(
        kExportsAttrName,
        DictionaryAttr::get(ctx,
                            {NamedAttribute(StringAttr::get(ctx, "prefix"),
                                            StringAttr::get(ctx, symbolPrefix)),
                             NamedAttribute(StringAttr::get(ctx, "models"),
                                            ArrayAttr::get(ctx, models))}));
  }
};

struct TesseraEmitEntryWrapperPass
    : tessera::impl::TesseraEmitEntryWrapperPassBase<
          TesseraEmitEntryWrapperPass> {
  using Base::Base;

  /// Fails with a diagnostic if `name` is taken.
  static LogicalResult checkFree(ModuleOp module, StringRef name) {
    if (module.lookupSymbol(name))
      return module.emitError() << "symbol '" << name << "' is already defined";
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    auto exports = module->getAttrOfType<DictionaryAttr>(kExportsAttrName);
    if (!exports) {
      module.emitError() << "no '" << kExportsAttrName
                         << "' attribute: run tessera-export-entry before "
                            "lowering to the LLVM dialect";
      return signalPassFailure();
    }
    StringRef prefix = exports.getAs<StringAttr>("prefix").getValue();
    auto models =
        exports.getAs<ArrayAttr>("models").getAsRange<DictionaryAttr>();
    std::string table = (prefix + "_models").str();
    std::string count = (prefix + "_num_models").str();
    if (failed(checkFree(module, table)) || failed(checkFree(module, count)))
      return signalPassFailure();

    Location loc = module.getLoc();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    // Per model: the packed entry point and the signature text.
    SmallVector<std::pair<LLVM::LLVMFuncOp, LLVM::GlobalOp>> entries;
    for (DictionaryAttr model : models) {
      StringRef function = model.getAs<StringAttr>("function").getValue();
      std::string cInterface = ("_mlir_ciface_" + function).str();
      auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(cInterface);
      if (!callee) {
        module.emitError() << "'" << cInterface
                           << "' not found: run tessera-export-entry before "
                              "lowering to the LLVM dialect";
        return signalPassFailure();
      }
      StringRef base = function.drop_front(prefix.size() + strlen("_model_"));
      std::string entryName = (prefix + "_entry_" + base).str();
      std::string sigName = (prefix + "_signature_" + base).str();
      if (failed(checkFree(module, entryName)) ||
          failed(checkFree(module, sigName)))
        return signalPassFailure();

      auto wrapper = LLVM::LLVMFuncOp::create(
          b, loc, entryName,
          LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptrType}),
          LLVM::Linkage::Internal);
      Block *body = wrapper.addEntryBlock(b);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(body);
      SmallVector<Value> operands;
      for (unsigned i = 0, e = callee.getNumArguments(); i < e; ++i) {
        Value slot =
            LLVM::GEPOp::create(b, loc, ptrType, ptrType, body->getArgument(0),
                                ArrayRef<LLVM::GEPArg>{int32_t(i)});
        operands.push_back(LLVM::LoadOp::create(b, loc, ptrType, slot));
      }
      LLVM::CallOp::create(b, loc, callee, operands);
      LLVM::ReturnOp::create(b, loc, ValueRange());
      b.setInsertionPointToEnd(module.getBody());

      std::string text =
          model.getAs<StringAttr>("signature").getValue().str() + '\0';
      auto textType =
          LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8), text.size());
      auto sig = LLVM::GlobalOp::create(b, loc, textType, /*isConstant=*/true,
                                        LLVM::Linkage::Internal, sigName,
                                        b.getStringAttr(text));
      entries.emplace_back(wrapper, sig);
    }

    // The table: {signature, signature_size, num_inputs, num_outputs, entry}
    // per model (include/tessera-c/Model.h).
    auto modelType = LLVM::LLVMStructType::getLiteral(
        ctx, {ptrType, i64, i64, i64, ptrType});
    auto tableType = LLVM::LLVMArrayType::get(modelType, entries.size());
    auto global =
        LLVM::GlobalOp::create(b, loc, tableType, /*isConstant=*/true,
                               LLVM::Linkage::External, table, Attribute());
    Block *init = b.createBlock(&global.getInitializerRegion());
    b.setInsertionPointToStart(init);
    Value value = LLVM::UndefOp::create(b, loc, tableType);
    for (auto [i, pair, model] :
         llvm::enumerate(entries, exports.getAs<ArrayAttr>("models"))) {
      auto [wrapper, sig] = pair;
      auto m = cast<DictionaryAttr>(model);
      auto constant = [&](int64_t v) -> Value {
        return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(v));
      };
      Value fields[] = {
          LLVM::AddressOfOp::create(b, loc, sig),
          constant(cast<LLVM::LLVMArrayType>(sig.getType()).getNumElements() -
                   1),
          constant(m.getAs<IntegerAttr>("inputs").getInt()),
          constant(m.getAs<IntegerAttr>("outputs").getInt()),
          LLVM::AddressOfOp::create(b, loc, wrapper)};
      for (auto [f, field] : llvm::enumerate(fields))
        value = LLVM::InsertValueOp::create(
            b, loc, value, field, ArrayRef<int64_t>{int64_t(i), int64_t(f)});
    }
    LLVM::ReturnOp::create(b, loc, value);
    b.setInsertionPointToEnd(module.getBody());
    LLVM::GlobalOp::create(b, loc, i64, /*isConstant=*/true,
                           LLVM::Linkage::External, count,
                           b.getI64IntegerAttr(int64_t(entries.size())));
    module->removeAttr(kExportsAttrName);
  }
};

} // namespace
