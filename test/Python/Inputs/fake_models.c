/* A library with the model table of tesserac's ABI (tessera-c/Model.h)
 * written by hand, symbol prefix "fake". Its results exercise every case a
 * loader must handle: fresh and shared allocations, non-zero offsets,
 * transposed and negative strides, views of an input, constants, rank 0,
 * zero-size tensors and all element types. */

#include "tessera-c/Model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Descriptor words: allocated, aligned, offset, sizes[rank], strides[rank]. */
static void *data_of(void *desc) { return ((void **)desc)[1]; }

static int64_t *set_result(int64_t *d, void *allocated, void *aligned,
                           int64_t offset, int rank, const int64_t *sizes,
                           const int64_t *strides) {
  memcpy(&d[0], &allocated, sizeof(void *));
  memcpy(&d[1], &aligned, sizeof(void *));
  d[2] = offset;
  for (int i = 0; i < rank; ++i) {
    d[3 + i] = sizes[i];
    d[3 + rank + i] = strides[i];
  }
  return d + 3 + 2 * rank;
}

/* affine: y = x * layer.scale + task[row], stored at offset 2 of an
 * 8-float block; yt = its transpose and flip = its last row reversed (views
 * of the same block); x_view = x itself; table = a constant. */
static const int32_t table[4] = {10, 20, 30, 40};

static void affine(void **args) {
  const float *x = data_of(args[1]);
  float scale = *(const float *)data_of(args[2]);
  const int64_t *task = data_of(args[3]);
  float *block = malloc(8 * sizeof(float));
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      block[2 + 3 * i + j] = x[3 * i + j] * scale + (float)task[i];
  int64_t *d = args[0];
  d = set_result(d, block, block, 2, 2, (int64_t[]){2, 3}, (int64_t[]){3, 1});
  d = set_result(d, block, block, 2, 2, (int64_t[]){3, 2}, (int64_t[]){1, 3});
  d = set_result(d, block, block, 7, 1, (int64_t[]){3}, (int64_t[]){-1});
  d = set_result(d, (void *)x, (void *)x, 0, 2, (int64_t[]){2, 3},
                 (int64_t[]){3, 1});
  set_result(d, TESSERA_CONSTANT_ALLOCATION, (void *)table, 0, 1, (int64_t[]){4},
             (int64_t[]){1});
}

/* kinds: sum = m ? h + g + d + b : -1 (in f64); not_m = !m; g_out = g (a
 * view of the input); h2 = 2 * h. */
static double bf16_to_double(uint16_t bits) {
  uint32_t word = (uint32_t)bits << 16;
  float value;
  memcpy(&value, &word, 4);
  return value;
}

static void kinds(void **args) {
  const uint8_t *m = data_of(args[1]);
  const _Float16 *h = data_of(args[2]);
  const uint16_t *g = data_of(args[3]);
  const double *dd = data_of(args[4]);
  const int8_t *b = data_of(args[5]);
  double *sum = malloc(4 * sizeof(double));
  uint8_t *not_m = malloc(4);
  _Float16 *h2 = malloc(4 * sizeof(_Float16));
  for (int i = 0; i < 4; ++i) {
    sum[i] = m[i] ? (double)h[i] + bf16_to_double(g[i]) + dd[i] + b[i] : -1;
    not_m[i] = !m[i];
    h2[i] = h[i] * (_Float16)2;
  }
  int64_t *d = args[0];
  int64_t four[1] = {4}, one[1] = {1};
  d = set_result(d, sum, sum, 0, 1, four, one);
  d = set_result(d, not_m, not_m, 0, 1, four, one);
  d = set_result(d, (void *)g, (void *)g, 0, 1, four, one);
  set_result(d, h2, h2, 0, 1, four, one);
}

/* misc: o = e (0x3, a fresh block); s2 = 2 * s (rank 0). */
static void misc(void **args) {
  double s = *(const double *)data_of(args[2]);
  void *empty = malloc(1);
  double *s2 = malloc(sizeof(double));
  *s2 = 2 * s;
  int64_t *d = args[0];
  d = set_result(d, empty, empty, 0, 2, (int64_t[]){0, 3}, (int64_t[]){3, 1});
  set_result(d, s2, s2, 0, 0, NULL, NULL);
}

/* big: y = x + 1 on 1 MiB, to show that results are freed. */
static void big(void **args) {
  const float *x = data_of(args[1]);
  float *y = malloc(256 * 1024 * sizeof(float));
  for (int i = 0; i < 256 * 1024; ++i)
    y[i] = x[i] + 1;
  set_result(args[0], y, y, 0, 2, (int64_t[]){256, 1024},
             (int64_t[]){1024, 1});
}

/* address: the data pointer the model was given, to see copies. */
static void address(void **args) {
  int64_t *value = malloc(sizeof(int64_t));
  memcpy(value, &((void **)args[1])[1], sizeof(int64_t));
  set_result(args[0], value, value, 0, 0, NULL, NULL);
}

#define SIG_AFFINE                                                             \
  "entry affine\n"                                                             \
  "input x f32 2,3\n"                                                          \
  "input layer.scale f32\n"                                                    \
  "input task i64 2 range=0,3\n"                                               \
  "output y f32 2,3\n"                                                         \
  "output yt f32 3,2\n"                                                        \
  "output flip f32 3\n"                                                        \
  "output x_view f32 2,3\n"                                                    \
  "output table i32 4\n"
#define SIG_KINDS                                                              \
  "entry kinds\n"                                                              \
  "input m i1 4\n"                                                             \
  "input h f16 4\n"                                                            \
  "input g bf16 4\n"                                                           \
  "input d f64 4\n"                                                            \
  "input b i8 4\n"                                                             \
  "output sum f64 4\n"                                                         \
  "output not_m i1 4\n"                                                        \
  "output g_out bf16 4\n"                                                      \
  "output h2 f16 4\n"
#define SIG_MISC                                                               \
  "entry misc\n"                                                               \
  "input e f32 0,3\n"                                                          \
  "input s f64\n"                                                              \
  "output o f32 0,3\n"                                                         \
  "output s2 f64\n"
#define SIG_BIG                                                                \
  "entry big\n"                                                                \
  "input x f32 256,1024\n"                                                     \
  "output y f32 256,1024\n"

#define SIG_ADDRESS                                                            \
  "entry address\n"                                                            \
  "input x f32 3\n"                                                            \
  "output address i64\n"

#define MODEL(sig, ins, outs, fn) {sig, sizeof(sig) - 1, ins, outs, fn}

const TesseraModel fake_models[] = {
    MODEL(SIG_AFFINE, 3, 5, affine),
    MODEL(SIG_KINDS, 5, 4, kinds),
    MODEL(SIG_MISC, 2, 2, misc),
    MODEL(SIG_BIG, 1, 1, big),
    MODEL(SIG_ADDRESS, 1, 1, address),
};
const int64_t fake_num_models = 5;
