// host_memory.h: PhysMemory straight over a SparseStore, no SystemC.
// Used by the plain-C++ harness and by unit tests of the runtime.
#pragma once

#include <cstring>

#include "model/sparse_store.h"
#include "sw/phys_memory.h"

namespace vmsim {

class HostMemory final : public PhysMemory {
 public:
  explicit HostMemory(SparseStore& store) : store_(store) {}
  uint64_t size_bytes() const override { return store_.size(); }
  bool read(PhysAddr pa, void* dst, size_t len) override {
    if (!store_.in_range(pa.value(), len)) return false;
    std::memcpy(dst, store_.data() + pa.value(), len);
    return true;
  }
  bool write(PhysAddr pa, const void* src, size_t len) override {
    if (!store_.in_range(pa.value(), len)) return false;
    std::memcpy(store_.data() + pa.value(), src, len);
    return true;
  }
  void zero_page(Ppn ppn) override {
    if (store_.in_range(base_of(ppn).value(), kPageSize)) store_.zero(base_of(ppn).value(), kPageSize);
  }

 private:
  SparseStore& store_;
};

}  // namespace vmsim
