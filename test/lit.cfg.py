# -*- Python -*-
import os
import shutil

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "TESSERA"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["reference", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tessera_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

python = config.python_executable or shutil.which("python3")
reference = os.path.join(config.test_source_root, "reference")
config.substitutions.append(("%PYTHON", python))
config.substitutions.append(("%tessera_obj_root", config.tessera_obj_root))
config.substitutions.append(("%reference", reference))
config.substitutions.append(("%compare", f"{python} {reference}/compare.py"))
config.substitutions.append(("%tessera_plugin",
                             os.path.join(config.tessera_lib_dir,
                                          "TesseraPlugin.so")))
config.substitutions.append(("%mlir_opt",
                             os.path.join(config.llvm_tools_dir, "mlir-opt")))

# `--param tessera_mcpu=x86-64-v3` compiles every tesserac test for that CPU
# (scripts/test.sh reruns the executed suites at each x86-64 level the host
# has).
mcpu = lit_config.params.get("tessera_mcpu", "")
# `--param tessera_target=cuda` compiles every tesserac test for the CUDA
# target (tier 3: the executed suites on a GPU); `cuda-emulate` builds the
# same kernel mapping as CPU loops (scripts/test.sh runs the executed suites
# so on every machine). Tests that cannot follow say `UNSUPPORTED:
# cuda-target` (or `cuda-kernels`, on the GPU only) with the reason.
target = lit_config.params.get("tessera_target", "")
if target not in ("", "cpu", "cuda", "cuda-emulate"):
    lit_config.fatal(f"unknown tessera_target '{target}'")
target_args = {"cuda": ["--target=cuda"],
               "cuda-emulate": ["--target=cuda", "--cuda-emulate"]}.get(
                   target, [])
if target_args:
    config.available_features.add("cuda-target")
if target == "cuda":
    # Kernels really on the GPU (not emulated on the CPU).
    config.available_features.add("cuda-kernels")
extra_args = ([f"--mcpu={mcpu}"] if mcpu else []) + target_args
tools = [
    ToolSubst("tessera-opt", unresolved="fatal"),
    ToolSubst("tesserac", unresolved="fatal",
              extra_args=extra_args or None),
]
llvm_config.add_tool_substitutions(tools, [config.tessera_tools_dir,
                                           config.llvm_tools_dir])

# Executed tests compile native code for this host; the x86-64 levels it
# can run are features too.
config.available_features.add("cpu-exec")
try:
    cpu_flags = set(open("/proc/cpuinfo").read().split())
except OSError:
    cpu_flags = set()
if {"avx2", "fma", "bmi2"} <= cpu_flags:
    config.available_features.add("x86-64-v3")
if {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= cpu_flags:
    config.available_features.add("x86-64-v4")
# The CUDA toolkit tools found at configure time (tier 2), and a GPU that
# the driver can use (tier 3; probed through the driver, not nvidia-smi).
toolkit = getattr(config, "cuda_toolkit", "")
if config.libdevice and all(
        os.access(os.path.join(toolkit, "bin", t), os.X_OK)
        for t in ("ptxas", "fatbinary")):
    config.available_features.add("ptxas")
if config.libdevice:
    config.available_features.add("libdevice")
try:
    import ctypes
    cuda = ctypes.CDLL("libcuda.so.1")
    count = ctypes.c_int(0)
    if (cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(count)) == 0
            and count.value > 0):
        config.available_features.add("cuda-device")
except OSError:
    pass
config.substitutions.append(("%mlir_cmake_dir", config.mlir_cmake_dir))

# The Python package (python/tessera) is tested from the source tree, with
# the build's tesserac; it needs only NumPy (Debian's python3-numpy).
python_dir = os.path.join(os.path.dirname(config.test_source_root), "python")
config.substitutions.append(("%tessera_python_dir", python_dir))
config.substitutions.append(
    ("%tessera_include",
     os.path.join(os.path.dirname(config.test_source_root), "include")))
config.substitutions.append(("%openmp_lib_dir", config.openmp_lib_dir))
config.environment["TESSERA_TESSERAC"] = os.path.join(
    config.tessera_tools_dir, "tesserac")
config.environment["PYTHONPATH"] = python_dir
config.environment["PYTHONDONTWRITEBYTECODE"] = "1"

# The PyTorch importer's tests need a Python with torch >= 2.4 and NumPy:
# `--param torch_python=PATH`, else the first python3 on PATH that has them.
# PyTorch is never a dependency of the compiler or of the other tests.
def find_torch_python():
    import subprocess
    probe = ("import sys, numpy, torch; v = torch.__version__.split('+')[0]; "
             "sys.exit(0 if tuple(map(int, v.split('.')[:2])) >= (2, 4) else 1)")
    for candidate in (lit_config.params.get("torch_python"),
                      shutil.which("python3")):
        if not candidate:
            continue
        try:
            if subprocess.run([candidate, "-c", probe], timeout=120,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0:
                return candidate
        except (OSError, subprocess.TimeoutExpired):
            pass
    return None

torch_python = find_torch_python()
if torch_python:
    config.available_features.add("torch")
    config.substitutions.append(("%torch_python", torch_python))
config.substitutions.append(("%cxx_compiler", config.cxx_compiler))
config.substitutions.append(("%c_compiler", config.c_compiler))
# The embedding test compiles against the MLIR headers; ccache keeps reruns
# cheap.
config.environment["CCACHE_DIR"] = os.environ.get(
    "CCACHE_DIR", os.path.expanduser("~/.ccache"))

# Sanitizer build (scripts/sanitize.sh): processes that load instrumented
# shared libraries without being instrumented themselves (the stock mlir-opt
# with the plugin, Python with a --emit=shared library) get the ASan runtime
# preloaded; the embedding test builds its consumer with the same flags.
sanitize = getattr(config, "tessera_sanitize", "")
preload = ""
sanitize_flags = ""
if sanitize:
    import subprocess
    config.available_features.add("sanitizer")
    sanitize_flags = (f"-fsanitize={sanitize} -fno-sanitize-recover=all "
                      "-fno-omit-frame-pointer")
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    # libMLIR.so is not instrumented, but LLVM's BumpPtrAllocator poisons
    # its slabs in our instrumented (inlined) copies of it: memory libMLIR.so
    # then hands out from such a slab reads as use-after-poison. Manual
    # poisoning is ignored for that reason (as in fuzz/ir_fuzzer.cpp).
    config.environment["ASAN_OPTIONS"] = "detect_leaks=0:allow_user_poisoning=0"
    if "address" in sanitize:
        asan = subprocess.check_output(
            [config.cxx_compiler, "-print-file-name=libclang_rt.asan-x86_64.so"],
            text=True).strip()
        preload = f"env LD_PRELOAD={asan}"
config.substitutions.append(("%preload", preload))
if preload:
    config.substitutions = [
        (k, f"{preload} {v}" if k == "%mlir_opt" else v)
        for k, v in config.substitutions]
config.substitutions.append(("%sanitize_flags", sanitize_flags))

# The models test/Integration/CUDA/assemble.test compiles through ptxas:
# the executed suites and the examples; in the sanitizer build (tesserac
# several times slower) the examples only.
cuda_models = [os.path.join(os.path.dirname(config.test_source_root),
                            "examples", "*.mlir")]
if not sanitize:
    cuda_models.insert(0, os.path.join(config.test_source_root, "Integration",
                                       "CPU", "*.mlir"))
config.substitutions.append(("%cuda_assemble_inputs", " ".join(cuda_models)))
