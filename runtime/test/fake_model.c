/*===- fake_model.c - Stand-in for an object emitted by tesserac ---------===*
 *
 * Implements the model table (include/tessera-c/Model.h) by hand so that
 * the runtime can be tested without the compiler. Its results exercise the
 * interesting memref cases: fresh allocations, a strided view aliasing an
 * input, a constant global (allocated = 0xdeadbeef), two results sharing one
 * allocation, a non-zero offset with allocated != aligned, and a rank-0
 * result. It also checks the input descriptors the runtime passes.
 *
 * Variants for the embedded-signature checks (run_tests.sh):
 *   -DFAKE_EXTRA_LINE='"output y f32\n"'  text appended to the signature
 *   -DFAKE_SIZE_DELTA=N    signature_size off by N
 *   -DFAKE_CPU_FEATURES='"cpu f1 f2"'  the CPU and features it was built for
 *   -DFAKE_NUM_INPUTS=N    num_inputs (default 10)
 *   -DFAKE_NUM_OUTPUTS=N   num_outputs (default 10)
 *   -DFAKE_PLANT_SYMLINK='"DIR/result0.npy"'  the entry point creates a
 *                          symbolic link there to ../outside.txt (a link
 *                          appearing after the runtime's checks)
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tessera-c/Model.h"

#ifndef FAKE_EXTRA_LINE
#define FAKE_EXTRA_LINE ""
#endif
#ifndef FAKE_SIZE_DELTA
#define FAKE_SIZE_DELTA 0
#endif
#ifndef FAKE_NUM_INPUTS
#define FAKE_NUM_INPUTS 10
#endif
#ifndef FAKE_NUM_OUTPUTS
#define FAKE_NUM_OUTPUTS 10
#endif

static const char signature[] = "entry main\n"
                                "input x f32 2,3,4\n"
                                "input t f32 2\n"
                                "input s f32 \n"
                                "input h f16 3\n"
                                "input b bf16 3\n"
                                "input d f64 2\n"
                                "input i i32 2,2\n"
                                "input k i8 4\n"
                                "input l i64 2\n"
                                "input m i1 3\n"
                                "output result0 f32 2,3,4\n"
                                "output result1 f32 4,3\n"
                                "output result2 i64 2\n"
                                "output result3 f16 3\n"
                                "output result4 bf16 3\n"
                                "output result5 f64 2\n"
                                "output result6 i32 2,2\n"
                                "output result7 i8 4\n"
                                "output result8 i1 3\n"
                                "output result9 f32\n" FAKE_EXTRA_LINE;

/* Test hook: the executable is normally linked with libomp. */
void omp_set_num_threads(int n) {
  printf("fake: omp_set_num_threads(%d)\n", n);
}

static const int64_t constantGlobal[2] = {7, -3};

/* Returns the data of input descriptor `desc`, checking its layout. */
static void *input(void *descPtr, int rank, const int64_t *sizes) {
  int64_t *desc = (int64_t *)descPtr;
  void *allocated, *aligned;
  memcpy(&allocated, &desc[0], sizeof(void *));
  memcpy(&aligned, &desc[1], sizeof(void *));
  int ok =
      allocated == aligned && ((uintptr_t)aligned % 64) == 0 && desc[2] == 0;
  int64_t stride = 1;
  for (int d = rank - 1; d >= 0; --d) {
    ok &= desc[3 + d] == sizes[d] && desc[3 + rank + d] == stride;
    stride *= sizes[d];
  }
  if (!ok) {
    fprintf(stderr, "fake: bad input descriptor\n");
    abort();
  }
  return aligned;
}

/* Appends a result descriptor at *w. */
static void put(int64_t **w, void *allocated, const void *aligned,
                int64_t offset, int rank, const int64_t *sizes,
                const int64_t *strides) {
  int64_t *p = *w;
  memcpy(&p[0], &allocated, sizeof(void *));
  memcpy(&p[1], &aligned, sizeof(void *));
  p[2] = offset;
  for (int d = 0; d < rank; ++d) {
    p[3 + d] = sizes[d];
    p[3 + rank + d] = strides[d];
  }
  *w = p + 3 + 2 * rank;
}

