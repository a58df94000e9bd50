//===- Main.cpp - Tessera executable entry point --------------------------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Provides main() for executables produced by tesserac: parses the command
// line, loads and validates every input before any compute, calls the
// compiled entry point through its packed interface, and reports, writes and
// benchmarks the results.
//
//===----------------------------------------------------------------------===//

#include "Cuda.h"
#include "Npy.h"
#include "SafeTensors.h"
#include "Signature.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sys/resource.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace tessera::runtime;

extern "C" {
/// The model table of the object emitted by tesserac
/// (include/tessera-c/Model.h); each entry's sizes are checked against its
/// text before it is trusted (see parseModelSignature).
extern const TesseraModel tessera_models[];
extern const int64_t tessera_num_models;
/// The CPU the object was compiled for and its features, space-separated.
/// Weak: objects lowered by hand (tessera-opt, mlir-translate) lack it.
extern const char tessera_cpu_features[] __attribute__((weak));
/// Provided by libomp, which every generated executable links.
void omp_set_num_threads(int);
}

namespace {

/// Exit status for bad command lines and bad input files.
constexpr int exitBadInput = 2;
/// Exit status for failures that are not the user's fault.
constexpr int exitFailure = 1;

/// Prints "error: <message>" as a single line and returns `status`.
int report(const Error &err, int status) {
  std::string line;
  for (unsigned char c : err.message()) {
    if (c < 0x20 || c == 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", c);
      line += escaped;
    } else {
      line += static_cast<char>(c);
    }
  }
  std::fprintf(stderr, "error: %s\n", line.c_str());
  return status;
}

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

struct Options {
  /// (input name, .npy path) pairs from --input.
  std::vector<std::pair<std::string, std::string>> inputs;
  std::optional<std::string> weights, outputDir;
  /// The model given by --entry (default: the first).
  std::optional<std::string> entry;
  bool randomInputs = false, printSignature = false, help = false;
  uint64_t seed = 0;
  int64_t benchIters = 0;
  int threads = 0;
  std::optional<int> device;
};

/// Parses a decimal integer in [min, max].
bool parseInteger(const std::string &text, uint64_t min, uint64_t max,
                  uint64_t &value) {
  if (text.empty() || text.size() > 20 ||
      text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  errno = 0;
  value = std::strtoull(text.c_str(), nullptr, 10);
  return errno == 0 && value >= min && value <= max;
}

Error parseOptions(int argc, char **argv, const Signature &signature,
                   Options &options) {
  enum Kind {
    Input,
    Weights,
    Random,
    Seed,
    Output,
    Bench,
    Threads,
    Device,
    PrintSig,
    Entry,
    Help
  };
  struct OptionInfo {
    const char *name;
    Kind kind;
    bool hasValue;
  };
  static const OptionInfo table[] = {
      {"--input", Input, true},
      {"--weights", Weights, true},
      {"--random-inputs", Random, false},
      {"--seed", Seed, true},
      {"--output", Output, true},
      {"--bench", Bench, true},
      {"--threads", Threads, true},
      {"--device", Device, true},
      {"--print-signature", PrintSig, false},
      {"--entry", Entry, true},
      {"--help", Help, false},
  };
  bool seen[Help + 1] = {};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.compare(0, 2, "--") != 0 || arg == "--")
      return Error("unexpected argument '" + arg + "'");
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    const OptionInfo *option = nullptr;
    for (const OptionInfo &candidate : table)
      if (arg == candidate.name)
        option = &candidate;
    if (!option)
      return Error("unknown option '" + arg + "'");
    if (!option->hasValue && value)
      return Error("option '" + arg + "' does not take a value");
    if (option->hasValue && !value) {
      if (i + 1 == argc)
        return Error("option '" + arg + "' requires a value");
      value = argv[++i];
    }
    if (option->hasValue && option->kind != Input && seen[option->kind])
      return Error("option '" + arg + "' given more than once");
    seen[option->kind] = true;
    auto invalid = [&](const std::string &expected) {
      return Error("invalid value '" + *value + "' for option '" + arg +
                   "' (expected " + expected + ")");
    };
    uint64_t number;
    switch (option->kind) {
    case Input: {
      size_t eq = value->find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == value->size())
        return invalid("NAME=FILE");
      std::string name = value->substr(0, eq);
      if (!signature.findInput(name))
        return Error("--input: the model has no input named '" + name + "'");
      for (const auto &given : options.inputs)
        if (given.first == name)
          return Error("input '" + name + "' given more than once");
      options.inputs.emplace_back(name, value->substr(eq + 1));
      break;
    }
    case Weights:
      options.weights = *value;
      break;
    case Output:
      if (value->empty())
        return invalid("a directory");
      options.outputDir = *value;
      break;
    case Random:
      options.randomInputs = true;
      break;
    case Seed:
      if (!parseInteger(*value, 0, UINT64_MAX, number))
        return invalid("a non-negative integer");
      options.seed = number;
      break;
    case Bench:
      if (!parseInteger(*value, 1, INT32_MAX, number))
        return invalid("an integer >= 1");
      options.benchIters = static_cast<int64_t>(number);
      break;
    case Threads:
      if (!parseInteger(*value, 1, INT32_MAX, number))
        return invalid("an integer >= 1");
      options.threads = static_cast<int>(number);
      break;
    case Device:
      if (signature.target != "cuda")
        return Error("--device applies to executables built with "
                     "--target=cuda; this one runs on the CPU");
      if (!parseInteger(*value, 0, INT32_MAX, number))
        return invalid("a non-negative integer");
      options.device = static_cast<int>(number);
      break;
    case PrintSig:
      options.printSignature = true;
      break;
    case Entry:
      // Chosen before the options are parsed (selectModel).
      options.entry = *value;
      break;
    case Help:
      options.help = true;
      break;
    }
  }
  return Error::success();
}

