#include "sw/kernel/node_lists.h"

namespace vmsim {

NodeLists::NodeLists(const PhysFrames& frames, std::string_view policy, const PolicyArgs& args,
                     unsigned swappiness)
    : frames_(frames) {
  for (unsigned n = 0; n < frames.nodes(); ++n)
    nodes_.push_back(std::make_unique<AnonFileLists>(policy, args, swappiness));
}

size_t NodeLists::size() const {
  size_t n = 0;
  for (const auto& l : nodes_) n += l->size();
  return n;
}

void NodeLists::age(AccessedBits& bits) {
  for (const auto& l : nodes_) l->age(bits);
}

}  // namespace vmsim
