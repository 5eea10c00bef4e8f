#include "sw/phys_memory.h"

#include <array>

namespace vmsim {

void PhysMemory::zero_page(Ppn ppn) {
  static const std::array<uint8_t, kPageSize> zeros{};
  write(base_of(ppn), zeros.data(), zeros.size());
}

}  // namespace vmsim
