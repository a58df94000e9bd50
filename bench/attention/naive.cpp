// Naive attention baseline: materialises the S×S score matrix per head.
//   naive S H D causal(0|1) window(0 = none) iters threads
// Prints the median milliseconds over `iters` runs after one warm-up.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>
#include <omp.h>

int main(int argc, char **argv) {
  if (argc != 8)
    return 2;
  long s = atol(argv[1]), h = atol(argv[2]), d = atol(argv[3]);
  bool causal = atoi(argv[4]);
  long window = atol(argv[5]);
  int iters = atoi(argv[6]);
  omp_set_num_threads(atoi(argv[7]));
  std::mt19937 gen(0);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> q(h * s * d), k(h * s * d), v(h * s * d), o(h * s * d);
  for (auto *x : {&q, &k, &v})
    for (float &e : *x)
      e = dist(gen);
  float scale = 1.0f / std::sqrt(float(d));
  auto run = [&] {
#pragma omp parallel for
    for (long hh = 0; hh < h; ++hh) {
      std::vector<float> p(s * s);
      const float *qh = &q[hh * s * d], *kh = &k[hh * s * d], *vh = &v[hh * s * d];
      for (long i = 0; i < s; ++i) {
        float mx = -INFINITY;
        for (long j = 0; j < s; ++j) {
          bool ok = (!causal || j <= i) && (!window || (j >= i - window && j <= i));
          float acc = 0;
          for (long c = 0; c < d; ++c)
            acc += qh[i * d + c] * kh[j * d + c];
          p[i * s + j] = ok ? acc * scale : -INFINITY;
          mx = std::max(mx, p[i * s + j]);
        }
        float sum = 0;
        for (long j = 0; j < s; ++j)
          sum += p[i * s + j] = std::exp(p[i * s + j] - mx);
        for (long j = 0; j < s; ++j)
          p[i * s + j] /= sum;
      }
      float *oh = &o[hh * s * d];
      std::fill(oh, oh + s * d, 0.0f);
      for (long i = 0; i < s; ++i)
        for (long j = 0; j < s; ++j)
          for (long c = 0; c < d; ++c)
            oh[i * d + c] += p[i * s + j] * vh[j * d + c];
    }
  };
  run();
  std::vector<double> t;
  for (int i = 0; i < iters; ++i) {
    auto a = std::chrono::steady_clock::now();
    run();
    t.push_back(std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  printf("%.3f\n", t[t.size() / 2]);
  return 0;
}
