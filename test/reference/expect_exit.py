#!/usr/bin/env python3
"""expect_exit.py CODE CMD [ARGS...]: runs CMD, echoes its stdout and stderr
(stderr second), and exits 0 only if CMD exited with status CODE."""
import subprocess
import sys

code = int(sys.argv[1])
proc = subprocess.run(sys.argv[2:], capture_output=True, text=True)
sys.stdout.write(proc.stdout)
sys.stdout.write(proc.stderr)
print(f"exit status: {proc.returncode}")
sys.exit(0 if proc.returncode == code else 1)
