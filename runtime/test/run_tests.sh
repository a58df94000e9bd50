#!/usr/bin/env bash
# Builds test/fake_model.c with the runtime and checks the executable's
# behaviour on good and bad inputs. Extra arguments are passed to the
# compilers, e.g.: test/run_tests.sh -fsanitize=address,undefined
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
RUNTIME=$(dirname "$HERE")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

FLAGS="-O2 -g -Wall -Wextra -I$(dirname "$RUNTIME")/include $*"
# build_model OUT [EXTRA_FLAGS...]: links fake_model.c (built with the extra
# flags, e.g. -D variants) with the runtime.
build_model() {
  local out=$1; shift
  gcc $FLAGS "$@" -c "$HERE/fake_model.c" -o "$WORK/$out.o" &&
    g++ -std=c++17 $FLAGS "$WORK"/rt/*.o "$WORK/$out.o" -o "$WORK/$out"
}
mkdir "$WORK/rt"
export FLAGS WORK
# Two compiles at a time.
printf '%s\0' "$RUNTIME"/*.cpp | xargs -0 -n1 -P2 sh -c \
  'g++ -std=c++17 $FLAGS -c "$0" -o "$WORK/rt/$(basename "$0" .cpp).o"' &&
  build_model model || { echo "FAIL: build"; exit 1; }
python3 "$HERE/gen_inputs.py" "$WORK" || { echo "FAIL: gen_inputs"; exit 1; }
cd "$WORK"
mkdir adir
M=./model
# All inputs except x, from files.
REST="--input t=in_t.npy --input s=in_s.npy --input h=in_h.npy
  --input b=in_b.npy --input d=in_d.npy --input i=in_i.npy --input k=in_k.npy
  --input l=in_l.npy --input m=in_m.npy"

passed=0
failed=0
result() { # NAME OK [DETAIL]
  if [ "$2" = 1 ]; then
    echo "PASS: $1"; passed=$((passed + 1))
  else
    echo "FAIL: $1 ${3:-}"; failed=$((failed + 1))
  fi
}

# expect_ok NAME EXPECTED_STDOUT_FILE ARGS...: exit 0, exact stdout, no stderr.
expect_ok() {
  local name=$1 expected=$2; shift 2
  "$M" "$@" >out.txt 2>err.txt
  local rc=$?
  if [ $rc = 0 ] && cmp -s out.txt "$expected" && [ ! -s err.txt ]; then
    result "$name" 1
  else
    result "$name" 0 "(rc=$rc) $(diff out.txt "$expected" | head -3) $(head -c 300 err.txt)"
  fi
}

# expect_status STATUS NAME MESSAGE ARGS...: exit STATUS, no stdout, stderr
# is exactly "error: MESSAGE". Runs under a timeout: nothing may block.
expect_status() {
  local status=$1 name=$2 message=$3; shift 3
  timeout 20 "$M" "$@" >out.txt 2>err.txt
  local rc=$?
  if [ $rc = "$status" ] && [ ! -s out.txt ] &&
    [ "$(cat err.txt)" = "error: $message" ] && [ "$(wc -l <err.txt)" = 1 ]; then
    result "$name" 1
  else
    result "$name" 0 "(rc=$rc) got: $(head -c 300 err.txt)"
  fi
}
# expect_err NAME MESSAGE ARGS...: a bad input (exit 2).
expect_err() { expect_status 2 "$@"; }

echo "== good inputs"
expect_ok "npy inputs" expected.txt --input x=in_x.npy $REST
expect_ok "npy v2.0" expected.txt --input x=x_v2.npy $REST
expect_ok "npy v3.0" expected.txt --input x=x_v3.npy $REST
expect_ok "npy alternative header and descr" expected.txt --input x=in_x.npy \
  $(echo $REST | sed 's/in_t.npy/t_alt.npy/; s/in_k.npy/k_alt.npy/')
expect_ok "safetensors inputs" expected.txt --weights all.safetensors
expect_ok "--input overrides weights, --opt=value" expected.txt \
  --weights=part.safetensors --input=x=in_x.npy $REST
expect_ok "\\u escape in tensor name" expected.txt --weights escaped.safetensors $REST
expect_ok "weights then npy" expected.txt --input h=in_h.npy --input b=in_b.npy \
  --input d=in_d.npy --input i=in_i.npy --input k=in_k.npy --input l=in_l.npy \
  --input m=in_m.npy --weights part.safetensors

echo "== random inputs"
"$M" --random-inputs >r0.txt 2>&1
"$M" --random-inputs --seed 0 >r0b.txt 2>&1
"$M" --random-inputs --seed 7 >r7.txt 2>&1
"$M" --random-inputs --seed 7 >r7b.txt 2>&1
result "random default seed is 0" "$(cmp -s r0.txt r0b.txt && echo 1)"
result "random reproducible" "$(cmp -s r7.txt r7b.txt && echo 1)"
result "random seed matters" "$(cmp -s r0.txt r7.txt || echo 1)"
"$M" --weights part.safetensors --random-inputs --seed 3 --output rnd >rp.txt 2>&1
result "random fills only missing inputs" "$(grep -q 'result9: f32\[\] sum=-3.000000e+00' rp.txt &&
  grep -q '^output result0:' rp.txt && echo 1)"
python3 - <<'PY' && ok=1 || ok=0
import struct
def data(name, fmt, size):
    raw = open('rnd/%s.npy' % name, 'rb').read()
    body = raw[raw.index(b'\n') + 1:]
    return struct.unpack('<%d%s' % (len(body) // size, fmt), body)
assert all(v in (0, 1) for v in data('result8', 'B', 1))
assert all(0 <= v < 16 for v in data('result7', 'b', 1))
f16 = data('result3', 'e', 2)
assert all(-1 <= v < 1 for v in f16) and len(set(f16)) == 3
PY
result "random value ranges" $ok

echo "== output files"
expect_ok "--output writes .npy files" expected.txt --weights all.safetensors --output outdir
ok=1
for f in expected_out/*.npy; do cmp -s "$f" "outdir/$(basename "$f")" || ok=0; done
[ "$(ls outdir | wc -l)" = 10 ] || ok=0
result "written .npy files are exact" $ok
# result1 is f32[4,3]: rejected for x; result0 has the type of x.
expect_err "written .npy checked against signature" \
  "outdir/result1.npy: tensor 'x': expected rank 3, got 2" \
  --input x=outdir/result1.npy --weights all.safetensors
"$M" --input x=outdir/result0.npy --weights all.safetensors >rt.txt 2>&1
result "written .npy round-trips" "$(grep -q 'result9: f32\[\] sum=-1.200000e+01' rt.txt && echo 1)"
mkdir nowrite && (cd nowrite && ../model --weights ../all.safetensors >/dev/null)
result "no files without --output" "$([ -z "$(ls nowrite)" ] && echo 1)"
expect_err "bad input writes nothing" "bad_truncated.npy: truncated data: expected 96 bytes, got 92" \
  --input x=bad_truncated.npy --weights all.safetensors --output never
result "no output dir on error" "$([ ! -e never ] && echo 1)"
touch afile
expect_err "--output is a file" "afile: cannot create output directory: Not a directory" \
  --weights all.safetensors --output afile
expect_err "--output parent missing" "no/such: cannot create output directory: No such file or directory" \
  --weights all.safetensors --output no/such

echo "== bench, threads, help"
"$M" --weights all.safetensors --bench 5 >b.txt 2>&1
result "--bench line" "$([ "$(grep -c '^bench: ' b.txt)" = 1 ] &&
  grep -Eq '^bench: iters=5 median_ms=[0-9]+\.[0-9]{3} min_ms=[0-9]+\.[0-9]{3} max_ms=[0-9]+\.[0-9]{3} peak_rss_mib=[0-9]+\.[0-9]$' b.txt &&
  [ "$(head -10 b.txt)" = "$(cat expected.txt)" ] && [ "$(wc -l <b.txt)" = 11 ] && echo 1)"
"$M" --weights all.safetensors --threads 3 >th.txt 2>&1
result "--threads calls omp_set_num_threads" "$(grep -qx 'fake: omp_set_num_threads(3)' th.txt && echo 1)"
"$M" --weights all.safetensors >nth.txt 2>&1
result "no omp_set_num_threads by default" "$(grep -q omp nth.txt || echo 1)"
"$M" --help >help.txt 2>&1
rc=$?
ok=$([ $rc = 0 ] && echo 1)
for o in --input --weights --random-inputs --seed --output --bench --threads \
  --print-signature --help "input  x: f32\[2,3,4\]" "output result9: f32\[\]"; do
  grep -q -- "$o" help.txt || ok=0
done
result "--help" "$ok"
"$M" --print-signature >sig.txt 2>&1
result "--print-signature" "$([ $? = 0 ] && [ "$(sed -n '1p;3p;5p;11p;20p' sig.txt)" = "input  x: f32[2,3,4]
input  s: f32[]
input  b: bf16[3]
output result0: f32[2,3,4]
output result9: f32[]" ] && [ "$(wc -l <sig.txt)" = 20 ] && echo 1)"

echo "== usage errors"
W="--weights all.safetensors"
expect_err "unknown option" "unknown option '--bogus'" $W --bogus
expect_err "positional argument" "unexpected argument 'foo'" $W foo
expect_err "missing value" "option '--seed' requires a value" $W --seed
expect_err "non-numeric seed" "invalid value 'abc' for option '--seed' (expected a non-negative integer)" $W --seed abc
expect_err "negative seed" "invalid value '-1' for option '--seed' (expected a non-negative integer)" $W --seed -1
expect_err "seed overflow" "invalid value '18446744073709551616' for option '--seed' (expected a non-negative integer)" $W --seed 18446744073709551616
expect_err "bench 0" "invalid value '0' for option '--bench' (expected an integer >= 1)" $W --bench 0
expect_err "threads non-numeric" "invalid value '2x' for option '--threads' (expected an integer >= 1)" $W --threads 2x
expect_err "--input without =" "invalid value 'x' for option '--input' (expected NAME=FILE)" --input x
expect_err "--input unknown name" "--input: the model has no input named 'zz'" --input zz=in_x.npy
expect_err "duplicate input" "input 'x' given more than once" --input x=in_x.npy --input x=in_x.npy
expect_err "repeated --weights" "option '--weights' given more than once" $W $W
expect_err "flag with value" "option '--help' does not take a value" --help=1
expect_err "input not provided" "input 'x' not provided (use --input, --weights or --random-inputs)"
expect_err "input not provided (partial)" "input 'm' not provided (use --input, --weights or --random-inputs)" \
  --input x=in_x.npy $(echo $REST | sed 's/--input m=in_m.npy//')

echo "== bad .npy files"
npy_err() { # CASE MESSAGE
  expect_err "npy $1" "$2" --input x=bad_$1.npy --weights all.safetensors
}
T="tensor 'x': "
npy_err bad_magic "bad_bad_magic.npy: bad magic (not a .npy file)"
npy_err short "bad_short.npy: bad magic (not a .npy file)"
npy_err empty "bad_empty.npy: bad magic (not a .npy file)"
npy_err ver40 "bad_ver40.npy: unsupported .npy version 4.0"
npy_err ver21 "bad_ver21.npy: unsupported .npy version 2.1"
npy_err trunc_prefix "bad_trunc_prefix.npy: truncated header"
npy_err hlen "bad_hlen.npy: header length 1000 exceeds the file size"
npy_err nodict "bad_nodict.npy: invalid header: expected '{'"
npy_err missing_key "bad_missing_key.npy: invalid header: missing key 'fortran_order'"
npy_err extra_key "bad_extra_key.npy: invalid header: unexpected key 'foo'"
npy_err dup_key "bad_dup_key.npy: invalid header: duplicate key 'descr'"
npy_err neg_shape "bad_neg_shape.npy: invalid header: invalid value for 'shape'"
npy_err not_tuple "bad_not_tuple.npy: invalid header: invalid value for 'shape'"
npy_err unterminated "bad_unterminated.npy: invalid header: expected ',' or '}'"
npy_err bad_bool "bad_bad_bool.npy: invalid header: invalid value for 'fortran_order'"
npy_err structured "bad_structured.npy: invalid header: invalid value for 'descr'"
npy_err v3_utf8 "bad_v3_utf8.npy: invalid header: invalid UTF-8"
npy_err fortran "bad_fortran.npy: fortran_order=True is not supported"
npy_err big_endian "bad_big_endian.npy: big-endian data ('>f4') is not supported"
npy_err unknown_dtype "bad_unknown_dtype.npy: unsupported dtype '<u2'"
npy_err truncated "bad_truncated.npy: truncated data: expected 96 bytes, got 92"
npy_err trailing "bad_trailing.npy: trailing bytes after data: expected 96 bytes, got 97"
npy_err overflow "bad_overflow.npy: shape [4611686018427387904,4611686018427387904] is too large"
npy_err int64_overflow "bad_int64_overflow.npy: invalid header: invalid value for 'shape'"
npy_err shape_mismatch "bad_shape_mismatch.npy: ${T}expected shape [2,3,4], got [2,3,5]"
npy_err dtype_mismatch "bad_dtype_mismatch.npy: ${T}expected dtype f32, got f16"
npy_err bf16_mismatch "bad_bf16_mismatch.npy: ${T}expected dtype f32, got bf16"
npy_err rank_mismatch "bad_rank_mismatch.npy: ${T}expected rank 3, got 2"
expect_err "npy missing file" "nofile.npy: cannot open: No such file or directory" --input x=nofile.npy
expect_err "npy directory" "adir: cannot open: Is a directory" --input x=adir

echo "== bad .safetensors files"
st_err() { # CASE MESSAGE
  expect_err "safetensors $1" "bad_$1.safetensors: $2" --weights bad_$1.safetensors
}
st_err short "file too short for a safetensors header (5 bytes)"
st_err huge_header "header length 100000001 exceeds the limit of 100000000"
st_err header_eof "header length 500 exceeds the file size"
st_err utf8 "invalid header: invalid UTF-8"
st_err overlong "invalid header: invalid UTF-8"
st_err surrogate_utf8 "invalid header: invalid UTF-8"
st_err trailing_comma "invalid header: expected string key at offset 10"
st_err single_quote "invalid header: expected string key at offset 1"
st_err bad_escape "invalid header: invalid escape at offset 3"
st_err lone_surrogate "invalid header: unpaired surrogate at offset 9"
st_err control_char "invalid header: control character in string at offset 3"
st_err bad_number "invalid header: expected ',' or '}' at offset 7"
st_err deep "invalid header: nesting too deep (limit 64) at offset 70"
st_err dup_key "invalid header: duplicate key 'a' at offset 12"
st_err not_object "invalid header: not a JSON object"
st_err garbage "invalid header: unexpected trailing characters at offset 3"
st_err unterminated "invalid header: unterminated string at offset 8"
st_err unknown_dtype "${T}unknown dtype 'U8'"
st_err no_dtype "${T}missing or invalid \"dtype\""
st_err entry_not_object "${T}entry is not an object"
st_err neg_shape "${T}\"shape\" must be an array of non-negative integers"
st_err float_shape "${T}\"shape\" must be an array of non-negative integers"
st_err bad_offsets "${T}\"data_offsets\" must be [begin, end] with non-negative integers"
st_err begin_gt_end "${T}invalid \"data_offsets\" [8, 4]: begin > end"
st_err end_past_data "${T}\"data_offsets\" end 1000 exceeds the data size 96"
st_err size_mismatch "${T}byte size mismatch: f32[2,3,4] needs 96 bytes, data_offsets span 92"
st_err overflow "${T}shape [4611686018427387904,4611686018427387904] is too large"
st_err overlap "tensor 'y': data overlaps tensor 'x'"
st_err bad_metadata "invalid header: \"__metadata__\" must be a string-to-string map"
st_err dtype_mismatch "${T}expected dtype f32, got i32"
st_err shape_mismatch "${T}expected shape [2,3,4], got [4,3,2]"
st_err missing "tensor 'm': not found"
expect_err "safetensors missing file" "nofile.safetensors: cannot open: No such file or directory" --weights nofile.safetensors
expect_err "safetensors checked even if unused" "bad_short.safetensors: file too short for a safetensors header (5 bytes)" \
  --input x=in_x.npy $REST --weights bad_short.safetensors
"$M" --weights bad_missing.safetensors --random-inputs >/dev/null 2>&1
result "random fills tensors missing from weights" "$([ $? = 0 ] && echo 1)"

echo "== special files (never read, never block)"
mkfifo fifo.npy fifo.safetensors
expect_err "npy FIFO" "fifo.npy: cannot open: not a regular file (FIFO)" \
  --input x=fifo.npy --weights all.safetensors
expect_err "safetensors FIFO" "fifo.safetensors: cannot open: not a regular file (FIFO)" \
  --weights fifo.safetensors
expect_err "npy /dev/zero" "/dev/zero: cannot open: not a regular file (character device)" \
  --input x=/dev/zero --weights all.safetensors
expect_err "safetensors /dev/zero" "/dev/zero: cannot open: not a regular file (character device)" \
  --weights /dev/zero
expect_err "safetensors directory" "adir: cannot open: Is a directory" --weights adir
# A FIFO with a writer attached must not be read either.
(exec 3<>fifo.npy; sleep 30) &
holder=$!
expect_err "npy FIFO with a writer" "fifo.npy: cannot open: not a regular file (FIFO)" \
  --input x=fifo.npy --weights all.safetensors
kill $holder 2>/dev/null; wait $holder 2>/dev/null

echo "== output files are only created inside DIR"
printf 'outside\n' >outside.txt
cp outside.txt outside.orig
mkdir symout
ln -s ../outside.txt symout/result0.npy
expect_err "symlink at an output" "symout/result0.npy: refusing to write through a symbolic link" \
  --weights all.safetensors --output symout
result "symlink target untouched, nothing written" "$(cmp -s outside.txt outside.orig &&
  [ "$(ls symout)" = result0.npy ] && [ -L symout/result0.npy ] && echo 1)"
mkdir dangling
ln -s ../created.npy dangling/result3.npy
expect_err "dangling symlink at an output" "dangling/result3.npy: refusing to write through a symbolic link" \
  --weights all.safetensors --output dangling
result "dangling symlink target not created" "$([ ! -e created.npy ] && echo 1)"
mkdir fifoout
mkfifo fifoout/result9.npy
expect_err "FIFO at an output" "fifoout/result9.npy: cannot write: not a regular file (FIFO)" \
  --weights all.safetensors --output fifoout
mkdir hardout
ln outside.txt hardout/result1.npy
expect_err "hard link at an output" "hardout/result1.npy: refusing to overwrite a file with other hard links" \
  --weights all.safetensors --output hardout
result "hard-linked file untouched" "$(cmp -s outside.txt outside.orig && echo 1)"
mkdir dirout dirout/result2.npy
expect_err "directory at an output" "dirout/result2.npy: cannot write: not a regular file (directory)" \
  --weights all.safetensors --output dirout
mkdir overwrite
head -c 5000 /dev/urandom >overwrite/result9.npy
expect_ok "existing output file is replaced" expected.txt --weights all.safetensors --output overwrite
result "replaced file is exact" "$(cmp -s overwrite/result9.npy expected_out/result9.npy && echo 1)"
# A link that appears while the model runs (after the checks) is refused
# when the file is opened.
mkdir late
build_model model_plant -DFAKE_PLANT_SYMLINK='"late/result0.npy"' || result "build model_plant" 0
M=./model_plant
timeout 20 "$M" --weights all.safetensors --output late >out.txt 2>err.txt
rc=$?
result "symlink created during the run" "$([ $rc = 1 ] && cmp -s out.txt expected.txt &&
  [ "$(cat err.txt)" = "error: late/result0.npy: refusing to write through a symbolic link" ] &&
  cmp -s outside.txt outside.orig && echo 1)"
M=./model

echo "== CPU features"
# An object built for features this CPU lacks exits 2 with one line before
# running anything (instead of dying on an illegal instruction).
LACKING=""
for f in avx512bf16 avx512vnni avx512f avx2; do
  grep -m1 '^flags' /proc/cpuinfo | grep -qw "$f" || { LACKING=$f; break; }
done
if [ -n "$LACKING" ]; then
  if build_model model_cpu -DFAKE_CPU_FEATURES="\"bigcpu sse2 $LACKING\"" 2>build.txt; then
    M=./model_cpu
    expect_status 2 "CPU lacking a compiled feature" \
      "this executable was compiled for CPU 'bigcpu' and uses $LACKING, which this CPU lacks; recompile it with --mcpu=native here, or with a level such as --mcpu=x86-64-v3" \
      --weights all.safetensors
    M=./model
  else
    result "CPU features (build)" 0 "$(head -c 300 build.txt)"
  fi
else
  echo "PASS: CPU lacking a compiled feature (skipped: this CPU has them all)"
fi

echo "== embedded signature"
# sig_variant NAME EXPECTED_ERROR FLAGS...: the model built with FLAGS exits
# 1 with one line and runs nothing, whatever the options.
sig_variant() {
  local name=$1 message=$2; shift 2
  if ! build_model model_sig "$@" 2>build.txt; then
    result "signature: $name (build)" 0 "$(head -c 300 build.txt)"
    return
  fi
  M=./model_sig
  expect_status 1 "signature: $name" "malformed embedded signature: $message" --weights all.safetensors
  expect_status 1 "signature: $name (--print-signature)" "malformed embedded signature: $message" --print-signature
  M=./model
}
SIGLEN=$(printf 'entry main\ninput x f32 2,3,4\ninput t f32 2\ninput s f32 \ninput h f16 3\ninput b bf16 3\ninput d f64 2\ninput i i32 2,2\ninput k i8 4\ninput l i64 2\ninput m i1 3\noutput result0 f32 2,3,4\noutput result1 f32 4,3\noutput result2 i64 2\noutput result3 f16 3\noutput result4 bf16 3\noutput result5 f64 2\noutput result6 i32 2,2\noutput result7 i8 4\noutput result8 i1 3\noutput result9 f32\n' | wc -c)
sig_variant "NUL inside the text" \
  "signature_size is $((SIGLEN + 14)) but the text is $SIGLEN bytes long (a NUL inside the text?)" \
  -DFAKE_EXTRA_LINE='"\0output y f32\n"' -DFAKE_NUM_OUTPUTS=11
sig_variant "size off by one" \
  "signature_size is $((SIGLEN + 1)) but the text is $SIGLEN bytes long (a NUL inside the text?)" \
  -DFAKE_SIZE_DELTA=1
sig_variant "too few inputs in the text" "10 inputs in the text, but num_inputs is 11" \
  -DFAKE_NUM_INPUTS=11
sig_variant "too many outputs in the text" "10 outputs in the text, but num_outputs is 9" \
  -DFAKE_NUM_OUTPUTS=9
sig_variant "name with a slash" "line 22: invalid tensor name '../evil'" \
  -DFAKE_EXTRA_LINE='"output ../evil f32\n"' -DFAKE_NUM_OUTPUTS=11
sig_variant "name starting with a digit" "line 22: invalid tensor name '9lives'" \
  -DFAKE_EXTRA_LINE='"input 9lives f32\n"' -DFAKE_NUM_INPUTS=11
sig_variant "name with a control character" "line 22: invalid tensor name 'a\x01b'" \
  -DFAKE_EXTRA_LINE='"input a\001b f32\n"' -DFAKE_NUM_INPUTS=11
sig_variant "non-ASCII name" "line 22: invalid tensor name 'café'" \
  -DFAKE_EXTRA_LINE='"input caf\xc3\xa9 f32\n"' -DFAKE_NUM_INPUTS=11
LONG=$(printf 'n%.0s' $(seq 201))
sig_variant "201-byte name" "line 22: invalid tensor name '$(printf 'n%.0s' $(seq 64))...' (201 bytes)" \
  -DFAKE_EXTRA_LINE="\"output $LONG f32\\n\"" -DFAKE_NUM_OUTPUTS=11
sig_variant "output named like an input" "line 22: duplicate name 'x'" \
  -DFAKE_EXTRA_LINE='"output x f32\n"' -DFAKE_NUM_OUTPUTS=11
sig_variant "duplicate output" "line 22: duplicate name 'result3'" \
  -DFAKE_EXTRA_LINE='"output result3 f32\n"' -DFAKE_NUM_OUTPUTS=11
sig_variant "two entry lines" "line 22: more than one 'entry' line" \
  -DFAKE_EXTRA_LINE='"entry other\n"'
sig_variant "scratch size not a number" "line 22: expected 'scratch_bytes N'" \
  -DFAKE_EXTRA_LINE='"scratch_bytes -5\n"'
if build_model model_sig -DFAKE_EXTRA_LINE='"scratch_bytes 4096\n"' 2>build.txt; then
  ./model_sig --print-signature >sig3.txt 2>&1
  result "scratch size printed" "$(grep -qx 'scratch: 4096 bytes (intermediate buffers, planned at compile time)' sig3.txt && echo 1)"
else
  result "scratch size (build)" 0 "$(head -c 300 build.txt)"
fi
# Valid names: every allowed character, 200 bytes.
NAME200=_Az.9-$(printf 'v%.0s' $(seq 194))
if build_model model_sig -DFAKE_EXTRA_LINE="\"output $NAME200 f32\\n\"" -DFAKE_NUM_OUTPUTS=11 2>build.txt; then
  ./model_sig --print-signature >sig2.txt 2>&1
  result "signature: 200-byte name with . - _ digits accepted" \
    "$([ $? = 0 ] && [ "$(tail -1 sig2.txt)" = "output $NAME200: f32[]" ] && echo 1)"
else
  result "signature: 200-byte name (build)" 0 "$(head -c 300 build.txt)"
fi

echo "== large headers under a memory limit"
case "$*" in
*sanitize*) echo "SKIP: memory-limit cases (sanitizers reserve too much address space)" ;;
*)
  # 400 MB of address space: a 10 MB header used to need ~730 MB.
  (ulimit -v 400000 && exec timeout 60 "$M" --weights big_header.safetensors >out.txt 2>err.txt)
  rc=$?
  result "valid 10 MB header under ulimit -v 400000" \
    "$([ $rc = 0 ] && cmp -s out.txt expected.txt && [ ! -s err.txt ] && echo 1)" "(rc=$rc) $(head -c 300 err.txt)"
  (ulimit -v 400000 && exec timeout 60 "$M" --weights big_bad_header.safetensors >out.txt 2>err.txt)
  rc=$?
  result "broken 10 MB header under ulimit -v 400000" \
    "$([ $rc = 2 ] && [ "$(cat err.txt)" = "error: big_bad_header.safetensors: invalid header: expected ',' or ']' at offset 10200008" ] && echo 1)" \
    "(rc=$rc) $(head -c 300 err.txt)"
  (ulimit -v 400000 && exec timeout 60 "$M" --weights too_many_values.safetensors >out.txt 2>err.txt)
  rc=$?
  result "more than 10,000,000 values" \
    "$([ $rc = 2 ] && [ "$(cat err.txt)" = "error: too_many_values.safetensors: invalid header: too many values (limit 10000000) at offset 19999999" ] && echo 1)" \
    "(rc=$rc) $(head -c 300 err.txt)"
  # The 100 MB header text itself does not fit in 60 MB.
  (ulimit -v 60000 && exec timeout 60 "$M" --weights max_header.safetensors >out.txt 2>err.txt)
  rc=$?
  result "out of memory: one line, exit 2" \
    "$([ $rc = 2 ] && [ ! -s out.txt ] && [ "$(cat err.txt)" = "error: out of memory while reading the inputs" ] && echo 1)" \
    "(rc=$rc) $(head -c 300 err.txt)"
  ;;
esac

echo "== fuzzing truncated/corrupted files"
ok=1
count=0
for f in fuzz/*; do
  case $f in
  *.npy) "$M" --input x="$f" --weights all.safetensors >out.txt 2>err.txt ;;
  *) "$M" --weights "$f" >out.txt 2>err.txt ;;
  esac
  rc=$?
  count=$((count + 1))
  if [ $rc = 0 ]; then
    [ -s err.txt ] && ok=0
  elif [ $rc = 2 ]; then
    { [ "$(wc -l <err.txt)" = 1 ] && grep -q '^error: ' err.txt && [ ! -s out.txt ]; } ||
      { ok=0; echo "  bad diagnostics for $f: $(head -c 200 err.txt)"; }
  else
    ok=0; echo "  rc=$rc for $f: $(head -c 300 err.txt)"
  fi
done
result "fuzz ($count files): exit 0 or one-line error with exit 2" $ok

echo "passed: $passed, failed: $failed"
[ $failed = 0 ]