void printSignature(const Signature &signature) {
  for (const TensorSpec &spec : signature.inputs)
    std::printf("input  %s: %s\n", spec.name.c_str(), spec.type.str().c_str());
  for (const TensorSpec &spec : signature.outputs)
    std::printf("output %s: %s\n", spec.name.c_str(), spec.type.str().c_str());
  if (signature.scratchBytes)
    std::printf("scratch: %llu bytes (intermediate buffers, planned at "
                "compile time)\n",
                static_cast<unsigned long long>(*signature.scratchBytes));
  if (signature.target == "cuda")
    std::printf("target: cuda (kernels run on a CUDA GPU; --device N picks "
                "it)\n");
}

void printUsage(const char *program, const Signature &signature) {
  std::printf(
      "usage: %s [options]\n"
      "\n"
      "Runs the compiled model '%s' once and prints, for each result, its\n"
      "sum and mean absolute value.\n"
      "\n"
      "options:\n"
      "  --input NAME=FILE.npy     read input NAME from a .npy file\n"
      "  --weights FILE            read inputs not given by --input from a\n"
      "                            .safetensors file (by name)\n"
      "  --random-inputs           fill remaining inputs with deterministic\n"
      "                            pseudo-random values\n"
      "  --seed N                  seed for --random-inputs (default 0)\n"
      "  --output DIR              write each result to DIR/NAME.npy\n"
      "  --bench N                 time N more runs after a warm-up run\n"
      "  --threads N               set the number of OpenMP threads\n"
      "  --device N                the CUDA GPU to run on (default 0;\n"
      "                            --target=cuda executables)\n"
      "  --print-signature         print the model inputs and outputs\n"
      "  --entry NAME              run the model NAME of an executable with\n"
      "                            several (default: the first)\n"
      "  --help                    print this help\n"
      "\n"
      "model signature:\n",
      program, signature.entry.c_str());
  printSignature(signature);
}

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

