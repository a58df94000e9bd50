//===- Cuda.cpp - The CUDA driver, loaded at run time ------------*- C++
//-*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// About a dozen driver calls, resolved from libcuda.so.1 on first use. The
// mgpu* functions are those the GPU-to-LLVM lowering emits (their names
// and signatures are upstream MLIR's). Modules register in global
// constructors but load lazily, at their first kernel, so that nothing
// touches the driver before main() has checked for it. Every launch goes to
// one stream; a failing driver call ends the process with one line and
// exit status 1.
//
//===----------------------------------------------------------------------===//

#include "Cuda.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <string>

namespace {

using CUresult = int;
using CUdevice = int;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUdeviceptr = uintptr_t;

constexpr int kAttachGlobal = 1;      // CU_MEM_ATTACH_GLOBAL
constexpr int kStreamNonBlocking = 1; // CU_STREAM_NON_BLOCKING
constexpr int kComputeCapabilityMajor = 75;
constexpr int kComputeCapabilityMinor = 76;

struct Driver {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetName)(char *, int, CUdevice);
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuGetErrorString)(CUresult, const char **);
};

Driver driver;
bool initialized = false;
CUdevice currentDevice = 0;
CUstream theStream = nullptr;
std::mutex moduleMutex;

std::string errorText(CUresult rc) {
  const char *text = nullptr;
  if (driver.cuGetErrorString && driver.cuGetErrorString(rc, &text) == 0 &&
      text)
    return text;
  return "CUDA error " + std::to_string(rc);
}

[[noreturn]] void fatal(const char *what, CUresult rc) {
  std::fprintf(stderr, "error: CUDA: %s failed: %s\n", what,
               errorText(rc).c_str());
  std::exit(1);
}

void check(CUresult rc, const char *what) {
  if (rc != 0)
    fatal(what, rc);
}

template <typename F> bool resolve(void *library, F &fn, const char *name) {
  fn = reinterpret_cast<F>(dlsym(library, name));
  return fn != nullptr;
}

/// The driver, loaded by initialize() or, for a model called from another
/// program, by the first kernel on device 0.
void ensureInitialized() {
  if (initialized)
    return;
  if (tessera::runtime::Error err = tessera::runtime::cuda::initialize(0)) {
    std::fprintf(stderr, "error: %s\n", err.message().c_str());
    std::exit(2);
  }
}

/// A registered module: the embedded image, loaded on first use.
struct LazyModule {
  const void *image;
  CUmodule module = nullptr;
};

CUmodule load(LazyModule *m) {
  std::lock_guard<std::mutex> lock(moduleMutex);
  if (!m->module) {
    ensureInitialized();
    CUresult rc = driver.cuModuleLoadData(&m->module, m->image);
    if (rc != 0) {
      std::fprintf(stderr,
                   "error: CUDA: loading the kernels failed: %s (is the "
                   "executable built for this GPU, %s? see --cuda-arch)\n",
                   errorText(rc).c_str(),
                   tessera::runtime::cuda::deviceName().c_str());
      std::exit(1);
    }
  }
  return m->module;
}

} // namespace

