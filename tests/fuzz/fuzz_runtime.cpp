// Fuzz target: sequences of the guest runtime's system calls and accesses
// (mmap of anonymous memory and of a file, msync, munmap, mprotect, mremap, brk, loads, stores, fetches, new
// processes, copy-on-write fork, exit, kswapd), with a small memory and swap, so that reclaim and swap run
// all the time. The MMU is the reference model with a TLB (testbench/check/ model_mmu.h), so a fence the
// kernel forgets shows as a stale translation.
//
// Checked after every step, against GuestModel (what the program was told):
//   - an access succeeds exactly when its page is mapped with the right;
//     a failing one ends the process (an invalid fault), never the host;
//   - a load reads the last value stored to that word (0 if none), through
//     any amount of swapping;
//   - nothing is OOM-killed (the swap holds every page the model can map);
// and every 32 steps and at the end, the kernel's audit is clean.
#include <array>
#include <unordered_map>
#include <vector>

#include "fuzz_input.h"
#include "fuzz_target.h"
#include "guest_model.h"
#include "model/file_store.h"
#include "model/host_memory.h"
#include "sw/kernel/guest_runtime.h"
#include "sw/policy/replacement_policy.h"
#include "testbench/check/model_mmu.h"

using namespace vmsim;

namespace {

constexpr unsigned kMaxSteps = 1500;
constexpr unsigned kMaxProcesses = 12;
constexpr uint64_t kMaxRegionPages = 32, kMaxBrkPages = 64, kMaxRegions = 12;
constexpr uint64_t kFileBytes = 40 * kPageSize + 1000, kFileSeed = 5;  // its last page partial

class MemorySwap final : public SwapBackend {
 public:
  uint64_t slots() const override { return 2048; }
  bool write_page(uint64_t slot, const uint8_t* page, uint64_t& latency) override {
    std::copy(page, page + kPageSize, pages_[slot].begin());
    latency = 100;
    return true;
  }
  bool read_page(uint64_t slot, uint8_t* page, uint64_t& latency) override {
    const auto it = pages_.find(slot);
    if (it == pages_.end()) return false;
    std::copy(it->second.begin(), it->second.end(), page);
    latency = 100;
    return true;
  }

 private:
  std::unordered_map<uint64_t, std::array<uint8_t, kPageSize>> pages_;
};

Perms pick_perms(fuzz::FuzzInput& in) {
  switch (in.u8() % 5) {  // W alone is not a right RISC-V can express: never asked for
    case 0:
      return Perms{true, false, false, true};
    case 1:
      return Perms{true, true, false, true};
    case 2:
      return Perms{true, false, true, true};
    case 3:
      return Perms{true, true, true, true};
    default:
      return Perms{false, false, false, true};  // PROT_NONE
  }
}

class Session {
 public:
  Session(fuzz::FuzzInput& in, RuntimeConfig cfg, const TlbHierarchy& tlb)
      : in_(in),
        store_(uint64_t{16} << 20),
        mem_(store_),
        mmu_(mem_, MmuFeatures::all(is_sv32(cfg.mode) ? 32 : 64), tlb),
        rt_(mem_, mmu_, cfg, KernelServices{&swap_, nullptr, {}, {}, &files_}),
        mode_(cfg.mode),
        top_(is_sv32(cfg.mode) ? 0xC000'0000 : uint64_t{1} << (va_bits_of(cfg.mode) - 1)) {
    models_[rt_.current().pid] = {};
    file_ = *rt_.create_file("fuzz", kFileBytes, kFileSeed);
  }

  void run() {
    for (unsigned n = 0; !in_.empty() && n < kMaxSteps; ++n) {
      step();
      FUZZ_EXPECT(rt_.stats().oom_kills == 0, "an OOM kill with swap enough for every page");
      if (n % 32 == 31) audit("during the run");
    }
    audit("at the end");
    for (const auto& p : rt_.processes())
      if (p->alive) rt_.exit_process(*p, "fuzz: end");
    audit("after every process exited");
  }

 private:
  fuzz::GuestModel& model() { return models_.at(rt_.current().pid); }

