// STREAM-like triad a[i] = b[i] + s * c[i] over arrays far larger than the
// caches, on N threads: prints the best bandwidth in GB/s (12 bytes per
// element: two reads, one write).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

int main(int argc, char **argv) {
  int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  const size_t n = size_t(1) << 25; // 128 MiB per array
  std::vector<float> a(n), b(n, 1.0f), c(n, 2.0f);
  const float s = 3.0f;
  double best = 1e30;
  for (int rep = 0; rep < 8; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        size_t lo = n * t / threads, hi = n * (t + 1) / threads;
        for (size_t i = lo; i < hi; ++i)
          a[i] = b[i] + s * c[i];
      });
    for (auto &th : pool)
      th.join();
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::min(best, dt);
  }
  std::printf("%.2f\n", 12.0 * n / best / 1e9 + 0.0 * a[n / 2]);
  return 0;
}
