// phys_memory.h: how the runtime and the checker see physical memory.
//
// The runtime never knows whether memory is a SystemC TLM target reached by
// DMI (model/tlm_phys_memory.h) or a plain host array (model/host_memory.h).
// Accesses outside memory return false; they never throw or crash.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sw/types.h"

namespace vmsim {

class PhysMemory {
 public:
  virtual ~PhysMemory() = default;
  virtual uint64_t size_bytes() const = 0;
  // Little-endian accesses of 1, 2, 4 or 8 bytes, naturally aligned.
  virtual bool read(PhysAddr pa, void* dst, size_t len) = 0;
  virtual bool write(PhysAddr pa, const void* src, size_t len) = 0;

  bool contains(PhysAddr pa, size_t len) const {
    return pa.value() < size_bytes() && len <= size_bytes() - pa.value();
  }
  uint64_t read_u64(PhysAddr pa) {
    uint64_t v = 0;
    read(pa, &v, 8);
    return v;
  }
  void write_u64(PhysAddr pa, uint64_t v) { write(pa, &v, 8); }
  // A PTE-sized word (4 bytes in Sv32, 8 otherwise), zero-extended.
  uint64_t read_word(PhysAddr pa, unsigned bytes) {
    uint64_t v = 0;
    read(pa, &v, bytes);
    return v;
  }
  void write_word(PhysAddr pa, uint64_t v, unsigned bytes) { write(pa, &v, bytes); }
  // Fills a frame with zeros. A memory backed by host pages may override it
  // to give the host page back instead of writing it (model/sparse_store.h).
  virtual void zero_page(Ppn ppn);
  // Copies frame `src` to frame `dst` (migration, copy-on-write).
  void copy_page(Ppn dst, Ppn src);
};

}  // namespace vmsim
