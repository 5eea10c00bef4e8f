#include "sw/phys_memory.h"

#include <array>

namespace vmsim {

void PhysMemory::zero_page(Ppn ppn) {
  static const std::array<uint8_t, kPageSize> zeros{};
  write(base_of(ppn), zeros.data(), zeros.size());
}

void PhysMemory::copy_page(Ppn dst, Ppn src) {
  std::array<uint8_t, kPageSize> buf;
  read(base_of(src), buf.data(), buf.size());
  write(base_of(dst), buf.data(), buf.size());
}

}  // namespace vmsim