namespace tessera::runtime::cuda {

Error initialize(int device) {
  if (initialized)
    return device == currentDevice
               ? Error::success()
               : Error("the CUDA device is already selected");
  void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return Error("this executable runs its kernels on a CUDA GPU, and no "
                 "NVIDIA driver was found (cannot load libcuda.so.1)");
  Driver d{};
  bool ok = resolve(library, d.cuInit, "cuInit") &&
            resolve(library, d.cuDeviceGetCount, "cuDeviceGetCount") &&
            resolve(library, d.cuDeviceGet, "cuDeviceGet") &&
            resolve(library, d.cuDeviceGetName, "cuDeviceGetName") &&
            resolve(library, d.cuDeviceGetAttribute, "cuDeviceGetAttribute") &&
            resolve(library, d.cuDevicePrimaryCtxRetain,
                    "cuDevicePrimaryCtxRetain") &&
            resolve(library, d.cuCtxSetCurrent, "cuCtxSetCurrent") &&
            resolve(library, d.cuModuleLoadData, "cuModuleLoadData") &&
            resolve(library, d.cuModuleUnload, "cuModuleUnload") &&
            resolve(library, d.cuModuleGetFunction, "cuModuleGetFunction") &&
            resolve(library, d.cuLaunchKernel, "cuLaunchKernel") &&
            resolve(library, d.cuStreamCreate, "cuStreamCreate") &&
            resolve(library, d.cuStreamSynchronize, "cuStreamSynchronize") &&
            resolve(library, d.cuMemAlloc, "cuMemAlloc_v2") &&
            resolve(library, d.cuMemAllocManaged, "cuMemAllocManaged") &&
            resolve(library, d.cuMemFree, "cuMemFree_v2") &&
            resolve(library, d.cuGetErrorString, "cuGetErrorString");
  if (!ok) {
    dlclose(library);
    return Error("the NVIDIA driver's libcuda.so.1 lacks a function this "
                 "executable needs (the driver is too old)");
  }
  driver = d;
  CUresult rc = driver.cuInit(0);
  if (rc != 0)
    return Error("this executable runs its kernels on a CUDA GPU, and the "
                 "NVIDIA driver did not initialise (" +
                 errorText(rc) + "; is there a GPU?)");
  int count = 0;
  if ((rc = driver.cuDeviceGetCount(&count)) != 0 || count == 0)
    return Error("this executable runs its kernels on a CUDA GPU, and none "
                 "was found");
  if (device < 0 || device >= count)
    return Error("--device " + std::to_string(device) + ": there " +
                 (count == 1
                      ? "is 1 CUDA device"
                      : "are " + std::to_string(count) + " CUDA devices") +
                 " (0-" + std::to_string(count - 1) + ")");
  CUdevice dev;
  CUcontext ctx;
  if ((rc = driver.cuDeviceGet(&dev, device)) != 0 ||
      (rc = driver.cuDevicePrimaryCtxRetain(&ctx, dev)) != 0 ||
      (rc = driver.cuCtxSetCurrent(ctx)) != 0 ||
      (rc = driver.cuStreamCreate(&theStream, kStreamNonBlocking)) != 0)
    return Error("cannot use CUDA device " + std::to_string(device) + ": " +
                 errorText(rc));
  currentDevice = dev;
  initialized = true;
  return Error::success();
}

Error allocateShared(size_t bytes, void *&ptr) {
  CUdeviceptr p = 0;
  CUresult rc = driver.cuMemAllocManaged(&p, bytes ? bytes : 1, kAttachGlobal);
  if (rc != 0)
    return Error("cannot allocate " + std::to_string(bytes) +
                 " bytes of CUDA memory: " + errorText(rc));
  ptr = reinterpret_cast<void *>(p);
  return Error::success();
}

void freeShared(void *ptr) {
  if (ptr && initialized)
    driver.cuMemFree(reinterpret_cast<CUdeviceptr>(ptr));
}

Error synchronize() {
  CUresult rc = driver.cuStreamSynchronize(theStream);
  if (rc != 0)
    return Error("CUDA: a kernel failed: " + errorText(rc));
  return Error::success();
}

std::string deviceName() {
  char name[256] = {0};
  int major = 0, minor = 0;
  driver.cuDeviceGetName(name, sizeof(name) - 1, currentDevice);
  driver.cuDeviceGetAttribute(&major, kComputeCapabilityMajor, currentDevice);
  driver.cuDeviceGetAttribute(&minor, kComputeCapabilityMinor, currentDevice);
  return std::string(name) + " (sm_" + std::to_string(major) +
         std::to_string(minor) + ")";
}

} // namespace tessera::runtime::cuda

//===----------------------------------------------------------------------===//
// The entry points of the GPU-to-LLVM lowering
//===----------------------------------------------------------------------===//

extern "C" {

void *mgpuModuleLoad(void *data, size_t /*size*/) {
  return new LazyModule{data};
}

void *mgpuModuleLoadJIT(void *data, int /*optLevel*/) {
  return new LazyModule{data};
}

void mgpuModuleUnload(void *module) {
  auto *m = static_cast<LazyModule *>(module);
  // At exit the context may be gone; unloading is best effort.
  if (m && m->module && initialized)
    driver.cuModuleUnload(m->module);
  delete m;
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  CUfunction f = nullptr;
  check(driver.cuModuleGetFunction(&f, load(static_cast<LazyModule *>(module)),
                                   name),
        "finding a kernel (cuModuleGetFunction)");
  return f;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  if (gridX <= 0 || gridY <= 0 || gridZ <= 0)
    return; // An empty grid: nothing to run.
  check(driver.cuLaunchKernel(static_cast<CUfunction>(function), gridX, gridY,
                              gridZ, blockX, blockY, blockZ, smem,
                              static_cast<CUstream>(stream), params, extra),
        "launching a kernel (cuLaunchKernel)");
}

void *mgpuStreamCreate() {
  ensureInitialized();
  return theStream;
}

void mgpuStreamDestroy(void *) {}

void mgpuStreamSynchronize(void *stream) {
  check(driver.cuStreamSynchronize(static_cast<CUstream>(stream)),
        "running a kernel");
}

void *mgpuMemAlloc(uint64_t bytes, void * /*stream*/, bool hostShared) {
  ensureInitialized();
  CUdeviceptr p = 0;
  size_t n = bytes ? bytes : 1;
  check(hostShared ? driver.cuMemAllocManaged(&p, n, kAttachGlobal)
                   : driver.cuMemAlloc(&p, n),
        "allocating memory");
  return reinterpret_cast<void *>(p);
}

void mgpuMemFree(void *ptr, void * /*stream*/) {
  if (ptr)
    check(driver.cuMemFree(reinterpret_cast<CUdeviceptr>(ptr)),
          "freeing memory");
}

} // extern "C"
