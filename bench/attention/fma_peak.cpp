// FMA peak probe: independent vector FMA chains on every thread.
//   fma_peak threads   -> prints GFLOP/s
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <omp.h>

typedef float v16 __attribute__((vector_size(64)));

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  const long iters = 200000000 / 16;
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    float sink = 0;
#pragma omp parallel num_threads(threads) reduction(+ : sink)
    {
      v16 acc[12];
      v16 a = {}, b = {};
      for (int i = 0; i < 16; ++i) {
        a[i] = 1.0f + 1e-7f * i;
        b[i] = 1e-8f;
      }
      for (auto &x : acc)
        x = b;
      for (long i = 0; i < iters; ++i)
        for (auto &x : acc)
          x = x * a + b;
      for (auto &x : acc)
        for (int i = 0; i < 16; ++i)
          sink += x[i];
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double gflops = 2.0 * 16 * 12 * iters * threads / s / 1e9;
    if (gflops > best)
      best = gflops;
    if (sink == 12345.0f)
      printf(" ");
  }
  printf("%.1f\n", best);
  return 0;
}
