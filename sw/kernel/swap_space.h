// swap_space.h: the kernel's side of swap — which slots are used, and a CRC
// of what was written to each, over a SwapBackend that stores the pages.
//
// Every read is checked against the CRC recorded at write time; a mismatch
// (a corrupted device, a torn write) is reported as kCorrupt and the page
// is never handed to the guest.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sw/types.h"

namespace vmsim {

// The block device: page-sized slots. Implemented by a host file directly
// (model/file_swap_backend.h) or by the SystemC swap device over TLM.
class SwapBackend {
 public:
  virtual ~SwapBackend() = default;
  virtual uint64_t slots() const = 0;
  // Each returns false on an I/O error; latency_cycles is what the access cost.
  virtual bool write_page(uint64_t slot, const uint8_t* page, uint64_t& latency_cycles) = 0;
  virtual bool read_page(uint64_t slot, uint8_t* page, uint64_t& latency_cycles) = 0;
};

uint32_t crc32(const uint8_t* data, size_t len);

class SwapSpace {
 public:
  enum class ReadResult { kOk, kCorrupt, kIoError };

  explicit SwapSpace(SwapBackend* backend);  // nullptr: no swap

  uint64_t total() const { return in_use_.size(); }
  uint64_t used() const { return used_; }
  uint64_t free_count() const { return total() - used_; }
  bool in_use(uint64_t slot) const { return slot < in_use_.size() && in_use_[slot]; }

  std::optional<uint64_t> alloc();
  void release(uint64_t slot);
  bool write(uint64_t slot, const uint8_t* page, uint64_t& latency_cycles);
  ReadResult read(uint64_t slot, uint8_t* page, uint64_t& latency_cycles);

 private:
  SwapBackend* backend_;
  std::vector<bool> in_use_;
  std::vector<uint32_t> crc_;
  uint64_t used_ = 0;
  uint64_t cursor_ = 0;
};

}  // namespace vmsim
