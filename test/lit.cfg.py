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

tools = [
    ToolSubst("tessera-opt", unresolved="fatal"),
    ToolSubst("tesserac", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, [config.tessera_tools_dir,
                                           config.llvm_tools_dir])

# Executed tests compile native code for this host.
config.available_features.add("cpu-exec")
if shutil.which("nvidia-smi") and os.system("nvidia-smi -L >/dev/null 2>&1") == 0:
    config.available_features.add("cuda-device")
config.substitutions.append(("%mlir_cmake_dir", config.mlir_cmake_dir))
config.substitutions.append(("%cxx_compiler", config.cxx_compiler))
# The embedding test compiles against the MLIR headers; ccache keeps reruns
# cheap.
config.environment["CCACHE_DIR"] = os.environ.get(
    "CCACHE_DIR", os.path.expanduser("~/.ccache"))
