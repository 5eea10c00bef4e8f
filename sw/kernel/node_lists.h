// node_lists.h: the reclaim lists of every NUMA node, as one policy.
//
// Linux keeps its LRU lists per node, so that a node's kswapd and direct
// reclaim on behalf of a node take pages from that node only. Here each node
// has an AnonFileLists (anonymous and file lists of the configured policy,
// balanced by swappiness); a page is on the lists of the node its frame is
// in. The kernel's parts that only insert, remove and ask about pages see
// one ReplacementPolicy; reclaim asks a given node for its victim.
//
// Contract: a page's frame may change only while it is off the lists, or
// within its node (ResidentPages::move_frame keeps to it).
#pragma once

#include <memory>
#include <vector>

#include "sw/kernel/anon_file_lists.h"
#include "sw/phys_frames.h"

namespace vmsim {

class NodeLists final : public ReplacementPolicy {
 public:
  // Throws std::invalid_argument as AnonFileLists does.
  NodeLists(const PhysFrames& frames, std::string_view policy, const PolicyArgs& args, unsigned swappiness);

  std::string_view name() const override { return nodes_[0]->name(); }
  void insert(Page& page) override { of(page).insert(page); }
  void remove(Page& page) override { of(page).remove(page); }
  // Node 0's victim (a single node's, when there is one).
  Page* victim(AccessedBits& bits) override { return nodes_[0]->victim(bits); }
  Page* victim(unsigned node, AccessedBits& bits, bool swap_has_room) {
    return nodes_[node]->victim(bits, swap_has_room);
  }
  size_t size() const override;
  bool contains(const Page& page) const override { return of(page).contains(page); }
  uint64_t aging_period() const override { return nodes_[0]->aging_period(); }
  void age(AccessedBits& bits) override;
  bool wants_accesses() const override { return nodes_[0]->wants_accesses(); }
  void on_access(Page& page, uint64_t position) override { of(page).on_access(page, position); }

  AnonFileLists& node(unsigned n) { return *nodes_[n]; }
  unsigned swappiness() const { return nodes_[0]->swappiness(); }

 private:
  AnonFileLists& of(const Page& page) const { return *nodes_[frames_.node_of(page.frame)]; }

  const PhysFrames& frames_;
  std::vector<std::unique_ptr<AnonFileLists>> nodes_;
};

}  // namespace vmsim
