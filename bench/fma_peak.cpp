// FMA peak probe sized to the host's vector ISA: 12 independent FMA chains
// per thread (enough to cover 2 FMA pipes x 4-6 cycles of latency) that stay
// in registers: 8-lane ymm FMAs on AVX2 (16 registers), 16-lane zmm FMAs on
// AVX-512. bench/attention's probe uses 64-byte vectors everywhere, which on
// an AVX2 machine become 24 ymm accumulators and spill.
//   clang++-22 -O2 -march=native fma_peak.cpp -o fma_peak -pthread
//   fma_peak THREADS   -> prints "GFLOP/s lanes"
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <immintrin.h>
#include <thread>
#include <vector>

#if defined(__AVX512F__)
typedef __m512 vec;
static const int kLanes = 16;
static inline vec vset(float x) { return _mm512_set1_ps(x); }
static inline vec vfma(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }
static inline float vsum(vec a) { return _mm512_reduce_add_ps(a); }
#elif defined(__FMA__) && defined(__AVX2__)
typedef __m256 vec;
static const int kLanes = 8;
static inline vec vset(float x) { return _mm256_set1_ps(x); }
static inline vec vfma(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }
static inline float vsum(vec a) {
  alignas(32) float t[8];
  _mm256_store_ps(t, a);
  float s = 0;
  for (float x : t)
    s += x;
  return s;
}
#else
#error "fma_peak needs AVX2+FMA or AVX-512"
#endif

static const long kIters = 1000000000 / 12;

static void chains(float *sink) {
  vec a = vset(1.0f + 1e-7f), b = vset(1e-8f);
  vec c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b,
      c9 = b, c10 = b, c11 = b;
  for (long i = 0; i < kIters; ++i) {
    c0 = vfma(c0, a, b); c1 = vfma(c1, a, b); c2 = vfma(c2, a, b);
    c3 = vfma(c3, a, b); c4 = vfma(c4, a, b); c5 = vfma(c5, a, b);
    c6 = vfma(c6, a, b); c7 = vfma(c7, a, b); c8 = vfma(c8, a, b);
    c9 = vfma(c9, a, b); c10 = vfma(c10, a, b); c11 = vfma(c11, a, b);
    __asm__ volatile("" : "+x"(c0), "+x"(c1), "+x"(c2), "+x"(c3), "+x"(c4),
                     "+x"(c5), "+x"(c6), "+x"(c7), "+x"(c8), "+x"(c9),
                     "+x"(c10), "+x"(c11));
  }
  *sink = vsum(c0) + vsum(c1) + vsum(c2) + vsum(c3) + vsum(c4) + vsum(c5) +
          vsum(c6) + vsum(c7) + vsum(c8) + vsum(c9) + vsum(c10) + vsum(c11);
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  double best = 0;
  std::vector<float> sink(threads);
  for (int rep = 0; rep < 3; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back(chains, &sink[t]);
    for (auto &t : pool)
      t.join();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double gflops = 2.0 * kLanes * 12 * kIters * threads / s / 1e9;
    if (gflops > best)
      best = gflops;
  }
  if (sink[0] == 12345.0f)
    printf(" ");
  printf("%.1f %d\n", best, kLanes);
  return 0;
}
