// heap_memory.h: the memory the allocator runs on. One allocator source, two
// backends, chosen at compile time (Ptmalloc<Mem> is a template, so native
// mode pays no virtual call per header access):
//
//   GuestHeap   guest virtual memory: every load and store is translated by
//               the RTL MMU through the GuestRuntime; brk and mmap are the
//               runtime's system calls.
//   NativeHeap  host memory: a reserved host range for brk, host mmap for
//               large blocks. Used to measure the allocator against glibc.
//
// Both give 8-byte loads and stores at 8-byte aligned addresses, and 2-byte
// ones at 2-byte aligned addresses (the tcache's counts, glibc's uint16_t). A guest
// access that fails (the process was killed) sets failed(); the allocator
// then reports and stops.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>

#include "sw/kernel/guest_runtime.h"

namespace vmsim {

class GuestHeap {
 public:
  explicit GuestHeap(GuestRuntime& rt) : rt_(rt) {}
  uint64_t load(uint64_t addr) {
    const AccessResult a = rt_.load(VirtAddr{addr}, 8, Priv::kUser);
    if (!a.ok) failed_ = true;
    return a.value;
  }
  void store(uint64_t addr, uint64_t v) {
    if (!rt_.store(VirtAddr{addr}, v, 8, Priv::kUser).ok) failed_ = true;
  }
  uint16_t load16(uint64_t addr) {
    const AccessResult a = rt_.load(VirtAddr{addr}, 2, Priv::kUser);
    if (!a.ok) failed_ = true;
    return uint16_t(a.value);
  }
  void store16(uint64_t addr, uint16_t v) {
    if (!rt_.store(VirtAddr{addr}, v, 2, Priv::kUser).ok) failed_ = true;
  }
  // Copies n bytes (a multiple of 8) word by word, lowest first: each word a
  // guest load and store. dst may overlap src when it lies below it.
  void copy(uint64_t dst, uint64_t src, uint64_t n) {
    for (uint64_t off = 0; off < n && !failed_; off += 8) store(dst + off, load(src + off));
  }
  std::optional<uint64_t> brk_start() {
    auto b = rt_.brk(std::nullopt);
    return b ? std::optional<uint64_t>(b->value()) : std::nullopt;
  }
  // Moves the break to `end`; false when the runtime refuses.
  bool set_brk(uint64_t end) { return rt_.brk(VirtAddr{end}).has_value(); }
  std::optional<uint64_t> map(uint64_t len) {
    auto m = rt_.mmap(len, Perms{true, true, false, true});
    return m ? std::optional<uint64_t>(m->value()) : std::nullopt;
  }
  bool unmap(uint64_t addr, uint64_t len) { return rt_.munmap(VirtAddr{addr}, len); }
  // The mapping at addr resized (it may move: MREMAP_MAYMOVE); its new start.
  std::optional<uint64_t> remap(uint64_t addr, uint64_t old_len, uint64_t new_len) {
    auto m = rt_.mremap(VirtAddr{addr}, old_len, new_len, true);
    return m ? std::optional<uint64_t>(m->value()) : std::nullopt;
  }
  bool failed() const { return failed_; }

 private:
  GuestRuntime& rt_;
  bool failed_ = false;
};

class NativeHeap {
 public:
  NativeHeap();   // reserves the brk range (64 GiB of address space, nothing committed)
  ~NativeHeap();  // gives back the brk range and every mapping still held
  NativeHeap(const NativeHeap&) = delete;
  NativeHeap& operator=(const NativeHeap&) = delete;

  uint64_t load(uint64_t addr) {
    uint64_t v;
    std::memcpy(&v, reinterpret_cast<const void*>(addr), 8);
    return v;
  }
  void store(uint64_t addr, uint64_t v) { std::memcpy(reinterpret_cast<void*>(addr), &v, 8); }
  uint16_t load16(uint64_t addr) {
    uint16_t v;
    std::memcpy(&v, reinterpret_cast<const void*>(addr), 2);
    return v;
  }
  void store16(uint64_t addr, uint16_t v) { std::memcpy(reinterpret_cast<void*>(addr), &v, 2); }
  void copy(uint64_t dst, uint64_t src, uint64_t n) {
    std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), n);
  }
  std::optional<uint64_t> brk_start() { return base_; }
  bool set_brk(uint64_t end);
  std::optional<uint64_t> map(uint64_t len);
  bool unmap(uint64_t addr, uint64_t len);
  std::optional<uint64_t> remap(uint64_t addr, uint64_t old_len, uint64_t new_len);
  bool failed() const { return false; }

 private:
  uint64_t base_ = 0, limit_ = 0, brk_ = 0;
  std::map<uint64_t, uint64_t> maps_;  // mappings from map(), by address: their lengths
};

}  // namespace vmsim