/// The splitmix64 finalizer.
uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Fills `data` with `type.shape` values from a splitmix64 stream seeded by
/// `seed` and the input index. Floats are uniform in [-1, 1) on a grid that
/// is exact in the element type; integers are in [0, 16) (in `range` when
/// the input declares one), i1 in {0, 1}.
Error fillRandom(const TensorType &type, uint64_t seed, size_t index,
                 AlignedBuffer &data,
                 std::optional<std::pair<int64_t, int64_t>> range) {
  auto inRange = [&](uint64_t v) -> int64_t {
    if (!range)
      return static_cast<int64_t>(v);
    return range->first +
           static_cast<int64_t>(v % static_cast<uint64_t>(range->second -
                                                          range->first));
  };
  uint64_t numElements, byteSize;
  if (!computeSize(type.shape, getDTypeInfo(type.dtype).size, numElements,
                   &byteSize))
    return Error("shape " + formatShape(type.shape) + " is too large");
  if (Error err = data.allocate(byteSize))
    return err;
  uint64_t state = mix64(seed ^ mix64(index + 1));
  auto store = [&](uint64_t i, auto value) {
    std::memcpy(static_cast<char *>(data.data()) + i * sizeof(value), &value,
                sizeof(value));
  };
  for (uint64_t i = 0; i < numElements; ++i) {
    uint64_t bits = mix64(state += 0x9e3779b97f4a7c15ULL);
    // Uniform in [-1, 1) with `precision` significant bits.
    auto uniform = [&](int precision) {
      return std::ldexp(static_cast<double>(bits >> (64 - precision)),
                        1 - precision) -
             1.0;
    };
    switch (type.dtype) {
    case DType::F32:
      store(i, static_cast<float>(uniform(24)));
      break;
    case DType::F64:
      store(i, uniform(53));
      break;
    case DType::F16:
      store(i, floatToHalf(static_cast<float>(uniform(11))));
      break;
    case DType::BF16:
      store(i, floatToBF16(static_cast<float>(uniform(8))));
      break;
    case DType::I8:
      store(i, static_cast<int8_t>(bits >> 60));
      break;
    case DType::I32:
      store(i, static_cast<int32_t>(inRange(bits >> 60)));
      break;
    case DType::I64:
      store(i, static_cast<int64_t>(inRange(bits >> 60)));
      break;
    case DType::I1:
      store(i, static_cast<uint8_t>(bits >> 63));
      break;
    }
  }
  return Error::success();
}

/// Loads every input (from --input, then --weights, then --random-inputs).
/// Every element of integer input `spec`, read from `source`, lies in its
/// declared range.
Error checkRange(const TensorSpec &spec, const AlignedBuffer &data,
                 const std::string &source) {
  if (!spec.range)
    return Error::success();
  uint64_t numElements;
  computeSize(spec.type.shape, 1, numElements);
  for (uint64_t i = 0; i < numElements; ++i) {
    int64_t v;
    const char *p = static_cast<const char *>(data.data());
    if (spec.type.dtype == DType::I64) {
      std::memcpy(&v, p + 8 * i, 8);
    } else if (spec.type.dtype == DType::I32) {
      int32_t w;
      std::memcpy(&w, p + 4 * i, 4);
      v = w;
    } else {
      return Error::success();
    }
    if (v < spec.range->first || v >= spec.range->second)
      return Error(source + ": tensor '" + spec.name + "': element " +
                   std::to_string(i) +
                   " is " + std::to_string(v) + ", outside the valid range [" +
                   std::to_string(spec.range->first) + ", " +
                   std::to_string(spec.range->second) + ")");
  }
  return Error::success();
}

