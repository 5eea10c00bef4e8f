#include "testbench/workloads/basic_workload.h"

#include <fmt/format.h>

#include <random>
#include <vector>

#include "testbench/workloads/sparse_array.h"

namespace vmsim {

std::optional<Pattern> parse_pattern(std::string_view name) {
  if (name == "sequential") return Pattern::kSequential;
  if (name == "random") return Pattern::kRandom;
  if (name == "strided") return Pattern::kStrided;
  if (name == "mixed") return Pattern::kMixed;
  return std::nullopt;
}

std::string_view to_string(Pattern p) {
  switch (p) {
    case Pattern::kSequential:
      return "sequential";
    case Pattern::kRandom:
      return "random";
    case Pattern::kStrided:
      return "strided";
    case Pattern::kMixed:
      return "mixed";
  }
  return "?";
}

namespace {

constexpr uint64_t kTextBase = 0x0040'0000;
constexpr uint64_t kTextPages = 16;
constexpr uint64_t kRodataBase = 0x0080'0000;
constexpr uint64_t kRodataPages = 4;
constexpr uint64_t kHeapBase = 0x1000'0000;

// Where the heap's end, the unmapped gap the probes load from, and the
// huge-page region go: after the heap, so any heap size has room. A small
// heap gets the gap at 512 MiB and the huge pages at 1 GiB (aligned for
// every huge-page size).
struct Layout {
  uint64_t unmapped, huge_base, end;
};

uint64_t align_up(uint64_t v, uint64_t a) {
  return (v + a - 1) / a * a;
}

Layout layout_for(uint64_t pages, uint64_t huge_pages, PagingMode mode) {
  constexpr uint64_t kGiB = uint64_t{1} << 30;
  const uint64_t huge_size = page_size(mode, 1);
  const uint64_t heap_end = kHeapBase + pages * kPageSize;
  const uint64_t unmapped = std::max<uint64_t>(0x2000'0000, align_up(heap_end, huge_size));
  const uint64_t huge_base = std::max<uint64_t>(kGiB, align_up(unmapped + huge_size, kGiB));
  return {unmapped, huge_base, huge_base + huge_pages * huge_size};
}

// The top of the user half: the regions must end below it.
uint64_t user_top(PagingMode mode) {
  return is_sv32(mode) ? 0xC000'0000 : uint64_t{1} << (va_bits_of(mode) - 1);
}

// A data region with its shadow: every 8-byte word's expected value.
struct ShadowRegion {
  uint64_t base = 0;
  SparseArray<uint64_t> words;
  uint64_t bytes() const { return words.size() * 8; }
};

class BasicProgram {
 public:
  BasicProgram(GuestRuntime& rt, const WorkloadOptions& cfg) : rt_(rt), cfg_(cfg), rng_(cfg.seed) {}

  WorkloadResult run() {
    res_.list_processes = false;  // the probes' short-lived processes are not worth a line each
    if (!setup()) return res_;
    run_accesses();
    res_.figures = {{"accesses.loads", loads_},
                    {"accesses.stores", stores_},
                    {"accesses.fetches", fetches_},
                    {"accesses.direct_map_reads", direct_map_reads_},
                    {"accesses.invalid_probes", invalid_probes_}};
    res_.lines.push_back(fmt::format(
        "  guest accesses     {} loads, {} stores, {} fetches, {} direct-map reads, {} invalid probes",
        loads_, stores_, fetches_, direct_map_reads_, invalid_probes_));
    return res_;
  }

 private:
  void run_accesses() {
    const uint64_t probe_every = std::max<uint64_t>(cfg_.accesses / 8, 1);
    uint64_t seq = 0, stride_pos = 0;
    for (uint64_t i = 0; i < cfg_.accesses; ++i) {
      if (i % probe_every == probe_every / 2) {
        probe(i / probe_every);
        continue;
      }
      if (i % 16 == 5) {
        fetch();
        continue;
      }
      if (i % 64 == 9 && touched_pages_ > 0) {
        direct_map_read();
        continue;
      }
      Pattern p = cfg_.pattern;
      if (p == Pattern::kMixed) p = Pattern((i / 4096) % 3);
      ShadowRegion* region = &heap_;
      uint64_t word = 0;
      switch (p) {
        case Pattern::kSequential:
          word = seq++ % heap_.words.size();
          break;
        case Pattern::kStrided:
          // One word per page, moving on a page and a word each time: every
          // access is a new page, so the TLB misses once the heap exceeds it.
          word = (stride_pos++ * 513) % heap_.words.size();
          break;
        default:
          region = (has_huge_ && rng_() % 4 == 0) ? &huge_ : &heap_;
          word = rng_() % region->words.size();
          break;
      }
      data_access(*region, word);
    }
  }

  bool setup() {
    const Perms user_rw{true, true, false, true}, user_ro{true, false, false, true},
        user_rx{true, false, true, true};
    const PagingMode mode = rt_.space().table().mode();
    if (is_sv32(mode)) {
      direct_base_ = 0xC000'0000;  // the top GiB of a 32-bit address space, as Linux/rv32 does
    } else {
      const uint64_t half = uint64_t{1} << (va_bits_of(mode) - 1);
      direct_base_ = ~(half - 1);  // lowest address of the upper (kernel) half
    }
    layout_ = layout_for(cfg_.pages, cfg_.huge_pages, mode);
    heap_ = {kHeapBase, SparseArray<uint64_t>(cfg_.pages * kPageSize / 8)};
    huge_ = {layout_.huge_base, SparseArray<uint64_t>(cfg_.huge_pages * page_size(mode, 1) / 8)};
    bool ok = rt_.add_lazy_region({"text", VirtAddr{kTextBase}, kTextPages * kPageSize, user_rx}) &&
              rt_.add_lazy_region({"rodata", VirtAddr{kRodataBase}, kRodataPages * kPageSize, user_ro}) &&
              rt_.add_lazy_region({"heap", VirtAddr{kHeapBase}, heap_.bytes(), user_rw});
    if (!ok) return fail_setup("cannot add the text, rodata and heap regions");
    if (cfg_.huge_pages > 0 &&
        !rt_.add_eager_region({"huge", VirtAddr{layout_.huge_base}, huge_.bytes(), user_rw}, 1)) {
      return fail_setup("not enough contiguous memory for the 2 MiB huge-page region");
    }
    has_huge_ = cfg_.huge_pages > 0;
    if (!rt_.add_direct_map(VirtAddr{direct_base_})) return fail_setup("cannot map the direct map");
    page_touched_.assign(cfg_.pages, false);
    return true;
  }

  bool fail_setup(std::string why) {
    res_.setup_error = std::move(why);
    return false;
  }

  void error(std::string msg) { res_.error(std::move(msg)); }

  uint64_t next_value(uint64_t va) { return (va * 0x9e3779b97f4a7c15ull) ^ (++counter_ << 1) ^ cfg_.seed; }

  void data_access(ShadowRegion& r, uint64_t word) {
    const VirtAddr va{r.base + word * 8};
    if (&r == &heap_) {
      const uint64_t page = word * 8 / kPageSize;
      if (!page_touched_[page]) {
        page_touched_[page] = true;
        touched_list_.push_back(page);
        ++touched_pages_;
      }
    }
    if (rng_() & 1) {
      const uint64_t v = next_value(va.value());
      const AccessResult a = rt_.store(va, v, 8, Priv::kUser);
      ++stores_;
      if (!a.ok) return unexpected(va, Access::kStore, a);
      r.words[word] = v;
    } else {
      const AccessResult a = rt_.load(va, 8, Priv::kUser);
      ++loads_;
      if (!a.ok) return unexpected(va, Access::kLoad, a);
      check_value(va, a.value, r.words[word], "load");
    }
  }

  void check_value(VirtAddr va, uint64_t got, uint64_t want, std::string_view how) {
    if (got == want) return;
    ++res_.data_mismatches;
    error(fmt::format("data mismatch: {} of va 0x{:x} read 0x{:016x}, wrote 0x{:016x}", how, va.value(), got,
                      want));
  }

  void unexpected(VirtAddr va, Access access, const AccessResult& a) {
    ++res_.unexpected_faults;
    error(fmt::format("unexpected fault: {} of va 0x{:x}: {} ({})", to_string(access), va.value(),
                      to_string(a.fault->cause), a.fault->reason));
  }

  void fetch() {
    const VirtAddr va{kTextBase + (rng_() % (kTextPages * kPageSize / 4)) * 4};
    const AccessResult a = rt_.fetch(va, Priv::kUser);
    ++fetches_;
    if (!a.ok) return unexpected(va, Access::kFetch, a);
    check_value(va, a.value, 0, "fetch");  // text pages are fresh zeroed frames
  }

  // Reads a heap word through the direct map: the supervisor's view of the
  // same physical bytes must equal what the user wrote.
  void direct_map_read() {
    const uint64_t page = touched_list_[rng_() % touched_list_.size()];
    const uint64_t word = page * (kPageSize / 8) + rng_() % (kPageSize / 8);
    const VirtAddr user_va{heap_.base + word * 8};
    auto leaf = rt_.space().table().find_leaf(user_va);
    if (!leaf) return error(fmt::format("heap page at 0x{:x} lost its mapping", user_va.value()));
    const uint64_t pa = base_of(rt_.space().table().frame_at(*leaf, user_va)).value() + page_offset(user_va);
    const VirtAddr kva{direct_base_ + pa};
    const AccessResult a = rt_.load(kva, 8, Priv::kSupervisor);
    ++direct_map_reads_;
    if (!a.ok) return unexpected(kva, Access::kLoad, a);
    check_value(kva, a.value, heap_.words[word], "direct-map load");
  }

  // Deliberately invalid accesses, one kind after another. Each must fault,
  // and a faulting process ends, so each runs in a short-lived process of its
  // own with the same layout (as a test harness forks a child to crash).
  void probe(uint64_t n) {
    ++invalid_probes_;
    Process& main = rt_.current();
    Process& child = rt_.create_process("probe-" + std::to_string(n));
    rt_.switch_to(child);
    const Perms user_rw{true, true, false, true}, user_ro{true, false, false, true};
    rt_.add_lazy_region({"rodata", VirtAddr{kRodataBase}, kRodataPages * kPageSize, user_ro});
    rt_.add_lazy_region({"heap", VirtAddr{kHeapBase}, kPageSize, user_rw});
    AccessResult a;
    switch (n % 5) {
      case 0:
        a = rt_.load(VirtAddr{layout_.unmapped}, 8, Priv::kUser);
        break;  // no region
      case 1:
        a = rt_.store(VirtAddr{kRodataBase}, 1, 8, Priv::kUser);
        break;  // read-only
      case 2:
        a = rt_.load(VirtAddr{direct_base_}, 8, Priv::kUser);
        break;  // kernel page
      case 3:
        a = rt_.fetch(VirtAddr{kHeapBase}, Priv::kUser);
        break;  // not executable
      default:
        a = rt_.load(VirtAddr{uint64_t{1} << 62}, 8, Priv::kUser);
        break;  // non-canonical
    }
    if (a.ok) {
      ++res_.probes_not_faulting;
      error(fmt::format("invalid access #{} (kind {}) did not fault", n, n % 5));
    } else if (child.alive) {
      ++res_.probes_not_faulting;
      error(fmt::format("invalid access #{} did not end its process", n));
    }
    rt_.exit_process(child, "probe done");
    rt_.switch_to(main);
  }

  GuestRuntime& rt_;
  const WorkloadOptions& cfg_;
  std::mt19937_64 rng_;
  WorkloadResult res_;
  uint64_t loads_ = 0, stores_ = 0, fetches_ = 0, direct_map_reads_ = 0, invalid_probes_ = 0;
  ShadowRegion heap_, huge_;
  bool has_huge_ = false;
  uint64_t direct_base_ = 0;
  uint64_t counter_ = 0;
  std::vector<bool> page_touched_;
  Layout layout_{};
  std::vector<uint64_t> touched_list_;
  uint64_t touched_pages_ = 0;
};

}  // namespace

BasicWorkload::BasicWorkload(const WorkloadOptions& o) : options_(o) {
  if (!options_.accesses) options_.accesses = kDefaultAccesses;
}

WorkloadResult BasicWorkload::run(GuestRuntime& rt) {
  return BasicProgram(rt, options_).run();
}

namespace {
std::unique_ptr<Workload> make_basic(const WorkloadOptions& o) {
  // The heap and the huge pages must fit, with room for page tables.
  const uint64_t huge_mib = page_size(o.mode, 1) >> 20;
  const uint64_t needed_mib = (o.pages * kPageSize >> 20) + huge_mib * o.huge_pages + 8;
  if (o.mem_bytes && needed_mib > (o.mem_bytes >> 20)) {
    throw std::invalid_argument(
        fmt::format("--pages {} with {} huge pages needs about {} MiB, but memory is {} MiB", o.pages,
                    o.huge_pages, needed_mib, o.mem_bytes >> 20));
  }
  if (const Layout l = layout_for(o.pages, o.huge_pages, o.mode); l.end > user_top(o.mode)) {
    throw std::invalid_argument(fmt::format(
        "--pages {} with {} huge pages needs virtual addresses up to 0x{:x}, beyond {}'s user half (0x{:x})",
        o.pages, o.huge_pages, l.end, to_string(o.mode), user_top(o.mode)));
  }
  return std::make_unique<BasicWorkload>(o);
}
}  // namespace

VMSIM_REGISTER_WORKLOAD(basic, "basic",
                        "one process with every page size: heap, text, rodata, huge pages, the direct map",
                        BasicWorkload::kDefaultAccesses, 0, make_basic);

}  // namespace vmsim