  void step() {
    const unsigned op = in_.u8() % 16;
    if (verbose_) std::fprintf(stderr, "step: op %u, pid %d\n", op, rt_.current().pid);
    switch (op) {
      case 0:
        if (in_.flag()) return in_.flag() ? do_mmap() : do_mmap_file();
        return in_.flag() ? do_mremap() : do_msync();
      case 1:
        return do_range(false);
      case 2:
        return do_range(true);
      case 3:
        return do_brk();
      case 4:
      case 5:
      case 6:
      case 7:
        return access(Access::kStore);
      case 8:
      case 9:
      case 10:
        return access(Access::kLoad);
      case 11:
        return access(Access::kFetch);
      case 12:
        return other_process();
      case 13:
        return exit_current();
      case 14:
        return rt_.background_reclaim();
      default:
        return audit("on request");
    }
  }

  void do_mmap() {
    const uint64_t pages = in_.in_range(1, kMaxRegionPages);
    const Perms perms = pick_perms(in_);
    if (regions_[rt_.current().pid]++ >= kMaxRegions) return;
    const std::optional<VirtAddr> at = rt_.mmap(pages * kPageSize, perms);
    FUZZ_EXPECT(at.has_value(), "mmap of %llu pages failed", (unsigned long long)pages);
    FUZZ_EXPECT(at->value() % kPageSize == 0 && at->value() + pages * kPageSize <= top_, "mmap placed badly");
    for (uint64_t i = 0; i < pages; ++i)
      FUZZ_EXPECT(!model().mapped(at->value() + i * kPageSize), "mmap over a mapped page");
    if (verbose_)
      std::fprintf(stderr, "  mmap %llu pages r%dw%dx%d at 0x%llx\n", (unsigned long long)pages, perms.read,
                   perms.write, perms.exec, (unsigned long long)at->value());
    model().map(at->value(), pages, perms);
  }

  // A private mapping of part of the file: it reads the file's words until
  // it stores its own (copy on write); the file itself is never written.
  void do_mmap_file() {
    const uint64_t file_pages = pages_of_file(kFileBytes);
    const uint64_t first = in_.in_range(0, file_pages - 1);
    const uint64_t pages = in_.in_range(1, std::min(kMaxRegionPages, file_pages - first));
    const Perms perms = pick_perms(in_);
    if (regions_[rt_.current().pid]++ >= kMaxRegions) return;
    const MemorySyscalls::FileMapping m =
        rt_.mmap_file(file_, first * kPageSize, pages * kPageSize, perms, false);
    FUZZ_EXPECT(m.at.has_value(), "mmap of file pages [%llu, +%llu) failed: %s", (unsigned long long)first,
                (unsigned long long)pages, m.error.c_str());
    for (uint64_t i = 0; i < pages; ++i)
      FUZZ_EXPECT(!model().mapped(m.at->value() + i * kPageSize), "mmap over a mapped page");
    if (verbose_)
      std::fprintf(stderr, "  mmap file pages [%llu, +%llu) at 0x%llx\n", (unsigned long long)first,
                   (unsigned long long)pages, (unsigned long long)m.at->value());
    model().map_file(m.at->value(), pages, perms, kFileSeed, kFileBytes, first * kPageSize);
  }

  // msync of a range starting at a mapped page: refused unless every page of
  // it is a file's.
  void do_msync() {
    const std::optional<uint64_t> at = model().page(in_.u16());
    const uint64_t pages = in_.in_range(1, 4);
    if (!at) return;
    const std::string err = rt_.msync(VirtAddr{*at}, pages * kPageSize);
    if (verbose_)
      std::fprintf(stderr, "  msync 0x%llx %llu pages: %s\n", (unsigned long long)*at,
                   (unsigned long long)pages, err.empty() ? "ok" : err.c_str());
    FUZZ_EXPECT(err.empty() == model().file_backed(*at, pages), "msync of 0x%llx, %llu pages: '%s'",
                (unsigned long long)*at, (unsigned long long)pages, err.c_str());
  }