Error loadInputs(const Options &options, const Signature &signature,
                 std::vector<AlignedBuffer> &buffers) {
  std::optional<SafeTensorsFile> weights;
  if (options.weights)
    if (Error err = weights.emplace().open(*options.weights))
      return err;
  for (size_t i = 0; i < signature.inputs.size(); ++i) {
    const TensorSpec &spec = signature.inputs[i];
    auto given =
        std::find_if(options.inputs.begin(), options.inputs.end(),
                     [&](auto &input) { return input.first == spec.name; });
    if (given != options.inputs.end()) {
      if (Error err = readNpy(given->second, spec.name, spec.type, buffers[i]))
        return err;
    } else if (weights &&
               (weights->contains(spec.name) || !options.randomInputs)) {
      if (Error err = weights->load(spec.name, spec.type, buffers[i]))
        return err;
    } else if (options.randomInputs) {
      if (Error err = fillRandom(spec.type, options.seed, i, buffers[i],
                                 spec.range))
        return Error("input '" + spec.name + "': " + err.message());
    } else {
      return Error("input '" + spec.name +
                   "' not provided (use --input, --weights or "
                   "--random-inputs)");
    }
    std::string source = given != options.inputs.end() ? given->second
                         : weights ? *options.weights
                                   : std::string("--random-inputs");
    if (Error err = checkRange(spec, buffers[i], source))
      return err;
  }
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Calling the model
//===----------------------------------------------------------------------===//

/// A result memref as written by the compiled code.
struct ResultView {
  void *allocated;
  const char *data; // aligned + offset * element size.
  std::vector<int64_t> sizes, strides;
};

/// Owns the memref descriptors of one model invocation.
class ModelRunner {
public:
  /// `inputs[i]` holds input i (host-shared memory for a CUDA model).
  ModelRunner(const TesseraModel &model, const Signature &signature,
              const std::vector<void *> &inputs)
      : entry(model.entry), signature(signature) {
    size_t resultWords = 0;
    for (const TensorSpec &spec : signature.outputs)
      resultWords += 3 + 2 * spec.type.shape.size();
    resultStorage.assign(std::max<size_t>(resultWords, 1), 0);
    args.push_back(resultStorage.data());
    for (size_t i = 0; i < inputs.size(); ++i) {
      const std::vector<int64_t> &shape = signature.inputs[i].type.shape;
      std::vector<int64_t> &desc = inputDescriptors.emplace_back(3, 0);
      storePointer(desc[0], inputs[i]);
      storePointer(desc[1], inputs[i]);
      desc.insert(desc.end(), shape.begin(), shape.end());
      // Row-major strides (in elements).
      std::vector<int64_t> strides(shape.size(), 1);
      for (size_t d = shape.size(); d-- > 1;)
        strides[d - 1] = strides[d] * shape[d];
      desc.insert(desc.end(), strides.begin(), strides.end());
      inputPointers.push_back(inputs[i]);
    }
    for (std::vector<int64_t> &desc : inputDescriptors)
      args.push_back(desc.data());
  }

  /// Calls the entry point; results stay alive until freeResults().
  void run() {
    std::fill(resultStorage.begin(), resultStorage.end(), 0);
    entry(args.data());
  }

  /// Decodes the result descriptors of the last run.
  std::vector<ResultView> results() const {
    std::vector<ResultView> views;
    const int64_t *word = resultStorage.data();
    for (const TensorSpec &spec : signature.outputs) {
      size_t rank = spec.type.shape.size();
      ResultView &view = views.emplace_back();
      view.allocated = loadPointer(word[0]);
      // Wrapping arithmetic: the offset comes from the compiled code.
      view.data = reinterpret_cast<const char *>(
          reinterpret_cast<uintptr_t>(loadPointer(word[1])) +
          static_cast<uintptr_t>(word[2]) * getDTypeInfo(spec.type.dtype).size);
      view.sizes.assign(word + 3, word + 3 + rank);
      view.strides.assign(word + 3 + rank, word + 3 + 2 * rank);
      word += 3 + 2 * rank;
    }
    return views;
  }

  /// Frees the result buffers of the last run, skipping constant globals,
  /// inputs and buffers shared by several results.
  void freeResults() {
    std::vector<void *> freed;
    for (const ResultView &view : results()) {
      void *p = view.allocated;
      if (!p || p == reinterpret_cast<void *>(0xdeadbeef) ||
          std::count(inputPointers.begin(), inputPointers.end(), p) ||
          std::count(freed.begin(), freed.end(), p))
        continue;
      freed.push_back(p);
      if (signature.target == "cuda")
        cuda::freeShared(p);
      else
        std::free(p);
    }
  }

private:
  static void storePointer(int64_t &word, void *p) {
    std::memcpy(&word, &p, sizeof(p));
  }
  static void *loadPointer(int64_t word) {
    void *p;
    std::memcpy(&p, &word, sizeof(p));
    return p;
  }

  void (*entry)(void **);
  const Signature &signature;
  std::vector<int64_t> resultStorage;
  std::vector<std::vector<int64_t>> inputDescriptors;
  std::vector<void *> inputPointers;
  std::vector<void *> args;
};

static_assert(sizeof(void *) == sizeof(int64_t), "64-bit hosts only");

/// Copies a strided result into a contiguous row-major buffer.
Error gatherResult(const TensorSpec &spec, const ResultView &view,
                   AlignedBuffer &out) {
  TensorType actual{spec.type.dtype, view.sizes};
  if (actual.shape != spec.type.shape)
    return Error("result '" + spec.name + "': expected shape " +
                 formatShape(spec.type.shape) + ", got " +
                 formatShape(actual.shape));
  size_t elemSize = getDTypeInfo(spec.type.dtype).size;
  uint64_t numElements, byteSize;
  if (!computeSize(actual.shape, elemSize, numElements, &byteSize))
    return Error("result '" + spec.name + "': shape is too large");
  if (Error err = out.allocate(byteSize))
    return Error("result '" + spec.name + "': " + err.message());
  size_t rank = view.sizes.size();
  std::vector<int64_t> index(rank, 0);
  uint64_t offset = 0; // In elements, wrapping (strides may be negative).
  char *dst = static_cast<char *>(out.data());
  for (uint64_t n = 0; n < numElements; ++n) {
    std::memcpy(dst + n * elemSize,
                view.data + static_cast<int64_t>(offset) *
                                static_cast<int64_t>(elemSize),
                elemSize);
    for (size_t d = rank; d-- > 0;) {
      offset += static_cast<uint64_t>(view.strides[d]);
      if (++index[d] < view.sizes[d])
        break;
      offset -= static_cast<uint64_t>(view.strides[d]) *
                static_cast<uint64_t>(view.sizes[d]);
      index[d] = 0;
    }
  }
  return Error::success();
}

/// What main() is doing, to classify an exception.
enum class Stage { Signature, Validation, Running };

/// The model named by the command line's --entry (its last occurrence;
/// parseOptions rejects repeats), else the first. Every model's signature is
/// checked first: a malformed table runs nothing.
Error selectModel(int argc, char **argv, const TesseraModel *&model,
                  Signature &signature) {
  std::vector<Signature> signatures(
      static_cast<size_t>(std::max<int64_t>(tessera_num_models, 0)));
  if (signatures.empty())
    return Error("malformed embedded signature: the object defines no model");
  for (size_t i = 0; i < signatures.size(); ++i)
    if (Error err = parseModelSignature(tessera_models[i], signatures[i]))
      return err;
  std::optional<std::string> wanted;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--entry=", 0) == 0)
      wanted = arg.substr(8);
    else if (arg == "--entry" && i + 1 < argc)
      wanted = argv[++i];
  }
  size_t index = 0;
  if (wanted) {
    std::string names;
    for (index = 0; index < signatures.size(); ++index) {
      if (signatures[index].entry == *wanted)
        break;
      names += (names.empty() ? "" : ", ") + signatures[index].entry;
    }
    if (index == signatures.size())
      return Error("--entry: the executable has no model '" + *wanted +
                   "' (it has " + names + ")");
  }
  model = &tessera_models[index];
  signature = std::move(signatures[index]);
  return Error::success();
}

