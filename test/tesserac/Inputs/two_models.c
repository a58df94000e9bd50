/* Links two models compiled with different symbol prefixes into one program
 * and runs each through its model table (include/tessera-c/Model.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tessera-c/Model.h"

extern const TesseraModel first_models[];
extern const int64_t first_num_models;
extern const TesseraModel second_models[];
extern const int64_t second_num_models;

/* Runs a model with one f32[n] input and one f32[n] output. */
static double run(const TesseraModel *model, const float *x, float *y, int n) {
  int64_t in[5] = {0, 0, 0, n, 1}, out[5] = {0};
  memcpy(&in[0], &x, sizeof(x));
  memcpy(&in[1], &x, sizeof(x));
  void *args[2] = {out, in};
  model->entry(args);
  float *data;
  memcpy(&data, &out[1], sizeof(data));
  memcpy(y, data + out[2], sizeof(float) * n);
  void *allocated;
  memcpy(&allocated, &out[0], sizeof(allocated));
  if (allocated != TESSERA_CONSTANT_ALLOCATION)
    free(allocated);
  return 0;
}

int main(void) {
  float x[8], y[8];
  for (int i = 0; i < 8; ++i)
    x[i] = (float)i - 3.5f;
  const TesseraModel *tables[2] = {first_models, second_models};
  int64_t counts[2] = {first_num_models, second_num_models};
  for (int t = 0; t < 2; ++t)
    for (int64_t m = 0; m < counts[t]; ++m) {
      const TesseraModel *model = &tables[t][m];
      if ((int64_t)strlen(model->signature) != model->signature_size)
        return 1;
      run(model, x, y, 8);
      /* The models are silu (first) and x * 2 (second). */
      double err = 0;
      for (int i = 0; i < 8; ++i) {
        double ref = t == 0 ? x[i] / (1 + exp(-(double)x[i])) : 2.0 * x[i];
        err = fmax(err, fabs(y[i] - ref));
      }
      printf("%.*s max_err_ok=%d\n", (int)strcspn(model->signature, "\n"),
             model->signature, err < 1e-5);
    }
  return 0;
}
