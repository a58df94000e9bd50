/*===- tessera-c/Model.h - The ABI of a compiled Tessera model ----*- C -*-===*
 *
 * Part of the Tessera project.
 *
 *===----------------------------------------------------------------------===*
 *
 * What an object, shared library or executable compiled by tesserac exports.
 * With symbol prefix P (`tesserac --symbol-prefix=P`, default `tessera`):
 *
 *   extern const TesseraModel P_models[];   one per entry, in --entry order
 *   extern const int64_t P_num_models;
 *
 * A model's signature is text, one line per item:
 *
 *   entry main
 *   input x f32 2,256,384
 *   input s f32
 *   input task i64 2 range=0,3
 *   output y f32 2,256,384
 *
 * (dtypes f32 f64 f16 bf16 i1 i8 i32 i64; an empty shape is rank 0; names
 * match [A-Za-z_][A-Za-z0-9_.-]*, at most 200 bytes; an integer input's
 * elements must lie in [lo, hi) of its range; unknown line kinds are to be
 * ignored). A loader checks signature_size == strlen(signature) and that
 * the line counts equal num_inputs and num_outputs before trusting it.
 *
 * Calling convention of `entry(args)`:
 *   args[0]      points at the result storage: for each output in order, a
 *                memref descriptor of int64_t words
 *                  allocated, aligned, offset, sizes[rank], strides[rank]
 *                (zeroed by the caller, filled by the model);
 *   args[1 + i]  points at input i's descriptor in the same layout
 *                (allocated = aligned = the data, offset 0, row-major
 *                strides in elements). Inputs are only read.
 * A result's data starts at aligned + offset * element size; strides are in
 * elements and need not be contiguous. i1 is one byte per element. The
 * caller owns each result's `allocated` block and frees it with free(),
 * except when it is NULL, (void *)0xdeadbeef (a constant), one of the
 * inputs' data pointers (a view of an input) or the same block as an earlier
 * result's. The OpenMP thread count (omp_set_num_threads) applies.
 *
 *===----------------------------------------------------------------------===*/

#ifndef TESSERA_C_MODEL_H
#define TESSERA_C_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One compiled entry function.
typedef struct TesseraModel {
  /// NUL-terminated signature text.
  const char *signature;
  /// strlen(signature).
  int64_t signature_size;
  /// The number of input and output lines of the signature.
  int64_t num_inputs;
  int64_t num_outputs;
  /// The packed entry point (see the calling convention above).
  void (*entry)(void **args);
} TesseraModel;

/// The allocated pointer of a result that is a constant: never free it.
#define TESSERA_CONSTANT_ALLOCATION ((void *)0xdeadbeef)

#ifdef __cplusplus
}
#endif

#endif /* TESSERA_C_MODEL_H */