/// Fails if the object uses an x86 feature this CPU lacks (a binary built
/// with --mcpu=native on one machine, run on an older one), naming it.
Error checkCPUFeatures(const char *compiled) {
#if defined(__x86_64__)
  struct Feature {
    const char *name;
    bool present;
  };
  __builtin_cpu_init();
  const Feature known[] = {
      {"sse4.1", bool(__builtin_cpu_supports("sse4.1"))},
      {"sse4.2", bool(__builtin_cpu_supports("sse4.2"))},
      {"popcnt", bool(__builtin_cpu_supports("popcnt"))},
      {"avx", bool(__builtin_cpu_supports("avx"))},
      {"avx2", bool(__builtin_cpu_supports("avx2"))},
      {"fma", bool(__builtin_cpu_supports("fma"))},
      {"bmi", bool(__builtin_cpu_supports("bmi"))},
      {"bmi2", bool(__builtin_cpu_supports("bmi2"))},
      {"avx512f", bool(__builtin_cpu_supports("avx512f"))},
      {"avx512bw", bool(__builtin_cpu_supports("avx512bw"))},
      {"avx512dq", bool(__builtin_cpu_supports("avx512dq"))},
      {"avx512vl", bool(__builtin_cpu_supports("avx512vl"))},
      {"avx512cd", bool(__builtin_cpu_supports("avx512cd"))},
      {"avx512vnni", bool(__builtin_cpu_supports("avx512vnni"))},
      {"avx512bf16", bool(__builtin_cpu_supports("avx512bf16"))},
  };
  std::string text = compiled, cpu = text.substr(0, text.find(' ')), missing;
  size_t start = cpu.size();
  while (start < text.size()) {
    size_t end = text.find(' ', start + 1);
    std::string name =
        text.substr(start + 1, end == std::string::npos ? std::string::npos
                                                        : end - start - 1);
    for (const Feature &f : known)
      if (name == f.name && !f.present)
        missing += (missing.empty() ? "" : ", ") + name;
    start = end == std::string::npos ? text.size() : end;
  }
  if (!missing.empty())
    return Error("this executable was compiled for CPU '" + cpu +
                 "' and uses " + missing +
                 ", which this CPU lacks; recompile it with --mcpu=native "
                 "here, or with a level such as --mcpu=x86-64-v3");
#else
  (void)compiled;
#endif
  return Error::success();
}

