#include "sw/phys_frames.h"

namespace vmsim {

std::optional<Ppn> PhysFrames::alloc_block(unsigned order, Mobility kind) {
  const std::optional<Ppn> start = buddy_.alloc(order, kind);
  if (!start) return std::nullopt;
  for (uint64_t f = start->value(); f < start->value() + (uint64_t{1} << order); ++f) bits_.mark_used(Ppn{f});
  return start;
}

bool PhysFrames::reserve(Ppn ppn) {
  if (bits_.in_use(ppn) || !buddy_.take(ppn)) return false;
  return bits_.mark_used(ppn);
}

bool PhysFrames::free(Ppn ppn) {
  if (!bits_.mark_free(ppn)) return false;
  buddy_.free(ppn, 0);
  return true;
}

}  // namespace vmsim
