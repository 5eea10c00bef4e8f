// fuzz_target.h: what every fuzz target defines, and how it reports a finding.
//
// A target is one function, LLVMFuzzerTestOneInput, built two ways
// (tests/fuzz/README.md): against libFuzzer with clang (`make fuzz`), and
// against standalone_main.cpp in the normal build, where ctest replays the
// seed corpus and a bounded run of mutations of it.
//
// A finding is a crash, a sanitizer report, or a broken expectation: the
// targets call FUZZ_EXPECT, which prints what broke and aborts, so both
// builds see it the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

#define FUZZ_EXPECT(cond, ...)                                                                 \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      std::fprintf(stderr, "%s:%d: fuzz expectation failed: %s: ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                                       \
      std::fprintf(stderr, "\n");                                                              \
      std::abort();                                                                            \
    }                                                                                          \
  } while (0)
