// standalone_main.cpp: a fuzz target's main() without libFuzzer.
//
//   fuzz_NAME [--seconds S] [--mutations N] [--seed K] PATH...
//
// Runs the target on every file named (a directory: every file in it), then
// on up to N mutants of them (byte flips, inserted and deleted runs, splices
// of two inputs, truncations), from a fixed seed, for at most S seconds. This
// is the ctest smoke run of each target in the normal build, and the way to
// replay a crash file libFuzzer wrote without building with clang. A finding
// aborts (FUZZ_EXPECT or a sanitizer), naming the input it came from.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "fuzz_target.h"

namespace {

using Bytes = std::vector<uint8_t>;

struct Options {
  double seconds = 10;
  uint64_t mutations = 0;
  uint64_t seed = 1;
  std::vector<std::string> paths;
};

[[noreturn]] void usage(const char* what) {
  std::cerr << "fuzz: " << what << "\nusage: fuzz_NAME [--seconds S] [--mutations N] [--seed K] PATH...\n";
  std::exit(2);
}

uint64_t number(const char* flag, const char* text) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (!*text || *end || text[0] == '-') usage((std::string(flag) + ": not a whole number: " + text).c_str());
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--seconds" || a == "--mutations" || a == "--seed") && i + 1 == argc)
      usage("a value is missing");
    if (a == "--seconds")
      o.seconds = double(number("--seconds", argv[++i]));
    else if (a == "--mutations")
      o.mutations = number("--mutations", argv[++i]);
    else if (a == "--seed")
      o.seed = number("--seed", argv[++i]);
    else if (!a.empty() && a[0] == '-')
      usage(("unknown option " + a).c_str());
    else
      o.paths.push_back(a);
  }
  if (o.paths.empty()) usage("no input named");
  return o;
}

void add_file(const std::filesystem::path& p, std::vector<std::pair<std::string, Bytes>>& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) usage(("cannot read " + p.string()).c_str());
  out.emplace_back(p.string(), Bytes(std::istreambuf_iterator<char>(in), {}));
}

std::vector<std::pair<std::string, Bytes>> load(const std::vector<std::string>& paths) {
  std::vector<std::pair<std::string, Bytes>> inputs;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::directory_iterator(path))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());  // the same order on every machine
      for (const auto& f : files) add_file(f, inputs);
    } else {
      add_file(path, inputs);
    }
  }
  return inputs;
}

// One mutation of `b` (another input `other` for splices).
void mutate(Bytes& b, const Bytes& other, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return n ? size_t(rng() % n) : 0; };
  switch (rng() % 6) {
    case 0:  // flip bits of one byte
      if (!b.empty()) b[pick(b.size())] ^= uint8_t(1u << (rng() % 8));
      break;
    case 1:  // an interesting byte
      if (!b.empty())
        b[pick(b.size())] = std::array<uint8_t, 8>{0, 1, 0x7f, 0x80, 0xff, '\n', ' ', '0'}[rng() % 8];
      break;
    case 2: {  // insert a run of random bytes
      const size_t at = pick(b.size() + 1);
      Bytes run(1 + rng() % 8);
      for (auto& c : run) c = uint8_t(rng());
      b.insert(b.begin() + long(at), run.begin(), run.end());
      break;
    }
    case 3: {  // delete a run
      if (b.empty()) break;
      const size_t at = pick(b.size());
      const size_t n = std::min(b.size() - at, size_t(1 + rng() % 16));
      b.erase(b.begin() + long(at), b.begin() + long(at + n));
      break;
    }
    case 4: {  // splice: our head, the other's tail
      const size_t cut = pick(b.size() + 1), from = pick(other.size() + 1);
      b.resize(cut);
      b.insert(b.end(), other.begin() + long(from), other.end());
      break;
    }
    default:  // duplicate a run (repeats make loops and long lines)
      if (b.empty()) break;
      const size_t at = pick(b.size());
      const size_t n = std::min(b.size() - at, size_t(1 + rng() % 32));
      const Bytes run(b.begin() + long(at), b.begin() + long(at + n));
      b.insert(b.begin() + long(at), run.begin(), run.end());
  }
}

// The input running now, which a finding (an abort) saves to
// fuzz-finding.bin in the working directory, for replaying.
const Bytes* g_running = nullptr;

extern "C" void save_finding(int sig) {
  if (g_running) {
    const int fd = open("fuzz-finding.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      if (write(fd, g_running->data(), g_running->size()) < 0) {
      }
      close(fd);
    }
    const char msg[] = "\nfuzz: the input is saved in fuzz-finding.bin\n";
    if (write(2, msg, sizeof msg - 1) < 0) {
    }
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void run_one(const std::string& name, const Bytes& b) {
  // The name is printed first, so a finding's report says which input it was.
  std::cerr << "fuzz: running " << name << " (" << b.size() << " bytes)\r";
  g_running = &b;
  LLVMFuzzerTestOneInput(b.data(), b.size());
  g_running = nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, save_finding);
  const auto inputs = load(o.paths);
  for (const auto& [name, bytes] : inputs) run_one(name, bytes);
  uint64_t done = 0;
  if (!inputs.empty() && o.mutations > 0) {
    std::mt19937_64 rng(o.seed);
    const auto stop = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.seconds);
    for (; done < o.mutations && std::chrono::steady_clock::now() < stop; ++done) {
      Bytes b = inputs[rng() % inputs.size()].second;
      const Bytes& other = inputs[rng() % inputs.size()].second;
      for (unsigned k = 1 + unsigned(rng() % 4); k > 0; --k) mutate(b, other, rng);
      run_one("mutant " + std::to_string(done) + " (seed " + std::to_string(o.seed) + ")", b);
    }
  }
  std::cerr << "\nfuzz: " << inputs.size() << " inputs and " << done << " mutants ran without a finding\n";
  return 0;
}
