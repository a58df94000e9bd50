//===- signature_fuzzer.cpp - libFuzzer target for model signatures -------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Parses the input as an embedded signature, as main() does: with the size
// and arities taken from the input itself, a NUL inside the text must be
// rejected. An accepted signature has valid, unique names and sizes that fit,
// and prints back to text that parses to the same signature.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"
#include "Signature.h"

#include <cstring>
#include <set>

using namespace tessera::runtime;

static bool sameSpecs(const std::vector<TensorSpec> &a,
                      const std::vector<TensorSpec> &b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name || !(a[i].type == b[i].type))
      return false;
  return true;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  Signature parsed;
  bool ok = !parseSignature(text, parsed);
  size_t length = std::strlen(text.c_str());

  // The object's view: the size is the whole text, the arities those parsed.
  int64_t declaredSize = static_cast<int64_t>(size);
  int64_t numInputs = static_cast<int64_t>(parsed.inputs.size());
  int64_t numOutputs = static_cast<int64_t>(parsed.outputs.size());
  void (*entry)(void **) = [](void **) {};
  TesseraModel model{text.c_str(), declaredSize, numInputs, numOutputs, entry};
  Signature signature;
  Error err = parseModelSignature(model, signature);
  FUZZ_CHECK(!err == (ok && length == size));
  if (err) {
    FUZZ_CHECK(err.message().rfind("malformed embedded signature: ", 0) == 0);
    return 0;
  }

  std::set<std::string> names;
  std::string printed = "entry " + signature.entry + "\n";
  if (signature.entry.empty())
    printed.clear();
  for (int isInput = 1; isInput >= 0; --isInput)
    for (const TensorSpec &spec :
         isInput ? signature.inputs : signature.outputs) {
      FUZZ_CHECK(isValidTensorName(spec.name));
      FUZZ_CHECK(names.insert(spec.name).second);
      uint64_t numElements;
      FUZZ_CHECK(computeSize(spec.type.shape,
                             getDTypeInfo(spec.type.dtype).size, numElements));
      std::string dims = formatShape(spec.type.shape);
      printed += std::string(isInput ? "input " : "output ") + spec.name + " " +
                 getDTypeInfo(spec.type.dtype).name + " " +
                 dims.substr(1, dims.size() - 2) + "\n";
    }
  Signature reparsed;
  FUZZ_CHECK(!parseSignature(printed, reparsed));
  FUZZ_CHECK(reparsed.entry == signature.entry);
  FUZZ_CHECK(sameSpecs(reparsed.inputs, signature.inputs));
  FUZZ_CHECK(sameSpecs(reparsed.outputs, signature.outputs));

  // Wrong arities are rejected.
  int64_t wrong = numInputs + 1;
  TesseraModel bad{text.c_str(), declaredSize, wrong, numOutputs, entry};
  FUZZ_CHECK(parseModelSignature(bad, reparsed));
  return 0;
}
