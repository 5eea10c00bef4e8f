#include "sw/malloc/heap_memory.h"

#include <sys/mman.h>

#include <stdexcept>

namespace vmsim {

namespace {
constexpr uint64_t kReserve = uint64_t{64} << 30;
}

NativeHeap::NativeHeap() {
  void* p =
      ::mmap(nullptr, kReserve, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::runtime_error("cannot reserve the native heap");
  base_ = brk_ = reinterpret_cast<uint64_t>(p);
  limit_ = base_ + kReserve;
}

NativeHeap::~NativeHeap() {
  ::munmap(reinterpret_cast<void*>(base_), kReserve);
  for (const auto& [addr, len] : maps_) ::munmap(reinterpret_cast<void*>(addr), len);
}

bool NativeHeap::set_brk(uint64_t end) {
  if (end < base_ || end > limit_) return false;
  if (end < brk_) {
    // Give the pages back, as the kernel does when brk shrinks.
    const uint64_t from = (end + 4095) & ~uint64_t{4095};
    if (from < brk_) madvise(reinterpret_cast<void*>(from), brk_ - from, MADV_DONTNEED);
  }
  brk_ = end;
  return true;
}

std::optional<uint64_t> NativeHeap::map(uint64_t len) {
  void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return std::nullopt;
  maps_[reinterpret_cast<uint64_t>(p)] = len;
  return reinterpret_cast<uint64_t>(p);
}

std::optional<uint64_t> NativeHeap::remap(uint64_t addr, uint64_t old_len, uint64_t new_len) {
  void* p = ::mremap(reinterpret_cast<void*>(addr), old_len, new_len, MREMAP_MAYMOVE);
  if (p == MAP_FAILED) return std::nullopt;
  // The mapping's record is re-keyed in its own node: a realloc costs the
  // host's allocator nothing (realloc_large.rep is one mremap per call).
  auto node = maps_.extract(addr);
  if (node.empty()) {
    maps_[reinterpret_cast<uint64_t>(p)] = new_len;
  } else {
    node.key() = reinterpret_cast<uint64_t>(p);
    node.mapped() = new_len;
    maps_.insert(std::move(node));
  }
  return reinterpret_cast<uint64_t>(p);
}

bool NativeHeap::unmap(uint64_t addr, uint64_t len) {
  if (::munmap(reinterpret_cast<void*>(addr), len) != 0) return false;
  // Forget [addr, addr + len) in the mappings it overlaps, keeping what is left of each.
  const uint64_t end = addr + len;
  auto it = maps_.upper_bound(addr);
  if (it != maps_.begin()) --it;
  while (it != maps_.end() && it->first < end) {
    const uint64_t a = it->first, e = a + it->second;
    it = maps_.erase(it);
    if (e <= addr) continue;
    if (a < addr) maps_[a] = addr - a;
    if (e > end) maps_[end] = e - end;
  }
  return true;
}

}  // namespace vmsim
