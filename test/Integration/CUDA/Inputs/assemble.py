"""Compiles every public function of the given .mlir files for the CUDA
target (one object per file, every entry a model of it) and checks that each
object embeds a fatbin. Prints one line per file and exits non-zero if any
compile failed."""
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

FATBIN_MAGIC = bytes.fromhex("50ed55ba")  # 0xBA55ED50, little-endian


def entries(path):
    text = open(path).read()
    return re.findall(r"^\s*func\.func @([A-Za-z_][A-Za-z0-9_]*)\(", text,
                      re.M)


def compile_one(tesserac, archs, path, out_dir):
    names = entries(path)
    if not names:
        return path, True, "no entries"
    out = os.path.join(out_dir, os.path.basename(path) + ".o")
    cmd = [tesserac, path, "--target=cuda", "--cuda-arch=" + archs,
           "--emit=obj", "--entry=" + ",".join(names), "-o", out]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return path, False, r.stderr.strip()[-2000:]
    data = open(out, "rb").read()
    fatbins = data.count(FATBIN_MAGIC)
    if fatbins == 0:
        return path, False, "no fatbin in the object"
    return path, True, f"{len(names)} entries, {fatbins} fatbins"


def main():
    tesserac, archs, *paths = sys.argv[1:]
    failed = 0
    with tempfile.TemporaryDirectory() as out_dir, \
            concurrent.futures.ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(compile_one, tesserac, archs, p, out_dir)
                for p in sorted(paths)]
        for job in jobs:
            path, ok, message = job.result()
            print(f"{'OK' if ok else 'FAILED'} {os.path.basename(path)}: "
                  f"{message}")
            failed += not ok
    print(f"assembled {len(paths) - failed} of {len(paths)} files")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