static void entry(void **args) {
  static const int64_t s234[] = {2, 3, 4}, s2[] = {2}, s3[] = {3},
                       s22[] = {2, 2}, s4[] = {4};
  static const int64_t r234[] = {12, 4, 1}, r1[] = {1}, r22[] = {2, 1};
  float *x = input(args[1], 3, s234), *t = input(args[2], 1, s2),
        *s = input(args[3], 0, NULL);
  uint16_t *h = input(args[4], 1, s3), *b = input(args[5], 1, s3);
  double *d = input(args[6], 1, s2);
  int32_t *i = input(args[7], 2, s22);
  int8_t *k = input(args[8], 1, s4);
  int64_t *l = input(args[9], 1, s2);
  uint8_t *m = input(args[10], 1, s3);
  int64_t *w = (int64_t *)args[0];
#ifdef FAKE_PLANT_SYMLINK
  if (symlink("../outside.txt", FAKE_PLANT_SYMLINK) != 0)
    perror("fake: symlink");
#endif

  /* result0 = x * s + t[a] (fresh buffer). */
  float *r0 = malloc(24 * sizeof(float));
  for (int n = 0; n < 24; ++n)
    r0[n] = x[n] * *s + t[n / 12];
  put(&w, r0, r0, 0, 3, s234, r234);
  /* result1 = transpose(x[1]): a strided view of the input buffer. */
  static const int64_t s43[] = {4, 3}, r43[] = {1, 4};
  put(&w, x, x, 12, 2, s43, r43);
  /* result2: a constant global. */
  put(&w, (void *)0xdeadbeef, constantGlobal, 0, 1, s2, r1);
  /* result3, result4: copies of h and b. */
  uint16_t *r3 = malloc(6), *r4 = malloc(6);
  memcpy(r3, h, 6);
  memcpy(r4, b, 6);
  put(&w, r3, r3, 0, 1, s3, r1);
  put(&w, r4, r4, 0, 1, s3, r1);
  /* result5 = d * 2 and result6 = i + l[0] share one allocation. */
  char *shared = malloc(16 + 16);
  double *r5 = (double *)shared;
  int32_t *r6 = (int32_t *)(shared + 16);
  for (int n = 0; n < 2; ++n)
    r5[n] = d[n] * 2;
  for (int n = 0; n < 4; ++n)
    r6[n] = i[n] + (int32_t)l[0];
  put(&w, shared, r5, 0, 1, s2, r1);
  put(&w, shared, shared, 4, 2, s22, r22);
  /* result7 = k, with allocated != aligned and a non-zero offset. */
  int8_t *r7 = malloc(8);
  memcpy(r7 + 3, k, 4);
  put(&w, r7, r7 + 1, 2, 1, s4, r1);
  /* result8 = m. */
  uint8_t *r8 = malloc(3);
  memcpy(r8, m, 3);
  put(&w, r8, r8, 0, 1, s3, r1);
  /* result9 = sum(x), rank 0. */
  float *r9 = malloc(sizeof(float));
  *r9 = 0;
  for (int n = 0; n < 24; ++n)
    *r9 += x[n];
  put(&w, r9, r9, 0, 0, NULL, NULL);
}

const TesseraModel tessera_models[] = {
    {signature, (int64_t)sizeof(signature) - 1 + FAKE_SIZE_DELTA,
     FAKE_NUM_INPUTS, FAKE_NUM_OUTPUTS, entry},
};
const int64_t tessera_num_models = 1;
#ifndef FAKE_CPU_FEATURES
#define FAKE_CPU_FEATURES "x86-64 sse2 cx8"
#endif
const char tessera_cpu_features[] = FAKE_CPU_FEATURES;