  // munmap, or mprotect: a range starting at a mapped page (or anywhere).
  void do_range(bool protect) {
    const uint64_t n = in_.u16(), pages = in_.in_range(1, 8);
    const Perms perms = protect ? pick_perms(in_) : Perms{};
    const std::optional<uint64_t> at = model().page(n);
    const uint64_t start = at ? *at : (in_.u32() & ~(kPageSize - 1));
    if (verbose_)
      std::fprintf(stderr, "  %s 0x%llx %llu pages r%dw%dx%d\n", protect ? "mprotect" : "munmap",
                   (unsigned long long)start, (unsigned long long)pages, perms.read, perms.write, perms.exec);
    if (protect) {
      FUZZ_EXPECT(rt_.mprotect(VirtAddr{start}, pages * kPageSize, perms), "mprotect refused");
      model().protect(start, pages, perms);
    } else {
      FUZZ_EXPECT(rt_.munmap(VirtAddr{start}, pages * kPageSize), "munmap refused");
      model().unmap(start, pages);
    }
  }

  // mremap of a range starting at a mapped page. Whether the kernel takes it
  // depends on regions the model does not keep (one region, not the heap):
  // a refusal must change nothing, which later accesses check.
  void do_mremap() {
    const std::optional<uint64_t> at = model().page(in_.u16());
    const uint64_t old_pages = in_.in_range(1, 4), new_pages = in_.in_range(1, kMaxRegionPages);
    const bool may_move = in_.flag();
    if (!at) return;
    const std::optional<VirtAddr> to =
        rt_.mremap(VirtAddr{*at}, old_pages * kPageSize, new_pages * kPageSize, may_move);
    if (verbose_)
      std::fprintf(stderr, "  mremap 0x%llx %llu -> %llu pages: %s 0x%llx\n", (unsigned long long)*at,
                   (unsigned long long)old_pages, (unsigned long long)new_pages, to ? "at" : "refused",
                   to ? (unsigned long long)to->value() : 0ULL);
    if (!to) return;
    FUZZ_EXPECT(to->value() % kPageSize == 0 && to->value() + new_pages * kPageSize <= top_,
                "mremap placed badly");
    FUZZ_EXPECT(may_move || to->value() == *at, "mremap moved a mapping it was not allowed to move");
    for (uint64_t i = 0; i < old_pages; ++i)
      FUZZ_EXPECT(model().mapped(*at + i * kPageSize), "mremap took a range with a hole in it");
    model().remap(*at, old_pages, to->value(), new_pages);
  }

  void do_brk() {
    const uint64_t base = rt_.brk(std::nullopt)->value();
    const Process& p = rt_.current();
    const uint64_t want = p.brk_start.value() + in_.in_range(0, kMaxBrkPages) * kPageSize;
    const std::optional<VirtAddr> end = rt_.brk(VirtAddr{want});
    FUZZ_EXPECT(end && end->value() == want, "brk to 0x%llx refused", (unsigned long long)want);
    if (want > base) model().map(base, (want - base) / kPageSize, Perms{true, true, false, true});
    if (want < base) model().unmap(want, (base - want) / kPageSize);
  }

  void access(Access a) {
    const uint8_t where = in_.u8();
    uint64_t va;
    const uint64_t word = (in_.u16() % (kPageSize / 8)) * 8, pick = in_.u16();
    if (where < 160 && model().mapped_pages()) {
      va = *model().page(pick) + word;
    } else if (where < 224 && model().gone_page(pick)) {  // a page unmapped lately: a stale TLB entry shows
      va = *model().gone_page(pick) + word;
    } else {
      va = (is_sv32(mode_) ? in_.u32() : in_.u64()) & ~uint64_t{7};
    }
    const bool allowed = model().allows(va, a);
    const uint64_t value = in_.u64();
    const int pid = rt_.current().pid;
    if (verbose_) std::fprintf(stderr, "  access %u 0x%llx\n", unsigned(a), (unsigned long long)va);
    AccessResult r;
    if (a == Access::kStore) r = rt_.store(VirtAddr{va}, value, 8, Priv::kUser);
    if (a == Access::kLoad) r = rt_.load(VirtAddr{va}, 8, Priv::kUser);
    if (a == Access::kFetch) r = rt_.fetch(VirtAddr{va}, Priv::kUser);
    FUZZ_EXPECT(r.ok == allowed, "pid %d: %s of 0x%llx %s, the program's mappings say %s", pid,
                a == Access::kStore  ? "store"
                : a == Access::kLoad ? "load"
                                     : "fetch",
                (unsigned long long)va, r.ok ? "succeeded" : "failed", allowed ? "it may" : "it may not");
    if (!r.ok) {
      FUZZ_EXPECT(!rt_.current().alive, "a failed access left the process running");
      return process_ended();
    }
    if (a == Access::kStore) model().stored(va, value);
    if (a == Access::kLoad)
      FUZZ_EXPECT(r.value == model().value(va), "pid %d: load of 0x%llx read 0x%llx, stored 0x%llx", pid,
                  (unsigned long long)va, (unsigned long long)r.value, (unsigned long long)model().value(va));
  }

