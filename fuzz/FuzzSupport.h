//===- FuzzSupport.h - Helpers for the runtime fuzz targets -----*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_FUZZ_FUZZSUPPORT_H
#define TESSERA_FUZZ_FUZZSUPPORT_H

#include <cstdio>
#include <cstdlib>

/// Aborts (a crash libFuzzer reports) when a property of the code under test
/// does not hold; active whatever NDEBUG says.
#define FUZZ_CHECK(cond)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__,         \
                   __LINE__, #cond);                                           \
      std::abort();                                                            \
    }                                                                          \
  } while (0)

#endif // TESSERA_FUZZ_FUZZSUPPORT_H