int runMain(int argc, char **argv, Stage &stage) {
  if (tessera_cpu_features != nullptr)
    if (Error err = checkCPUFeatures(tessera_cpu_features))
      return report(err, exitBadInput);
  Signature signature;
  const TesseraModel *model = nullptr;
  if (Error err = selectModel(argc, argv, model, signature))
    return report(err, err.message().rfind("--entry", 0) == 0 ? exitBadInput
                                                              : exitFailure);
  stage = Stage::Validation;
  Options options;
  if (Error err = parseOptions(argc, argv, signature, options))
    return report(err, exitBadInput);
  if (options.help) {
    printUsage(argc > 0 ? argv[0] : "model", signature);
    return 0;
  }
  if (options.printSignature) {
    printSignature(signature);
    return 0;
  }

  // Validate and load everything before any compute.
  std::vector<AlignedBuffer> inputs(signature.inputs.size());
  if (Error err = loadInputs(options, signature, inputs))
    return report(err, exitBadInput);
  std::optional<OutputDirectory> outputDir;
  if (options.outputDir) {
    if (Error err = outputDir.emplace().open(*options.outputDir))
      return report(err, exitBadInput);
    for (const TensorSpec &spec : signature.outputs)
      if (Error err = outputDir->checkTarget(spec.name + ".npy"))
        return report(err, exitBadInput);
  }
  if (options.threads)
    omp_set_num_threads(options.threads);

  // A CUDA model reads its inputs from host-shared memory.
  std::vector<void *> inputPointers;
  std::vector<void *> sharedInputs;
  struct SharedInputs {
    std::vector<void *> &buffers;
    ~SharedInputs() {
      for (void *p : buffers)
        cuda::freeShared(p);
    }
  } sharedInputsOwner{sharedInputs};
  if (signature.target == "cuda") {
    if (Error err = cuda::initialize(options.device.value_or(0)))
      return report(err, exitBadInput);
    for (size_t i = 0; i < inputs.size(); ++i) {
      uint64_t elements, bytes;
      computeSize(signature.inputs[i].type.shape,
                  getDTypeInfo(signature.inputs[i].type.dtype).size, elements,
                  &bytes);
      void *p;
      if (Error err = cuda::allocateShared(bytes, p))
        return report(err, exitFailure);
      sharedInputs.push_back(p);
      std::memcpy(p, inputs[i].data(), bytes);
    }
    inputPointers = sharedInputs;
  } else {
    for (AlignedBuffer &buffer : inputs)
      inputPointers.push_back(buffer.data());
  }

  stage = Stage::Running;
  ModelRunner runner(*model, signature, inputPointers);
  runner.run();
  std::vector<ResultView> views = runner.results();
  std::vector<AlignedBuffer> results(views.size());
  for (size_t j = 0; j < views.size(); ++j)
    if (Error err = gatherResult(signature.outputs[j], views[j], results[j])) {
      runner.freeResults();
      return report(err, exitFailure);
    }
  runner.freeResults();

  for (size_t j = 0; j < results.size(); ++j) {
    const TensorSpec &spec = signature.outputs[j];
    uint64_t numElements;
    computeSize(spec.type.shape, 1, numElements);
    double sum = 0, sumAbs = 0;
    for (uint64_t i = 0; i < numElements; ++i) {
      double value = loadAsDouble(spec.type.dtype, results[j].data(), i);
      sum += value;
      sumAbs += std::fabs(value);
    }
    std::printf("output %s: %s sum=%.6e mean_abs=%.6e\n", spec.name.c_str(),
                spec.type.str().c_str(), sum,
                numElements ? sumAbs / static_cast<double>(numElements) : 0.0);
  }
  std::fflush(stdout);

  if (outputDir)
    for (size_t j = 0; j < results.size(); ++j) {
      const TensorSpec &spec = signature.outputs[j];
      if (Error err = outputDir->writeNpy(spec.name + ".npy", spec.type,
                                          results[j].data()))
        return report(err, exitFailure);
    }

  if (options.benchIters > 0) {
    std::vector<double> times;
    times.reserve(static_cast<size_t>(options.benchIters));
    for (int64_t i = 0; i < options.benchIters; ++i) {
      auto start = std::chrono::steady_clock::now();
      runner.run();
      auto stop = std::chrono::steady_clock::now();
      runner.freeResults();
      times.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(times.begin(), times.end());
    size_t n = times.size();
    double median =
        n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
    // The process's peak resident memory: inputs, weights, results and
    // the model's scratch.
    struct rusage usage;
    long peakKiB = getrusage(RUSAGE_SELF, &usage) == 0 ? usage.ru_maxrss : 0;
    std::printf("bench: iters=%zu median_ms=%.3f min_ms=%.3f max_ms=%.3f "
                "peak_rss_mib=%.1f\n",
                n, median, times.front(), times.back(),
                static_cast<double>(peakKiB) / 1024.0);
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
#if defined(__GLIBC__)
  // The model allocates its intermediate buffers on every call and frees
  // them at its end. Keep freed memory in the process (buffers up to the
  // largest mmap threshold come from the heap, and the heap is not trimmed),
  // so repeated calls (--bench) reuse pages instead of faulting in fresh
  // ones from the operating system.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
  // The runtime reports failures as Errors; the standard containers can
  // still throw (std::bad_alloc for a huge header under a memory limit).
  // Before the model runs that is a bad input (exit 2); afterwards, or while
  // reading the embedded signature, an internal failure (exit 1).
  Stage stage = Stage::Signature;
  auto status = [&] {
    return stage == Stage::Validation ? exitBadInput : exitFailure;
  };
  auto where = [&] {
    return stage == Stage::Signature    ? " while reading the embedded signature"
           : stage == Stage::Validation ? " while reading the inputs"
                                        : " while handling the results";
  };
  // No allocation here: the handlers may run with the memory exhausted.
  try {
    return runMain(argc, argv, stage);
  } catch (const std::bad_alloc &) {
    std::fprintf(stderr, "error: out of memory%s\n", where());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: unexpected failure%s: %s\n", where(),
                 e.what());
  } catch (...) {
    std::fprintf(stderr, "error: unexpected failure%s\n", where());
  }
  return status();
}
