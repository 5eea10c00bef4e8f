#include "sw/phys_frames.h"

#include <stdexcept>

namespace vmsim {

namespace {
constexpr uint64_t kPageblock = uint64_t{1} << BuddyAllocator::kPageblockOrder;
}

PhysFrames::PhysFrames(uint64_t frames, unsigned nodes)
    : bits_(frames), node_size_(nodes > 1 ? frames / nodes / kPageblock * kPageblock : frames) {
  if (nodes == 0 || nodes > kMaxNodes)
    throw std::invalid_argument("NUMA nodes: " + std::to_string(nodes) + " is not 1 .. 8");
  if (nodes > 1 && node_size_ == 0)
    throw std::invalid_argument(std::to_string(nodes) + " NUMA nodes need at least " +
                                std::to_string(nodes * kPageblock) + " frames (2 MiB each), not " +
                                std::to_string(frames));
  nodes_.reserve(nodes);
  for (unsigned n = 0; n < nodes; ++n) {
    const uint64_t base = n * node_size_;
    nodes_.emplace_back(n + 1 == nodes ? frames - base : node_size_, base);
  }
}

std::optional<Ppn> PhysFrames::alloc_block(unsigned order, Mobility kind, std::optional<unsigned> node) {
  std::optional<Ppn> start;
  if (node) {
    start = nodes_[*node].alloc(order, kind);
  } else {
    for (BuddyAllocator& b : nodes_) {
      if ((start = b.alloc(order, kind))) break;
    }
  }
  if (!start) return std::nullopt;
  for (uint64_t f = start->value(); f < start->value() + (uint64_t{1} << order); ++f) bits_.mark_used(Ppn{f});
  return start;
}

bool PhysFrames::reserve(Ppn ppn) {
  if (ppn.value() >= total() || bits_.in_use(ppn) || !nodes_[node_of(ppn)].take(ppn)) return false;
  return bits_.mark_used(ppn);
}

bool PhysFrames::free(Ppn ppn) {
  if (!bits_.mark_free(ppn)) return false;
  nodes_[node_of(ppn)].free(ppn, 0);
  return true;
}

std::vector<std::string> PhysFrames::check(size_t limit) const {
  std::vector<std::string> out;
  for (const BuddyAllocator& b : nodes_) {
    for (std::string& p : b.check(bits_, limit)) {
      if (out.size() < limit) out.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace vmsim