  void other_process() {
    const auto& all = rt_.processes();
    const uint64_t n = in_.u8();
    if (n % 3 == 0 && all.size() < kMaxProcesses) {
      Process& p = rt_.create_process("fuzz" + std::to_string(all.size()));
      models_[p.pid] = {};
      return rt_.switch_to(p);
    }
    if (n % 3 == 1 && all.size() < kMaxProcesses) {  // fork: the child starts with the parent's memory
      const int parent = rt_.current().pid;
      Process* child = rt_.fork(rt_.current());
      FUZZ_EXPECT(child != nullptr, "fork failed below the process limit");
      if (verbose_) std::fprintf(stderr, "  fork %d -> %d\n", parent, child->pid);
      models_[child->pid] = models_.at(parent);
      regions_[child->pid] = regions_[parent];
      if (in_.flag()) rt_.switch_to(*child);
      return;
    }
    Process& p = *all[n % all.size()];
    if (p.alive) rt_.switch_to(p);
  }

  void exit_current() {
    rt_.exit_process(rt_.current(), "fuzz: exit");
    process_ended();
  }

  // The current process has ended: run another, or a new one.
  void process_ended() {
    models_.erase(rt_.current().pid);
    for (const auto& p : rt_.processes())
      if (p->alive) return rt_.switch_to(*p);
    if (rt_.processes().size() >= kMaxProcesses) return in_.rest(), void();  // nothing left to run
    Process& p = rt_.create_process("fuzz" + std::to_string(rt_.processes().size()));
    models_[p.pid] = {};
    rt_.switch_to(p);
  }

  void audit(const char* when) {
    const AuditReport rep = rt_.audit();
    FUZZ_EXPECT(rep.clean(), "audit %s: %s", when, rep.problems.front().c_str());
  }

  fuzz::FuzzInput& in_;
  SparseStore store_;
  HostMemory mem_;
  MemorySwap swap_;
  FileStore files_;
  FileId file_;
  ModelMmu mmu_;
  GuestRuntime rt_;
  PagingMode mode_;
  uint64_t top_;
  // VMSIM_FUZZ_VERBOSE=1: each step and call on stderr, to read a finding.
  bool verbose_ = std::getenv("VMSIM_FUZZ_VERBOSE") != nullptr;
  std::map<int, fuzz::GuestModel> models_;
  std::map<int, uint64_t> regions_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::FuzzInput in(data, size);
  const uint8_t setup = in.u8();
  RuntimeConfig cfg;
  static const PagingMode kModes[] = {PagingMode::kSv39, PagingMode::kSv48, PagingMode::kSv57,
                                      PagingMode::kSv32};
  cfg.mode = kModes[setup & 3];
  cfg.control.svadu = setup & 4;
  cfg.reclaim = (setup & 8) ? ReclaimMode::kOnDemand : ReclaimMode::kWatermark;
  const std::vector<std::string> policies = policy_names();
  cfg.policy = policies[(setup >> 4) % policies.size()];
  if (cfg.policy == "opt") cfg.policy = policies.front();  // OPT needs the future: not here
  cfg.user_frames = 8 + in.u8() % 56;
  TlbHierarchy tlb;
  if (setup & 0x80) tlb.l1 = TlbGeometry{1, 2, TlbPolicy::kFifo, 0};  // tiny: evictions all the time
  Session(in, cfg, tlb).run();
  return 0;
}
