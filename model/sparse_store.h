// sparse_store.h: the bytes of simulated physical memory.
//
// One anonymous, MAP_NORESERVE mapping of the full size: the host kernel
// backs a page only when it is first written, so a 256 MiB (or 64 GiB)
// memory costs only what the guest touches, and the whole range is one
// contiguous block that TLM DMI can hand out as a single pointer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vmsim {

// Zeroes host bytes of an anonymous private mapping: whole host pages by
// returning them to the kernel (MADV_DONTNEED), the rest with memset.
void zero_host_bytes(uint8_t* p, uint64_t len);

class SparseStore {
 public:
  explicit SparseStore(uint64_t size_bytes);  // throws std::runtime_error if mmap fails
  ~SparseStore();
  SparseStore(const SparseStore&) = delete;
  SparseStore& operator=(const SparseStore&) = delete;

  uint64_t size() const { return size_; }
  uint8_t* data() { return data_; }
  bool in_range(uint64_t addr, uint64_t len) const { return addr < size_ && len <= size_ - addr; }
  // Zeroes [addr, addr + len), in range. Whole host pages are handed back
  // to the host kernel (they read as zero and cost no memory until written
  // again), so zeroing a frame never makes the host hold it.
  void zero(uint64_t addr, uint64_t len) { zero_host_bytes(data_ + addr, len); }

 private:
  uint64_t size_;
  uint8_t* data_;
};

}  // namespace vmsim
